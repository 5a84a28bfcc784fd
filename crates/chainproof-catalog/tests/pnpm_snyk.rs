//! Agreement with Snyk's dependency graphs: for every copied snyk/nodejs-lockfile-parser
//! pnpm case (lockfileVersion 5.4, 6.0, 9.0) and every `expected*.json` dep-graph in it
//! (75 graphs), every package and every edge of Snyk's graph must be in ours, no package of
//! Snyk's graph may be dev in ours, and — the other way — every runtime library ours reaches
//! from the graph's project must be in Snyk's graph.
//!
//! Known, handled differences:
//! * Snyk's graph is per project: for workspaces, `packages/pkg-b/expected.json` is rooted
//!   at that importer, which is a project package in ours (name and version from its
//!   package.json). The `expected-workspace-projects-undefined.json` variants are built with
//!   the projects' versions withheld (`@test/react@undefined`); such an id is matched to our
//!   project of that name.
//! * v6/v9 `local-pkg-without-workspaces`: Snyk gives the `file:` package the version
//!   `file:local-pkg`; ours reads `local-pkg/package.json` (1.0.0, as the v5 lockfile itself
//!   records) and keeps `file:local-pkg` as the source, which is how the id is matched.
//! * `deeply-nested-packages` (npm 6.14.17 with 123 `bundledDependencies`): the lockfile
//!   names the bundled packages but records no version, so they are no packages in ours
//!   (the owner lists them in `chainproof:npm:bundled-dependencies`); Snyk's graph has them
//!   with versions from outside the lockfile. Everything Snyk reaches through a bundled
//!   dependency is exempt (counted and printed).
//! * v5 `git-protocol-peer-deps`: the lockfile's root `dependencies` has
//!   `@snyk/snyk-nodejs-plugin` (a github dependency named `snyk-nodejs-plugin` 0.0.0), which
//!   the case's package.json does not declare. Snyk takes the root's dependencies from
//!   package.json, ours from the lockfile, so ours has that subtree in addition
//!   ([`STALE_ROOT_DEPS`]).
//! * Snyk's graphs leave out optional-only packages (e.g. `fsevents` under `chokidar`); ours
//!   keeps them as [`Scope::Optional`], so the reverse check follows runtime packages only.
//! * `pnpm-lock-v5/empty-project` has no lockfile upstream and is skipped.
//! * Snyk cuts cycles with `:pruned` node ids; they name the same package, so they are
//!   mapped through their `pkgId`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chainproof_catalog::{Cataloger, pnpm::PnpmLockCataloger};
use chainproof_core::{Inventory, PackageId, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use serde_json::Value;

/// (case, package): a root dependency the lockfile records and the case's package.json
/// does not declare; Snyk builds the root's dependencies from package.json, ours from the
/// lockfile, so ours has this package and its subtree in addition.
const STALE_ROOT_DEPS: &[(&str, &str)] = &[(
    "pnpm-lock-v5/git-protocol-peer-deps/",
    "snyk-nodejs-plugin@0.0.0",
)];

fn snyk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pnpm/snyk")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// (expected file, case dir holding pnpm-lock.yaml), sorted.
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let mut files = Vec::new();
    walk(&snyk_dir(), &mut files);
    let mut out = Vec::new();
    for f in files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if !(name.starts_with("expected") && name.ends_with(".json")) {
            continue;
        }
        // `pnpm-lock-v5/empty-project` has no lockfile upstream (Snyk builds that graph
        // from package.json alone); nothing to compare there.
        let mut dir = f.parent().expect("parent").to_path_buf();
        while !dir.join("pnpm-lock.yaml").exists() && dir.starts_with(snyk_dir()) {
            dir = dir.parent().expect("parent").to_path_buf();
        }
        if dir.join("pnpm-lock.yaml").exists() {
            out.push((f, dir));
        }
    }
    out.sort();
    out
}

/// Catalogs `case/pnpm-lock.yaml` with every file of the case (the package.json files).
fn load(case: &Path) -> Inventory {
    let mut files = Vec::new();
    walk(case, &mut files);
    let mut r = MemoryResolver::new();
    for f in files {
        let rel = f
            .strip_prefix(case)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        r = r.with_file(&format!("case/{rel}"), std::fs::read(&f).expect("read"));
    }
    PnpmLockCataloger
        .catalog(&r, "case/pnpm-lock.yaml")
        .unwrap_or_else(|e| panic!("{}: {e}", case.display()))
}

fn nv(inv: &Inventory, id: PackageId) -> String {
    let p = inv.package(id);
    format!("{}@{}", p.name, p.version.as_deref().unwrap_or("undefined"))
}

struct Snyk {
    root: String,
    pkgs: BTreeSet<String>,
    edges: BTreeSet<(String, String)>,
}

fn read_snyk(file: &Path) -> Snyk {
    let v: Value = serde_json::from_slice(&std::fs::read(file).expect("read")).expect("json");
    let graph = &v["graph"];
    let root_node = graph["rootNodeId"].as_str().expect("root");
    let nodes = graph["nodes"].as_array().expect("nodes");
    let pkg_of: BTreeMap<&str, &str> = nodes
        .iter()
        .map(|n| {
            (
                n["nodeId"].as_str().expect("id"),
                n["pkgId"].as_str().expect("pkg"),
            )
        })
        .collect();
    let root = pkg_of[root_node].to_string();
    let mut edges = BTreeSet::new();
    for n in nodes {
        let from = pkg_of[n["nodeId"].as_str().expect("id")];
        for d in n["deps"].as_array().expect("deps") {
            let to = pkg_of[d["nodeId"].as_str().expect("dep id")];
            edges.insert((from.to_string(), to.to_string()));
        }
    }
    let pkgs = v["pkgs"]
        .as_array()
        .expect("pkgs")
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_string())
        .filter(|id| *id != root)
        .collect();
    Snyk { root, pkgs, edges }
}

/// Our package for a Snyk package id (see the module docs for the two id mappings).
fn ours_for(inv: &Inventory, ours: &BTreeMap<String, PackageId>, id: &str) -> Option<PackageId> {
    if let Some(&p) = ours.get(id) {
        return Some(p);
    }
    let at = id[1..].find('@')? + 1;
    let (name, version) = (&id[..at], &id[at + 1..]);
    let mut found = inv.packages().filter(|(_, p)| {
        p.name == name
            && if version == "undefined" {
                p.kind == PackageKind::Project
            } else {
                version.starts_with("file:") && p.source.as_deref() == Some(version)
            }
    });
    match (found.next(), found.next()) {
        (Some((p, _)), None) => Some(p),
        _ => None,
    }
}

/// Names in any `bundledDependencies` list of the lockfile, and the names of the packages
/// that bundle them, read independently with `yaml_serde::Value`.
fn bundled(case: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let text = std::fs::read_to_string(case.join("pnpm-lock.yaml")).expect("lock");
    let doc: yaml_serde::Value = yaml_serde::from_str(&text).expect("yaml");
    let (mut owners, mut names) = (BTreeSet::new(), BTreeSet::new());
    if let Some(pkgs) = doc.get("packages").and_then(|p| p.as_mapping()) {
        for (k, v) in pkgs {
            let Some(list) = v.get("bundledDependencies").and_then(|b| b.as_sequence()) else {
                continue;
            };
            let key = k.as_str().expect("key").trim_start_matches('/');
            // `npm/6.14.17` (v5) or `npm@6.14.17` (v6+): the name is before the last separator.
            let cut = key.rfind(['/', '@']).expect("versioned key");
            owners.insert(key[..cut].to_string());
            names.extend(list.iter().filter_map(|n| n.as_str()).map(str::to_string));
        }
    }
    (owners, names)
}

fn name_of(id: &str) -> &str {
    id[1..].find('@').map_or(id, |i| &id[..i + 1])
}

/// Snyk packages reached through a bundled dependency (see the module docs).
fn bundled_subtree(snyk: &Snyk, case: &Path) -> BTreeSet<String> {
    let (owners, names) = bundled(case);
    let mut stack: Vec<String> = snyk
        .edges
        .iter()
        .filter(|(a, b)| owners.contains(name_of(a)) && names.contains(name_of(b)))
        .map(|(_, b)| b.clone())
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if seen.insert(n.clone()) {
            stack.extend(
                snyk.edges
                    .iter()
                    .filter(|(a, _)| *a == n)
                    .map(|(_, b)| b.clone()),
            );
        }
    }
    seen
}

#[test]
fn every_snyk_package_and_edge_is_ours() {
    let cases = cases();
    assert_eq!(cases.len(), 75, "expected graphs with a lockfile");
    let mut report = Vec::new();
    let (mut n_pkgs, mut n_edges, mut n_bundled, mut n_reverse) = (0, 0, 0, 0);
    for (expected, case) in &cases {
        let label = expected
            .strip_prefix(snyk_dir())
            .expect("inside")
            .display()
            .to_string();
        let snyk = read_snyk(expected);
        let inv = load(case);
        let ours: BTreeMap<String, PackageId> =
            inv.packages().map(|(id, _)| (nv(&inv, id), id)).collect();
        let exempt = bundled_subtree(&snyk, case);
        n_bundled += exempt.len();
        match ours_for(&inv, &ours, &snyk.root) {
            Some(id) if inv.package(id).kind == PackageKind::Project => {}
            _ => report.push(format!("{label}: root {} is no project of ours", snyk.root)),
        }
        let with_dev = label.contains("dev-deps-included");
        for p in snyk.pkgs.iter().filter(|p| !exempt.contains(*p)) {
            n_pkgs += 1;
            match ours_for(&inv, &ours, p) {
                None => report.push(format!("{label}: package {p} missing")),
                Some(id) if inv.package(id).scope == Scope::Dev && !with_dev => {
                    report.push(format!("{label}: package {p} is dev in ours"))
                }
                Some(_) => {}
            }
        }
        for (a, b) in snyk.edges.iter().filter(|(_, b)| !exempt.contains(b)) {
            n_edges += 1;
            let found = ours_for(&inv, &ours, a)
                .zip(ours_for(&inv, &ours, b))
                .is_some_and(|(x, y)| inv.dependencies_of(x).any(|d| d == y));
            if !found {
                report.push(format!("{label}: edge {a} -> {b} missing"));
            }
        }
        // The other way: every runtime library that ours reaches from this project through
        // runtime packages is in Snyk's graph too (see the module docs for the exception).
        let snyk_ids: BTreeSet<PackageId> = snyk
            .pkgs
            .iter()
            .filter_map(|p| ours_for(&inv, &ours, p))
            .collect();
        let Some(root) = ours_for(&inv, &ours, &snyk.root) else {
            continue;
        };
        let mut stack = vec![root];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            for d in inv.dependencies_of(id) {
                let p = inv.package(d);
                let stale = STALE_ROOT_DEPS
                    .iter()
                    .any(|(c, n)| label.starts_with(c) && nv(&inv, d) == *n);
                if (p.scope == Scope::Runtime || with_dev) && !stale {
                    stack.push(d);
                }
            }
        }
        n_reverse += seen.len();
        for id in seen {
            if id != root && !snyk_ids.contains(&id) && !exempt.contains(&nv(&inv, id)) {
                report.push(format!("{label}: ours has {} , Snyk not", nv(&inv, id)));
            }
        }
    }
    eprintln!(
        "{} graphs, {n_pkgs} packages, {n_edges} edges checked, {n_bundled} bundled exempt, \
         {n_reverse} of ours checked the other way",
        cases.len()
    );
    assert!(
        report.is_empty(),
        "{} differences:\n{}",
        report.len(),
        report.join("\n")
    );
}
