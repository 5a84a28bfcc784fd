//! Corpus tier: every real-world tree and every lockfile fixture of the four first ecosystems
//! in `../shared/corpus` (override with CHAINPROOF_CORPUS) goes through catalog → CycloneDX 1.6
//! and SPDX 2.3 → schema + semantic validation → decode, and must keep every package and edge.
//! When the corpus is absent these tests say SKIPPED loudly and pass.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chainproof_catalog::{CatalogOptions, catalog, registry};
use chainproof_core::Inventory;
use chainproof_sbom::{CdxVersion, EncodeOptions, Format};
use chainproof_source::{DirectoryResolver, WalkOptions};
use chainproof_testkit::corpus::root as corpus;

/// Encodes in both formats, validates both, decodes both, and checks nothing was lost.
fn check_round_trip(label: &str, inv: &Inventory) {
    let opts = EncodeOptions::default();
    for format in [Format::CycloneDxJson(CdxVersion::V1_6), Format::SpdxJson] {
        let text = chainproof_sbom::encode(inv, format, &opts)
            .unwrap_or_else(|e| panic!("{label}: encode {format:?}: {e}"));
        let report = chainproof_sbom::validate(text.as_bytes(), label)
            .unwrap_or_else(|e| panic!("{label}: validate {format:?}: {e}"));
        assert!(
            report.problems.is_empty(),
            "{label}: {format:?} invalid: {:#?}",
            report.problems
        );
        let back = chainproof_sbom::decode(text.as_bytes(), label)
            .unwrap_or_else(|e| panic!("{label}: decode {format:?}: {e}"))
            .inventory;
        let keys = |i: &Inventory| {
            i.packages()
                .map(|(_, p)| p.key())
                .collect::<std::collections::BTreeSet<_>>()
        };
        let edges = |i: &Inventory| {
            i.edges()
                .map(|(a, b)| (i.package(a).key(), i.package(b).key()))
                .collect::<std::collections::BTreeSet<_>>()
        };
        let (k0, k1) = (keys(inv), keys(&back));
        assert!(
            k0.is_subset(&k1),
            "{label}: {format:?} lost packages {:?}",
            k0.difference(&k1).collect::<Vec<_>>()
        );
        let (e0, e1) = (edges(inv), edges(&back));
        assert!(
            e0.is_subset(&e1),
            "{label}: {format:?} lost edges {:?}",
            e0.difference(&e1).collect::<Vec<_>>()
        );
    }
}

#[test]
fn realworld_trees_give_valid_sboms_with_every_package_and_edge() {
    let Some(corpus) = corpus() else { return };
    let mut trees: Vec<PathBuf> = std::fs::read_dir(corpus.join("realworld"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    trees.sort();
    assert!(trees.len() >= 6, "expected the realworld trees");
    let all = registry::all();
    for tree in trees {
        let r = DirectoryResolver::walk(&tree, &WalkOptions::default()).unwrap();
        let inv = catalog(&r, &all, &CatalogOptions::default());
        let label = tree.display().to_string();
        assert!(
            inv.unparsed().is_empty(),
            "{label}: unparsed {:#?}",
            inv.unparsed()
        );
        eprintln!(
            "{label}: {} packages, {} edges",
            inv.len(),
            inv.edges().count()
        );
        check_round_trip(&label, &inv);
    }
}

/// Which cataloger reads a corpus fixture, by its folder (fixture names are not real file names).
fn cataloger_for(rel: &str) -> Option<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.contains("LICENSE") || name.ends_with(".md") {
        return None;
    }
    if rel.starts_with("cargo/") && (name.ends_with(".lock") || name.starts_with("Cargo.lock")) {
        return Some("cargo-lock");
    }
    if rel.starts_with("go/") && name.ends_with(".mod") {
        return Some("go-mod");
    }
    if rel.starts_with("npm/")
        && (name == "package-lock.json"
            || name == "npm-shrinkwrap.json"
            || rel.contains("/osv-scanner-v1/npm/")
            || rel.contains("/javascript-packagelockjson/"))
        && name.ends_with(".json")
    {
        return Some("npm-package-lock");
    }
    if rel.contains("/pip/") || rel.contains("/python-requirements/") {
        return name.ends_with(".txt").then_some("python-requirements");
    }
    if rel.contains("/poetry/") || rel.contains("/python-poetrylock/") {
        return name.ends_with(".lock").then_some("python-poetry-lock");
    }
    if rel.contains("/python-uvlock/") {
        return name.ends_with(".lock").then_some("python-uv-lock");
    }
    None
}

fn walk_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn lockfile_fixtures_give_valid_sboms() {
    let Some(corpus) = corpus() else { return };
    let root = corpus.join("lockfiles");
    let mut files = Vec::new();
    for eco in ["cargo", "go", "npm", "pypi"] {
        walk_files(&root.join(eco), &mut files);
    }
    files.sort();
    let (mut checked, mut unparsed, mut packages) = (0, 0, 0);
    for f in files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(name) = cataloger_for(&rel) else {
            continue;
        };
        let r = DirectoryResolver::single_file(&f, &WalkOptions::default()).unwrap();
        let opts = CatalogOptions {
            ignore_file_names: true,
            ..CatalogOptions::default()
        };
        let inv = catalog(&r, &registry::select(&[name.to_string()]), &opts);
        checked += 1;
        packages += inv.len();
        if !inv.unparsed().is_empty() {
            unparsed += 1;
            // Parse failures must name the file.
            for u in inv.unparsed() {
                assert!(!u.location.path.is_empty(), "{rel}: {u:?}");
            }
        }
        check_round_trip(&rel, &inv);
    }
    eprintln!("{checked} fixtures, {packages} packages, {unparsed} reported unparsable");
    assert!(checked > 100, "only {checked} fixtures matched");
}
