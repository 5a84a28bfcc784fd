//! Every VEX document in the shared corpus (`corpus/attest/vex-*`) is read; files that are
//! not VEX documents (trivy's VEX repository manifests) are rejected as such. Skipped
//! loudly when the corpus is absent.

use std::path::{Path, PathBuf};

use chainproof_core::vuln::VexStatus;
use chainproof_osv::vex::{VexError, VexFormat, VexSet, parse_document};
use chainproof_testkit::corpus::root as corpus;
use serde_json::Value;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_vex_document_is_read() {
    let Some(root) = corpus() else { return };
    let mut files = Vec::new();
    for d in ["attest/vex-go-vex", "attest/vex-trivy"] {
        json_files(&root.join(d), &mut files);
    }
    files.sort();
    assert!(files.len() >= 30, "{} files", files.len());
    let (mut read, mut rejected) = (0, 0);
    for f in &files {
        let bytes = std::fs::read(f).expect("readable");
        let doc: Value = serde_json::from_slice(&bytes).expect("corpus JSON is valid");
        let result = parse_document(&bytes, &f.display().to_string());
        match VexFormat::detect(&doc) {
            Some(format) => {
                let stmts = result.unwrap_or_else(|e| panic!("{format:?} {}: {e}", f.display()));
                // Independent count of what each format should yield.
                let expected = match format {
                    VexFormat::OpenVex => doc["statements"].as_array().map_or(0, Vec::len),
                    VexFormat::CycloneDx => doc["vulnerabilities"].as_array().map_or(0, |v| {
                        v.iter()
                            .filter(|v| v["analysis"]["state"].is_string())
                            .count()
                    }),
                    VexFormat::Csaf => doc["vulnerabilities"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v["product_status"].as_object())
                        .flat_map(|s| {
                            s.iter()
                                .filter(|(k, _)| *k != "recommended")
                                .map(|(_, l)| l.as_array().map_or(0, Vec::len))
                        })
                        .sum(),
                };
                assert_eq!(stmts.len(), expected, "{}", f.display());
                read += 1;
            }
            None => {
                assert!(
                    matches!(result, Err(VexError::UnknownFormat { .. })),
                    "{}",
                    f.display()
                );
                rejected += 1;
            }
        }
    }
    assert!(
        read >= 25 && rejected >= 5,
        "read {read}, rejected {rejected}"
    );
}

#[test]
fn red_hat_csaf_advisory() {
    let Some(root) = corpus() else { return };
    let path = root.join("attest/vex-go-vex/pkg/csaf/testdata/rhsa-2020_1358.json");
    let set = VexSet::load(&[&path]).expect("RHSA reads");
    let stmts = set.statements();
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    let fixed = doc["vulnerabilities"][0]["product_status"]["fixed"]
        .as_array()
        .expect("fixed")
        .len();
    assert_eq!(
        stmts
            .iter()
            .filter(|s| s.vulnerability == "CVE-2020-1711")
            .count(),
        fixed
    );
    assert!(stmts.iter().all(|s| s.status == VexStatus::Fixed));
    // Relationship products: a package (component) of a Red Hat product stream.
    let slof = stmts
        .iter()
        .find(|s| {
            s.products[0]
                .subcomponents
                .iter()
                .any(|c| c.to_string().contains("SLOF"))
        })
        .expect("SLOF component");
    assert!(!slof.products[0].subcomponents.is_empty());
    assert!(
        slof.action.as_deref().is_some_and(|a| !a.is_empty()),
        "vendor_fix remediation as action"
    );
    assert!(slof.timestamp.is_some());
}
