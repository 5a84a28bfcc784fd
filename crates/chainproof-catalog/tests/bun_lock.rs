//! Golden tests for `bun.lock` on the osv-scalibr fixtures, and `bun.lockb`.

use std::collections::BTreeSet;
use std::path::Path;

use chainproof_catalog::{Cataloger, bun::BunLockCataloger};
use chainproof_core::{HashAlgorithm, Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::set;

fn run(name: &str) -> Result<Inventory, chainproof_catalog::CatalogError> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bun/scalibr")
        .join(name);
    let r = MemoryResolver::new().with_file("bun.lock", std::fs::read(p).expect("fixture"));
    BunLockCataloger.catalog(&r, "bun.lock")
}

fn nv(inv: &Inventory, id: chainproof_core::PackageId) -> String {
    let p = inv.package(id);
    format!("{}@{}", p.name, p.version.as_deref().unwrap_or(""))
}

fn names(inv: &Inventory) -> BTreeSet<String> {
    inv.packages().map(|(id, _)| nv(inv, id)).collect()
}

fn edges(inv: &Inventory) -> BTreeSet<String> {
    inv.edges()
        .map(|(a, b)| format!("{} -> {}", nv(inv, a), nv(inv, b)))
        .collect()
}

fn scope_of(inv: &Inventory, name: &str) -> Scope {
    inv.packages()
        .find(|(id, _)| nv(inv, *id) == name)
        .map(|(_, p)| p.scope)
        .expect(name)
}

#[test]
fn nested_duplicates_resolve_by_install_path() {
    let inv = run("nested-dependencies-dup.json5").expect("parses");
    assert_eq!(
        names(&inv),
        set(&[
            "bun-lockfile@",
            "ansi-styles@4.3.0",
            "chalk@4.1.2",
            "color-convert@2.0.1",
            "color-name@1.1.4",
            "has-flag@2.0.0",
            "supports-color@7.2.0",
            "has-flag@4.0.0",
        ])
    );
    assert_eq!(
        edges(&inv),
        set(&[
            "bun-lockfile@ -> has-flag@2.0.0",
            "bun-lockfile@ -> supports-color@7.2.0",
            "bun-lockfile@ -> chalk@4.1.2",
            "chalk@4.1.2 -> ansi-styles@4.3.0",
            "chalk@4.1.2 -> supports-color@7.2.0",
            "ansi-styles@4.3.0 -> color-convert@2.0.1",
            "color-convert@2.0.1 -> color-name@1.1.4",
            // the nested copy wins over the hoisted has-flag@2.0.0
            "supports-color@7.2.0 -> has-flag@4.0.0",
        ])
    );
    assert_eq!(scope_of(&inv, "chalk@4.1.2"), Scope::Dev);
    assert_eq!(scope_of(&inv, "ansi-styles@4.3.0"), Scope::Dev);
    assert_eq!(scope_of(&inv, "supports-color@7.2.0"), Scope::Runtime);
    assert_eq!(scope_of(&inv, "has-flag@4.0.0"), Scope::Runtime);
    let root = inv.roots().next().expect("root");
    assert_eq!(inv.package(root).kind, PackageKind::Project);
    let cc = inv
        .packages()
        .find(|(id, _)| nv(&inv, *id) == "color-convert@2.0.1")
        .expect("cc")
        .1;
    assert_eq!(cc.hashes.len(), 1);
    assert_eq!(cc.hashes[0].algorithm, HashAlgorithm::Sha512);
    assert_eq!(
        cc.purl.as_ref().expect("purl").to_string(),
        "pkg:npm/color-convert@2.0.1"
    );
    assert!(cc.locations[0].line.is_some_and(|l| l > 15));
}

#[test]
fn optional_peer_and_git() {
    let inv = run("optional-package.json5").expect("parses");
    assert_eq!(scope_of(&inv, "fsevents@0.3.8"), Scope::Optional);
    assert_eq!(scope_of(&inv, "nan@2.22.0"), Scope::Optional);
    assert_eq!(scope_of(&inv, "acorn@8.14.0"), Scope::Runtime);
    let inv = run("peer-dependencies-implicit.json5").expect("parses");
    assert!(edges(&inv).contains("acorn-jsx@5.3.2 -> acorn@8.14.0"));
    let inv = run("commits.json5").expect("parses");
    let all = names(&inv);
    for want in [
        "@prettier/sync@527e8ce",
        "babel-preset-php@1ae6dc1267500360b411ec711b8aeac8c68b2246",
        "is-number@98e8ff1",
        "is-number@d5ac058",
        "is-number@b7aef34",
        "raven-js@91ef2d4",
        "lodash@1.3.1",
        "stopwords@0.0.1",
    ] {
        assert!(all.contains(want), "{want} in {all:?}");
    }
    assert_eq!(all.len(), 19, "18 packages and the root: {all:?}");
    let aliased = inv
        .packages()
        .filter(|(_, p)| p.properties.contains_key("chainproof:npm:alias"))
        .count();
    assert_eq!(aliased, 3, "is-number-1/2/3");
    assert!(edges(&inv).contains("slick-carousel@fc6f7d8 -> jquery@3.7.1"));
}

#[test]
fn simple_cases() {
    for (file, want) in [
        ("one-package.json5", vec!["bun-lockfile@", "wrappy@1.0.2"]),
        (
            "one-package-dev.json5",
            vec!["bun-lockfile@", "wrappy@1.0.2"],
        ),
        (
            "two-packages.json5",
            vec!["bun-lockfile@", "has-flag@4.0.0", "wrappy@1.0.2"],
        ),
        // an unnamed root workspace takes the folder name, or `root` at the top
        ("no-packages.json5", vec!["root@"]),
    ] {
        let inv = run(file).expect("parses");
        assert_eq!(names(&inv), set(&want), "{file}");
    }
    let inv = run("scoped-packages.json5").expect("parses");
    assert!(
        names(&inv).iter().any(|n| n.starts_with("@")),
        "{:?}",
        names(&inv)
    );
}

#[test]
fn bad_tuple_and_binary() {
    let e = run("bad-tuple.json5").expect_err("bad tuple");
    assert!(e.line.is_some_and(|l| l > 10), "{e}");
    assert!(e.message.contains("wrappy-bad"), "{e}");
    let r = MemoryResolver::new().with_file("bun.lock", "{\n \"a\": 1,\n \"b\": 2\n \"c\": 3\n}");
    assert_eq!(
        BunLockCataloger
            .catalog(&r, "bun.lock")
            .expect_err("json")
            .line,
        Some(4)
    );
    let r = MemoryResolver::new().with_file("bun.lockb", vec![0u8, 1, 2, 3]);
    let e = BunLockCataloger
        .catalog(&r, "bun.lockb")
        .expect_err("binary");
    assert!(
        e.message.contains("bun install --save-text-lockfile"),
        "{e}"
    );
    let r = r.with_file("bun.lock", "{}");
    assert!(
        BunLockCataloger
            .catalog(&r, "bun.lockb")
            .expect("covered")
            .is_empty()
    );
}

#[test]
fn workspaces() {
    let text = r#"{
  // comment
  "lockfileVersion": 1,
  "workspaces": {
    "": { "name": "root", "dependencies": { "a": "^1" } },
    "packages/w": { "name": "w", "version": "0.2.0", "dependencies": { "b": "^2", "root": "workspace:*" } },
  },
  "packages": {
    "a": ["a@1.0.0", "", {}, "sha512-l4Sp/DRseor9wL6EvV2+TuQn63dMkPjZ/sp9XkghTEbV9KlPS1xUsZ3u7/IQO4wxtcFB4bgpQPRcR3QCvezPcQ=="],
    "b": ["b@2.0.0", "", {}, ""],
    "w": ["w@workspace:packages/w"],
    "w/b": ["b@2.1.0", "", {}, ""],
  },
}"#;
    let r = MemoryResolver::new().with_file("bun.lock", text);
    let inv = BunLockCataloger.catalog(&r, "bun.lock").expect("parses");
    assert_eq!(inv.roots().count(), 2);
    assert_eq!(
        edges(&inv),
        set(&["root@ -> a@1.0.0", "root@ -> w@0.2.0", "w@0.2.0 -> b@2.1.0"])
    );
    let w = inv.packages().find(|(_, p)| p.name == "w").expect("w").1;
    assert_eq!(w.kind, PackageKind::Project);
}
