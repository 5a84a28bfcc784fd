//! Golden tests for the `github-actions` cataloger on hand-written workflows and a composite
//! action (`tests/fixtures/github_actions/chainproof/`, see SOURCES.md).

use std::collections::BTreeMap;
use std::path::Path;

use chainproof_catalog::dockerfile::PROP_PINNED as DOCKER_PINNED;
use chainproof_catalog::github_actions::{
    GitHubActionsCataloger, PROP_INVALID, PROP_LOCAL, PROP_NAME, PROP_PINNED, parse_github_actions,
};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog};
use chainproof_core::{Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;

const DIR: &str = "tests/fixtures/github_actions/chainproof";

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(rel))
        .expect("fixture exists")
}

/// purl → (line, scope, pinned)
fn table(inv: &Inventory) -> BTreeMap<String, (Option<u32>, Scope, Option<String>)> {
    inv.packages()
        .filter_map(|(_, p)| {
            let purl = p.purl.as_ref()?.to_string();
            let pinned = p
                .properties
                .get(PROP_PINNED)
                .or(p.properties.get(DOCKER_PINNED))
                .cloned();
            Some((purl, (p.locations[0].line, p.scope, pinned)))
        })
        .collect()
}

#[test]
fn workflow() {
    let path = ".github/workflows/ci.yml";
    let inv = parse_github_actions(path, &fixture(path)).expect("parses");
    let t = table(&inv);
    let yes = Some("true".to_string());
    let no = Some("false".to_string());
    let want: BTreeMap<String, (Option<u32>, Scope, Option<String>)> = [
        ("pkg:githubactions/actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11", 22, &yes),
        ("pkg:githubactions/actions/cache@v4", 24, &no),
        ("pkg:githubactions/github/codeql-action@v3#init", 26, &no),
        ("pkg:githubactions/actions/checkout@v4", 36, &no),
        ("pkg:githubactions/dtolnay/rust-toolchain@stable", 37, &no),
        (
            "pkg:githubactions/acme/shared-workflows@8e5e7e5ab8b370d6c329ec480221332ada57f0ab#.github/workflows/release.yml",
            40,
            &yes,
        ),
        ("pkg:docker/rust@1.79-bookworm", 15, &no),
        (
            "pkg:oci/postgres@sha256:0aafd2ae7e6c391f39fb6b7621632d79f54068faebc726caf469e87bd1d301c0?repository_url=docker.io%2Flibrary%2Fpostgres&tag=16",
            18,
            &yes,
        ),
        ("pkg:docker/alpine@3.20", 30, &no),
    ]
    .into_iter()
    .map(|(p, l, pin)| (p.to_string(), (Some(l), Scope::Dev, pin.clone())))
    .collect();
    assert_eq!(t, want);

    let r = kit::inv::only_root(&inv);
    assert_eq!(r.kind, PackageKind::Project);
    assert_eq!(r.name, path);
    assert_eq!(r.properties.get(PROP_NAME).map(String::as_str), Some("CI"));
    assert_eq!(
        r.properties.get(PROP_LOCAL).map(String::as_str),
        Some("./.github/actions/local-setup")
    );
    assert!(!r.properties.contains_key(PROP_INVALID));
    assert_eq!(inv.edges().count(), 9);
    assert_eq!(inv.len(), 10);
}

#[test]
fn composite_action_is_runtime() {
    let path = "actions/setup/action.yml";
    let inv = parse_github_actions(path, &fixture(path)).expect("parses");
    let t = table(&inv);
    assert_eq!(t.len(), 2);
    assert_eq!(
        t["pkg:githubactions/actions/cache@0c45773b623bea8c8e75f6c82b208c3cf94ea4f9"],
        (Some(11), Scope::Runtime, Some("true".to_string()))
    );
    assert_eq!(
        t["pkg:githubactions/dtolnay/rust-toolchain@master"],
        (Some(15), Scope::Runtime, Some("false".to_string()))
    );
    assert_eq!(
        kit::inv::only_root(&inv)
            .properties
            .get(PROP_NAME)
            .map(String::as_str),
        Some("Setup toolchain")
    );
}

#[test]
fn whole_tree_through_the_runner() {
    let r = MemoryResolver::new()
        .with_file(
            ".github/workflows/ci.yml",
            fixture(".github/workflows/ci.yml"),
        )
        .with_file(
            ".github/workflows/docs.yaml",
            fixture(".github/workflows/docs.yaml"),
        )
        .with_file(
            "actions/setup/action.yml",
            fixture("actions/setup/action.yml"),
        )
        .with_file("README.md", "not yaml: [");
    let inv = catalog(
        &r,
        &[Box::new(GitHubActionsCataloger) as Box<dyn Cataloger>],
        &CatalogOptions::default(),
    );
    assert!(inv.unparsed().is_empty());
    assert_eq!(inv.roots().count(), 3);
    // actions/checkout@v4 is used by two workflows: one package, two locations
    let co = inv
        .packages()
        .map(|(_, p)| p)
        .find(|p| {
            p.purl
                .as_ref()
                .is_some_and(|u| u.to_string() == "pkg:githubactions/actions/checkout@v4")
        })
        .expect("checkout");
    assert_eq!(co.locations.len(), 2);
    // actions/cache at a SHA is used by the action (runtime)
    assert_eq!(inv.len(), 3 + 9 + 2 + 2);
}

#[test]
fn invalid_uses_and_errors() {
    let t = "jobs:\n  a:\n    steps:\n      - uses: actions/checkout\n      - uses: ${{ matrix.x }}@v1\n      - run: x\n";
    let inv = parse_github_actions(".github/workflows/x.yml", t).expect("parses");
    assert_eq!(inv.len(), 1);
    assert_eq!(
        kit::inv::only_root(&inv)
            .properties
            .get(PROP_INVALID)
            .map(String::as_str),
        Some("actions/checkout, ${{ matrix.x }}@v1")
    );
    let e = parse_github_actions(".github/workflows/x.yml", "jobs:\n  a: [\n").expect_err("yaml");
    assert!(e.line.is_some());
    assert!(parse_github_actions("action.yml", "- a\n").is_err());
    assert!(
        parse_github_actions("action.yml", "")
            .expect("empty")
            .is_empty()
    );
    let c = GitHubActionsCataloger;
    assert!(c.matches(".github/workflows/a.yaml") && c.matches("x/action.yml"));
    assert!(!c.matches(".github/dependabot.yml") && !c.matches("ci.yml"));
}
