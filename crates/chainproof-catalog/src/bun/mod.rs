//! bun's text lockfile `bun.lock` (bun ≥ 1.2; JSON with trailing commas and comments).
//!
//! * `workspaces` maps each workspace folder (`""` for the root) to its name and declared
//!   dependencies: each is a [`PackageKind::Project`] package and a root; the root depends
//!   on every member.
//! * `packages` maps an install key to an array: `[ "name@version", registry, info,
//!   integrity ]` for registry packages, `[ "name@github:u/r#sha", info, "commit-ish" ]` for
//!   git, `[ "name@file:..." , info ]` for folders and tarballs, `[ "name@workspace:path" ]`
//!   for workspaces. The `info` object holds `dependencies`, `optionalDependencies`,
//!   `peerDependencies` and `optionalPeers`.
//! * Keys are install paths written with `/` (`supports-color/has-flag` is the copy of
//!   `has-flag` nested under `supports-color`); a dependency `d` of the package at key `k`
//!   resolves like Node: `k/d`, then `d` under each shorter prefix of `k`, then `d`.
//!   Workspace members resolve under their name first.
//! * Git versions are the commit after `#` (as for npm v1 lockfiles); folders and tarballs
//!   have no version and the reference as source.
//! * Scope: reachability from the workspaces (runtime over optional over dev).
//! * `bun.lockb` (the older binary format) is not read: it is reported as unparsed with a
//!   message saying how to convert it — unless a `bun.lock` sits beside it.

mod jsonc;

use std::collections::{BTreeSet, HashMap};

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageKind, Scope};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use serde_json::{Map, Value};

use crate::npm::{npm_purl, parse_integrity};
use crate::yarn::manifest::{self, DepKind, declared_deps, split_descriptor};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads `bun.lock`; reports `bun.lockb` as unsupported.
pub struct BunLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "bun-lock",
    ecosystem: "npm",
    files: "`bun.lock` (text, bun ≥ 1.2); `bun.lockb` is reported as unsupported",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

impl Cataloger for BunLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        matches!(file_name(path), "bun.lock" | "bun.lockb")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        if file_name(path) == "bun.lockb" {
            let text_lock = join_relative(parent_dir(path), "bun.lock");
            if text_lock.is_some_and(|t| resolver.exists(&t)) {
                return Ok(Inventory::default());
            }
            return Err(CatalogError::new(
                path,
                "bun.lockb is bun's binary lockfile format, which is not supported: convert \
                 it with `bun install --save-text-lockfile` (writes bun.lock)",
            ));
        }
        let text = resolver.read_to_string(path)?;
        let json = jsonc::to_json(&text);
        let doc: Value = serde_json::from_str(&json).map_err(|e| CatalogError::json(path, &e))?;
        let Some(top) = doc.as_object() else {
            return Err(CatalogError::new(
                path,
                "not a bun.lock: the top-level value is not an object",
            )
            .at_line(1));
        };
        build(resolver, path, &text, top)
    }
}

struct Node {
    pkg: Package,
    /// Key segments (package names) of the install path; the name for workspaces.
    key: Vec<String>,
    deps: Vec<(String, String, DepKind)>,
    project: bool,
}

/// Splits an install key into package names (`@s/a/b` → `@s/a`, `b`).
fn key_segments(key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending: Option<&str> = None;
    for part in key.split('/') {
        match pending.take() {
            Some(scope) => out.push(format!("{scope}/{part}")),
            None if part.starts_with('@') => pending = Some(part),
            None => out.push(part.to_string()),
        }
    }
    if let Some(scope) = pending {
        out.push(scope.to_string());
    }
    out
}

/// Lines of the members of `packages`, by key (keys seen after the `"packages"` line).
fn package_lines(text: &str) -> HashMap<String, u32> {
    let mut out = HashMap::new();
    let mut in_packages = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if !in_packages {
            in_packages = t.starts_with("\"packages\"");
            continue;
        }
        let Some(rest) = t.strip_prefix('"') else {
            continue;
        };
        if let Some(end) = rest.find('"')
            && rest[end + 1..].trim_start().starts_with(':')
        {
            out.entry(rest[..end].to_string())
                .or_insert(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    out
}

fn is_git_reference(r: &str) -> bool {
    let l = r.to_ascii_lowercase();
    ["git+", "git:", "github:", "gitlab:", "bitbucket:"]
        .iter()
        .any(|p| l.starts_with(p))
        || l.contains(".git#")
}

fn build(
    resolver: &dyn FileResolver,
    file: &str,
    text: &str,
    top: &Map<String, Value>,
) -> Result<Inventory, CatalogError> {
    let lock_dir = parent_dir(file);
    let lines = package_lines(text);
    let mut nodes: Vec<Node> = Vec::new();
    let mut ws_by_path: HashMap<String, usize> = HashMap::new();
    if let Some(ws) = top.get("workspaces") {
        let ws = ws.as_object().ok_or_else(|| {
            CatalogError::new(file, "`workspaces` is not an object").at_pointer("/workspaces")
        })?;
        for (path, entry) in ws {
            let Some(obj) = entry.as_object() else {
                return Err(CatalogError::new(file, "workspace entry is not an object")
                    .at_pointer(format!("/workspaces/{path}")));
            };
            let dir = join_relative(lock_dir, path).unwrap_or_default();
            let m = manifest::read_dir_manifest(resolver, &dir);
            let name = obj
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| m.as_ref().and_then(|m| m.name.clone()))
                .unwrap_or_else(|| {
                    let d = file_name(&dir);
                    if d.is_empty() { "root" } else { d }.to_string()
                });
            let version = obj
                .get("version")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| m.as_ref().and_then(|m| m.version.clone()));
            let mut pkg = Package::new(Ecosystem::Npm, name.clone(), version.as_deref())
                .with_kind(PackageKind::Project)
                .with_location(Location::new(file));
            if let Some(p) = npm_purl(&name, version.as_deref()) {
                pkg = pkg.with_purl(p);
            }
            if !path.is_empty() {
                pkg = pkg.with_source(format!("workspace:{path}"));
            }
            ws_by_path.insert(path.clone(), nodes.len());
            nodes.push(Node {
                pkg,
                key: if path.is_empty() {
                    Vec::new()
                } else {
                    vec![name]
                },
                deps: declared_deps(obj),
                project: true,
            });
        }
    }
    // Install keys → node (workspace entries map to their project).
    let mut by_key: HashMap<String, usize> = HashMap::new();
    if let Some(pkgs) = top.get("packages") {
        let pkgs = pkgs.as_object().ok_or_else(|| {
            CatalogError::new(file, "`packages` is not an object").at_pointer("/packages")
        })?;
        for (key, value) in pkgs {
            let line = lines.get(key).copied();
            let err = |msg: String| {
                let e = CatalogError::new(file, msg).at_pointer(format!("/packages/{key}"));
                match line {
                    Some(l) => e.at_line(l),
                    None => e,
                }
            };
            let arr = value
                .as_array()
                .ok_or_else(|| err(format!("package `{key}` is not an array")))?;
            let ident = arr.first().and_then(Value::as_str).ok_or_else(|| {
                err(format!(
                    "package `{key}`: the first element is not a `name@version` string"
                ))
            })?;
            let (name, reference) = split_descriptor(ident)
                .ok_or_else(|| err(format!("package `{key}`: `{ident}` is not `name@version`")))?;
            if let Some(ws) = reference.strip_prefix("workspace:")
                && let Some(&i) = ws_by_path.get(ws)
            {
                by_key.insert(key.clone(), i);
                continue;
            }
            let info = arr.iter().skip(1).find_map(Value::as_object);
            let plain = !reference.contains(':') && !reference.contains('/');
            let mut version = None;
            let mut source = None;
            if plain {
                version = Some(reference.to_string());
            } else if is_git_reference(reference) {
                let rev = reference.rsplit_once('#').map(|(_, r)| r).unwrap_or("");
                if rev.len() >= 7 && rev.bytes().all(|b| b.is_ascii_hexdigit()) {
                    version = Some(rev.to_string());
                }
                source = Some(reference.to_string());
            } else {
                source = Some(reference.to_string());
            }
            let mut pkg = Package::new(Ecosystem::Npm, name, version.as_deref());
            if let Some(p) = npm_purl(name, version.as_deref()) {
                pkg = pkg.with_purl(p);
            }
            let mut loc = Location::new(file);
            loc.line = line;
            pkg = pkg.with_location(loc);
            if plain {
                if let Some(reg) = arr.get(1).and_then(Value::as_str).filter(|s| !s.is_empty()) {
                    source = Some(reg.to_string());
                }
                if let Some(i) = arr.get(3).and_then(Value::as_str) {
                    for h in parse_integrity(i) {
                        pkg = pkg.with_hash(h);
                    }
                }
            }
            if let Some(s) = source {
                pkg = pkg.with_source(s);
            }
            let segs = key_segments(key);
            if let Some(last) = segs.last()
                && last != name
            {
                pkg = pkg.with_property("chainproof:npm:alias", last.clone());
            }
            by_key.insert(key.clone(), nodes.len());
            nodes.push(Node {
                pkg,
                key: segs,
                deps: info.map(declared_deps).unwrap_or_default(),
                project: false,
            });
        }
    }
    let resolve = |from: &[String], name: &str| -> Option<usize> {
        for n in (0..=from.len()).rev() {
            let mut k = from[..n].join("/");
            if !k.is_empty() {
                k.push('/');
            }
            k.push_str(name);
            if let Some(&i) = by_key.get(&k) {
                return Some(i);
            }
        }
        None
    };
    let mut adjacency: Vec<Vec<(usize, Scope)>> = vec![Vec::new(); nodes.len()];
    let mut unresolved: Vec<BTreeSet<String>> = vec![BTreeSet::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        for (name, _, kind) in &n.deps {
            if *kind == DepKind::Dev && !n.project {
                continue;
            }
            match resolve(&n.key, name) {
                Some(j) if j != i => adjacency[i].push((j, kind.scope())),
                Some(_) => {}
                None if kind.may_be_missing() => {}
                None => {
                    unresolved[i].insert(name.clone());
                }
            }
        }
    }
    if let Some(&r) = ws_by_path.get("") {
        for (p, &m) in &ws_by_path {
            if !p.is_empty() {
                adjacency[r].push((m, Scope::Runtime));
            }
        }
    }
    let (pkgs, projects): (Vec<Package>, Vec<bool>) =
        nodes.into_iter().map(|n| (n.pkg, n.project)).unzip();
    Ok(crate::yarn::assemble(
        pkgs,
        &projects,
        &adjacency,
        &unresolved,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(key_segments("a"), vec!["a"]);
        assert_eq!(key_segments("@s/a/b"), vec!["@s/a", "b"]);
        assert_eq!(key_segments("a/@s/b/c"), vec!["a", "@s/b", "c"]);
        assert_eq!(key_segments("@s"), vec!["@s"]);
    }
}
