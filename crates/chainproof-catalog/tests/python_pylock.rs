//! Golden tests of the pylock.toml (PEP 751) cataloger on every scalibr fixture.

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::python::PylockCataloger;
use chainproof_core::{Inventory, PackageKind};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;

fn fixture(name: &str) -> String {
    kit::fixtures!("python/scalibr/pylock").text(name)
}

fn run_at(path: &str, text: &str) -> Inventory {
    let r = MemoryResolver::new().with_file(path, text);
    PylockCataloger
        .catalog(&r, path)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn run(text: &str) -> Inventory {
    run_at("pylock.toml", text)
}

/// `(purl, hash count)` of every package.
fn pkgs(inv: &Inventory) -> BTreeSet<(String, usize)> {
    inv.packages()
        .map(|(_, p)| {
            let purl = p.purl.as_ref().map(ToString::to_string).unwrap_or_default();
            (purl, p.hashes.len())
        })
        .collect()
}

fn set(items: &[(&str, usize)]) -> BTreeSet<(String, usize)> {
    items.iter().map(|(p, n)| (p.to_string(), *n)).collect()
}

#[test]
fn matches_names() {
    assert!(PylockCataloger.matches("a/pylock.toml"));
    assert!(PylockCataloger.matches("pylock.dev.toml"));
    assert!(!PylockCataloger.matches("pylock.lock"));
    assert!(!PylockCataloger.matches("xpylock.toml"));
}

#[test]
fn example_with_dependencies() {
    let text = fixture("example.toml");
    let inv = run_at("pylock.win.toml", &text);
    assert_eq!(
        pkgs(&inv),
        set(&[
            ("pkg:pypi/attrs@25.1.0", 1),
            ("pkg:pypi/cattrs@24.1.2", 1),
            ("pkg:pypi/numpy@2.2.3", 2),
        ])
    );
    let edges: Vec<(String, String)> = inv
        .edges()
        .map(|(a, b)| (inv.package(a).name.clone(), inv.package(b).name.clone()))
        .collect();
    assert_eq!(edges, vec![("cattrs".to_string(), "attrs".to_string())]);
    assert_eq!(inv.roots().count(), 0);
    let (_, n) = inv
        .packages()
        .find(|(_, p)| p.name == "numpy")
        .expect("numpy");
    let hashes: BTreeSet<&str> = n.hashes.iter().map(|h| h.value.as_str()).collect();
    assert!(hashes.contains("83807d445817326b4bcdaaaf8e8e9f1753da04341eceec705c001ff342002e5d"));
    assert!(hashes.contains("3b787adbf04b0db1967798dba8da1af07e387908ed1553a0d6e74c084d1ceafe"));
    let line = text
        .lines()
        .position(|l| l == "name = 'numpy'")
        .expect("line") as u32
        + 1;
    assert_eq!(n.locations[0].line, Some(line));
    assert_eq!(n.locations[0].path, "pylock.win.toml");
}

#[test]
fn commits_vcs_directory_and_index() {
    let text = fixture("commits.toml");
    let inv = run(&text);
    // Hashes counted independently: one sdist + N wheels per package.
    let hashes_of = |name: &str| -> usize {
        let start = text.find(&format!("name = \"{name}\"")).expect("pkg");
        let rest = &text[start..];
        let end = rest[1..].find("[[packages]]").map_or(rest.len(), |i| i + 1);
        rest[..end].matches("hashes = { sha256").count()
    };
    assert_eq!(hashes_of("scikit-learn"), 20, "1 sdist + 19 wheels");
    assert_eq!(
        pkgs(&inv),
        set(&[
            ("pkg:pypi/click@8.2.1", hashes_of("click")),
            ("pkg:pypi/mleroc@0.1.0", 0),
            ("pkg:pypi/net-inf-eval", 0),
            ("pkg:pypi/packaging@24.2", 2),
            ("pkg:pypi/pathspec@0.12.1", 2),
            ("pkg:pypi/python-dateutil@2.9.0.post0", 2),
            ("pkg:pypi/scikit-learn@1.6.1", 20),
            ("pkg:pypi/tqdm@4.67.1", 2),
        ])
    );
    assert_eq!(inv.edges().count(), 0, "uv export writes no dependencies");
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(roots.len(), 1);
    let root = inv.package(roots[0]);
    assert_eq!(root.name, "net-inf-eval");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(root.properties["chainproof:python:editable"], "true");
    assert_eq!(root.properties["chainproof:python:created-by"], "uv");
    let (_, m) = inv
        .packages()
        .find(|(_, p)| p.name == "mleroc")
        .expect("mleroc");
    assert_eq!(
        m.source.as_deref(),
        Some("git+https://github.com/Veggente/mleroc.git@735093f03c4d8be70bfaaae44074ac92d7419b6d")
    );
    assert_eq!(m.properties["chainproof:python:source-type"], "vcs");
    let (_, c) = inv
        .packages()
        .find(|(_, p)| p.name == "click")
        .expect("click");
    assert_eq!(
        c.properties["chainproof:python:index"],
        "https://pypi.org/simple"
    );
}

#[test]
fn pip_written_locks() {
    let inv = run(&fixture("pip-full.toml"));
    assert_eq!(
        pkgs(&inv),
        set(&[
            ("pkg:pypi/annotated-types@0.7.0", 1),
            ("pkg:pypi/packaging@25.0", 1),
            ("pkg:pypi/pyproject-toml@0.1.0", 1),
            ("pkg:pypi/setuptools@80.9.0", 1),
            ("pkg:pypi/wheel@0.45.1", 1),
        ])
    );
    assert_eq!(inv.edges().count(), 0);
    let inv = run(&fixture("pip-just-self.toml"));
    assert_eq!(pkgs(&inv), set(&[("pkg:pypi/hspaans-github-io", 0)]));
    assert_eq!(inv.roots().count(), 1);
}

#[test]
fn names_inside_strings_and_tool_tables_are_not_packages() {
    let inv = run(&fixture("names-outside-package-block.toml"));
    assert_eq!(
        pkgs(&inv),
        set(&[
            ("pkg:pypi/first-pkg@1.0.0", 0),
            ("pkg:pypi/second-pkg@2.0.0", 0)
        ])
    );
}

#[test]
fn dependency_version_picks_among_duplicates() {
    let inv = run("lock-version = \"1.0\"\n\
         [[packages]]\nname = \"a\"\nversion = \"1\"\ndependencies = [{name = \"b\", version = \"2\"}]\n\
         [[packages]]\nname = \"b\"\nversion = \"1\"\nmarker = \"python_version < '3'\"\n\
         [[packages]]\nname = \"B\"\nversion = \"2\"\n\
         [[packages]]\nname = \"c\"\nversion = \"1\"\nsdist = {path = \"c.tar.gz\", hashes = {sha256 = \"bad\", md5 = \"0123456789abcdef0123456789abcdef\"}}\n");
    let edges: Vec<String> = inv
        .edges()
        .map(|(a, b)| {
            let b = inv.package(b);
            format!(
                "{}->{}@{}",
                inv.package(a).name,
                b.name,
                b.version.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(edges, vec!["a->B@2"]);
    let (_, c) = inv.packages().find(|(_, p)| p.name == "c").expect("c");
    assert_eq!(c.hashes.len(), 1);
    assert_eq!(c.properties["chainproof:python:invalid-hash"], "sha256:bad");
}

#[test]
fn malformed_is_an_error_with_line() {
    for (text, line) in [
        (fixture("empty.toml"), 1),
        ("lock-version = \"2.0\"\n".to_string(), 1),
        (
            "created-by = \"x\"\nlock-version = \"1.0\"\n[[packages]]\nversion = \"1\"\n"
                .to_string(),
            3,
        ),
        (
            "lock-version = \"1.0\"\n[[packages]]\nname = 1\n".to_string(),
            3,
        ),
        ("lock-version = \"1.0\"\n\n[[packages]\n".to_string(), 3),
    ] {
        let r = MemoryResolver::new().with_file("pylock.toml", text.as_str());
        let e = PylockCataloger.catalog(&r, "pylock.toml").expect_err(&text);
        assert_eq!(e.path, "pylock.toml");
        assert_eq!(e.line, Some(line), "{text}: {e}");
    }
}
