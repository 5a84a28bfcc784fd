//! Golden tests for `paket.lock` on Paket's own integration-test lock files and scalibr's
//! empty and invalid fixtures (tests/fixtures/dotnet/paket, see SOURCES.md).

mod common;

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::dotnet::PaketLockCataloger;
use chainproof_core::{Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use common::{fixture, run};
use kit::inv::set;

fn load(dir: &str) -> (MemoryResolver, String) {
    let path = format!("{dir}/paket.lock");
    let r = MemoryResolver::new().with_file(&path, fixture(&format!("dotnet/paket/{path}")));
    (r, path)
}

fn parse(dir: &str) -> Inventory {
    let (r, path) = load(dir);
    run(&PaketLockCataloger, &r, &path)
}

fn purls(inv: &Inventory) -> BTreeSet<String> {
    inv.packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .filter_map(|(_, p)| p.purl.as_ref().map(ToString::to_string))
        .collect()
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::name_edges(inv)
}

#[test]
fn expressive_packages_edges_and_lines() {
    let inv = parse("expressive");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:nuget/ExpressiveAnnotations@2.4.0",
            "pkg:nuget/jQuery@2.2.0",
            "pkg:nuget/jQuery.Validation@1.14.0",
            "pkg:nuget/Microsoft.jQuery.Unobtrusive.Validation@3.2.3",
            "pkg:nuget/Newtonsoft.Json@8.0.2",
        ])
    );
    let want: BTreeSet<(String, String)> = [
        ("expressive", "ExpressiveAnnotations"),
        ("ExpressiveAnnotations", "jQuery"),
        ("ExpressiveAnnotations", "jQuery.Validation"),
        (
            "ExpressiveAnnotations",
            "Microsoft.jQuery.Unobtrusive.Validation",
        ),
        ("ExpressiveAnnotations", "Newtonsoft.Json"),
        ("jQuery.Validation", "jQuery"),
        ("Microsoft.jQuery.Unobtrusive.Validation", "jQuery"),
        (
            "Microsoft.jQuery.Unobtrusive.Validation",
            "jQuery.Validation",
        ),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(edges(&inv), want);
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(roots.len(), 1);
    assert_eq!(inv.package(roots[0]).kind, PackageKind::Project);
    let (_, jq) = inv
        .packages()
        .find(|(_, p)| p.name == "jQuery")
        .expect("jQuery");
    assert_eq!(jq.locations[0].line, Some(13));
    assert_eq!(jq.scope, Scope::Runtime);
    assert_eq!(
        jq.properties
            .get("chainproof:paket:group")
            .map(String::as_str),
        Some("Main")
    );
}

#[test]
fn groups_keep_their_own_versions() {
    let inv = parse("legacy-groups");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:nuget/Newtonsoft.Json@6.0.3",
            "pkg:nuget/Newtonsoft.Json@5.0.2"
        ])
    );
    let groups: BTreeSet<String> = inv
        .packages()
        .filter_map(|(_, p)| p.properties.get("chainproof:paket:group").cloned())
        .collect();
    assert_eq!(groups, set(&["Main", "Legacy"]));

    let inv = parse("multiple-groups");
    assert_eq!(
        purls(&inv),
        set(&["pkg:nuget/FSharp.Core@4.7.2", "pkg:nuget/FSharp.Core@7.0"])
    );
    let (_, seven) = inv
        .packages()
        .find(|(_, p)| p.version.as_deref() == Some("7.0"))
        .expect("7.0");
    assert_eq!(
        seven
            .properties
            .get("chainproof:paket:group")
            .map(String::as_str),
        Some("testGroup2")
    );
    assert_eq!(seven.locations[0].line, Some(17));
}

#[test]
fn git_and_http_sources() {
    let inv = parse("git-source");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:nuget/Argu@1.1.3",
            "pkg:github/forki/nupkgtest@05366e390e7552a569f3f328a0f3094249f3b93b",
        ])
    );
    let (_, repo) = inv
        .packages()
        .find(|(_, p)| p.name == "forki/nupkgtest")
        .expect("repo");
    assert_eq!(
        repo.source.as_deref(),
        Some("git+https://github.com/forki/nupkgtest.git#05366e390e7552a569f3f328a0f3094249f3b93b")
    );
    // HTTP files are no packages.
    let inv = parse("http-files");
    assert_eq!(inv.len(), 0);
}

#[test]
fn scalibr_empty_and_invalid() {
    assert_eq!(parse("scalibr-empty").len(), 0);
    let (r, path) = load("scalibr-invalid");
    let err = PaketLockCataloger
        .catalog(&r, &path)
        .expect_err("not a paket.lock");
    assert_eq!(err.line, Some(1));
    assert!(err.to_string().contains("not a paket.lock"), "{err}");
}

#[test]
fn matches_only_paket_lock() {
    assert!(PaketLockCataloger.matches("src/paket.lock"));
    assert!(!PaketLockCataloger.matches("src/paket.dependencies"));
}
