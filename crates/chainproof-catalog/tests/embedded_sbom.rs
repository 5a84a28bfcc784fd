//! Tests for the `embedded-sbom` cataloger with a tiny hand-written CycloneDX reader (the
//! real one, `chainproof_sbom::decode`, is wired in by the binary; the lead's CLI test covers
//! that path). Fixture: `tests/fixtures/embedded_sbom/chainproof/vendor.cdx.json`.

use std::path::Path;
use std::sync::Arc;

use chainproof_catalog::embedded_sbom::{
    EmbeddedSbomCataloger, PROP_EMBEDDED_SBOM, SbomReader, is_sbom_file,
};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog, registry};
use chainproof_core::{Ecosystem, Inventory, Package};
use chainproof_purl::Purl;
use chainproof_source::MemoryResolver;

/// Reads `components[].{name, version, purl}` of a CycloneDX JSON document.
struct TinyCdx;

impl SbomReader for TinyCdx {
    fn read(&self, bytes: &[u8], path: &str) -> Result<Inventory, String> {
        let doc: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| format!("{path}: {e}"))?;
        if doc.get("bomFormat").and_then(|v| v.as_str()) != Some("CycloneDX") {
            return Err("not a CycloneDX document (at /bomFormat)".to_string());
        }
        let mut inv = Inventory::default();
        for c in doc
            .get("components")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            let name = c
                .get("name")
                .and_then(|v| v.as_str())
                .ok_or("component without a name")?;
            let version = c.get("version").and_then(|v| v.as_str());
            let purl: Purl = c
                .get("purl")
                .and_then(|v| v.as_str())
                .ok_or("component without a purl")?
                .parse()
                .map_err(|e| format!("{e}"))?;
            inv.add_package(
                Package::new(Ecosystem::Other("generic".into()), name, version).with_purl(purl),
            );
        }
        Ok(inv)
    }
}

fn fixture() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/embedded_sbom/chainproof/vendor.cdx.json"),
    )
    .expect("fixture exists")
}

#[test]
fn packages_are_marked_with_their_sbom() {
    let c = EmbeddedSbomCataloger::new(Arc::new(TinyCdx));
    let r = MemoryResolver::new().with_file("third_party/vendor.cdx.json", fixture());
    let inv = c.catalog(&r, "third_party/vendor.cdx.json").expect("reads");
    let got: Vec<(String, String, String)> = inv
        .packages()
        .map(|(_, p)| {
            (
                p.purl.as_ref().map(|u| u.to_string()).unwrap_or_default(),
                p.properties
                    .get(PROP_EMBEDDED_SBOM)
                    .cloned()
                    .unwrap_or_default(),
                p.locations[0].path.clone(),
            )
        })
        .collect();
    let f = "third_party/vendor.cdx.json".to_string();
    assert_eq!(
        got,
        vec![
            ("pkg:generic/zlib@1.3.1".to_string(), f.clone(), f.clone()),
            (
                "pkg:generic/libpng@1.6.43".to_string(),
                f.clone(),
                f.clone()
            ),
        ]
    );
}

#[test]
fn reader_errors_name_the_file() {
    let c = EmbeddedSbomCataloger::new(Arc::new(TinyCdx));
    let r = MemoryResolver::new().with_file("sbom.json", "{\"bomFormat\": \"SPDX\"}");
    let e = c.catalog(&r, "sbom.json").expect_err("rejected");
    assert_eq!(e.path, "sbom.json");
    assert!(e.to_string().contains("not a CycloneDX document"));
}

#[test]
fn registry_adds_it_only_with_a_reader() {
    assert!(registry::all().iter().all(|c| c.name() != "embedded-sbom"));
    let with = registry::all_with(Some(Arc::new(TinyCdx)));
    assert_eq!(with.len(), registry::all().len() + 1);
    assert!(with.iter().any(|c| c.name() == "embedded-sbom"));
    assert_eq!(
        registry::select_with(&["embedded-sbom".to_string()], Some(Arc::new(TinyCdx))).len(),
        1
    );
    assert!(registry::formats_table().contains("`embedded-sbom`"));

    let r = MemoryResolver::new()
        .with_file("vendor/bom.json", fixture())
        .with_file("other/x.spdx.json", "{}");
    let inv = catalog(&r, &with, &CatalogOptions::default());
    assert_eq!(inv.len(), 2);
    // the SPDX file was claimed but the (CycloneDX-only) reader refused it: recorded
    assert_eq!(inv.unparsed().len(), 1);
    assert_eq!(inv.unparsed()[0].location.path, "other/x.spdx.json");
}

#[test]
fn file_names() {
    for yes in [
        "bom.json",
        "a/sbom.json",
        "x.cdx.json",
        "y.spdx.json",
        "app.bom.json",
        "A.CDX.JSON",
    ] {
        assert!(is_sbom_file(yes), "{yes}");
    }
    for no in ["package.json", "bom.xml", "sbom.json.bak", "cdx.json.txt"] {
        assert!(!is_sbom_file(no), "{no}");
    }
}
