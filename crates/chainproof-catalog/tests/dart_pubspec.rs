//! Golden tests for the `dart-pubspec-lock` cataloger (fixtures under
//! `tests/fixtures/dart/`, see SOURCES.md there).

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::dart::{PROP_DEPENDENCY, PROP_SDK_PREFIX, PubspecLockCataloger};
use chainproof_core::{HashAlgorithm, Inventory, Package, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::label;
use kit::inv::set;

fn fixture(rel: &str) -> Vec<u8> {
    kit::fixtures!("dart").read(rel)
}

fn run(rel: &str) -> Result<Inventory, chainproof_catalog::CatalogError> {
    let r = MemoryResolver::new().with_file("app/pubspec.lock", fixture(rel));
    PubspecLockCataloger.catalog(&r, "app/pubspec.lock")
}

fn get<'a>(inv: &'a Inventory, l: &str) -> &'a Package {
    kit::inv::find_by(inv, label, l)
}

fn labels(inv: &Inventory) -> BTreeSet<String> {
    kit::inv::keys(inv, label)
}

fn direct(inv: &Inventory) -> BTreeSet<String> {
    let root = inv.roots().next().expect("a root");
    inv.dependencies_of(root)
        .map(|d| label(inv.package(d)))
        .collect()
}

#[test]
fn mixed_packages() {
    let inv = run("osv-scanner-v1/mixed-packages.lock").expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "app@",
            "pkg:pub/back_button_interceptor@6.0.1",
            "pkg:pub/build_runner@2.2.1",
            "pkg:pub/shelf@1.3.2",
            "pkg:pub/shelf_web_socket@1.0.2",
        ])
    );
    assert_eq!(
        direct(&inv),
        set(&[
            "pkg:pub/back_button_interceptor@6.0.1",
            "pkg:pub/build_runner@2.2.1"
        ])
    );
    assert_eq!(inv.edges().count(), 2);
    let br = get(&inv, "pkg:pub/build_runner@2.2.1");
    assert_eq!(br.scope, Scope::Dev);
    assert_eq!(br.properties[PROP_DEPENDENCY], "direct dev");
    assert_eq!(br.locations[0].line, Some(11));
    assert_eq!(br.source.as_deref(), Some("https://pub.dartlang.org"));
    assert_eq!(get(&inv, "pkg:pub/shelf@1.3.2").scope, Scope::Runtime);
    assert_eq!(get(&inv, "app@").kind, PackageKind::Project);
}

#[test]
fn sources() {
    let git = run("osv-scanner-v1/source-git.lock").expect("parses");
    assert_eq!(git.len(), 6);
    let sr = get(
        &git,
        "pkg:pub/screen_retriever@0.1.2?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2FKingtous%2Frustdesk_screen_retriever.git%40406b9b038b2c1d779f1e7bf609c8c248be247372",
    );
    assert_eq!(
        sr.source.as_deref(),
        Some(
            "git+https://github.com/Kingtous/rustdesk_screen_retriever.git#406b9b038b2c1d779f1e7bf609c8c248be247372"
        )
    );
    assert_eq!(direct(&git).len(), 4);

    let sdk = run("osv-scanner-v1/source-sdk.lock").expect("parses");
    let fw = get(&sdk, "pkg:pub/flutter_web_plugins@0.0.0");
    assert_eq!(fw.source.as_deref(), Some("sdk:flutter"));
    let root = get(&sdk, "app@");
    assert_eq!(
        root.properties[&format!("{PROP_SDK_PREFIX}dart")],
        ">=2.17.1 <3.0.0"
    );
    assert_eq!(
        root.properties[&format!("{PROP_SDK_PREFIX}flutter")],
        ">=3.0.0"
    );

    let path = run("osv-scanner-v1/source-path.lock").expect("parses");
    let maa = get(&path, "pkg:pub/maa_core@0.0.1");
    assert_eq!(maa.kind, PackageKind::Project);
    assert_eq!(maa.source.as_deref(), Some(".."));

    let two = run("osv-scanner-v1/two-packages.lock").expect("parses");
    assert_eq!(two.len(), 3);
    let one = run("osv-scanner-v1/one-package-dev.lock").expect("parses");
    assert_eq!(one.len(), 2);
    assert_eq!(run("osv-scanner-v1/empty.lock").expect("parses").len(), 0);
}

#[test]
fn hashes_overrides_and_pubspec_name() {
    let r = MemoryResolver::new()
        .with_file("app/pubspec.lock", fixture("chainproof/app/pubspec.lock"))
        .with_file("app/pubspec.yaml", fixture("chainproof/app/pubspec.yaml"));
    let inv = PubspecLockCataloger
        .catalog(&r, "app/pubspec.lock")
        .expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "my_app@",
            "pkg:pub/async@2.11.0",
            "pkg:pub/collection@1.18.0",
            "pkg:pub/flutter@0.0.0",
            "pkg:pub/lints@3.0.0",
            "pkg:pub/private_pkg@1.0.0%2B2?repository_url=https:%2F%2Fpub.example.com",
        ])
    );
    assert_eq!(get(&inv, "my_app@").locations[0].path, "app/pubspec.yaml");
    assert_eq!(direct(&inv).len(), 4);
    let a = get(&inv, "pkg:pub/async@2.11.0");
    assert_eq!(a.hashes.len(), 1);
    assert_eq!(a.hashes[0].algorithm, HashAlgorithm::Sha256);
    assert_eq!(
        a.hashes[0].value,
        "947bfcf187f74dbc5e146c9eb9c0f10c9f8b30743e341481c1e2ed3ecc18c20c"
    );
    assert_eq!(get(&inv, "pkg:pub/lints@3.0.0").scope, Scope::Dev);
    assert_eq!(
        get(&inv, "pkg:pub/collection@1.18.0").properties[PROP_DEPENDENCY],
        "direct overridden"
    );
    assert!(get(&inv, "pkg:pub/flutter@0.0.0").hashes.is_empty());
}

#[test]
fn errors() {
    let e = run("osv-scanner-v1/not-yaml.txt").expect_err("a string, not a mapping");
    assert_eq!(e.line, Some(1));
    let bad = |t: &str| {
        let r = MemoryResolver::new().with_file("pubspec.lock", t);
        PubspecLockCataloger
            .catalog(&r, "pubspec.lock")
            .expect_err("must fail")
    };
    let e = bad("packages:\n  a:\n    dependency: transitive\n    source: hosted\n");
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("version"));
    assert!(bad("packages:\n  a: [\n").line.is_some());
    for junk in [
        "packages: 3",
        "- a\n- b",
        "packages:\n  a:\n    version: {x: 1}",
        "\u{0}",
    ] {
        let r = MemoryResolver::new().with_file("pubspec.lock", junk);
        let _ = PubspecLockCataloger.catalog(&r, "pubspec.lock");
    }
}
