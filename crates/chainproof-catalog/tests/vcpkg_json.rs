//! Golden test for the `vcpkg-manifest` cataloger on a hand-written manifest
//! (`tests/fixtures/vcpkg/chainproof/vcpkg.json`, see SOURCES.md).

use std::collections::BTreeMap;
use std::path::Path;

use chainproof_catalog::Cataloger;
use chainproof_catalog::cpp::vcpkg::{
    PROP_BASELINE, PROP_FEATURES, PROP_PLATFORM, PROP_VERSION_MIN, VcpkgManifestCataloger,
    parse_vcpkg_json,
};
use chainproof_core::{PackageKind, Scope};
use chainproof_source::MemoryResolver;

fn fixture() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vcpkg/chainproof/vcpkg.json"),
    )
    .expect("fixture exists")
}

#[test]
fn manifest_packages_versions_scopes_edges() {
    let inv = parse_vcpkg_json("vcpkg.json", &fixture()).expect("parses");
    let got: BTreeMap<String, (String, Scope, Option<u32>)> = inv
        .packages()
        .map(|(_, p)| {
            let purl = p.purl.as_ref().map(|u| u.to_string()).unwrap_or_default();
            (p.name.clone(), (purl, p.scope, p.locations[0].line))
        })
        .collect();
    let want = |purl: &str, scope, line| (purl.to_string(), scope, Some(line));
    assert_eq!(got.len(), 6);
    assert_eq!(
        got["image-tool"],
        want(
            "pkg:vcpkg/image-tool@1.4.0?port_version=2",
            Scope::Runtime,
            3
        )
    );
    // pinned by `overrides`
    assert_eq!(got["fmt"], want("pkg:vcpkg/fmt@10.1.1", Scope::Runtime, 8));
    assert_eq!(
        got["libpng"],
        want(
            "pkg:vcpkg/libpng@1.6.40?port_version=1",
            Scope::Optional,
            19
        )
    );
    // not pinned: no version
    assert_eq!(
        got["boost-asio"],
        want("pkg:vcpkg/boost-asio", Scope::Runtime, 10)
    );
    assert_eq!(got["curl"], want("pkg:vcpkg/curl", Scope::Runtime, 14));
    assert_eq!(
        got["vcpkg-cmake"],
        want("pkg:vcpkg/vcpkg-cmake", Scope::Dev, 23)
    );

    let (root_id, root) = inv
        .packages()
        .find(|(_, p)| p.name == "image-tool")
        .expect("root");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(inv.roots().collect::<Vec<_>>(), vec![root_id]);
    assert_eq!(
        root.properties.get(PROP_BASELINE).map(String::as_str),
        Some("3508985146f1b1d248c67ead13f8f54be5b4f5da")
    );
    assert_eq!(inv.dependencies_of(root_id).count(), 5);
    assert_eq!(inv.edges().count(), 5);

    let prop = |n: &str, k: &str| {
        inv.packages()
            .find(|(_, p)| p.name == n)
            .and_then(|(_, p)| p.properties.get(k).cloned())
    };
    assert_eq!(
        prop("boost-asio", PROP_VERSION_MIN).as_deref(),
        Some("1.83.0")
    );
    assert_eq!(
        prop("curl", PROP_FEATURES).as_deref(),
        Some("http2,openssl")
    );
    assert_eq!(prop("libpng", PROP_PLATFORM).as_deref(), Some("!uwp"));
}

#[test]
fn errors_and_matching() {
    let e = parse_vcpkg_json("vcpkg.json", "{\n  \"dependencies\": [\n    3\n  ]\n}")
        .expect_err("bad dep");
    assert_eq!(e.pointer.as_deref(), Some("/dependencies/0"));
    assert_eq!(e.line, Some(2));
    let e = parse_vcpkg_json("vcpkg.json", "{\n \"name\": 1}").expect_err("bad name");
    assert_eq!(e.line, Some(2));
    assert!(parse_vcpkg_json("vcpkg.json", "[").is_err());
    // a manifest without a name (a plain dependency list) has no root
    let inv = parse_vcpkg_json("vcpkg.json", "{\"dependencies\": [\"zlib\"]}").expect("parses");
    assert_eq!(inv.len(), 1);
    assert_eq!(inv.roots().count(), 0);

    let c = VcpkgManifestCataloger;
    assert!(c.matches("x/vcpkg.json") && !c.matches("vcpkg-configuration.json"));
    let r = MemoryResolver::new().with_file("vcpkg.json", fixture());
    assert_eq!(c.catalog(&r, "vcpkg.json").expect("parses").len(), 6);
}
