//! `*.deps.json`: the dependency manifest .NET writes next to a built application.
//!
//! `libraries` lists every `Name/Version` with its `type` (`package`, `project`,
//! `reference`, ...) and `sha512`; `targets` lists, per target framework (and runtime), the
//! same keys with their `dependencies` (`name → version`). Edges come from `targets`;
//! `project` libraries are [`PackageKind::Project`] packages (without purl), and those no
//! other library depends on are the roots. A key that is not `Name/Version` cannot name a
//! package: it is skipped and reported as [`chainproof_core::Unparsed`] with its line.

use std::collections::{BTreeMap, HashMap, HashSet};

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageId, PackageKind, Unparsed};
use chainproof_source::{FileResolver, file_name};
use serde::Deserialize;

use super::lockjson::add_unresolved;
use super::{PROP_TYPE, add_framework, nuget_package, sha512_base64};
use crate::jsonpos::{object_lines, pointer};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads `*.deps.json` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct DepsJsonCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "dotnet-deps-json",
    ecosystem: "NuGet",
    files: "`*.deps.json`",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for DepsJsonCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        let f = file_name(path);
        f.len() > ".deps.json".len() && f.ends_with(".deps.json")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_deps_json(path, &text)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDeps {
    runtime_target: Option<RawRuntimeTarget>,
    #[serde(default)]
    targets: BTreeMap<String, BTreeMap<String, RawTarget>>,
    #[serde(default)]
    libraries: BTreeMap<String, RawLibrary>,
}

#[derive(Debug, Deserialize)]
struct RawRuntimeTarget {
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawTarget {
    #[serde(rename = "type")]
    pub ty: Option<String>,
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RawLibrary {
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub sha512: Option<String>,
}

/// `Name/Version` → (name, version).
pub(super) fn split_key(key: &str) -> Option<(&str, &str)> {
    let (n, v) = key.split_once('/')?;
    (!n.is_empty() && !v.is_empty() && !v.contains('/')).then_some((n, v))
}

/// Builds packages and edges from `libraries` and `targets` maps (shared with
/// `project.assets.json`, whose shape is the same). Returns the ids by lower-cased key.
pub(super) fn build(
    path: &str,
    lines: &HashMap<String, u32>,
    libraries: &BTreeMap<String, RawLibrary>,
    targets: &BTreeMap<String, BTreeMap<String, RawTarget>>,
    inv: &mut Inventory,
) -> Result<HashMap<String, PackageId>, CatalogError> {
    let mut ids: HashMap<String, PackageId> = HashMap::new();
    let add = |inv: &mut Inventory,
               ids: &mut HashMap<String, PackageId>,
               key: &str,
               ty: Option<&str>,
               sha: Option<&str>,
               ptr: String|
     -> Result<Option<PackageId>, CatalogError> {
        let line = lines.get(&ptr).copied();
        let Some((name, version)) = split_key(key) else {
            let mut loc = Location::new(path);
            if let Some(l) = line {
                loc = loc.with_line(l);
            }
            inv.add_unparsed(Unparsed {
                location: loc,
                cataloger: INFO.name.to_string(),
                error: format!("{path}: `{key}` (at {ptr}) is not `Name/Version`; skipped"),
            });
            return Ok(None);
        };
        let pkg = if ty.is_some_and(|t| t.eq_ignore_ascii_case("project")) {
            let mut loc = Location::new(path);
            if let Some(l) = line {
                loc = loc.with_line(l);
            }
            Package::new(Ecosystem::NuGet, name, Some(version))
                .with_kind(PackageKind::Project)
                .with_location(loc)
        } else {
            let mut p = nuget_package(path, name, Some(version), line)?;
            if let Some(h) = sha.and_then(sha512_base64) {
                p = p.with_hash(h);
            }
            if let Some(t) = ty.filter(|t| !t.eq_ignore_ascii_case("package")) {
                p = p.with_property(PROP_TYPE, t);
            }
            p
        };
        let id = inv.add_package(pkg);
        ids.insert(key.to_lowercase(), id);
        Ok(Some(id))
    };
    let mut seen_unparsed: HashSet<String> = HashSet::new();
    for (key, lib) in libraries {
        let ptr = pointer("/libraries", key);
        if add(
            inv,
            &mut ids,
            key,
            lib.ty.as_deref(),
            lib.sha512.as_deref(),
            ptr,
        )?
        .is_none()
        {
            seen_unparsed.insert(key.to_lowercase());
        }
    }
    // Entries of `targets` missing from `libraries` are packages too.
    for (framework, entries) in targets {
        for (key, entry) in entries {
            let lower = key.to_lowercase();
            if ids.contains_key(&lower) || seen_unparsed.contains(&lower) {
                continue;
            }
            let ptr = pointer(&pointer("/targets", framework), key);
            if add(inv, &mut ids, key, entry.ty.as_deref(), None, ptr)?.is_none() {
                seen_unparsed.insert(lower);
            }
        }
    }
    for (framework, entries) in targets {
        for (key, entry) in entries {
            let Some(&from) = ids.get(&key.to_lowercase()) else {
                continue;
            };
            add_framework(inv.package_mut(from), framework);
            let mut unresolved = Vec::new();
            for (dep, version) in &entry.dependencies {
                let k = format!("{dep}/{version}").to_lowercase();
                match ids.get(&k) {
                    Some(&to) => inv.add_edge(from, to),
                    None => unresolved.push(format!("{dep}/{version}")),
                }
            }
            if !unresolved.is_empty() {
                let names: Vec<&str> = unresolved.iter().map(String::as_str).collect();
                add_unresolved(inv.package_mut(from), &names);
            }
        }
    }
    Ok(ids)
}

/// Parses the text of a `*.deps.json`.
pub fn parse_deps_json(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let raw: RawDeps = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let lines = object_lines(text);
    // Only the runtime target's graph, when it is named and present.
    let mut targets = raw.targets;
    if let Some(rt) = raw.runtime_target.and_then(|r| r.name)
        && targets.contains_key(&rt)
    {
        targets.retain(|k, _| *k == rt);
    }
    build(path, &lines, &raw.libraries, &targets, &mut inv)?;
    // Roots: projects nothing depends on.
    let depended: HashSet<PackageId> = inv.edges().map(|(_, to)| to).collect();
    let roots: Vec<PackageId> = inv
        .packages()
        .filter(|(id, p)| p.kind == PackageKind::Project && !depended.contains(id))
        .map(|(id, _)| id)
        .collect();
    for r in roots {
        inv.add_root(r);
    }
    Ok(inv)
}
