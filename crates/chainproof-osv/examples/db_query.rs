//! Measures opening a database and scanning a synthetic inventory against it.
//!
//! `cargo run --release -p chainproof-osv --example db_query -- <DB> [PACKAGES]`: builds an
//! inventory of PACKAGES (default 10,000) packages drawn from the names and versions in the
//! database (every ecosystem it holds, round robin), then times `Database::open` and `scan`.

use std::path::PathBuf;
use std::time::Instant;

use chainproof_core::{Inventory, Package, SourceInfo};
use chainproof_osv::ecosystem::core_ecosystem;
use chainproof_osv::{Database, EcosystemName, ScanOptions, scan};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().ok_or("usage: db_query <DB> [PACKAGES]")?);
    let want: usize = args.next().map_or(Ok(10_000), |s| s.parse())?;

    let db = Database::open(&path)?;
    // Candidate packages: the first affected version or fixed version of records.
    let mut pkgs = Vec::new();
    for i in 0..db.record_count() {
        if pkgs.len() >= want {
            break;
        }
        let r = db.record(i)?;
        for a in &r.affected {
            let Some(p) = &a.package else { continue };
            let base = EcosystemName::parse(&p.ecosystem).base;
            let v = a.versions.first().cloned().or_else(|| {
                a.ranges
                    .iter()
                    .flat_map(|r| &r.events)
                    .find_map(|e| e.fixed.clone())
            });
            if let Some(v) = v {
                pkgs.push(Package::new(
                    core_ecosystem(&base),
                    p.name.clone(),
                    Some(&v),
                ));
            }
        }
    }
    let mut i = 0;
    let mut inv = Inventory::new(SourceInfo::default());
    while inv.len() < want && !pkgs.is_empty() {
        // Pad with renamed copies so the inventory reaches the size asked for.
        let mut p = pkgs[i % pkgs.len()].clone();
        if i >= pkgs.len() {
            p.name = format!("{}-{}", p.name, i / pkgs.len());
        }
        inv.add_package(p);
        i += 1;
    }

    let t = Instant::now();
    let db = Database::open(&path)?;
    let open = t.elapsed();
    let t = Instant::now();
    let (findings, summary) = scan(&inv, &db, &ScanOptions::default());
    let scanned = t.elapsed();
    println!(
        "open {:.2?}; scan of {} packages {:.2?}: {} findings, {} audited, {} not audited",
        open,
        inv.len(),
        scanned,
        findings.len(),
        summary.audited,
        summary.not_audited.len()
    );
    Ok(())
}
