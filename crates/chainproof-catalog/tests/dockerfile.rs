//! Golden tests for the `dockerfile` cataloger on hand-written Dockerfiles
//! (`tests/fixtures/dockerfile/chainproof/`, see SOURCES.md).

use std::collections::BTreeMap;
use std::path::Path;

use chainproof_catalog::Cataloger;
use chainproof_catalog::dockerfile::{
    DockerfileCataloger, PROP_PINNED, PROP_PLATFORM, PROP_REFERENCE, PROP_STAGE, PROP_SYNTAX,
    PROP_UNRESOLVED, parse_dockerfile,
};
use chainproof_core::{Inventory, Package, PackageKind, Scope};
use chainproof_testkit as kit;

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/dockerfile/chainproof")
            .join(rel),
    )
    .expect("fixture exists")
}

fn by_purl(inv: &Inventory) -> BTreeMap<String, &Package> {
    inv.packages()
        .filter_map(|(_, p)| Some((p.purl.as_ref()?.to_string(), p)))
        .collect()
}

#[test]
fn multi_stage() {
    let inv = parse_dockerfile("Dockerfile", &fixture("Dockerfile")).expect("parses");
    let m = by_purl(&inv);
    let node = "pkg:oci/node@sha256:a16301294ba66d2ad22d3beded4a52720f96ab208c1db0973c034d0127a4ccb0?repository_url=docker.io%2Flibrary%2Fnode&tag=20-bookworm-slim";
    let want: Vec<(&str, u32, Scope, &str)> = vec![
        ("pkg:docker/docker/dockerfile@1.7", 1, Scope::Dev, "false"),
        ("pkg:docker/golang@1.22-alpine", 7, Scope::Dev, "false"),
        (node, 16, Scope::Dev, "true"),
        (
            "pkg:docker/distroless/static-debian12@nonroot?repository_url=gcr.io",
            23,
            Scope::Runtime,
            "false",
        ),
        (
            "pkg:docker/grpc-ecosystem/grpc-health-probe@v0.4.28?repository_url=ghcr.io",
            26,
            Scope::Runtime,
            "false",
        ),
    ];
    assert_eq!(m.len(), want.len());
    for (purl, line, scope, pinned) in want {
        let p = m
            .get(purl)
            .unwrap_or_else(|| panic!("{purl} missing; have {:?}", m.keys()));
        assert_eq!(p.locations[0].line, Some(line), "{purl}");
        assert_eq!(p.scope, scope, "{purl}");
        assert_eq!(
            p.properties.get(PROP_PINNED).map(String::as_str),
            Some(pinned),
            "{purl}"
        );
    }
    let golang = m["pkg:docker/golang@1.22-alpine"];
    assert_eq!(golang.name, "golang");
    assert_eq!(golang.version.as_deref(), Some("1.22-alpine"));
    // $BUILDPLATFORM is a BuildKit automatic ARG, not declared: substituted empty
    assert_eq!(
        golang.properties.get(PROP_PLATFORM).map(String::as_str),
        Some("")
    );
    assert_eq!(
        golang.properties.get(PROP_STAGE).map(String::as_str),
        Some("build")
    );
    assert_eq!(
        golang.properties.get(PROP_REFERENCE).map(String::as_str),
        Some("golang:1.22-alpine")
    );
    assert_eq!(
        m[node].version.as_deref(),
        Some("sha256:a16301294ba66d2ad22d3beded4a52720f96ab208c1db0973c034d0127a4ccb0")
    );
    assert_eq!(
        m["pkg:docker/docker/dockerfile@1.7"]
            .properties
            .get(PROP_SYNTAX)
            .map(String::as_str),
        Some("true")
    );

    let r = kit::inv::only_root(&inv);
    assert_eq!(r.kind, PackageKind::Project);
    assert_eq!(r.name, "Dockerfile");
    assert!(!r.properties.contains_key(PROP_UNRESOLVED));
    assert_eq!(inv.edges().count(), 5);
}

#[test]
fn escape_directive_scratch_stage_refs_and_unresolved() {
    let inv = parse_dockerfile("tools.Dockerfile", &fixture("tools.Dockerfile")).expect("parses");
    let m = by_purl(&inv);
    let keys: Vec<&str> = m.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec!["pkg:docker/windows/servercore@ltsc2022?repository_url=mcr.microsoft.com"]
    );
    let p = m["pkg:docker/windows/servercore@ltsc2022?repository_url=mcr.microsoft.com"];
    // base of the final stage (`FROM base`): runtime; the backtick continuation joined the AS
    assert_eq!(p.scope, Scope::Runtime);
    assert_eq!(
        p.properties.get(PROP_STAGE).map(String::as_str),
        Some("base")
    );
    assert_eq!(p.locations[0].line, Some(2));
    assert_eq!(
        kit::inv::only_root(&inv)
            .properties
            .get(PROP_UNRESOLVED)
            .map(String::as_str),
        Some("python: (line 5)")
    );
}

#[test]
fn errors_and_matching() {
    let e = parse_dockerfile("Dockerfile", "FROM alpine\nFROM --platform=linux/amd64\n")
        .expect_err("no image");
    assert_eq!(e.line, Some(2));
    let inv = parse_dockerfile("Dockerfile", "").expect("empty");
    assert_eq!(inv.len(), 1);
    let c = DockerfileCataloger;
    for yes in [
        "Dockerfile",
        "a/Containerfile",
        "api.Dockerfile",
        "Dockerfile.prod",
        "x/build.dockerfile",
    ] {
        assert!(c.matches(yes), "{yes}");
    }
    for no in [
        "Dockerfile.dockerignore",
        "docker-compose.yml",
        "Dockerfiles.md",
    ] {
        assert!(!c.matches(no), "{no}");
    }
}
