//! Golden tests for the `conan-lock` cataloger on the osv-scanner and scalibr conan fixtures
//! (copied under `tests/fixtures/conan/`, see SOURCES.md) and two hand-written locks.

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::cpp::conan::{
    ConanLockCataloger, PROP_CONTEXT, PROP_INVALID_REF, PROP_PACKAGE_ID, PROP_PREV,
    PROP_PYTHON_REQUIRES, parse_conan_lock,
};
use chainproof_core::{Inventory, Package, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::{named as by_name, set};

fn fixture(rel: &str) -> String {
    kit::fixtures!("conan").text(rel)
}

fn parse(rel: &str) -> Inventory {
    parse_conan_lock("conan.lock", &fixture(rel)).expect("parses")
}

fn purl(p: &Package) -> String {
    p.purl
        .as_ref()
        .expect("conan packages have purls")
        .to_string()
}

fn purls(inv: &Inventory) -> BTreeSet<String> {
    inv.packages().map(|(_, p)| purl(p)).collect()
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::name_edges(inv)
}

#[test]
fn nested_v1_graph_edges_and_root() {
    {
        let inv = parse("osv-scanner-v1/nested-dependencies.v1.json");
        assert_eq!(inv.len(), 6);
        assert_eq!(
            purls(&inv),
            set(&[
                "pkg:conan/test@1.0",
                "pkg:conan/freetype@2.12.1",
                "pkg:conan/libpng@1.6.39",
                "pkg:conan/zlib@1.2.13",
                "pkg:conan/bzip2@1.0.8",
                "pkg:conan/brotli@1.0.9",
            ])
        );
        let e = edges(&inv);
        let expected: BTreeSet<(String, String)> = [
            ("test", "freetype"),
            ("freetype", "libpng"),
            ("freetype", "zlib"),
            ("freetype", "bzip2"),
            ("freetype", "brotli"),
            ("libpng", "zlib"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(e, expected);
        let roots: Vec<_> = inv.roots().map(|r| inv.package(r).name.clone()).collect();
        assert_eq!(roots, vec!["test"]);
        assert_eq!(by_name(&inv, "test").kind, PackageKind::Project);
        assert!(inv.packages().all(|(_, p)| p.scope == Scope::Runtime));
        let fr = by_name(&inv, "freetype");
        assert_eq!(
            fr.properties.get(PROP_PACKAGE_ID).map(String::as_str),
            Some("bca7b8880d98719d556dd526ce612be20a815922")
        );
        // "prev": "0" means revisions are off: not recorded.
        assert!(!fr.properties.contains_key(PROP_PREV));
        // node "1" is declared on line 13 of the file
        assert_eq!(fr.locations[0].line, Some(13));
    }
}

#[test]
fn revisions_give_rrev_qualifiers() {
    let inv = parse("osv-scanner-v1/nested-dependencies.v1.revisions.json");
    let z = by_name(&inv, "zlib");
    assert_eq!(
        purl(z),
        "pkg:conan/zlib@1.2.13?rrev=13c96f538b52e1600c40b88994de240f"
    );
    assert_eq!(
        z.properties.get(PROP_PREV).map(String::as_str),
        Some("562e6cc3d7987119418780e5c5697342")
    );
    assert_eq!(edges(&inv).len(), 6);
}

#[test]
fn build_requires_are_dev() {
    for f in [
        "osv-scanner-v1/one-package-dev.v1.revisions.json",
        "scalibr/one-package-dev.v1.revisions.json",
    ] {
        let inv = parse(f);
        assert_eq!(inv.len(), 2);
        let ninja = by_name(&inv, "ninja");
        assert_eq!(ninja.scope, Scope::Dev, "{f}");
        assert_eq!(
            purl(ninja),
            "pkg:conan/ninja@1.11.1?rrev=a2f0b832705907016f336839f96963f8"
        );
        assert_eq!(
            edges(&inv),
            [("test".to_string(), "ninja".to_string())]
                .into_iter()
                .collect()
        );
    }
    let inv = parse("scalibr/one-package-dev.v2.json");
    assert_eq!(inv.len(), 1);
    assert_eq!(by_name(&inv, "ninja").scope, Scope::Dev);
}

#[test]
fn v2_flat_lists() {
    for f in [
        "osv-scanner-v1/nested-dependencies.v2.json",
        "scalibr/nested-dependencies.v2.json",
    ] {
        let inv = parse(f);
        assert_eq!(inv.len(), 5, "{f}");
        assert_eq!(inv.edges().count(), 0);
        assert_eq!(inv.roots().count(), 0);
        let z = by_name(&inv, "zlib");
        // the %timestamp is dropped, the revision kept
        assert_eq!(
            purl(z),
            "pkg:conan/zlib@1.2.13?rrev=13c96f538b52e1600c40b88994de240f"
        );
        assert_eq!(z.locations[0].line, Some(4));
        assert_eq!(by_name(&inv, "brotli").locations[0].line, Some(8));
    }
    for f in [
        "osv-scanner-v1/two-packages.v2.json",
        "scalibr/two-packages.v2.json",
    ] {
        assert_eq!(parse(f).len(), 2);
    }
}

#[test]
fn empty_locks() {
    for f in ["osv-scanner-v1/empty.v2.json", "scalibr/empty.v2.json"] {
        assert!(parse(f).is_empty(), "{f}");
    }
    // Conan 1 "empty" locks still have the consumer node.
    for f in [
        "osv-scanner-v1/empty.v1.json",
        "scalibr/empty.v1.revisions.json",
    ] {
        let inv = parse(f);
        assert_eq!(purls(&inv), set(&["pkg:conan/test@1.0"]));
        assert_eq!(inv.roots().count(), 1);
    }
}

#[test]
fn old_formats() {
    // 0.0: uuid node ids, `pref`, requires as a map, no version key, consumer without a ref
    let inv = parse("osv-scanner-v1/old-format-0.0.json");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:conan/zlib@1.2.11?channel=testing&rrev=5f4917ce0a630b102f472afd00102d40&user=bincrafters"
        ])
    );
    let z = by_name(&inv, "zlib");
    assert_eq!(
        z.properties.get(PROP_PACKAGE_ID).map(String::as_str),
        Some("19729b9559f3ae196cad45cb2b97468ccb75dcd1")
    );
    assert_eq!(
        z.properties.get(PROP_PREV).map(String::as_str),
        Some("58846c4ed127f63e9c88c5be5190a6d9")
    );
    for f in [
        "osv-scanner-v1/old-format-0.1.json",
        "osv-scanner-v1/old-format-0.2.json",
        "scalibr/old-format-0.3.json",
    ] {
        let inv = parse(f);
        assert_eq!(
            purls(&inv),
            set(&[
                "pkg:conan/test@1.0",
                "pkg:conan/zlib@1.2.11?rrev=5f4917ce0a630b102f472afd00102d40"
            ]),
            "{f}"
        );
        assert_eq!(edges(&inv).len(), 1, "{f}");
        assert_eq!(by_name(&inv, "test").kind, PackageKind::Project);
    }
}

#[test]
fn nameless_reference_is_noted_on_the_root() {
    let inv = parse("osv-scanner-v1/no-name.v1.json");
    assert_eq!(
        purls(&inv),
        set(&["pkg:conan/test@1.0", "pkg:conan/zlib@1.2.11"])
    );
    assert_eq!(
        by_name(&inv, "test")
            .properties
            .get(PROP_INVALID_REF)
            .map(String::as_str),
        Some("1.2.3")
    );
}

#[test]
fn conan2_with_user_channel_and_python_requires() {
    let inv = parse("chainproof/conan2.lock");
    assert_eq!(inv.len(), 7);
    assert_eq!(
        purl(by_name(&inv, "mylib")),
        "pkg:conan/mylib@2.0.0?channel=stable&rrev=5a0f5b9ce3d5e48a0c8b8c7fbc4a5b6e&user=acme"
    );
    let scopes: BTreeSet<(String, Scope)> = inv
        .packages()
        .map(|(_, p)| (p.name.clone(), p.scope))
        .collect();
    for (n, s) in [
        ("zlib", Scope::Runtime),
        ("openssl", Scope::Runtime),
        ("fmt", Scope::Runtime),
        ("cmake", Scope::Dev),
        ("ninja", Scope::Dev),
        ("pyreq", Scope::Dev),
    ] {
        assert!(scopes.contains(&(n.to_string(), s)), "{n}");
    }
    assert_eq!(
        by_name(&inv, "pyreq")
            .properties
            .get(PROP_PYTHON_REQUIRES)
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(by_name(&inv, "cmake").locations[0].line, Some(10));
}

#[test]
fn conan1_build_context_is_dev_even_transitively() {
    let inv = parse("chainproof/graph-build-requires.lock");
    assert_eq!(inv.len(), 5);
    let app = by_name(&inv, "app");
    assert_eq!(purl(app), "pkg:conan/app@0.3.0?channel=stable&user=acme");
    assert_eq!(app.kind, PackageKind::Project);
    assert_eq!(by_name(&inv, "spdlog").scope, Scope::Runtime);
    assert_eq!(by_name(&inv, "fmt").scope, Scope::Runtime);
    assert_eq!(by_name(&inv, "cmake").scope, Scope::Dev);
    let ossl = by_name(&inv, "openssl");
    assert_eq!(ossl.scope, Scope::Dev);
    assert_eq!(
        ossl.properties.get(PROP_CONTEXT).map(String::as_str),
        Some("build")
    );
    assert_eq!(
        edges(&inv),
        [
            ("app", "spdlog"),
            ("app", "fmt"),
            ("app", "cmake"),
            ("spdlog", "fmt"),
            ("cmake", "openssl")
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
    );
}

#[test]
fn malformed_files_are_errors_with_lines() {
    let err =
        parse_conan_lock("conan.lock", &fixture("scalibr/null.v2.jsontest")).expect_err("null");
    assert_eq!(err.line, Some(1));
    let err = parse_conan_lock(
        "conan.lock",
        "{\n \"version\": \"0.5\",\n \"requires\": [\"zlib/1.0\",\n",
    )
    .expect_err("truncated");
    assert!(err.line.is_some());
    let err = parse_conan_lock(
        "conan.lock",
        "{\"version\": \"0.5\",\n\"requires\": [\n\"nameless\"]}",
    )
    .expect_err("bad ref");
    assert_eq!(err.line, Some(3));
    let err = parse_conan_lock("conan.lock", "{\"version\": \"0.5\", \"requires\": {}}")
        .expect_err("not a list");
    assert_eq!(err.pointer.as_deref(), Some("/requires"));
    assert!(parse_conan_lock("conan.lock", "{}").is_err());
}

#[test]
fn cataloger_matches_and_reads_through_the_resolver() {
    let c = ConanLockCataloger;
    assert!(c.matches("conan.lock"));
    assert!(c.matches("sub/dir/conan.lock"));
    assert!(!c.matches("conanfile.py"));
    let r = MemoryResolver::new().with_file(
        "cpp/conan.lock",
        fixture("osv-scanner-v1/two-packages.v1.revisions.json"),
    );
    let inv = c.catalog(&r, "cpp/conan.lock").expect("parses");
    assert_eq!(inv.len(), 3);
    assert!(
        inv.packages()
            .all(|(_, p)| p.locations[0].path == "cpp/conan.lock")
    );
}
