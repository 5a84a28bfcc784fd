//! Golden tests for the `julia-manifest` cataloger on scalibr's fixtures and hand-written
//! v1 / 2.0 manifests (`tests/fixtures/julia/`, see SOURCES.md).

use std::collections::BTreeSet;
use std::path::Path;

use chainproof_catalog::Cataloger;
use chainproof_catalog::julia::{
    JuliaManifestCataloger, PROP_JULIA_VERSION, PROP_UNRESOLVED, PROP_WEAKDEPS,
    parse_julia_manifest,
};
use chainproof_core::{HashAlgorithm, Inventory, Package, PackageKind};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::purl;

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/julia")
            .join(rel),
    )
    .expect("fixture exists")
}

fn get<'a>(inv: &'a Inventory, name: &str) -> &'a Package {
    inv.packages()
        .map(|(_, p)| p)
        .find(|p| p.name == name)
        .expect("present")
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::name_edges(inv)
}

#[test]
fn scalibr_fixtures() {
    let inv = parse_julia_manifest(
        "Manifest.toml",
        &fixture("scalibr-manifesttoml/no-dependency.toml"),
        None,
    )
    .expect("parses");
    assert!(inv.is_empty());
    let inv = parse_julia_manifest(
        "Manifest.toml",
        &fixture("scalibr-manifesttoml/only-version-dependency.toml"),
        None,
    )
    .expect("parses");
    assert_eq!(inv.len(), 1);
    let j = get(&inv, "JSON");
    assert_eq!(
        purl(j),
        "pkg:julia/JSON@0.20.0?uuid=682c06a0-de6a-54ab-a142-c8b1cf79cde6"
    );
    assert_eq!(j.locations[0].line, Some(4));
}

#[test]
fn format_2_with_project() {
    let r = MemoryResolver::new()
        .with_file("app/Manifest.toml", fixture("chainproof/v2/Manifest.toml"))
        .with_file("app/Project.toml", fixture("chainproof/v2/Project.toml"));
    let inv = JuliaManifestCataloger
        .catalog(&r, "app/Manifest.toml")
        .expect("parses");
    // 11 manifest entries + the project
    assert_eq!(inv.len(), 12);
    let json = get(&inv, "JSON");
    assert_eq!(
        purl(json),
        "pkg:julia/JSON@0.21.4?uuid=682c06a0-de6a-54ab-a142-c8b1cf79cde6"
    );
    assert_eq!(json.hashes.len(), 1);
    assert_eq!(json.hashes[0].algorithm, HashAlgorithm::Sha1);
    assert_eq!(
        json.hashes[0].value,
        "31e996f0a15c7b280ba9f76636b3ff9e2ae58c9a"
    );
    assert_eq!(json.locations[0].line, Some(12));
    // a standard library without a version
    assert_eq!(
        purl(get(&inv, "Mmap")),
        "pkg:julia/Mmap?uuid=a63ad114-7e13-5084-954f-fe012c677804"
    );
    let fork = get(&inv, "MyFork");
    assert_eq!(
        purl(fork),
        "pkg:julia/MyFork@0.1.0?uuid=0f2e1c3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f&vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample%2FMyFork.jl"
    );
    assert_eq!(
        fork.properties.get(PROP_WEAKDEPS).map(String::as_str),
        Some("Unitful")
    );
    // UUIDs depends on Random and SHA, which this manifest does not list
    assert_eq!(
        get(&inv, "UUIDs")
            .properties
            .get(PROP_UNRESOLVED)
            .map(String::as_str),
        Some("Random, SHA")
    );

    let root = get(&inv, "Analysis");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(
        purl(root),
        "pkg:julia/Analysis@0.2.0?uuid=7d1b9c3e-2a4f-4e5d-9c8b-1a2b3c4d5e6f"
    );
    assert_eq!(
        root.properties.get(PROP_JULIA_VERSION).map(String::as_str),
        Some("1.10.4")
    );
    assert_eq!(inv.roots().count(), 1);

    let e = edges(&inv);
    for (a, b) in [
        ("Analysis", "JSON"),
        ("Analysis", "MyFork"),
        ("MyFork", "JSON"),
        ("JSON", "Dates"),
        ("JSON", "Mmap"),
        ("JSON", "Parsers"),
        ("JSON", "Unicode"),
        ("Parsers", "PrecompileTools"),
        ("PrecompileTools", "Preferences"),
        ("Preferences", "TOML"),
        ("TOML", "Dates"),
        ("Dates", "Printf"),
        ("Printf", "Unicode"),
        ("Parsers", "Dates"),
        ("Parsers", "UUIDs"),
    ] {
        assert!(e.contains(&(a.to_string(), b.to_string())), "{a} -> {b}");
    }
    assert_eq!(e.len(), 15);
}

#[test]
fn format_1() {
    let inv = parse_julia_manifest(
        "Manifest.toml",
        &fixture("chainproof/v1/Manifest.toml"),
        None,
    )
    .expect("parses");
    assert_eq!(inv.len(), 8);
    assert_eq!(inv.roots().count(), 0);
    assert_eq!(
        purl(get(&inv, "Parsers")),
        "pkg:julia/Parsers@0.3.12?uuid=69de0a69-1ddd-5017-9359-2bf0b02dc9f0"
    );
    assert_eq!(get(&inv, "Parsers").locations[0].line, Some(19));
    let e = edges(&inv);
    assert!(e.contains(&("Parsers".to_string(), "Test".to_string())));
    assert_eq!(e.len(), 8);
    assert_eq!(
        get(&inv, "Test")
            .properties
            .get(PROP_UNRESOLVED)
            .map(String::as_str),
        Some("Distributed, InteractiveUtils, Logging, Random")
    );
}

#[test]
fn ambiguous_names_use_uuid_tables_and_errors_have_lines() {
    let t = r#"manifest_format = "2.0"

[[deps.A]]
uuid = "00000000-0000-0000-0000-000000000001"
version = "1.0.0"

[[deps.A]]
uuid = "00000000-0000-0000-0000-000000000002"
version = "2.0.0"

[[deps.B]]
uuid = "00000000-0000-0000-0000-000000000003"
version = "1.0.0"
[deps.B.deps]
A = "00000000-0000-0000-0000-000000000002"

[[deps.C]]
deps = ["A"]
uuid = "00000000-0000-0000-0000-000000000004"
"#;
    let inv = parse_julia_manifest("Manifest.toml", t, None).expect("parses");
    assert_eq!(inv.len(), 4);
    let e: Vec<_> = inv
        .edges()
        .map(|(a, b)| (inv.package(a).name.clone(), inv.package(b).version.clone()))
        .collect();
    assert_eq!(e, vec![("B".to_string(), Some("2.0.0".to_string()))]);
    assert_eq!(
        get(&inv, "C")
            .properties
            .get(PROP_UNRESOLVED)
            .map(String::as_str),
        Some("A")
    );
    let lines: Vec<_> = inv
        .packages()
        .filter(|(_, p)| p.name == "A")
        .map(|(_, p)| p.locations[0].line)
        .collect();
    assert_eq!(lines, vec![Some(3), Some(7)]);

    let e = parse_julia_manifest(
        "Manifest.toml",
        "manifest_format = \"2.0\"\n[[deps.X]]\nversion = \"1\"\n",
        None,
    )
    .expect_err("no uuid");
    assert_eq!(e.line, Some(2));
    let e = parse_julia_manifest("Manifest.toml", "[[A]\n", None).expect_err("toml");
    assert_eq!(e.line, Some(1));
    assert!(JuliaManifestCataloger.matches("Manifest-v1.11.toml"));
    assert!(JuliaManifestCataloger.matches("x/JuliaManifest.toml"));
    assert!(!JuliaManifestCataloger.matches("Project.toml"));
}
