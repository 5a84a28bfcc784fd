//! Golden tests of the npm package-lock cataloger on copied upstream fixtures
//! (`tests/fixtures/npm`, see SOURCES.md there), plus an independent package count.

use chainproof_testkit as kit;
use kit::inv::{pairs, scopes as set};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chainproof_catalog::{CatalogError, Cataloger, npm::PackageLockCataloger};
use chainproof_core::{HashAlgorithm, Inventory, License, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use serde_json::Value;

const LOCK: &str = "app/package-lock.json";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/npm")
}

/// Catalogs a fixture placed at `app/package-lock.json` (with its sibling `package.json`
/// when the fixture has one).
fn load_path(file: &Path) -> Result<Inventory, CatalogError> {
    let data = std::fs::read(file).expect("fixture readable");
    let mut r = MemoryResolver::new().with_file(LOCK, data);
    let pj = file.with_file_name("package.json");
    if file.file_name().is_some_and(|n| n == "package-lock.json") && pj.exists() {
        r = r.with_file("app/package.json", std::fs::read(pj).expect("package.json"));
    }
    PackageLockCataloger.catalog(&r, LOCK)
}

fn load(rel: &str) -> Inventory {
    load_path(&fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn load_bytes(data: &[u8]) -> Result<Inventory, CatalogError> {
    PackageLockCataloger.catalog(&MemoryResolver::new().with_file(LOCK, data), LOCK)
}

/// `name@version` → scope, for every non-project package.
fn libs(inv: &Inventory) -> BTreeMap<String, Scope> {
    kit::inv::lib_scopes(inv, kit::inv::id)
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::edges_by(inv, kit::inv::id)
}

fn find<'a>(inv: &'a Inventory, name_at_version: &str) -> &'a chainproof_core::Package {
    kit::inv::find_by(inv, kit::inv::id, name_at_version)
}

fn roots(inv: &Inventory) -> Vec<String> {
    kit::inv::roots_by(inv, kit::inv::id)
}

use Scope::{Dev, Optional, Runtime};

#[test]
fn name_and_matches() {
    let c = PackageLockCataloger;
    assert_eq!(c.name(), "npm-package-lock");
    assert!(c.matches("package-lock.json"));
    assert!(c.matches("a/b/npm-shrinkwrap.json"));
    assert!(!c.matches("a/node_modules/.package-lock.json"));
    assert!(!c.matches("package.json"));
    assert!(!c.matches("yarn.lock"));
}

#[test]
fn v2_one_package() {
    let inv = load("scalibr/one-package.v2.json");
    assert_eq!(libs(&inv), set(&[("wrappy@1.0.2", Runtime)]));
    assert_eq!(roots(&inv), vec!["my-library@"]);
    let root = find(&inv, "my-library@");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(edges(&inv), pairs(&[("my-library@", "wrappy@1.0.2")]));
    let w = find(&inv, "wrappy@1.0.2");
    assert_eq!(
        w.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:npm/wrappy@1.0.2")
    );
    assert_eq!(w.locations[0].path, LOCK);
    assert_eq!(w.locations[0].line, Some(10));
    assert_eq!(
        w.source.as_deref(),
        Some("https://registry.npmjs.org/wrappy/-/wrappy-1.0.2.tgz")
    );
    assert_eq!(w.hashes[0].algorithm, HashAlgorithm::Sha1);
    assert_eq!(
        w.hashes[0].value,
        "b5243d8f3ec1aa35f1364605bc0d1036e30ab69f"
    );
}

#[test]
fn v2_nested_dependencies_resolve_innermost_first() {
    let inv = load("scalibr/nested-dependencies.v2.json");
    assert_eq!(
        libs(&inv),
        set(&[
            ("postcss@6.0.23", Runtime),
            ("postcss-calc@7.0.1", Runtime),
            ("postcss@7.0.16", Runtime),
            ("supports-color@6.1.0", Runtime),
            ("supports-color@5.5.0", Runtime),
        ])
    );
    // postcss-calc uses its own nested postcss, which uses the supports-color next to it;
    // the top-level postcss uses the top-level supports-color. Everything else is absent
    // from this trimmed fixture.
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("postcss-calc@7.0.1", "postcss@7.0.16"),
            ("postcss@7.0.16", "supports-color@6.1.0"),
            ("postcss@6.0.23", "supports-color@5.5.0"),
        ])
    );
    assert_eq!(
        find(&inv, "supports-color@6.1.0").locations[0].line,
        Some(47)
    );
    assert_eq!(
        find(&inv, "postcss-calc@7.0.1")
            .properties
            .get("chainproof:npm:unresolved")
            .map(String::as_str),
        Some("css-unit-converter,postcss-selector-parser,postcss-value-parser")
    );
}

#[test]
fn v2_optional_and_dev_optional() {
    let inv = load("scalibr/optional-package.v2.json");
    // devOptional is reported as optional (see the module docs).
    assert_eq!(
        libs(&inv),
        set(&[
            ("wrappy@1.0.2", Optional),
            ("supports-color@5.5.0", Optional)
        ])
    );
    assert_eq!(find(&inv, "wrappy@1.0.2").locations[0].line, Some(10));
    // The root's devDependency is resolved; supports-color is not declared by anyone.
    assert_eq!(edges(&inv), pairs(&[("my-library@", "wrappy@1.0.2")]));
}

#[test]
fn v2_aliases_use_the_real_name() {
    let inv = load("scalibr/alias.v2.json");
    assert_eq!(
        libs(&inv),
        set(&[
            ("@babel/code-frame@7.0.0", Runtime),
            ("string-width@5.1.2", Runtime),
            ("string-width@4.2.0", Runtime),
        ])
    );
    let cjs = find(&inv, "string-width@4.2.0");
    assert_eq!(
        cjs.properties
            .get("chainproof:npm:alias")
            .map(String::as_str),
        Some("string-width-cjs")
    );
    let bcf = find(&inv, "@babel/code-frame@7.0.0");
    assert_eq!(
        bcf.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:npm/%40babel/code-frame@7.0.0")
    );
    // The root requires the alias names; the edges reach the real packages.
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("my-library@", "@babel/code-frame@7.0.0"),
            ("my-library@", "string-width@5.1.2"),
            ("my-library@", "string-width@4.2.0"),
        ])
    );
}

#[test]
fn v1_aliases_scoped_and_hashes() {
    let inv = load("scalibr/alias.v1.json");
    assert_eq!(
        libs(&inv),
        set(&[
            ("@babel/code-frame@7.0.0", Runtime),
            ("string-width@5.1.2", Runtime),
            ("string-width@4.2.0", Runtime),
        ])
    );
    let inv = load("scalibr/scoped-packages.v1.json");
    assert_eq!(
        libs(&inv),
        set(&[
            ("@babel/code-frame@7.0.0", Runtime),
            ("wrappy@1.0.2", Runtime)
        ])
    );
    let w = find(&inv, "wrappy@1.0.2");
    assert_eq!(w.locations[0].line, Some(13));
    let p = find(&inv, "@babel/code-frame@7.0.0")
        .purl
        .as_ref()
        .expect("purl");
    assert_eq!(p.namespace(), Some("@babel"));
    assert_eq!(p.name(), "code-frame");

    let inv = load("scalibr/files.v1.json");
    let lodash = find(&inv, "lodash@1.3.1");
    assert_eq!(lodash.hashes.len(), 1);
    assert_eq!(lodash.hashes[0].algorithm, HashAlgorithm::Sha1);
    assert_eq!(
        lodash.hashes[0].value,
        "a4663b53686b895ff074e2ba504dfb76a8e2b770"
    );
    // file: dependency: no version, the spec as source; its `requires` resolves.
    let other = find(&inv, "other_package@");
    assert_eq!(other.source.as_deref(), Some("file:deps/other_package"));
    assert_eq!(
        other.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:npm/other_package")
    );
    assert!(edges(&inv).contains(&("other_package@".into(), "lodash@1.3.1".into())));
    // Without a package.json the root depends on the entries no one else requires.
    assert!(edges(&inv).contains(&("app@".into(), "other_package@".into())));
    assert!(!edges(&inv).contains(&("app@".into(), "lodash@1.3.1".into())));

    let inv = load("scalibr/two-packages.v1.json");
    assert_eq!(
        libs(&inv),
        set(&[("wrappy@1.0.2", Runtime), ("supports-color@5.5.0", Runtime)])
    );
    let inv = load("scalibr/one-package-dev.v1.json");
    assert_eq!(libs(&inv), set(&[("wrappy@1.0.2", Dev)]));
}

#[test]
fn v1_same_package_different_groups_merges_to_most_significant_scope() {
    let inv = load("scalibr/same-package-different-groups.v1.json");
    // ajv@5.5.2 appears as dev, optional, dev+optional and plain: runtime wins.
    assert_eq!(
        libs(&inv),
        set(&[
            ("ajv@5.5.2", Runtime),
            ("eslint@1.2.3", Dev),
            ("table@1.0.0", Runtime)
        ])
    );
    assert_eq!(find(&inv, "ajv@5.5.2").locations.len(), 5);
    assert_eq!(find(&inv, "eslint@1.2.3").locations[0].line, Some(17));
}

#[test]
fn v1_git_commits() {
    let inv = load("scalibr/commits.v1.json");
    let l = libs(&inv);
    assert_eq!(l.len(), 15);
    assert_eq!(
        l.get("is-number-1@be5935f8d2595bcd97b05718ef1eeae08d812e10"),
        Some(&Dev)
    );
    assert_eq!(
        l.get("is-number-2@82dcc8e914dabd9305ab9ae580709a7825e824f5"),
        Some(&Runtime)
    );
    assert_eq!(l.get("ansi-styles@1.0.0"), Some(&Runtime));
    let raven = find(&inv, "raven-js@c2b377e7a254264fd4a1fe328e4e3cfc9e245570");
    assert_eq!(
        raven.source.as_deref(),
        Some(
            "git+ssh://git@github.com/getsentry/raven-js.git#c2b377e7a254264fd4a1fe328e4e3cfc9e245570"
        )
    );
    let php = find(
        &inv,
        "babel-preset-php@c5a7ba5e0ad98b8db1cb8ce105403dd4b768cced",
    );
    assert_eq!(
        php.source.as_deref(),
        Some("gitlab:kornelski/babel-preset-php#c5a7ba5e0ad98b8db1cb8ce105403dd4b768cced")
    );
}

#[test]
fn v2_files_and_folders_outside_node_modules() {
    let inv = load("scalibr/files.v2.json");
    assert_eq!(
        libs(&inv),
        set(&[
            ("etag@1.8.0", Dev),
            ("abbrev@1.0.9", Dev),
            ("abbrev@2.3.4", Dev)
        ])
    );
    let etag = find(&inv, "etag@1.8.0");
    assert_eq!(etag.source.as_deref(), Some("file:deps/etag"));
    assert_eq!(etag.licenses, Vec::<License>::new());
    let root = find(&inv, "app@");
    assert_eq!(root.licenses, vec![License::Spdx("ISC".into())]);
    // The fixture has no node_modules entries for the root's dependencies.
    assert_eq!(
        root.properties
            .get("chainproof:npm:unresolved")
            .map(String::as_str),
        Some("chalk,etag,lodash,stopwords")
    );
}

#[test]
fn v3_bundled_dependencies() {
    let inv = load("scalibr/bundled-dependencies.v3.json");
    assert_eq!(
        libs(&inv),
        set(&[
            ("ansi-regex@6.2.2", Runtime),
            ("semver@7.7.2", Dev),
            ("strip-ansi@7.1.2", Runtime)
        ])
    );
    for n in ["ansi-regex@6.2.2", "semver@7.7.2"] {
        assert_eq!(
            find(&inv, n)
                .properties
                .get("chainproof:npm:bundled")
                .map(String::as_str),
            Some("true")
        );
    }
    assert_eq!(
        find(&inv, "semver@7.7.2").licenses,
        vec![License::Spdx("ISC".into())]
    );
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("npm-bundled@1.0.0", "strip-ansi@7.1.2"),
            ("npm-bundled@1.0.0", "semver@7.7.2"),
            ("strip-ansi@7.1.2", "ansi-regex@6.2.2"),
        ])
    );
}

#[test]
fn empty_lockfiles_have_only_the_root() {
    for f in ["scalibr/empty.v1.json", "scalibr/empty.v2.json"] {
        let inv = load(f);
        assert_eq!(inv.len(), 1, "{f}");
        assert_eq!(inv.edges().count(), 0);
        let (_, root) = inv.packages().next().expect("root");
        assert_eq!(root.kind, PackageKind::Project);
    }
    assert_eq!(roots(&load("scalibr/empty.v2.json")), vec!["my-library@"]);
}

#[test]
fn workspaces_and_links() {
    let inv = load("snyk/npm-lock-v2/workspaces/package-lock.json");
    let projects: BTreeSet<String> = inv
        .packages()
        .filter(|(_, p)| p.kind == PackageKind::Project)
        .map(|(id, _)| kit::inv::id(inv.package(id)))
        .collect();
    assert_eq!(
        projects,
        ["a@1.0.0", "b@1.0.0", "npm-workspaces@1.0.0"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(roots(&inv).len(), 3);
    // One package per workspace: the link is not a second package.
    assert_eq!(inv.packages().filter(|(_, p)| p.name == "a").count(), 1);
    let e = edges(&inv);
    for (a, b) in [
        ("npm-workspaces@1.0.0", "a@1.0.0"),
        ("npm-workspaces@1.0.0", "b@1.0.0"),
        ("b@1.0.0", "a@1.0.0"),
        ("a@1.0.0", "react@18.2.0"),
        ("npm-workspaces@1.0.0", "express@4.12.4"),
    ] {
        assert!(e.contains(&(a.to_string(), b.to_string())), "{a} -> {b}");
    }
    assert_eq!(
        find(&inv, "a@1.0.0").source.as_deref(),
        Some("file:packages/a")
    );
}

#[test]
fn handwritten_v3_mix() {
    let inv = load("chainproof/mixed.v3.json");
    assert_eq!(
        libs(&inv),
        set(&[
            ("local-thing@0.1.0", Runtime),
            ("@scope/util@1.2.3", Runtime),
            ("@scope/core@2.0.1", Runtime),
            ("@scope/core@1.0.0", Dev),
            ("react@18.2.0", Runtime),
            ("fsevents-like@2.3.3", Optional),
            ("tool@3.1.0", Dev),
            ("left-pad@1.3.0", Runtime),
        ])
    );
    assert_eq!(roots(&inv), vec!["mixed-app@2.0.0", "web@0.0.1"]);
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("mixed-app@2.0.0", "@scope/util@1.2.3"),
            ("mixed-app@2.0.0", "local-thing@0.1.0"),
            ("mixed-app@2.0.0", "tool@3.1.0"),
            ("mixed-app@2.0.0", "fsevents-like@2.3.3"),
            ("mixed-app@2.0.0", "web@0.0.1"),
            ("local-thing@0.1.0", "@scope/util@1.2.3"),
            ("@scope/util@1.2.3", "@scope/core@2.0.1"),
            ("@scope/util@1.2.3", "react@18.2.0"),
            ("tool@3.1.0", "@scope/core@1.0.0"),
            ("tool@3.1.0", "fsevents-like@2.3.3"),
            ("web@0.0.1", "@scope/util@1.2.3"),
            ("web@0.0.1", "left-pad@1.3.0"),
            ("web@0.0.1", "tool@3.1.0"),
        ])
    );
    let root = find(&inv, "mixed-app@2.0.0");
    // Missing optional (`not-installed`) and optional peer (`vue`) deps are not noted.
    assert_eq!(
        root.properties
            .get("chainproof:npm:unresolved")
            .map(String::as_str),
        Some("missing-dep")
    );
    assert!(
        !find(&inv, "@scope/util@1.2.3")
            .properties
            .contains_key("chainproof:npm:unresolved")
    );
    assert_eq!(
        find(&inv, "react@18.2.0")
            .properties
            .get("chainproof:npm:peer")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(
        find(&inv, "local-thing@0.1.0").source.as_deref(),
        Some("file:../local-thing")
    );
    assert_eq!(find(&inv, "web@0.0.1").kind, PackageKind::Project);
    assert_eq!(find(&inv, "@scope/core@2.0.1").locations[0].line, Some(51));
    assert_eq!(
        find(&inv, "left-pad@1.3.0").licenses,
        vec![License::Spdx("WTFPL".into())]
    );
}

#[test]
fn malformed_input_is_an_error_with_a_place() {
    let e = load_path(&fixtures().join("chainproof/not-json.txt")).expect_err("not json");
    assert_eq!(e.path, LOCK);
    assert_eq!((e.line, e.column.is_some()), (Some(1), true));
    let e = load_path(&fixtures().join("scalibr/invalid.json")).expect_err("invalid");
    assert_eq!((e.line, e.column), (Some(4), Some(3)));
    let e = load_path(&fixtures().join("scalibr/null.v2.jsontest")).expect_err("null");
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("not a JSON object"), "{e}");
    let e = load_bytes(b"").expect_err("empty");
    assert_eq!(e.line, Some(1));
    let e = load_bytes(b"{\"packages\": []}").expect_err("bad packages");
    assert_eq!(e.pointer.as_deref(), Some("/packages"));
    let e = load_bytes(b"{\"packages\": {\"node_modules/a\": 3}}").expect_err("bad entry");
    assert_eq!(e.pointer.as_deref(), Some("/packages/node_modules~1a"));
    let e = load_bytes(b"{\"dependencies\": {\"a\": {\"dependencies\": {\"b\": []}}}}")
        .expect_err("bad v1 entry");
    assert_eq!(e.pointer.as_deref(), Some("/dependencies/a/dependencies/b"));
    assert!(load_bytes(&[0xff, 0xfe]).is_err());
    // Odd but well-formed input is accepted.
    let inv = load_bytes(br#"{"packages": {"node_modules/x": {"link": true, "resolved": "node_modules/x"}, "node_modules/y": {"version": 1, "dependencies": {"x": "1"}}}}"#)
        .expect("lenient");
    assert!(inv.len() >= 2);
}

/// Counts, with plain serde_json, the distinct `name@version` of the `packages` entries
/// other than the root and links: the name is the `name` field or the path after the last
/// `node_modules/`.
fn independent_count(text: &str) -> Option<usize> {
    let doc: Value = serde_json::from_str(text).ok()?;
    let packages = doc.get("packages")?.as_object()?;
    let mut seen = BTreeSet::new();
    for (path, entry) in packages {
        if path.is_empty() || entry.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| match path.rfind("node_modules/") {
                Some(i) => path[i + 13..].to_string(),
                None => path.rsplit('/').next().unwrap_or(path).to_string(),
            });
        let version = entry.get("version").and_then(Value::as_str).unwrap_or("");
        seen.insert(format!("{name}@{version}"));
    }
    Some(seen.len())
}

fn check_count(file: &Path) -> Option<(usize, usize)> {
    let text = std::fs::read_to_string(file).ok()?;
    let expected = independent_count(&text)?;
    let inv = load_path(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    // Ours: every package except the root project.
    let ours = inv.len() - 1;
    assert_eq!(ours, expected, "{}", file.display());
    Some((ours, expected))
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn package_counts_match_an_independent_count() {
    let mut files = Vec::new();
    json_files(&fixtures(), &mut files);
    files.sort();
    let mut checked = 0;
    for f in &files {
        if f.to_string_lossy().contains("expected") {
            continue;
        }
        if let Some((n, _)) = check_count(f) {
            eprintln!("{}: {n} packages", f.display());
            checked += 1;
        }
    }
    assert!(
        checked >= 25,
        "only {checked} lockfiles with `packages` found"
    );
}

#[test]
fn corpus_firefly_iii_count() {
    let Some(c) = kit::corpus::root() else { return };
    let f = c.join("realworld/firefly-iii/package-lock.json");
    let (ours, expected) = check_count(&f).expect("firefly-iii package-lock has packages");
    eprintln!("firefly-iii: {ours} packages (independent count {expected})");
    assert!(ours > 500);
    let inv = load_path(&f).expect("parses");
    // The two workspaces are projects and roots besides the root itself.
    assert_eq!(inv.roots().count(), 3);
}

/// Truncated and byte-flipped copies of a real lockfile never panic; truncations are
/// errors with a line.
#[test]
fn damaged_input_never_panics() {
    let text = std::fs::read(fixtures().join("chainproof/mixed.v3.json")).expect("fixture");
    for cut in (0..text.len()).step_by(7) {
        let e = load_bytes(&text[..cut]).expect_err("truncated JSON is invalid");
        assert!(e.line.is_some(), "cut {cut}: {e}");
    }
    for (i, b) in [b'{', b'}', b'[', b'"', b'\\', 0xff, b'1']
        .iter()
        .cycle()
        .take(300)
        .enumerate()
    {
        let mut t = text.clone();
        let at = (i * 37) % t.len();
        t[at] = *b;
        let _ = load_bytes(&t);
    }
}
