//! Golden tests of the uv.lock cataloger on every scalibr fixture, workspace / extras /
//! dev-group scoping, malformed input, and (corpus tier) astral-sh/uv's own uv.lock.

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::python::UvLockCataloger;
use chainproof_core::{HashAlgorithm, Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::{id, pkg, rows as s};

mod common;

fn fixture(name: &str) -> Vec<u8> {
    common::fixture(&format!("python/scalibr/uvlock/{name}"))
}

fn run_text(text: impl Into<Vec<u8>>) -> Inventory {
    kit::catalog::run_bytes(&UvLockCataloger, "uv.lock", text)
}

fn summary(inv: &Inventory) -> Vec<(String, Scope, u32)> {
    kit::inv::summary(inv, kit::inv::id)
}

fn edges(inv: &Inventory) -> Vec<String> {
    kit::inv::edge_lines(inv, kit::inv::id)
}

fn roots(inv: &Inventory) -> Vec<String> {
    kit::inv::roots_by(inv, kit::inv::id)
}

#[test]
fn every_fixture_is_covered() {
    assert_eq!(
        kit::fixtures!("python/scalibr/uvlock").list(),
        vec![
            "empty.lock",
            "grouped-packages.lock",
            "names-outside-package-block.lock",
            "no-dependencies.lock",
            "one-package.lock",
            "source-git.lock",
            "two-packages.lock",
        ],
        "a new fixture needs a golden test below"
    );
}

#[test]
fn golden_small_locks() {
    assert!(run_text(fixture("empty.lock")).is_empty());

    let inv = run_text(fixture("no-dependencies.lock"));
    assert_eq!(
        summary(&inv),
        s(&[("uv-lockfiles@0.1.0", Scope::Runtime, 5)])
    );
    assert_eq!(roots(&inv), vec!["uv-lockfiles@0.1.0"]);
    let root = pkg(&inv, "pkg:pypi/uv-lockfiles@0.1.0");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(root.properties["chainproof:python:source-type"], "virtual");

    let inv = run_text(fixture("one-package.lock"));
    assert_eq!(
        summary(&inv),
        s(&[
            ("emoji@2.14.0", Scope::Runtime, 5),
            ("uv-lockfiles@0.1.0", Scope::Runtime, 14)
        ])
    );
    assert_eq!(edges(&inv), vec!["uv-lockfiles@0.1.0 -> emoji@2.14.0"]);
    let emoji = pkg(&inv, "pkg:pypi/emoji@2.14.0");
    assert_eq!(emoji.kind, PackageKind::Library);
    assert_eq!(emoji.source.as_deref(), Some("https://pypi.org/simple"));
    let hashes: Vec<(HashAlgorithm, &str)> = emoji
        .hashes
        .iter()
        .map(|h| (h.algorithm, h.value.as_str()))
        .collect();
    assert_eq!(
        hashes,
        vec![
            (
                HashAlgorithm::Sha256,
                "f68ac28915a2221667cddb3e6c589303c3c6954c6c5af6fefaec7f9bdf72fdca"
            ),
            (
                HashAlgorithm::Sha256,
                "fcc936bf374b1aec67dda5303ae99710ba88cc9cdce2d1a71c5f2204e6d78799"
            ),
        ]
    );

    let inv = run_text(fixture("two-packages.lock"));
    assert_eq!(
        summary(&inv),
        s(&[
            ("emoji@2.14.0", Scope::Runtime, 5),
            ("protobuf@4.25.5", Scope::Runtime, 14),
            ("uv-lockfiles@0.1.0", Scope::Runtime, 28),
        ])
    );
    assert_eq!(
        edges(&inv),
        vec![
            "uv-lockfiles@0.1.0 -> emoji@2.14.0",
            "uv-lockfiles@0.1.0 -> protobuf@4.25.5"
        ]
    );
    assert_eq!(pkg(&inv, "pkg:pypi/protobuf@4.25.5").hashes.len(), 7);

    let inv = run_text(fixture("source-git.lock"));
    let ruff = pkg(&inv, "pkg:pypi/ruff@0.8.1");
    assert_eq!(
        ruff.source.as_deref(),
        Some("git+https://github.com/astral-sh/ruff#84748be16341b76e073d117329f7f5f4ee2941ad")
    );
    assert_eq!(ruff.properties["chainproof:python:source-type"], "git");
    assert_eq!(edges(&inv), vec!["uv-lockfiles@0.1.0 -> ruff@0.8.1"]);

    let inv = run_text(fixture("names-outside-package-block.lock"));
    assert_eq!(
        summary(&inv),
        s(&[
            ("first-pkg@1.0.0", Scope::Runtime, 5),
            ("second-pkg@2.0.0", Scope::Runtime, 18)
        ])
    );
    assert!(roots(&inv).is_empty());
}

#[test]
fn golden_grouped_packages() {
    let inv = run_text(fixture("grouped-packages.lock"));
    // `dev`/`test`/`cli` here are *extras* (optional-dependencies), hence optional.
    assert_eq!(
        summary(&inv),
        s(&[
            ("black@24.10.0", Scope::Optional, 5),
            ("click@8.1.7", Scope::Optional, 39),
            ("colorama@0.4.6", Scope::Optional, 51),
            ("emoji@2.14.0", Scope::Runtime, 60),
            ("flake8@7.1.1", Scope::Optional, 69),
            ("mccabe@0.7.0", Scope::Optional, 83),
            ("mypy-extensions@1.0.0", Scope::Optional, 92),
            ("packaging@24.2", Scope::Optional, 101),
            ("pathspec@0.12.1", Scope::Optional, 110),
            ("platformdirs@4.3.6", Scope::Optional, 119),
            ("pycodestyle@2.12.1", Scope::Optional, 128),
            ("pyflakes@3.2.0", Scope::Optional, 137),
            ("tomli@2.2.1", Scope::Optional, 146),
            ("typing-extensions@4.12.2", Scope::Optional, 185),
            ("uv-lockfiles@0.1.0", Scope::Runtime, 194),
        ])
    );
    assert_eq!(
        edges(&inv),
        vec![
            "black@24.10.0 -> click@8.1.7",
            "black@24.10.0 -> mypy-extensions@1.0.0",
            "black@24.10.0 -> packaging@24.2",
            "black@24.10.0 -> pathspec@0.12.1",
            "black@24.10.0 -> platformdirs@4.3.6",
            "black@24.10.0 -> tomli@2.2.1",
            "black@24.10.0 -> typing-extensions@4.12.2",
            "click@8.1.7 -> colorama@0.4.6",
            "flake8@7.1.1 -> mccabe@0.7.0",
            "flake8@7.1.1 -> pycodestyle@2.12.1",
            "flake8@7.1.1 -> pyflakes@3.2.0",
            "uv-lockfiles@0.1.0 -> black@24.10.0",
            "uv-lockfiles@0.1.0 -> click@8.1.7",
            "uv-lockfiles@0.1.0 -> emoji@2.14.0",
            "uv-lockfiles@0.1.0 -> flake8@7.1.1",
        ]
    );
    assert_eq!(roots(&inv), vec!["uv-lockfiles@0.1.0"]);
    // sdist + 16 wheels for black, sdist + 31 wheels for tomli
    assert_eq!(pkg(&inv, "pkg:pypi/black@24.10.0").hashes.len(), 18);
    assert_eq!(pkg(&inv, "pkg:pypi/tomli@2.2.1").hashes.len(), 32);
}

const WORKSPACE: &str = r#"
version = 1
revision = 2
requires-python = ">=3.9"

[manifest]
members = ["app", "Lib_Core"]

[[package]]
name = "app"
version = "1.0.0"
source = { editable = "." }
dependencies = [
    { name = "lib-core" },
    { name = "web", extra = ["fast"] },
    { name = "attrs", version = "23.1.0", source = { registry = "https://pypi.org/simple" }, marker = "python_version < '3.10'" },
    { name = "attrs", version = "24.2.0", source = { registry = "https://pypi.org/simple" }, marker = "python_version >= '3.10'" },
]

[package.optional-dependencies]
docs = [{ name = "sphinx" }]

[package.dev-dependencies]
test = [{ name = "pytest" }, { name = "web", extra = ["fast"] }]

[[package]]
name = "lib-core"
version = "0.1.0"
source = { editable = "packages/core" }

[[package]]
name = "web"
version = "2.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://x/web-2.0.tar.gz", hash = "sha256:0000000000000000000000000000000000000000000000000000000000000001" }

[package.optional-dependencies]
fast = [{ name = "speedups" }]
slow = [{ name = "snail" }]

[[package]]
name = "speedups"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "snail"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "attrs"
version = "23.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "attrs"
version = "24.2.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "sphinx"
version = "7.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "attrs", version = "24.2.0", source = { registry = "https://pypi.org/simple" } }]

[[package]]
name = "pytest"
version = "8.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "pluggy" }]

[[package]]
name = "pluggy"
version = "1.5"
source = { url = "https://example.com/pluggy-1.5.tar.gz" }
wheels = [{ url = "https://example.com/pluggy-1.5-py3-none-any.whl", hash = "sha256:bad" }]
"#;

#[test]
fn workspace_extras_dev_groups_and_duplicates() {
    let inv = run_text(WORKSPACE);
    assert_eq!(roots(&inv), vec!["app@1.0.0", "lib-core@0.1.0"]);
    let scopes: Vec<(String, Scope)> = inv.packages().map(|(_, p)| (id(p), p.scope)).collect();
    assert_eq!(
        scopes,
        vec![
            ("app@1.0.0".to_string(), Scope::Runtime),
            ("lib-core@0.1.0".to_string(), Scope::Runtime),
            ("web@2.0".to_string(), Scope::Runtime),
            // requested as `web[fast]` by a runtime dependency
            ("speedups@1.0".to_string(), Scope::Runtime),
            // an extra nobody requests
            ("snail@1.0".to_string(), Scope::Optional),
            ("attrs@23.1.0".to_string(), Scope::Runtime),
            ("attrs@24.2.0".to_string(), Scope::Runtime),
            ("sphinx@7.0".to_string(), Scope::Optional),
            ("pytest@8.0".to_string(), Scope::Dev),
            ("pluggy@1.5".to_string(), Scope::Dev),
        ]
    );
    assert_eq!(
        edges(&inv),
        vec![
            "app@1.0.0 -> attrs@23.1.0",
            "app@1.0.0 -> attrs@24.2.0",
            "app@1.0.0 -> lib-core@0.1.0",
            "app@1.0.0 -> pytest@8.0",
            "app@1.0.0 -> sphinx@7.0",
            "app@1.0.0 -> web@2.0",
            "pytest@8.0 -> pluggy@1.5",
            // version + source pick one of the two attrs
            "sphinx@7.0 -> attrs@24.2.0",
            "web@2.0 -> snail@1.0",
            "web@2.0 -> speedups@1.0",
        ]
    );
    let core = pkg(&inv, "pkg:pypi/lib-core@0.1.0");
    assert_eq!(core.kind, PackageKind::Project);
    assert_eq!(core.source.as_deref(), Some("packages/core"));
    assert_eq!(core.properties["chainproof:python:editable"], "true");
    let pluggy = pkg(&inv, "pkg:pypi/pluggy@1.5");
    assert_eq!(
        pluggy.source.as_deref(),
        Some("https://example.com/pluggy-1.5.tar.gz")
    );
    assert_eq!(
        pluggy.properties["chainproof:python:invalid-hash"],
        "sha256:bad"
    );
    assert_eq!(pkg(&inv, "pkg:pypi/web@2.0").hashes.len(), 1);
}

#[test]
fn dev_only_reachability_is_dev() {
    let lock = r#"
version = 1
[[package]]
name = "proj"
version = "0.1"
source = { virtual = "." }
dependencies = [{ name = "a" }]
[package.dev-dependencies]
dev = [{ name = "b" }]
[[package]]
name = "a"
version = "1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "shared" }]
[[package]]
name = "b"
version = "1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "shared" }, { name = "devonly" }]
[[package]]
name = "shared"
version = "1"
source = { registry = "https://pypi.org/simple" }
[[package]]
name = "devonly"
version = "1"
source = { registry = "https://pypi.org/simple" }
"#;
    let inv = run_text(lock);
    let scopes: Vec<(String, Scope)> = inv.packages().map(|(_, p)| (id(p), p.scope)).collect();
    assert_eq!(
        scopes,
        vec![
            ("proj@0.1".to_string(), Scope::Runtime),
            ("a@1".to_string(), Scope::Runtime),
            ("b@1".to_string(), Scope::Dev),
            ("shared@1".to_string(), Scope::Runtime),
            ("devonly@1".to_string(), Scope::Dev),
        ]
    );
}

#[test]
fn malformed_is_an_error_with_a_line() {
    let r = MemoryResolver::new().with_file(
        "uv.lock",
        "version = 1\n\n[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [{ name = }]\n",
    );
    let err = UvLockCataloger
        .catalog(&r, "uv.lock")
        .expect_err("bad TOML");
    assert_eq!(err.path, "uv.lock");
    assert_eq!(err.line, Some(6), "{err}");

    let r = MemoryResolver::new().with_file(
        "uv.lock",
        "version = 1\n[[package]]\nname = \"a\"\ndependencies = \"nope\"\n",
    );
    let err = UvLockCataloger
        .catalog(&r, "uv.lock")
        .expect_err("bad type");
    assert_eq!(err.line, Some(4), "{err}");
    assert!(UvLockCataloger.matches("x/uv.lock"));
    assert!(!UvLockCataloger.matches("x/uv.lock.json"));
}

#[test]
fn corpus_realworld_uv_lock() {
    let Some(text) = kit::corpus::read_to_string("realworld/uv/uv.lock") else {
        return;
    };
    // Independent count with the generic TOML value model.
    let doc: toml::Value = toml::from_str(&text).expect("valid TOML");
    let packages = doc["package"].as_array().expect("[[package]]");
    let distinct: BTreeSet<(String, String)> = packages
        .iter()
        .map(|p| {
            (
                p["name"].as_str().expect("name").to_string(),
                p.get("version")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    // Expected edges: every dependency entry of every section, by (name, version if given).
    let mut expected_edges: BTreeSet<(String, String, String)> = BTreeSet::new();
    for p in packages {
        let from = p["name"].as_str().expect("name").to_string();
        let mut lists: Vec<&toml::Value> = Vec::new();
        lists.extend(p.get("dependencies"));
        for key in ["optional-dependencies", "dev-dependencies"] {
            if let Some(t) = p.get(key).and_then(|v| v.as_table()) {
                lists.extend(t.values());
            }
        }
        for d in lists.iter().filter_map(|l| l.as_array()).flatten() {
            let name = d["name"].as_str().expect("dep name").to_string();
            let version = d.get("version").and_then(|v| v.as_str()).map_or_else(
                || {
                    let vs: Vec<&str> = packages
                        .iter()
                        .filter(|q| q["name"].as_str() == Some(name.as_str()))
                        .filter_map(|q| q.get("version").and_then(|v| v.as_str()))
                        .collect();
                    assert_eq!(vs.len(), 1, "{name} is unambiguous");
                    vs[0].to_string()
                },
                str::to_string,
            );
            expected_edges.insert((from.clone(), name, version));
        }
    }

    let inv = run_text(text.clone());
    assert_eq!(
        packages.len(),
        89,
        "corpus snapshot has 89 [[package]] tables"
    );
    assert_eq!(inv.len(), distinct.len());
    assert_eq!(inv.len(), packages.len());
    assert_eq!(inv.edges().count(), expected_edges.len());
    for (a, b) in inv.edges() {
        let (a, b) = (inv.package(a), inv.package(b));
        let key = (
            a.name.clone(),
            b.name.clone(),
            b.version.clone().unwrap_or_default(),
        );
        assert!(expected_edges.contains(&key), "unexpected edge {key:?}");
    }

    assert_eq!(roots(&inv), vec!["uv@0.12.5"]);
    let root = pkg(&inv, "pkg:pypi/uv@0.12.5");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(root.source.as_deref(), Some("."));
    // uv's own project has no runtime dependencies, only dev groups: everything else is dev.
    for (_, p) in inv.packages() {
        if p.kind != PackageKind::Project {
            assert_eq!(p.scope, Scope::Dev, "{}", id(p));
        }
    }
    // the two fastjsonschema versions each get their own edge from validate-pyproject
    let vp = inv
        .find("pkg:pypi/validate-pyproject@0.25")
        .expect("validate-pyproject");
    let deps: Vec<String> = inv
        .dependencies_of(vp)
        .map(|d| id(inv.package(d)))
        .collect();
    assert!(
        deps.contains(&"fastjsonschema@2.21.2".to_string()),
        "{deps:?}"
    );
    assert!(
        deps.contains(&"fastjsonschema@2.22.1".to_string()),
        "{deps:?}"
    );
    // every registry package carries sha256 hashes and a line
    for (_, p) in inv.packages() {
        assert!(p.locations[0].line.is_some());
        if p.source.as_deref() == Some("https://pypi.org/simple") {
            assert!(!p.hashes.is_empty(), "{} has hashes", id(p));
        }
    }
    let annotated = pkg(&inv, "pkg:pypi/annotated-doc@0.0.4");
    assert_eq!(annotated.locations[0].line, Some(16));
    assert_eq!(
        annotated.hashes[0].value,
        "fbcda96e87e9c92ad167c2e53839e57503ecfda18804ea28102353485033faa4"
    );
}
