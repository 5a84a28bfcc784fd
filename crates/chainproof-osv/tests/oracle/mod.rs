//! The accuracy oracle shared by the hermetic and corpus tests: every version an OSV record
//! lists in `affected[].versions` must be reported vulnerable to that record, and every
//! `fixed` version must not be (unless the record's `versions` list or another interval of the
//! record covers it).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use chainproof_core::{Inventory, Package, SourceInfo};
use chainproof_osv::ecosystem::core_ecosystem;
use chainproof_osv::import::{Imported, ImportedRecord, import_path};
use chainproof_osv::{Database, DatabaseBuilder, EcosystemName, ScanOptions, scan};
use chainproof_version::Scheme;

/// Counts of an accuracy run.
#[derive(Debug, Default)]
pub struct Stats {
    pub records: usize,
    pub withdrawn: usize,
    pub listed_checked: usize,
    pub fixed_checked: usize,
    pub fixed_covered_elsewhere: usize,
    /// (ecosystem, reason) → versions not checked.
    pub unchecked: BTreeMap<String, usize>,
    /// Failures: record, package, version, what went wrong.
    pub failures: Vec<String>,
}

pub fn import_all(paths: &[&Path]) -> Imported {
    let mut all = Imported::default();
    for p in paths {
        all.extend(import_path(p).unwrap_or_else(|e| panic!("import {}: {e}", p.display())));
    }
    all
}

pub fn build_db(records: &[ImportedRecord], dir: &Path) -> Database {
    let mut b = DatabaseBuilder::new();
    for r in records {
        b.add(r);
    }
    let path = dir.join("osv.db");
    b.write(&path, 1_700_000_000).expect("db written");
    Database::open(&path).expect("db opens")
}

/// Independent, simple interval oracle: is `v` inside some `[introduced, fixed)` /
/// `[introduced, last_affected]` interval of the ranges, reading events in written order
/// after sorting by version (ties: introduced first)?
fn covered(scheme: Scheme, v: &str, ranges: &[&chainproof_osv::Range]) -> bool {
    let Ok(pv) = scheme.parse(v) else {
        return false;
    };
    for r in ranges {
        let mut evs: Vec<(u8, Option<chainproof_version::Version>)> = Vec::new();
        for e in &r.events {
            if let Some(i) = &e.introduced {
                evs.push((0, if i == "0" { None } else { scheme.parse(i).ok() }));
            }
            if let Some(Ok(f)) = e.fixed.as_deref().map(|f| scheme.parse(f)) {
                evs.push((1, Some(f)));
            }
            if let Some(Ok(l)) = e.last_affected.as_deref().map(|l| scheme.parse(l)) {
                evs.push((2, Some(l)));
            }
        }
        evs.sort_by(|a, b| match (&a.1, &b.1) {
            (None, None) => a.0.cmp(&b.0),
            (None, _) => std::cmp::Ordering::Less,
            (_, None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x
                .partial_cmp(y)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.0.cmp(&b.0)),
        });
        let mut start: Option<Option<&chainproof_version::Version>> = None;
        for (kind, ver) in &evs {
            match kind {
                0 if start.is_none() => start = Some(ver.as_ref()),
                1 | 2 => {
                    if let (Some(s), Some(end)) = (start, ver) {
                        let above = s.is_none_or(|s| &pv >= s);
                        let below = if *kind == 1 { &pv < end } else { &pv <= end };
                        if above && below {
                            return true;
                        }
                    }
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start
            && s.is_none_or(|s| &pv >= s)
        {
            return true;
        }
    }
    false
}

/// One version to check against one record.
struct Probe {
    record: String,
    version: String,
    listed: bool,
    covered_elsewhere: bool,
}

/// Runs the oracle over every record of `records`, scanning with `db` (one scan per package
/// holding every version to check).
pub fn check(records: &[ImportedRecord], db: &Database) -> Stats {
    let mut stats = Stats::default();
    let mut seen = std::collections::HashSet::new();
    // (base ecosystem, name) → probes
    let mut by_pkg: BTreeMap<(String, String), Vec<Probe>> = BTreeMap::new();
    for imported in records {
        let rec = &imported.record;
        if !seen.insert(rec.id.clone()) {
            continue; // the same advisory under two paths (HSEC published/ and hackage/)
        }
        stats.records += 1;
        if rec.is_withdrawn() {
            stats.withdrawn += 1;
            continue;
        }
        for a in &rec.affected {
            let Some(p) = &a.package else { continue };
            let eco = EcosystemName::parse(&p.ecosystem);
            // A record may list the same package in several entries (Go: one per symbol set);
            // "covered elsewhere" looks at all of them.
            let same_pkg: Vec<&chainproof_osv::Affected> = rec
                .affected
                .iter()
                .filter(|o| {
                    o.package
                        .as_ref()
                        .is_some_and(|q| q.ecosystem == p.ecosystem && q.name == p.name)
                })
                .collect();
            let all_ranges: Vec<&chainproof_osv::Range> = same_pkg
                .iter()
                .flat_map(|o| o.ranges.iter())
                .filter(|r| r.kind == "SEMVER" || r.kind == "ECOSYSTEM")
                .collect();
            let all_listed: Vec<&String> =
                same_pkg.iter().flat_map(|o| o.versions.iter()).collect();
            let ranges: Vec<&chainproof_osv::Range> = a
                .ranges
                .iter()
                .filter(|r| r.kind == "SEMVER" || r.kind == "ECOSYSTEM")
                .collect();
            let fixed: Vec<&str> = ranges
                .iter()
                .flat_map(|r| r.events.iter())
                .filter_map(|e| e.fixed.as_deref())
                .collect();
            let Some(scheme) = Scheme::for_osv_ecosystem(&eco.base) else {
                *stats
                    .unchecked
                    .entry(format!(
                        "{}: no version order in chainproof-version",
                        eco.base
                    ))
                    .or_default() += a.versions.len() + fixed.len();
                continue;
            };
            let probes = by_pkg
                .entry((eco.base.clone(), p.name.clone()))
                .or_default();
            for (v, listed) in a
                .versions
                .iter()
                .map(|v| (v.as_str(), true))
                .chain(fixed.iter().map(|v| (*v, false)))
            {
                if scheme.parse(v).is_err() {
                    *stats
                        .unchecked
                        .entry(format!("{}: version the scheme cannot parse", eco.base))
                        .or_default() += 1;
                    continue;
                }
                let covered_elsewhere = !listed
                    && (all_listed.iter().any(|x| *x == v) || covered(scheme, v, &all_ranges));
                probes.push(Probe {
                    record: rec.id.clone(),
                    version: v.to_owned(),
                    listed,
                    covered_elsewhere,
                });
            }
        }
    }
    for ((base, name), probes) in by_pkg {
        let mut inv = Inventory::new(SourceInfo::default());
        let mut ids = BTreeMap::new();
        for pr in &probes {
            let id = inv.add_package(Package::new(
                core_ecosystem(&base),
                name.clone(),
                Some(&pr.version),
            ));
            ids.insert(pr.version.clone(), id);
        }
        let (findings, summary) = scan(&inv, db, &ScanOptions::default());
        for pr in probes {
            let id = ids[&pr.version];
            let v = &pr.version;
            if let Some(na) = summary.not_audited.iter().find(|n| n.package == id) {
                stats.failures.push(format!(
                    "{} {name} {v}: not audited: {}",
                    pr.record, na.reason
                ));
                continue;
            }
            let mine = |f: &&chainproof_core::vuln::Finding| {
                f.package == id && f.sources.contains(&pr.record)
            };
            let hit = findings.iter().any(|f| mine(&f));
            if pr.listed {
                stats.listed_checked += 1;
                if !hit {
                    stats.failures.push(format!(
                        "{} {name} {v}: listed version not reported",
                        pr.record
                    ));
                }
            } else {
                stats.fixed_checked += 1;
                if pr.covered_elsewhere {
                    stats.fixed_covered_elsewhere += 1;
                } else if hit {
                    stats.failures.push(format!(
                        "{} {name} {v}: fixed version reported vulnerable",
                        pr.record
                    ));
                }
            }
        }
    }
    stats
}
