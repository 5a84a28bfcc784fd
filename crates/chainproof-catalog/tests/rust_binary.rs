//! The `rust-cargo-auditable` cataloger on `tests/fixtures/rustbin/rustbin-demo`: an ELF
//! with a `.dep-v0` section holding zlib-compressed `dep-v0.json` (see `build.sh` there).
//! The expected packages and edges are read independently from `dep-v0.json`.

use std::collections::BTreeSet;
use std::path::Path;

use chainproof_catalog::rust_binary::{
    CargoAuditableCataloger, PROP_FORMAT, PROP_KIND, parse_auditable_binary,
};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog};
use chainproof_core::{Ecosystem, Inventory, PackageKind};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;

fn fixture(name: &str) -> Vec<u8> {
    kit::fixtures!("rustbin").read(name)
}

fn purl(inv: &Inventory, id: chainproof_core::PackageId) -> String {
    inv.package(id).purl.as_ref().expect("purl").to_string()
}

#[test]
fn decodes_the_section_like_the_json_says() {
    let json: serde_json::Value =
        serde_json::from_slice(&fixture("dep-v0.json")).expect("json fixture");
    let pkgs = json["packages"].as_array().expect("packages");
    let inv = parse_auditable_binary("rustbin-demo", &fixture("rustbin-demo")).expect("parses");
    assert_eq!(inv.len(), pkgs.len());
    assert_eq!(inv.len(), 6);

    let expected_purl = |p: &serde_json::Value| {
        format!(
            "pkg:cargo/{}@{}",
            p["name"].as_str().expect("name"),
            p["version"].as_str().expect("version").replace('+', "%2B")
        )
    };
    let mut want_edges = BTreeSet::new();
    for p in pkgs {
        let (id, pkg) = inv
            .packages()
            .find(|(id, _)| purl(&inv, *id) == expected_purl(p))
            .unwrap_or_else(|| panic!("{}", expected_purl(p)));
        assert_eq!(pkg.ecosystem, Ecosystem::CratesIo);
        assert_eq!(pkg.source.as_deref(), p["source"].as_str());
        let build = p["kind"].as_str() == Some("build");
        assert_eq!(
            pkg.properties.get(PROP_KIND).map(String::as_str),
            build.then_some("build")
        );
        let root = p["root"].as_bool() == Some(true);
        assert_eq!(pkg.kind == PackageKind::Project, root);
        assert_eq!(inv.roots().any(|r| r == id), root);
        for d in p["dependencies"].as_array().into_iter().flatten() {
            let to = &pkgs[d.as_u64().expect("index") as usize];
            want_edges.insert((expected_purl(p), expected_purl(to)));
        }
    }
    let got_edges: BTreeSet<_> = inv
        .edges()
        .map(|(a, b)| (purl(&inv, a), purl(&inv, b)))
        .collect();
    assert_eq!(got_edges, want_edges);
    assert_eq!(got_edges.len(), 6);
    let root = inv.roots().next().expect("root");
    assert_eq!(purl(&inv, root), "pkg:cargo/rustbin-demo@0.1.0");
    assert_eq!(inv.package(root).properties[PROP_FORMAT], "1");
}

#[test]
fn not_auditable_is_empty() {
    let exe = std::fs::read(std::env::current_exe().expect("exe")).expect("read self");
    assert!(parse_auditable_binary("self", &exe).expect("ok").is_empty());
    assert!(
        parse_auditable_binary("x", b"plain text")
            .expect("ok")
            .is_empty()
    );
    assert!(parse_auditable_binary("x", b"").expect("ok").is_empty());
    let go =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gobin/hello-windows-amd64.exe");
    let go = std::fs::read(go).expect("go PE");
    assert!(
        parse_auditable_binary("go.exe", &go)
            .expect("ok")
            .is_empty()
    );
}

#[test]
fn corrupted_section_and_truncation() {
    let data = fixture("rustbin-demo");
    // The section is the zlib stream (0x78 0xda at level 9).
    let z = data
        .windows(2)
        .position(|w| w == [0x78, 0xda])
        .expect("zlib header");
    let mut bad = data.clone();
    for b in &mut bad[z + 2..z + 12] {
        *b ^= 0x55;
    }
    let e = parse_auditable_binary("bad", &bad).expect_err("corrupt zlib");
    assert_eq!(e.path, "bad");
    assert!(e.message.contains(".dep-v0"), "{e}");
    // Every prefix: an error or an empty inventory, never a panic.
    for len in (0..data.len()).step_by(97) {
        match parse_auditable_binary("t", &data[..len]) {
            Ok(inv) => assert!(inv.is_empty() || inv.len() == 6),
            Err(e) => assert_eq!(e.path, "t"),
        }
    }
}

#[test]
fn through_the_runner() {
    let r = MemoryResolver::new()
        .with_file("usr/bin/rustbin-demo", fixture("rustbin-demo"))
        .with_file("usr/bin/README.md", "x");
    let c = CargoAuditableCataloger;
    assert!(c.matches("usr/bin/rustbin-demo") && c.matches("tool.exe"));
    assert!(!c.matches("usr/bin/README.md"));
    let inv = catalog(&r, &[Box::new(c)], &CatalogOptions::default());
    assert_eq!(inv.len(), 6);
    assert!(inv.unparsed().is_empty());
}
