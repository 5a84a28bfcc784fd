//! `pyproject.toml` as a source of **declared** (not locked) dependencies.
//!
//! Read only when no lockfile sits beside it (`poetry.lock`, `uv.lock`, `pdm.lock`,
//! `Pipfile.lock`, `pylock.toml`, `pylock.<name>.toml`): the lock catalogers already use the
//! `pyproject.toml` next to their lock for the project root, and a locked version is
//! better than a range. A `requirements*.txt` beside it is cataloged independently.
//!
//! * Root: the project (`[project] name`/`version`, else `[tool.poetry]`), a
//!   [`PackageKind::Project`] with purl `pkg:pypi/<name>[@version]`; a file with
//!   dependencies but no name gets a root named after its folder (no purl). A file with
//!   neither (a tool-only config) yields nothing. `[project] dynamic` is kept in
//!   `chainproof:python:dynamic` (dynamic dependencies cannot be read statically).
//! * Dependencies, each with an edge from the root, location = the line of its string:
//!   PEP 621 `[project] dependencies` (runtime), `[project.optional-dependencies]`
//!   (optional, extra name in `chainproof:python:groups`), PEP 735 `[dependency-groups]`
//!   (dev; `{include-group = ...}` entries are not packages), `[tool.pdm.dev-dependencies]`
//!   (dev), Poetry `[tool.poetry.dependencies]` (runtime, `optional = true` → optional;
//!   `python` skipped), `[tool.poetry.dev-dependencies]` and
//!   `[tool.poetry.group.<g>.dependencies]` (dev, `main` → runtime).
//! * Version: only an exact pin (`==1.2`, `===1.2`, Poetry `"1.2"`) gives a version; the
//!   specifier is always kept in `chainproof:python:requirement` (`*` when none). Extras →
//!   `chainproof:python:extras`, markers → `chainproof:python:marker`, direct references
//!   (`name @ url`, Poetry `git`/`path`/`url`) → [`chainproof_core::Package::source`].
//! * `[build-system] requires` is not read (build-time only).
//! * A malformed TOML file, or a dependency string that is not PEP 508, is an error at its
//!   line.

use std::collections::BTreeMap;

use chainproof_core::{Inventory, Location, Package, PackageKind, Scope};
use chainproof_source::{FileResolver, file_name};
use serde::Deserialize;
use toml::Spanned;

use super::project::{folder_root, lockfile_beside};
use super::{
    P_DYNAMIC, P_EXTRAS, P_GROUPS, P_MARKER, P_REQUIREMENT, P_SOURCE_TYPE, pep508, pypi_package,
};
use crate::util::line_of;
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads the dependencies a `pyproject.toml` declares (when no lockfile is beside it).
pub struct PyprojectCataloger;

#[derive(Deserialize)]
struct Doc {
    project: Option<ProjectTable>,
    tool: Option<Tool>,
    #[serde(rename = "dependency-groups", default)]
    dependency_groups: BTreeMap<String, Vec<Spanned<toml::Value>>>,
}

#[derive(Deserialize)]
struct ProjectTable {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    dependencies: Vec<Spanned<String>>,
    #[serde(rename = "optional-dependencies", default)]
    optional_dependencies: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    dynamic: Vec<String>,
}

#[derive(Deserialize)]
struct Tool {
    poetry: Option<Poetry>,
    pdm: Option<Pdm>,
}

#[derive(Deserialize)]
struct Poetry {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    group: BTreeMap<String, PoetryGroup>,
}

#[derive(Deserialize)]
struct PoetryGroup {
    #[serde(default)]
    dependencies: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Deserialize)]
struct Pdm {
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: BTreeMap<String, Vec<Spanned<String>>>,
}

static INFO: CatalogerInfo = CatalogerInfo {
    name: "python-pyproject",
    ecosystem: "PyPI",
    files: "`pyproject.toml` declared dependencies (PEP 621, PEP 735, Poetry, PDM), only without a lockfile beside it",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: false,
};

/// A package for a PEP 508 requirement string.
fn pep508_package(
    path: &str,
    text: &str,
    raw: &Spanned<String>,
    scope: Scope,
    group: Option<&str>,
) -> Result<Package, CatalogError> {
    let line = line_of(text, raw.span().start);
    let req = pep508::parse(raw.get_ref()).map_err(|m| CatalogError::new(path, m).at_line(line))?;
    let mut pkg = pypi_package(&req.name, req.pinned_version())
        .with_scope(scope)
        .with_location(Location::new(path).with_line(line))
        .with_property(P_REQUIREMENT, req.specifier_string());
    if !req.extras.is_empty() {
        pkg.properties.insert(P_EXTRAS.into(), req.extras.join(","));
    }
    if let Some(m) = req.marker {
        pkg.properties.insert(P_MARKER.into(), m);
    }
    if let Some(u) = req.url {
        pkg.source = Some(u);
        pkg.properties.insert(P_SOURCE_TYPE.into(), "url".into());
    }
    if let Some(g) = group {
        pkg.properties.insert(P_GROUPS.into(), g.to_string());
    }
    Ok(pkg)
}

/// The version a Poetry constraint pins: `==1.2`, `===1.2` or a bare `1.2`.
fn poetry_pin(spec: &str) -> Option<&str> {
    let s = spec.trim();
    let v = s
        .strip_prefix("===")
        .or_else(|| s.strip_prefix("=="))
        .unwrap_or(s)
        .trim();
    let bare = v.starts_with(|c: char| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | '!'));
    bare.then_some(v)
}

/// A package for a Poetry dependency (`name = "^1"`, a table, or an array of tables).
fn poetry_package(
    path: &str,
    text: &str,
    name: &str,
    value: &Spanned<toml::Value>,
    scope: Scope,
    group: Option<&str>,
) -> Package {
    let line = line_of(text, value.span().start);
    let alternatives: Vec<&toml::Value> = match value.get_ref() {
        toml::Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    let specs: Vec<&str> = alternatives
        .iter()
        .filter_map(|v| match v {
            toml::Value::String(s) => Some(s.as_str()),
            v => v.get("version").and_then(toml::Value::as_str),
        })
        .collect();
    let pin = match specs.as_slice() {
        [one] if alternatives.len() == 1 => poetry_pin(one),
        _ => None,
    };
    let optional = alternatives
        .iter()
        .any(|v| v.get("optional").and_then(toml::Value::as_bool) == Some(true));
    let mut pkg = pypi_package(name, pin)
        .with_scope(if optional && scope == Scope::Runtime {
            Scope::Optional
        } else {
            scope
        })
        .with_location(Location::new(path).with_line(line));
    let spec = if specs.is_empty() {
        "*".to_string()
    } else {
        specs.join(" || ")
    };
    pkg.properties.insert(P_REQUIREMENT.into(), spec);
    if let Some(g) = group {
        pkg.properties.insert(P_GROUPS.into(), g.to_string());
    }
    let first = alternatives.first().copied();
    let str_of = |k: &str| first.and_then(|v| v.get(k)).and_then(toml::Value::as_str);
    if let Some(git) = str_of("git") {
        let mut s = format!("git+{git}");
        if let Some(r) = str_of("rev").or(str_of("tag")).or(str_of("branch")) {
            s.push('@');
            s.push_str(r);
        }
        pkg.source = Some(s);
        pkg.properties.insert(P_SOURCE_TYPE.into(), "git".into());
    } else if let Some((kind, s)) = str_of("path")
        .map(|p| ("path", p))
        .or(str_of("url").map(|u| ("url", u)))
    {
        pkg.source = Some(s.to_string());
        pkg.properties.insert(P_SOURCE_TYPE.into(), kind.into());
    }
    if let Some(extras) = first
        .and_then(|v| v.get("extras"))
        .and_then(toml::Value::as_array)
    {
        let e: Vec<&str> = extras.iter().filter_map(toml::Value::as_str).collect();
        if !e.is_empty() {
            pkg.properties.insert(P_EXTRAS.into(), e.join(","));
        }
    }
    if let Some(m) = str_of("markers") {
        pkg.properties.insert(P_MARKER.into(), m.to_string());
    }
    pkg
}

/// Parses a `pyproject.toml` into its declared root and dependencies.
fn parse(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let doc: Doc = toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))?;
    let (poetry, pdm) = match doc.tool {
        Some(t) => (t.poetry, t.pdm),
        None => (None, None),
    };
    let mut deps: Vec<Package> = Vec::new();
    if let Some(p) = &doc.project {
        for d in &p.dependencies {
            deps.push(pep508_package(path, text, d, Scope::Runtime, None)?);
        }
        for (extra, list) in &p.optional_dependencies {
            for d in list {
                deps.push(pep508_package(path, text, d, Scope::Optional, Some(extra))?);
            }
        }
    }
    for (g, list) in &doc.dependency_groups {
        for v in list {
            if let toml::Value::String(s) = v.get_ref() {
                let raw = Spanned::new(v.span(), s.clone());
                deps.push(pep508_package(path, text, &raw, Scope::Dev, Some(g))?);
            }
        }
    }
    if let Some(pdm) = &pdm {
        for (g, list) in &pdm.dev_dependencies {
            for d in list {
                // PDM also allows `-e path` editable entries; those are not PEP 508.
                if d.get_ref().trim_start().starts_with('-') {
                    continue;
                }
                deps.push(pep508_package(path, text, d, Scope::Dev, Some(g))?);
            }
        }
    }
    if let Some(p) = &poetry {
        for (n, v) in p.dependencies.iter().filter(|(n, _)| *n != "python") {
            deps.push(poetry_package(path, text, n, v, Scope::Runtime, None));
        }
        for (n, v) in &p.dev_dependencies {
            deps.push(poetry_package(path, text, n, v, Scope::Dev, Some("dev")));
        }
        for (g, group) in &p.group {
            let scope = if g == "main" {
                Scope::Runtime
            } else {
                Scope::Dev
            };
            for (n, v) in group.dependencies.iter().filter(|(n, _)| *n != "python") {
                deps.push(poetry_package(path, text, n, v, scope, Some(g)));
            }
        }
    }

    let named = doc
        .project
        .as_ref()
        .and_then(|p| p.name.clone().map(|n| (n, p.version.clone())))
        .or_else(|| {
            poetry
                .as_ref()
                .and_then(|p| p.name.clone().map(|n| (n, p.version.clone())))
        });
    let dynamic = doc
        .project
        .as_ref()
        .map(|p| p.dynamic.join(","))
        .unwrap_or_default();
    let mut inv = Inventory::default();
    let mut root = match named {
        Some((name, version)) => pypi_package(&name, version.as_deref())
            .with_kind(PackageKind::Project)
            .with_location(Location::new(path)),
        None if deps.is_empty() => return Ok(inv),
        None => folder_root(path),
    };
    if !dynamic.is_empty() {
        root.properties.insert(P_DYNAMIC.into(), dynamic);
    }
    let root_id = inv.add_package(root);
    inv.add_root(root_id);
    for d in deps {
        let id = inv.add_package(d);
        inv.add_edge(root_id, id);
    }
    Ok(inv)
}

impl Cataloger for PyprojectCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "pyproject.toml"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        if lockfile_beside(resolver, path).is_some() {
            return Ok(Inventory::default());
        }
        let text = resolver.read_to_string(path)?;
        parse(path, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poetry_pins() {
        assert_eq!(poetry_pin("1.2.3"), Some("1.2.3"));
        assert_eq!(poetry_pin("==1.2"), Some("1.2"));
        assert_eq!(poetry_pin("^1.2"), None);
        assert_eq!(poetry_pin("1.2.*"), None);
        assert_eq!(poetry_pin("*"), None);
        assert_eq!(poetry_pin(">=1,<2"), None);
    }
}
