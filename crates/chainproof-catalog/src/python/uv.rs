//! `uv.lock` (lock `version = 1`, any `revision`).
//!
//! * Each `[[package]]` is a package (location: the line of its `name`), with the `sha256`
//!   hashes of its `sdist` and every `wheels` entry.
//! * `source`: `registry` → the index URL; `git` → `git+<url>` (uv writes the commit after
//!   `#`); `url`, `path`, `directory`, `editable`, `virtual` → the URL/path; kept in
//!   [`Package::source`] with `chainproof:python:source-type`. The purl is always
//!   `pkg:pypi/<name>@<version>` (without version when uv records none, e.g. a virtual
//!   project with a dynamic version).
//! * Roots ([`PackageKind::Project`]): packages whose source is `editable = "."` or
//!   `virtual = "."`, and the `[manifest] members` of a workspace.
//! * Edges from `dependencies`, every `optional-dependencies` extra and every
//!   `dev-dependencies` group, resolved by normalized name; when a name is locked more than
//!   once, the entry's `version` and `source` pick the right one(s) (if they match nothing,
//!   every candidate is linked).
//! * Scope by reachability from the roots: `dependencies` keep the parent's scope, an extra
//!   (`optional-dependencies`) is optional unless a dependency entry requests it with
//!   `extra = [...]` (then it has that entry's scope), `dev-dependencies` are dev; the
//!   strongest path wins. Packages no root reaches (or all packages, in a lock without
//!   roots) stay runtime.

use std::collections::BTreeMap;

use chainproof_core::{Inventory, Location, PackageKind, Scope};
use chainproof_source::{FileResolver, file_name};
use serde::Deserialize;
use toml::Spanned;

use super::{P_EDITABLE, P_SOURCE_TYPE, add_hash, normalize_name, pypi_package, reach};
use crate::util::LineIndex;
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads `uv.lock`.
pub struct UvLockCataloger;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<UvPackage>,
    manifest: Option<Manifest>,
}

#[derive(Deserialize)]
struct Manifest {
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Deserialize)]
struct UvPackage {
    name: Spanned<String>,
    version: Option<String>,
    source: Option<UvSource>,
    #[serde(default)]
    dependencies: Vec<UvDep>,
    #[serde(rename = "optional-dependencies", default)]
    optional_dependencies: BTreeMap<String, Vec<UvDep>>,
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: BTreeMap<String, Vec<UvDep>>,
    sdist: Option<UvFile>,
    #[serde(default)]
    wheels: Vec<UvFile>,
}

#[derive(Deserialize, Default, PartialEq, Eq)]
struct UvSource {
    registry: Option<String>,
    git: Option<String>,
    url: Option<String>,
    path: Option<String>,
    directory: Option<String>,
    editable: Option<String>,
    #[serde(rename = "virtual")]
    virtual_: Option<String>,
}

impl UvSource {
    /// `(kind, value)` of the one key that is set.
    fn kind(&self) -> Option<(&'static str, &str)> {
        [
            ("registry", &self.registry),
            ("git", &self.git),
            ("url", &self.url),
            ("path", &self.path),
            ("directory", &self.directory),
            ("editable", &self.editable),
            ("virtual", &self.virtual_),
        ]
        .into_iter()
        .find_map(|(k, v)| v.as_deref().map(|v| (k, v)))
    }

    fn is_project_root(&self) -> bool {
        self.editable.as_deref() == Some(".") || self.virtual_.as_deref() == Some(".")
    }
}

#[derive(Deserialize)]
struct UvDep {
    name: String,
    version: Option<String>,
    source: Option<UvSource>,
    #[serde(default)]
    extra: Vec<String>,
}

#[derive(Deserialize)]
struct UvFile {
    hash: Option<String>,
}

static INFO: CatalogerInfo = CatalogerInfo {
    name: "python-uv-lock",
    ecosystem: "PyPI",
    files: "`uv.lock`",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

impl Cataloger for UvLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "uv.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let lock: Lock = toml::from_str(&text).map_err(|e| CatalogError::toml(path, &text, &e))?;
        let pkgs = &lock.package;
        let members: Vec<String> = lock
            .manifest
            .iter()
            .flat_map(|m| m.members.iter().map(|n| normalize_name(n)))
            .collect();

        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in pkgs.iter().enumerate() {
            by_name
                .entry(normalize_name(p.name.get_ref()))
                .or_default()
                .push(i);
        }
        let resolve = |d: &UvDep| -> Vec<usize> {
            let all = by_name
                .get(&normalize_name(&d.name))
                .cloned()
                .unwrap_or_default();
            if all.len() < 2 {
                return all;
            }
            let picked: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| d.version.is_none() || pkgs[i].version == d.version)
                .filter(|&i| d.source.is_none() || pkgs[i].source == d.source)
                .collect();
            if picked.is_empty() { all } else { picked }
        };

        let lines = LineIndex::new(&text);
        let mut inv = Inventory::default();
        let mut ids = Vec::with_capacity(pkgs.len());
        let mut roots = Vec::new();
        for (i, p) in pkgs.iter().enumerate() {
            let name = p.name.get_ref();
            let line = lines.line(p.name.span().start);
            let mut pkg = pypi_package(name, p.version.as_deref())
                .with_location(Location::new(path).with_line(line));
            for h in p
                .sdist
                .iter()
                .chain(&p.wheels)
                .filter_map(|f| f.hash.as_deref())
            {
                add_hash(&mut pkg, h);
            }
            if let Some((kind, value)) = p.source.as_ref().and_then(UvSource::kind) {
                pkg.source = Some(match kind {
                    "git" => format!("git+{value}"),
                    _ => value.to_string(),
                });
                pkg.properties.insert(P_SOURCE_TYPE.into(), kind.into());
                if kind == "editable" {
                    pkg.properties.insert(P_EDITABLE.into(), "true".into());
                }
            }
            let is_root = p.source.as_ref().is_some_and(UvSource::is_project_root)
                || members.contains(&normalize_name(name));
            if is_root {
                pkg.kind = PackageKind::Project;
                roots.push(i);
            }
            ids.push(inv.add_package(pkg));
        }

        // Reachability graph: node i = package i; nodes from pkgs.len() on = (package, extra).
        let mut extra_node: BTreeMap<(usize, &str), usize> = BTreeMap::new();
        for (i, p) in pkgs.iter().enumerate() {
            for e in p.optional_dependencies.keys() {
                let id = pkgs.len() + extra_node.len();
                extra_node.insert((i, e.as_str()), id);
            }
        }
        let nodes = pkgs.len() + extra_node.len();
        let mut adjacency: Vec<Vec<(usize, Scope)>> = vec![Vec::new(); nodes];
        let mut link = |inv: &mut Inventory, from_pkg: usize, from_node: usize, d: &UvDep, s| {
            for t in resolve(d) {
                inv.add_edge(ids[from_pkg], ids[t]);
                adjacency[from_node].push((t, s));
                for e in &d.extra {
                    if let Some(&n) = extra_node.get(&(t, e.as_str())) {
                        adjacency[from_node].push((n, s));
                    }
                }
            }
        };
        for (i, p) in pkgs.iter().enumerate() {
            for d in &p.dependencies {
                link(&mut inv, i, i, d, Scope::Runtime);
            }
            for (e, deps) in &p.optional_dependencies {
                let n = extra_node[&(i, e.as_str())];
                for d in deps {
                    link(&mut inv, i, n, d, Scope::Runtime);
                }
            }
            for deps in p.dev_dependencies.values() {
                for d in deps {
                    link(&mut inv, i, i, d, Scope::Dev);
                }
            }
        }
        for (&(i, _), &n) in &extra_node {
            adjacency[i].push((n, Scope::Optional));
        }

        let seeds: Vec<(usize, Scope)> = roots.iter().map(|&r| (r, Scope::Runtime)).collect();
        let reached = reach(nodes, &seeds, &adjacency);
        for (i, &id) in ids.iter().enumerate() {
            if let Some(s) = reached[i] {
                inv.package_mut(id).scope = s;
            }
        }
        for r in roots {
            inv.add_root(ids[r]);
        }
        Ok(inv)
    }
}
