//! The `.chainproof.toml` ignore file.

mod common;

use chainproof_core::Inventory;
use chainproof_core::vuln::{VexAnnotation, VexStatus};
use chainproof_osv::ignore::{IgnoreError, IgnoreFile};
use chainproof_osv::vex::{days_from_civil, parse_date};
use common::{add, finding};

const FILE: &str = r#"# local exceptions
[settings]
something = "else"

[[ignore]]
id = "CVE-2021-44228"
reason = "JNDI lookups are disabled in our config"
expires = 2027-01-01
package = "pkg:maven/org.apache.logging.log4j/log4j-core"

[[ignore]]
id = "GHSA-old"
reason = "waiting for upstream"
expires = "2024-06-30"
"#;

fn day(s: &str) -> i64 {
    let (y, m, d) = parse_date(s).expect("date");
    days_from_civil(y, m, d)
}

#[test]
fn entries_apply_by_id_and_package_until_they_expire() {
    let file = IgnoreFile::parse(FILE, ".chainproof.toml").expect("valid");
    assert_eq!(file.entries.len(), 2);
    assert_eq!(file.entries[0].line, 5);
    assert_eq!(file.entries[0].expires.as_deref(), Some("2027-01-01"));
    assert_eq!(file.entries[1].line, 11);

    let mut inv = Inventory::default();
    let log4j = add(
        &mut inv,
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
    );
    let other = add(
        &mut inv,
        "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1",
    );
    let fresh = || {
        vec![
            finding("GHSA-jfh8-c2jp-5v3q", &["CVE-2021-44228"], log4j),
            finding("CVE-2021-44228", &[], other),
            finding("GHSA-old", &[], other),
        ]
    };

    let mut findings = fresh();
    let warnings = file.apply_on(&inv, &mut findings, day("2025-01-01"));
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].id, "GHSA-old");
    assert_eq!(warnings[0].line, 11);
    assert!(
        warnings[0].to_string().contains("expired on 2024-06-30"),
        "{}",
        warnings[0]
    );
    assert_eq!(
        findings[0].vex,
        Some(VexAnnotation {
            status: VexStatus::NotAffected,
            justification: None,
            statement: Some("JNDI lookups are disabled in our config".into()),
            origin: ".chainproof.toml".into(),
        })
    );
    assert!(findings[1].vex.is_none(), "another package");
    assert!(findings[2].vex.is_none(), "expired");

    // Still valid the day before expiry, not on the day.
    let mut findings = fresh();
    file.apply_on(&inv, &mut findings, day("2024-06-29"));
    assert!(findings[2].is_suppressed());
    let mut findings = fresh();
    let warnings = file.apply_on(&inv, &mut findings, day("2027-01-01"));
    assert_eq!(warnings.len(), 2);
    assert!(findings.iter().all(|f| f.vex.is_none()));
}

#[test]
fn a_vex_suppression_is_kept() {
    let file = IgnoreFile::parse(
        "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\n",
        "cfg/.chainproof.toml",
    )
    .expect("valid");
    let mut inv = Inventory::default();
    let p = add(&mut inv, "pkg:npm/a@1.0.0");
    let mut findings = vec![finding("CVE-1", &[], p), finding("CVE-1", &[], p)];
    findings[0].vex = Some(VexAnnotation {
        status: VexStatus::Fixed,
        justification: None,
        statement: None,
        origin: "vendor.openvex.json".into(),
    });
    file.apply_on(&inv, &mut findings, 0);
    assert_eq!(
        findings[0].vex.as_ref().map(|v| v.origin.as_str()),
        Some("vendor.openvex.json")
    );
    assert_eq!(
        findings[1].vex.as_ref().map(|v| v.origin.as_str()),
        Some("cfg/.chainproof.toml")
    );
}

#[test]
fn errors_have_lines() {
    let cases = [
        ("[[ignore]]\nid = \"CVE-1\"\nreason = \n", 3, "string"),
        ("[[ignore]]\nid = \"CVE-1\"\n", 1, "reason"),
        (
            "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\nexpires = \"soon\"\n",
            4,
            "expires",
        ),
        (
            "[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\npackage = \"lodash\"\n",
            4,
            "purl",
        ),
        (
            "\n\n[[ignore]]\nid = \"CVE-1\"\nreason = \"r\"\nexpire = 2020-01-01\n",
            6,
            "expire",
        ),
        ("[[ignore]]\nid = \"\"\nreason = \"r\"\n", 2, "empty"),
    ];
    for (text, line, word) in cases {
        let e = IgnoreFile::parse(text, "x.toml").expect_err(text);
        let IgnoreError::Invalid {
            line: got,
            ref message,
            ..
        } = e
        else {
            panic!("{e}")
        };
        assert_eq!(got, line, "{text:?}: {e}");
        assert!(message.contains(word), "{text:?}: {message}");
        assert!(e.to_string().starts_with(&format!("x.toml:{line}:")), "{e}");
    }
}

#[test]
fn discover_finds_the_file_next_to_the_target() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(IgnoreFile::discover(dir.path()), None);
    std::fs::write(dir.path().join(".chainproof.toml"), "").expect("write");
    std::fs::write(dir.path().join("package-lock.json"), "{}").expect("write");
    let found = IgnoreFile::discover(dir.path()).expect("found");
    assert_eq!(
        IgnoreFile::discover(&dir.path().join("package-lock.json")),
        Some(found.clone())
    );
    assert_eq!(
        IgnoreFile::load(&found).expect("empty is valid").entries,
        vec![]
    );
}
