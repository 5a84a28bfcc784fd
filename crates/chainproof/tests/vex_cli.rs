//! `chainproof vex create` / `vex merge` end to end: outputs validate (OpenVEX schema,
//! CycloneDX via chainproof-sbom) and merging keeps the newest statement per vulnerability
//! and product. VEX inputs are the trivy fixtures copied under chainproof-osv.

use std::path::PathBuf;

use chainproof_testkit::cli::{bin as chainproof, ok_json as stdout_json};
use serde_json::Value;

fn vex_fixture(rel: &str) -> PathBuf {
    chainproof_testkit::cli::osv_fixtures()
        .join("vex")
        .join(rel)
}

fn openvex_errors(doc: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_slice(
        &std::fs::read(vex_fixture("openvex-spec/openvex_json_schema.json")).expect("schema"),
    )
    .expect("json");
    let v = jsonschema::validator_for(&schema).expect("compiles");
    v.iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn create_openvex_statement() {
    let out = chainproof()
        .args([
            "vex",
            "create",
            "--vuln",
            "CVE-2021-44228",
            "--alias",
            "GHSA-jfh8-c2jp-5v3q",
        ])
        .args([
            "--product",
            "pkg:oci/app@sha256%3Aabcd",
            "--subcomponent",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        ])
        .args([
            "--status",
            "not_affected",
            "--justification",
            "vulnerable_code_not_in_execute_path",
        ])
        .args(["--impact", "JNDI lookups disabled", "--author", "Sec Team"])
        .output()
        .expect("runs");
    let doc = stdout_json(&out);
    assert_eq!(openvex_errors(&doc), Vec::<String>::new(), "{doc:#}");
    assert_eq!(doc["author"], "Sec Team");
    let s = &doc["statements"][0];
    assert_eq!(s["vulnerability"]["name"], "CVE-2021-44228");
    assert_eq!(s["vulnerability"]["aliases"][0], "GHSA-jfh8-c2jp-5v3q");
    assert_eq!(s["status"], "not_affected");
    assert_eq!(s["justification"], "vulnerable_code_not_in_execute_path");
    assert_eq!(s["impact_statement"], "JNDI lookups disabled");
    assert_eq!(s["products"][0]["@id"], "pkg:oci/app@sha256:abcd");
    assert_eq!(
        s["products"][0]["subcomponents"][0]["@id"],
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    );
}

#[test]
fn create_cyclonedx_to_file_validates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vex.cdx.json");
    let out = chainproof()
        .args([
            "vex",
            "create",
            "--vuln",
            "CVE-2022-27943",
            "--product",
            "pkg:npm/lodash@4.17.20",
        ])
        .args([
            "--status",
            "affected",
            "--action",
            "upgrade to 4.17.21",
            "--format",
            "cyclonedx",
            "-o",
        ])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&path).expect("written");
    assert_eq!(chainproof_sbom_problems(&bytes), Vec::<String>::new());
    let doc: Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(
        doc["vulnerabilities"][0]["analysis"]["state"],
        "exploitable"
    );
    assert_eq!(
        doc["vulnerabilities"][0]["affects"][0]["ref"],
        "pkg:npm/lodash@4.17.20"
    );
    assert_eq!(doc["components"][0]["version"], "4.17.20");
}

/// Validation through the binary itself: `chainproof sbom validate`.
fn chainproof_sbom_problems(bytes: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("doc.json");
    std::fs::write(&p, bytes).expect("write");
    let out = chainproof()
        .args(["sbom", "validate"])
        .arg(&p)
        .output()
        .expect("runs");
    if out.status.success() {
        Vec::new()
    } else {
        vec![
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        ]
    }
}

#[test]
fn create_rejects_incomplete_statements() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["--status", "not_affected"],
            "needs --justification or --impact",
        ),
        (&["--status", "affected"], "needs --action"),
        (&["--status", "maybe"], "unknown status `maybe`"),
        (
            &["--status", "not_affected", "--justification", "because"],
            "unknown justification `because`",
        ),
        (
            &["--status", "fixed", "--format", "xml"],
            "unknown VEX format `xml`",
        ),
    ];
    for (args, message) in cases {
        let out = chainproof()
            .args([
                "vex",
                "create",
                "--vuln",
                "CVE-1",
                "--product",
                "pkg:npm/a@1.0.0",
            ])
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn merge_three_formats_newest_wins() {
    let out = chainproof()
        .args(["vex", "merge"])
        .arg(vex_fixture("trivy/openvex-multiple.json"))
        .arg(vex_fixture("trivy/cyclonedx.json"))
        .arg(vex_fixture("trivy/csaf.json"))
        .output()
        .expect("runs");
    let doc = stdout_json(&out);
    assert_eq!(openvex_errors(&doc), Vec::<String>::new(), "{doc:#}");
    let stmts = doc["statements"].as_array().expect("statements");
    let find = |id: &str| {
        stmts
            .iter()
            .filter(|s| s["vulnerability"]["name"] == id)
            .collect::<Vec<_>>()
    };
    // openvex-multiple says affected (2023-01-15) then not_affected (2023-01-16); the
    // CycloneDX statement is undated: the dated newest wins.
    let log4shell = find("CVE-2021-44228");
    assert_eq!(log4shell.len(), 1, "{doc:#}");
    assert_eq!(log4shell[0]["status"], "not_affected");
    assert_eq!(
        log4shell[0]["products"][0]["@id"],
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0"
    );
    assert_eq!(find("CVE-2022-27943").len(), 1);
    let csaf = find("CVE-2024-0001");
    assert_eq!(
        csaf[0]["justification"],
        "vulnerable_code_not_in_execute_path"
    );
    assert_eq!(stmts.len(), 3);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("merged 5 statements from 3 documents into 3")
    );

    // Into CycloneDX.
    let out = chainproof()
        .args(["vex", "merge", "--format", "cyclonedx"])
        .arg(vex_fixture("trivy/openvex-multiple.json"))
        .arg(vex_fixture("trivy/csaf.json"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert_eq!(chainproof_sbom_problems(&out.stdout), Vec::<String>::new());
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["vulnerabilities"].as_array().expect("vulns").len(), 2);
}

#[test]
fn merge_reports_the_broken_file_and_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.openvex.json");
    std::fs::write(&bad, r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "CVE-1"}, "products": [], "status": "sure"}]}"#)
        .expect("write");
    let out = chainproof()
        .args(["vex", "merge"])
        .arg(vex_fixture("trivy/csaf.json"))
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.openvex.json (at /statements/0/status): unknown status `sure`"),
        "{err}"
    );
}
