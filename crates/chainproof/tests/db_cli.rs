//! `chainproof db build|status|update` end to end: real advisory fixtures (from
//! chainproof-osv's tests/fixtures, see SOURCES.md there), and `update` against an HTTP server
//! the test runs on 127.0.0.1.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chainproof_testkit::cli::{chainproof, osv_fixtures, stdout_of};

/// `<ecosystem> <count>` lines of `db status`.
fn eco_counts(status: &str) -> Vec<(String, usize)> {
    status
        .split("ecosystems:\n")
        .nth(1)
        .unwrap_or("")
        .lines()
        .filter_map(|l| {
            let (eco, n) = l.trim().rsplit_once(' ')?;
            Some((eco.trim().to_owned(), n.parse().ok()?))
        })
        .collect()
}

#[test]
fn build_then_status() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sub/osv.db");
    let f = osv_fixtures();
    let out = chainproof()
        .args(["db", "build"])
        .args(["pypa", "go", "rustsec", "bitnami", "r", "haskell"].map(|d| f.join(d)))
        .arg("-o")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = stdout_of(chainproof().args(["db", "status", "--db"]).arg(&db));
    assert!(status.contains("records:  28 (1 withdrawn)"), "{status}");
    let counts = eco_counts(&status);
    let get = |e: &str| counts.iter().find(|(k, _)| k == e).map(|(_, n)| *n);
    assert_eq!(get("PyPI"), Some(6));
    assert_eq!(get("Go"), Some(5));
    assert_eq!(get("crates.io"), Some(6));
    assert_eq!(get("CRAN"), Some(3));
    assert_eq!(get("Hackage"), Some(2));
    assert_eq!(get("GHC"), Some(2));
    assert_eq!(get("Bitnami"), Some(4));
    // The env var names the default database.
    let via_env = stdout_of(
        chainproof()
            .args(["db", "status"])
            .env("CHAINPROOF_DB", &db),
    );
    assert!(via_env.contains(&db.display().to_string()));
}

#[test]
fn bad_record_is_reported_with_place_and_others_continue() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::copy(
        osv_fixtures().join("go/GO-2024-2783.json"),
        src.join("GO-2024-2783.json"),
    )
    .unwrap();
    std::fs::write(
        src.join("BAD-2024-1.json"),
        "{\n  \"id\": \"BAD-2024-1\",\n  \"affected\": [ oops ]\n}\n",
    )
    .unwrap();
    let db = tmp.path().join("osv.db");
    let out = chainproof()
        .args(["db", "build"])
        .arg(&src)
        .arg("-o")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("BAD-2024-1.json:3:"), "{stderr}");
    let status = stdout_of(chainproof().args(["db", "status", "--db"]).arg(&db));
    assert!(status.contains("records:  1 "), "{status}");
}

#[test]
fn missing_and_stale_databases_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = chainproof()
        .args(["db", "status", "--db"])
        .arg(tmp.path().join("none.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("chainproof db update"));

    let db = tmp.path().join("osv.db");
    chainproof()
        .args(["db", "build"])
        .arg(osv_fixtures().join("r"))
        .arg("-o")
        .arg(&db)
        .assert()
        .success();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let out = chainproof()
        .args(["db", "status", "--max-db-age", "1s", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-db-age"));
    chainproof()
        .args(["db", "status", "--max-db-age", "1h", "--db"])
        .arg(&db)
        .assert()
        .success();
}

#[test]
fn update_refuses_plain_http_to_remote_hosts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = chainproof()
        .args(["db", "update", "--db"])
        .arg(tmp.path().join("osv.db"))
        .args(["--source", "http://example.com/PyPI/all.zip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("plain HTTP is refused"));
    assert!(!tmp.path().join("osv.db").exists());
}

fn zip_of(records: &[(&str, String)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in records {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Serves `body` for every GET on 127.0.0.1; records the request heads.
fn serve(body: Arc<Mutex<Vec<u8>>>, heads: Arc<Mutex<Vec<String>>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            heads.lock().unwrap().push(head);
            let body = body.lock().unwrap().clone();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    port
}

/// `chainproof db update --db <db> --source <url>` must exit 0; its stderr.
fn update_ok(db: &Path, url: &str) -> String {
    let out = chainproof()
        .args(["db", "update", "--db"])
        .arg(db)
        .args(["--source", url])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    stderr
}

#[test]
fn update_from_loopback_is_incremental_by_modified() {
    let go =
        |n: &str| std::fs::read_to_string(osv_fixtures().join(format!("go/{n}.json"))).unwrap();
    let a = go("GO-2024-2783");
    let b = go("GO-2024-3191");
    let body = Arc::new(Mutex::new(zip_of(&[
        ("GO-2024-2783.json", a.clone()),
        ("GO-2024-3191.json", b.clone()),
    ])));
    let heads = Arc::new(Mutex::new(Vec::new()));
    let port = serve(body.clone(), heads.clone());
    let url = format!("http://127.0.0.1:{port}/Go/all.zip");
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("osv.db");

    let stderr = update_ok(&db, &url);
    assert!(stderr.contains("2 new, 0 updated, 0 unchanged"), "{stderr}");

    // Second round: one record modified later, one unchanged, one new.
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    let mut a2 = v.clone();
    a2["modified"] = serde_json::Value::String("2099-01-01T00:00:00Z".into());
    a2["summary"] = serde_json::Value::String("changed upstream".into());
    let c = go("GO-2024-3305");
    *body.lock().unwrap() = zip_of(&[
        ("GO-2024-2783.json", a2.to_string()),
        ("GO-2024-3191.json", b),
        ("GO-2024-3305.json", c),
    ]);
    let stderr = update_ok(&db, &url);
    assert!(stderr.contains("1 new, 1 updated, 1 unchanged"), "{stderr}");
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2);
    assert!(heads[0].starts_with("GET /Go/all.zip"));
    assert!(!heads[0].to_ascii_lowercase().contains("if-modified-since"));
    assert!(
        heads[1]
            .to_ascii_lowercase()
            .contains("if-modified-since: "),
        "{}",
        heads[1]
    );

    let status = stdout_of(chainproof().args(["db", "status", "--db"]).arg(&db));
    assert!(status.contains("records:  3 "), "{status}");
    assert!(status.contains(&url), "{status}");
}

/// The header of a format-1 database (what chainproof wrote before the pre-parsed matching
/// data): magic, then the meta JSON section. Opening stops at the format check.
fn format1_db(path: &Path) {
    let meta = br#"{"format":1,"built_unix":1700000000,"sources":[],"ecosystems":{"Go":2},"records":2,"withdrawn":0}"#;
    let mut bytes = b"CHPFOSV1".to_vec();
    bytes.extend_from_slice(&(meta.len() as u64).to_le_bytes());
    bytes.extend_from_slice(meta);
    bytes.extend_from_slice(&[0u8; 64]);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn outdated_format_is_refused_with_how_to_rebuild_and_update_rebuilds_it() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("old.db");
    format1_db(&db);
    for args in [
        vec!["db", "status", "--db"],
        vec!["scan", "pkg:golang/golang.org/x/net@0.1.0", "--db"],
    ] {
        let out = chainproof().args(&args).arg(&db).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("database format 1 is outdated")
                && stderr.contains("reads format 2")
                && stderr.contains("chainproof db update")
                && stderr.contains("chainproof db build"),
            "{args:?}: {stderr}"
        );
    }

    // `db update` replaces it: every source downloaded again into a current database.
    let rec = std::fs::read_to_string(osv_fixtures().join("go/GO-2024-2783.json")).unwrap();
    let body = Arc::new(Mutex::new(zip_of(&[("GO-2024-2783.json", rec)])));
    let heads = Arc::new(Mutex::new(Vec::new()));
    let port = serve(body, heads.clone());
    let url = format!("http://127.0.0.1:{port}/Go/all.zip");
    let stderr = update_ok(&db, &url);
    assert!(stderr.contains("1 new, 0 updated, 0 unchanged"), "{stderr}");
    assert!(
        !heads.lock().unwrap()[0]
            .to_ascii_lowercase()
            .contains("if-modified-since"),
        "a rebuild downloads everything"
    );
    let status = stdout_of(chainproof().args(["db", "status", "--db"]).arg(&db));
    assert!(status.contains("records:  1 "), "{status}");
}
