//! Agreement with Snyk's dependency graphs for yarn: for every copied
//! snyk/nodejs-lockfile-parser yarn case with an `expected*.json` dep-graph, every package
//! and every edge of Snyk's graph must be in ours.
//!
//! Known differences (ours is a superset):
//! * Snyk's `dev-deps-excluded` graphs leave dev dependencies out; ours keeps them with
//!   [`Scope::Dev`]. Packages Snyk labels `prod` must not be dev in ours.
//! * Snyk writes a package without a version as `name@` (the root of `npm-protocol`);
//!   ours has `version: None`.
//! * Snyk cuts cycles (`cyclic-dep-simple`, `simple-cyclic-chain`) with `:pruned` nodes;
//!   a pruned node stands for the package it names, and its edge is checked like any other.
//! * `patch:` entries (`patch-protocol`): Snyk lists the patched package once under its
//!   base name and version; ours merges the patch entry into the same package (same purl)
//!   and marks it `chainproof:yarn:patch`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chainproof_catalog::{Cataloger, yarn::YarnLockCataloger};
use chainproof_core::{Inventory, PackageId, Scope};
use chainproof_testkit as kit;
use serde_json::Value;

fn snyk_dir() -> PathBuf {
    kit::fixtures!("yarn/snyk").root().to_path_buf()
}

/// (expected file, case dir).
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let is_expected = |p: &Path| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.starts_with("expected") && name.ends_with(".json")
    };
    let mut out: Vec<(PathBuf, PathBuf)> = kit::fixture::walk(&snyk_dir(), &is_expected)
        .into_iter()
        .map(|p| {
            let dir = p.parent().expect("parent").to_path_buf();
            assert!(dir.join("yarn.lock").exists(), "{}", dir.display());
            (p, dir)
        })
        .collect();
    out.sort();
    out
}

fn snyk_pkg(p: &Value) -> (String, Option<String>) {
    let info = &p["info"];
    let name = info["name"].as_str().expect("pkg name").to_string();
    let version = info["version"].as_str().map(str::to_string);
    (name, version)
}

#[test]
fn every_snyk_package_and_edge_is_ours() {
    let cases = cases();
    assert!(
        cases.len() >= 14,
        "only {} Snyk yarn cases found",
        cases.len()
    );
    let (mut pkgs_total, mut edges_total, mut ours_pkgs, mut ours_edges) = (0, 0, 0, 0);
    for (expected_file, dir) in &cases {
        let label = expected_file
            .strip_prefix(snyk_dir())
            .unwrap_or(expected_file)
            .display()
            .to_string();
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(expected_file).expect("read"))
                .expect("json");
        let inv: Inventory = YarnLockCataloger
            .catalog(&kit::fixture::tree_resolver(dir), "yarn.lock")
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        ours_pkgs += inv.len();
        ours_edges += inv.edges().len();
        let ours: BTreeMap<(String, Option<String>), PackageId> = inv
            .packages()
            .map(|(id, p)| ((p.name.clone(), p.version.clone()), id))
            .collect();
        let our_edges: BTreeSet<(PackageId, PackageId)> = inv.edges().collect();
        let pkg_ids: BTreeMap<&str, (String, Option<String>)> = expected["pkgs"]
            .as_array()
            .expect("pkgs")
            .iter()
            .map(|p| (p["id"].as_str().expect("id"), snyk_pkg(p)))
            .collect();
        let nodes = expected["graph"]["nodes"].as_array().expect("nodes");
        let node_pkg: BTreeMap<&str, &(String, Option<String>)> = nodes
            .iter()
            .map(|n| {
                (
                    n["nodeId"].as_str().expect("nodeId"),
                    &pkg_ids[n["pkgId"].as_str().expect("pkgId")],
                )
            })
            .collect();
        let root = expected["graph"]["rootNodeId"].as_str().expect("root");
        let dev_excluded = label.contains("dev-deps-excluded");
        for (id, pkg) in &pkg_ids {
            pkgs_total += 1;
            let ours_id = ours
                .get(pkg)
                .unwrap_or_else(|| panic!("{label}: {id} not in ours"));
            let labels: Vec<&str> = nodes
                .iter()
                .filter(|n| n["pkgId"] == **id)
                .filter_map(|n| n["info"]["labels"]["scope"].as_str())
                .collect();
            if dev_excluded || (!labels.is_empty() && labels.iter().all(|l| *l == "prod")) {
                assert_ne!(
                    inv.package(*ours_id).scope,
                    Scope::Dev,
                    "{label}: {id} is prod in Snyk"
                );
            }
            if labels.iter().all(|l| *l == "dev") && !labels.is_empty() {
                assert_eq!(
                    inv.package(*ours_id).scope,
                    Scope::Dev,
                    "{label}: {id} is dev"
                );
            }
        }
        for n in nodes {
            let from = n["nodeId"].as_str().expect("nodeId");
            let from_id = ours[node_pkg[from]];
            if from == root {
                assert!(inv.roots().any(|r| r == from_id), "{label}: root is ours");
            }
            for d in n["deps"].as_array().expect("deps") {
                let to = d["nodeId"].as_str().expect("dep nodeId");
                edges_total += 1;
                let to_id = ours[node_pkg[to]];
                assert!(
                    from_id == to_id || our_edges.contains(&(from_id, to_id)),
                    "{label}: edge {from} -> {to} missing"
                );
            }
        }
    }
    eprintln!(
        "Snyk yarn agreement: {} cases, {pkgs_total}/{pkgs_total} packages and \
         {edges_total}/{edges_total} edges present; ours: {ours_pkgs} packages, {ours_edges} edges",
        cases.len()
    );
}
