//! Times the phases of scanning an SBOM: read + decode (chainproof-sbom), `Database::open`,
//! and `scan`, each in-process (the whole-process figure is `bench/scan.sh`).
//!
//! `cargo run --release -p chainproof-osv --example scan_sbom -- <DB> <SBOM.json>`

use std::path::PathBuf;
use std::time::Instant;

use chainproof_osv::{Database, ScanOptions, scan};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: scan_sbom <DB> <SBOM.json>";
    let db_path = PathBuf::from(args.next().ok_or(usage)?);
    let sbom = args.next().ok_or(usage)?;

    let t = Instant::now();
    let bytes = std::fs::read(&sbom)?;
    let decoded = chainproof_sbom::decode(&bytes, &sbom)?;
    let decode = t.elapsed();
    let t = Instant::now();
    let db = Database::open(&db_path)?;
    let open = t.elapsed();
    let t = Instant::now();
    let (findings, summary) = scan(&decoded.inventory, &db, &ScanOptions::default());
    let scanned = t.elapsed();
    println!(
        "decode {:.2?} ({} packages); open {:.2?}; scan {:.2?}: {} findings, {} audited, {} not audited",
        decode,
        decoded.inventory.len(),
        open,
        scanned,
        findings.len(),
        summary.audited,
        summary.not_audited.len()
    );
    Ok(())
}
