//! `project.assets.json`: the restore graph NuGet writes to `obj/`.
//!
//! `targets` and `libraries` have the shape of a `*.deps.json` (see `deps.rs`). The project
//! itself is the root: its direct dependencies are `projectFileDependencyGroups` (which also
//! lists project references) and `project.frameworks.*.dependencies`. A direct dependency
//! with `suppressParent: All` (`PrivateAssets="all"`, an analyzer or build tool) is dev,
//! and so is everything reachable only through dev dependencies.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use chainproof_core::{Inventory, Package, PackageId, Scope};
use chainproof_source::{FileResolver, file_name, parent_dir};
use serde::Deserialize;

use super::deps::{RawLibrary, RawTarget, build, split_key};
use super::project_root;
use crate::jsonpos::object_lines;
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads `project.assets.json` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProjectAssetsCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "nuget-project-assets",
    ecosystem: "NuGet",
    files: "`project.assets.json`",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

impl Cataloger for ProjectAssetsCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "project.assets.json"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        // The file lives in `<project dir>/obj/`.
        let dir = parent_dir(path);
        let project_dir = if file_name(dir) == "obj" {
            parent_dir(dir)
        } else {
            dir
        };
        let root = project_root(resolver, project_dir, path);
        parse_project_assets(path, &text, root)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAssets {
    #[serde(default)]
    targets: BTreeMap<String, BTreeMap<String, RawTarget>>,
    #[serde(default)]
    libraries: BTreeMap<String, RawLibrary>,
    #[serde(default)]
    project_file_dependency_groups: BTreeMap<String, Vec<String>>,
    project: Option<RawProject>,
}

#[derive(Debug, Deserialize)]
struct RawProject {
    #[serde(default)]
    frameworks: BTreeMap<String, RawFramework>,
}

#[derive(Debug, Deserialize)]
struct RawFramework {
    #[serde(default)]
    dependencies: BTreeMap<String, RawProjectDep>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProjectDep {
    suppress_parent: Option<String>,
}

/// Parses the text of a `project.assets.json`; `root` is the project it belongs to.
pub fn parse_project_assets(
    path: &str,
    text: &str,
    root: Package,
) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let raw: RawAssets = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let lines = object_lines(text);
    let root_id = inv.add_package(root);
    inv.add_root(root_id);
    let ids = build(path, &lines, &raw.libraries, &raw.targets, &mut inv)?;

    // Package name (lower case) → every id of that name.
    let mut by_name: HashMap<String, Vec<PackageId>> = HashMap::new();
    for (key, &id) in &ids {
        if let Some((name, _)) = split_key(key) {
            by_name.entry(name.to_string()).or_default().push(id);
        }
    }
    // Direct dependencies: name → dev?
    let mut direct: BTreeMap<String, bool> = BTreeMap::new();
    for group in raw.project_file_dependency_groups.values() {
        for spec in group {
            if let Some(name) = spec.split_whitespace().next() {
                direct.entry(name.to_lowercase()).or_insert(false);
            }
        }
    }
    let mut dev_names: HashMap<String, bool> = HashMap::new();
    if let Some(project) = &raw.project {
        for fw in project.frameworks.values() {
            for (name, dep) in &fw.dependencies {
                let dev = dep
                    .suppress_parent
                    .as_deref()
                    .is_some_and(|s| s.split(',').any(|p| p.trim().eq_ignore_ascii_case("all")));
                // Dev only if private in every framework that lists it.
                let e = dev_names.entry(name.to_lowercase()).or_insert(true);
                *e = *e && dev;
            }
        }
    }
    for (name, dev) in dev_names {
        direct.insert(name, dev);
    }
    let mut runtime_direct = Vec::new();
    let mut dev_direct = Vec::new();
    for (name, dev) in &direct {
        for &id in by_name.get(name).map(Vec::as_slice).unwrap_or(&[]) {
            inv.add_edge(root_id, id);
            if *dev {
                dev_direct.push(id);
            } else {
                runtime_direct.push(id);
            }
        }
    }
    let runtime = reachable(&inv, &runtime_direct);
    for id in reachable(&inv, &dev_direct) {
        if !runtime.contains(&id) {
            inv.package_mut(id).scope = Scope::Dev;
        }
    }
    Ok(inv)
}

/// Every package reachable from `start` (included).
pub(crate) fn reachable(inv: &Inventory, start: &[PackageId]) -> HashSet<PackageId> {
    let mut seen: HashSet<PackageId> = start.iter().copied().collect();
    let mut queue: VecDeque<PackageId> = start.iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        for d in inv.dependencies_of(id) {
            if seen.insert(d) {
                queue.push_back(d);
            }
        }
    }
    seen
}
