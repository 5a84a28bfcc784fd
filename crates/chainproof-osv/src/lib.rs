//! OSV advisories, offline: a lenient model of the OSV schema, an indexed database built from
//! OSV JSON/YAML directories, `all.zip` exports and RustSec/HSEC Markdown advisories, the
//! matcher that evaluates OSV ranges with each ecosystem's exact version order, CVSS scoring,
//! and VEX (OpenVEX, CycloneDX VEX, CSAF) to refine findings.
//!
//! Findings are [`chainproof_core::vuln::Finding`]s; rendering them is `chainproof-report`'s job.
#![forbid(unsafe_code)]

pub mod ignore;
pub mod vex;
