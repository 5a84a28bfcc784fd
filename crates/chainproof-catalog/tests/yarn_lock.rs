//! Golden tests for `yarn.lock` (v1 and berry) on the osv-scanner fixtures, plus
//! projects, scopes, errors and an independent count on a real-world lockfile.

use std::collections::BTreeSet;

use chainproof_catalog::{Cataloger, yarn::YarnLockCataloger};
use chainproof_core::{HashAlgorithm, Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::set;

fn fixture(name: &str) -> Vec<u8> {
    kit::fixtures!("yarn/osv").read(name)
}

fn run(files: &[(&str, &[u8])]) -> Inventory {
    let mut r = MemoryResolver::new();
    for (p, c) in files {
        r = r.with_file(p, c.to_vec());
    }
    YarnLockCataloger.catalog(&r, "yarn.lock").expect("parses")
}

fn names(inv: &Inventory) -> BTreeSet<String> {
    inv.packages()
        .map(|(_, p)| format!("{}@{}", p.name, p.version.as_deref().unwrap_or("")))
        .collect()
}

fn find<'a>(inv: &'a Inventory, nv: &str) -> &'a chainproof_core::Package {
    inv.packages()
        .map(|(_, p)| p)
        .find(|p| format!("{}@{}", p.name, p.version.as_deref().unwrap_or("")) == nv)
        .unwrap_or_else(|| panic!("{nv} missing"))
}

#[test]
fn osv_fixtures_exact_sets() {
    let cases: &[(&str, &[&str])] = &[
        ("empty.v1.lock", &[]),
        ("empty.v2.lock", &[]),
        ("metadata-only.v2.lock", &[]),
        ("one-package.v1.lock", &["balanced-match@1.0.2"]),
        ("one-package.v2.lock", &["balanced-match@1.0.2"]),
        (
            "two-packages.v1.lock",
            &["concat-map@0.0.1", "concat-stream@1.6.2"],
        ),
        (
            "two-packages.v2.lock",
            &["compare-func@2.0.0", "concat-map@0.0.1"],
        ),
        (
            "with-quotes.v1.lock",
            &["concat-map@0.0.1", "concat-stream@1.6.2"],
        ),
        (
            "with-quotes.v2.lock",
            &["compare-func@2.0.0", "concat-map@0.0.1"],
        ),
        (
            "multiple-versions.v1.lock",
            &[
                "define-properties@1.1.3",
                "define-property@0.2.5",
                "define-property@1.0.0",
                "define-property@2.0.2",
            ],
        ),
        (
            "multiple-versions.v2.lock",
            &["debug@4.3.3", "debug@2.6.9", "debug@3.2.7"],
        ),
        (
            "multiple-constraints.v1.lock",
            &["domelementtype@1.3.1", "@babel/code-frame@7.12.13"],
        ),
        (
            "scoped-packages.v1.lock",
            &["@babel/code-frame@7.12.11", "@babel/compat-data@7.14.0"],
        ),
        (
            "with-build-string.v1.lock",
            &["domino@2.1.6+git", "tslib@2.6.2"],
        ),
        (
            "with-prerelease.v1.lock",
            &[
                "css-tree@1.0.0-alpha.37",
                "gensync@1.0.0-beta.2",
                "node-fetch@3.0.0-beta.9",
                "resolve@1.20.0",
                "resolve@2.0.0-next.3",
            ],
        ),
        (
            "with-aliases.v1.lock",
            &[
                "ansi-regex@5.0.1",
                "ansi-regex@6.0.1",
                "@babel/helper-validator-identifier@7.22.20",
            ],
        ),
        (
            "with-aliases.v2.lock",
            &[
                "ansi-regex@5.0.1",
                "ansi-regex@6.0.1",
                "@babel/helper-validator-identifier@7.22.20",
                "mine@",
            ],
        ),
        ("files.v2.lock", &["my-package@0.0.2"]),
    ];
    for (file, expected) in cases {
        let inv = run(&[("yarn.lock", &fixture(file))]);
        assert_eq!(names(&inv), set(expected), "{file}");
    }
}

#[test]
fn v1_fields_hashes_and_aliases() {
    let inv = run(&[("yarn.lock", &fixture("with-aliases.v1.lock"))]);
    let a = find(&inv, "ansi-regex@5.0.1");
    assert_eq!(a.properties["chainproof:npm:alias"], "ansi-regex-cjs");
    assert_eq!(
        a.purl.as_ref().expect("purl").to_string(),
        "pkg:npm/ansi-regex@5.0.1"
    );
    assert_eq!(
        a.source.as_deref(),
        Some("https://registry.yarnpkg.com/ansi-regex/-/ansi-regex-5.0.1.tgz")
    );
    let sha1 = a
        .hashes
        .iter()
        .find(|h| h.algorithm == HashAlgorithm::Sha1)
        .expect("sha1");
    assert_eq!(sha1.value, "082cb2c89c9fe8659a311a53bd6a4dc5301db304");
    assert!(
        a.hashes
            .iter()
            .any(|h| h.algorithm == HashAlgorithm::Sha512)
    );
    assert_eq!(a.locations[0].line, Some(5));
    let b = find(&inv, "@babel/helper-validator-identifier@7.22.20");
    assert_eq!(
        b.purl.as_ref().expect("purl").to_string(),
        "pkg:npm/%40babel/helper-validator-identifier@7.22.20"
    );
    // git: the fragment-less git URL is the source, and no hash is invented.
    let inv = run(&[("yarn.lock", &fixture("with-build-string.v1.lock"))]);
    let d = find(&inv, "domino@2.1.6+git");
    assert_eq!(
        d.source.as_deref(),
        Some("git+ssh://git@github.com/angular/domino.git")
    );
    assert!(d.hashes.iter().all(|h| h.algorithm != HashAlgorithm::Sha1));
}

#[test]
fn berry_fields_workspace_and_checksum() {
    let inv = run(&[("yarn.lock", &fixture("with-aliases.v2.lock"))]);
    let root = find(&inv, "mine@");
    assert_eq!(root.kind, PackageKind::Project);
    let root_id = inv.roots().next().expect("a root");
    assert_eq!(inv.package(root_id).name, "mine");
    let deps: BTreeSet<String> = inv
        .dependencies_of(root_id)
        .map(|d| {
            format!(
                "{}@{}",
                inv.package(d).name,
                inv.package(d).version.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        deps,
        set(&[
            "ansi-regex@5.0.1",
            "ansi-regex@6.0.1",
            "@babel/helper-validator-identifier@7.22.20"
        ])
    );
    let a = find(&inv, "ansi-regex@6.0.1");
    assert!(a.hashes.is_empty(), "a cache checksum is not a hash");
    assert!(a.properties["chainproof:yarn:checksum"].starts_with("cbe16dbd"));
    let inv = run(&[("yarn.lock", &fixture("commits.v2.lock"))]);
    let p = find(&inv, "my-second-package@0.2.2");
    assert_eq!(
        p.source.as_deref(),
        Some(
            "https://github.com/my-org/my-second-package.git#commit=59e2127b9f9d4fda5f928c4204213b3502cd5bb0"
        )
    );
    let inv = run(&[("yarn.lock", &fixture("files.v2.lock"))]);
    assert!(
        find(&inv, "my-package@0.0.2")
            .source
            .as_deref()
            .is_some_and(|s| s.starts_with("file:../../deps/my-local-package"))
    );
}

const V1_PROJECT: &str = "# yarn lockfile v1\n\n\
a@^1.0.0:\n  version \"1.0.0\"\n  dependencies:\n    c \"^3.0.0\"\n\n\
b@^2.0.0:\n  version \"2.0.0\"\n  dependencies:\n    c \"^3.0.0\"\n    d \"^4.0.0\"\n\n\
c@^3.0.0:\n  version \"3.1.0\"\n\n\
d@^4.0.0:\n  version \"4.0.0\"\n\n\
e@^5.0.0:\n  version \"5.0.0\"\n\n\
w-dep@^6.0.0:\n  version \"6.0.0\"\n";

const V1_PACKAGE_JSON: &str = r#"{"name":"app","version":"1.0.0","license":"MIT",
  "dependencies":{"a":"^1.0.0"},"devDependencies":{"b":"^2.0.0"},
  "optionalDependencies":{"e":"^5.0.0"},"workspaces":["packages/*"]}"#;

#[test]
fn v1_root_workspaces_and_scopes() {
    let ws = r#"{"name":"w","version":"0.1.0","dependencies":{"w-dep":"^6.0.0","a":"^1.0.0"}}"#;
    let inv = run(&[
        ("yarn.lock", V1_PROJECT.as_bytes()),
        ("package.json", V1_PACKAGE_JSON.as_bytes()),
        ("packages/w/package.json", ws.as_bytes()),
    ]);
    let roots: BTreeSet<String> = inv.roots().map(|r| inv.package(r).name.clone()).collect();
    assert_eq!(roots, set(&["app", "w"]));
    let scope = |nv: &str| find(&inv, nv).scope;
    assert_eq!(scope("a@1.0.0"), Scope::Runtime);
    assert_eq!(scope("b@2.0.0"), Scope::Dev);
    // c is reached from a (runtime) and from b (dev): runtime wins.
    assert_eq!(scope("c@3.1.0"), Scope::Runtime);
    assert_eq!(scope("d@4.0.0"), Scope::Dev);
    assert_eq!(scope("e@5.0.0"), Scope::Optional);
    assert_eq!(scope("w-dep@6.0.0"), Scope::Runtime);
    assert_eq!(find(&inv, "app@1.0.0").kind, PackageKind::Project);
    let edges = kit::inv::name_edges(&inv);
    let want: BTreeSet<(String, String)> = [
        ("app", "a"),
        ("app", "b"),
        ("app", "e"),
        ("app", "w"),
        ("a", "c"),
        ("b", "c"),
        ("b", "d"),
        ("w", "w-dep"),
        ("w", "a"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(edges, want);
}

#[test]
fn malformed_files_are_errors_with_lines() {
    let r =
        MemoryResolver::new().with_file("yarn.lock", "a@1:\n  version \"1.0.0\"\n\tversion 2\n");
    let e = YarnLockCataloger.catalog(&r, "yarn.lock").expect_err("tab");
    assert_eq!(e.line, Some(3));
    let r = MemoryResolver::new().with_file("yarn.lock", "a@1:\n  version \"1.0.0\n");
    assert_eq!(
        YarnLockCataloger
            .catalog(&r, "yarn.lock")
            .expect_err("quote")
            .line,
        Some(2)
    );
    let r = MemoryResolver::new().with_file(
        "yarn.lock",
        "__metadata:\n  version: 6\n\"a@npm:1\":\n  version: [\n",
    );
    let e = YarnLockCataloger
        .catalog(&r, "yarn.lock")
        .expect_err("yaml");
    assert!(e.line.is_some(), "{e}");
    let r =
        MemoryResolver::new().with_file("yarn.lock", "__metadata:\n  version: 6\n\"a@npm:1\": 3\n");
    assert_eq!(
        YarnLockCataloger
            .catalog(&r, "yarn.lock")
            .expect_err("not a map")
            .line,
        Some(3)
    );
}

/// Independent count: distinct `name@version` from a line scan (entry key line → real
/// name from the first specifier or its `npm:` alias target; `version` line).
#[test]
fn excalidraw_counts_match_a_line_scan() {
    let Some(lock) = kit::corpus::dir("realworld/excalidraw/yarn.lock") else {
        return;
    };
    let dir = lock.parent().expect("excalidraw dir").to_path_buf();
    let text = std::fs::read_to_string(&lock).expect("read");
    let mut scanned = BTreeSet::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if !line.starts_with(' ') && line.ends_with(':') && !line.starts_with('#') {
            let first = line
                .trim_end_matches(':')
                .split(", ")
                .next()
                .unwrap_or("")
                .trim_matches('"');
            let (name, range) = match first.strip_prefix('@') {
                Some(rest) => {
                    let i = rest.find('@').expect("scoped name@range") + 1;
                    (&first[..i], &first[i + 1..])
                }
                None => first.split_once('@').expect("name@range"),
            };
            let real = match range.strip_prefix("npm:") {
                Some(t) if t.rfind('@').is_some_and(|i| i > 0) => {
                    &t[..t.rfind('@').expect("checked")]
                }
                _ => name,
            };
            current = Some(real.to_string());
        } else if let Some(v) = line.strip_prefix("  version ") {
            let name = current.take().expect("version inside an entry");
            scanned.insert(format!("{name}@{}", v.trim_matches('"')));
        }
    }
    let pj = std::fs::read(dir.join("package.json")).expect("package.json");
    let inv = run(&[("yarn.lock", text.as_bytes()), ("package.json", &pj)]);
    let ours: BTreeSet<String> = inv
        .packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .map(|(_, p)| format!("{}@{}", p.name, p.version.as_deref().unwrap_or("")))
        .collect();
    eprintln!(
        "excalidraw: line scan {} name@version, ours {}",
        scanned.len(),
        ours.len()
    );
    assert!(scanned.len() > 1000, "{}", scanned.len());
    assert_eq!(ours, scanned);
    let unresolved = inv
        .packages()
        .filter(|(_, p)| p.properties.contains_key("chainproof:npm:unresolved"))
        .count();
    assert_eq!(unresolved, 0, "every dependency resolves");
    // The corpus copy holds no workspace folders, so only the root is a project.
    assert_eq!(inv.roots().count(), 1);
}
