//! Our writers: output validates against the official schemas, has the expected content,
//! and CycloneDX → inventory → SPDX → inventory → CycloneDX keeps everything.

mod common;

use chainproof_core::Scope;
use chainproof_sbom::{CdxVersion, DetectedFormat, Format, decode, encode, validate};
use serde_json::Value;

use common::{options, rich_inventory, summary};

fn write(format: Format) -> String {
    encode(&rich_inventory(), format, &options()).expect("encode")
}

fn assert_valid(json: &str, name: &str) {
    let v = validate(json.as_bytes(), name).expect("readable");
    assert!(v.is_valid(), "{name}: {:#?}", v.problems);
}

#[test]
fn cyclonedx_1_5_output_validates() {
    let json = write(Format::CycloneDxJson(CdxVersion::V1_5));
    assert_valid(&json, "out.cdx-1.5.json");
    let doc: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["specVersion"], "1.5");
    // 1.5 has no occurrence line: the line travels in the location string
    let left_pad = &doc["components"][1];
    assert_eq!(
        left_pad["evidence"]["occurrences"][0]["location"],
        "package-lock.json:10"
    );
}

#[test]
fn cyclonedx_1_6_output_validates_and_has_the_content() {
    let json = write(Format::CycloneDxJson(CdxVersion::V1_6));
    assert_valid(&json, "out.cdx.json");
    let doc: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["bomFormat"], "CycloneDX");
    assert_eq!(doc["specVersion"], "1.6");
    assert_eq!(
        doc["serialNumber"],
        "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
    assert_eq!(
        doc["metadata"]["tools"]["components"][0]["name"],
        "chainproof"
    );
    assert_eq!(
        doc["metadata"]["tools"]["components"][0]["version"],
        "0.1.0"
    );
    let root = &doc["metadata"]["component"];
    assert_eq!(root["type"], "application");
    assert_eq!(root["name"], "my-app");
    assert_eq!(
        doc["metadata"]["properties"][0]["value"],
        "web/yarn.lock:7: unexpected indentation [yarn-lock]"
    );

    let comps = doc["components"].as_array().expect("components");
    assert_eq!(comps.len(), 9);
    let refs: Vec<&str> = comps
        .iter()
        .map(|c| c["bom-ref"].as_str().expect("ref"))
        .collect();
    assert_eq!(refs[0], "pkg:npm/my-app@1.0.0");
    assert_eq!(refs[2], "pkg:npm/%40babel/core@7.24.0");
    assert_eq!(comps[0]["type"], "application");
    assert_eq!(comps[1]["type"], "library");
    assert_eq!(comps[1]["hashes"][0]["alg"], "SHA-512");
    assert_eq!(comps[1]["licenses"][0]["expression"], "MIT");
    assert_eq!(comps[1]["externalReferences"][0]["type"], "distribution");
    assert_eq!(
        comps[1]["evidence"]["occurrences"][0]["location"],
        "package-lock.json"
    );
    assert_eq!(comps[1]["evidence"]["occurrences"][0]["line"], 10);
    // dev stays visible: excluded + a property
    assert_eq!(comps[2]["scope"], "excluded");
    assert!(
        comps[2]["properties"]
            .as_array()
            .expect("props")
            .iter()
            .any(|p| p["name"] == "chainproof:scope" && p["value"] == "dev")
    );
    assert_eq!(comps[3]["scope"], "optional");
    assert_eq!(
        comps[3]["licenses"][1]["license"]["name"],
        "Some Custom License, see LICENSE.txt"
    );
    // no purl: a generated ref and the ecosystem as a property
    assert!(comps[5].get("purl").is_none());
    assert!(refs[5].starts_with("chainproof:"));

    // one dependency entry per component plus the root, every ref defined
    let deps = doc["dependencies"].as_array().expect("deps");
    assert_eq!(deps.len(), 10);
    assert_eq!(deps[0]["ref"], root["bom-ref"]);
    assert_eq!(
        deps[0]["dependsOn"],
        serde_json::json!(["pkg:npm/my-app@1.0.0"])
    );
    assert_eq!(deps[1]["dependsOn"].as_array().expect("a").len(), 3);
    let total_edges: usize = deps[1..]
        .iter()
        .map(|d| d["dependsOn"].as_array().expect("a").len())
        .sum();
    assert_eq!(total_edges, 6);
    assert_eq!(deps[9]["dependsOn"], serde_json::json!([]));
}

#[test]
fn spdx_output_validates_and_has_the_content() {
    let json = write(Format::SpdxJson);
    assert_valid(&json, "out.spdx.json");
    let doc: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    assert_eq!(doc["dataLicense"], "CC0-1.0");
    assert_eq!(doc["SPDXID"], "SPDXRef-DOCUMENT");
    assert_eq!(doc["creationInfo"]["created"], "2023-11-14T22:13:20Z");
    assert_eq!(doc["creationInfo"]["creators"][0], "Tool: chainproof-0.1.0");
    assert!(
        doc["documentNamespace"]
            .as_str()
            .expect("ns")
            .ends_with("3e671687-395b-41f5-a30f-a58921a69b79")
    );
    let pkgs = doc["packages"].as_array().expect("packages");
    assert_eq!(pkgs.len(), 10, "9 packages + the root");
    let ids: std::collections::HashSet<&str> = pkgs
        .iter()
        .map(|p| p["SPDXID"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 10, "SPDXIDs are unique");
    for id in &ids {
        assert!(
            id["SPDXRef-".len()..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "{id}"
        );
    }
    let left_pad = &pkgs[2];
    assert_eq!(left_pad["name"], "left-pad");
    assert_eq!(
        left_pad["downloadLocation"],
        "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"
    );
    assert_eq!(left_pad["filesAnalyzed"], false);
    assert_eq!(left_pad["checksums"][0]["algorithm"], "SHA512");
    assert_eq!(left_pad["licenseDeclared"], "MIT");
    assert_eq!(
        left_pad["externalRefs"][0]["referenceLocator"],
        "pkg:npm/left-pad@1.3.0"
    );
    // several licenses with a non-SPDX one: a LicenseRef with its extracted text
    let fsevents = &pkgs[4];
    assert_eq!(
        fsevents["licenseDeclared"],
        "MIT AND LicenseRef-chainproof-1"
    );
    assert_eq!(
        doc["hasExtractedLicensingInfos"][0]["extractedText"],
        "Some Custom License, see LICENSE.txt"
    );
    let rels = doc["relationships"].as_array().expect("rels");
    assert_eq!(rels[0]["relationshipType"], "DESCRIBES");
    let depends = rels
        .iter()
        .filter(|r| r["relationshipType"] == "DEPENDS_ON")
        .count();
    assert_eq!(depends, 6 + 1, "every edge plus root → my-app");
}

#[test]
fn round_trip_keeps_everything() {
    let original = rich_inventory();
    let expected = summary(&original);

    let cdx = encode(
        &original,
        Format::CycloneDxJson(CdxVersion::V1_6),
        &options(),
    )
    .expect("cdx");
    let from_cdx = decode(cdx.as_bytes(), "a.cdx.json").expect("decode cdx");
    assert_eq!(
        from_cdx.format,
        DetectedFormat::CycloneDx {
            version: "1.6".into()
        }
    );
    assert_eq!(
        summary(&from_cdx.inventory),
        expected,
        "CycloneDX 1.6 → inventory"
    );

    let spdx = encode(&from_cdx.inventory, Format::SpdxJson, &options()).expect("spdx");
    let from_spdx = decode(spdx.as_bytes(), "b.spdx.json").expect("decode spdx");
    assert_eq!(
        from_spdx.format,
        DetectedFormat::Spdx {
            version: "SPDX-2.3".into()
        }
    );
    assert_eq!(
        summary(&from_spdx.inventory),
        expected,
        "SPDX 2.3 → inventory"
    );

    let cdx15 = encode(
        &from_spdx.inventory,
        Format::CycloneDxJson(CdxVersion::V1_5),
        &options(),
    )
    .expect("cdx 1.5");
    let from_cdx15 = decode(cdx15.as_bytes(), "c.cdx.json").expect("decode cdx 1.5");
    assert_eq!(
        summary(&from_cdx15.inventory),
        expected,
        "CycloneDX 1.5 → inventory"
    );

    let again = encode(
        &from_cdx15.inventory,
        Format::CycloneDxJson(CdxVersion::V1_6),
        &options(),
    )
    .expect("cdx");
    assert_eq!(
        again, cdx,
        "output is deterministic and stable through the round trip"
    );

    // independent spot checks of what the summary compares
    let inv = &from_spdx.inventory;
    let babel = inv
        .packages()
        .find(|(_, p)| p.name == "@babel/core")
        .expect("babel")
        .1;
    assert_eq!(babel.scope, Scope::Dev);
    let fsevents = inv
        .packages()
        .find(|(_, p)| p.name == "fsevents")
        .expect("fsevents")
        .1;
    assert_eq!(fsevents.scope, Scope::Optional);
    assert_eq!(fsevents.licenses.len(), 2);
    assert_eq!(inv.edges().count(), 6);
    assert_eq!(inv.roots().count(), 1);
}

#[test]
fn random_serial_gives_distinct_documents() {
    let mut opts = options();
    opts.serial = None;
    let a = encode(&rich_inventory(), Format::SpdxJson, &opts).expect("a");
    let b = encode(&rich_inventory(), Format::SpdxJson, &opts).expect("b");
    let ns = |s: &str| serde_json::from_str::<Value>(s).expect("json")["documentNamespace"].clone();
    assert_ne!(ns(&a), ns(&b));
}

#[test]
fn bad_fixed_serial_is_an_error() {
    let mut opts = options();
    opts.serial = Some("not-a-uuid".into());
    let err = encode(
        &rich_inventory(),
        Format::CycloneDxJson(CdxVersion::V1_6),
        &opts,
    )
    .unwrap_err();
    assert!(err.to_string().contains("not-a-uuid"), "{err}");
}
