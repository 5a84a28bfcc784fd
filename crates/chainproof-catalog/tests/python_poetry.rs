//! Golden tests of the poetry.lock cataloger on every scalibr / osv-scanner fixture, the
//! pyproject.toml root, scope computation, and malformed input.

use chainproof_catalog::Cataloger;
use chainproof_catalog::python::PoetryLockCataloger;
use chainproof_core::{HashAlgorithm, Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::{id, pkg, rows as s};

mod common;

fn fixture(name: &str) -> Vec<u8> {
    common::fixture(&format!("python/scalibr/poetrylock/{name}"))
}

fn run(r: &MemoryResolver, path: &str) -> Inventory {
    common::run(&PoetryLockCataloger, r, path)
}

fn lock(name: &str) -> Inventory {
    run(
        &MemoryResolver::new().with_file("poetry.lock", fixture(name)),
        "poetry.lock",
    )
}

/// `(name@version, scope, line)` of every package.
fn summary(inv: &Inventory) -> Vec<(String, Scope, u32)> {
    kit::inv::summary(inv, kit::inv::id)
}

fn edges(inv: &Inventory) -> Vec<String> {
    kit::inv::edge_lines(inv, kit::inv::id)
}

#[test]
fn every_fixture_is_covered() {
    assert_eq!(
        kit::fixtures!("python/scalibr/poetrylock").list(),
        vec![
            "empty-file.lock",
            "empty.lock",
            "multiple-packages.v2.lock",
            "names-outside-package-block.lock",
            "one-package-with-metadata.lock",
            "one-package.lock",
            "optional-package.lock",
            "source-git.lock",
            "source-legacy.lock",
            "two-packages.lock",
        ],
        "a new fixture needs a golden test below"
    );
}

#[test]
fn golden_empty() {
    for f in ["empty-file.lock", "empty.lock"] {
        let inv = lock(f);
        assert!(inv.is_empty(), "{f}");
        assert!(inv.unparsed().is_empty());
    }
}

#[test]
fn golden_v1_simple() {
    let inv = lock("one-package.lock");
    assert_eq!(summary(&inv), s(&[("numpy@1.23.3", Scope::Runtime, 2)]));
    let numpy = pkg(&inv, "pkg:pypi/numpy@1.23.3");
    assert_eq!(numpy.properties["chainproof:python:category"], "main");
    assert!(numpy.hashes.is_empty());
    assert_eq!(numpy.locations[0].to_string(), "poetry.lock:2");

    let inv = lock("optional-package.lock");
    assert_eq!(summary(&inv), s(&[("numpy@1.23.3", Scope::Optional, 2)]));

    let inv = lock("one-package-with-metadata.lock");
    assert_eq!(summary(&inv), s(&[("emoji@2.0.0", Scope::Runtime, 2)]));
    let emoji = pkg(&inv, "pkg:pypi/emoji@2.0.0");
    assert_eq!(emoji.hashes.len(), 1);
    assert_eq!(emoji.hashes[0].algorithm, HashAlgorithm::Sha256);
    assert_eq!(
        emoji.hashes[0].value,
        "297fac7ec9e86f7b602792c28eb6f04819ba67ab88a34c56afcde52243a9a105"
    );

    let inv = lock("two-packages.lock");
    assert_eq!(
        summary(&inv),
        s(&[
            ("proto-plus@1.22.0", Scope::Runtime, 2),
            ("protobuf@4.21.5", Scope::Runtime, 16),
        ])
    );
    assert_eq!(edges(&inv), vec!["proto-plus@1.22.0 -> protobuf@4.21.5"]);
    assert_eq!(inv.roots().count(), 0, "no pyproject.toml: no root");

    let inv = lock("names-outside-package-block.lock");
    assert_eq!(
        summary(&inv),
        s(&[
            ("first-pkg@1.0.0", Scope::Runtime, 5),
            ("second-pkg@2.0.0", Scope::Runtime, 18),
        ])
    );
}

#[test]
fn golden_sources() {
    let inv = lock("source-git.lock");
    let ike = pkg(&inv, "pkg:pypi/ike@0.2.0");
    assert_eq!(
        ike.source.as_deref(),
        Some("git+https://github.com/dzshn/ike@cd66602cd29f61a2d2e7fb995fef1e61708c034d")
    );
    assert_eq!(ike.properties["chainproof:python:source-type"], "git");
    assert_eq!(inv.len(), 1);

    let inv = lock("source-legacy.lock");
    let appdirs = pkg(&inv, "pkg:pypi/appdirs@1.4.4");
    assert_eq!(
        appdirs.source.as_deref(),
        Some("https://piwheels.org/simple")
    );
    assert_eq!(
        appdirs.properties["chainproof:python:source-type"],
        "legacy"
    );
    assert_eq!(inv.len(), 1);
}

#[test]
fn golden_v2_groups_optional_and_duplicates() {
    let inv = lock("multiple-packages.v2.lock");
    assert_eq!(
        summary(&inv),
        s(&[
            ("async-timeout@5.0.1", Scope::Optional, 4),
            ("factory-boy@3.3.1", Scope::Dev, 17),
            ("faker@33.3.0", Scope::Dev, 36),
            ("proto-plus@1.22.0", Scope::Runtime, 52),
            ("proto-plus@1.23.0", Scope::Runtime, 71),
            ("protobuf@4.25.5", Scope::Runtime, 90),
            ("python-dateutil@2.9.0.post0", Scope::Dev, 111),
            ("redis@5.2.1", Scope::Optional, 126),
            ("six@1.17.0", Scope::Runtime, 146),
            ("typing-extensions@4.12.2", Scope::Dev, 158),
            ("urllib3@2.3.0", Scope::Dev, 170),
        ])
    );
    assert_eq!(
        edges(&inv),
        vec![
            // `Faker` in [package.dependencies] resolves to `faker` by normalized name
            "factory-boy@3.3.1 -> faker@33.3.0",
            "faker@33.3.0 -> python-dateutil@2.9.0.post0",
            "faker@33.3.0 -> typing-extensions@4.12.2",
            "proto-plus@1.22.0 -> protobuf@4.25.5",
            "proto-plus@1.23.0 -> protobuf@4.25.5",
            "python-dateutil@2.9.0.post0 -> six@1.17.0",
            "redis@5.2.1 -> async-timeout@5.0.1",
        ]
    );
    let protobuf = pkg(&inv, "pkg:pypi/protobuf@4.25.5");
    assert_eq!(protobuf.hashes.len(), 11);
    assert!(
        protobuf
            .hashes
            .iter()
            .any(|h| h.value == "7f8249476b4a9473645db7f8ab42b02fe1488cbe5fb72fddd445e0665afd8584")
    );
    let redis = pkg(&inv, "pkg:pypi/redis@5.2.1");
    assert_eq!(
        redis.properties["chainproof:python:marker"],
        "extra == \"caching\""
    );
    assert_eq!(redis.properties["chainproof:python:groups"], "main");
    assert_eq!(
        pkg(&inv, "pkg:pypi/six@1.17.0").properties["chainproof:python:groups"],
        "main,dev,test"
    );
}

#[test]
fn pyproject_gives_the_root_project() {
    let pyproject = r#"
[project]
name = "My_App"
version = "0.3.0"
dependencies = ["proto-plus>=1.22", "redis[hiredis]>=5 ; extra == 'caching'"]

[dependency-groups]
dev = ["factory_boy"]
"#;
    let r = MemoryResolver::new()
        .with_file("svc/poetry.lock", fixture("multiple-packages.v2.lock"))
        .with_file("svc/pyproject.toml", pyproject);
    let inv = run(&r, "svc/poetry.lock");
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(roots.len(), 1);
    let root = inv.package(roots[0]);
    assert_eq!(root.name, "My_App");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(
        root.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:pypi/my-app@0.3.0")
    );
    assert_eq!(root.locations[0].to_string(), "svc/pyproject.toml:3");
    let direct: Vec<String> = inv
        .dependencies_of(roots[0])
        .map(|d| id(inv.package(d)))
        .collect();
    assert_eq!(
        direct,
        vec![
            "factory-boy@3.3.1",
            "proto-plus@1.22.0",
            "proto-plus@1.23.0",
            "redis@5.2.1"
        ]
    );
    // the lock's own scopes are kept (it records groups)
    assert_eq!(pkg(&inv, "pkg:pypi/factory-boy@3.3.1").scope, Scope::Dev);
    assert_eq!(pkg(&inv, "pkg:pypi/redis@5.2.1").scope, Scope::Optional);
    assert_eq!(inv.len(), 12);
}

/// Lock 2.0 has neither `category` nor `groups`: scopes come from the pyproject's groups,
/// propagated along the lock's edges.
#[test]
fn lock_2_0_scopes_by_reachability_from_tool_poetry() {
    let lock = r#"
[[package]]
name = "requests"
version = "2.31.0"
optional = false
python-versions = ">=3.7"
files = [{file = "requests-2.31.0.tar.gz", hash = "sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1"}]

[package.dependencies]
urllib3 = [
    {version = ">=1.21", markers = "python_version < \"3.10\""},
    {version = ">=2", markers = "python_version >= \"3.10\""},
]
certifi = ">=2017"

[[package]]
name = "urllib3"
version = "2.0.7"
optional = false
python-versions = ">=3.7"
files = []

[[package]]
name = "certifi"
version = "2023.7.22"
optional = false
python-versions = ">=3.6"
files = []

[[package]]
name = "pytest"
version = "7.4.0"
optional = false
python-versions = ">=3.7"
files = []

[package.dependencies]
certifi = "*"
iniconfig = "*"

[[package]]
name = "iniconfig"
version = "2.0.0"
optional = false
python-versions = ">=3.7"
files = []

[[package]]
name = "orphan"
version = "1.0"
optional = false
python-versions = "*"
files = []

[metadata]
lock-version = "2.0"
python-versions = "^3.9"
content-hash = "00"
"#;
    let pyproject = r#"
[tool.poetry]
name = "svc"
version = "1.0.0"

[tool.poetry.dependencies]
python = "^3.9"
requests = "^2.31"

[tool.poetry.group.test.dependencies]
pytest = "^7"
"#;
    let r = MemoryResolver::new()
        .with_file("poetry.lock", lock)
        .with_file("pyproject.toml", pyproject);
    let inv = run(&r, "poetry.lock");
    let scopes: Vec<(String, Scope)> = inv.packages().map(|(_, p)| (id(p), p.scope)).collect();
    assert_eq!(
        scopes,
        vec![
            ("requests@2.31.0".to_string(), Scope::Runtime),
            ("urllib3@2.0.7".to_string(), Scope::Runtime),
            // reached both from requests (runtime) and pytest (dev): runtime wins
            ("certifi@2023.7.22".to_string(), Scope::Runtime),
            ("pytest@7.4.0".to_string(), Scope::Dev),
            ("iniconfig@2.0.0".to_string(), Scope::Dev),
            ("orphan@1.0".to_string(), Scope::Runtime),
            ("svc@1.0.0".to_string(), Scope::Runtime),
        ]
    );
    assert_eq!(
        edges(&inv),
        vec![
            "pytest@7.4.0 -> certifi@2023.7.22",
            "pytest@7.4.0 -> iniconfig@2.0.0",
            "requests@2.31.0 -> certifi@2023.7.22",
            "requests@2.31.0 -> urllib3@2.0.7",
            "svc@1.0.0 -> pytest@7.4.0",
            "svc@1.0.0 -> requests@2.31.0",
        ]
    );
    assert_eq!(pkg(&inv, "pkg:pypi/requests@2.31.0").hashes.len(), 1);
}

#[test]
fn malformed_lock_is_an_error_with_a_line() {
    let r = MemoryResolver::new().with_file(
        "poetry.lock",
        "[[package]]\nname = \"a\"\nversion = \"1\"\n\n[[package]\nname = \"b\"\n",
    );
    let err = PoetryLockCataloger
        .catalog(&r, "poetry.lock")
        .expect_err("bad TOML");
    assert_eq!(err.path, "poetry.lock");
    assert_eq!(err.line, Some(5));

    // a type error also names the line
    let r = MemoryResolver::new().with_file(
        "poetry.lock",
        "[[package]]\nname = \"a\"\nversion = \"1\"\n\n[[package]]\nname = \"b\"\nversion = 2\n",
    );
    let err = PoetryLockCataloger
        .catalog(&r, "poetry.lock")
        .expect_err("bad type");
    assert_eq!(err.line, Some(7), "{err}");

    // a package without a name
    let r = MemoryResolver::new().with_file("poetry.lock", "[[package]]\nversion = \"1\"\n");
    let err = PoetryLockCataloger
        .catalog(&r, "poetry.lock")
        .expect_err("no name");
    assert!(err.to_string().contains("name"), "{err}");
}

#[test]
fn malformed_pyproject_is_reported_and_the_lock_still_read() {
    let r = MemoryResolver::new()
        .with_file("poetry.lock", fixture("two-packages.lock"))
        .with_file("pyproject.toml", "[project\nname = 1\n");
    let inv = run(&r, "poetry.lock");
    assert_eq!(inv.len(), 2);
    assert_eq!(inv.roots().count(), 0);
    assert_eq!(inv.unparsed().len(), 1);
    let u = &inv.unparsed()[0];
    assert_eq!(u.location.to_string(), "pyproject.toml:1");
    assert_eq!(u.cataloger, "python-poetry-lock");
}

#[test]
fn matches_only_poetry_lock() {
    let c = PoetryLockCataloger;
    assert!(c.matches("poetry.lock"));
    assert!(c.matches("a/b/poetry.lock"));
    assert!(!c.matches("poetry.lock.bak"));
    assert!(!c.matches("uv.lock"));
}
