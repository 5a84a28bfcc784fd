//! Golden tests of the pdm.lock cataloger on the scalibr fixtures (the osv-scanner v1 `pdm`
//! fixtures are byte-identical), with and without a pyproject.toml beside the lock.

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::python::PdmLockCataloger;
use chainproof_core::{Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;

fn fixture(name: &str) -> String {
    kit::fixtures!("python/scalibr/pdmlock").text(name)
}

fn run(r: &MemoryResolver) -> Inventory {
    PdmLockCataloger
        .catalog(r, "pdm.lock")
        .unwrap_or_else(|e| panic!("{e}"))
}

fn lock(text: &str) -> MemoryResolver {
    MemoryResolver::new().with_file("pdm.lock", text)
}

/// `(purl, scope, hash count)` of every package.
fn pkgs(inv: &Inventory) -> BTreeSet<(String, Scope, usize)> {
    inv.packages()
        .map(|(_, p)| {
            let purl = p.purl.as_ref().map(ToString::to_string).unwrap_or_default();
            (purl, p.scope, p.hashes.len())
        })
        .collect()
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::name_edges(inv)
}

fn set<T: Clone + Ord>(items: &[T]) -> BTreeSet<T> {
    items.iter().cloned().collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn dev_dependency() {
    let text = fixture("dev-dependency.toml");
    let inv = run(&lock(&text));
    assert_eq!(
        pkgs(&inv),
        set(&[
            ("pkg:pypi/pyroute2@0.7.11".to_string(), Scope::Dev, 1),
            ("pkg:pypi/toml@0.10.2".to_string(), Scope::Runtime, 2),
            ("pkg:pypi/win-inet-pton@1.1.0".to_string(), Scope::Dev, 2),
        ])
    );
    assert_eq!(edges(&inv), set(&[pair("pyroute2", "win-inet-pton")]));
    assert_eq!(inv.roots().count(), 0, "no pyproject.toml, no root");
    let (_, w) = inv
        .packages()
        .find(|(_, p)| p.name == "win-inet-pton")
        .expect("present");
    assert_eq!(
        w.properties["chainproof:python:marker"],
        "platform_system == \"Windows\""
    );
    assert_eq!(w.properties["chainproof:python:groups"], "dev");
    assert!(
        w.hashes
            .iter()
            .any(|h| h.value == "eaf0193cbe7152ac313598a0da7313fb479f769343c0c16c5308f64887dc885b")
    );
    let line = text
        .lines()
        .position(|l| l == "name = \"win-inet-pton\"")
        .expect("line") as u32
        + 1;
    assert_eq!(w.locations[0].line, Some(line));
}

#[test]
fn optional_dependency_group() {
    let inv = run(&lock(&fixture("optional-dependency.toml")));
    assert_eq!(
        pkgs(&inv),
        set(&[
            ("pkg:pypi/pyroute2@0.7.11".to_string(), Scope::Optional, 1),
            ("pkg:pypi/toml@0.10.2".to_string(), Scope::Runtime, 2),
            (
                "pkg:pypi/win-inet-pton@1.1.0".to_string(),
                Scope::Optional,
                2
            ),
        ])
    );
    assert_eq!(edges(&inv), set(&[pair("pyroute2", "win-inet-pton")]));
}

#[test]
fn git_dependency() {
    let inv = run(&lock(&fixture("git-dependency.toml")));
    assert_eq!(
        pkgs(&inv),
        set(&[("pkg:pypi/toml@0.10.2".to_string(), Scope::Runtime, 0)])
    );
    let (_, t) = inv.packages().next().expect("one");
    assert_eq!(
        t.source.as_deref(),
        Some("git+https://github.com/uiri/toml.git@65bab7582ce14c55cdeec2244c65ea23039c9e6f")
    );
    assert_eq!(t.properties["chainproof:python:source-type"], "git");
}

#[test]
fn empty_file() {
    let inv = run(&lock(&fixture("empty-file.toml")));
    assert!(inv.is_empty());
}

#[test]
fn pyproject_gives_root_and_group_kinds() {
    // The `tmp` group is declared as a PDM dev group, so it is dev, not optional.
    let r = lock(&fixture("optional-dependency.toml")).with_file(
        "pyproject.toml",
        "[project]\nname = \"My_App\"\nversion = \"0.3\"\ndependencies = [\"toml>=0.10\"]\n\
         [tool.pdm.dev-dependencies]\ntmp = [\"pyroute2\"]\n",
    );
    let inv = run(&r);
    assert_eq!(
        pkgs(&inv),
        set(&[
            ("pkg:pypi/my-app@0.3".to_string(), Scope::Runtime, 0),
            ("pkg:pypi/pyroute2@0.7.11".to_string(), Scope::Dev, 1),
            ("pkg:pypi/toml@0.10.2".to_string(), Scope::Runtime, 2),
            ("pkg:pypi/win-inet-pton@1.1.0".to_string(), Scope::Dev, 2),
        ])
    );
    assert_eq!(
        edges(&inv),
        set(&[
            pair("My_App", "toml"),
            pair("My_App", "pyroute2"),
            pair("pyroute2", "win-inet-pton"),
        ])
    );
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(roots.len(), 1);
    let root = inv.package(roots[0]);
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(root.locations[0].path, "pyproject.toml");
    assert_eq!(root.locations[0].line, Some(2));
}

#[test]
fn broken_pyproject_is_reported_and_lock_still_read() {
    let r = lock(&fixture("git-dependency.toml")).with_file("pyproject.toml", "[project\n");
    let inv = run(&r);
    assert_eq!(inv.len(), 1);
    assert_eq!(inv.unparsed().len(), 1);
    assert_eq!(inv.unparsed()[0].location.path, "pyproject.toml");
    assert_eq!(inv.unparsed()[0].location.line, Some(1));
}

#[test]
fn static_urls_and_extras_entries() {
    let text = r#"
[metadata]
groups = ["default"]
static_urls = true
lock_version = "4.5.0"

[[package]]
name = "requests"
version = "2.31.0"
groups = ["default"]
dependencies = ["urllib3<3,>=1.21.1", "charset-normalizer<4,>=2"]
files = [{url = "https://files.example/requests.whl", hash = "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f"}]

[[package]]
name = "requests"
version = "2.31.0"
extras = ["socks"]
groups = ["default"]
dependencies = ["requests==2.31.0", "PySocks!=1.5.7,>=1.5.6"]

[[package]]
name = "pysocks"
version = "1.7.1"
groups = ["default"]

[[package]]
name = "urllib3"
version = "2.2.1"
groups = ["default"]
"#;
    let inv = run(&lock(text));
    assert_eq!(
        pkgs(&inv),
        set(&[
            ("pkg:pypi/requests@2.31.0".to_string(), Scope::Runtime, 1),
            ("pkg:pypi/pysocks@1.7.1".to_string(), Scope::Runtime, 0),
            ("pkg:pypi/urllib3@2.2.1".to_string(), Scope::Runtime, 0),
        ])
    );
    assert_eq!(
        edges(&inv),
        set(&[pair("requests", "urllib3"), pair("requests", "pysocks")])
    );
}

#[test]
fn malformed_is_an_error_with_line() {
    for (text, line) in [
        ("[[package]]\nname = \"a\"\nversion = 3\n", 3),
        ("[metadata]\n\n[[package]\n", 3),
        ("[[package]]\nversion = \"1\"\n", 1),
    ] {
        let e = PdmLockCataloger
            .catalog(&lock(text), "pdm.lock")
            .expect_err(text);
        assert_eq!(e.path, "pdm.lock");
        assert_eq!(e.line, Some(line), "{text}: {e}");
    }
}
