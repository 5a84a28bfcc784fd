//! Reading documents written by others: the SPDX examples, syft, trivy and CycloneDX
//! bom-examples outputs (copied into tests/fixtures, see SOURCES.md).

use std::path::Path;

use chainproof_core::{Ecosystem, License, Scope};
use chainproof_sbom::{Decoded, DetectedFormat, decode, validate};

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(rel),
    )
    .expect("fixture")
}

fn load(rel: &str) -> Decoded {
    decode(&read(rel), rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn names(d: &Decoded) -> Vec<String> {
    let mut n: Vec<String> = d
        .inventory
        .packages()
        .map(|(_, p)| p.name.clone())
        .collect();
    n.sort();
    n
}

#[test]
fn spdx_2_3_example() {
    let d = load("spdx/SPDXJSONExample-v2.3.spdx.json");
    assert_eq!(
        d.format,
        DetectedFormat::Spdx {
            version: "SPDX-2.3".into()
        }
    );
    // two described elements (a file and glibc): no single root, all 4 packages kept
    assert_eq!(names(&d), ["Apache Commons Lang", "Jena", "Saxon", "glibc"]);
    let inv = &d.inventory;
    let jena = inv
        .packages()
        .find(|(_, p)| p.name == "Jena")
        .expect("jena")
        .1;
    assert_eq!(
        jena.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:maven/org.apache.jena/apache-jena@3.12.0")
    );
    assert_eq!(jena.ecosystem, Ecosystem::Maven);
    let glibc = inv
        .packages()
        .find(|(_, p)| p.name == "glibc")
        .expect("glibc")
        .1;
    assert_eq!(glibc.version.as_deref(), Some("2.11.1"));
    assert_eq!(glibc.licenses.len(), 1);
    assert!(
        glibc.licenses[0].as_str().contains("LGPL-2.0-only"),
        "{:?}",
        glibc.licenses
    );
    // SHA1 / SHA256 / MD5 checksums of the example glibc package
    assert_eq!(glibc.hashes.len(), 3, "{:?}", glibc.hashes);
    let saxon = inv
        .packages()
        .find(|(_, p)| p.name == "Saxon")
        .expect("saxon")
        .1;
    assert_eq!(saxon.licenses, vec![License::Spdx("MPL-1.0".into())]);
    // glibc is described → a root
    assert_eq!(
        inv.roots()
            .map(|r| inv.package(r).name.clone())
            .collect::<Vec<_>>(),
        ["glibc"]
    );
    assert!(
        validate(&read("spdx/SPDXJSONExample-v2.3.spdx.json"), "x")
            .expect("readable")
            .is_valid()
    );
}

#[test]
fn spdx_2_2_example() {
    let d = load("spdx/SPDXJSONExample-v2.2.spdx.json");
    assert_eq!(
        d.format,
        DetectedFormat::Spdx {
            version: "SPDX-2.2".into()
        }
    );
    assert_eq!(names(&d), ["Apache Commons Lang", "Jena", "Saxon", "glibc"]);
    // upstream's 2.2 example spells `PACKAGE_MANAGER`, which its own 2.2 schema does not
    // allow (the enum has `PACKAGE-MANAGER`): exactly that one problem is reported
    let v = validate(&read("spdx/SPDXJSONExample-v2.2.spdx.json"), "x").expect("readable");
    let pointers: Vec<&str> = v.problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["/packages/2/externalRefs/0/referenceCategory"],
        "{:?}",
        v.problems
    );
    // the reader is lenient about it and still finds the purl
    let jena = d
        .inventory
        .packages()
        .find(|(_, p)| p.name == "Jena")
        .expect("jena")
        .1;
    assert!(jena.purl.is_some());
}

#[test]
fn syft_spdx_describes_a_file_that_contains_the_module() {
    let d = load("real/syft-spdx-2.3.json");
    let inv = &d.inventory;
    // the single described element (go.mod) is the source, not a package
    assert_eq!(inv.source.name, "go.mod");
    assert_eq!(names(&d), ["github.com/wagoodman/go-partybus"]);
    let (id, p) = inv.packages().next().expect("one");
    assert_eq!(p.ecosystem, Ecosystem::Go);
    assert_eq!(
        inv.roots().collect::<Vec<_>>(),
        [id],
        "CONTAINS from the root makes a root"
    );
}

#[test]
fn trivy_spdx_filesystem_and_image() {
    let d = load("real/trivy-conda-spdx.json");
    assert_eq!(d.inventory.source.name, "testdata/fixtures/repo/conda");
    assert_eq!(names(&d), ["openssl", "pip"]);
    assert_eq!(d.inventory.roots().count(), 2);
    let pip = d
        .inventory
        .packages()
        .find(|(_, p)| p.name == "pip")
        .expect("pip")
        .1;
    assert_eq!(pip.licenses, vec![License::Spdx("MIT".into())]);

    let d = load("real/trivy-centos-7-spdx.json");
    assert_eq!(
        d.format,
        DetectedFormat::Spdx {
            version: "SPDX-2.2".into()
        }
    );
    assert_eq!(names(&d), ["bash", "centos", "openssl-libs"]);
    let bash = d
        .inventory
        .packages()
        .find(|(_, p)| p.name == "bash")
        .expect("bash")
        .1;
    assert_eq!(bash.ecosystem, Ecosystem::Rpm);
    // `GPLv3+` is no SPDX expression: kept verbatim
    assert_eq!(bash.licenses, vec![License::Other("GPLv3+".into())]);
}

#[test]
fn trivy_cyclonedx_npm_graph() {
    let d = load("real/trivy-npm-cyclonedx.json");
    assert_eq!(
        d.format,
        DetectedFormat::CycloneDx {
            version: "1.7".into()
        }
    );
    let inv = &d.inventory;
    assert_eq!(inv.source.name, "testdata/fixtures/repo/npm");
    // 13 components: package-lock.json (application) + 12 npm packages
    assert_eq!(inv.len(), 13);
    // 14 dependency entries with 18 dependsOn targets; the root's one target is a root
    // here, the other 17 are edges
    assert_eq!(inv.edges().count(), 17);
    let roots: Vec<_> = inv.roots().map(|r| inv.package(r).name.clone()).collect();
    assert_eq!(roots, ["package-lock.json"]);
    let asap = inv
        .packages()
        .find(|(_, p)| p.name == "asap")
        .expect("asap")
        .1;
    assert_eq!(
        asap.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:npm/asap@2.0.6")
    );
    assert_eq!(asap.scope, Scope::Runtime);
    assert_eq!(
        asap.properties
            .get("aquasecurity:trivy:PkgID")
            .map(String::as_str),
        Some("asap@2.0.6")
    );
    let v = validate(&read("real/trivy-npm-cyclonedx.json"), "x").expect("readable");
    assert!(v.is_valid(), "{:?}", v.problems);
}

#[test]
fn syft_cyclonedx_1_5_and_1_6() {
    for rel in ["real/syft-cdx-1.5.json", "real/syft-cdx-1.6.json"] {
        let d = load(rel);
        assert_eq!(d.inventory.len(), 1, "{rel}");
        let v = validate(&read(rel), rel).expect("readable");
        assert!(v.is_valid(), "{rel}: {:?}", v.problems);
    }
}

#[test]
fn cyclonedx_1_2_bom_example() {
    let d = load("real/bom-examples-cern-lhc-vdm-editor.json");
    assert_eq!(
        d.format,
        DetectedFormat::CycloneDx {
            version: "1.2".into()
        }
    );
    assert_eq!(d.inventory.source.name, "lhc-vdm-editor");
    assert_eq!(d.inventory.len(), 43);
    assert!(d.inventory.packages().all(|(_, p)| p.purl.is_some()));
    // no bundled 1.2 schema: validate says so instead of guessing
    assert!(validate(&read("real/bom-examples-cern-lhc-vdm-editor.json"), "x").is_err());
}

#[test]
fn every_spec_test_bom_decodes_or_fails_cleanly() {
    // the valid spec BOMs must all decode; invalid ones may fail but never panic
    for dir in ["cyclonedx-1.5", "cyclonedx-1.6"] {
        let base = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(dir);
        for entry in std::fs::read_dir(&base).expect("dir") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_string();
            let result = decode(&std::fs::read(&path).expect("read"), &name);
            if name.starts_with("valid-") {
                assert!(result.is_ok(), "{name}: {:?}", result.err());
            }
        }
    }
}
