//! `chainproof scan` end to end on a database built (by the CLI) from the OSV fixture records
//! under chainproof-osv/tests/fixtures: purl, SBOM and directory targets, exit codes,
//! `--fail-on`, `--only-fixed`, VEX suppression and the ignore file.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chainproof_testkit::cli::{chainproof, json as json_out, osv_fixtures};
use serde_json::Value;

/// Builds a database from the fixture records into `dir`.
fn build_db(dir: &Path) -> PathBuf {
    let db = dir.join("osv.db");
    let fx = osv_fixtures();
    let out = chainproof()
        .args(["db", "build"])
        .args(["bitnami", "pypa", "go", "rustsec"].map(|d| fx.join(d)))
        .arg("-o")
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// `chainproof scan <target> -o json --db <db>`: its output and the JSON on stdout.
fn scan_json(target: &Path, db: &Path) -> (std::process::Output, Value) {
    let out = chainproof()
        .arg("scan")
        .arg(target)
        .args(["-o", "json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    let doc = json_out(&out);
    (out, doc)
}

fn finding_ids(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn no_database_is_an_error_not_a_clean_result() {
    let out = chainproof()
        .args([
            "scan",
            "pkg:pypi/jinja2@2.4.1",
            "--db",
            "/nonexistent/osv.db",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chainproof db update"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn purl_scan_reports_severity_and_fail_on_sets_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());
    // BIT-joomla-2022-27913: introduced 4.0.0, last_affected 4.2.3, CVSS 3.1 6.1 (medium).
    let out = chainproof()
        .args([
            "scan",
            "pkg:bitnami/joomla@4.1.0",
            "-o",
            "json",
            "--fail-on",
            "medium",
        ])
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json_out(&out);
    assert_eq!(finding_ids(&doc), ["BIT-joomla-2022-27913"]);
    let f = &doc["findings"][0];
    assert_eq!(f["aliases"][0], "CVE-2022-27913");
    assert_eq!(f["severity"]["rating"], "medium");
    assert_eq!(f["severity"]["source"], "cvss-v3");

    // Below the threshold: exit 0. Outside the range (4.2.4 > last_affected): no finding.
    let high = chainproof()
        .args([
            "scan",
            "pkg:bitnami/joomla@4.1.0",
            "--fail-on",
            "high",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(high.status.code(), Some(0));
    let clean = chainproof()
        .args(["scan", "pkg:bitnami/joomla@4.2.4", "-o", "json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(finding_ids(&json_out(&clean)).is_empty());
    // Last-affected itself is affected; --only-fixed drops it (no fix is known).
    let last = chainproof()
        .args(["scan", "pkg:bitnami/joomla@4.2.3", "-o", "json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(finding_ids(&json_out(&last)), ["BIT-joomla-2022-27913"]);
    let only_fixed = chainproof()
        .args([
            "scan",
            "pkg:bitnami/joomla@4.2.3",
            "-o",
            "json",
            "--only-fixed",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(finding_ids(&json_out(&only_fixed)).is_empty());
}

#[test]
fn sbom_and_directory_targets_report_what_was_not_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());
    let sbom = dir.path().join("app.cdx.json");
    std::fs::write(
        &sbom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[
          {"type":"library","bom-ref":"a","name":"joomla","version":"4.1.0","purl":"pkg:bitnami/joomla@4.1.0"},
          {"type":"library","bom-ref":"b","name":"left-pad","version":"1.3.0","purl":"pkg:npm/left-pad@1.3.0"},
          {"type":"library","bom-ref":"c","name":"mystery"}]}"#,
    )
    .unwrap();
    let (out, doc) = scan_json(&sbom, &db);
    assert_eq!(finding_ids(&doc), ["BIT-joomla-2022-27913"]);
    let summary = &doc["summary"];
    assert_eq!(summary["packages"], 3);
    assert_eq!(summary["audited"], 1);
    let reasons: Vec<&str> = summary["not_audited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.iter().any(|r| r.contains("npm")), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("no version")),
        "{reasons:?}"
    );
    // The stderr summary says so too.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("NOT audited: 2"), "{err}");

    // A directory: the catalogers run first (a requirements file with a vulnerable pin).
    let proj = dir.path().join("proj");
    std::fs::create_dir(&proj).unwrap();
    std::fs::write(proj.join("requirements.txt"), "flask\npillow==8.1.0\n").unwrap();
    let out = chainproof()
        .arg("scan")
        .arg(&proj)
        .args(["-o", "sarif", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif = json_out(&out);
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "PYSEC-2021-39"),
        "{results:?}"
    );
    // The result points at the lockfile line that pins the package.
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "requirements.txt");
    assert_eq!(loc["region"]["startLine"], 2);
}

#[test]
fn vex_suppresses_in_the_table_keeps_in_json_and_ignore_file_expiry_warns() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());
    let vex = dir.path().join("vex.json");
    let created = chainproof()
        .args(["vex", "create", "--vuln", "CVE-2022-27913"])
        .args([
            "--product",
            "pkg:bitnami/joomla@4.1.0",
            "--status",
            "not_affected",
        ])
        .args([
            "--justification",
            "vulnerable_code_not_in_execute_path",
            "-o",
        ])
        .arg(&vex)
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let table = chainproof()
        .args([
            "scan",
            "pkg:bitnami/joomla@4.1.0",
            "--fail-on",
            "low",
            "--vex",
        ])
        .arg(&vex)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    // Suppressed by its CVE alias and product: gone from the table, no failure.
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(!text.contains("BIT-joomla-2022-27913"), "{text}");

    let json = chainproof()
        .args(["scan", "pkg:bitnami/joomla@4.1.0", "-o", "json", "--vex"])
        .arg(&vex)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let doc = json_out(&json);
    let f = &doc["findings"][0];
    assert_eq!(f["id"], "BIT-joomla-2022-27913");
    assert_eq!(f["vex"]["status"], "not_affected");
    assert_eq!(
        f["vex"]["justification"],
        "vulnerable_code_not_in_execute_path"
    );

    // A VEX statement for another product does not apply.
    let other = dir.path().join("other.json");
    chainproof()
        .args(["vex", "create", "--vuln", "CVE-2022-27913"])
        .args([
            "--product",
            "pkg:bitnami/wordpress@6.0.0",
            "--status",
            "not_affected",
        ])
        .args(["--justification", "component_not_present", "-o"])
        .arg(&other)
        .assert()
        .success();
    chainproof()
        .args([
            "scan",
            "pkg:bitnami/joomla@4.1.0",
            "--fail-on",
            "low",
            "--vex",
        ])
        .arg(&other)
        .arg("--db")
        .arg(&db)
        .assert()
        .code(1);

    // An expired ignore entry is not applied and warns.
    let ignore = dir.path().join("ignore.toml");
    std::fs::write(
        &ignore,
        "[[ignore]]\nid = \"CVE-2022-27913\"\nreason = \"accepted\"\nexpires = \"2020-01-01\"\n",
    )
    .unwrap();
    let out = chainproof()
        .args([
            "scan",
            "pkg:bitnami/joomla@4.1.0",
            "--fail-on",
            "low",
            "--ignore-file",
        ])
        .arg(&ignore)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expired"));
}

#[test]
fn local_and_git_packages_have_their_own_not_audited_category() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());
    let sbom = dir.path().join("local.cdx.json");
    // npm/pnpm/yarn local versions, a git dependency, and one registry package that is audited.
    std::fs::write(
        &sbom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[
          {"type":"library","bom-ref":"a","name":"lib-a","version":"file:../lib-a","purl":"pkg:npm/lib-a@file:..%2Flib-a"},
          {"type":"library","bom-ref":"b","name":"lib-b","version":"link:packages/b","purl":"pkg:npm/lib-b@link:packages%2Fb"},
          {"type":"library","bom-ref":"c","name":"lib-c","version":"workspace:*","purl":"pkg:npm/lib-c@workspace:%2A"},
          {"type":"library","bom-ref":"d","name":"tool","version":"github:acme/tool#1234567","purl":"pkg:npm/tool@github:acme%2Ftool%231234567"},
          {"type":"library","bom-ref":"e","name":"joomla","version":"4.1.0","purl":"pkg:bitnami/joomla@4.1.0"}]}"#,
    )
    .unwrap();
    let (out, doc) = scan_json(&sbom, &db);
    assert_eq!(finding_ids(&doc), ["BIT-joomla-2022-27913"]);
    let summary = &doc["summary"];
    assert_eq!(
        (summary["packages"].as_u64(), summary["audited"].as_u64()),
        (Some(5), Some(1))
    );
    let reason_of = |name: &str| {
        summary["not_audited"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["package"].as_str().unwrap().contains(name))
            .map(|n| n["reason"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{name} not in not_audited: {summary}"))
    };
    let local = "local package, not in any advisory database";
    assert_eq!(reason_of("lib-a"), format!("{local} (file:../lib-a)"));
    assert_eq!(reason_of("lib-b"), format!("{local} (link:packages/b)"));
    assert_eq!(reason_of("lib-c"), format!("{local} (workspace:*)"));
    assert!(
        reason_of("tool").starts_with("git or URL source, not in any advisory database"),
        "{}",
        reason_of("tool")
    );
    let by_reason = &summary["not_audited_by_reason"];
    assert_eq!(by_reason[local], 3, "{by_reason}");
    assert_eq!(
        by_reason["git or URL source, not in any advisory database"],
        1
    );
    assert!(
        by_reason
            .as_object()
            .unwrap()
            .keys()
            .all(|k| !k.starts_with("unparseable version")),
        "{by_reason}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("NOT audited: 4 (local package, not in any advisory database: 3, git or URL source, not in any advisory database: 1)"),
        "{err}"
    );
}
