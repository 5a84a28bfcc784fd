//! Accuracy on real records (issue 5's Done-when): listed versions are vulnerable, fixed
//! versions are not. Hermetic over `tests/fixtures` (28 records of six databases), and over the
//! whole `../shared/corpus/osv` when it is present.

mod oracle;

use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn corpus() -> Option<PathBuf> {
    let p = std::env::var_os("CHAINPROOF_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    p.join("osv").is_dir().then_some(p)
}

fn report(label: &str, s: &oracle::Stats) {
    eprintln!(
        "{label}: {} records ({} withdrawn), {} listed versions checked, {} fixed versions checked \
         ({} also covered by another interval), {} failures",
        s.records,
        s.withdrawn,
        s.listed_checked,
        s.fixed_checked,
        s.fixed_covered_elsewhere,
        s.failures.len()
    );
    for (why, n) in &s.unchecked {
        eprintln!("  not checked: {n} versions — {why}");
    }
    for f in s.failures.iter().take(40) {
        eprintln!("  FAIL {f}");
    }
}

#[test]
fn fixtures_listed_vulnerable_fixed_not() {
    let dirs: Vec<PathBuf> = ["pypa", "go", "rustsec", "bitnami", "r", "haskell"]
        .iter()
        .map(|d| fixtures().join(d))
        .collect();
    let refs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let imported = oracle::import_all(&refs);
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!(imported.records.len(), 28);
    let tmp = tempfile::tempdir().expect("tmp");
    let db = oracle::build_db(&imported.records, tmp.path());
    let stats = oracle::check(&imported.records, &db);
    report("fixtures", &stats);
    assert_eq!(stats.records, 28);
    assert_eq!(stats.withdrawn, 1, "RUSTSEC-2022-0044 is withdrawn");
    assert!(stats.listed_checked >= 100, "{}", stats.listed_checked);
    assert!(stats.fixed_checked >= 15, "{}", stats.fixed_checked);
    assert!(stats.failures.is_empty(), "{:#?}", stats.failures);
}

#[test]
fn corpus_listed_vulnerable_fixed_not() {
    let Some(corpus) = corpus() else {
        eprintln!("SKIPPED: corpus not found at ../shared/corpus (set CHAINPROOF_CORPUS)");
        return;
    };
    let osv = corpus.join("osv");
    let dirs = [
        osv.join("pypa/vulns"),
        osv.join("go/data/osv"),
        osv.join("rustsec"),
        osv.join("bitnami/data"),
        osv.join("r/vulns"),
        osv.join("haskell/advisories"),
    ];
    let refs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let imported = oracle::import_all(&refs);
    for e in &imported.errors {
        eprintln!("  import error: {e}");
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let db = oracle::build_db(&imported.records, tmp.path());
    let stats = oracle::check(&imported.records, &db);
    report("corpus", &stats);
    assert!(
        imported.errors.is_empty(),
        "{} import errors",
        imported.errors.len()
    );
    assert!(stats.records > 9_000, "{}", stats.records);
    assert!(
        stats.failures.is_empty(),
        "{} failures",
        stats.failures.len()
    );
}
