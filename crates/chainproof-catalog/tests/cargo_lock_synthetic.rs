//! `cargo-lock` cataloger: hand-written lockfiles for corners the corpus lacks (the `[root]`
//! table, sparse registries), malformed input, truncations, and the cataloger/runner wiring.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chainproof_catalog::cargo::{CargoLockCataloger, parse_cargo_lock};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog};
use chainproof_core::{HashAlgorithm, Inventory};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::{lines, pairs, pkg, set};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cargo")
}

fn key(p: &chainproof_core::Package) -> String {
    p.purl
        .as_ref()
        .expect("every cargo package has a purl")
        .to_string()
}

fn purls(inv: &Inventory) -> BTreeSet<String> {
    kit::inv::keys(inv, key)
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

#[test]
fn old_root_table_sparse_registry_and_path_preference() {
    let text = r#"[root]
name = "app"
version = "0.1.0"
dependencies = [
 "helper 0.1.0",
 "serde 1.0.0 (sparse+https://index.crates.io/)",
]

[[package]]
name = "helper"
version = "0.1.0"

[[package]]
name = "helper"
version = "0.1.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "1.0.0"
source = "sparse+https://index.crates.io/"

[metadata]
"checksum helper 0.1.0 (registry+https://github.com/rust-lang/crates.io-index)" = "<none>"
"checksum serde 1.0.0 (sparse+https://index.crates.io/)" = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
"#;
    let inv = parse_cargo_lock("Cargo.lock", text).expect("parses");
    // the local helper and the crates.io helper share a purl: they are unified
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:cargo/app@0.1.0",
            "pkg:cargo/helper@0.1.0",
            "pkg:cargo/serde@1.0.0"
        ])
    );
    assert_eq!(lines(pkg(&inv, "pkg:cargo/app@0.1.0")), vec![1]);
    assert_eq!(
        sha(pkg(&inv, "pkg:cargo/serde@1.0.0")),
        Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("pkg:cargo/app@0.1.0", "pkg:cargo/helper@0.1.0"),
            ("pkg:cargo/app@0.1.0", "pkg:cargo/serde@1.0.0"),
        ])
    );
    assert!(roots(&inv).contains("pkg:cargo/app@0.1.0"));
}

#[test]
fn malformed_input_is_an_error_with_a_line() {
    let err = |text: &str| parse_cargo_lock("Cargo.lock", text).expect_err("must fail");
    let e = err("version = 3\n\n[[package]\nname = \"a\"\n");
    assert_eq!((e.path.as_str(), e.line), ("Cargo.lock", Some(3)));
    let e = err("this is not toml at all!\n");
    assert_eq!(e.line, Some(1));
    let e = err("version = 3\n[[package]]\nname = 5\nversion = \"1\"\n");
    assert_eq!(e.line, Some(3), "{e}");
    let e = err("[[package]]\nname = \"a\"\n");
    assert_eq!(e.line, Some(1), "missing version: {e}");
    let e = err("[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [\n \"b 1 (x\",\n]\n");
    assert_eq!(e.line, Some(5), "{e}");
    assert!(e.to_string().contains("invalid dependency"), "{e}");
    let e = err("[[package]]\nname = \"\"\nversion = \"1\"\n");
    assert_eq!(e.line, Some(2), "{e}");
    let e = err("version = -1\n");
    assert_eq!(e.line, Some(1), "{e}");
    let e = err("[metadata]\n\"checksum a 1 (x)\" = 5\n");
    assert_eq!(e.line, Some(2), "{e}");
    // an empty lockfile has nothing to report, and is not an error
    assert!(
        parse_cargo_lock("Cargo.lock", "")
            .expect("empty")
            .is_empty()
    );
    assert!(
        parse_cargo_lock("Cargo.lock", "version = 4\n")
            .expect("no packages")
            .is_empty()
    );
}

#[test]
fn cataloger_reads_through_the_resolver_and_runner_records_failures() {
    let c = CargoLockCataloger;
    assert_eq!(c.name(), "cargo-lock");
    assert!(c.matches("Cargo.lock") && c.matches("a/b/Cargo.lock"));
    assert!(!c.matches("Cargo.toml") && !c.matches("xCargo.lock"));
    let good = std::fs::read(fixture_dir().join("rustsec/cargo-audit/unsound/Cargo.lock"))
        .expect("fixture");
    let r = MemoryResolver::new()
        .with_file("ok/Cargo.lock", good)
        .with_file("bad/Cargo.lock", b"[[package]\n".to_vec())
        .with_file("bin/Cargo.lock", vec![0xff, 0xfe, 0x00]);
    let inv = c.catalog(&r, "ok/Cargo.lock").expect("parses");
    assert_eq!(inv.len(), 7);
    assert_eq!(
        pkg(&inv, "pkg:cargo/ash@0.30.0").locations[0].path,
        "ok/Cargo.lock"
    );
    let all = catalog(
        &r,
        &[Box::new(CargoLockCataloger)],
        &CatalogOptions::default(),
    );
    assert_eq!(all.len(), 7);
    let bad: Vec<_> = all
        .unparsed()
        .iter()
        .map(|u| u.location.to_string())
        .collect();
    assert_eq!(bad, vec!["bad/Cargo.lock:1", "bin/Cargo.lock"]);
}

#[test]
fn every_prefix_of_small_fixtures_parses_or_fails_cleanly() {
    for rel in [
        "rustsec/cargo-audit/base64_vuln/Cargo.lock",
        "rustsec/cargo-lock/Cargo.lock.same-git",
        "rustsec/cargo-lock/Cargo.lock.git-ref",
        "scalibr/two-packages-with-local.lock",
    ] {
        let text = std::fs::read_to_string(fixture_dir().join(rel)).expect("fixture");
        let mut ok = 0;
        for (i, _) in text.char_indices() {
            match parse_cargo_lock("Cargo.lock", &text[..i]) {
                Ok(_) => ok += 1,
                Err(e) => assert!(e.line.is_some(), "{rel}[..{i}]: error without a line: {e}"),
            }
        }
        assert!(ok > 0, "{rel}: some prefixes are valid lockfiles");
    }
}
