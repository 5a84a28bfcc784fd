//! Matcher semantics on hand-written records: unsorted events, `last_affected`, `limit`,
//! several ranges, GIT ranges ignored, withdrawn skipped, aliases merged (native id
//! preferred), distro release matching, not-audited reasons, and the all.zip importer.

use std::io::Write;

use chainproof_core::vuln::{Rating, SeveritySource};
use chainproof_core::{Ecosystem, Inventory, Package, SourceInfo};
use chainproof_osv::import::{import_zip, parse_json};
use chainproof_osv::{Database, DatabaseBuilder, ScanOptions, match_affected, scan};
use chainproof_purl::Purl;
use chainproof_version::Scheme;

fn rec(json: &str) -> chainproof_osv::import::ImportedRecord {
    parse_json(json.as_bytes(), "test.json").expect("record")
}

fn db(records: &[&str], dir: &std::path::Path) -> Database {
    let mut b = DatabaseBuilder::new();
    for r in records {
        b.add(&rec(r));
    }
    let p = dir.join("t.db");
    b.write(&p, 1_000).expect("write");
    Database::open(&p).expect("open")
}

#[test]
fn range_semantics() {
    let a: chainproof_osv::Affected = serde_json::from_str(
        r#"{"package":{"ecosystem":"PyPI","name":"x"},"ranges":[
            {"type":"ECOSYSTEM","events":[{"fixed":"1.5"},{"introduced":"2.0"},{"introduced":"1.0"},{"last_affected":"2.3"}]},
            {"type":"GIT","repo":"r","events":[{"introduced":"0"}]}],
            "versions":["0.5"]}"#,
    )
    .expect("affected");
    let hit = |v: &str| match_affected(Scheme::Pep440, v, &a).is_some();
    assert!(!hit("0.9"));
    assert!(hit("0.5"), "listed");
    assert!(hit("1.0") && hit("1.4.9") && !hit("1.5") && !hit("1.9"));
    assert!(hit("2.0") && hit("2.3") && !hit("2.3.1"));
    let m = match_affected(Scheme::Pep440, "1.2", &a).expect("affected");
    assert_eq!(m.matched, vec![">=1.0, <1.5"]);
    assert_eq!(m.fixed, vec!["1.5"]);

    let limited: chainproof_osv::Affected = serde_json::from_str(
        r#"{"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"limit":"3.0.0"}]}]}"#,
    )
    .expect("affected");
    assert!(match_affected(Scheme::Semver, "2.9.9", &limited).is_some());
    assert!(match_affected(Scheme::Semver, "3.0.0", &limited).is_none());
}

const GHSA: &str = r#"{"id":"GHSA-aaaa-bbbb-cccc","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-1"],
  "summary":"ghsa summary","database_specific":{"severity":"HIGH"},
  "affected":[{"package":{"ecosystem":"PyPI","name":"Foo_Bar"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0"}]}]}]}"#;
const PYSEC: &str = r#"{"id":"PYSEC-2024-9","modified":"2024-01-02T00:00:00Z","aliases":["CVE-2024-1"],
  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
  "affected":[{"package":{"ecosystem":"PyPI","name":"foo-bar"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"1.8"}]}]}]}"#;
const WITHDRAWN: &str = r#"{"id":"PYSEC-2024-10","modified":"2024-01-02T00:00:00Z","withdrawn":"2024-02-01T00:00:00Z",
  "affected":[{"package":{"ecosystem":"PyPI","name":"foo-bar"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}"#;
const DEB: &str = r#"{"id":"DSA-1-1","modified":"2024-01-02T00:00:00Z","aliases":["CVE-2024-2"],
  "affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u2"}]}]},
              {"package":{"ecosystem":"Debian:11","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}"#;

#[test]
fn scan_merges_aliases_and_reports_what_it_could_not_audit() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = db(&[GHSA, PYSEC, WITHDRAWN, DEB], tmp.path());
    let mut inv = Inventory::new(SourceInfo::default());
    let p = inv.add_package(Package::new(Ecosystem::PyPI, "foo.bar", Some("1.5")));
    let clean = inv.add_package(Package::new(Ecosystem::PyPI, "foo.bar", Some("2.0")));
    let nov = inv.add_package(Package::new(Ecosystem::PyPI, "other", None));
    let bad = inv.add_package(Package::new(
        Ecosystem::PyPI,
        "other",
        Some("not a version!"),
    ));
    let npm = inv.add_package(Package::new(Ecosystem::Npm, "left-pad", Some("1.0.0")));
    let deb_purl =
        Purl::parse("pkg:deb/debian/libssl3@3.0.11-1~deb12u1?distro=debian-12&upstream=openssl")
            .expect("purl");
    let deb = inv.add_package(
        Package::new(Ecosystem::Debian, "libssl3", Some("3.0.11-1~deb12u1")).with_purl(deb_purl),
    );
    let (findings, summary) = scan(
        &inv,
        &db,
        &ScanOptions {
            now_unix: Some(4_600),
        },
    );

    let mine: Vec<_> = findings.iter().filter(|f| f.package == p).collect();
    assert_eq!(mine.len(), 1, "{findings:#?}");
    let f = mine[0];
    assert_eq!(f.id, "PYSEC-2024-9", "native id preferred");
    assert_eq!(f.aliases, vec!["CVE-2024-1", "GHSA-aaaa-bbbb-cccc"]);
    assert_eq!(f.sources, vec!["GHSA-aaaa-bbbb-cccc", "PYSEC-2024-9"]);
    assert_eq!(f.fixed_versions, vec!["1.8", "2.0"]);
    assert_eq!(f.summary.as_deref(), Some("ghsa summary"));
    assert_eq!(
        (f.severity.rating, f.severity.source, f.severity.score),
        (Rating::Critical, SeveritySource::CvssV3, Some(9.8))
    );
    assert!(findings.iter().all(|f| f.package != clean));

    let reason = |id| {
        summary
            .not_audited
            .iter()
            .find(|n| n.package == id)
            .map(|n| n.reason.clone())
    };
    assert_eq!(reason(nov).as_deref(), Some("no version"));
    assert!(reason(bad).is_some_and(|r| r.starts_with("unparseable version not a version!")));
    assert_eq!(reason(npm).as_deref(), Some("no database coverage for npm"));
    // Debian has no version order in chainproof-version yet: reported, never silently skipped.
    if Scheme::for_osv_ecosystem("Debian").is_none() {
        assert_eq!(
            reason(deb).as_deref(),
            Some("no version order for ecosystem Debian")
        );
    } else {
        let d: Vec<_> = findings.iter().filter(|f| f.package == deb).collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].id, "DSA-1-1");
        assert_eq!(d[0].fixed_versions, vec!["3.0.11-1~deb12u2"]);
    }
    assert_eq!(summary.packages, 6);
    assert_eq!(summary.audited + summary.not_audited.len(), 6);
    assert_eq!(summary.database.age_secs, 3_600);
    assert_eq!(summary.database.records, 4);
    assert!(
        summary
            .database
            .ecosystems
            .contains(&"Debian:12".to_owned())
    );
    // The stored record is the source JSON.
    let n = db.find_id("PYSEC-2024-9").expect("id");
    assert_eq!(db.raw(n).expect("raw"), PYSEC.as_bytes());
}

#[test]
fn all_zip_import_and_incremental_merge() {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in [
        ("GHSA.json", GHSA),
        ("PYSEC.json", PYSEC),
        ("bad.json", "{\"id\": 3, \"affected\": ["),
    ] {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        w.write_all(body.as_bytes()).expect("write");
    }
    let bytes = w.finish().expect("zip").into_inner();
    let imported = import_zip(&bytes, "all.zip").expect("zip reads");
    assert_eq!(imported.records.len(), 2);
    assert_eq!(imported.errors.len(), 1);
    assert!(
        imported.errors[0]
            .to_string()
            .starts_with("all.zip!bad.json:1:"),
        "{}",
        imported.errors[0]
    );

    let tmp = tempfile::tempdir().expect("tmp");
    let first = db(&[GHSA], tmp.path());
    let mut b = DatabaseBuilder::from_database(&first).expect("reload");
    use chainproof_osv::db::AddOutcome;
    assert_eq!(b.add(&imported.records[0]), AddOutcome::Unchanged);
    assert_eq!(b.add(&imported.records[1]), AddOutcome::Added);
    let newer = GHSA.replace("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    assert_eq!(b.add(&rec(&newer)), AddOutcome::Updated);
    let p = tmp.path().join("second.db");
    b.write(&p, 2_000).expect("write");
    let second = Database::open(&p).expect("open");
    assert_eq!(second.record_count(), 2);
    assert_eq!(second.lookup("PyPI", "foo-bar").len(), 2);
    let n = second.find_id("GHSA-aaaa-bbbb-cccc").expect("id");
    assert_eq!(second.id_at(n).1, "2025-01-01T00:00:00Z");
    assert!(Database::open(&tmp.path().join("missing.db")).is_err());
    std::fs::write(
        tmp.path().join("junk.db"),
        b"CHPFOSV1\xff\xff\xff\xff\xff\xff\xff\xff",
    )
    .expect("write");
    assert!(Database::open(&tmp.path().join("junk.db")).is_err());
}
