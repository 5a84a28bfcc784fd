//! Golden tests for the `cargo-lock` cataloger on every Cargo.lock of the corpus (copied
//! under `tests/fixtures/cargo/`, see SOURCES.md there), plus the real uv lockfile when the
//! shared corpus is present.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chainproof_catalog::cargo::{PROP_UNRESOLVED, parse_cargo_lock};
use chainproof_core::{HashAlgorithm, Inventory, PackageKind};
use chainproof_testkit as kit;
use kit::inv::{lines, pairs, pkg, set};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cargo")
}

fn load(rel: &str) -> (String, Inventory) {
    let text = std::fs::read_to_string(fixture_dir().join(rel)).expect("fixture exists");
    let inv = parse_cargo_lock(rel, &text).expect("fixture parses");
    (text, inv)
}

fn purls(inv: &Inventory) -> BTreeSet<String> {
    kit::inv::keys(inv, key)
}

fn key(p: &chainproof_core::Package) -> String {
    p.purl
        .as_ref()
        .expect("every cargo package has a purl")
        .to_string()
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::edges_by(inv, key)
}

fn roots(inv: &Inventory) -> BTreeSet<String> {
    kit::inv::roots_by(inv, key).into_iter().collect()
}

fn sha(p: &chainproof_core::Package) -> Option<&str> {
    kit::inv::hash(p, HashAlgorithm::Sha256)
}

const CRATES: &str = "registry+https://github.com/rust-lang/crates.io-index";

/// Counts entries and dependency strings with `toml::Value`, independently of the parser,
/// and checks each package's out-edges plus unresolved strings add up to its strings.
fn check_against_toml(rel: &str, allow_unresolved: bool) -> Inventory {
    let (text, inv) = load(rel);
    let value: toml::Value = toml::from_str(&text).expect("valid toml");
    let entries = value
        .get("package")
        .and_then(|p| p.as_array())
        .cloned()
        .unwrap_or_default();
    let distinct: BTreeSet<(String, String, String)> = entries
        .iter()
        .map(|e| {
            let f = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            (f("name"), f("version"), f("source"))
        })
        .collect();
    assert_eq!(distinct.len(), entries.len(), "{rel}: entries are distinct");
    let with_checksum = entries
        .iter()
        .filter(|e| e.get("checksum").is_some())
        .count();
    let local = entries.iter().filter(|e| e.get("source").is_none()).count();
    assert_eq!(
        inv.roots().count(),
        local,
        "{rel}: roots = source-less entries"
    );
    if with_checksum > 0 {
        let hashed = inv.packages().filter(|(_, p)| sha(p).is_some()).count();
        assert_eq!(hashed, with_checksum, "{rel}: one SHA-256 per checksum");
    }
    for e in &entries {
        let name = e.get("name").and_then(|v| v.as_str()).unwrap_or("");
        let line_pkgs: Vec<_> = inv.packages().filter(|(_, p)| p.name == name).collect();
        assert!(!line_pkgs.is_empty(), "{rel}: {name} present");
    }
    for (id, p) in inv.packages() {
        let unresolved = p
            .properties
            .get(PROP_UNRESOLVED)
            .map_or(0, |u| u.split(", ").count());
        if !allow_unresolved {
            assert_eq!(unresolved, 0, "{rel}: {} has unresolved deps", p.name);
        }
        // every sighting of this package in the file lists the same dependency strings
        let declared = entries
            .iter()
            .find(|e| {
                e.get("name").and_then(|v| v.as_str()) == Some(p.name.as_str())
                    && e.get("version").and_then(|v| v.as_str()) == p.version.as_deref()
                    && e.get("source").and_then(|v| v.as_str()) == p.source.as_deref()
            })
            .and_then(|e| e.get("dependencies").and_then(|d| d.as_array()))
            .map_or(0, |d| d.len());
        assert_eq!(
            inv.dependencies_of(id).count() + unresolved,
            declared,
            "{rel}: {} edges",
            p.name
        );
        assert_eq!(
            lines(p).len(),
            p.locations.len(),
            "{rel}: every location has a line"
        );
        for l in lines(p) {
            let header = text.lines().nth(l as usize - 1).unwrap_or("");
            assert!(
                header == "[[package]]" || header == "[root]",
                "{rel}:{l} is `{header}`"
            );
        }
    }
    inv
}

#[test]
fn every_fixture_matches_an_independent_toml_count() {
    let artificial = [
        "rustsec/cargo-lock/Cargo.lock.v4",
        "osv-scanner-v1/two-packages-with-local.lock",
        "scalibr/two-packages-with-local.lock",
    ];
    let mut seen = 0;
    let mut stack = vec![fixture_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(fixture_dir())
                .expect("under fixtures")
                .to_string_lossy()
                .replace('\\', "/");
            let name = path.file_name().map(|n| n.to_string_lossy().to_string());
            let name = name.unwrap_or_default();
            if !(name.starts_with("Cargo.lock") || name.ends_with(".lock")) {
                continue;
            }
            let inv = check_against_toml(&rel, artificial.contains(&rel.as_str()));
            // same-git unifies two entries of one crate at one commit (see module docs)
            if !rel.ends_with("same-git") {
                let text = std::fs::read_to_string(&path).expect("readable");
                let headers = text.lines().filter(|l| *l == "[[package]]").count();
                assert_eq!(inv.len(), headers, "{rel}: one package per [[package]]");
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 26, "all Cargo.lock fixtures visited");
}

#[test]
fn build_string_version() {
    for rel in [
        "osv-scanner-v1/package-with-build-string.lock",
        "scalibr/package-with-build-string.lock",
    ] {
        let (_, inv) = load(rel);
        assert_eq!(
            purls(&inv),
            set(&["pkg:cargo/wasi@0.10.2%2Bwasi-snapshot-preview1"])
        );
        let p = pkg(&inv, "pkg:cargo/wasi@0.10.2%2Bwasi-snapshot-preview1");
        assert_eq!(p.version.as_deref(), Some("0.10.2+wasi-snapshot-preview1"));
        assert_eq!(
            sha(p),
            Some("fd6fbd9a79829dd1ad0cc20627bf1ed606756a7f77edff7b66b7064f9cb327c6")
        );
        assert_eq!(p.source.as_deref(), Some(CRATES));
        assert_eq!(lines(p), vec![5]);
        assert_eq!(p.kind, PackageKind::Library);
        assert_eq!(inv.edges().count(), 0);
        assert_eq!(inv.roots().count(), 0);
    }
}

#[test]
fn local_package_is_a_root_and_missing_dep_is_recorded() {
    for rel in [
        "osv-scanner-v1/two-packages-with-local.lock",
        "scalibr/two-packages-with-local.lock",
    ] {
        let (_, inv) = load(rel);
        assert_eq!(
            purls(&inv),
            set(&[
                "pkg:cargo/addr2line@0.15.2",
                "pkg:cargo/local-rust-pkg@0.1.0"
            ])
        );
        let local = pkg(&inv, "pkg:cargo/local-rust-pkg@0.1.0");
        assert_eq!(local.kind, PackageKind::Project);
        assert_eq!(local.source, None);
        assert_eq!(lines(local), vec![14]);
        assert_eq!(roots(&inv), set(&["pkg:cargo/local-rust-pkg@0.1.0"]));
        let addr = pkg(&inv, "pkg:cargo/addr2line@0.15.2");
        // `gimli` is not in the file: no edge, but not silently dropped either
        assert_eq!(
            addr.properties.get(PROP_UNRESOLVED).map(String::as_str),
            Some("gimli")
        );
        assert_eq!(inv.edges().count(), 0);
    }
}

#[test]
fn duplicate_names_and_many_packages() {
    let (_, inv) = load("scalibr/duplicate.lock");
    assert_eq!(
        purls(&inv),
        set(&["pkg:cargo/syn@1.0.73", "pkg:cargo/syn@2.0.0"])
    );
    assert_eq!(sha(pkg(&inv, "pkg:cargo/syn@2.0.0")), None);
    assert_eq!(
        sha(pkg(&inv, "pkg:cargo/syn@1.0.73")),
        Some("f71489ff30030d2ae598524f61326b902466f72a0fb1a8564c001cc63425bcc7")
    );

    let (_, inv) = load("scalibr/many-packages.lock");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:cargo/zstd@0.11.2",
            "pkg:cargo/aho-corasick@0.7.18",
            "pkg:cargo/memchr@2.4.1",
            "pkg:cargo/syn@1.0.109",
            "pkg:cargo/libc@0.2.140",
            "pkg:cargo/syn@2.0.15",
        ])
    );
    assert_eq!(
        edges(&inv),
        pairs(&[("pkg:cargo/aho-corasick@0.7.18", "pkg:cargo/memchr@2.4.1")])
    );
}

#[test]
fn v1_metadata_checksums_and_full_dependency_ids() {
    let (_, inv) = load("rustsec/cargo-lock/Cargo.lock.v1");
    assert_eq!(inv.len(), 141);
    let aho = pkg(&inv, "pkg:cargo/aho-corasick@0.7.6");
    assert_eq!(lines(aho), vec![9]);
    let memchr = inv.find("pkg:cargo/memchr@2.2.1").expect("memchr");
    assert_eq!(
        inv.dependencies_of(inv.find("pkg:cargo/aho-corasick@0.7.6").expect("aho"))
            .collect::<Vec<_>>(),
        vec![memchr]
    );
    assert_eq!(
        sha(inv.package(memchr)),
        Some("88579771288728879b57485cc7d6b07d648c9f0141eb955f8ab7f9d45394468e")
    );
    // 136 `checksum` keys in [metadata], each on a distinct package
    let hashed = inv.packages().filter(|(_, p)| sha(p).is_some()).count();
    assert_eq!(hashed, 136);
    let cargo = pkg(&inv, "pkg:cargo/cargo@0.40.0");
    assert_eq!(cargo.kind, PackageKind::Project);
    assert!(roots(&inv).contains("pkg:cargo/cargo@0.40.0"));

    let (_, inv) = load("rustsec/cargo-audit/base64_vuln/Cargo.lock");
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("pkg:cargo/base64@0.5.1", "pkg:cargo/byteorder@1.3.1"),
            ("pkg:cargo/base64_vuln@0.1.0", "pkg:cargo/base64@0.5.1"),
        ])
    );
    assert_eq!(roots(&inv), set(&["pkg:cargo/base64_vuln@0.1.0"]));
    assert_eq!(
        sha(pkg(&inv, "pkg:cargo/byteorder@1.3.1")),
        Some("a019b10a2a7cdeb292db131fc8113e57ea2a908f6e7894b0c3c671893b65dbeb")
    );
}

#[test]
fn v2_v3_v4_minimal_dependency_forms() {
    for v in ["v2", "v3", "v4"] {
        let (_, inv) = load(&format!("rustsec/cargo-lock/Cargo.lock.{v}"));
        assert_eq!(roots(&inv), set(&["pkg:cargo/cargo-lock@7.0.1"]), "{v}");
        let root = inv.find("pkg:cargo/cargo-lock@7.0.1").expect("root");
        let deps: BTreeSet<String> = inv
            .dependencies_of(root)
            .map(|d| inv.package(d).name.clone())
            .collect();
        let want = set(&["gumdrop", "petgraph", "semver", "serde", "toml", "url"]);
        assert_eq!(deps, want, "{v}");
    }
    let (_, inv) = load("rustsec/cargo-lock/Cargo.lock.v4");
    let toml = inv
        .packages()
        .find(|(_, p)| p.name == "toml")
        .map(|(_, p)| p)
        .expect("toml");
    assert_eq!(
        toml.purl.as_ref().map(|p| p.qualifier("vcs_url")),
        Some(Some(
            "git+https://github.com/weihanglo/toml.git@9e406273177740fa85b86b78e6d5105e932edef0"
        ))
    );
    assert_eq!(
        toml.source.as_deref(),
        Some(
            "git+https://github.com/weihanglo/toml.git?branch=a-_%2B%23%24%29z#9e406273177740fa85b86b78e6d5105e932edef0"
        )
    );
    // this artificial file names three crates it does not contain
    assert_eq!(
        toml.properties.get(PROP_UNRESOLVED).map(String::as_str),
        Some("serde_spanned 0.6.6, toml_datetime 0.6.6, toml_edit 0.22.14")
    );
    assert_eq!(lines(toml), vec![181]);
}

const GIT_BRANCH: &str = "pkg:cargo/branch@0.0.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frustsec%2Frustsec%40b8e3025aa30ea65144372bd68d26090c0f31bea2";
const GIT_TAG: &str = "pkg:cargo/tag@0.0.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frustsec%2Frustsec%40c460e54ecd66a5da8d9725ee419b5199b552e0e6";

#[test]
fn git_refs_and_same_git() {
    let (_, inv) = load("rustsec/cargo-lock/Cargo.lock.git-ref");
    let foo = "pkg:cargo/foo@0.0.0";
    assert_eq!(
        edges(&inv),
        pairs(&[
            (foo, "pkg:cargo/branch@0.0.0"),
            (foo, GIT_BRANCH),
            (foo, "pkg:cargo/tag@0.0.0"),
            (foo, GIT_TAG),
        ])
    );
    assert_eq!(roots(&inv).len(), 0);

    let (_, inv) = load("rustsec/cargo-lock/Cargo.lock.same-git");
    let commit = "%40d15b1ea01c6c9a496c2f169a212acd5b17fd0b1a";
    let git = |n: &str| {
        format!(
            "pkg:cargo/{n}?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fnagisa%2Frust_tracy_client{commit}"
        )
    };
    let (tt, tc, ts) = (
        git("tracing-tracy@0.10.1"),
        git("tracy-client@0.15.0"),
        git("tracy-client-sys@0.19.0"),
    );
    assert_eq!(purls(&inv), set(&["pkg:cargo/foo@0.1.0", &tt, &tc, &ts]));
    // two `?rev=` spellings of one crate version at one commit: one package, two lines
    assert_eq!(lines(pkg(&inv, &tc)), vec![21, 29]);
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("pkg:cargo/foo@0.1.0", &tt),
            ("pkg:cargo/foo@0.1.0", &tc),
            (&tt, &tc),
            (&tc, &ts),
        ])
    );
}

#[test]
fn source_disambiguation() {
    let dir = "rustsec/cargo-lock/source_disambiguation/Cargo.lock.";
    let other_reg = "?repository_url=https:%2F%2Fgithub.com%2Frustsec%2Frustsec";
    let git = |c: &str| format!("?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frustsec%2Frustsec%40{c}");
    let cases: Vec<(&str, String, String)> = vec![
        (
            "single_version_different_registries",
            format!("pkg:cargo/bytes@1.2.1{other_reg}"),
            "pkg:cargo/bytes@1.2.1".into(),
        ),
        (
            "single_version_different_source_types",
            format!(
                "pkg:cargo/bytes@1.2.1{}",
                git("19152556777da5248ee0e7b562fdb37c76457c4b")
            ),
            "pkg:cargo/bytes@1.2.1".into(),
        ),
        (
            "two_versions_different_registries",
            format!("pkg:cargo/bytes@0.6.0{other_reg}"),
            "pkg:cargo/bytes@1.2.1".into(),
        ),
        (
            "two_versions_different_source_types",
            format!(
                "pkg:cargo/bytes@0.6.0{}",
                git("d6629dbc30725ed892f781042adb3393a43ad4be")
            ),
            "pkg:cargo/bytes@1.2.1".into(),
        ),
        (
            "two_versions_same_registry",
            "pkg:cargo/bytes@0.6.0".into(),
            "pkg:cargo/bytes@1.2.1".into(),
        ),
    ];
    for (case, example_bytes, bytestring_bytes) in cases {
        let (_, inv) = load(&format!("{dir}{case}"));
        let (ex, bs) = ("pkg:cargo/example@0.1.0", "pkg:cargo/bytestring@1.1.0");
        assert_eq!(inv.len(), 4, "{case}");
        assert_eq!(
            edges(&inv),
            pairs(&[(ex, &example_bytes), (ex, bs), (bs, &bytestring_bytes)]),
            "{case}"
        );
        assert_eq!(roots(&inv), set(&[ex]), "{case}");
    }
}

#[test]
fn cargo_audit_cases() {
    let expect: BTreeMap<&str, (usize, &str)> = [
        ("no_vulns", (1, "pkg:cargo/no_vulns@0.1.0")),
        ("notice", (5, "pkg:cargo/notice-dep@0.1.0")),
        ("unaffected-newer", (94, "pkg:cargo/unaffected-newer@0.1.0")),
        ("unmaintained", (2, "pkg:cargo/unmaintained-dep@0.1.0")),
        ("unsound", (7, "pkg:cargo/unsound-dep@0.1.0")),
        ("yanked", (2, "pkg:cargo/yanked@0.1.0")),
        ("branch-regression", (851, "pkg:cargo/ulcore@0.1.0")),
    ]
    .into_iter()
    .collect();
    for (dir, (count, root)) in expect {
        let (_, inv) = load(&format!("rustsec/cargo-audit/{dir}/Cargo.lock"));
        assert_eq!(inv.len(), count, "{dir}");
        assert!(
            roots(&inv).contains(root),
            "{dir}: {root} in {:?}",
            roots(&inv)
        );
        if dir == "branch-regression" {
            assert_eq!(inv.roots().count(), 31);
        }
    }
    let (_, inv) = load("rustsec/cargo-audit/unsound/Cargo.lock");
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("pkg:cargo/unsound-dep@0.1.0", "pkg:cargo/ash@0.30.0"),
            ("pkg:cargo/ash@0.30.0", "pkg:cargo/libloading@0.5.2"),
            ("pkg:cargo/libloading@0.5.2", "pkg:cargo/cc@1.0.79"),
            ("pkg:cargo/libloading@0.5.2", "pkg:cargo/winapi@0.3.9"),
            (
                "pkg:cargo/winapi@0.3.9",
                "pkg:cargo/winapi-i686-pc-windows-gnu@0.4.0"
            ),
            (
                "pkg:cargo/winapi@0.3.9",
                "pkg:cargo/winapi-x86_64-pc-windows-gnu@0.4.0"
            ),
        ])
    );
    let (_, inv) = load("rustsec/cargo-lock/Cargo.lock.unused-patch");
    // `[[patch.unused]]` entries are not part of the build
    assert_eq!(
        purls(&inv),
        set(&["pkg:cargo/bitflags@2.10.0", "pkg:cargo/rust-example@0.1.0"])
    );
}

#[test]
fn realworld_uv_lockfile() {
    let Some(text) = kit::corpus::read_to_string("realworld/uv/Cargo.lock") else {
        return;
    };
    let value: toml::Value = toml::from_str(&text).expect("toml");
    let entries = value["package"].as_array().expect("package array");
    let local = entries.iter().filter(|e| e.get("source").is_none()).count();
    // a crate may depend on itself (uv-preview does, for test features): no self-edges
    let dep_strings: usize = entries
        .iter()
        .map(|e| {
            let name = e.get("name").and_then(|n| n.as_str()).unwrap_or("");
            e.get("dependencies")
                .and_then(|d| d.as_array())
                .map_or(0, |d| {
                    d.iter()
                        .filter(|s| s.as_str().and_then(|s| s.split(' ').next()) != Some(name))
                        .count()
                })
        })
        .sum();
    let inv = parse_cargo_lock("Cargo.lock", &text).expect("uv Cargo.lock parses");
    eprintln!(
        "uv Cargo.lock: {} entries, {} packages, {} local, {} edges",
        entries.len(),
        inv.len(),
        local,
        inv.edges().count()
    );
    assert_eq!(inv.len(), entries.len());
    assert_eq!(inv.roots().count(), local);
    assert_eq!(
        inv.edges().count(),
        dep_strings,
        "every dependency string is one edge"
    );
    assert!(
        inv.packages()
            .all(|(_, p)| !p.properties.contains_key(PROP_UNRESOLVED))
    );
    assert!(roots(&inv).iter().any(|r| r.starts_with("pkg:cargo/uv@")));
}
