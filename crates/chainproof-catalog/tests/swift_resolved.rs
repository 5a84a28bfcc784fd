//! Golden tests for the `swift-package-resolved` cataloger (fixtures under
//! `tests/fixtures/swift/`, see SOURCES.md there).

use std::collections::BTreeSet;
use std::path::Path;

use chainproof_catalog::Cataloger;
use chainproof_catalog::swift::{PROP_BRANCH, PackageResolvedCataloger};
use chainproof_core::{Inventory, Package, PackageKind};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::label;
use kit::inv::set;

fn run(rel: &str) -> Result<Inventory, chainproof_catalog::CatalogError> {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/swift")
            .join(rel),
    )
    .expect("fixture exists");
    let r = MemoryResolver::new().with_file("Package.resolved", bytes);
    PackageResolvedCataloger.catalog(&r, "Package.resolved")
}

fn labels(inv: &Inventory) -> BTreeSet<String> {
    kit::inv::keys(inv, label)
}

fn get<'a>(inv: &'a Inventory, l: &str) -> &'a Package {
    kit::inv::find_by(inv, label, l)
}

#[test]
fn v2_scalibr() {
    let inv = run("scalibr/valid.Package.resolved").expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "pkg:swift/github.com/apple/swift-algorithms@1.0.0",
            "pkg:swift/github.com/apple/swift-async-algorithms@0.1.0",
            "pkg:swift/github.com/apple/swift-atomics@1.1.0",
        ])
    );
    let alg = get(&inv, "pkg:swift/github.com/apple/swift-algorithms@1.0.0");
    assert_eq!(alg.name, "github.com/apple/swift-algorithms");
    assert_eq!(alg.locations[0].line, Some(3));
    assert_eq!(
        alg.source.as_deref(),
        Some(
            "git+https://github.com/apple/swift-algorithms.git#b14b7f4c528c942f121c8b860b9410b2bf57825e"
        )
    );
    assert_eq!(inv.edges().count(), 0);
    assert_eq!(inv.roots().count(), 0);
    let cve = run("scalibr/cve-packages.Package.resolved").expect("parses");
    assert_eq!(
        labels(&cve),
        set(&[
            "pkg:swift/github.com/apple/swift-crypto@3.0.0",
            "pkg:swift/github.com/apple/swift-nio@2.65.0",
            "pkg:swift/github.com/apple/swift-nio-http2@1.29.0",
        ])
    );
    assert_eq!(
        run("scalibr/empty.Package.resolved").expect("empty").len(),
        0
    );
}

#[test]
fn v1_and_branch_pins() {
    let inv = run("chainproof/v1.Package.resolved").expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "pkg:swift/github.com/Alamofire/Alamofire@5.4.3",
            "pkg:swift/github.com/Quick/Nimble@c93f16c25af5770f0d3e6af27c9634640946b068",
        ])
    );
    let nimble = get(
        &inv,
        "pkg:swift/github.com/Quick/Nimble@c93f16c25af5770f0d3e6af27c9634640946b068",
    );
    assert_eq!(nimble.properties[PROP_BRANCH], "main");
    assert_eq!(nimble.locations[0].line, Some(13));
}

#[test]
fn local_pins_and_deep_paths() {
    let inv = run("chainproof/local.Package.resolved").expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "shared-kit@0.1.0",
            "pkg:swift/gitlab.example.com/mirrors/apple/swift-log@1.5.4"
        ])
    );
    let local = get(&inv, "shared-kit@0.1.0");
    assert_eq!(local.kind, PackageKind::Project);
    assert_eq!(local.source.as_deref(), Some("/Users/dev/src/shared-kit"));
}

#[test]
fn errors() {
    let bad = |t: &str| {
        let r = MemoryResolver::new().with_file("Package.resolved", t);
        PackageResolvedCataloger.catalog(&r, "Package.resolved")
    };
    let e = bad("{\n \"pins\": [\n  {\n   \"identity\": \"x\",\n   \"state\": {}\n  }\n ],\n \"version\": 2\n}")
        .expect_err("no location");
    assert_eq!(e.line, Some(3));
    assert_eq!(e.pointer.as_deref(), Some("/pins/0"));
    let e = bad("{\n\"pins\": [{\"location\": \"not a url\"}]}").expect_err("bad url");
    assert_eq!(e.line, Some(2));
    assert!(bad("{\"version\": 4}").is_err());
    assert_eq!(bad("{\n\"pins\": 3}").expect_err("type").line, Some(2));
    for junk in ["{", "[]", "{\"object\": {\"pins\": [{}]}}", "\u{0}"] {
        let _ = bad(junk);
    }
}
