//! Malformed input gives an error naming the file and the place, never a panic; semantic
//! checks find what the schemas cannot.

mod common;

use chainproof_sbom::{CdxVersion, Format, ProblemKind, SbomError, decode, encode, validate};
use serde_json::{Value, json};

fn cdx() -> String {
    encode(
        &common::rich_inventory(),
        Format::CycloneDxJson(CdxVersion::V1_6),
        &common::options(),
    )
    .expect("encode")
}

fn spdx() -> String {
    encode(
        &common::rich_inventory(),
        Format::SpdxJson,
        &common::options(),
    )
    .expect("encode")
}

#[test]
fn truncated_documents_name_file_and_line() {
    for (name, doc) in [("bom.json", cdx()), ("doc.spdx.json", spdx())] {
        let cut = &doc.as_bytes()[..doc.len() / 2];
        let lines = cut.iter().filter(|b| **b == b'\n').count() + 1;
        for err in [
            decode(cut, name).unwrap_err(),
            validate(cut, name).unwrap_err(),
        ] {
            match &err {
                SbomError::Json { path, line, .. } => {
                    assert_eq!(path, name);
                    assert_eq!(*line, lines, "EOF is reported on the last line");
                }
                other => panic!("{name}: {other:?}"),
            }
            assert!(
                err.to_string().starts_with(&format!("{name}:{lines}:")),
                "{err}"
            );
        }
    }
}

#[test]
fn wrong_types_name_the_line() {
    let doc = "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \"components\": [\n    {\"type\": \"library\", \"name\": 42}\n  ]\n}";
    let err = decode(doc.as_bytes(), "types.json").unwrap_err();
    assert!(matches!(err, SbomError::Json { line: 5, .. }), "{err:?}");
    assert!(err.to_string().starts_with("types.json:5:"), "{err}");
    // validate reads it and reports the schema problem with a pointer instead
    let v = validate(doc.as_bytes(), "types.json").expect("readable JSON");
    assert!(
        v.problems.iter().any(|p| p.pointer == "/components/0/name"),
        "{:?}",
        v.problems
    );

    let doc = "{\"spdxVersion\": \"SPDX-2.3\",\n\"packages\": {\"a\": 1}}";
    let err = decode(doc.as_bytes(), "p.spdx.json").unwrap_err();
    assert!(matches!(err, SbomError::Json { line: 2, .. }), "{err:?}");

    let err = decode(br#"{"spdxVersion": 2.3}"#, "v.json").unwrap_err();
    assert!(
        matches!(&err, SbomError::Invalid { pointer, .. } if pointer == "/spdxVersion"),
        "{err:?}"
    );
}

#[test]
fn garbage_empty_and_foreign_documents() {
    let cases: [(&str, &[u8]); 8] = [
        ("empty", b""),
        ("spaces", b"  \n "),
        ("binary", b"\x00\xff\xfe\x89PNG\r\n\x1a\n"),
        ("array", b"[1, 2]"),
        ("object", b"{\"hello\": \"world\"}"),
        ("wrong bomFormat", b"{\"bomFormat\": \"SWID\"}"),
        (
            "spdx 3",
            b"{\"@context\": \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\", \"@graph\": []}",
        ),
        ("future spdx", b"{\"spdxVersion\": \"SPDX-3.0\"}"),
    ];
    for (name, bytes) in cases {
        let d = decode(bytes, name).unwrap_err();
        let v = validate(bytes, name).unwrap_err();
        for e in [d, v] {
            assert!(e.to_string().starts_with(name), "{name}: {e}");
        }
    }
    assert!(matches!(
        decode(b"", "e").unwrap_err(),
        SbomError::Json { line: 1, .. }
    ));
    assert!(matches!(
        decode(b"[1]", "e").unwrap_err(),
        SbomError::UnknownFormat { .. }
    ));
    assert!(matches!(
        decode(b"{\"spdxVersion\": \"SPDX-3.0\"}", "e").unwrap_err(),
        SbomError::UnsupportedVersion { format: "SPDX", .. }
    ));
}

#[test]
fn utf8_bom_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(cdx().as_bytes());
    assert_eq!(
        decode(&bytes, "bom.json").expect("decode").inventory.len(),
        9
    );
}

#[test]
fn every_prefix_of_a_document_is_handled() {
    // cheap exhaustive fuzzing of truncation: no prefix panics
    let doc = spdx();
    for end in (0..doc.len()).step_by(97) {
        let _ = decode(&doc.as_bytes()[..end], "p");
        let _ = validate(&doc.as_bytes()[..end], "p");
    }
}

fn mutate(doc: &str, f: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut v: Value = serde_json::from_str(doc).expect("json");
    f(&mut v);
    serde_json::to_vec(&v).expect("json")
}

fn semantic(bytes: &[u8]) -> Vec<(String, String)> {
    validate(bytes, "doc.json")
        .expect("readable")
        .problems
        .into_iter()
        .filter(|p| p.kind == ProblemKind::Semantic)
        .map(|p| (p.pointer, p.message))
        .collect()
}

#[test]
fn cyclonedx_dangling_ref_and_duplicate_bom_ref() {
    let bytes = mutate(&cdx(), |v| {
        v["dependencies"][3]["dependsOn"] = json!(["pkg:npm/nothing@1.0.0"]);
        v["components"][4]["bom-ref"] = v["components"][1]["bom-ref"].clone();
    });
    let found = semantic(&bytes);
    let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    // components/4 lost its own ref, so the dependency entry naming it dangles too
    assert_eq!(
        pointers,
        [
            "/components/4/bom-ref",
            "/dependencies/1/dependsOn/2",
            "/dependencies/3/dependsOn/0",
            "/dependencies/5/ref",
        ],
        "{found:?}"
    );
    assert!(
        found[0]
            .1
            .contains("duplicate bom-ref `pkg:npm/left-pad@1.3.0`")
    );
    assert!(found[2].1.contains("pkg:npm/nothing@1.0.0"));
}

#[test]
fn cyclonedx_unparsable_purl() {
    let bytes = mutate(&cdx(), |v| {
        v["components"][0]["purl"] = json!("npm/left-pad")
    });
    let found = semantic(&bytes);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "/components/0/purl");
}

#[test]
fn spdx_duplicate_id_dangling_relationship_and_bad_purl() {
    let bytes = mutate(&spdx(), |v| {
        v["packages"][3]["SPDXID"] = v["packages"][2]["SPDXID"].clone();
        v["relationships"][2]["relatedSpdxElement"] = json!("SPDXRef-Missing");
        v["packages"][1]["externalRefs"][0]["referenceLocator"] = json!("pkg:");
    });
    let found = semantic(&bytes);
    let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert!(pointers.contains(&"/packages/3/SPDXID"), "{found:?}");
    assert!(
        pointers.contains(&"/relationships/2/relatedSpdxElement"),
        "{found:?}"
    );
    assert!(
        pointers.contains(&"/packages/1/externalRefs/0/referenceLocator"),
        "{found:?}"
    );
    // the relationships that named the renamed package now dangle as well
    assert!(
        found
            .iter()
            .all(|(p, _)| p.starts_with("/packages/") || p.starts_with("/relationships/"))
    );
}

#[test]
fn our_output_has_no_semantic_problems() {
    assert_eq!(semantic(cdx().as_bytes()), vec![]);
    assert_eq!(semantic(spdx().as_bytes()), vec![]);
}
