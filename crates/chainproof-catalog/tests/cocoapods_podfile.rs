//! Golden tests for the `cocoapods-podfile-lock` cataloger (fixtures under
//! `tests/fixtures/cocoapods/`, see SOURCES.md there).

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::swift::PROP_COCOAPODS_UNRESOLVED as PROP_UNRESOLVED;
use chainproof_catalog::swift::PodfileLockCataloger;
use chainproof_core::{HashAlgorithm, Inventory, Package, PackageKind};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::label;
use kit::inv::{pairs, set};

fn fixture(rel: &str) -> Vec<u8> {
    kit::fixtures!("cocoapods").read(rel)
}

fn run(rel: &str) -> Result<Inventory, chainproof_catalog::CatalogError> {
    let r = MemoryResolver::new().with_file("ios/Podfile.lock", fixture(rel));
    PodfileLockCataloger.catalog(&r, "ios/Podfile.lock")
}

fn labels(inv: &Inventory) -> BTreeSet<String> {
    kit::inv::keys(inv, label)
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::edges_by(inv, label)
}

fn get<'a>(inv: &'a Inventory, l: &str) -> &'a Package {
    kit::inv::find_by(inv, label, l)
}

fn sha1(p: &Package) -> &str {
    assert_eq!(p.hashes.len(), 1, "{}", p.name);
    assert_eq!(p.hashes[0].algorithm, HashAlgorithm::Sha1);
    &p.hashes[0].value
}

#[test]
fn scalibr_valid() {
    let inv = run("scalibr/valid.Podfile.lock").expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "ios@",
            "pkg:cocoapods/GlossButtonNode@3.1.2",
            "pkg:cocoapods/PINCache@3.0.3"
        ])
    );
    // Only GlossButtonNode of DEPENDENCIES is in PODS; the nested deps name pods not listed.
    assert_eq!(
        edges(&inv),
        pairs(&[("ios@", "pkg:cocoapods/GlossButtonNode@3.1.2")])
    );
    assert_eq!(
        get(&inv, "ios@").properties[PROP_UNRESOLVED],
        "Reveal-SDK, SwiftGen, Texture, TextureSwiftSupport, TinyConstraints"
    );
    let gb = get(&inv, "pkg:cocoapods/GlossButtonNode@3.1.2");
    assert_eq!(
        gb.properties[PROP_UNRESOLVED],
        "Texture/Core, TextureSwiftSupport"
    );
    assert_eq!(sha1(gb), "4ea1197a744f2fb5fb875fe31caf17ded4762e8f");
    assert_eq!(gb.locations[0].line, Some(2));
    assert_eq!(gb.source.as_deref(), Some("trunk"));
    let pin = get(&inv, "pkg:cocoapods/PINCache@3.0.3");
    assert_eq!(pin.locations[0].line, Some(5));
    assert_eq!(
        pin.properties[PROP_UNRESOLVED],
        "PINCache/Arc-exception-safe, PINCache/Core"
    );

    let two = run("scalibr/valid2.Podfile.lock").expect("parses");
    assert_eq!(two.len(), 5);
    assert_eq!(two.edges().count(), 3);
    assert_eq!(
        sha1(get(&two, "pkg:cocoapods/Reveal-SDK@1.5.0")),
        "effba1c940b8337195563c425a6b5862ec875caa"
    );
}

#[test]
fn subspecs_sources_and_checkouts() {
    let r = MemoryResolver::new()
        .with_file("ios/Podfile.lock", fixture("chainproof/Podfile.lock"))
        .with_file("ios/Podfile", "pod 'SnapKit'\n");
    let inv = PodfileLockCataloger
        .catalog(&r, "ios/Podfile.lock")
        .expect("parses");
    let snap = "pkg:cocoapods/SnapKit@5.6.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2FSnapKit%2FSnapKit.git%40f222cbdf325885926566172f6f5f06af95473158";
    let private = "pkg:cocoapods/PrivatePod@2.0.0?repository_url=https:%2F%2Fgithub.com%2Fexample%2FSpecs.git";
    assert_eq!(
        labels(&inv),
        set(&[
            "ios@",
            "pkg:cocoapods/Firebase@10.18.0#Analytics",
            "pkg:cocoapods/Firebase@10.18.0#Core",
            "pkg:cocoapods/Firebase@10.18.0#CoreOnly",
            "pkg:cocoapods/FirebaseCore@10.18.0",
            "pkg:cocoapods/LocalKit@0.1.0",
            private,
            snap,
        ])
    );
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("ios@", "pkg:cocoapods/Firebase@10.18.0#Analytics"),
            ("ios@", "pkg:cocoapods/LocalKit@0.1.0"),
            ("ios@", private),
            ("ios@", snap),
            (
                "pkg:cocoapods/Firebase@10.18.0#Analytics",
                "pkg:cocoapods/Firebase@10.18.0#Core"
            ),
            (
                "pkg:cocoapods/Firebase@10.18.0#Core",
                "pkg:cocoapods/Firebase@10.18.0#CoreOnly"
            ),
            (
                "pkg:cocoapods/Firebase@10.18.0#CoreOnly",
                "pkg:cocoapods/FirebaseCore@10.18.0"
            ),
            (
                "pkg:cocoapods/LocalKit@0.1.0",
                "pkg:cocoapods/FirebaseCore@10.18.0"
            ),
        ])
    );
    let root = get(&inv, "ios@");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(root.locations[0].path, "ios/Podfile");
    assert!(!root.properties.contains_key(PROP_UNRESOLVED));
    // The pod's checksum applies to its subspecs.
    let core = get(&inv, "pkg:cocoapods/Firebase@10.18.0#Core");
    assert_eq!(core.name, "Firebase/Core");
    assert_eq!(sha1(core), "10c8cb12fb7ad2ae0c09ffc86cd9c1ab392a0031");
    assert_eq!(core.locations[0].line, Some(6));
    let local = get(&inv, "pkg:cocoapods/LocalKit@0.1.0");
    assert_eq!(local.kind, PackageKind::Project);
    assert_eq!(local.source.as_deref(), Some("../LocalKit"));
    assert_eq!(
        get(&inv, snap).source.as_deref(),
        Some("git+https://github.com/SnapKit/SnapKit.git#f222cbdf325885926566172f6f5f06af95473158")
    );
}

#[test]
fn errors() {
    let e = run("scalibr/invalid.Podfile.lock").expect_err("a plain string");
    assert_eq!(e.line, Some(1));
    assert_eq!(run("scalibr/empty.Podfile.lock").expect("empty").len(), 0);
    let bad = |t: &str| {
        let r = MemoryResolver::new().with_file("Podfile.lock", t);
        PodfileLockCataloger.catalog(&r, "Podfile.lock")
    };
    let e = bad("PODS:\n  - A (1.0)\n  - B\n").expect_err("no version");
    assert_eq!(e.line, Some(3));
    assert!(bad("PODS: [\n").expect_err("syntax").line.is_some());
    for junk in [
        "PODS: 3",
        "PODS:\n  - {a: 1, b: 2}",
        "PODS:\n  - (1.0)",
        "SPEC CHECKSUMS: [1]",
        "- x",
    ] {
        let _ = bad(junk);
    }
}
