//! Golden tests of the Pipfile.lock cataloger on every scalibr / osv-scanner fixture
//! (the osv-scanner v1 `pipenv` fixtures are byte-identical copies of these).

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::python::PipfileLockCataloger;
use chainproof_core::{HashAlgorithm, Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;

const PATH: &str = "app/Pipfile.lock";

fn fixture(name: &str) -> String {
    kit::fixtures!("python/scalibr/pipfilelock").text(name)
}

fn run(text: &str) -> Inventory {
    let r = MemoryResolver::new().with_file(PATH, text);
    PipfileLockCataloger
        .catalog(&r, PATH)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `(purl, scope, hash count)` of every library package.
fn libs(inv: &Inventory) -> BTreeSet<(String, Scope, usize)> {
    inv.packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .map(|(_, p)| {
            let purl = p.purl.as_ref().map(ToString::to_string).unwrap_or_default();
            (purl, p.scope, p.hashes.len())
        })
        .collect()
}

fn set(items: &[(&str, Scope, usize)]) -> BTreeSet<(String, Scope, usize)> {
    items
        .iter()
        .map(|(p, s, n)| (p.to_string(), *s, *n))
        .collect()
}

/// Checks the folder root and that it has an edge to every library, and nothing else does.
fn check_root(inv: &Inventory) {
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(roots.len(), 1);
    let root = inv.package(roots[0]);
    assert_eq!(root.name, "app");
    assert_eq!(root.kind, PackageKind::Project);
    assert!(root.purl.is_none());
    assert_eq!(inv.edges().count(), inv.len() - 1);
    assert!(inv.edges().all(|(from, _)| from == roots[0]));
}

#[test]
fn one_package() {
    let text = fixture("one-package.json");
    let inv = run(&text);
    check_root(&inv);
    assert_eq!(
        libs(&inv),
        set(&[("pkg:pypi/markupsafe@2.1.1", Scope::Runtime, 40)])
    );
    let (_, m) = inv
        .packages()
        .find(|(_, p)| p.name == "markupsafe")
        .expect("markupsafe");
    assert!(
        m.hashes
            .iter()
            .all(|h| h.algorithm == HashAlgorithm::Sha256)
    );
    assert_eq!(
        m.hashes[0].value,
        "0212a68688482dc52b2d45013df70d169f542b7394fc744c02a57374a4207003"
    );
    assert_eq!(
        m.properties["chainproof:python:marker"],
        "python_version >= '3.7'"
    );
    let line = text
        .lines()
        .position(|l| l.contains("\"markupsafe\""))
        .expect("key") as u32
        + 1;
    assert_eq!(m.locations[0].line, Some(line));
}

#[test]
fn one_package_dev() {
    let inv = run(&fixture("one-package-dev.json"));
    check_root(&inv);
    assert_eq!(
        libs(&inv),
        set(&[("pkg:pypi/markupsafe@2.1.1", Scope::Dev, 40)])
    );
}

#[test]
fn two_packages() {
    let inv = run(&fixture("two-packages.json"));
    check_root(&inv);
    assert_eq!(
        libs(&inv),
        set(&[
            ("pkg:pypi/itsdangerous@2.1.2", Scope::Runtime, 2),
            ("pkg:pypi/markupsafe@2.1.1", Scope::Dev, 40),
        ])
    );
    let inv = run(&fixture("two-packages-alt.json"));
    check_root(&inv);
    assert_eq!(
        libs(&inv),
        set(&[
            ("pkg:pypi/itsdangerous@2.1.2", Scope::Runtime, 2),
            ("pkg:pypi/markupsafe@2.1.1", Scope::Runtime, 40),
        ])
    );
}

#[test]
fn multiple_packages_unify_and_keep_both_pluggy_versions() {
    let inv = run(&fixture("multiple-packages.json"));
    check_root(&inv);
    // itsdangerous is in default and develop: one package, runtime.
    assert_eq!(
        libs(&inv),
        set(&[
            ("pkg:pypi/itsdangerous@2.1.2", Scope::Runtime, 2),
            ("pkg:pypi/pluggy@1.0.1", Scope::Runtime, 0),
            ("pkg:pypi/pluggy@1.0.0", Scope::Dev, 2),
            ("pkg:pypi/markupsafe@2.1.1", Scope::Runtime, 40),
        ])
    );
    let (_, i) = inv
        .packages()
        .find(|(_, p)| p.name == "itsdangerous")
        .expect("itsdangerous");
    assert_eq!(i.properties["chainproof:python:index"], "pypi");
    assert_eq!(i.locations.len(), 2, "seen in default and develop");
}

#[test]
fn git_entries_without_version() {
    let inv = run(&fixture("no-version.json"));
    check_root(&inv);
    assert_eq!(
        libs(&inv),
        set(&[
            ("pkg:pypi/markupsafe", Scope::Runtime, 0),
            ("pkg:pypi/itsdangerous", Scope::Dev, 0),
        ])
    );
    let (_, m) = inv
        .packages()
        .find(|(_, p)| p.name == "markupsafe")
        .expect("markupsafe");
    assert_eq!(m.version, None);
    assert_eq!(
        m.source.as_deref(),
        Some("git+https://github.com/pallets/markupsafe@b36054111bc1e8bbadb5d0d60158feb72926f467")
    );
    assert_eq!(m.properties["chainproof:python:editable"], "true");
    assert_eq!(m.properties["chainproof:python:source-type"], "git");
}

#[test]
fn empty_and_minified() {
    let inv = run(&fixture("empty.json"));
    check_root(&inv);
    assert_eq!(inv.len(), 1);
    let inv = run(&fixture("minified.json"));
    check_root(&inv);
    assert_eq!(
        libs(&inv),
        set(&[("pkg:pypi/markupsafe@2.1.1", Scope::Runtime, 1)])
    );
    let (_, m) = inv
        .packages()
        .find(|(_, p)| p.name == "markupsafe")
        .expect("markupsafe");
    assert_eq!(m.locations[0].line, Some(1));
}

#[test]
fn non_exact_versions_are_requirements() {
    let inv = run(
        r#"{"default": {"Flask": {"version": ">=2"}, "a_b": {"version": "==1.0", "path": "./a"}}}"#,
    );
    let (_, f) = inv
        .packages()
        .find(|(_, p)| p.name == "Flask")
        .expect("flask");
    assert_eq!(f.version, None);
    assert_eq!(f.properties["chainproof:python:requirement"], ">=2");
    let (_, a) = inv.packages().find(|(_, p)| p.name == "a_b").expect("a_b");
    assert_eq!(
        a.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:pypi/a-b@1.0")
    );
    assert_eq!(a.source.as_deref(), Some("./a"));
}

#[test]
fn malformed_is_an_error_with_line() {
    let r = MemoryResolver::new().with_file(PATH, fixture("empty-file"));
    let e = PipfileLockCataloger.catalog(&r, PATH).expect_err("empty");
    assert_eq!(e.path, PATH);
    assert_eq!(e.line, Some(1));
    let r = MemoryResolver::new().with_file(PATH, "{\n\"default\": {\n\"a\": {\"version\": 3}}}");
    let e = PipfileLockCataloger
        .catalog(&r, PATH)
        .expect_err("bad type");
    assert_eq!(e.line, Some(3));
    for bad in [
        "[]",
        "{\"default\": []}",
        "{\"default\": {\"a\": {\"hashes\": \"x\"}}}",
        "\u{0}",
    ] {
        let r = MemoryResolver::new().with_file(PATH, bad);
        assert!(PipfileLockCataloger.catalog(&r, PATH).is_err(), "{bad}");
    }
}
