//! Julia: `Manifest.toml` (+ the sibling `Project.toml`) → packages, edges and the project.
//!
//! * **Formats**: v1 manifests list each package as a top-level `[[Name]]` array entry;
//!   format 2.0 (`manifest_format = "2.0"`, with `julia_version`) under `[[deps.Name]]`.
//!   Versioned manifests (`Manifest-v1.11.toml`) and `JuliaManifest.toml` are read too.
//! * **Packages**: name, `uuid`, `version` (absent for some standard libraries),
//!   `git-tree-sha1` as a SHA-1 [`Hash`] (the git tree hash Pkg verifies the installed
//!   source against), located at the entry's header line. Purl per the spec's `julia` type:
//!   `pkg:julia/<Name>@<version>?uuid=<uuid>` (the `uuid` qualifier is required). Packages
//!   added by URL (`repo-url`) get `vcs_url=git+<url>` and that source; developed
//!   packages (`path`) get `source = <path>` and `chainproof:julia:path`.
//! * **Edges**: `deps` is a list of names (resolved to the only entry of that name) or, when
//!   names are ambiguous, a table `name = uuid`. Names that match no entry are listed in
//!   `chainproof:julia:unresolved`. `weakdeps` are not edges (extensions load them only if
//!   present) and are kept as `chainproof:julia:weakdeps`.
//! * **Root**: when a `Project.toml` (or `JuliaProject.toml`) sits beside the manifest, its
//!   `name`/`uuid`/`version` is a [`PackageKind::Project`] root with edges to its `[deps]`.
//!   The manifest's `julia_version` is recorded on it as `chainproof:julia:julia-version`.
//!   Julia does not separate dev dependencies in a manifest: every package is runtime.
//! * A manifest that is not TOML, or an entry without a `uuid`, is an error with the line.

use std::collections::{BTreeMap, HashMap};

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, Location, Package, PackageId, PackageKind,
};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use toml::{Table, Value};

use crate::{CatalogError, Cataloger, CatalogerInfo};

pub const PROP_UNRESOLVED: &str = "chainproof:julia:unresolved";
pub const PROP_WEAKDEPS: &str = "chainproof:julia:weakdeps";
pub const PROP_PATH: &str = "chainproof:julia:path";
pub const PROP_JULIA_VERSION: &str = "chainproof:julia:julia-version";

/// Reads Julia `Manifest.toml` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct JuliaManifestCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "julia-manifest",
    ecosystem: "Julia",
    files: "`Manifest.toml` v1 and 2.0, `Manifest-v*.toml`, `JuliaManifest.toml` (+ `Project.toml` beside it for the root)",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for JuliaManifestCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        let n = file_name(path);
        n == "Manifest.toml"
            || n == "JuliaManifest.toml"
            || (n.starts_with("Manifest-v") && n.ends_with(".toml"))
            || (n.starts_with("JuliaManifest-v") && n.ends_with(".toml"))
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let dir = parent_dir(path);
        let project = ["Project.toml", "JuliaProject.toml"]
            .iter()
            .filter_map(|n| join_relative(dir, n))
            .find(|p| resolver.exists(p))
            .and_then(|p| resolver.read_to_string(&p).ok().map(|t| (p, t)));
        parse_julia_manifest(
            path,
            &text,
            project.as_ref().map(|(p, t)| (p.as_str(), t.as_str())),
        )
    }
}

/// Header lines of `[[Name]]` / `[[deps.Name]]` entries, by name, in order.
fn header_lines(text: &str, v2: bool) -> HashMap<String, Vec<u32>> {
    let mut out: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        let Some(inner) = t.strip_prefix("[[").and_then(|t| t.split("]]").next()) else {
            continue;
        };
        let inner = inner.trim();
        let name = if v2 {
            match inner.strip_prefix("deps.") {
                Some(n) => n,
                None => continue,
            }
        } else {
            inner
        };
        let name = name.trim().trim_matches('"');
        out.entry(name.to_string())
            .or_default()
            .push(u32::try_from(i + 1).unwrap_or(u32::MAX));
    }
    out
}

fn julia_purl(name: &str, version: Option<&str>, uuid: &str) -> Result<Purl, String> {
    let mut p = Purl::new("julia", name).map_err(|e| e.to_string())?;
    if let Some(v) = version {
        p = p.with_version(v);
    }
    p.with_qualifier("uuid", uuid).map_err(|e| e.to_string())
}

struct Entry<'a> {
    name: &'a str,
    uuid: &'a str,
    table: &'a Table,
}

/// Parses a manifest's text, with the sibling project file `(path, text)` when present.
pub fn parse_julia_manifest(
    path: &str,
    text: &str,
    project: Option<(&str, &str)>,
) -> Result<Inventory, CatalogError> {
    let doc: Table = toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))?;
    let v2 = doc.contains_key("manifest_format");
    let julia_version = doc.get("julia_version").and_then(Value::as_str);
    let deps_table: Table = if v2 {
        match doc.get("deps") {
            Some(Value::Table(t)) => t.clone(),
            None => Table::new(),
            Some(_) => {
                return Err(CatalogError::new(path, "`deps` is not a table").at_pointer("/deps"));
            }
        }
    } else {
        doc.clone()
    };
    let lines = header_lines(text, v2);

    let mut entries: Vec<(Entry<'_>, Option<u32>)> = Vec::new();
    for (name, value) in &deps_table {
        let Value::Array(list) = value else {
            if v2 {
                return Err(CatalogError::new(
                    path,
                    format!("`deps.{name}` is not an array of tables"),
                )
                .at_pointer(format!("/deps/{name}")));
            }
            continue; // v1: top-level scalars are not packages
        };
        for (i, item) in list.iter().enumerate() {
            let line = lines.get(name.as_str()).and_then(|l| l.get(i)).copied();
            let fail = |msg: String| {
                let e = CatalogError::new(path, msg).at_pointer(format!("/{name}/{i}"));
                match line {
                    Some(l) => e.at_line(l),
                    None => e,
                }
            };
            let Value::Table(table) = item else {
                return Err(fail(format!("entry `{name}` is not a table")));
            };
            let Some(uuid) = table.get("uuid").and_then(Value::as_str) else {
                return Err(fail(format!("entry `{name}` has no `uuid`")));
            };
            entries.push((Entry { name, uuid, table }, line));
        }
    }

    let mut inv = Inventory::default();
    let mut ids: Vec<PackageId> = Vec::with_capacity(entries.len());
    let mut by_uuid: HashMap<&str, PackageId> = HashMap::new();
    let mut by_name: BTreeMap<&str, Vec<PackageId>> = BTreeMap::new();
    for (e, line) in &entries {
        let s = |k: &str| e.table.get(k).and_then(Value::as_str);
        let version = s("version");
        let fail = |msg: String| {
            let err = CatalogError::new(path, msg);
            match line {
                Some(l) => err.at_line(*l),
                None => err,
            }
        };
        let mut purl =
            julia_purl(e.name, version, e.uuid).map_err(|m| fail(format!("`{}`: {m}", e.name)))?;
        let mut loc = Location::new(path);
        if let Some(l) = line {
            loc = loc.with_line(*l);
        }
        let mut pkg = Package::new(Ecosystem::Julia, e.name, version).with_location(loc);
        if let Some(url) = s("repo-url") {
            purl = purl
                .with_qualifier("vcs_url", &format!("git+{url}"))
                .map_err(|m| fail(m.to_string()))?;
            pkg = pkg.with_source(url);
        }
        if let Some(p) = s("path") {
            pkg = pkg.with_source(p).with_property(PROP_PATH, p);
        }
        if let Some(h) = s("git-tree-sha1").and_then(|h| Hash::from_hex(HashAlgorithm::Sha1, h)) {
            pkg = pkg.with_hash(h);
        }
        if let Some(Value::Array(w)) = e.table.get("weakdeps") {
            let names: Vec<&str> = w.iter().filter_map(Value::as_str).collect();
            pkg = pkg.with_property(PROP_WEAKDEPS, names.join(", "));
        } else if let Some(Value::Table(w)) = e.table.get("weakdeps") {
            let names: Vec<&str> = w.keys().map(String::as_str).collect();
            pkg = pkg.with_property(PROP_WEAKDEPS, names.join(", "));
        }
        let id = inv.add_package(pkg.with_purl(purl));
        ids.push(id);
        by_uuid.insert(e.uuid, id);
        by_name.entry(e.name).or_default().push(id);
    }

    let resolve = |name: &str, uuid: Option<&str>| -> Option<PackageId> {
        if let Some(u) = uuid {
            return by_uuid.get(u).copied();
        }
        match by_name.get(name).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    };
    for ((e, _), &from) in entries.iter().zip(&ids) {
        let deps: Vec<(&str, Option<&str>)> = match e.table.get("deps") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(|n| (n, None))
                .collect(),
            Some(Value::Table(t)) => t.iter().map(|(n, u)| (n.as_str(), u.as_str())).collect(),
            _ => Vec::new(),
        };
        let mut unresolved = Vec::new();
        for (n, u) in deps {
            match resolve(n, u) {
                Some(to) => inv.add_edge(from, to),
                None => unresolved.push(n),
            }
        }
        if !unresolved.is_empty() {
            inv.package_mut(from)
                .properties
                .insert(PROP_UNRESOLVED.to_string(), unresolved.join(", "));
        }
    }

    if let Some((ppath, ptext)) = project {
        let root = add_project(&mut inv, ppath, ptext, &by_uuid, &resolve)?;
        if let Some(j) = julia_version {
            inv.package_mut(root)
                .properties
                .insert(PROP_JULIA_VERSION.to_string(), j.to_string());
        }
    }
    Ok(inv)
}

/// The project of a `Project.toml` as the root, with edges to its `[deps]`.
fn add_project(
    inv: &mut Inventory,
    path: &str,
    text: &str,
    by_uuid: &HashMap<&str, PackageId>,
    resolve: &dyn Fn(&str, Option<&str>) -> Option<PackageId>,
) -> Result<PackageId, CatalogError> {
    let doc: Table = toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))?;
    let s = |k: &str| doc.get(k).and_then(Value::as_str);
    let name = s("name").unwrap_or("(julia project)");
    let version = s("version");
    let mut pkg = Package::new(Ecosystem::Julia, name, version)
        .with_kind(PackageKind::Project)
        .with_location(Location::new(path).with_line(1));
    if let (Some(n), Some(u)) = (s("name"), s("uuid")) {
        let purl = julia_purl(n, version, u).map_err(|m| CatalogError::new(path, m))?;
        pkg = pkg.with_purl(purl);
    }
    let root = inv.add_package(pkg);
    inv.add_root(root);
    if let Some(Value::Table(deps)) = doc.get("deps") {
        for (n, u) in deps {
            let to = u
                .as_str()
                .and_then(|u| by_uuid.get(u).copied())
                .or_else(|| resolve(n, None));
            if let Some(to) = to {
                inv.add_edge(root, to);
            }
        }
    }
    Ok(root)
}
