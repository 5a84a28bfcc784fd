//! Golden tests for the `cabal-freeze` and `stack-lock` catalogers on scalibr's
//! stack.yaml.lock fixtures and hand-written files (`tests/fixtures/haskell/`, see SOURCES.md).

use std::collections::BTreeMap;
use std::path::Path;

use chainproof_catalog::Cataloger;
use chainproof_catalog::haskell::cabal::{
    PROP_CONSTRAINT, PROP_FLAGS, PROP_INDEX_STATE, PROP_INSTALLED,
};
use chainproof_catalog::haskell::stack::{
    PROP_CABAL_SHA256, PROP_CABAL_SIZE, PROP_PANTRY_TREE, PROP_SNAPSHOT,
};
use chainproof_catalog::haskell::{
    CabalFreezeCataloger, StackLockCataloger, parse_cabal_freeze, parse_stack_lock,
};
use chainproof_core::{HashAlgorithm, Inventory, Package, Scope};
use chainproof_source::MemoryResolver;

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/haskell")
            .join(rel),
    )
    .expect("fixture exists")
}

/// purl → package
fn by_purl(inv: &Inventory) -> BTreeMap<String, &Package> {
    inv.packages()
        .map(|(_, p)| (p.purl.as_ref().expect("purl").to_string(), p))
        .collect()
}

#[test]
fn stack_lock_scalibr_valid() {
    let inv =
        parse_stack_lock("stack.yaml.lock", &fixture("scalibr-stacklock/valid")).expect("parses");
    let m = by_purl(&inv);
    let keys: Vec<&str> = m.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "pkg:hackage/fuzzyset@0.2.4",
            "pkg:hackage/hasql-pool@1.0.1",
            "pkg:hackage/jose-jwt@0.10.0",
            "pkg:hackage/postgresql-libpq@0.10.1.0",
        ]
    );
    let f = m["pkg:hackage/fuzzyset@0.2.4"];
    assert_eq!(
        f.properties.get(PROP_CABAL_SHA256).map(String::as_str),
        Some("f1b6de8bf33277bf6255207541d65028f1f1ea93af5541b654c86b5674995485")
    );
    assert_eq!(
        f.properties.get(PROP_CABAL_SIZE).map(String::as_str),
        Some("1618")
    );
    assert_eq!(
        f.properties.get(PROP_PANTRY_TREE).map(String::as_str),
        Some("cee68e8d88f530e9e0588b81b260236936fe3318ef9a66e9f43f680b4cd5f76e")
    );
    assert_eq!(
        f.properties.get(PROP_SNAPSHOT).map(String::as_str),
        Some("lts-22.41")
    );
    assert_eq!(f.locations[0].line, Some(8));
    assert_eq!(
        m["pkg:hackage/postgresql-libpq@0.10.1.0"].locations[0].line,
        Some(29)
    );
    assert_eq!(inv.edges().count(), 0);
}

#[test]
fn stack_lock_scalibr_invalid_is_empty() {
    // `packages:` with no entries is a null list: nothing to report, not an error
    let inv =
        parse_stack_lock("stack.yaml.lock", &fixture("scalibr-stacklock/invalid")).expect("parses");
    assert!(inv.is_empty());
}

#[test]
fn stack_lock_git_and_archive_entries() {
    let inv = parse_stack_lock("stack.yaml.lock", &fixture("chainproof/stack.yaml.lock"))
        .expect("parses");
    let m = by_purl(&inv);
    assert_eq!(m.len(), 3);
    assert!(m.contains_key("pkg:hackage/acme-missiles@0.3"));
    let git = m["pkg:hackage/network-uri@2.7.0.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fhaskell%2Fnetwork-uri%406f2e6bd4c8b5b8a9a8d7c6b5a4f3e2d1c0b9a8f7"];
    assert_eq!(git.locations[0].line, Some(15));
    let url = m["pkg:hackage/text-icu@0.8.0.5?download_url=https:%2F%2Fhackage.haskell.org%2Fpackage%2Ftext-icu-0.8.0.5%2Ftext-icu-0.8.0.5.tar.gz"];
    assert_eq!(url.hashes.len(), 1);
    assert_eq!(url.hashes[0].algorithm, HashAlgorithm::Sha256);
    assert_eq!(
        url.hashes[0].value,
        "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0"
    );
    assert!(
        inv.packages()
            .all(|(_, p)| p.properties.get(PROP_SNAPSHOT).map(String::as_str) == Some("lts-21.25"))
    );
}

#[test]
fn stack_lock_errors() {
    let e = parse_stack_lock(
        "stack.yaml.lock",
        "packages:\n- completed:\n    hackage: nover@sha256:ab,1\n",
    )
    .expect_err("no version");
    assert_eq!(e.line, Some(3));
    let e = parse_stack_lock("stack.yaml.lock", "packages: [\n").expect_err("yaml");
    assert!(e.line.is_some());
    assert!(parse_stack_lock("stack.yaml.lock", "packages: 3\n").is_err());
    assert!(parse_stack_lock("stack.yaml.lock", "- a\n").is_err());
}

#[test]
fn cabal_freeze() {
    let inv = parse_cabal_freeze(
        "cabal.project.freeze",
        &fixture("chainproof/cabal.project.freeze"),
    )
    .expect("parses");
    let m = by_purl(&inv);
    let keys: Vec<&str> = m.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "pkg:hackage/Cabal-syntax@3.10.3.0",
            "pkg:hackage/Cabal@3.10.3.0",
            "pkg:hackage/aeson@2.2.3.0",
            "pkg:hackage/base@4.18.2.1",
            "pkg:hackage/bytestring@0.11.5.3",
            "pkg:hackage/ghc-prim@0.10.0",
            "pkg:hackage/hashable@1.4.7.0",
            "pkg:hackage/rts@1.0.2",
            "pkg:hackage/text@2.0.2",
            "pkg:hackage/unix",
            "pkg:hackage/warp@3.4.1",
        ]
    );
    // `any.Cabal` (runtime) and `setup.Cabal` (dev) are one package: runtime wins
    assert_eq!(m["pkg:hackage/Cabal@3.10.3.0"].scope, Scope::Runtime);
    assert_eq!(
        m["pkg:hackage/Cabal@3.10.3.0"]
            .properties
            .get(PROP_FLAGS)
            .map(String::as_str),
        Some("-bundled-binary-generic")
    );
    assert_eq!(m["pkg:hackage/Cabal-syntax@3.10.3.0"].scope, Scope::Dev);
    assert_eq!(
        m["pkg:hackage/aeson@2.2.3.0"]
            .properties
            .get(PROP_FLAGS)
            .map(String::as_str),
        Some("+ordered-keymap")
    );
    assert_eq!(
        m["pkg:hackage/unix"]
            .properties
            .get(PROP_INSTALLED)
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(m["pkg:hackage/unix"].version, None);
    assert_eq!(m["pkg:hackage/aeson@2.2.3.0"].locations[0].line, Some(4));
    assert_eq!(m["pkg:hackage/warp@3.4.1"].locations[0].line, Some(16));
    assert_eq!(
        m["pkg:hackage/text@2.0.2"]
            .properties
            .get(PROP_INDEX_STATE)
            .map(String::as_str),
        Some("hackage.haskell.org 2024-06-10T12:00:00Z")
    );
}

#[test]
fn cabal_freeze_edge_cases() {
    let t = "-- comment\nconstraints: any.a ==1.0, any.b >=2 && <3,\n  c ==0.1\n";
    let inv = parse_cabal_freeze("f", t).expect("parses");
    let m = by_purl(&inv);
    assert_eq!(m.len(), 3);
    assert_eq!(
        m["pkg:hackage/b"]
            .properties
            .get(PROP_CONSTRAINT)
            .map(String::as_str),
        Some(">=2 && <3")
    );
    assert_eq!(m["pkg:hackage/c@0.1"].locations[0].line, Some(3));
    let e = parse_cabal_freeze("f", "constraints: any.a ==1,\n  any. ==2\n").expect_err("no name");
    assert_eq!(e.line, Some(2));
    assert!(parse_cabal_freeze("f", "  stray\n").is_err());
    assert!(parse_cabal_freeze("f", "").expect("empty").is_empty());
}

#[test]
fn catalogers_match() {
    assert!(CabalFreezeCataloger.matches("a/cabal.project.freeze"));
    assert!(!CabalFreezeCataloger.matches("cabal.project"));
    assert!(StackLockCataloger.matches("stack.yaml.lock"));
    assert!(!StackLockCataloger.matches("stack.yaml"));
    let r = MemoryResolver::new().with_file("stack.yaml.lock", fixture("scalibr-stacklock/valid"));
    assert_eq!(
        StackLockCataloger
            .catalog(&r, "stack.yaml.lock")
            .expect("parses")
            .len(),
        4
    );
}
