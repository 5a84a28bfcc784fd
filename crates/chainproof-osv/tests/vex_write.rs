//! Writing OpenVEX (validated against the OpenVEX v0.2.0 JSON schema) and CycloneDX 1.6 VEX
//! (validated with chainproof-sbom), and reading both back.

mod common;

use chainproof_core::vuln::VexStatus;
use chainproof_osv::vex::openvex::DocumentMeta;
use chainproof_osv::vex::{
    ProductId, Timestamp, VexProduct, VexSet, VexStatement, cyclonedx, merge, openvex,
    parse_document,
};
use common::{fixture, read};

fn schema_errors(doc: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value =
        serde_json::from_slice(&read("openvex-spec/openvex_json_schema.json"))
            .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn meta() -> DocumentMeta {
    DocumentMeta {
        id: None,
        author: "tests".into(),
        timestamp: Timestamp::parse("2025-06-01T12:00:00Z").expect("valid"),
        tooling: "chainproof tests".into(),
    }
}

fn statement(status: VexStatus, justification: Option<&str>) -> VexStatement {
    VexStatement {
        vulnerability: "CVE-2021-44228".into(),
        aliases: vec!["GHSA-jfh8-c2jp-5v3q".into()],
        products: vec![VexProduct {
            id: ProductId::parse("pkg:oci/app@sha256%3Aabcd"),
            subcomponents: vec![ProductId::parse(
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            )],
        }],
        status,
        justification: justification.map(str::to_string),
        impact: None,
        action: None,
        timestamp: Timestamp::parse("2025-05-01T00:00:00+02:00"),
        origin: "test".into(),
    }
}

#[test]
fn openvex_output_is_schema_valid_for_every_status() {
    let stmts = vec![
        statement(
            VexStatus::NotAffected,
            Some("vulnerable_code_not_in_execute_path"),
        ),
        // CycloneDX-only justification: moved into impact_statement to stay valid.
        statement(VexStatus::NotAffected, Some("protected_at_runtime")),
        statement(VexStatus::NotAffected, None),
        statement(VexStatus::Affected, None),
        statement(VexStatus::Fixed, None),
        statement(VexStatus::UnderInvestigation, None),
    ];
    let doc = openvex::write(&stmts, &meta());
    assert_eq!(schema_errors(&doc), Vec::<String>::new(), "{doc:#}");
    // The schema check bites: a not_affected statement without justification or impact fails.
    let mut broken = doc.clone();
    broken["statements"][2]
        .as_object_mut()
        .expect("object")
        .remove("impact_statement");
    assert_eq!(
        schema_errors(&broken).len(),
        1,
        "{:?}",
        schema_errors(&broken)
    );
    assert_eq!(
        doc["statements"][1]["impact_statement"],
        "justification: protected_at_runtime"
    );
    assert!(doc["statements"][3]["action_statement"].is_string());

    let back = parse_document(
        serde_json::to_string(&doc).expect("json").as_bytes(),
        "out.json",
    )
    .expect("reads back");
    assert_eq!(back.len(), 6);
    assert_eq!(back[0].status, VexStatus::NotAffected);
    assert_eq!(
        back[0].justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert_eq!(back[0].aliases, ["GHSA-jfh8-c2jp-5v3q"]);
    assert_eq!(back[0].products, stmts[0].products);
    assert_eq!(back[0].timestamp, stmts[0].timestamp);
    assert_eq!(back[4].status, VexStatus::Fixed);
}

#[test]
fn every_corpus_document_converts_to_valid_openvex_and_cyclonedx() {
    let files = [
        "trivy/openvex.json",
        "trivy/openvex-nested.json",
        "trivy/openvex-multiple.json",
        "trivy/openvex-oci.json",
        "trivy/cyclonedx.json",
        "trivy/csaf.json",
        "trivy/csaf-relationships.json",
        "go-vex/v0.0.1.json",
        "go-vex/v001-1.vex.json",
        "go-vex/v0.2.0.json",
        "go-vex/v020-1.vex.json",
        "go-vex/csaf-example.json",
    ];
    for f in files {
        let set = VexSet::load(&[fixture(f)]).expect("reads");
        let merged = merge(set.statements().to_vec());
        assert!(!merged.is_empty(), "{f}");
        let doc = openvex::write(&merged, &meta());
        assert_eq!(schema_errors(&doc), Vec::<String>::new(), "{f}: {doc:#}");

        let cdx = cyclonedx::write(&merged, &meta(), None);
        let text = serde_json::to_string_pretty(&cdx).expect("json");
        let v = chainproof_sbom::validate(text.as_bytes(), "vex.cdx.json")
            .expect("a CycloneDX document");
        assert_eq!(v.problems, vec![], "{f}: {text}");

        // Both read back to the same decisions.
        for bytes in [serde_json::to_vec(&doc).expect("json"), text.into_bytes()] {
            let back = merge(parse_document(&bytes, "back.json").expect("reads back"));
            let decisions = |s: &[VexStatement]| {
                let mut d: Vec<(String, VexStatus)> = s
                    .iter()
                    .map(|s| (s.vulnerability.clone(), s.status))
                    .collect();
                d.sort_by(|a, b| (&a.0, a.1.name()).cmp(&(&b.0, b.1.name())));
                d.dedup();
                d
            };
            assert_eq!(decisions(&back), decisions(&merged), "{f}");
        }
    }
}

#[test]
fn cyclonedx_output_maps_states_and_justifications() {
    let stmts = vec![
        statement(
            VexStatus::NotAffected,
            Some("vulnerable_code_not_in_execute_path"),
        ),
        VexStatement {
            action: Some("upgrade to 2.17.1".into()),
            ..statement(VexStatus::Affected, None)
        },
        statement(VexStatus::Fixed, None),
        statement(VexStatus::UnderInvestigation, None),
    ];
    let doc = cyclonedx::write(
        &stmts,
        &meta(),
        Some("3e671687-395b-41f5-a30f-a58921a69b79"),
    );
    let vulns = doc["vulnerabilities"].as_array().expect("array");
    let states: Vec<&str> = vulns
        .iter()
        .map(|v| v["analysis"]["state"].as_str().expect("state"))
        .collect();
    assert_eq!(
        states,
        ["not_affected", "exploitable", "resolved", "in_triage"]
    );
    assert_eq!(vulns[0]["analysis"]["justification"], "code_not_reachable");
    assert_eq!(vulns[1]["analysis"]["detail"], "Action: upgrade to 2.17.1");
    // The statement is about the subcomponent: that is what `affects` names.
    assert_eq!(
        vulns[0]["affects"][0]["ref"],
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    );
    assert_eq!(
        doc["components"][0]["purl"],
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    );
    assert_eq!(
        doc["components"][0]["name"],
        "org.apache.logging.log4j:log4j-core"
    );
    assert_eq!(
        doc["serialNumber"],
        "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    );
    let text = serde_json::to_vec(&doc).expect("json");
    assert_eq!(
        chainproof_sbom::validate(&text, "vex.json")
            .expect("cdx")
            .problems,
        vec![]
    );
}
