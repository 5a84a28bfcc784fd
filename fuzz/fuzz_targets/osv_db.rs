#![no_main]
//! Arbitrary bytes as an offline OSV database (format 2): open, then walk every key's
//! matching data, every record (info, raw JSON, parsed record), and look up ids and names
//! (the keys the file itself holds, plus a few fixed ones). Every damage must be a
//! `DbError`: no panic, out-of-bounds slice, overflow, huge allocation or endless loop.
use std::path::Path;

use chainproof_osv::db::Database;
use libfuzzer_sys::fuzz_target;

/// Upper bound on the items walked per input, so a large valid database stays fast.
const LIMIT: usize = 256;

fuzz_target!(|data: &[u8]| {
    let Ok(db) = Database::from_bytes(data.to_vec(), Path::new("fuzz.db")) else {
        return;
    };
    let _ = db.meta();
    let records = db.record_count();
    let mut ids = Vec::new();
    for i in 0..records.min(LIMIT) {
        let _ = db.info(i);
        let _ = db.raw(i);
        ids.push(db.id_at(i).0.to_owned());
        // The packages a record names are keys of this database: look them up too.
        let Ok(rec) = db.record(i) else { continue };
        for p in rec
            .affected
            .iter()
            .filter_map(|a| a.package.as_ref())
            .take(8)
        {
            let base = chainproof_osv::EcosystemName::parse(&p.ecosystem).base;
            let name = chainproof_osv::ecosystem::normalize_name(&base, &p.name);
            for r in db.lookup(&base, &name).into_iter().take(LIMIT) {
                let _ = db.info(r);
            }
            if let Some(k) = db.key_number(&base, &name) {
                let _ = db.key_entries(k);
            }
        }
    }
    for id in ids
        .iter()
        .chain(["GHSA-xxxx-xxxx-xxxx".to_owned(), String::new()].iter())
    {
        let _ = db.find_id(id);
    }
    for (eco, name) in [
        ("PyPI", "requests"),
        ("npm", "lodash"),
        ("crates.io", "time"),
        ("", ""),
    ] {
        let _ = db.covers(eco);
        for r in db.lookup(eco, name).into_iter().take(LIMIT) {
            let _ = db.info(r);
        }
    }
    for k in 0..LIMIT {
        let Ok(entries) = db.key_entries(k) else {
            continue;
        };
        for e in entries.iter().take(LIMIT) {
            let _ = db.info(e.record as usize);
        }
    }
});
