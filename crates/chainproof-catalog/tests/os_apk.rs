//! apk databases: the alpine:3.10 image layer (trivy's docker-archive), plus osv-scalibr,
//! trivy, syft and osv-scanner fixtures; package sets counted here from the `P:`/`V:`/`A:`
//! lines independently of the cataloger.

mod common;

use std::collections::BTreeSet;

use chainproof_catalog::os::{ApkDbCataloger, OwnedFiles, PROP_OWNED_FILES, PROP_SOURCE};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog, registry};
use chainproof_core::{HashAlgorithm, License};
use chainproof_source::{DirectoryResolver, MemoryResolver, WalkOptions};
use chainproof_testkit as kit;
use kit::inv::named as find;

/// `name \t version \t arch` of every record with a `P:` line, read with a plain scan.
fn counted(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for rec in text.split("\n\n") {
        let get = |k: &str| {
            rec.lines()
                .find_map(|l| l.strip_prefix(k))
                .unwrap_or("")
                .to_string()
        };
        let p = get("P:");
        if !p.is_empty() {
            out.insert(format!("{p}\t{}\t{}", get("V:"), get("A:")));
        }
    }
    out
}

#[test]
fn alpine_image_layer_matches_its_database() {
    let dir = common::fixture_path("os/alpine-3.10");
    let r = DirectoryResolver::walk(&dir, &WalkOptions::default()).expect("walk");
    let t = std::time::Instant::now();
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    eprintln!("alpine-3.10: {} packages in {:?}", inv.len(), t.elapsed());
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    let text =
        String::from_utf8(common::fixture("os/alpine-3.10/lib/apk/db/installed")).expect("utf8");
    let want = counted(&text);
    assert_eq!(want.len(), 14);
    assert_eq!(kit::inv::nva(&inv), want);
    for (_, p) in inv.packages() {
        let purl = p.purl.as_ref().expect("purl");
        assert_eq!(purl.namespace(), Some("alpine"));
        assert_eq!(purl.qualifier("distro"), Some("alpine-3.10.4"), "{purl}");
        assert_eq!(p.hashes.len(), 1, "{}", p.name);
        assert_eq!(p.hashes[0].algorithm, HashAlgorithm::Sha1);
    }
    // Same purl syft prints for this image; upstream only when the origin differs.
    let ssl = find(&inv, "libssl1.1");
    assert_eq!(ssl.properties[PROP_SOURCE], "openssl");
    assert!(
        ssl.purl.as_ref().expect("purl").to_string().starts_with(
            "pkg:apk/alpine/libssl1.1@1.1.1d-r2?arch=x86_64&distro=alpine-3.10.4&upstream=openssl"
        ),
        "{:?}",
        ssl.purl
    );
    // Every purl equals the one syft prints for this directory.
    let syft: BTreeSet<String> =
        String::from_utf8(common::fixture("os/expected/alpine-3.10.syft-purls.txt"))
            .expect("utf8")
            .lines()
            .map(str::to_string)
            .collect();
    let ours: BTreeSet<String> = inv
        .packages()
        .map(|(_, p)| p.purl.as_ref().expect("purl").to_string())
        .collect();
    assert_eq!(ours, syft);
    let base = find(&inv, "alpine-baselayout");
    assert_eq!(
        base.purl.as_ref().expect("purl").to_string(),
        "pkg:apk/alpine/alpine-baselayout@3.1.2-r0?arch=x86_64&distro=alpine-3.10.4"
    );
    assert_eq!(base.licenses, vec![License::parse("GPL-2.0-only")]);
    // busybox needs `so:libc.musl-x86_64.so.1`, provided by musl.
    let id = inv.find(&find(&inv, "busybox").key()).expect("id");
    let deps: BTreeSet<&str> = inv
        .dependencies_of(id)
        .map(|d| inv.package(d).name.as_str())
        .collect();
    assert!(deps.contains("musl"), "{deps:?}");
    // Files: R: lines.
    let musl_files = text
        .split("\n\n")
        .find(|r| r.lines().any(|l| l == "P:musl"))
        .expect("musl record")
        .lines()
        .filter(|l| l.starts_with("R:"))
        .count();
    assert_eq!(
        find(&inv, "musl").properties[PROP_OWNED_FILES],
        musl_files.to_string()
    );
    let owned = OwnedFiles::collect(&r);
    assert_eq!(
        owned.owner("bin/busybox"),
        Some(find(&inv, "busybox").key().as_str())
    );
}

#[test]
fn other_fixtures_match_their_p_lines() {
    for rel in [
        "os/scalibr/apk/installed",
        "os/scalibr/apk/single",
        "os/scalibr/apk/no-origin",
        "os/scalibr/apk/different-arch",
        "os/scalibr/apk/empty",
        "os/trivy/apk/apk",
        "os/syft/alpine/multiple-1/lib/apk/db/installed",
        "os/syft/alpine/multiple-2/lib/apk/db/installed",
        "os/syft/alpine/base",
        "os/syft/alpine/extra-file-attributes",
        "os/syft/alpine/empty-deps-and-provides",
        "os/osv-scanner/apk/multiple_installed",
        "os/osv-scanner/apk/empty_installed",
    ] {
        let bytes = common::fixture(rel);
        let text = String::from_utf8(bytes.clone()).expect("utf8");
        let r = MemoryResolver::new().with_file("lib/apk/db/installed", bytes);
        let inv = common::run(&ApkDbCataloger, &r, "lib/apk/db/installed");
        assert_eq!(kit::inv::nva(&inv), counted(&text), "{rel}");
    }
}

#[test]
fn multiple_edges_and_unresolved() {
    let db = "P:a\nV:1-r0\nA:x86_64\nD:b>=2 so:libc.musl-x86_64.so.1 !c cmd:nope\n\n\
P:b\nV:2-r0\nA:x86_64\n\nP:musl\nV:1.2.4-r2\nA:x86_64\np:so:libc.musl-x86_64.so.1=1\n";
    let r = MemoryResolver::new()
        .with_file("lib/apk/db/installed", db)
        .with_file("etc/os-release", "ID=alpine\nVERSION_ID=3.20.1\n");
    let inv = common::run(&ApkDbCataloger, &r, "lib/apk/db/installed");
    let a = find(&inv, "a");
    let id = inv.find(&a.key()).expect("id");
    let deps: BTreeSet<&str> = inv
        .dependencies_of(id)
        .map(|d| inv.package(d).name.as_str())
        .collect();
    assert_eq!(deps, ["b", "musl"].into());
    assert_eq!(a.properties["chainproof:os:unresolved"], "cmd:nope");
    assert_eq!(
        find(&inv, "musl").purl.as_ref().expect("purl").to_string(),
        "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.20.1"
    );
}

#[test]
fn files_that_are_not_apk_databases_are_errors() {
    for (rel, line) in [
        ("os/osv-scanner/apk/not_installed", 1),
        ("os/osv-scanner/apk/malformed_installed", 2),
        ("os/scalibr/apk/invalid", 1),
        ("os/syft/alpine/corrupt/lib/apk/db/installed", 1),
    ] {
        let r = MemoryResolver::new().with_file("lib/apk/db/installed", common::fixture(rel));
        let e = ApkDbCataloger
            .catalog(&r, "lib/apk/db/installed")
            .expect_err(rel);
        assert_eq!(e.line, Some(line), "{rel}");
    }
}

#[test]
fn malformed_is_an_error_with_a_line() {
    let r = MemoryResolver::new().with_file("lib/apk/db/installed", "P:a\nV:1\nno colon here\n");
    let e = ApkDbCataloger
        .catalog(&r, "lib/apk/db/installed")
        .expect_err("bad");
    assert_eq!(e.line, Some(3));
    assert!(ApkDbCataloger.matches("lib/apk/db/installed"));
    assert!(ApkDbCataloger.matches("x/lib/apk/db/installed"));
    assert!(!ApkDbCataloger.matches("lib/apk/db/installed.bak"));
}
