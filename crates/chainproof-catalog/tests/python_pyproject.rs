//! Golden tests of the declared-dependency pyproject.toml cataloger: the scalibr fixtures,
//! PEP 735 groups, Poetry and PDM tables, and the "lockfile beside it" rule.

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::python::PyprojectCataloger;
use chainproof_core::{Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;

const PATH: &str = "svc/pyproject.toml";

fn fixture(name: &str) -> String {
    kit::fixtures!("python/scalibr/pyprojecttoml").text(name)
}

fn run(text: &str) -> Inventory {
    let r = MemoryResolver::new().with_file(PATH, text);
    PyprojectCataloger
        .catalog(&r, PATH)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `(purl, scope, requirement)` of every declared dependency.
fn deps(inv: &Inventory) -> BTreeSet<(String, Scope, String)> {
    inv.packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .map(|(_, p)| {
            let purl = p.purl.as_ref().map(ToString::to_string).unwrap_or_default();
            let req = p
                .properties
                .get("chainproof:python:requirement")
                .cloned()
                .unwrap_or_default();
            (purl, p.scope, req)
        })
        .collect()
}

fn set(items: &[(&str, Scope, &str)]) -> BTreeSet<(String, Scope, String)> {
    items
        .iter()
        .map(|(p, s, r)| (p.to_string(), *s, r.to_string()))
        .collect()
}

/// The single root, with an edge to every other package.
fn root(inv: &Inventory) -> &chainproof_core::Package {
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(roots.len(), 1);
    assert_eq!(inv.edges().count(), inv.len() - 1);
    assert!(inv.edges().all(|(a, _)| a == roots[0]));
    let r = inv.package(roots[0]);
    assert_eq!(r.kind, PackageKind::Project);
    r
}

#[test]
fn simple_deps() {
    let text = fixture("simple_deps.toml");
    let inv = run(&text);
    let r = root(&inv);
    assert_eq!(
        r.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:pypi/my-package@1.0.0")
    );
    assert_eq!(
        deps(&inv),
        set(&[
            ("pkg:pypi/requests@2.32.0", Scope::Runtime, "==2.32.0"),
            ("pkg:pypi/flask", Scope::Runtime, ">=3.0.0"),
            ("pkg:pypi/numpy", Scope::Runtime, "*"),
        ])
    );
    let (_, n) = inv
        .packages()
        .find(|(_, p)| p.name == "numpy")
        .expect("numpy");
    let line = text
        .lines()
        .position(|l| l.contains("\"numpy\""))
        .expect("line") as u32
        + 1;
    assert_eq!(n.locations[0].line, Some(line));
    assert_eq!(n.version, None);
}

#[test]
fn extras_syntax() {
    let inv = run(&fixture("extras_syntax.toml"));
    root(&inv);
    assert_eq!(
        deps(&inv),
        set(&[
            ("pkg:pypi/flask@3.1.1", Scope::Runtime, "==3.1.1"),
            ("pkg:pypi/requests", Scope::Runtime, ">=2.20.0"),
        ])
    );
    let (_, f) = inv
        .packages()
        .find(|(_, p)| p.name == "flask")
        .expect("flask");
    assert_eq!(f.properties["chainproof:python:extras"], "async");
}

#[test]
fn dynamic_deps_and_no_project() {
    let inv = run(&fixture("dynamic_deps.toml"));
    assert_eq!(inv.len(), 1);
    let r = root(&inv);
    assert_eq!(r.properties["chainproof:python:dynamic"], "dependencies");
    assert!(run(&fixture("no_project_table.toml")).is_empty());
}

#[test]
fn malformed_is_an_error_with_line() {
    let r = MemoryResolver::new().with_file(PATH, fixture("malformed.toml"));
    let e = PyprojectCataloger.catalog(&r, PATH).expect_err("malformed");
    assert_eq!(e.path, PATH);
    assert_eq!(e.line, Some(1));
    let r = MemoryResolver::new().with_file(
        PATH,
        "[project]\nname = \"x\"\ndependencies = [\n  \"ok\",\n  \"bad ==\",\n]\n",
    );
    let e = PyprojectCataloger
        .catalog(&r, PATH)
        .expect_err("bad requirement");
    assert_eq!(e.line, Some(5));
}

#[test]
fn groups_extras_poetry_and_pdm() {
    let inv = run(r#"
[project]
name = "svc"
dependencies = ["Django>=4; python_version >= '3.10'", "pkg @ https://example.com/pkg-1.0.tar.gz"]
[project.optional-dependencies]
redis = ["redis[hiredis]~=5.0"]
[dependency-groups]
test = ["pytest==8.0.0", {include-group = "lint"}]
lint = ["ruff"]
[tool.pdm.dev-dependencies]
docs = ["mkdocs>=1", "-e file:///${PROJECT_ROOT}/sub"]
[tool.poetry.dependencies]
python = "^3.10"
httpx = "0.27.0"
attrs = { version = "^23", optional = true }
mylib = { git = "https://github.com/o/mylib.git", rev = "abc123" }
[tool.poetry.group.dev.dependencies]
black = "*"
"#);
    assert_eq!(root(&inv).name, "svc");
    assert_eq!(
        deps(&inv),
        set(&[
            ("pkg:pypi/django", Scope::Runtime, ">=4"),
            ("pkg:pypi/pkg", Scope::Runtime, "*"),
            ("pkg:pypi/redis", Scope::Optional, "~=5.0"),
            ("pkg:pypi/pytest@8.0.0", Scope::Dev, "==8.0.0"),
            ("pkg:pypi/ruff", Scope::Dev, "*"),
            ("pkg:pypi/mkdocs", Scope::Dev, ">=1"),
            ("pkg:pypi/httpx@0.27.0", Scope::Runtime, "0.27.0"),
            ("pkg:pypi/attrs", Scope::Optional, "^23"),
            ("pkg:pypi/mylib", Scope::Runtime, "*"),
            ("pkg:pypi/black", Scope::Dev, "*"),
        ])
    );
    let get = |n: &str| inv.packages().find(|(_, p)| p.name == n).expect(n).1;
    assert_eq!(
        get("Django").properties["chainproof:python:marker"],
        "python_version >= '3.10'"
    );
    assert_eq!(
        get("pkg").source.as_deref(),
        Some("https://example.com/pkg-1.0.tar.gz")
    );
    assert_eq!(get("redis").properties["chainproof:python:groups"], "redis");
    assert_eq!(
        get("mylib").source.as_deref(),
        Some("git+https://github.com/o/mylib.git@abc123")
    );
}

#[test]
fn groups_only_file_gets_a_folder_root() {
    let inv = run("[dependency-groups]\ndev = [\"pytest\"]\n");
    let r = root(&inv);
    assert_eq!(r.name, "svc");
    assert!(r.purl.is_none());
    assert_eq!(deps(&inv), set(&[("pkg:pypi/pytest", Scope::Dev, "*")]));
}

#[test]
fn skipped_when_a_lockfile_is_beside_it() {
    let text = fixture("simple_deps.toml");
    for lock in [
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "Pipfile.lock",
        "pylock.toml",
        "pylock.dev.toml",
    ] {
        let r = MemoryResolver::new()
            .with_file(PATH, text.as_str())
            .with_file(&format!("svc/{lock}"), "");
        let inv = PyprojectCataloger.catalog(&r, PATH).expect("ok");
        assert!(inv.is_empty(), "{lock}");
    }
    // A lockfile elsewhere does not count.
    let r = MemoryResolver::new()
        .with_file(PATH, text.as_str())
        .with_file("uv.lock", "");
    assert_eq!(PyprojectCataloger.catalog(&r, PATH).expect("ok").len(), 4);
}
