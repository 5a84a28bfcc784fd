//! Elixir `mix.lock`, Erlang `rebar.lock` (packages from hex.pm and git) and Gleam
//! `manifest.toml` / `gleam.toml` ([`gleam`]).
//!
//! Both files are written in their language's term syntax, read by a small term reader
//! (`terms.rs`).
//!
//! * **`mix.lock`** is a map `app → lock entry`:
//!   `{:hex, :name, "version", "inner_checksum", [managers], [deps], "repo", "outer_checksum"}`
//!   (older files stop after the version or after the deps) or
//!   `{:git, "url", "commit", [opts]}`. Hex packages get `pkg:hex/<name>@<version>`; a
//!   private organisation repository `hexpm:<org>` becomes the purl namespace. The outer
//!   checksum (SHA-256 of the package tarball, what `mix hex.audit` and hex.pm show) is the
//!   hash; the inner one is kept in `chainproof:hex:inner_checksum`. Edges come from the
//!   deps list (`{:app, "~> 1.0", [hex: :name, optional: false]}`), resolved by app name;
//!   optional dependencies are edges too. The lock does not say which packages the project
//!   depends on directly, so there is no root.
//! * **`rebar.lock`**: `{"1.2.0", [{<<"app">>, {pkg, <<"name">>, <<"version">>}, Level}, ...]}.`
//!   then `[{pkg_hash, [...]}, {pkg_hash_ext, [...]}].` (very old files are a bare list).
//!   `pkg_hash_ext` (outer SHA-256) is the hash, `pkg_hash` the inner checksum. There are no
//!   edges between packages; level 0 entries are the direct dependencies of the project root
//!   (named after the directory, located at `rebar.config` when present).
//! * Git dependencies have no version; their purl carries `vcs_url=git+<url>@<ref>`.
//! * Syntax errors and entries of the wrong shape are errors with the line; an empty file is
//!   an empty inventory.

pub mod gleam;
mod terms;

use std::collections::HashMap;

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, Location, Package, PackageId, PackageKind,
};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use crate::{CatalogError, Cataloger, CatalogerInfo};
use terms::{Node, Term, TermError};

/// The inner checksum (SHA-256 of the tarball's contents) of a hex package.
pub const PROP_INNER_CHECKSUM: &str = "chainproof:hex:inner_checksum";
/// The hex repository of a package from a repository other than `hexpm`.
pub const PROP_REPO: &str = "chainproof:hex:repo";
/// Dependency app names that match no entry of the lock (comma-separated).
pub const PROP_UNRESOLVED: &str = "chainproof:hex:unresolved";
/// The rebar3 dependency level (0 = direct).
pub const PROP_LEVEL: &str = "chainproof:hex:level";

/// Reads `mix.lock` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct MixLockCataloger;

/// Reads `rebar.lock` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct RebarLockCataloger;

static MIX_INFO: CatalogerInfo = CatalogerInfo {
    name: "elixir-mix-lock",
    ecosystem: "Hex",
    files: "`mix.lock`",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: true,
};

static REBAR_INFO: CatalogerInfo = CatalogerInfo {
    name: "erlang-rebar-lock",
    ecosystem: "Hex",
    files: "`rebar.lock`",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for MixLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &MIX_INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "mix.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_mix_lock(path, &text)
    }
}

impl Cataloger for RebarLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &REBAR_INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "rebar.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let dir = parent_dir(path);
        let name = match file_name(dir) {
            "" => "project",
            n => n,
        };
        let config = join_relative(dir, "rebar.config").unwrap_or_default();
        let at = if resolver.exists(&config) {
            config.as_str()
        } else {
            path
        };
        let root = Package::new(Ecosystem::Hex, name, None)
            .with_kind(PackageKind::Project)
            .with_location(Location::new(at));
        parse_rebar_lock(path, &text, root)
    }
}

fn term_error(path: &str, e: TermError) -> CatalogError {
    CatalogError::new(path, e.message)
        .at_line(e.line)
        .at_column(e.column)
}

fn bad(path: &str, node: &Node, msg: impl Into<String>) -> CatalogError {
    CatalogError::new(path, msg).at_line(node.line)
}

/// A hex package purl; `repo` `hexpm:<org>` is the organisation namespace.
fn hex_purl(name: &str, version: Option<&str>, repo: Option<&str>) -> Result<Purl, String> {
    let mut purl = Purl::new("hex", name).map_err(|e| e.to_string())?;
    if let Some(org) = repo.and_then(|r| r.strip_prefix("hexpm:")) {
        purl = purl.with_namespace(org).map_err(|e| e.to_string())?;
    }
    Ok(match version {
        Some(v) => purl.with_version(v),
        None => purl,
    })
}

/// A git dependency: no version, `vcs_url` qualifier.
fn git_package(
    path: &str,
    node: &Node,
    name: &str,
    url: &str,
    rev: Option<&str>,
) -> Result<Package, CatalogError> {
    let vcs = match rev {
        Some(r) => format!("git+{url}@{r}"),
        None => format!("git+{url}"),
    };
    let purl = hex_purl(name, None, None)
        .and_then(|p| p.with_qualifier("vcs_url", &vcs).map_err(|e| e.to_string()))
        .map_err(|e| bad(path, node, format!("`{name}`: {e}")))?;
    let source = match rev {
        Some(r) => format!("git+{url}#{r}"),
        None => format!("git+{url}"),
    };
    Ok(Package::new(Ecosystem::Hex, name, None)
        .with_purl(purl)
        .with_source(source)
        .with_location(Location::new(path).with_line(node.line)))
}

fn add_checksum(pkg: Package, outer: Option<&str>, inner: Option<&str>) -> Package {
    let mut pkg = pkg;
    if let Some(h) = outer.and_then(|h| Hash::from_hex(HashAlgorithm::Sha256, h)) {
        pkg = pkg.with_hash(h);
    }
    if let Some(i) = inner.filter(|i| !i.is_empty()) {
        pkg = pkg.with_property(PROP_INNER_CHECKSUM, i.to_ascii_lowercase());
    }
    pkg
}

/// Parses the text of a `mix.lock`.
pub fn parse_mix_lock(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let top = terms::parse_elixir(text).map_err(|e| term_error(path, e))?;
    let entries: Vec<(&Node, &Node)> = match &top.term {
        Term::Map(m) => m.iter().map(|(k, v)| (k, v)).collect(),
        // Very old lockfiles are a keyword list.
        Term::List(l) => l
            .iter()
            .filter_map(|n| match n.as_tuple() {
                Some([k, v]) => Some((k, v)),
                _ => None,
            })
            .collect(),
        _ => return Err(bad(path, &top, "mix.lock is not a map")),
    };
    let mut by_app: HashMap<String, PackageId> = HashMap::new();
    let mut deps: Vec<(PackageId, &Node)> = Vec::new();
    for (key, value) in entries {
        let app = key
            .as_name()
            .ok_or_else(|| bad(path, key, "lock key is not a string or atom"))?;
        let fields = value
            .as_tuple()
            .ok_or_else(|| bad(path, value, format!("`{app}`: lock entry is not a tuple")))?;
        let scm = fields.first().and_then(Node::as_atom).unwrap_or("");
        let pkg = match scm {
            "hex" => {
                let name = fields.get(1).and_then(Node::as_name);
                let version = fields.get(2).and_then(Node::as_str);
                let (Some(name), Some(version)) = (name, version) else {
                    return Err(bad(
                        path,
                        value,
                        format!("`{app}`: hex entry without name and version"),
                    ));
                };
                let repo = fields.get(6).and_then(Node::as_str);
                let purl = hex_purl(name, Some(version), repo)
                    .map_err(|e| bad(path, value, format!("`{app}`: {e}")))?;
                let mut pkg = Package::new(Ecosystem::Hex, name, Some(version))
                    .with_purl(purl)
                    .with_location(Location::new(path).with_line(value.line));
                if let Some(r) = repo.filter(|r| *r != "hexpm" && !r.starts_with("hexpm:")) {
                    pkg = pkg.with_property(PROP_REPO, r);
                }
                let inner = fields.get(3).and_then(Node::as_str);
                let outer = fields.get(7).and_then(Node::as_str);
                add_checksum(pkg, outer, inner)
            }
            "git" => {
                let Some(url) = fields.get(1).and_then(Node::as_str) else {
                    return Err(bad(
                        path,
                        value,
                        format!("`{app}`: git entry without a URL"),
                    ));
                };
                let rev = fields.get(2).and_then(Node::as_str);
                git_package(path, value, app, url, rev)?
            }
            other => {
                return Err(bad(
                    path,
                    value,
                    format!("`{app}`: unknown lock entry kind `{other}`"),
                ));
            }
        };
        let id = inv.add_package(pkg);
        by_app.insert(app.to_string(), id);
        if scm == "hex"
            && let Some(list) = fields.get(5)
        {
            deps.push((id, list));
        }
    }
    for (from, list) in deps {
        let items = list
            .as_list()
            .ok_or_else(|| bad(path, list, "dependency list is not a list"))?;
        let mut unresolved = Vec::new();
        for d in items {
            let app = d
                .as_tuple()
                .and_then(|t| t.first())
                .and_then(Node::as_name)
                .ok_or_else(|| bad(path, d, "dependency is not `{:app, requirement, opts}`"))?;
            match by_app.get(app) {
                Some(&to) => inv.add_edge(from, to),
                None => unresolved.push(app),
            }
        }
        if !unresolved.is_empty() {
            unresolved.sort_unstable();
            inv.package_mut(from)
                .properties
                .insert(PROP_UNRESOLVED.to_string(), unresolved.join(", "));
        }
    }
    Ok(inv)
}

/// Parses the text of a `rebar.lock`; `root` is the project it belongs to.
pub fn parse_rebar_lock(path: &str, text: &str, root: Package) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let all = terms::parse_erlang(text).map_err(|e| term_error(path, e))?;
    let Some(first) = all.first() else {
        return Ok(inv);
    };
    let entries = match &first.term {
        Term::Tuple(t) => t
            .get(1)
            .and_then(Node::as_list)
            .ok_or_else(|| bad(path, first, "expected `{Version, [Deps]}`"))?,
        Term::List(l) => l.as_slice(),
        _ => return Err(bad(path, first, "expected `{Version, [Deps]}`")),
    };
    // `[{pkg_hash, [{Name, Hash}]}, {pkg_hash_ext, [...]}]`
    let mut inner: HashMap<&str, &str> = HashMap::new();
    let mut outer: HashMap<&str, &str> = HashMap::new();
    if let Some(hashes) = all.get(1) {
        let list = hashes
            .as_list()
            .ok_or_else(|| bad(path, hashes, "hash section is not a list"))?;
        for section in list {
            let (kind, items) = match section.as_tuple() {
                Some([k, v]) => (k.as_atom().unwrap_or(""), v.as_list().unwrap_or(&[])),
                _ => return Err(bad(path, section, "expected `{pkg_hash, [...]}`")),
            };
            let target = match kind {
                "pkg_hash" => &mut inner,
                "pkg_hash_ext" => &mut outer,
                _ => continue,
            };
            for item in items {
                if let Some([n, h]) = item.as_tuple()
                    && let (Some(n), Some(h)) = (n.as_str(), h.as_str())
                {
                    target.insert(n, h);
                }
            }
        }
    }
    let root_id = inv.add_package(root);
    inv.add_root(root_id);
    for e in entries {
        let Some([app, source, level]) = e.as_tuple() else {
            return Err(bad(path, e, "expected `{Name, Source, Level}`"));
        };
        let Some(app) = app.as_str() else {
            return Err(bad(path, e, "dependency name is not a binary"));
        };
        let level = match &level.term {
            Term::Num(n) => n.parse::<u32>().ok(),
            _ => None,
        }
        .ok_or_else(|| bad(path, e, format!("`{app}`: level is not a number")))?;
        let src = source
            .as_tuple()
            .ok_or_else(|| bad(path, source, format!("`{app}`: source is not a tuple")))?;
        let pkg = match src.first().and_then(Node::as_atom) {
            Some("pkg") => {
                let name = src.get(1).and_then(Node::as_str).unwrap_or(app);
                let Some(version) = src.get(2).and_then(Node::as_str) else {
                    return Err(bad(
                        path,
                        e,
                        format!("`{app}`: pkg source without a version"),
                    ));
                };
                let purl = hex_purl(name, Some(version), None)
                    .map_err(|err| bad(path, e, format!("`{app}`: {err}")))?;
                let pkg = Package::new(Ecosystem::Hex, name, Some(version))
                    .with_purl(purl)
                    .with_location(Location::new(path).with_line(e.line));
                add_checksum(pkg, outer.get(app).copied(), inner.get(app).copied())
            }
            Some("git") | Some("git_subdir") => {
                let Some(url) = src.get(1).and_then(Node::as_str) else {
                    return Err(bad(path, e, format!("`{app}`: git source without a URL")));
                };
                // `{ref, "sha"}`, `{tag, "v1"}`, `{branch, "main"}`
                let rev = src
                    .get(2)
                    .and_then(Node::as_tuple)
                    .and_then(|t| t.get(1))
                    .and_then(Node::as_str);
                git_package(path, e, app, url, rev)?
            }
            _ => return Err(bad(path, source, format!("`{app}`: unknown source"))),
        };
        let pkg = pkg.with_property(PROP_LEVEL, level.to_string());
        let id = inv.add_package(pkg);
        if level == 0 {
            inv.add_edge(root_id, id);
        }
    }
    Ok(inv)
}
