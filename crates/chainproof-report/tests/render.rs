//! Rendering a scan in every format; the check that a finding suppressed by a VEX
//! document (OpenVEX, CycloneDX VEX, CSAF) leaves the table but stays in JSON with its VEX
//! state and justification; SARIF, CycloneDX and OpenVEX outputs validate.

use std::path::PathBuf;

use chainproof_core::vuln::{
    DatabaseInfo, Finding, NotAudited, Rating, ScanSummary, Severity, SeveritySource, VexStatus,
};
use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageId, SourceInfo};
use chainproof_osv::vex::VexSet;
use chainproof_report::{RenderOptions, ReportFormat, ScanReport, render, render_with};
use serde_json::Value;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

struct Scan {
    inv: Inventory,
    findings: Vec<Finding>,
    summary: ScanSummary,
}

fn pkg(inv: &mut Inventory, eco: Ecosystem, purl: &str, loc: &str, line: Option<u32>) -> PackageId {
    let p = chainproof_purl::Purl::parse_lenient(purl).expect("test purl");
    let mut l = Location::new(loc);
    if let Some(n) = line {
        l = l.with_line(n);
    }
    inv.add_package(
        Package::new(eco, p.name(), p.version())
            .with_purl(p)
            .with_location(l),
    )
}

fn sev(
    rating: Rating,
    score: Option<f64>,
    vector: Option<&str>,
    source: SeveritySource,
) -> Severity {
    Severity {
        rating,
        score,
        vector: vector.map(str::to_string),
        source,
    }
}

fn finding(
    id: &str,
    aliases: &[&str],
    package: PackageId,
    severity: Severity,
    fixed: &[&str],
) -> Finding {
    Finding {
        id: id.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        summary: Some(format!("Summary of {id}")),
        package,
        affected: vec![">=0, <9".into()],
        fixed_versions: fixed.iter().map(|a| a.to_string()).collect(),
        severity,
        references: vec![format!("https://osv.dev/vulnerability/{id}")],
        sources: vec![id.into()],
        vex: None,
    }
}

fn scan() -> Scan {
    let mut inv = Inventory::new(SourceInfo {
        kind: "directory".into(),
        name: "app".into(),
        version: None,
        image: None,
    });
    let boot = pkg(
        &mut inv,
        Ecosystem::Maven,
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0",
        "gradle.lockfile",
        Some(12),
    );
    let transitive = pkg(
        &mut inv,
        Ecosystem::Go,
        "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0",
        "go.mod",
        Some(7),
    );
    let lodash = pkg(
        &mut inv,
        Ecosystem::Npm,
        "pkg:npm/lodash@4.17.20",
        "web/package-lock.json",
        Some(40),
    );
    let unversioned = inv.add_package(
        Package::new(Ecosystem::Npm, "local-thing", None)
            .with_location(Location::new("web/package.json")),
    );
    inv.add_root(lodash);
    let cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H";
    let findings = vec![
        finding(
            "GHSA-jfh8-c2jp-5v3q",
            &["CVE-2021-44228"],
            boot,
            sev(
                Rating::Critical,
                Some(10.0),
                Some(cvss),
                SeveritySource::CvssV3,
            ),
            &["2.6.1"],
        ),
        finding(
            "GO-2024-0001",
            &["CVE-2024-0001"],
            transitive,
            sev(Rating::High, None, None, SeveritySource::DatabaseSpecific),
            &[],
        ),
        finding(
            "GHSA-35jh-r3h4-6jhm",
            &["CVE-2021-23337"],
            lodash,
            sev(
                Rating::High,
                Some(7.2),
                Some("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"),
                SeveritySource::CvssV3,
            ),
            &["4.17.21"],
        ),
        finding(
            "GHSA-29mw-wpgm-hmr9",
            &["CVE-2020-28500"],
            lodash,
            sev(Rating::Medium, Some(5.3), None, SeveritySource::CvssV3),
            &["4.17.21"],
        ),
    ];
    let summary = ScanSummary {
        packages: 4,
        audited: 3,
        not_audited: vec![NotAudited {
            package: unversioned,
            reason: "no version".into(),
        }],
        database: DatabaseInfo {
            path: "/cache/osv.db".into(),
            built_unix: 1_700_000_000,
            age_secs: 3 * 86_400 + 5,
            records: 1234,
            ..DatabaseInfo::default()
        },
    };
    Scan {
        inv,
        findings,
        summary,
    }
}

fn out(s: &Scan, format: ReportFormat) -> String {
    let report = ScanReport {
        target: "app",
        inventory: &s.inv,
        findings: &s.findings,
        summary: &s.summary,
    };
    let mut buf = Vec::new();
    render(format, &report, &mut buf).expect("renders");
    String::from_utf8(buf).expect("utf-8")
}

fn json(s: &Scan, format: ReportFormat) -> Value {
    serde_json::from_str(&out(s, format)).expect("valid JSON")
}

#[test]
fn suppressed_by_each_vex_format_leaves_table_stays_in_json() {
    // (document, suppressed finding id, expected justification)
    let cases = [
        (
            "vex/openvex.json",
            "GHSA-jfh8-c2jp-5v3q",
            Some("vulnerable_code_not_in_execute_path"),
        ),
        (
            "vex/cyclonedx.json",
            "GHSA-jfh8-c2jp-5v3q",
            Some("vulnerable_code_not_in_execute_path"),
        ),
        (
            "vex/csaf.json",
            "GO-2024-0001",
            Some("vulnerable_code_not_in_execute_path"),
        ),
    ];
    for (doc, id, justification) in cases {
        let mut s = scan();
        let before = out(&s, ReportFormat::Table);
        assert!(before.contains(id), "{doc}: shown before VEX:\n{before}");
        let vex = VexSet::load(&[fixture(doc)]).expect("VEX reads");
        assert_eq!(
            vex.apply(&s.inv, &mut s.findings),
            1,
            "{doc}: exactly one finding matched"
        );

        let table = out(&s, ReportFormat::Table);
        assert!(
            !table.contains(id),
            "{doc}: suppressed finding still in the table:\n{table}"
        );
        assert!(
            table.contains("GHSA-35jh-r3h4-6jhm"),
            "{doc}: open findings stay:\n{table}"
        );
        assert!(
            table.contains("1 suppressed by VEX or ignore file"),
            "{doc}:\n{table}"
        );
        assert!(
            table.contains("3 open vulnerabilities in 2 packages"),
            "{doc}:\n{table}"
        );

        let j = json(&s, ReportFormat::Json);
        let f = j["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["id"] == id)
            .expect("kept in JSON");
        assert_eq!(f["suppressed"], true, "{doc}");
        assert_eq!(f["vex"]["status"], "not_affected", "{doc}");
        assert_eq!(f["vex"]["justification"].as_str(), justification, "{doc}");
        assert!(
            f["vex"]["origin"].as_str().expect("origin").ends_with(doc),
            "{doc}: {}",
            f["vex"]
        );
        assert_eq!(j["findings"].as_array().expect("findings").len(), 4);
        assert_eq!(j["summary"]["findings"]["suppressed"], 1);
        assert_eq!(j["summary"]["findings"]["open"], 3);
    }
}

#[test]
fn table_groups_by_package_most_severe_first_with_summary() {
    let s = scan();
    let t = out(&s, ReportFormat::Table);
    let boot = t
        .find("pkg:maven/org.springframework.boot/spring-boot@2.6.0  (gradle.lockfile:12)")
        .expect("boot header");
    let go = t
        .find("pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0")
        .expect("go header");
    let lodash = t
        .find("pkg:npm/lodash@4.17.20  (web/package-lock.json:40)")
        .expect("lodash header");
    assert!(
        boot < go && go < lodash,
        "critical first, then by name:\n{t}"
    );
    // Both lodash findings under one header, high before medium.
    assert_eq!(t.matches("pkg:npm/lodash@4.17.20").count(), 1);
    assert!(
        t.find("GHSA-35jh-r3h4-6jhm").expect("high")
            < t.find("GHSA-29mw-wpgm-hmr9").expect("medium")
    );
    assert!(
        t.contains("CRITICAL 10.0  GHSA-jfh8-c2jp-5v3q (CVE-2021-44228)  fixed in 2.6.1"),
        "{t}"
    );
    assert!(
        t.contains("HIGH        -  GO-2024-0001 (CVE-2024-0001)  no fix"),
        "{t}"
    );
    assert!(
        t.contains("4 open vulnerabilities in 3 packages (1 critical, 2 high, 1 medium)"),
        "{t}"
    );
    assert!(
        t.contains("Audited 3 of 4 packages; NOT audited: 1 (no version: 1)."),
        "{t}"
    );
    assert!(
        t.contains("Database: 1234 records, 3d old (/cache/osv.db)."),
        "{t}"
    );
    assert!(!t.contains('\x1b'), "no color unless asked");

    let report = ScanReport {
        target: "app",
        inventory: &s.inv,
        findings: &s.findings,
        summary: &s.summary,
    };
    let mut buf = Vec::new();
    let opts = RenderOptions {
        color: true,
        ..RenderOptions::default()
    };
    render_with(ReportFormat::Table, &report, &opts, &mut buf).expect("renders");
    let colored = String::from_utf8(buf).expect("utf-8");
    assert!(colored.contains("\x1b[1;31mCRITICAL"), "{colored}");
    assert!(colored.contains("\x1b[33mMEDIUM"), "{colored}");
}

#[test]
fn json_carries_package_severity_and_summary() {
    let j = json(&scan(), ReportFormat::Json);
    assert_eq!(j["schema"], "chainproof-scan/1");
    let f = &j["findings"][0];
    assert_eq!(
        f["package"]["purl"],
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0"
    );
    assert_eq!(
        f["package"]["locations"][0],
        serde_json::json!({ "path": "gradle.lockfile", "line": 12 })
    );
    assert_eq!(f["severity"]["source"], "cvss-v3");
    assert_eq!(f["severity"]["score"], 10.0);
    assert_eq!(f["fixed_versions"][0], "2.6.1");
    assert_eq!(f["vex"], Value::Null);
    assert_eq!(j["findings"][1]["severity"]["source"], "database-specific");
    assert_eq!(
        j["summary"]["not_audited"][0],
        serde_json::json!({ "package": "local-thing", "reason": "no version" })
    );
    assert_eq!(j["summary"]["not_audited_by_reason"]["no version"], 1);
    assert_eq!(j["summary"]["database"]["age"], "3d");
    assert_eq!(j["summary"]["findings"]["open_by_severity"]["high"], 2);
}

#[test]
fn sarif_validates_and_points_at_lockfile_lines() {
    let mut s = scan();
    VexSet::load(&[fixture("vex/openvex.json")])
        .expect("reads")
        .apply(&s.inv, &mut s.findings);
    let doc = json(&s, ReportFormat::Sarif);
    let schema: Value =
        serde_json::from_slice(&std::fs::read(fixture("sarif-schema-2.1.0.json")).expect("schema"))
            .expect("json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken), "the schema check bites");

    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 4, "one rule per vulnerability");
    assert_eq!(rules[0]["properties"]["security-severity"], "10.0");
    assert_eq!(
        rules[1]["properties"]["security-severity"], "8.0",
        "no score: middle of the band"
    );
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    let lodash = &results[2];
    assert_eq!(lodash["ruleId"], "GHSA-35jh-r3h4-6jhm");
    assert_eq!(lodash["ruleIndex"], 2);
    assert_eq!(lodash["level"], "error");
    let loc = &lodash["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "web/package-lock.json");
    assert_eq!(loc["region"]["startLine"], 40);
    assert_eq!(results[0]["suppressions"][0]["kind"], "external");
    assert!(results[2].get("suppressions").is_none());
}

#[test]
fn cyclonedx_vdr_validates_with_vulnerabilities_and_analysis() {
    let mut s = scan();
    VexSet::load(&[fixture("vex/csaf.json")])
        .expect("reads")
        .apply(&s.inv, &mut s.findings);
    let text = out(&s, ReportFormat::CycloneDxJson);
    let v = chainproof_sbom::validate(text.as_bytes(), "vdr.json").expect("CycloneDX");
    assert_eq!(v.problems, vec![]);
    let doc: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(doc["specVersion"], "1.6");
    assert_eq!(doc["components"].as_array().expect("components").len(), 4);
    let vulns = doc["vulnerabilities"].as_array().expect("vulns");
    assert_eq!(vulns.len(), 4);
    assert_eq!(
        vulns[0]["ratings"][0],
        serde_json::json!({ "severity": "critical", "method": "CVSSv31", "score": 10.0, "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H" })
    );
    assert_eq!(
        vulns[0]["affects"][0]["ref"],
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0"
    );
    assert_eq!(vulns[0]["references"][0]["id"], "CVE-2021-44228");
    assert_eq!(vulns[1]["analysis"]["state"], "not_affected");
    assert_eq!(vulns[1]["analysis"]["justification"], "code_not_reachable");
    assert_eq!(
        vulns[1]["affects"][0]["versions"][0]["status"],
        "unaffected"
    );
    assert!(vulns[2].get("analysis").is_none());
    assert_eq!(vulns[2]["recommendation"], "Upgrade to 4.17.21");
}

#[test]
fn openvex_output_validates_and_reads_back() {
    let mut s = scan();
    VexSet::load(&[fixture("vex/cyclonedx.json")])
        .expect("reads")
        .apply(&s.inv, &mut s.findings);
    let doc = json(&s, ReportFormat::OpenVex);
    let schema: Value = serde_json::from_slice(
        &std::fs::read(fixture("openvex_json_schema.json")).expect("schema"),
    )
    .expect("json");
    let validator = jsonschema::validator_for(&schema).expect("compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let back =
        VexSet::parse(&serde_json::to_vec(&doc).expect("json"), "out.json").expect("reads back");
    let mut got: Vec<(String, VexStatus, String)> = back
        .statements()
        .iter()
        .flat_map(|st| {
            st.products
                .iter()
                .map(move |p| (st.vulnerability.clone(), st.status, p.id.to_string()))
        })
        .collect();
    got.sort_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
    assert_eq!(
        got,
        [
            (
                "GHSA-29mw-wpgm-hmr9".to_string(),
                VexStatus::Affected,
                "pkg:npm/lodash@4.17.20".to_string()
            ),
            (
                "GHSA-35jh-r3h4-6jhm".into(),
                VexStatus::Affected,
                "pkg:npm/lodash@4.17.20".into()
            ),
            (
                "GHSA-jfh8-c2jp-5v3q".into(),
                VexStatus::NotAffected,
                "pkg:maven/org.springframework.boot/spring-boot@2.6.0".into()
            ),
            (
                "GO-2024-0001".into(),
                VexStatus::Affected,
                "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0".into()
            ),
        ]
    );
    let lodash = back
        .statements()
        .iter()
        .find(|st| st.vulnerability == "GHSA-35jh-r3h4-6jhm")
        .expect("lodash");
    assert_eq!(lodash.action.as_deref(), Some("Upgrade to 4.17.21"));
}

#[test]
fn formats_parse_by_name() {
    for f in ReportFormat::ALL {
        assert_eq!(f.name().parse::<ReportFormat>(), Ok(f));
    }
    assert_eq!(
        "cyclonedx".parse::<ReportFormat>(),
        Ok(ReportFormat::CycloneDxJson)
    );
    assert!("xml".parse::<ReportFormat>().is_err());
}

#[test]
fn not_audited_groups_local_packages_and_unparseable_versions() {
    let mut s = scan();
    let mut add = |name: &str, reason: &str| {
        let id = s
            .inv
            .add_package(Package::new(Ecosystem::Npm, name, Some("x")));
        s.summary.packages += 1;
        s.summary.not_audited.push(NotAudited {
            package: id,
            reason: reason.into(),
        });
    };
    add(
        "lib-a",
        &format!("{} (file:../lib-a)", NotAudited::LOCAL_PACKAGE),
    );
    add(
        "lib-b",
        &format!("{} (workspace:*)", NotAudited::LOCAL_PACKAGE),
    );
    add("odd", "unparseable version 1.x.y: bad");
    add("odder", "unparseable version ~~: bad");
    let j = json(&s, ReportFormat::Json);
    let by = &j["summary"]["not_audited_by_reason"];
    assert_eq!(by["local package, not in any advisory database"], 2, "{by}");
    assert_eq!(by["unparseable version"], 2, "{by}");
    assert_eq!(by["no version"], 1, "{by}");
    assert_eq!(by.as_object().map(|o| o.len()), Some(3), "{by}");
    // Each package keeps its full reason.
    let reasons: Vec<&str> = j["summary"]["not_audited"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|n| n["reason"].as_str())
        .collect();
    assert!(reasons.contains(&"local package, not in any advisory database (workspace:*)"));
    let t = out(&s, ReportFormat::Table);
    assert!(
        t.contains(
            "NOT audited: 5 (local package, not in any advisory database: 2, unparseable version: 2, no version: 1)"
        ),
        "{t}"
    );
}

/// The streamed JSON report is byte for byte the pretty-printed document value.
fn assert_streamed_equals_document(s: &Scan, findings: &[Finding]) {
    let report = ScanReport {
        target: "app \"quoted\"\n",
        inventory: &s.inv,
        findings,
        summary: &s.summary,
    };
    let mut streamed = Vec::new();
    render(ReportFormat::Json, &report, &mut streamed).expect("render");
    let doc = chainproof_report::json::document(&report);
    let expected = serde_json::to_string_pretty(&doc).expect("pretty") + "\n";
    assert_eq!(String::from_utf8(streamed).expect("utf-8"), expected);
    assert_eq!(
        doc["findings"].as_array().map(Vec::len),
        Some(findings.len())
    );
    assert_eq!(doc["schema"], "chainproof-scan/1");
}

#[test]
fn streamed_json_equals_the_document_value() {
    let s = scan();
    assert_streamed_equals_document(&s, &s.findings);
    // No findings, and more findings than one parallel task and one batch hold (the
    // writer serializes them in pieces and joins them), with multi-line text in them.
    assert_streamed_equals_document(&s, &[]);
    let many: Vec<Finding> = (0..9000)
        .map(|i| {
            let mut f = s.findings[i % s.findings.len()].clone();
            f.id = format!("{}-{i}", f.id);
            f.summary = Some(format!("line one\nline \"two\" {i}"));
            f
        })
        .collect();
    assert_streamed_equals_document(&s, &many);
}
