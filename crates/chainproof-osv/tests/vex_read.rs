//! Reading real OpenVEX, CycloneDX VEX and CSAF documents (trivy and go-vex test data) and
//! applying them: vulnerability *and* product must match.

mod common;

use chainproof_core::Inventory;
use chainproof_core::vuln::VexStatus;
use chainproof_osv::vex::{ProductId, VexError, VexSet, merge, parse_document};
use common::{add, finding, fixture, read};

fn load(rel: &str) -> VexSet {
    VexSet::load(&[fixture(rel)]).expect("fixture reads")
}

#[test]
fn openvex_v020_matches_vulnerability_and_product() {
    let set = load("trivy/openvex.json");
    let [s] = set.statements() else {
        panic!("one statement: {:?}", set.statements())
    };
    assert_eq!(s.vulnerability, "CVE-2021-44228");
    assert_eq!(s.status, VexStatus::NotAffected);
    assert_eq!(
        s.justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert_eq!(
        s.products[0].id.to_string(),
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0"
    );
    // No statement timestamp: the document's (-06:00 offset) is used.
    assert_eq!(s.timestamp.as_ref().expect("doc time").unix, 1_673_917_636);
    assert!(s.origin.ends_with("trivy/openvex.json"));

    let mut inv = Inventory::default();
    let hit = add(
        &mut inv,
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0",
    );
    let other_version = add(
        &mut inv,
        "pkg:maven/org.springframework.boot/spring-boot@2.7.0",
    );
    let mut findings = vec![
        // matched through an alias
        finding("GHSA-jfh8-c2jp-5v3q", &["CVE-2021-44228"], hit),
        // same CVE, different product version
        finding("CVE-2021-44228", &[], other_version),
        // same product, different vulnerability
        finding("CVE-2022-22965", &[], hit),
    ];
    assert_eq!(set.apply(&inv, &mut findings), 1);
    let v = findings[0].vex.as_ref().expect("annotated");
    assert_eq!(v.status, VexStatus::NotAffected);
    assert_eq!(
        v.justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert!(findings[0].is_suppressed());
    assert!(
        findings[1].vex.is_none(),
        "a different version is not covered"
    );
    assert!(findings[2].vex.is_none(), "a different CVE is not covered");
}

#[test]
fn openvex_v001_string_products_and_qualifiers() {
    let set = load("go-vex/v0.0.1.json");
    let [s] = set.statements() else {
        panic!("one statement")
    };
    assert_eq!(s.vulnerability, "CVE-2023-12345");
    assert_eq!(s.status, VexStatus::Fixed);
    assert_eq!(s.products.len(), 2);

    let mut inv = Inventory::default();
    let x86 = add(&mut inv, "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64");
    let arm64 = add(&mut inv, "pkg:apk/wolfi/git@2.39.0-r1?arch=aarch64");
    let plain = add(&mut inv, "pkg:apk/wolfi/git@2.39.0-r1");
    let mut findings = vec![
        finding("CVE-2023-12345", &[], x86),
        finding("CVE-2023-12345", &[], arm64),
        finding("CVE-2023-12345", &[], plain),
    ];
    set.apply(&inv, &mut findings);
    assert_eq!(
        findings[0].vex.as_ref().map(|v| v.status),
        Some(VexStatus::Fixed)
    );
    assert!(
        findings[1].vex.is_none(),
        "the statement names other arches"
    );
    assert!(
        findings[2].vex.is_none(),
        "a qualifier the statement gives must match"
    );

    let set = load("go-vex/v001-1.vex.json");
    let s = &set.statements()[0];
    assert_eq!(s.status, VexStatus::UnderInvestigation);
    assert_eq!(
        s.timestamp.as_ref().map(|t| t.text.as_str()),
        Some("2022-12-22T16:36:43-05:00")
    );
    assert_eq!(
        s.products,
        vec![chainproof_osv::vex::VexProduct::new(ProductId::parse(
            "pkg:apk/wolfi/bash@1.0.0"
        ))]
    );
}

#[test]
fn openvex_v020_image_with_subcomponents() {
    let set = load("go-vex/v0.2.0.json");
    let ids: Vec<&str> = set
        .statements()
        .iter()
        .map(|s| s.vulnerability.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "CVE-2023-1255",
            "CVE-2023-2650",
            "CVE-2023-2975",
            "CVE-2023-3446",
            "CVE-2023-3817"
        ]
    );
    let s = &set.statements()[3];
    assert_eq!(
        s.impact.as_deref(),
        Some("affected functions were removed before packaging")
    );
    assert_eq!(s.products[0].subcomponents.len(), 2);

    let image: chainproof_purl::Purl = chainproof_purl::Purl::parse_lenient(
        "pkg:oci/alpine@sha256%3A124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126",
    )
    .expect("purl");
    let mut inv = Inventory::default();
    let ssl = add(&mut inv, "pkg:apk/alpine/libssl3@3.0.8-r3?arch=x86_64");
    let mut findings = vec![finding("CVE-2023-3446", &[], ssl)];
    // Without knowing the scanned image, a statement about the image does not apply.
    set.apply(&inv, &mut findings);
    assert!(findings[0].vex.is_none());
    let set = set.with_target(Some(image));
    set.apply(&inv, &mut findings);
    let v = findings[0].vex.as_ref().expect("applies inside the image");
    assert_eq!(v.status, VexStatus::NotAffected);
    assert_eq!(
        v.statement.as_deref(),
        Some("affected functions were removed before packaging")
    );
}

#[test]
fn openvex_oci_target_must_match() {
    let target = chainproof_purl::Purl::parse_lenient(
        "pkg:oci/debian@sha256%3Aabc?repository_url=index.docker.io/library/debian",
    )
    .expect("purl");
    let mut inv = Inventory::default();
    let bash = add(
        &mut inv,
        "pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12.5",
    );
    for (file, applies) in [
        ("trivy/openvex-oci.json", true),
        ("trivy/openvex-oci-mismatch.json", false),
    ] {
        let mut findings = vec![finding("CVE-2022-3715", &[], bash)];
        load(file)
            .with_target(Some(target.clone()))
            .apply(&inv, &mut findings);
        assert_eq!(findings[0].vex.is_some(), applies, "{file}");
    }
}

#[test]
fn openvex_nested_product_must_contain_the_package() {
    let set = load("trivy/openvex-nested.json");
    let mut inv = Inventory::default();
    let direct = add(
        &mut inv,
        "pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0",
    );
    let other = add(
        &mut inv,
        "pkg:golang/github.com/aquasecurity/go-direct2@v3.0.0",
    );
    let transitive = add(
        &mut inv,
        "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0",
    );
    inv.add_edge(other, transitive);
    let mut findings = vec![finding("CVE-2024-0001", &[], transitive)];
    set.apply(&inv, &mut findings);
    assert!(
        findings[0].vex.is_none(),
        "go-direct1 does not pull go-transitive yet"
    );
    inv.add_edge(direct, transitive);
    set.apply(&inv, &mut findings);
    assert_eq!(
        findings[0].vex.as_ref().map(|v| v.status),
        Some(VexStatus::NotAffected)
    );
}

#[test]
fn later_statement_wins() {
    let set = load("trivy/openvex-multiple.json");
    assert_eq!(set.statements().len(), 2);
    assert_eq!(set.statements()[0].status, VexStatus::Affected);
    let mut inv = Inventory::default();
    let p = add(
        &mut inv,
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0",
    );
    let mut findings = vec![finding("CVE-2021-44228", &[], p)];
    set.apply(&inv, &mut findings);
    // The first is dated 2023-01-15, the second inherits the document's 2023-01-16.
    assert_eq!(
        findings[0].vex.as_ref().map(|v| v.status),
        Some(VexStatus::NotAffected)
    );

    // Reversed order: still the newer one, not the last one.
    let mut stmts = set.statements().to_vec();
    stmts.reverse();
    let mut findings = vec![finding("CVE-2021-44228", &[], p)];
    VexSet::from_statements(stmts).apply(&inv, &mut findings);
    assert_eq!(
        findings[0].vex.as_ref().map(|v| v.status),
        Some(VexStatus::NotAffected)
    );
}

#[test]
fn cyclonedx_vex_with_urn_refs() {
    let set = load("trivy/cyclonedx.json");
    let [a, b] = set.statements() else {
        panic!("two statements")
    };
    assert_eq!(a.vulnerability, "CVE-2021-44228");
    assert_eq!(
        a.justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path"),
        "code_not_reachable mapped"
    );
    assert_eq!(
        a.products[0].id.to_string(),
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0"
    );
    assert_eq!(b.vulnerability, "CVE-2022-27943");
    assert_eq!(b.justification, None);
    let ProductId::Purl(p) = &b.products[0].id else {
        panic!("a purl: {:?}", b.products[0].id)
    };
    assert_eq!(
        (p.name(), p.version(), p.qualifier("distro")),
        (
            "libstdc++6",
            Some("12.3.0-1ubuntu1~22.04"),
            Some("ubuntu-22.04")
        )
    );

    let mut inv = Inventory::default();
    let lib = add(
        &mut inv,
        "pkg:deb/ubuntu/libstdc%2B%2B6@12.3.0-1ubuntu1~22.04?arch=amd64&distro=ubuntu-22.04",
    );
    let boot = add(
        &mut inv,
        "pkg:maven/org.springframework.boot/spring-boot@2.6.0",
    );
    let mut findings = vec![
        finding("CVE-2022-27943", &[], lib),
        finding("CVE-2022-27943", &[], boot),
    ];
    set.apply(&inv, &mut findings);
    assert_eq!(
        findings[0].vex.as_ref().map(|v| v.status),
        Some(VexStatus::NotAffected)
    );
    assert!(findings[1].vex.is_none());
}

#[test]
fn csaf_threat_impact_and_relationships() {
    let set = load("trivy/csaf.json");
    let [s] = set.statements() else {
        panic!("one statement")
    };
    assert_eq!(
        (s.vulnerability.as_str(), s.status),
        ("CVE-2024-0001", VexStatus::NotAffected)
    );
    assert_eq!(
        s.justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert_eq!(
        s.products[0].id.to_string(),
        "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0"
    );
    assert_eq!(
        s.timestamp.as_ref().map(|t| t.text.as_str()),
        Some("2022-03-03T11:00:00.000Z")
    );

    let set = load("trivy/csaf-relationships.json");
    let s = &set.statements()[0];
    assert_eq!(
        s.justification.as_deref(),
        Some("vulnerable_code_cannot_be_controlled_by_adversary")
    );
    assert_eq!(
        s.products[0].id.to_string(),
        "pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0"
    );
    assert_eq!(
        s.products[0].subcomponents[0].to_string(),
        "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0"
    );
    let mut inv = Inventory::default();
    let direct = add(
        &mut inv,
        "pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0",
    );
    let transitive = add(
        &mut inv,
        "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0",
    );
    inv.add_edge(direct, transitive);
    let mut findings = vec![
        finding("CVE-2024-0001", &[], transitive),
        finding("CVE-2024-0001", &[], direct),
    ];
    set.apply(&inv, &mut findings);
    assert!(findings[0].is_suppressed());
    assert!(
        findings[1].vex.is_none(),
        "the statement is about the component inside, not go-direct1 itself"
    );
}

#[test]
fn csaf_go_vex_example_statuses() {
    let set = load("go-vex/csaf-example.json");
    let got: Vec<(String, VexStatus, String)> = set
        .statements()
        .iter()
        .map(|s| {
            (
                s.vulnerability.clone(),
                s.status,
                s.products[0].id.to_string(),
            )
        })
        .collect();
    let doc: serde_json::Value =
        serde_json::from_slice(&read("go-vex/csaf-example.json")).expect("json");
    // Count the product_status entries independently.
    let expected: usize = doc["vulnerabilities"]
        .as_array()
        .expect("array")
        .iter()
        .flat_map(|v| v["product_status"].as_object().expect("status").values())
        .map(|l| l.as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(got.len(), expected);
    // `ABC:CSAFPID-0002` is in no product tree entry: kept as an opaque id, matching nothing.
    assert!(
        got.contains(&(
            "CVE-2009-4488".into(),
            VexStatus::Affected,
            "ABC:CSAFPID-0002".into()
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "CVE-2009-4487".into(),
            VexStatus::NotAffected,
            "pkg:maven/@1.3.4".into()
        )),
        "{got:?}"
    );
}

#[test]
fn errors_name_file_and_place() {
    let e = parse_document(b"{\n  \"statements\": [", "broken.json").expect_err("truncated");
    assert!(matches!(e, VexError::Json { line: 2, .. }), "{e}");
    assert!(e.to_string().starts_with("broken.json:2:"), "{e}");

    let doc = br#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
        {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a@1"}], "status": "not_affected", "justification": "x"},
        {"vulnerability": {"name": "CVE-2"}, "products": [{"@id": "pkg:npm/a@1"}], "status": "maybe"}]}"#;
    let e = parse_document(doc, "doc.json").expect_err("bad status");
    assert_eq!(
        e.to_string(),
        "doc.json (at /statements/1/status): unknown status `maybe`"
    );

    let e = parse_document(br#"{"hello": 1}"#, "x.json").expect_err("unknown");
    assert!(matches!(e, VexError::UnknownFormat { .. }), "{e}");
    let e = VexSet::load(&[fixture("does-not-exist.json")]).expect_err("missing file");
    assert!(
        e.to_string().contains("does-not-exist.json: cannot read"),
        "{e}"
    );
}

#[test]
fn merge_keeps_newest_per_vulnerability_and_product() {
    let mut all = load("trivy/openvex-multiple.json").statements().to_vec();
    all.extend(load("trivy/cyclonedx.json").statements().iter().cloned());
    let merged = merge(all);
    let log4shell: Vec<_> = merged
        .iter()
        .filter(|s| s.vulnerability == "CVE-2021-44228")
        .collect();
    assert_eq!(log4shell.len(), 1, "{merged:#?}");
    // The OpenVEX not_affected (dated 2023-01-16) beats the undated CycloneDX one and the
    // older `affected`.
    assert_eq!(log4shell[0].status, VexStatus::NotAffected);
    assert!(log4shell[0].origin.ends_with("openvex-multiple.json"));
    assert_eq!(
        merged
            .iter()
            .filter(|s| s.vulnerability == "CVE-2022-27943")
            .count(),
        1
    );

    // Same decision for two products regroups into one statement.
    let v001 = load("go-vex/v0.0.1.json").statements().to_vec();
    let merged = merge([v001.clone(), v001].concat());
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].products.len(), 2);
}
