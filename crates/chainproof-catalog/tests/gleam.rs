//! Golden tests for Gleam `manifest.toml` and `gleam.toml` (tests/fixtures/gleam, see
//! SOURCES.md).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chainproof_catalog::Cataloger;
use chainproof_catalog::hex::gleam::GleamCataloger;
use chainproof_core::{Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use common::{fixture, run};

fn gleam_toml(name: &str) -> (MemoryResolver, String) {
    let path = format!("{name}/gleam.toml");
    let r = MemoryResolver::new().with_file(&path, fixture(&format!("gleam/scalibr/{path}")));
    (r, path)
}

fn libs(inv: &Inventory) -> BTreeMap<String, (Scope, Option<String>)> {
    inv.packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .map(|(_, p)| {
            (
                p.purl.as_ref().map(ToString::to_string).unwrap_or_default(),
                (
                    p.scope,
                    p.properties.get("chainproof:gleam:requirement").cloned(),
                ),
            )
        })
        .collect()
}

#[test]
fn manifest_of_gleam_packages() {
    let path = "site/manifest.toml";
    let r = MemoryResolver::new().with_file(path, fixture("gleam/packages/manifest.toml"));
    let inv = run(&GleamCataloger, &r, path);
    let libs: Vec<_> = inv
        .packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .collect();
    assert_eq!(libs.len(), 27);
    assert!(libs.iter().all(|(_, p)| p.hashes.len() == 1));
    let (birl, p) = inv
        .packages()
        .find(|(_, p)| p.name == "birl")
        .expect("birl");
    assert_eq!(
        p.purl.as_ref().map(ToString::to_string).as_deref(),
        Some("pkg:hex/birl@0.8.0")
    );
    assert_eq!(p.locations[0].line, Some(6));
    assert_eq!(
        p.hashes[0].value,
        "4342b09abcd48aac4a111b3947ffec55d55b699f7565c09a5b63b6d58bfe202a"
    );
    let deps: BTreeSet<String> = inv
        .dependencies_of(birl)
        .map(|d| inv.package(d).name.clone())
        .collect();
    assert_eq!(
        deps,
        ["gleam_stdlib", "ranger"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    // The root: named after the folder (no gleam.toml here), depends on the 10 requirements.
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(roots.len(), 1);
    assert_eq!(inv.package(roots[0]).name, "site");
    assert_eq!(inv.dependencies_of(roots[0]).count(), 10);
    // Edges: 10 from the root plus one per requirement of every package.
    assert_eq!(inv.edges().count(), 10 + 36);
}

#[test]
fn scalibr_gleam_toml_declared() {
    let (r, path) = gleam_toml("deps-and-dev-deps");
    let inv = run(&GleamCataloger, &r, &path);
    let want: BTreeMap<String, (Scope, Option<String>)> = [
        (
            "pkg:hex/gleam_stdlib",
            Scope::Runtime,
            ">= 0.34.0 and < 2.0.0",
        ),
        ("pkg:hex/gleeunit", Scope::Dev, ">= 1.0.0 and < 2.0.0"),
    ]
    .iter()
    .map(|(p, s, r)| (p.to_string(), (*s, Some(r.to_string()))))
    .collect();
    assert_eq!(libs(&inv), want);
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(
        inv.package(roots[0])
            .purl
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("pkg:hex/my_project@1.0.0")
    );
    assert_eq!(inv.edges().count(), 2);

    let (r, path) = gleam_toml("git-and-local-deps");
    let inv = run(&GleamCataloger, &r, &path);
    let sources: BTreeMap<String, Option<String>> = inv
        .packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .map(|(_, p)| (p.name.clone(), p.source.clone()))
        .collect();
    let want: BTreeMap<String, Option<String>> = [
        ("gleam_stdlib", None),
        (
            "my_git_package",
            Some("git+https://github.com/my-username/my_git_package#a8b3c5d82"),
        ),
        ("my_local_package", Some("file:../my_local_package")),
    ]
    .iter()
    .map(|(n, s)| (n.to_string(), s.map(str::to_string)))
    .collect();
    assert_eq!(sources, want);

    for (name, n) in [("no-deps", 0), ("only-deps", 1), ("only-dev-deps", 1)] {
        let (r, path) = gleam_toml(name);
        let inv = run(&GleamCataloger, &r, &path);
        assert_eq!(libs(&inv).len(), n, "{name}");
        assert_eq!(inv.roots().count(), 1, "{name}");
    }
    let (_, dev) = {
        let (r, path) = gleam_toml("only-dev-deps");
        let inv = run(&GleamCataloger, &r, &path);
        libs(&inv).into_iter().next().expect("one")
    };
    assert_eq!(dev.0, Scope::Dev);
}

#[test]
fn invalid_toml_is_an_error_with_a_line() {
    let (r, path) = gleam_toml("not-toml");
    let err = GleamCataloger.catalog(&r, &path).expect_err("invalid");
    assert_eq!(err.line, Some(1));
}

#[test]
fn gleam_toml_defers_to_the_manifest() {
    let r = MemoryResolver::new()
        .with_file(
            "p/gleam.toml",
            fixture("gleam/scalibr/only-deps/gleam.toml"),
        )
        .with_file("p/manifest.toml", fixture("gleam/packages/manifest.toml"));
    assert_eq!(run(&GleamCataloger, &r, "p/gleam.toml").len(), 0);
    let inv = run(&GleamCataloger, &r, "p/manifest.toml");
    let roots: Vec<_> = inv.roots().collect();
    // The project's name and version come from gleam.toml, located there.
    let root = inv.package(roots[0]);
    assert_eq!(root.name, "my_project");
    assert_eq!(root.version.as_deref(), Some("1.0.0"));
    assert_eq!(root.locations[0].path, "p/gleam.toml");
    assert!(GleamCataloger.matches("a/manifest.toml"));
    assert!(!GleamCataloger.matches("a/Manifest.toml"));
}
