//! `poetry.lock`, lock versions 1.x and 2.x.
//!
//! * Each `[[package]]` is a package (location: the line of its `name`).
//! * Hashes: 1.x `[metadata.files]` (keyed by package name, matched by normalized name; if a
//!   name is locked in several versions each gets every listed file's hash, since 1.x does
//!   not say which file belongs to which version) and 2.x inline `files = [{file, hash}]`.
//! * Scope: `category = "dev"` (1.x) or `groups` without `main` (2.1+) → dev; otherwise
//!   `optional = true` → optional; else runtime. Lock 2.0 records neither category nor
//!   groups: then, when a sibling `pyproject.toml` names the direct dependencies, scopes are
//!   computed by reachability from them (see [`super::reach`]).
//! * Edges: `[package.dependencies]` (string, table, or array-of-tables values) resolved by
//!   normalized name within the lock. When a name is locked in several versions (chosen by
//!   markers), an edge goes to **every** locked version: markers are not evaluated.
//!   Dependencies that are not locked (unused extras) get no edge.
//! * `[package.source]`: `git` → `git+<url>@<resolved_reference|reference>`, `url`, `file`,
//!   `directory`, `legacy` → the url/path, in [`Package::source`], with
//!   `chainproof:python:source-type`. The purl stays `pkg:pypi/...`.
//! * If `pyproject.toml` sits beside the lock and names the project (`[project]` or
//!   `[tool.poetry]`), that project is added as a [`PackageKind::Project`] root with edges to
//!   its declared dependencies (all groups) found in the lock. A `pyproject.toml` that
//!   cannot be parsed is reported as [`Unparsed`]; the lock is still cataloged.

use std::collections::BTreeMap;

use chainproof_core::{Inventory, Location, PackageKind, Scope, Unparsed};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use serde::Deserialize;
use toml::Spanned;

use super::{
    P_CATEGORY, P_EDITABLE, P_GROUPS, P_MARKER, P_SOURCE_TYPE, add_hash, normalize_name,
    pypi_package, pyproject, reach,
};
use crate::util::{LineIndex, line_of};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads `poetry.lock` (and the `pyproject.toml` beside it for the root project).
pub struct PoetryLockCataloger;

const NAME: &str = "python-poetry-lock";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<LockPackage>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    files: BTreeMap<String, Vec<LockFile>>,
}

#[derive(Deserialize)]
struct LockFile {
    hash: Option<String>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: Spanned<String>,
    version: Option<String>,
    category: Option<String>,
    #[serde(default)]
    optional: bool,
    groups: Option<Vec<String>>,
    markers: Option<toml::Value>,
    #[serde(default)]
    files: Vec<LockFile>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
    source: Option<Source>,
    #[serde(default)]
    develop: bool,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    ty: Option<String>,
    url: Option<String>,
    reference: Option<String>,
    resolved_reference: Option<String>,
    subdirectory: Option<String>,
}

impl Source {
    fn describe(&self) -> Option<String> {
        let url = self.url.as_deref()?;
        let mut s = match self.ty.as_deref() {
            Some("git") => {
                let mut s = format!("git+{url}");
                if let Some(r) = self.resolved_reference.as_ref().or(self.reference.as_ref()) {
                    s.push('@');
                    s.push_str(r);
                }
                s
            }
            _ => url.to_string(),
        };
        if let Some(sub) = &self.subdirectory {
            s.push_str("#subdirectory=");
            s.push_str(sub);
        }
        Some(s)
    }
}

/// A marker value: a string, or (lock 2.1) a table of markers per group.
fn marker_text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Table(t) => {
            let parts: Vec<String> = t
                .iter()
                .filter_map(|(g, m)| m.as_str().map(|m| format!("{g}: {m}")))
                .collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        _ => None,
    }
}

/// Whether a `[package.dependencies]` value marks the dependency optional (any of its
/// alternatives, for the array form).
fn dependency_optional(v: &toml::Value) -> bool {
    match v {
        toml::Value::Table(t) => t.get("optional").and_then(toml::Value::as_bool) == Some(true),
        toml::Value::Array(a) => a.iter().any(dependency_optional),
        _ => false,
    }
}

static INFO: CatalogerInfo = CatalogerInfo {
    name: NAME,
    ecosystem: "PyPI",
    files: "`poetry.lock` v1, v2 (+ `pyproject.toml` beside it for the root)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

impl Cataloger for PoetryLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "poetry.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let lock: Lock = toml::from_str(&text).map_err(|e| CatalogError::toml(path, &text, &e))?;

        let mut v1_hashes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(meta) = &lock.metadata {
            for (name, files) in &meta.files {
                v1_hashes
                    .entry(normalize_name(name))
                    .or_default()
                    .extend(files.iter().filter_map(|f| f.hash.clone()));
            }
        }

        let lines = LineIndex::new(&text);
        let mut inv = Inventory::default();
        let mut ids = Vec::with_capacity(lock.package.len());
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut has_scope_info = false;
        for (i, p) in lock.package.iter().enumerate() {
            let name = p.name.get_ref();
            let line = lines.line(p.name.span().start);
            let mut pkg = pypi_package(name, p.version.as_deref())
                .with_location(Location::new(path).with_line(line));
            let groups = p.groups.as_ref().filter(|g| !g.is_empty());
            has_scope_info |= groups.is_some() || p.category.is_some();
            let dev = match (groups, &p.category) {
                (Some(g), _) => !g.iter().any(|g| g == "main"),
                (None, Some(c)) => c == "dev",
                (None, None) => false,
            };
            pkg.scope = if dev {
                Scope::Dev
            } else if p.optional {
                Scope::Optional
            } else {
                Scope::Runtime
            };
            if let Some(g) = groups {
                pkg.properties.insert(P_GROUPS.into(), g.join(","));
            }
            if let Some(c) = &p.category {
                pkg.properties.insert(P_CATEGORY.into(), c.clone());
            }
            if let Some(m) = p.markers.as_ref().and_then(marker_text) {
                pkg.properties.insert(P_MARKER.into(), m);
            }
            for h in p.files.iter().filter_map(|f| f.hash.as_deref()) {
                add_hash(&mut pkg, h);
            }
            let norm = normalize_name(name);
            for h in v1_hashes.get(&norm).into_iter().flatten() {
                add_hash(&mut pkg, h);
            }
            if let Some(src) = &p.source {
                pkg.source = src.describe();
                if let Some(t) = &src.ty {
                    pkg.properties.insert(P_SOURCE_TYPE.into(), t.clone());
                }
            }
            if p.develop {
                pkg.properties.insert(P_EDITABLE.into(), "true".into());
            }
            ids.push(inv.add_package(pkg));
            by_name.entry(norm).or_default().push(i);
        }

        let mut adjacency: Vec<Vec<(usize, Scope)>> = vec![Vec::new(); lock.package.len()];
        for (i, p) in lock.package.iter().enumerate() {
            for (dep, value) in &p.dependencies {
                let edge = if dependency_optional(value) {
                    Scope::Optional
                } else {
                    Scope::Runtime
                };
                for &t in by_name.get(&normalize_name(dep)).into_iter().flatten() {
                    inv.add_edge(ids[i], ids[t]);
                    adjacency[i].push((t, edge));
                }
            }
        }

        let pyproject_path = join_relative(parent_dir(path), "pyproject.toml");
        if let Some(pp) = pyproject_path.filter(|p| resolver.exists(p)) {
            let parsed = resolver
                .read_to_string(&pp)
                .map_err(CatalogError::from)
                .and_then(|t| match pyproject::parse(&t) {
                    Ok(p) => Ok(p.map(|p| {
                        let line = line_of(&t, p.name_offset);
                        (p, line)
                    })),
                    Err(e) => Err(CatalogError::toml(&pp, &t, &e)),
                });
            match parsed {
                Ok(Some((project, line))) => {
                    let root = pypi_package(&project.name, project.version.as_deref())
                        .with_kind(PackageKind::Project)
                        .with_location(Location::new(pp.as_str()).with_line(line));
                    let root_id = inv.add_package(root);
                    inv.add_root(root_id);
                    let mut seeds = Vec::new();
                    for (dep, scope) in &project.dependencies {
                        for &t in by_name.get(dep).into_iter().flatten() {
                            inv.add_edge(root_id, ids[t]);
                            seeds.push((t, *scope));
                        }
                    }
                    if !has_scope_info {
                        let reached = reach(lock.package.len(), &seeds, &adjacency);
                        for (i, r) in reached.into_iter().enumerate() {
                            if let Some(s) = r {
                                let pkg = inv.package_mut(ids[i]);
                                pkg.scope = if lock.package[i].optional {
                                    s.max(Scope::Optional)
                                } else {
                                    s
                                };
                            }
                        }
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    let mut location = Location::new(pp.as_str());
                    location.line = e.line;
                    inv.add_unparsed(Unparsed {
                        location,
                        cataloger: NAME.to_string(),
                        error: e.to_string(),
                    });
                }
            }
        }
        Ok(inv)
    }
}
