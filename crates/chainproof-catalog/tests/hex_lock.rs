//! Golden tests for the `elixir-mix-lock` and `erlang-rebar-lock` catalogers (fixtures under
//! `tests/fixtures/hex/`, see SOURCES.md there).

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::hex::{
    MixLockCataloger, PROP_INNER_CHECKSUM, PROP_LEVEL, PROP_UNRESOLVED, RebarLockCataloger,
};
use chainproof_core::{HashAlgorithm, Inventory, Package, PackageKind};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::label;

fn fixture(rel: &str) -> Vec<u8> {
    kit::fixtures!("hex").read(rel)
}

fn mix(rel: &str) -> Result<Inventory, chainproof_catalog::CatalogError> {
    let r = MemoryResolver::new().with_file("mix.lock", fixture(rel));
    MixLockCataloger.catalog(&r, "mix.lock")
}

fn get<'a>(inv: &'a Inventory, l: &str) -> &'a Package {
    kit::inv::find_by(inv, label, l)
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::edges_by(inv, label)
}

fn sha256(p: &Package) -> &str {
    assert_eq!(p.hashes.len(), 1);
    assert_eq!(p.hashes[0].algorithm, HashAlgorithm::Sha256);
    &p.hashes[0].value
}

#[test]
fn one_package() {
    let inv = mix("osv-scanner-v1/one-package.lock").expect("parses");
    assert_eq!(inv.len(), 1);
    let plug = get(&inv, "pkg:hex/plug@1.11.1");
    assert_eq!(
        sha256(plug),
        "23524e4fefbb587c11f0833b3910bfb414bf2e2534d61928e920f54e3a1b881f"
    );
    assert_eq!(
        plug.properties[PROP_INNER_CHECKSUM],
        "f2992bac66fdae679453c9e86134a4201f6f43a687d8ff1cd1b2862d53c80259"
    );
    // Its three dependencies are not in this (cut-down) lock.
    assert_eq!(
        plug.properties[PROP_UNRESOLVED],
        "mime, plug_crypto, telemetry"
    );
    assert_eq!(plug.locations[0].line, Some(2));
    assert_eq!(inv.roots().count(), 0);
}

#[test]
fn many_packages() {
    let text = String::from_utf8(fixture("osv-scanner-v1/many.lock")).expect("utf8");
    let inv = mix("osv-scanner-v1/many.lock").expect("parses");
    // One entry per line starting with `  "`.
    let entries = text.lines().filter(|l| l.starts_with("  \"")).count();
    assert_eq!(inv.len(), entries);
    assert_eq!(inv.len(), 21);
    let e = edges(&inv);
    assert!(e.contains(&(
        "pkg:hex/dialyxir@1.1.0".into(),
        "pkg:hex/erlex@0.2.6".into()
    )));
    // ecto → decimal, telemetry; its optional jason is not locked.
    let ecto: BTreeSet<String> = e
        .iter()
        .filter(|(a, _)| a == "pkg:hex/ecto@3.5.5")
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(
        ecto,
        ["pkg:hex/decimal@2.0.0", "pkg:hex/telemetry@0.4.2"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(
        get(&inv, "pkg:hex/ecto@3.5.5").properties[PROP_UNRESOLVED],
        "jason"
    );
    // Every `{:name, "req", [hex: ...]}` dependency tuple is an edge or unresolved.
    let dep_tuples = text.matches("[hex: :").count();
    let unresolved: usize = inv
        .packages()
        .filter_map(|(_, p)| p.properties.get(PROP_UNRESOLVED))
        .map(|u| u.split(", ").count())
        .sum();
    assert_eq!(e.len() + unresolved, dep_tuples);
    assert!(inv.packages().all(|(_, p)| p.hashes.len() == 1));
    // Identical copy in scalibr's fixtures.
    assert_eq!(fixture("osv-scanner-v1/empty.lock"), b"%{}\n");
    assert_eq!(mix("osv-scanner-v1/empty.lock").expect("parses").len(), 0);
}

#[test]
fn scalibr_valid_and_invalid() {
    let inv = mix("scalibr/valid.mix.lock").expect("parses");
    let names: BTreeSet<String> = inv.packages().map(|(_, p)| label(p)).collect();
    assert_eq!(
        names,
        ["pkg:hex/bunt@1.0.0", "pkg:hex/certifi@2.12.0"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(
        sha256(get(&inv, "pkg:hex/certifi@2.12.0")),
        "ee68d85df22e554040cdb4be100f33873ac6051387baf6a8f6ce82272340ff1c"
    );
    let e = mix("scalibr/invalid.mix.lock").expect_err("`{:hex, }` has no name");
    assert_eq!(e.line, Some(3));
}

#[test]
fn git_org_and_old_entries() {
    let inv = mix("chainproof/mix.lock").expect("parses");
    assert_eq!(inv.len(), 4);
    let acme = get(&inv, "pkg:hex/acme/acme_client@0.3.0");
    assert_eq!(
        sha256(acme),
        "2222222222222222222222222222222222222222222222222222222222222222"
    );
    assert_eq!(acme.properties[PROP_UNRESOLVED], "telemetry");
    let git = get(
        &inv,
        "pkg:hex/my_fork?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample%2Fmy_fork.git%400123456789abcdef0123456789abcdef01234567",
    );
    assert_eq!(git.version, None);
    assert_eq!(git.locations[0].line, Some(5));
    let old = get(&inv, "pkg:hex/old_style@0.1.0");
    assert!(old.hashes.is_empty());
    assert_eq!(
        edges(&inv),
        [(
            "pkg:hex/acme/acme_client@0.3.0".to_string(),
            "pkg:hex/jason@1.4.1".to_string()
        )]
        .into_iter()
        .collect()
    );
    assert_eq!(
        get(&inv, "pkg:hex/jason@1.4.1").properties[PROP_UNRESOLVED],
        "decimal"
    );
}

#[test]
fn mix_errors_never_panic() {
    let bad = |t: &str| {
        let r = MemoryResolver::new().with_file("mix.lock", t);
        MixLockCataloger.catalog(&r, "mix.lock")
    };
    assert_eq!(
        bad("%{\n \"a\": {:hex, :a, \"1\"},\n \"b\": [1]\n}")
            .expect_err("list")
            .line,
        Some(3)
    );
    assert_eq!(
        bad("%{\n\n \"a\": {:hex :a}}").expect_err("syntax").line,
        Some(3)
    );
    assert!(bad("\"just a string\"").is_err());
    assert!(bad("%{\"a\": {:svn, \"x\"}}").is_err());
    for junk in [
        "%{",
        "%{\"a\": {:hex, :a, \"1\", \"c\", [:mix], [3]}}",
        "]]]",
        "%{\"a\": {:git}}",
        "\u{feff}",
    ] {
        let _ = bad(junk);
    }
}

#[test]
fn rebar_lock() {
    let r = MemoryResolver::new()
        .with_file(
            "rebar3_format/rebar.lock",
            fixture("rebar3_format/rebar.lock"),
        )
        .with_file("rebar3_format/rebar.config", "{deps, [katana_code]}.\n");
    let inv = RebarLockCataloger
        .catalog(&r, "rebar3_format/rebar.lock")
        .expect("parses");
    assert_eq!(inv.len(), 2);
    let root = get(&inv, "rebar3_format@");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(root.locations[0].path, "rebar3_format/rebar.config");
    let kc = get(&inv, "pkg:hex/katana_code@2.0.1");
    assert_eq!(
        sha256(kc),
        "d02f757c8dde643614d508474a97fc24d9015fe375477e34de26450bf21cac16"
    );
    assert_eq!(
        kc.properties[PROP_INNER_CHECKSUM],
        "e29d82dbcf410fd29665b3fd2c9d9c445f1e8fac4b01488294ecaa84ccb8400c"
    );
    assert_eq!(kc.properties[PROP_LEVEL], "0");
    assert_eq!(kc.locations[0].line, Some(2));
    assert_eq!(
        edges(&inv),
        [(
            "rebar3_format@".to_string(),
            "pkg:hex/katana_code@2.0.1".to_string()
        )]
        .into_iter()
        .collect()
    );
}

#[test]
fn rebar_lock_levels_git_and_old_format() {
    let text = "%% old and new entries\n{\"1.2.0\",\n[{<<\"cowboy\">>,{git,\"https://github.com/ninenines/cowboy.git\",{ref,\"04ca4c5d31a92d4d3de087bbd7d6021dc4a6d409\"}},0},\n {<<\"cowlib\">>,{pkg,<<\"cowlib\">>,<<\"2.12.1\">>},1},\n {<<\"my_app\">>,{pkg,<<\"hex_name\">>,<<\"0.1.0\">>},0}]}.\n";
    let r = MemoryResolver::new().with_file("rebar.lock", text);
    let inv = RebarLockCataloger
        .catalog(&r, "rebar.lock")
        .expect("parses");
    assert_eq!(inv.len(), 4);
    let direct: BTreeSet<String> = edges(&inv).into_iter().map(|(_, b)| b).collect();
    assert_eq!(direct.len(), 2);
    assert!(direct.contains("pkg:hex/hex_name@0.1.0"));
    assert_eq!(
        get(&inv, "pkg:hex/cowlib@2.12.1").properties[PROP_LEVEL],
        "1"
    );
    assert_eq!(
        get(&inv, "pkg:hex/cowlib@2.12.1").locations[0].line,
        Some(4)
    );
    // Pre-1.0 format: a bare list.
    let r = MemoryResolver::new().with_file(
        "rebar.lock",
        "[{<<\"a\">>,{pkg,<<\"a\">>,<<\"1.0.0\">>},0}].\n",
    );
    assert_eq!(
        RebarLockCataloger
            .catalog(&r, "rebar.lock")
            .expect("parses")
            .len(),
        2
    );
    let bad = |t: &str| {
        let r = MemoryResolver::new().with_file("rebar.lock", t);
        RebarLockCataloger.catalog(&r, "rebar.lock")
    };
    assert_eq!(
        bad("{\"1.2.0\",\n[{<<\"a\">>,{pkg,<<\"a\">>},0}]}.")
            .expect_err("no version")
            .line,
        Some(2)
    );
    assert_eq!(
        bad("{\"1.2.0\",\n[{<<\"a\">>,{pkg,<<\"a\">>,<<\"1\">>},x}]}.")
            .expect_err("level")
            .line,
        Some(2)
    );
    assert!(bad("{\"1.2.0\", []}").is_err(), "missing final dot");
    for junk in [
        "{",
        "<<",
        "'a",
        "[{a,b}].",
        "{\"1\", [{<<>>, {svn, x}, 0}]}.",
        "x. y. z.",
    ] {
        let _ = bad(junk);
    }
}
