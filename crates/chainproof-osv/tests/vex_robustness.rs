//! No panic on damaged input: every prefix of every fixture, and documents with fields of
//! the wrong type, give statements or a typed error.

mod common;

use chainproof_osv::ignore::IgnoreFile;
use chainproof_osv::vex::{VexError, merge, openvex, parse_document};
use common::read;
use serde_json::{Value, json};

const FILES: [&str; 8] = [
    "trivy/openvex.json",
    "trivy/openvex-nested.json",
    "trivy/cyclonedx.json",
    "trivy/csaf.json",
    "trivy/csaf-relationships.json",
    "go-vex/v0.0.1.json",
    "go-vex/v0.2.0.json",
    "go-vex/csaf-example.json",
];

#[test]
fn truncated_documents_fail_cleanly() {
    for f in FILES {
        let bytes = read(f);
        for len in (0..bytes.len()).step_by(7) {
            match parse_document(&bytes[..len], f) {
                Err(VexError::Json { .. }) => {}
                Ok(_) if bytes[len..].iter().all(u8::is_ascii_whitespace) => {}
                other => panic!("{f}[..{len}]: {other:?}"),
            }
        }
    }
}

/// Replaces every value in the document, one at a time, by values of other types.
#[test]
fn wrong_types_anywhere_never_panic() {
    fn paths(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    paths(
                        c,
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        out,
                    );
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    paths(c, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let replacements = [json!(null), json!(7), json!({}), json!("pkg:")];
    let mut checked = 0;
    // One document per shape (the machine is slow; the larger ones add nothing new).
    for f in [
        "trivy/openvex-nested.json",
        "trivy/cyclonedx.json",
        "trivy/csaf-relationships.json",
        "go-vex/v0.0.1.json",
    ] {
        let doc: Value = serde_json::from_slice(&read(f)).expect("fixture JSON");
        let mut all = Vec::new();
        paths(&doc, String::new(), &mut all);
        for p in all.iter().filter(|p| !p.is_empty()) {
            for r in &replacements {
                let mut d = doc.clone();
                if let Some(slot) = d.pointer_mut(p) {
                    *slot = r.clone();
                }
                let bytes = serde_json::to_vec(&d).expect("json");
                if let Ok(stmts) = parse_document(&bytes, f) {
                    let merged = merge(stmts);
                    let _ = openvex::write(&merged, &openvex::DocumentMeta::default());
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn ignore_file_garbage_is_an_error_not_a_panic() {
    for text in [
        "[[ignore]",
        "ignore = 3",
        "[[ignore]]\nid = 1\nreason = 2",
        "[[ignore]]\nid='a'\nreason='b'\nexpires=2020-13-45",
        "\u{0}\u{ff}",
    ] {
        assert!(IgnoreFile::parse(text, "x.toml").is_err(), "{text:?}");
    }
}
