//! End-to-end tests of the `chainproof` binary on a small tree of real lockfiles
//! (fixtures/tree, see fixtures/SOURCES.md). Each test runs the real binary in a temp dir.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chainproof_testkit::cli::{bin as chainproof, read_json};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn cdx_purls(doc: &Value) -> BTreeSet<String> {
    doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["purl"].as_str().map(str::to_string))
        .collect()
}

/// (from purl, to purl) for every CycloneDX dependency edge between purl-carrying components.
fn cdx_edges(doc: &Value) -> BTreeSet<(String, String)> {
    let by_ref: std::collections::HashMap<&str, &str> = doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| Some((c["bom-ref"].as_str()?, c["purl"].as_str()?)))
        .collect();
    let mut out = BTreeSet::new();
    for d in doc["dependencies"].as_array().expect("dependencies") {
        let Some(from) = d["ref"].as_str().and_then(|r| by_ref.get(r)) else {
            continue;
        };
        for to in d["dependsOn"].as_array().into_iter().flatten() {
            if let Some(to) = to.as_str().and_then(|r| by_ref.get(r)) {
                out.insert((from.to_string(), to.to_string()));
            }
        }
    }
    out
}

#[test]
fn sbom_tree_writes_valid_cyclonedx_and_spdx_and_reports_broken_files() {
    let tmp = tempfile::tempdir().unwrap();
    let cdx = tmp.path().join("bom.cdx.json");
    let spdx = tmp.path().join("bom.spdx.json");
    let out = chainproof()
        .arg("sbom")
        .arg(fixtures().join("tree"))
        .arg("-o")
        .arg(format!("cyclonedx-json={}", cdx.display()))
        .arg("-o")
        .arg(format!("spdx-json={}", spdx.display()))
        .arg("-o")
        .arg("table")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");

    // The broken files are named, with the place, and the rest of the tree is still read.
    assert!(stderr.contains("2 file(s) could not be parsed"), "{stderr}");
    assert!(stderr.contains("broken-npm/package-lock.json:"), "{stderr}");
    assert!(stderr.contains("broken-cargo/Cargo.lock"), "{stderr}");

    // The table lists packages of every ecosystem.
    for needle in [
        "byteorder",
        "postcss-calc",
        "pandas",
        "protobuf",
        "golang.org/x/net",
    ] {
        assert!(stdout.contains(needle), "table lacks {needle}:\n{stdout}");
    }

    let doc = read_json(&cdx);
    assert_eq!(doc["bomFormat"], "CycloneDX");
    assert_eq!(doc["specVersion"], "1.6");
    let purls = cdx_purls(&doc);
    for p in [
        "pkg:cargo/base64@0.5.1",
        "pkg:cargo/byteorder@1.3.1",
        "pkg:npm/postcss@6.0.23",
        "pkg:npm/postcss@7.0.16",
        "pkg:npm/postcss-calc@7.0.1",
        "pkg:npm/supports-color@5.5.0",
        "pkg:npm/supports-color@6.1.0",
        "pkg:pypi/pandas@0.23.4",
        "pkg:pypi/numpy@1.16.0",
        "pkg:pypi/scikit-learn@0.20.1",
        "pkg:pypi/proto-plus@1.22.0",
        "pkg:pypi/protobuf@4.21.5",
        "pkg:golang/golang.org/x/net@v0.5.6",
        "pkg:golang/example.com/fork/net@v1.4.5",
    ] {
        assert!(purls.contains(p), "missing {p} in {purls:#?}");
    }
    // Unpinned requirements are kept (without a version), not dropped.
    assert!(purls.contains("pkg:pypi/flask"), "{purls:#?}");
    // The replaced module is not reported under its old version.
    assert!(!purls.contains("pkg:golang/golang.org/x/net@v1.2.3"));

    let edges = cdx_edges(&doc);
    for (a, b) in [
        ("pkg:cargo/base64@0.5.1", "pkg:cargo/byteorder@1.3.1"),
        ("pkg:npm/postcss-calc@7.0.1", "pkg:npm/postcss@7.0.16"),
        ("pkg:npm/postcss@7.0.16", "pkg:npm/supports-color@6.1.0"),
        ("pkg:npm/postcss@6.0.23", "pkg:npm/supports-color@5.5.0"),
        ("pkg:pypi/proto-plus@1.22.0", "pkg:pypi/protobuf@4.21.5"),
    ] {
        assert!(
            edges.contains(&(a.to_string(), b.to_string())),
            "missing edge {a} -> {b}"
        );
    }

    // Both documents validate with our own validator (bundled official schemas).
    for f in [&cdx, &spdx] {
        let v = chainproof()
            .args(["sbom", "validate"])
            .arg(f)
            .output()
            .unwrap();
        assert_eq!(
            v.status.code(),
            Some(0),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&v.stdout)
        );
    }

    let spdx_doc = read_json(&spdx);
    assert_eq!(spdx_doc["spdxVersion"], "SPDX-2.3");
    let spdx_packages = spdx_doc["packages"].as_array().unwrap().len();
    // SPDX carries one extra package: the described root (the directory).
    assert_eq!(
        spdx_packages,
        doc["components"].as_array().unwrap().len() + 1
    );
}

#[test]
fn convert_round_trip_keeps_packages_and_edges() {
    let tmp = tempfile::tempdir().unwrap();
    let cdx = tmp.path().join("a.cdx.json");
    let spdx = tmp.path().join("b.spdx.json");
    let back = tmp.path().join("c.cdx.json");
    chainproof()
        .args(["sbom", "-q"])
        .arg(fixtures().join("tree"))
        .arg("-o")
        .arg(format!("cyclonedx-json={}", cdx.display()))
        .assert()
        .success();
    chainproof()
        .args(["sbom", "convert", "-q"])
        .arg(&cdx)
        .arg("-o")
        .arg(format!("spdx-json={}", spdx.display()))
        .assert()
        .success();
    chainproof()
        .args(["sbom", "convert", "-q"])
        .arg(&spdx)
        .arg("-o")
        .arg(format!("cyclonedx-json={}", back.display()))
        .assert()
        .success();
    let (a, c) = (read_json(&cdx), read_json(&back));
    assert_eq!(cdx_purls(&a), cdx_purls(&c));
    assert_eq!(cdx_edges(&a), cdx_edges(&c));
    assert!(!cdx_edges(&a).is_empty());
}

#[test]
fn validate_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    // 2: not readable as an SBOM at all.
    let garbage = tmp.path().join("garbage.json");
    std::fs::write(&garbage, b"{ not json").unwrap();
    let out = chainproof()
        .args(["sbom", "validate"])
        .arg(&garbage)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("garbage.json"));
    // 2: missing file.
    chainproof()
        .args(["sbom", "validate"])
        .arg(tmp.path().join("nope.json"))
        .assert()
        .code(2);
    // 1: schema-invalid CycloneDX (wrong type for `version`), reported with a JSON pointer.
    let bad = tmp.path().join("bad.cdx.json");
    std::fs::write(
        &bad,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":"one","components":[]}"#,
    )
    .unwrap();
    let out = chainproof()
        .args(["sbom", "validate"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("/version"), "{stdout}");
    // 1: a dangling dependency reference is a semantic problem.
    let dangling = tmp.path().join("dangling.cdx.json");
    std::fs::write(
        &dangling,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
            "components":[{"type":"library","name":"a","bom-ref":"a"}],
            "dependencies":[{"ref":"a","dependsOn":["ghost"]}]}"#,
    )
    .unwrap();
    let out = chainproof()
        .args(["sbom", "validate"])
        .arg(&dangling)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("/dependencies/0/dependsOn/0"), "{stdout}");
}

#[test]
fn single_file_targets_and_forced_catalogers() {
    let tmp = tempfile::tempdir().unwrap();
    let odd = tmp.path().join("two-packages.v1.json");
    std::fs::copy(fixtures().join("tree/node/package-lock.json"), &odd).unwrap();
    // Not a package-lock by name: nothing is read without --catalogers ...
    let out = chainproof().arg("sbom").arg(&odd).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No packages found"));
    // ... and everything with it.
    let out = chainproof()
        .arg("sbom")
        .arg(&odd)
        .args(["--catalogers", "npm-package-lock"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("postcss-calc"));
}

#[test]
fn usage_errors_exit_2() {
    chainproof()
        .args(["sbom", ".", "-o", "xml"])
        .assert()
        .code(2);
    chainproof()
        .args(["sbom", ".", "--catalogers", "nope"])
        .assert()
        .code(2);
    chainproof().args(["frobnicate"]).assert().code(2);
    chainproof()
        .arg("sbom")
        .arg("/definitely/not/here")
        .assert()
        .code(2);
    chainproof().arg("--version").assert().success();
}

#[test]
fn exclude_leaves_out_matching_paths() {
    let out = chainproof()
        .arg("sbom")
        .arg(fixtures().join("tree"))
        .args(["--exclude", "broken-*", "--exclude", "node"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stderr.contains("could not be parsed"), "{stderr}");
    assert!(!stdout.contains("postcss"), "{stdout}");
    assert!(stdout.contains("byteorder"));
}
