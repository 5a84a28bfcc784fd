//! `conan.lock` → Conan packages, their dependency graph (Conan 1) and scopes.
//!
//! Two shapes exist:
//!
//! * **Conan 1 graph locks** (`version` `0.1`–`0.4`, and the unversioned `0.0`):
//!   `graph_lock.nodes` maps a node id to `{ref | pref, requires, build_requires,
//!   python_requires, path, context}`. `ref` is `name/version[@user/channel][#rrev]`; older
//!   formats have `pref` = `<ref>:<package_id>#<prev>` instead, and `requires` may be a map
//!   `{ref: node id}` rather than a list of ids. The node with a `path` (the consumer's
//!   conanfile; node `"0"` when no node has one) is the root, a [`PackageKind::Project`] when
//!   it has a reference. `requires` and `build_requires` are edges. Scope: a node reachable
//!   from the root through `requires` (and not in the `build` context) is
//!   [`Scope::Runtime`]; one reached only through `build_requires` / `python_requires` or in
//!   the `build` context is [`Scope::Dev`].
//! * **Conan 2 locks** (`version` `0.5`): flat lists `requires`, `build_requires`,
//!   `python_requires` (and `config_requires`) of `name/version[@user/channel]#rrev%timestamp`
//!   references. No edges and no root; everything but `requires` is [`Scope::Dev`].
//!
//! Package URLs follow the purl spec's `conan` type: `pkg:conan/<name>@<version>` with the
//! `user`, `channel` (omitted when `_`) and `rrev` qualifiers. The package id and package
//! revision describe one binary, not the recipe, and are kept as the
//! `chainproof:conan:package-id` / `chainproof:conan:prev` properties. Conan records no
//! content hashes. A reference without a name (`"ref": "1.2.3"`, seen in osv-scanner's
//! fixtures) is not a package: it is listed in `chainproof:conan:invalid-ref` on the root,
//! or is an error when there is no root. A file that is not JSON or not a lockfile is an
//! error with the line.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageId, PackageKind, Scope};
use chainproof_purl::{Purl, PurlError};
use chainproof_source::{FileResolver, file_name};
use serde_json::Value;

use crate::util::{LineIndex, line_of};
use crate::{CatalogError, Cataloger, CatalogerInfo};

pub const PROP_PACKAGE_ID: &str = "chainproof:conan:package-id";
pub const PROP_PREV: &str = "chainproof:conan:prev";
pub const PROP_CONTEXT: &str = "chainproof:conan:context";
pub const PROP_PYTHON_REQUIRES: &str = "chainproof:conan:python-requires";
pub const PROP_INVALID_REF: &str = "chainproof:conan:invalid-ref";

/// Reads `conan.lock` files (Conan 1 and 2).
#[derive(Debug, Clone, Copy, Default)]
pub struct ConanLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "conan-lock",
    ecosystem: "ConanCenter",
    files: "`conan.lock` (Conan 1 graph locks 0.0–0.4, Conan 2 locks 0.5)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: false,
};

impl Cataloger for ConanLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "conan.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_conan_lock(path, &text)
    }
}

/// A parsed Conan reference `name/version@user/channel#rrev%ts[:package_id#prev]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConanRef {
    pub name: String,
    pub version: Option<String>,
    pub user: Option<String>,
    pub channel: Option<String>,
    pub rrev: Option<String>,
    pub package_id: Option<String>,
    pub prev: Option<String>,
}

impl ConanRef {
    /// `None` when the reference has no `name/` part.
    pub fn parse(s: &str) -> Option<ConanRef> {
        let s = s.trim();
        let (recipe, binary) = match s.split_once(':') {
            Some((r, b)) => (r, Some(b)),
            None => (s, None),
        };
        let (base, rrev) = match recipe.split_once('#') {
            Some((b, r)) => (b, Some(strip_timestamp(r))),
            None => (strip_timestamp(recipe), None),
        };
        let (nv, uc) = match base.split_once('@') {
            Some((nv, uc)) => (nv, Some(uc)),
            None => (base, None),
        };
        let (name, version) = nv.split_once('/')?;
        if name.is_empty() || name.contains(char::is_whitespace) {
            return None;
        }
        let opt = |v: &str| (!v.is_empty() && v != "_").then(|| v.to_string());
        let (user, channel) = match uc.map(|uc| uc.split_once('/').unwrap_or((uc, ""))) {
            Some((u, c)) => (opt(u), opt(c)),
            None => (None, None),
        };
        let (package_id, prev) = match binary {
            Some(b) => match b.split_once('#') {
                Some((id, p)) => (opt(id), opt(strip_timestamp(p))),
                None => (opt(b), None),
            },
            None => (None, None),
        };
        Some(ConanRef {
            name: name.to_string(),
            version: opt(version),
            user,
            channel,
            rrev: rrev.and_then(opt),
            package_id,
            prev,
        })
    }
}

fn strip_timestamp(s: &str) -> &str {
    s.split_once('%').map_or(s, |(a, _)| a)
}

/// `pkg:conan/<name>@<version>?channel=..&rrev=..&user=..`.
pub fn conan_purl(r: &ConanRef) -> Result<Purl, PurlError> {
    let mut p = Purl::new("conan", &r.name)?;
    if let Some(v) = &r.version {
        p = p.with_version(v);
    }
    for (k, v) in [
        ("user", &r.user),
        ("channel", &r.channel),
        ("rrev", &r.rrev),
    ] {
        if let Some(v) = v {
            p = p.with_qualifier(k, v)?;
        }
    }
    Ok(p)
}

/// The 1-based line of the first `"key"` that is followed by `:` (an object key).
pub(crate) fn json_key_line(text: &str, key: &str, from: usize) -> Option<u32> {
    let needle = format!("\"{key}\"");
    let mut start = from.min(text.len());
    while let Some(i) = text.get(start..)?.find(&needle) {
        let at = start + i;
        let rest = text.get(at + needle.len()..)?.trim_start();
        if rest.starts_with(':') {
            return Some(line_of(text, at));
        }
        start = at + needle.len();
    }
    None
}

/// The byte offset of the first `"value"` at or after `from`.
fn json_string_at(text: &str, value: &str, from: usize) -> Option<usize> {
    let needle = format!("\"{value}\"");
    text.get(from.min(text.len())..)?
        .find(&needle)
        .map(|i| i + from)
}

/// Parses the text of a `conan.lock`; `path` is used for locations and errors.
pub fn parse_conan_lock(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let Some(obj) = doc.as_object() else {
        return Err(CatalogError::new(path, "a conan.lock is a JSON object").at_line(1));
    };
    if let Some(graph) = obj.get("graph_lock") {
        return graph_lock(path, text, graph);
    }
    let version = obj.get("version").and_then(Value::as_str);
    if version.is_some() && obj.contains_key("requires") {
        return flat_lock(path, text, obj);
    }
    Err(CatalogError::new(
        path,
        "neither a `graph_lock` nor a `requires` list: not a conan.lock",
    )
    .at_line(1))
}

fn package(path: &str, r: &ConanRef, line: Option<u32>) -> Result<Package, CatalogError> {
    let purl = conan_purl(r).map_err(|e| {
        let err = CatalogError::new(path, format!("package `{}`: {e}", r.name));
        match line {
            Some(l) => err.at_line(l),
            None => err,
        }
    })?;
    let mut loc = Location::new(path);
    if let Some(l) = line {
        loc = loc.with_line(l);
    }
    let mut pkg = Package::new(Ecosystem::Conan, r.name.as_str(), r.version.as_deref())
        .with_purl(purl)
        .with_location(loc);
    if let Some(id) = &r.package_id {
        pkg = pkg.with_property(PROP_PACKAGE_ID, id.as_str());
    }
    if let Some(prev) = r.prev.as_ref().filter(|p| p.as_str() != "0") {
        pkg = pkg.with_property(PROP_PREV, prev.as_str());
    }
    Ok(pkg)
}

/// Conan 2 (`"version": "0.5"`): flat reference lists.
fn flat_lock(
    path: &str,
    text: &str,
    obj: &serde_json::Map<String, Value>,
) -> Result<Inventory, CatalogError> {
    let lines = LineIndex::new(text);
    let mut inv = Inventory::default();
    for (key, scope) in [
        ("requires", Scope::Runtime),
        ("build_requires", Scope::Dev),
        ("python_requires", Scope::Dev),
        ("config_requires", Scope::Dev),
    ] {
        let Some(list) = obj.get(key) else { continue };
        let list_line = json_key_line(text, key, 0);
        let Some(list) = list.as_array() else {
            let e = CatalogError::new(path, format!("`{key}` is not a list"))
                .at_pointer(format!("/{key}"));
            return Err(match list_line {
                Some(l) => e.at_line(l),
                None => e,
            });
        };
        let from = text.find(&format!("\"{key}\"")).unwrap_or(0);
        for (i, item) in list.iter().enumerate() {
            let pointer = format!("/{key}/{i}");
            let s = item.as_str().ok_or_else(|| {
                CatalogError::new(path, "a reference is not a string").at_pointer(pointer.clone())
            })?;
            let line = json_string_at(text, s, from).map(|at| lines.line(at));
            let r = ConanRef::parse(s).ok_or_else(|| {
                let e =
                    CatalogError::new(path, format!("invalid reference `{s}`")).at_pointer(pointer);
                match line {
                    Some(l) => e.at_line(l),
                    None => e,
                }
            })?;
            let mut pkg = package(path, &r, line)?.with_scope(scope);
            if key == "python_requires" {
                pkg = pkg.with_property(PROP_PYTHON_REQUIRES, "true");
            }
            inv.add_package(pkg);
        }
    }
    Ok(inv)
}

/// Node ids listed under `key`: a list of ids, or (old formats) a map `{ref: id}`.
fn node_ids(node: &Value, key: &str) -> Vec<String> {
    match node.get(key) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::Object(m)) => m
            .values()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Conan 1 graph locks.
fn graph_lock(path: &str, text: &str, graph: &Value) -> Result<Inventory, CatalogError> {
    let Some(nodes) = graph.get("nodes").and_then(Value::as_object) else {
        return Err(
            CatalogError::new(path, "`graph_lock.nodes` is missing or not an object")
                .at_pointer("/graph_lock/nodes")
                .at_line(json_key_line(text, "graph_lock", 0).unwrap_or(1)),
        );
    };
    let nodes_at = text.find("\"nodes\"").unwrap_or(0);
    let lines = LineIndex::new(text);
    let mut roots: Vec<&str> = nodes
        .iter()
        .filter(|(_, n)| n.get("path").is_some())
        .map(|(k, _)| k.as_str())
        .collect();
    if roots.is_empty() && nodes.contains_key("0") {
        roots.push("0");
    }

    // Runtime: reachable from a root through `requires`, outside the build context.
    let is_build = |id: &str| {
        nodes
            .get(id)
            .and_then(|n| n.get("context"))
            .and_then(Value::as_str)
            == Some("build")
    };
    let mut runtime: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = roots.iter().map(|r| r.to_string()).collect();
    while let Some(id) = queue.pop_front() {
        if is_build(&id) || !runtime.insert(id.clone()) {
            continue;
        }
        if let Some(n) = nodes.get(&id) {
            queue.extend(node_ids(n, "requires"));
        }
    }

    let mut inv = Inventory::default();
    let mut ids: BTreeMap<&str, PackageId> = BTreeMap::new();
    let mut invalid: Vec<String> = Vec::new();
    for (key, node) in nodes {
        let line = json_key_line(text, key, nodes_at);
        let reference = node
            .get("ref")
            .or_else(|| node.get("pref"))
            .and_then(Value::as_str);
        let Some(reference) = reference else { continue };
        let Some(r) = ConanRef::parse(reference) else {
            invalid.push(reference.to_string());
            continue;
        };
        let mut pkg = package(path, &r, line)?;
        if roots.contains(&key.as_str()) {
            pkg = pkg.with_kind(PackageKind::Project);
        } else if !runtime.contains(key) {
            pkg = pkg.with_scope(Scope::Dev);
        }
        if is_build(key) {
            pkg = pkg.with_property(PROP_CONTEXT, "build");
        }
        if let Some(prev) = node
            .get("prev")
            .and_then(Value::as_str)
            .filter(|p| *p != "0")
        {
            pkg = pkg.with_property(PROP_PREV, prev);
        }
        if let Some(id) = node.get("package_id").and_then(Value::as_str) {
            pkg = pkg.with_property(PROP_PACKAGE_ID, id);
        }
        let id = inv.add_package(pkg);
        if roots.contains(&key.as_str()) {
            inv.add_root(id);
        }
        ids.insert(key.as_str(), id);
    }

    for (key, node) in nodes {
        let Some(&from) = ids.get(key.as_str()) else {
            continue;
        };
        for dep in node_ids(node, "requires")
            .into_iter()
            .chain(node_ids(node, "build_requires"))
        {
            if let Some(&to) = ids.get(dep.as_str()) {
                inv.add_edge(from, to);
            }
        }
        // python_requires: references (Conan 1.x lists refs, not node ids).
        if let Some(list) = node.get("python_requires").and_then(Value::as_array) {
            for s in list.iter().filter_map(Value::as_str) {
                let to = match ids.get(s) {
                    Some(&to) => to,
                    None => {
                        let Some(r) = ConanRef::parse(s) else {
                            invalid.push(s.to_string());
                            continue;
                        };
                        let line = json_string_at(text, s, nodes_at).map(|at| lines.line(at));
                        let pkg = package(path, &r, line)?
                            .with_scope(Scope::Dev)
                            .with_property(PROP_PYTHON_REQUIRES, "true");
                        inv.add_package(pkg)
                    }
                };
                inv.add_edge(from, to);
            }
        }
    }

    if !invalid.is_empty() {
        let root = roots.iter().find_map(|r| ids.get(r).copied());
        match root {
            Some(root) => {
                inv.package_mut(root)
                    .properties
                    .insert(PROP_INVALID_REF.to_string(), invalid.join(", "));
            }
            None => {
                let first = &invalid[0];
                let line = json_string_at(text, first, nodes_at).map_or(1, |at| line_of(text, at));
                return Err(
                    CatalogError::new(path, format!("invalid reference `{first}`")).at_line(line),
                );
            }
        }
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs() {
        let r = ConanRef::parse("zlib/1.2.11@bincrafters/testing#5f49%1667.1:1972#5884");
        let r = r.expect("parses");
        assert_eq!(r.name, "zlib");
        assert_eq!(r.version.as_deref(), Some("1.2.11"));
        assert_eq!(r.user.as_deref(), Some("bincrafters"));
        assert_eq!(r.channel.as_deref(), Some("testing"));
        assert_eq!(r.rrev.as_deref(), Some("5f49"));
        assert_eq!(r.package_id.as_deref(), Some("1972"));
        assert_eq!(r.prev.as_deref(), Some("5884"));
        let r = ConanRef::parse("a/1@_/_").expect("parses");
        assert_eq!((r.user, r.channel), (None, None));
        assert!(ConanRef::parse("1.2.3").is_none());
        assert!(ConanRef::parse("/1.0").is_none());
        let p = conan_purl(&ConanRef::parse("openssl/3.0.3@bincrafters/stable#abc").expect("ok"));
        assert_eq!(
            p.map(|p| p.to_string()).as_deref(),
            Ok("pkg:conan/openssl@3.0.3?channel=stable&rrev=abc&user=bincrafters")
        );
    }

    #[test]
    fn key_lines() {
        let t = "{\n \"prev\": \"0\",\n \"0\": {}\n}";
        assert_eq!(json_key_line(t, "0", 0), Some(3));
    }
}
