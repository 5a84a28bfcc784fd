//! `packages.lock.json` (NuGet lock file, format versions 1 and 2).
//!
//! `dependencies` maps each target framework (`net6.0`, or `net6.0/win-x64` for a runtime)
//! to entries `name → {type, requested, resolved, contentHash, dependencies}`. Entries of
//! the same package in several frameworks are one package listing all its frameworks in
//! [`PROP_FRAMEWORKS`]. Dependency names are resolved, case-insensitively, within the
//! entry's own framework section.

use std::collections::{BTreeMap, HashMap};

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageId, PackageKind};
use chainproof_source::{FileResolver, file_name, parent_dir};
use serde::Deserialize;

use super::{
    PROP_REQUESTED, PROP_TYPE, PROP_UNRESOLVED, add_framework, nuget_package, project_root,
    sha512_base64,
};
use crate::jsonpos::{object_lines, pointer};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads NuGet `packages.lock.json` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct PackagesLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "nuget-packages-lock",
    ecosystem: "NuGet",
    files: "`packages.lock.json` v1–v2",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for PackagesLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "packages.lock.json"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let root = project_root(resolver, parent_dir(path), path);
        parse_packages_lock(path, &text, root)
    }
}

#[derive(Debug, Deserialize)]
struct RawLock {
    #[serde(default)]
    dependencies: BTreeMap<String, BTreeMap<String, RawEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    #[serde(rename = "type")]
    ty: Option<String>,
    requested: Option<String>,
    resolved: Option<String>,
    content_hash: Option<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
}

/// Parses the text of a `packages.lock.json`; `root` is the project it belongs to.
pub fn parse_packages_lock(
    path: &str,
    text: &str,
    root: Package,
) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let raw: RawLock = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let lines = object_lines(text);
    let root_id = inv.add_package(root);
    inv.add_root(root_id);

    for (framework, entries) in &raw.dependencies {
        let fw_ptr = pointer("/dependencies", framework);
        let mut by_name: HashMap<String, PackageId> = HashMap::new();
        for (name, entry) in entries {
            let ptr = pointer(&fw_ptr, name);
            let line = lines.get(&ptr).copied();
            let ty = entry.ty.as_deref().unwrap_or("");
            let pkg = if ty.eq_ignore_ascii_case("Project") {
                let mut loc = Location::new(path);
                if let Some(l) = line {
                    loc = loc.with_line(l);
                }
                Package::new(Ecosystem::NuGet, name.as_str(), entry.resolved.as_deref())
                    .with_kind(PackageKind::Project)
                    .with_location(loc)
            } else {
                let Some(version) = entry.resolved.as_deref().filter(|v| !v.is_empty()) else {
                    let err =
                        CatalogError::new(path, format!("`{name}` has no `resolved` version"))
                            .at_pointer(ptr);
                    return Err(match line {
                        Some(l) => err.at_line(l),
                        None => err,
                    });
                };
                let mut pkg = nuget_package(path, name, Some(version), line)?;
                if let Some(h) = entry.content_hash.as_deref().and_then(sha512_base64) {
                    pkg = pkg.with_hash(h);
                }
                pkg
            };
            let id = inv.add_package(pkg);
            let p = inv.package_mut(id);
            add_framework(p, framework);
            if !ty.is_empty() {
                p.properties
                    .entry(PROP_TYPE.to_string())
                    .or_insert_with(|| ty.to_string());
            }
            if let Some(r) = &entry.requested {
                p.properties
                    .entry(PROP_REQUESTED.to_string())
                    .or_insert_with(|| r.clone());
            }
            by_name.insert(name.to_lowercase(), id);
            if ty.eq_ignore_ascii_case("Direct") || ty.eq_ignore_ascii_case("Project") {
                inv.add_edge(root_id, id);
            }
        }
        for (name, entry) in entries {
            let Some(&from) = by_name.get(&name.to_lowercase()) else {
                continue;
            };
            let mut unresolved = Vec::new();
            for dep in entry.dependencies.keys() {
                match by_name.get(&dep.to_lowercase()) {
                    Some(&to) => inv.add_edge(from, to),
                    None => unresolved.push(dep.as_str()),
                }
            }
            if !unresolved.is_empty() {
                add_unresolved(inv.package_mut(from), &unresolved);
            }
        }
    }
    Ok(inv)
}

/// Appends names to [`PROP_UNRESOLVED`], keeping the list sorted and unique.
pub(crate) fn add_unresolved(pkg: &mut Package, names: &[&str]) {
    let entry = pkg
        .properties
        .entry(PROP_UNRESOLVED.to_string())
        .or_default();
    let mut all: Vec<String> = entry
        .split(", ")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    for n in names {
        if !all.iter().any(|a| a == n) {
            all.push((*n).to_string());
        }
    }
    all.sort();
    *entry = all.join(", ");
}
