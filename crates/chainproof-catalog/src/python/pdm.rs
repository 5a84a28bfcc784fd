//! `pdm.lock` (PDM lock format 4.x).
//!
//! * Each `[[package]]` is a package (location: the line of its `name`); entries PDM writes
//!   per requested extra (`requests` with `extras = ["socks"]`) unify with the plain entry.
//! * Hashes: `files = [{file|url, hash}]` (`static_urls` locks write `url`; both read).
//! * Scope from `groups`: a package in `default` is runtime. Otherwise, when a
//!   `pyproject.toml` beside the lock names the groups, a group of
//!   `[project.optional-dependencies]` is optional and a `[tool.pdm.dev-dependencies]` /
//!   `[dependency-groups]` group is dev. Groups it does not name (or with no pyproject) are
//!   dev when named like a development group (`dev*`, `test*`, `lint*`, `doc*`, `typing`,
//!   ...) and optional otherwise. The strongest group wins. Locks without `groups`
//!   (before `inherit_metadata`) are all runtime.
//! * Edges: `dependencies` are PEP 508 strings, resolved by normalized name to every locked
//!   package of that name (markers are not evaluated).
//! * Sources: `git` + `revision` (else `ref`) → `git+<url>@<rev>`, `url`, `path` → the
//!   URL/path in [`chainproof_core::Package::source`], with `chainproof:python:source-type`;
//!   `editable = true` → `chainproof:python:editable`.
//! * Root: when `pyproject.toml` beside the lock names the project, it is a
//!   [`chainproof_core::PackageKind::Project`] root with edges to its declared dependencies
//!   found in the lock. Without one there is no root.

use std::collections::BTreeMap;

use chainproof_core::{Inventory, Location, Scope};
use chainproof_source::{FileResolver, file_name};
use serde::Deserialize;
use toml::Spanned;

use super::project::pyproject_root;
use super::pyproject::{Project, requirement_name};
use super::{
    P_EDITABLE, P_GROUPS, P_MARKER, P_SOURCE_TYPE, add_hash, normalize_name, pypi_package,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads `pdm.lock` (and the `pyproject.toml` beside it for the root and group kinds).
pub struct PdmLockCataloger;

const NAME: &str = "python-pdm-lock";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<PdmPackage>,
}

#[derive(Deserialize)]
struct PdmPackage {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    dependencies: Vec<String>,
    #[serde(default)]
    files: Vec<PdmFile>,
    marker: Option<String>,
    git: Option<String>,
    revision: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    editable: bool,
    subdirectory: Option<String>,
}

#[derive(Deserialize)]
struct PdmFile {
    hash: Option<String>,
}

static INFO: CatalogerInfo = CatalogerInfo {
    name: NAME,
    ecosystem: "PyPI",
    files: "`pdm.lock` 4.x (+ `pyproject.toml` beside it for the root and group kinds)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

/// Whether a group name reads like a development group.
fn dev_like(group: &str) -> bool {
    const PREFIXES: [&str; 9] = [
        "dev", "test", "lint", "doc", "typ", "check", "format", "bench", "ci",
    ];
    let g = group.to_ascii_lowercase();
    PREFIXES.iter().any(|p| g.starts_with(p)) || g == "style" || g == "qa"
}

fn group_scope(group: &str, project: Option<&Project>) -> Scope {
    if group == "default" {
        return Scope::Runtime;
    }
    if let Some(p) = project {
        if p.optional_groups.iter().any(|g| g == group) {
            return Scope::Optional;
        }
        if p.dev_groups.iter().any(|g| g == group) {
            return Scope::Dev;
        }
    }
    if dev_like(group) {
        Scope::Dev
    } else {
        Scope::Optional
    }
}

impl Cataloger for PdmLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "pdm.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let lock: Lock = toml::from_str(&text).map_err(|e| CatalogError::toml(path, &text, &e))?;
        let mut inv = Inventory::default();
        let root = pyproject_root(resolver, path, &mut inv, NAME);
        let project = root.as_ref().map(|(_, p)| p);

        let mut ids = Vec::with_capacity(lock.package.len());
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let lines = crate::util::LineIndex::new(&text);
        for (i, p) in lock.package.iter().enumerate() {
            let name = p.name.get_ref();
            let line = lines.line(p.name.span().start);
            let mut pkg = pypi_package(name, p.version.as_deref())
                .with_location(Location::new(path).with_line(line));
            pkg.scope = p
                .groups
                .iter()
                .map(|g| group_scope(g, project))
                .min()
                .unwrap_or(Scope::Runtime);
            if !p.groups.is_empty() {
                pkg.properties.insert(P_GROUPS.into(), p.groups.join(","));
            }
            if let Some(m) = &p.marker {
                pkg.properties.insert(P_MARKER.into(), m.clone());
            }
            for h in p.files.iter().filter_map(|f| f.hash.as_deref()) {
                add_hash(&mut pkg, h);
            }
            let source = if let Some(git) = &p.git {
                let mut s = format!("git+{git}");
                if let Some(r) = p.revision.as_ref().or(p.reference.as_ref()) {
                    s.push('@');
                    s.push_str(r);
                }
                Some(("git", s))
            } else if let Some(u) = &p.url {
                Some(("url", u.clone()))
            } else {
                p.path.as_ref().map(|x| ("path", x.clone()))
            };
            if let Some((kind, mut s)) = source {
                if let Some(sub) = &p.subdirectory {
                    s.push_str("#subdirectory=");
                    s.push_str(sub);
                }
                pkg.source = Some(s);
                pkg.properties.insert(P_SOURCE_TYPE.into(), kind.into());
            }
            if p.editable {
                pkg.properties.insert(P_EDITABLE.into(), "true".into());
            }
            ids.push(inv.add_package(pkg));
            by_name.entry(normalize_name(name)).or_default().push(i);
        }

        for (i, p) in lock.package.iter().enumerate() {
            for dep in p.dependencies.iter().filter_map(|d| requirement_name(d)) {
                for &t in by_name.get(&dep).into_iter().flatten() {
                    inv.add_edge(ids[i], ids[t]);
                }
            }
        }

        if let Some((root_pkg, project)) = root {
            let root_id = inv.add_package(root_pkg);
            inv.add_root(root_id);
            for (dep, _) in &project.dependencies {
                for &t in by_name.get(dep).into_iter().flatten() {
                    inv.add_edge(root_id, ids[t]);
                }
            }
        }
        Ok(inv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_scopes() {
        assert_eq!(group_scope("default", None), Scope::Runtime);
        assert_eq!(group_scope("dev", None), Scope::Dev);
        assert_eq!(group_scope("Testing", None), Scope::Dev);
        assert_eq!(group_scope("socks", None), Scope::Optional);
        let p = super::super::pyproject::parse(
            "[project]\nname = \"x\"\n[project.optional-dependencies]\ndev = [\"a\"]\n\
             [tool.pdm.dev-dependencies]\nextra = [\"b\"]\n",
        )
        .expect("valid")
        .expect("project");
        assert_eq!(group_scope("dev", Some(&p)), Scope::Optional);
        assert_eq!(group_scope("extra", Some(&p)), Scope::Dev);
    }
}
