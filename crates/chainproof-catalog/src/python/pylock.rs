//! `pylock.toml` and `pylock.<name>.toml` ([PEP 751](https://peps.python.org/pep-0751/),
//! `lock-version = "1.x"`).
//!
//! * `lock-version` is required and must have major version 1 (else an error at its line).
//! * Each `[[packages]]` is a package (location: the line of its `name`); `version` may be
//!   absent (then no version in the purl).
//! * Hashes: every `hashes = { <alg> = <hex> }` table of `sdist`, `wheels` and `archive`.
//! * Sources: `vcs` → `<type>+<url>@<commit-id>` (`requested-revision` when there is no
//!   commit), `directory` → its path (`editable` → `chainproof:python:editable`),
//!   `archive` → its URL or path; `index` → `chainproof:python:index`. With
//!   `chainproof:python:source-type`. `marker` → `chainproof:python:marker`.
//! * Edges: `dependencies = [{name, version?, ...}]`, resolved by normalized name (and
//!   `version` when a name is locked more than once). PEP 751 makes `dependencies`
//!   optional: a lock without them has no edges.
//! * Roots: packages whose `directory.path` is `.` (the project itself,
//!   [`chainproof_core::PackageKind::Project`]).
//! * Scope: every package is runtime. Markers that select packages by `extras` or
//!   `dependency_groups` are not evaluated; the lock's `created-by` is kept on the roots.

use std::collections::BTreeMap;

use chainproof_core::{Inventory, Location, PackageKind};
use chainproof_source::{FileResolver, file_name};
use serde::Deserialize;
use toml::Spanned;

use super::project::is_pylock_name;
use super::{
    P_CREATED_BY, P_EDITABLE, P_INDEX, P_MARKER, P_SOURCE_TYPE, add_hash, normalize_name,
    pypi_package,
};
use crate::util::line_of;
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads `pylock.toml` / `pylock.<name>.toml`.
pub struct PylockCataloger;

#[derive(Deserialize)]
struct Lock {
    #[serde(rename = "lock-version")]
    lock_version: Option<Spanned<String>>,
    #[serde(rename = "created-by")]
    created_by: Option<String>,
    #[serde(default)]
    packages: Vec<LockPackage>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: Spanned<String>,
    version: Option<String>,
    marker: Option<String>,
    dependencies: Option<Vec<Dependency>>,
    vcs: Option<Vcs>,
    directory: Option<Directory>,
    archive: Option<Artifact>,
    index: Option<String>,
    sdist: Option<Artifact>,
    #[serde(default)]
    wheels: Vec<Artifact>,
}

#[derive(Deserialize)]
struct Dependency {
    name: String,
    version: Option<String>,
}

#[derive(Deserialize)]
struct Vcs {
    #[serde(rename = "type")]
    ty: String,
    url: Option<String>,
    path: Option<String>,
    #[serde(rename = "requested-revision")]
    requested_revision: Option<String>,
    #[serde(rename = "commit-id")]
    commit_id: Option<String>,
    subdirectory: Option<String>,
}

#[derive(Deserialize)]
struct Directory {
    path: String,
    #[serde(default)]
    editable: bool,
    subdirectory: Option<String>,
}

#[derive(Deserialize)]
struct Artifact {
    url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    hashes: BTreeMap<String, String>,
}

static INFO: CatalogerInfo = CatalogerInfo {
    name: "python-pylock",
    ecosystem: "PyPI",
    files: "`pylock.toml`, `pylock.<name>.toml` (PEP 751, lock-version 1.x)",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: true,
};

fn with_subdirectory(mut s: String, sub: Option<&String>) -> String {
    if let Some(sub) = sub {
        s.push_str("#subdirectory=");
        s.push_str(sub);
    }
    s
}

/// `(source-type, source)` of a locked package.
fn source_of(p: &LockPackage) -> Option<(&'static str, String)> {
    if let Some(v) = &p.vcs {
        let loc = v.url.as_ref().or(v.path.as_ref())?;
        let mut s = format!("{}+{loc}", v.ty);
        if let Some(r) = v.commit_id.as_ref().or(v.requested_revision.as_ref()) {
            s.push('@');
            s.push_str(r);
        }
        return Some(("vcs", with_subdirectory(s, v.subdirectory.as_ref())));
    }
    if let Some(d) = &p.directory {
        return Some((
            "directory",
            with_subdirectory(d.path.clone(), d.subdirectory.as_ref()),
        ));
    }
    if let Some(a) = &p.archive {
        return Some(("archive", a.url.as_ref().or(a.path.as_ref())?.clone()));
    }
    None
}

impl Cataloger for PylockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        is_pylock_name(file_name(path))
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let lock: Lock = toml::from_str(&text).map_err(|e| CatalogError::toml(path, &text, &e))?;
        match &lock.lock_version {
            None => {
                return Err(
                    CatalogError::new(path, "missing required key `lock-version`")
                        .at_line(1)
                        .at_pointer("lock-version"),
                );
            }
            Some(v) if v.get_ref().split('.').next() != Some("1") => {
                return Err(CatalogError::new(
                    path,
                    format!("unsupported lock-version `{}` (expected 1.x)", v.get_ref()),
                )
                .at_line(line_of(&text, v.span().start))
                .at_pointer("lock-version"));
            }
            Some(_) => {}
        }

        let pkgs = &lock.packages;
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in pkgs.iter().enumerate() {
            by_name
                .entry(normalize_name(p.name.get_ref()))
                .or_default()
                .push(i);
        }
        let mut inv = Inventory::default();
        let mut ids = Vec::with_capacity(pkgs.len());
        let lines = crate::util::LineIndex::new(&text);
        for p in pkgs {
            let line = lines.line(p.name.span().start);
            let mut pkg = pypi_package(p.name.get_ref(), p.version.as_deref())
                .with_location(Location::new(path).with_line(line));
            for a in p.sdist.iter().chain(&p.wheels).chain(&p.archive) {
                for (alg, hex) in &a.hashes {
                    add_hash(&mut pkg, &format!("{alg}:{hex}"));
                }
            }
            if let Some(m) = &p.marker {
                pkg.properties.insert(P_MARKER.into(), m.clone());
            }
            if let Some(i) = &p.index {
                pkg.properties.insert(P_INDEX.into(), i.clone());
            }
            if let Some((kind, s)) = source_of(p) {
                pkg.source = Some(s);
                pkg.properties.insert(P_SOURCE_TYPE.into(), kind.into());
            }
            if p.directory.as_ref().is_some_and(|d| d.editable) {
                pkg.properties.insert(P_EDITABLE.into(), "true".into());
            }
            let is_root = p
                .directory
                .as_ref()
                .is_some_and(|d| d.path == "." || d.path == "./");
            if is_root {
                pkg.kind = PackageKind::Project;
                if let Some(c) = &lock.created_by {
                    pkg.properties.insert(P_CREATED_BY.into(), c.clone());
                }
            }
            let id = inv.add_package(pkg);
            if is_root {
                inv.add_root(id);
            }
            ids.push(id);
        }

        for (i, p) in pkgs.iter().enumerate() {
            for d in p.dependencies.iter().flatten() {
                let all = by_name
                    .get(&normalize_name(&d.name))
                    .map_or(&[][..], Vec::as_slice);
                let picked: Vec<usize> = all
                    .iter()
                    .copied()
                    .filter(|&t| d.version.is_none() || pkgs[t].version == d.version)
                    .collect();
                let targets = if picked.is_empty() { all } else { &picked[..] };
                for &t in targets {
                    inv.add_edge(ids[i], ids[t]);
                }
            }
        }
        Ok(inv)
    }
}
