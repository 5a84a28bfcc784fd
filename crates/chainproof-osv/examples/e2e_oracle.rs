//! Compares our findings with osv.dev answers recorded in the osv-scanner end-to-end cassettes.
//!
//! `cargo run --release -p chainproof-osv --example e2e_oracle -- <DB> <QUERIES.json>` where
//! QUERIES.json comes from `bench/e2e_queries.py` (a list of {ecosystem, name, version, ids}).
//! Prints a Markdown table: per query, the ids osv.dev returned that no finding of ours carries
//! (as its id or an alias), and our findings that carry none of osv.dev's ids.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chainproof_core::{Inventory, Package, SourceInfo};
use chainproof_osv::ecosystem::core_ecosystem;
use chainproof_osv::{Database, ScanOptions, scan};

#[derive(serde::Deserialize)]
struct Query {
    ecosystem: String,
    name: String,
    version: String,
    ids: Vec<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = PathBuf::from(args.next().ok_or("usage: e2e_oracle <DB> <QUERIES.json>")?);
    let qpath = args.next().ok_or("usage: e2e_oracle <DB> <QUERIES.json>")?;
    let queries: Vec<Query> = serde_json::from_slice(&std::fs::read(qpath)?)?;
    let db = Database::open(&db)?;
    let mut inv = Inventory::new(SourceInfo::default());
    let ids: Vec<_> = queries
        .iter()
        .map(|q| {
            inv.add_package(Package::new(
                core_ecosystem(&q.ecosystem),
                q.name.clone(),
                Some(&q.version),
            ))
        })
        .collect();
    let (findings, summary) = scan(&inv, &db, &ScanOptions::default());
    println!("| ecosystem | package | version | osv.dev ids | ours | only osv.dev | only ours |");
    println!("|---|---|---|---|---|---|---|");
    let (mut agree, mut differ) = (0, 0);
    for (q, id) in queries.iter().zip(&ids) {
        let expected: BTreeSet<&str> = q.ids.iter().map(String::as_str).collect();
        let ours: Vec<_> = findings.iter().filter(|f| f.package == *id).collect();
        let mut covered = BTreeSet::new();
        let mut extra = Vec::new();
        for f in &ours {
            let all: BTreeSet<&str> = std::iter::once(f.id.as_str())
                .chain(f.aliases.iter().map(String::as_str))
                .collect();
            let hit: Vec<&str> = all.intersection(&expected).copied().collect();
            if hit.is_empty() {
                extra.push(f.id.clone());
            }
            covered.extend(hit);
        }
        let missing: Vec<&str> = expected.difference(&covered).copied().collect();
        let not_audited = summary
            .not_audited
            .iter()
            .find(|n| n.package == *id)
            .map(|n| format!(" (not audited: {})", n.reason))
            .unwrap_or_default();
        if missing.is_empty() && extra.is_empty() {
            agree += 1;
        } else {
            differ += 1;
        }
        println!(
            "| {} | {} | {} | {} | {}{} | {} | {} |",
            q.ecosystem,
            q.name,
            q.version,
            q.ids.join(" "),
            ours.iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            not_audited,
            missing.join(" "),
            extra.join(" ")
        );
    }
    println!(
        "\n{agree} queries agree, {differ} differ ({} queries)",
        queries.len()
    );
    Ok(())
}
