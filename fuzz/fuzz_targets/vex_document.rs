//! VEX documents (OpenVEX, CycloneDX VEX, CSAF): parse arbitrary bytes, apply to a small
//! inventory, merge, and write both output formats. Must never panic.
#![no_main]

use chainproof_core::vuln::{Finding, Severity};
use chainproof_core::{Ecosystem, Inventory, Package};
use chainproof_osv::vex::{VexSet, cyclonedx, merge, openvex, parse_document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(statements) = parse_document(data, "fuzz.json") else { return };
    let mut inv = Inventory::default();
    let purl = "pkg:npm/lodash@4.17.20".parse().expect("valid purl");
    let a = inv.add_package(Package::new(Ecosystem::Npm, "lodash", Some("4.17.20")).with_purl(purl));
    let b = inv.add_package(Package::new(Ecosystem::Npm, "app", Some("1.0.0")));
    inv.add_edge(b, a);
    let ids: Vec<String> = statements.iter().map(|s| s.vulnerability.clone()).take(8).collect();
    let mut findings: Vec<Finding> = ids
        .iter()
        .flat_map(|id| [a, b].map(|p| Finding {
            id: id.clone(),
            aliases: vec![],
            summary: None,
            package: p,
            affected: vec![],
            fixed_versions: vec![],
            severity: Severity::unknown(),
            references: vec![],
            sources: vec![],
            vex: None,
        }))
        .collect();
    VexSet::from_statements(statements.clone()).apply(&inv, &mut findings);
    let merged = merge(statements);
    let meta = openvex::DocumentMeta::default();
    let _ = openvex::write(&merged, &meta);
    let _ = cyclonedx::write(&merged, &meta, None);
});
