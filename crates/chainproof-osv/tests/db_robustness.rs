//! A damaged database file must give a `DbError`, never a panic, an out-of-bounds slice, an
//! overflow, a huge allocation or an endless loop. A real database (built from the go and
//! pypa fixtures) is damaged at every byte position and truncated at every length; each
//! result is opened from bytes and walked like a scan does. Regressions from the `osv_db`
//! fuzz target follow.

use std::path::Path;

use chainproof_osv::ecosystem::normalize_name;
use chainproof_osv::{Database, DatabaseBuilder, EcosystemName};

fn fixture_db() -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut b = DatabaseBuilder::new();
    for sub in ["go", "pypa"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(sub))
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for f in files.iter().take(3) {
            let bytes = std::fs::read(f).expect("fixture");
            let name = f.display().to_string();
            let rec = if name.ends_with(".json") {
                chainproof_osv::import::parse_json(&bytes, &name).expect("json record")
            } else {
                chainproof_osv::import::parse_yaml(&bytes, &name).expect("yaml record")
            };
            b.add(&rec);
        }
    }
    assert_eq!(b.len(), 6, "three go and three pypa records");
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("x.db");
    b.write(&path, 1_700_000_000).expect("write");
    std::fs::read(&path).expect("read back")
}

/// Walks everything a scan and `db show` touch; returns the number of packages looked up.
fn walk(db: &Database) -> usize {
    let mut looked_up = 0;
    for i in 0..db.record_count() {
        let _ = db.info(i);
        let _ = db.raw(i);
        let id = db.id_at(i).0.to_owned();
        let _ = db.find_id(&id);
        let Ok(rec) = db.record(i) else { continue };
        for a in &rec.affected {
            let Some(p) = &a.package else { continue };
            let base = EcosystemName::parse(&p.ecosystem).base;
            let name = normalize_name(&base, &p.name);
            for r in db.lookup(&base, &name) {
                let _ = db.info(r);
            }
            if let Some(k) = db.key_number(&base, &name) {
                let _ = db.key_entries(k);
            }
            looked_up += 1;
        }
    }
    looked_up
}

#[test]
fn the_intact_database_walks_completely() {
    let bytes = fixture_db();
    let db = Database::from_bytes(bytes, Path::new("x.db")).expect("opens");
    assert_eq!(db.record_count(), 6);
    assert!(walk(&db) >= 6, "every record names at least one package");
    for i in 0..db.record_count() {
        let rec = db.record(i).expect("record");
        assert_eq!(db.find_id(&rec.id), Some(i));
        let a = rec
            .affected
            .first()
            .and_then(|a| a.package.as_ref())
            .expect("package");
        let base = EcosystemName::parse(&a.ecosystem).base;
        assert!(
            db.lookup(&base, &normalize_name(&base, &a.name))
                .contains(&i)
        );
    }
}

#[test]
fn every_damaged_byte_gives_an_error_or_a_database() {
    let bytes = fixture_db();
    let mut opened = 0;
    for pos in 0..bytes.len() {
        for flip in [0xffu8, 0x00, 0x80, 0x01] {
            let mut b = bytes.clone();
            b[pos] = if flip == 0x80 || flip == 0x01 {
                b[pos] ^ flip
            } else {
                flip
            };
            if let Ok(db) = Database::from_bytes(b, Path::new("x.db")) {
                walk(&db);
                opened += 1;
            }
        }
    }
    assert!(
        opened > bytes.len(),
        "most damage lies in the record data, not the header"
    );
}

#[test]
fn every_truncation_gives_an_error_or_a_database() {
    let bytes = fixture_db();
    for cut in 0..bytes.len() {
        if let Ok(db) = Database::from_bytes(bytes[..cut].to_vec(), Path::new("x.db")) {
            walk(&db);
        }
    }
}

/// Byte offset of the key index (after the magic, meta JSON and string pool sections).
fn index_offset(b: &[u8]) -> usize {
    let len_at = |o: usize| u64::from_le_bytes(b[o..o + 8].try_into().expect("8 bytes")) as usize;
    let meta_end = 8 + 8 + len_at(8);
    let pool_end = meta_end + 8 + len_at(meta_end);
    pool_end + 8
}

/// The `osv_db` fuzz target's finding, built by hand: a key whose postings length says 2^32 − 1 made
/// `lookup` collect four billion record numbers (a 32 GiB allocation).
#[test]
fn a_postings_length_of_u32_max_stays_within_the_postings_section() {
    let mut bytes = fixture_db();
    let db = Database::from_bytes(bytes.clone(), Path::new("x.db")).expect("opens");
    let rec = db.record(0).expect("record");
    let p = rec.affected[0].package.as_ref().expect("package");
    let base = EcosystemName::parse(&p.ecosystem).base;
    let name = normalize_name(&base, &p.name);
    let k = db.key_number(&base, &name).expect("key");
    let at = index_offset(&bytes) + k * 24 + 12;
    bytes[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let db = Database::from_bytes(bytes, Path::new("x.db")).expect("header is intact");
    let found = db.lookup(&base, &name);
    assert!(
        found.len() <= db.record_count(),
        "{} record numbers",
        found.len()
    );
}

/// The `osv_db` fuzz target's first crash (tests/fixtures/fuzz/osv_db-postings-len.db, a
/// damaged database of four bitnami records): `lookup` of a fixed name ran into a key whose
/// postings length reached past the postings section and tried to allocate for it.
#[test]
fn fuzz_crash_postings_length_past_the_section() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz/osv_db-postings-len.db");
    let bytes = std::fs::read(&path).expect("fixture");
    let db = Database::from_bytes(bytes, &path).expect("the header is intact");
    for (eco, name) in [
        ("PyPI", "requests"),
        ("npm", "lodash"),
        ("crates.io", "time"),
        ("", ""),
    ] {
        let found = db.lookup(eco, name);
        assert!(
            found.len() <= db.record_count() * 4,
            "{} record numbers",
            found.len()
        );
    }
    walk(&db);
}
