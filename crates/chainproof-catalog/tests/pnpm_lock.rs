//! Golden tests of the pnpm-lock cataloger on copied upstream fixtures
//! (`tests/fixtures/pnpm`, see SOURCES.md there) and small documents written here, plus an
//! independent package count on the vite lockfile of the shared corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chainproof_catalog::{CatalogError, Cataloger, pnpm::PnpmLockCataloger};
use chainproof_core::{HashAlgorithm, Inventory, Package, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::pairs;
use kit::inv::scopes as set;

const LOCK: &str = "app/pnpm-lock.yaml";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pnpm")
}

fn parse(data: &[u8]) -> Result<Inventory, CatalogError> {
    PnpmLockCataloger.catalog(&MemoryResolver::new().with_file(LOCK, data), LOCK)
}

fn load(rel: &str) -> Inventory {
    let data = std::fs::read(fixtures().join(rel)).expect("fixture readable");
    parse(&data).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn doc(text: &str) -> Inventory {
    parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version` → scope of every library.
fn libs(inv: &Inventory) -> BTreeMap<String, Scope> {
    kit::inv::lib_scopes(inv, kit::inv::id)
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::edges_by(inv, kit::inv::id)
}

fn find<'a>(inv: &'a Inventory, name_at_version: &str) -> &'a Package {
    kit::inv::find_by(inv, kit::inv::id, name_at_version)
}

#[test]
fn mixed_groups_every_version() {
    use Scope::*;
    for (file, ansi, uuid, lines) in [
        (
            "scalibr/mixed-groups.v53.yaml",
            "5.0.1",
            "8.3.2",
            [19, 24, 29],
        ),
        (
            "scalibr/mixed-groups.v54.yaml",
            "5.0.1",
            "8.3.2",
            [19, 24, 29],
        ),
        (
            "scalibr/mixed-groups.v6.yaml",
            "5.0.0",
            "8.0.0",
            [24, 29, 34],
        ),
        (
            "scalibr/mixed-groups.v9.yaml",
            "5.0.1",
            "8.3.2",
            [25, 29, 33],
        ),
    ] {
        let inv = load(file);
        let a = format!("ansi-regex@{ansi}");
        let u = format!("uuid@{uuid}");
        assert_eq!(
            libs(&inv),
            set(&[(&a, Runtime), ("is-number@7.0.0", Dev), (&u, Optional)]),
            "{file}"
        );
        // The project is the folder's name; it depends on all three.
        assert_eq!(
            edges(&inv),
            pairs(&[("app@", &a), ("app@", "is-number@7.0.0"), ("app@", &u)]),
            "{file}"
        );
        let roots: Vec<String> = kit::inv::roots_by(&inv, kit::inv::id);
        assert_eq!(roots, vec!["app@"]);
        let app = find(&inv, "app@");
        assert_eq!(app.kind, PackageKind::Project);
        // Its package.json (not in the resolver), then the lockfile.
        assert_eq!(app.locations[0].path, "app/package.json");
        assert_eq!(app.locations[1].path, LOCK);
        assert_eq!(app.purl, None);
        for (name, line) in [&a, "is-number@7.0.0", &u].iter().zip(lines) {
            let p = find(&inv, name);
            assert_eq!(p.locations[0].line, Some(line), "{file} {name}");
            assert_eq!(p.locations[0].path, LOCK);
            assert_eq!(p.hashes.len(), 1);
            assert_eq!(p.hashes[0].algorithm, HashAlgorithm::Sha512);
        }
        assert_eq!(
            find(&inv, "is-number@7.0.0")
                .purl
                .as_ref()
                .map(ToString::to_string),
            Some("pkg:npm/is-number@7.0.0".to_string())
        );
    }
}

#[test]
fn exotic_v5_keys() {
    let inv = load("scalibr/exotic.yaml");
    let names: BTreeSet<String> = libs(&inv).into_keys().collect();
    let want: BTreeSet<String> = [
        "foo@1.0.0",
        "@foo/bar@1.0.0",
        "foo@1.1.0",
        "@foo/bar@1.1.0",
        "foo@1.2.0",
        "foo@1.3.0",
        "foo@1.4.0",
        // `github.com/kevva/is-positive` and `/foo/bar` carry no version: kept, unversioned,
        // with the key as source.
        "is-positive@",
        "foo@",
        // Declared by the project as `5.13.0` but without a `packages` entry.
        "@typescript-eslint/types@5.13.0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(names, want);
    assert_eq!(
        find(&inv, "is-positive@").source.as_deref(),
        Some("github.com/kevva/is-positive")
    );
    assert_eq!(find(&inv, "foo@1.4.0").locations[0].line, Some(17));
    // `@typescript-eslint/types` is pinned by the project but has no entry: still the
    // package the project installs, marked as such, and no longer unresolved.
    let types = find(&inv, "@typescript-eslint/types@5.13.0");
    assert_eq!(
        types.properties.get("chainproof:pnpm:no-entry"),
        Some(&"true".to_string())
    );
    assert_eq!(
        types.purl.as_ref().map(ToString::to_string),
        Some("pkg:npm/%40typescript-eslint/types@5.13.0".to_string())
    );
    assert!(
        !find(&inv, "app@")
            .properties
            .contains_key("chainproof:npm:unresolved")
    );
    assert_eq!(inv.edges().count(), 1);
}

#[test]
fn file_and_tarball_and_git_packages() {
    let inv = load("scalibr/files.yaml");
    let got: BTreeMap<String, Option<String>> = inv
        .packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .map(|(id, p)| (kit::inv::id(inv.package(id)), p.source.clone()))
        .collect();
    let want: BTreeMap<String, Option<String>> = [
        ("my-file-package@0.0.0", "file:projects/package-a.tgz"),
        ("a-local-package@1.0.0", "file:../local-package"),
        (
            "a-nested-local-package@1.0.0",
            "file:../a-local-package/nested",
        ),
        ("one-up@1.0.0", "file:.."),
        ("one-up-with-peer@1.0.0", "file:.."),
        ("nameless-package@1.0.0", "file:../nameless-package"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), Some(b.to_string())))
    .collect();
    assert_eq!(got, want);
    // `my-file-package: file:./projects/package-a.tgz` finds the key `file:projects/...`.
    assert_eq!(edges(&inv), pairs(&[("app@", "my-file-package@0.0.0")]));
    assert_eq!(find(&inv, "my-file-package@0.0.0").hashes.len(), 1);

    let inv = load("scalibr/tarball.yaml");
    assert_eq!(libs(&inv), set(&[("@my-org/my-package@3.2.3", Scope::Dev)]));
    let p = find(&inv, "@my-org/my-package@3.2.3");
    assert!(
        p.source
            .as_deref()
            .is_some_and(|s| s.ends_with("/@my-org/my-package-3.2.3.tgz"))
    );
    assert_eq!(
        p.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:npm/%40my-org/my-package@3.2.3")
    );

    let inv = load("scalibr/commits.v9.yaml");
    assert_eq!(
        libs(&inv),
        set(&[
            ("ansi-regex@6.0.1", Scope::Runtime),
            ("is-number@7.0.0", Scope::Runtime)
        ])
    );
    assert_eq!(
        find(&inv, "ansi-regex@6.0.1").source.as_deref(),
        Some(
            "https://codeload.github.com/chalk/ansi-regex/tar.gz/02fa893d619d3da85411acc8fd4e2eea0e95a9d9"
        )
    );
    assert_eq!(edges(&inv).len(), 2);
}

#[test]
fn git_resolution_v9() {
    let text = std::fs::read_to_string(
        fixtures().join("snyk/pnpm-lock-v9/git-protocol-peer-deps/pnpm-lock.yaml"),
    )
    .expect("fixture");
    let inv = doc(&text);
    let p = find(&inv, "dustjs-helpers@1.8.0");
    assert_eq!(
        p.source.as_deref(),
        Some(
            "git+git@github.com:linkedin/dustjs-helpers.git#1469a7a0297f84fba28a5101ad5305890f47e352"
        )
    );
    // Optional through chokidar's optionalDependencies.
    assert_eq!(find(&inv, "fsevents@2.3.3").scope, Scope::Optional);
    assert_eq!(find(&inv, "chokidar@3.6.0").scope, Scope::Runtime);
}

#[test]
fn v5_key_style_mismatch_and_dev_flags() {
    // A v5.4 file with one v6-style key (`axios@1.2.5`): still found by the root dependency.
    let inv = load("osv-scanner/invalid-package-path.yaml");
    assert!(edges(&inv).contains(&("app@".to_string(), "axios@1.2.5".to_string())));
    assert_eq!(find(&inv, "@types/jsdom@20.0.1").scope, Scope::Dev);
    // `dev: true` on an entry no project reaches.
    assert_eq!(find(&inv, "http-proxy-agent@5.0.0").scope, Scope::Dev);
    // The peer-suffixed root reference `2.0.28_e7lp...` finds `/pinia/2.0.28_e7lp...`.
    assert_eq!(find(&inv, "pinia@2.0.28").scope, Scope::Runtime);
    assert!(edges(&inv).contains(&("pinia@2.0.28".into(), "typescript@4.7.4".into())));
    // 9 entries; the fixture is trimmed, so 15 pinned dependencies (`@types/node: 18.11.18`,
    // `npm-run-all: 4.1.5`, ...) have no entry of their own: still packages, marked as such.
    let no_entry = |p: &chainproof_core::Package| {
        p.properties
            .get("chainproof:pnpm:no-entry")
            .map(String::as_str)
            == Some("true")
    };
    let all = libs(&inv);
    let marked: BTreeSet<String> = all
        .keys()
        .filter(|k| no_entry(find(&inv, k)))
        .cloned()
        .collect();
    assert_eq!(all.len() - marked.len(), 9);
    assert_eq!(marked.len(), 15);
    assert!(marked.contains("@types/node@18.11.18"));
    assert!(marked.contains("npm-run-all@4.1.5"));
    assert!(edges(&inv).contains(&("app@".to_string(), "npm-run-all@4.1.5".to_string())));
    assert_eq!(find(&inv, "npm-run-all@4.1.5").scope, Scope::Dev);
}

#[test]
fn empty_and_no_packages() {
    assert!(load("scalibr/empty.yaml").is_empty());
    for f in [
        "scalibr/no-packages.yaml",
        "scalibr/no-packages.v9.yaml",
        "scalibr/missing-packages.yaml",
    ] {
        let inv = load(f);
        assert_eq!(inv.len(), 1, "{f}: only the project");
        assert_eq!(inv.roots().count(), 1);
    }
}

#[test]
fn aliases_every_version() {
    for v in ["v5", "v6", "v9"] {
        let inv = load(&format!(
            "snyk/pnpm-lock-{v}/alias-sub-dependency/pnpm-lock.yaml"
        ));
        assert_eq!(libs(&inv).len(), 19, "{v}");
        let alias = |nv: &str| {
            find(&inv, nv)
                .properties
                .get("chainproof:npm:alias")
                .cloned()
        };
        assert_eq!(alias("lodash@1.3.1").as_deref(), Some("lodash1"), "{v}");
        assert_eq!(alias("lodash@2.4.2").as_deref(), Some("lodash2"), "{v}");
        assert_eq!(
            alias("wrap-ansi@7.0.0").as_deref(),
            Some("wrap-ansi-cjs"),
            "{v}"
        );
        assert_eq!(alias("wrap-ansi@8.1.0"), None, "{v}");
        let e = edges(&inv);
        for (a, b) in [
            ("app@", "lodash@1.3.1"),
            ("app@", "lodash@2.4.2"),
            ("@isaacs/cliui@8.0.2", "string-width@4.2.3"),
            ("@isaacs/cliui@8.0.2", "string-width@5.1.2"),
        ] {
            assert!(e.contains(&(a.into(), b.into())), "{v}: {a} -> {b}");
        }
    }
}

/// Workspace importers with names from their package.json files.
#[test]
fn workspace_importers() {
    for v in ["v5", "v6", "v9"] {
        let case = fixtures().join(format!("snyk/pnpm-lock-{v}/workspace-with-isolated-pkgs"));
        let read = |rel: &str| std::fs::read(case.join(rel)).expect("fixture");
        let r = MemoryResolver::new()
            .with_file("w/pnpm-lock.yaml", read("pnpm-lock.yaml"))
            .with_file("w/package.json", read("package.json"))
            .with_file(
                "w/packages/pkg-a/package.json",
                read("packages/pkg-a/package.json"),
            )
            .with_file(
                "w/packages/pkg-b/package.json",
                read("packages/pkg-b/package.json"),
            );
        let inv = PnpmLockCataloger
            .catalog(&r, "w/pnpm-lock.yaml")
            .expect("parse");
        let roots: BTreeSet<String> = kit::inv::roots_by(&inv, kit::inv::id).into_iter().collect();
        let want: BTreeSet<String> = kit::inv::set(&[
            "yarn-1-workspace-with-isolated-pkgs@1.0.0",
            "package-a@1.0.0",
            "pkg-b@1.0.0",
        ]);
        assert_eq!(roots, want, "{v}");
        let e = edges(&inv);
        assert!(
            e.contains(&("package-a@1.0.0".into(), "ms@2.1.2".into())),
            "{v}"
        );
        assert!(
            e.contains(&("pkg-b@1.0.0".into(), "accepts@1.3.7".into())),
            "{v}"
        );
        assert!(
            e.contains(&(
                "yarn-1-workspace-with-isolated-pkgs@1.0.0".into(),
                "react@18.0.0".into()
            )),
            "{v}"
        );
        assert_eq!(
            find(&inv, "pkg-b@1.0.0")
                .properties
                .get("chainproof:pnpm:importer"),
            Some(&"packages/pkg-b".to_string())
        );
    }
}

/// Written here: v9 snapshots with peer suffixes merge into one package with the union of
/// their edges; `link:` reaches a workspace project; scope by reachability.
#[test]
fn peers_links_and_reachability_v9() {
    let inv = doc(r#"lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      a:
        specifier: ^1
        version: 1.0.0(react@18.2.0)
      lib:
        specifier: workspace:*
        version: link:packages/lib
    devDependencies:
      a:
        specifier: ^1
        version: 1.0.0(react@17.0.2)
      d:
        specifier: ^1
        version: 1.0.0
    optionalDependencies:
      o:
        specifier: ^1
        version: 1.0.0
  packages/lib:
    dependencies:
      app:
        specifier: workspace:*
        version: link:../..
      o:
        specifier: ^1
        version: 1.0.0
packages:
  a@1.0.0:
    resolution: {integrity: sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=}
    peerDependencies:
      react: '*'
  react@18.2.0:
    resolution: {integrity: sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/kGemdH2IWmB2ioZ+zkxtmq6g09fGQ==}
  react@17.0.2:
    resolution: {integrity: sha512-gnhPt75i/dq/z3/6q/0asP78D0u592D5L1pd7M8P+dck6Fu/jJeL6iVVK23fptSUZj8Vjf++7wXA8UNclGQcbA==}
  d@1.0.0: {}
  o@1.0.0: {}
  x@1.0.0: {}
snapshots:
  a@1.0.0(react@18.2.0):
    dependencies:
      react: 18.2.0
  a@1.0.0(react@17.0.2):
    dependencies:
      react: 17.0.2
      x: 1.0.0
  react@18.2.0: {}
  react@17.0.2: {}
  d@1.0.0:
    dependencies:
      o: 1.0.0
  o@1.0.0: {}
  x@1.0.0: {}
"#);
    use Scope::*;
    assert_eq!(
        libs(&inv),
        set(&[
            ("a@1.0.0", Runtime),
            ("react@18.2.0", Runtime),
            // Reached through a's dev instance only: dev.
            ("react@17.0.2", Dev),
            ("x@1.0.0", Dev),
            ("d@1.0.0", Dev),
            // Optional from the root, runtime from the workspace project: runtime wins.
            ("o@1.0.0", Runtime),
        ])
    );
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("app@", "a@1.0.0"),
            ("app@", "lib@"),
            ("app@", "d@1.0.0"),
            ("app@", "o@1.0.0"),
            ("lib@", "app@"),
            ("lib@", "o@1.0.0"),
            ("a@1.0.0", "react@18.2.0"),
            ("a@1.0.0", "react@17.0.2"),
            ("a@1.0.0", "x@1.0.0"),
            ("d@1.0.0", "o@1.0.0"),
        ])
    );
    let a = find(&inv, "a@1.0.0");
    assert_eq!(a.hashes[0].algorithm, HashAlgorithm::Sha1);
    // One location: the `packages` entry (line 31), shared by both snapshots.
    assert_eq!(a.locations.len(), 1);
    assert_eq!(a.locations[0].line, Some(31));
    assert_eq!(find(&inv, "lib@").kind, PackageKind::Project);
    assert_eq!(inv.roots().count(), 2);
}

/// Written here: v6 peer-suffixed instances and v5 `importers` with plain versions.
#[test]
fn v6_instances_and_v5_importers() {
    let inv = doc(r#"lockfileVersion: '6.0'
dependencies:
  a:
    specifier: ^1
    version: 1.0.0(b@2.0.0)
  c:
    specifier: ^1
    version: 1.0.0(b@1.0.0)
packages:
  /a@1.0.0(b@2.0.0):
    dependencies:
      b: 2.0.0
    dev: false
  /c@1.0.0(b@1.0.0):
    dependencies:
      a: 1.0.0(b@1.0.0)
    dev: false
  /a@1.0.0(b@1.0.0):
    dependencies:
      b: 1.0.0
    dev: false
  /b@1.0.0:
    dev: false
  /b@2.0.0:
    dev: false
"#);
    assert_eq!(libs(&inv).len(), 4);
    let e = edges(&inv);
    assert!(e.contains(&("a@1.0.0".into(), "b@1.0.0".into())));
    assert!(e.contains(&("a@1.0.0".into(), "b@2.0.0".into())));
    assert!(e.contains(&("c@1.0.0".into(), "a@1.0.0".into())));
    // Both instance lines are locations of the one package.
    let lines: Vec<Option<u32>> = find(&inv, "a@1.0.0")
        .locations
        .iter()
        .map(|l| l.line)
        .collect();
    assert_eq!(lines, vec![Some(10), Some(18)]);

    let inv = doc(r#"lockfileVersion: 5.4
importers:
  .:
    specifiers:
      x: ^1
    devDependencies:
      x: 1.0.0
  packages/p:
    specifiers:
      x: ^1
      q: workspace:*
    dependencies:
      x: 1.0.0_y@1.0.0
      q: link:../q
  packages/q:
    specifiers: {}
packages:
  /x/1.0.0:
    dev: true
  /x/1.0.0_y@1.0.0:
    dependencies:
      y: 1.0.0
    dev: false
  /y/1.0.0:
    dev: false
"#);
    assert_eq!(
        libs(&inv),
        set(&[("x@1.0.0", Scope::Runtime), ("y@1.0.0", Scope::Runtime)])
    );
    let e = edges(&inv);
    assert!(e.contains(&("p@".into(), "q@".into())));
    assert!(e.contains(&("x@1.0.0".into(), "y@1.0.0".into())));
    assert_eq!(inv.roots().count(), 3);
}

/// The vite monorepo: distinct `name@version` over the `packages` and `snapshots` keys,
/// counted with `yaml_serde::Value`, equals our library set (local `file:` packages, whose
/// package.json is not in the corpus, have their `file:` reference as version).
#[test]
fn realworld_vite_count() {
    let Some(text) = kit::corpus::read_to_string("realworld/vite/pnpm-lock.yaml") else {
        return;
    };
    let doc: yaml_serde::Value = yaml_serde::from_str(&text).expect("vite lock is YAML");
    let mut expected = BTreeSet::new();
    for section in ["packages", "snapshots"] {
        for (k, _) in doc[section].as_mapping().expect("mapping") {
            let key = k.as_str().expect("string key");
            let base = key.split('(').next().unwrap_or(key);
            let at = 1 + base[1..].find('@').expect("name@version");
            expected.insert((base[..at].to_string(), base[at + 1..].to_string()));
        }
    }
    let importers = doc["importers"].as_mapping().expect("importers").len();
    let inv = doc_at(&text);
    let ours: BTreeSet<(String, String)> = inv
        .packages()
        .filter(|(_, p)| {
            p.kind == PackageKind::Library
                && p.source.as_deref().is_none_or(|s| !s.starts_with("link:"))
        })
        .map(|(_, p)| (p.name.clone(), p.version.clone().unwrap_or_default()))
        .collect();
    let missing: Vec<_> = expected.difference(&ours).collect();
    let extra: Vec<_> = ours.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );
    let projects = inv
        .packages()
        .filter(|(_, p)| p.kind == PackageKind::Project)
        .count();
    assert_eq!(projects, importers);
    assert_eq!(inv.roots().count(), importers);
    let dev = inv
        .packages()
        .filter(|(_, p)| p.scope == Scope::Dev)
        .count();
    eprintln!(
        "vite: {} libraries, {importers} projects, {} edges, {dev} dev",
        expected.len(),
        inv.edges().count()
    );
    // No dependency of the lockfile is left unresolved.
    for (_, p) in inv.packages() {
        assert!(
            !p.properties.contains_key("chainproof:npm:unresolved"),
            "{}",
            p.name
        );
    }
}

fn doc_at(text: &str) -> Inventory {
    PnpmLockCataloger
        .catalog(
            &MemoryResolver::new().with_file("vite/pnpm-lock.yaml", text),
            "vite/pnpm-lock.yaml",
        )
        .expect("vite parses")
}
