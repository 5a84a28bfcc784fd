//! Shared helpers for the VEX tests.
#![allow(dead_code)]

use std::path::PathBuf;

use chainproof_core::vuln::{Finding, Severity};
use chainproof_core::{Ecosystem, Inventory, Package, PackageId};

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vex")
        .join(rel)
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).expect("fixture exists")
}

/// Adds a package with this purl (its ecosystem does not matter for VEX).
pub fn add(inv: &mut Inventory, purl: &str) -> PackageId {
    let p: chainproof_purl::Purl = chainproof_purl::Purl::parse_lenient(purl).expect("test purl");
    let pkg = Package::new(Ecosystem::Npm, p.name(), p.version()).with_purl(p);
    inv.add_package(pkg)
}

pub fn finding(id: &str, aliases: &[&str], package: PackageId) -> Finding {
    Finding {
        id: id.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        summary: None,
        package,
        affected: vec![],
        fixed_versions: vec![],
        severity: Severity::unknown(),
        references: vec![],
        sources: vec![],
        vex: None,
    }
}
