//! npm `package-lock.json` and `npm-shrinkwrap.json`, lockfileVersion 1, 2 and 3.
//!
//! * v2/v3: the `packages` map (keyed by install path) is read; the v1 `dependencies` tree
//!   that v2 files also carry is ignored. Files with only a `dependencies` tree (v1, and
//!   some hand-written v2 files) are read from the tree.
//! * The root entry (`""`, or the top-level `name`/`version` of a v1 file) becomes a
//!   [`PackageKind::Project`] package and an inventory root. Folders matched by the root's
//!   `workspaces` patterns are projects and roots too, and the root depends on each of them.
//!   Other folders outside `node_modules` (`file:` dependencies) are libraries whose
//!   source is `file:<path>`.
//! * `link: true` entries are not packages: whatever depends on the link depends on the
//!   package of the folder it points to.
//! * Edges follow Node's resolution: a dependency `x` of the package at `p` is the first of
//!   `p/node_modules/x`, then the `node_modules/x` of each parent folder up to the root.
//!   `devDependencies` count only for the root and workspace members (npm installs no
//!   others). Optional and peer dependencies that are not installed are skipped; any other
//!   unresolved dependency is listed in the `chainproof:npm:unresolved` property of the
//!   dependent.
//! * v1 roots: the lockfile does not record the root's dependencies, so they are read from
//!   the sibling `package.json`; without one, the root depends on every top-level entry no
//!   other entry requires.
//! * Scope: `dev` → [`Scope::Dev`]; `optional` or `devOptional` → [`Scope::Optional`];
//!   otherwise runtime. `devOptional` marks a package that is both in the dev tree and an
//!   optional dependency of the production tree: a production install with optional
//!   dependencies (npm's default) installs it, so it is optional rather than dev.
//! * Properties: `chainproof:npm:peer`, `chainproof:npm:bundled` (`inBundle`/`bundled`),
//!   `chainproof:npm:extraneous`, `chainproof:npm:alias` (the name it is installed under when
//!   that differs from the real name), `chainproof:npm:unresolved`.
//! * Non-registry v1 versions: git specs give the commit as version and the spec as source;
//!   `file:` and tarball URLs give no version (a tarball named `name-1.2.3.tgz` gives
//!   `1.2.3`) and the spec as source.

mod model;
mod sri;

use std::collections::{BTreeSet, HashMap};

use chainproof_core::{
    Ecosystem, Inventory, License, Location, Package, PackageId, PackageKind, Scope,
};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use serde_json::Value;

use crate::{CatalogError, Cataloger, CatalogerInfo};
use model::{DepKind, Node};

pub use sri::{decode_base64, parse_integrity};

/// Reads `package-lock.json` and `npm-shrinkwrap.json` (lockfileVersion 1, 2, 3).
pub struct PackageLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "npm-package-lock",
    ecosystem: "npm",
    files: "`package-lock.json`, `npm-shrinkwrap.json` v1–v3",
    edges: true,
    licenses: true,
    scopes: true,
    hashes: true,
};

impl Cataloger for PackageLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        matches!(file_name(path), "package-lock.json" | "npm-shrinkwrap.json")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let doc: Value = serde_json::from_str(&text).map_err(|e| CatalogError::json(path, &e))?;
        let Some(top) = doc.as_object() else {
            let at = text.len() - text.trim_start().len();
            let (line, col) = crate::util::line_col(&text, at);
            return Err(CatalogError::new(
                path,
                "not a package-lock: the top-level value is not a JSON object",
            )
            .at_line(line)
            .at_column(col));
        };
        let str_of = |k: &str| top.get(k).and_then(Value::as_str).map(str::to_string);

        let mut root_deps_inferred = false;
        let mut nodes = if let Some(packages) = top.get("packages") {
            model::read_packages(path, packages)?
        } else if let Some(deps) = top.get("dependencies") {
            model::read_tree(path, deps)?
        } else {
            Vec::new()
        };
        // The root node: the "" entry, or one made from the top-level fields.
        let root_index = match nodes.iter().position(|n| n.path.is_empty()) {
            Some(i) => i,
            None => {
                let mut root = Node {
                    pointer: String::new(),
                    ..Node::default()
                };
                if top.get("packages").is_none() {
                    match sibling_package_json(resolver, path) {
                        Some(pj) => root.deps = model::package_json_deps(&pj),
                        None => root_deps_inferred = true,
                    }
                }
                nodes.push(root);
                nodes.len() - 1
            }
        };
        {
            // The `""` entry mirrors package.json and wins; the top-level `name` and
            // `version` are used only when it names nothing (v1 files, sparse entries).
            let root = &mut nodes[root_index];
            if root.name.is_none() {
                root.name = str_of("name").or_else(|| {
                    let dir = file_name(parent_dir(path));
                    Some(if dir.is_empty() { "root" } else { dir }.to_string())
                });
                if root.version.is_none() {
                    root.version = str_of("version");
                }
            }
        }
        let lines = crate::jsonpos::object_lines(&text);
        Ok(build(path, nodes, root_index, root_deps_inferred, &lines))
    }
}

fn sibling_package_json(resolver: &dyn FileResolver, lockfile: &str) -> Option<Value> {
    let pj = join_relative(parent_dir(lockfile), "package.json")?;
    if !resolver.exists(&pj) {
        return None;
    }
    serde_json::from_str(&resolver.read_to_string(&pj).ok()?).ok()
}

/// Cleans a link target or workspace pattern: no leading `./`, no trailing `/`.
fn clean_path(p: &str) -> String {
    let mut s = p.trim();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.trim_end_matches('/').to_string()
}

fn build(
    file: &str,
    mut nodes: Vec<Node>,
    root: usize,
    root_deps_inferred: bool,
    lines: &HashMap<String, u32>,
) -> Inventory {
    // Link targets missing from the map become empty folder entries.
    let targets: Vec<(String, String)> = nodes
        .iter()
        .filter_map(|n| n.link.as_ref().map(|t| (clean_path(t), n.pointer.clone())))
        .collect();
    for (target, ptr) in targets {
        if !nodes.iter().any(|n| n.path == target) {
            nodes.push(Node {
                path: target,
                pointer: ptr,
                ..Node::default()
            });
        }
    }
    let index = model::index(&nodes);
    // For each link target: the first link's name, and the links' scopes.
    let mut link_names: HashMap<String, String> = HashMap::new();
    let mut link_scope: HashMap<String, Scope> = HashMap::new();
    for n in &nodes {
        if let Some(t) = &n.link {
            let t = clean_path(t);
            link_names
                .entry(t.clone())
                .or_insert_with(|| model::name_from_path(&n.path).to_string());
            let s = scope_of(n);
            link_scope
                .entry(t)
                .and_modify(|x| *x = x.merge(s))
                .or_insert(s);
        }
    }
    let patterns: Vec<String> = nodes[root]
        .workspaces
        .iter()
        .map(|p| clean_path(p))
        .collect();
    let is_workspace = |path: &str| {
        !path.is_empty()
            && !path.starts_with("../")
            && !model::in_node_modules(path)
            && patterns.iter().any(|p| glob_match(p, path))
    };

    let mut inv = Inventory::default();
    let mut ids: Vec<Option<PackageId>> = vec![None; nodes.len()];
    let mut members = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        if n.link.is_some() {
            continue;
        }
        let project = i == root || is_workspace(&n.path);
        let mut pkg = package_of(file, n, &link_names, lines);
        if project {
            pkg.kind = PackageKind::Project;
            pkg.scope = Scope::Runtime;
        } else if !n.dev
            && !n.optional
            && !n.dev_optional
            && let Some(s) = link_scope.get(&n.path)
        {
            pkg.scope = *s;
        }
        let id = inv.add_package(pkg);
        ids[i] = Some(id);
        if i == root {
            inv.add_root(id);
        } else if project {
            inv.add_root(id);
            members.push(id);
        }
    }
    // Links take the id of their target (following chains of links).
    for i in 0..nodes.len() {
        if ids[i].is_none() {
            ids[i] = follow(&nodes, &index, i).and_then(|j| ids[j]);
        }
    }
    let root_id = ids[root];

    let mut reached = vec![false; nodes.len()];
    let mut unresolved: HashMap<PackageId, BTreeSet<String>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        let Some(from) = ids[i] else { continue };
        if n.link.is_some() {
            continue;
        }
        let with_dev = i == root || is_workspace(&n.path);
        for (name, kind) in &n.deps {
            if *kind == DepKind::Dev && !with_dev {
                continue;
            }
            let target = resolve(&index, &n.path, name).and_then(|j| follow(&nodes, &index, j));
            match target.and_then(|j| ids[j].map(|id| (j, id))) {
                Some((j, to)) => {
                    if i != root {
                        reached[j] = true;
                    }
                    inv.add_edge(from, to);
                }
                None if kind.may_be_missing() => {}
                None => {
                    unresolved.entry(from).or_default().insert(name.clone());
                }
            }
        }
    }
    if let Some(root_id) = root_id {
        for m in members {
            inv.add_edge(root_id, m);
        }
        if root_deps_inferred {
            for (j, n) in nodes.iter().enumerate() {
                let top_level = n.path.starts_with("node_modules/")
                    && !n.path["node_modules/".len()..].contains("/node_modules/");
                if top_level
                    && !reached[j]
                    && let Some(to) = ids[j]
                {
                    inv.add_edge(root_id, to);
                }
            }
        }
    }
    for (id, names) in unresolved {
        let list: Vec<String> = names.into_iter().collect();
        inv.package_mut(id)
            .properties
            .insert("chainproof:npm:unresolved".into(), list.join(","));
    }
    inv
}

/// Follows a chain of links to a real entry (at most 16 hops, so cycles end).
fn follow(nodes: &[Node], index: &HashMap<&str, usize>, mut i: usize) -> Option<usize> {
    for _ in 0..16 {
        match &nodes[i].link {
            None => return Some(i),
            Some(t) => i = *index.get(clean_path(t).as_str())?,
        }
    }
    None
}

/// Node's module resolution: `<dir>/node_modules/<name>` for `dir` = the package's own
/// folder, then each parent folder (skipping folders that are themselves `node_modules`).
fn resolve(index: &HashMap<&str, usize>, from: &str, name: &str) -> Option<usize> {
    let mut dir = from;
    loop {
        if file_name(dir) != "node_modules" {
            let candidate = if dir.is_empty() {
                format!("node_modules/{name}")
            } else {
                format!("{dir}/node_modules/{name}")
            };
            if let Some(&i) = index.get(candidate.as_str()) {
                return Some(i);
            }
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent_dir(dir);
    }
}

fn scope_of(n: &Node) -> Scope {
    if n.dev {
        Scope::Dev
    } else if n.optional || n.dev_optional {
        Scope::Optional
    } else {
        Scope::Runtime
    }
}

fn package_of(
    file: &str,
    n: &Node,
    link_names: &HashMap<String, String>,
    lines: &HashMap<String, u32>,
) -> Package {
    let installed_as = model::name_from_path(&n.path);
    let name = match &n.name {
        Some(name) => name.clone(),
        None if !model::in_node_modules(&n.path) => link_names
            .get(&n.path)
            .cloned()
            .unwrap_or_else(|| installed_as.to_string()),
        None => installed_as.to_string(),
    };
    let mut version = n.version.clone();
    let mut source = n.resolved.clone();
    if let Some(raw) = &n.raw_version {
        version = non_registry_version(raw, &name);
        source = Some(raw.clone());
    }
    if source.is_none() && !n.path.is_empty() && !model::in_node_modules(&n.path) {
        source = Some(format!("file:{}", n.path));
    }
    let mut pkg =
        Package::new(Ecosystem::Npm, name.clone(), version.as_deref()).with_scope(scope_of(n));
    if let Some(purl) = npm_purl(&name, version.as_deref()) {
        pkg = pkg.with_purl(purl);
    }
    let mut location = Location::new(file);
    location.line = lines
        .get(&n.pointer)
        .copied()
        .or(n.path.is_empty().then_some(1));
    pkg = pkg.with_location(location);
    if let Some(s) = source {
        pkg = pkg.with_source(s);
    }
    if let Some(i) = &n.integrity {
        for h in sri::parse_integrity(i) {
            pkg = pkg.with_hash(h);
        }
    }
    if let Some(l) = &n.license {
        pkg = pkg.with_license(License::parse(l));
    }
    let flags = [
        ("chainproof:npm:peer", n.peer),
        ("chainproof:npm:bundled", n.bundled),
        ("chainproof:npm:extraneous", n.extraneous),
    ];
    for (key, on) in flags {
        if on {
            pkg = pkg.with_property(key, "true");
        }
    }
    if model::in_node_modules(&n.path) && installed_as != name {
        pkg = pkg.with_property("chainproof:npm:alias", installed_as);
    }
    pkg
}

/// `pkg:npm/%40scope/name@version`; `None` for names a purl cannot hold.
pub fn npm_purl(name: &str, version: Option<&str>) -> Option<Purl> {
    let purl = match name.strip_prefix('@').and_then(|r| r.split_once('/')) {
        Some((scope, bare)) => Purl::new("npm", bare)
            .ok()?
            .with_namespace(&format!("@{scope}"))
            .ok()?,
        None => Purl::new("npm", name).ok()?,
    };
    Some(match version {
        Some(v) => purl.with_version(v),
        None => purl,
    })
}

/// The version to report for a v1 non-registry `version` field (git, file, URL).
fn non_registry_version(raw: &str, name: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if lower.starts_with("file:") || lower.starts_with("link:") {
        return None;
    }
    let is_url = lower.starts_with("http://") || lower.starts_with("https://");
    if is_url && !lower.contains(".git#") && !lower.contains('#') {
        // A tarball: `.../name-1.2.3.tgz` or `.../-/name-1.2.3.tgz`.
        let file = raw.rsplit('/').next().unwrap_or(raw);
        let stem = file
            .strip_suffix(".tgz")
            .or_else(|| file.strip_suffix(".tar.gz"))?;
        let bare = name.rsplit('/').next().unwrap_or(name);
        let v = stem.strip_prefix(bare)?.strip_prefix('-')?;
        return model::is_registry_version(v).then(|| v.to_string());
    }
    // git specs: `git+ssh://...#<sha>`, `github:user/repo#<sha>`, `user/repo#<sha>`.
    let (_, rev) = raw.rsplit_once('#')?;
    let ok = rev.len() >= 7 && rev.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| rev.to_string())
}

/// Matches a workspace pattern: `*` within a segment, `**` for any number of segments.
pub(crate) fn glob_match(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // ok[i][j]: pat[i..] matches segs[j..]; filled from the end (no recursion).
    let (n, m) = (pat.len(), segs.len());
    let mut ok = vec![vec![false; m + 1]; n + 1];
    ok[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            ok[i][j] = if pat[i] == "**" {
                ok[i + 1][j] || (j < m && ok[i][j + 1])
            } else {
                j < m && segment_match(pat[i], segs[j]) && ok[i + 1][j + 1]
            };
        }
    }
    ok[0][0]
}

/// `*` matches any run of characters within one path segment.
fn segment_match(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !s.starts_with(first) || s.len() < first.len() + last.len() || !s.ends_with(last) {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("packages/*", "packages/a"));
        assert!(!glob_match("packages/*", "packages/a/b"));
        assert!(glob_match("packages/**", "packages/a/b"));
        assert!(glob_match("packages/a", "packages/a"));
        assert!(glob_match("pkg-*-x", "pkg-1-x"));
        assert!(!glob_match("pkg-*-x", "pkg-1-y"));
        assert!(glob_match("**/b", "x/y/b"));
    }

    #[test]
    fn purls_and_versions() {
        let p = npm_purl("@angular/core", Some("16.0.0")).expect("purl");
        assert_eq!(p.to_string(), "pkg:npm/%40angular/core@16.0.0");
        assert_eq!(npm_purl("", None), None);
        let sha = "af885e2e890b9ef0875edd2b117305119ee5bdc5";
        assert_eq!(
            non_registry_version(&format!("git+ssh://git@github.com/a/b.git#{sha}"), "b")
                .as_deref(),
            Some(sha)
        );
        assert_eq!(non_registry_version("file:deps/x", "x"), None);
        assert_eq!(
            non_registry_version("https://example.com/x/-/x-1.2.3.tgz", "x").as_deref(),
            Some("1.2.3")
        );
        assert_eq!(non_registry_version("github:a/b#main", "b"), None);
    }

    #[test]
    fn resolution_walks_up() {
        let paths = [
            "",
            "node_modules/a",
            "node_modules/a/node_modules/b",
            "node_modules/c",
        ];
        let nodes: Vec<Node> = paths
            .iter()
            .map(|p| Node {
                path: (*p).into(),
                ..Node::default()
            })
            .collect();
        let idx = model::index(&nodes);
        assert_eq!(resolve(&idx, "node_modules/a", "b"), Some(2));
        assert_eq!(resolve(&idx, "node_modules/a/node_modules/b", "c"), Some(3));
        assert_eq!(resolve(&idx, "node_modules/c", "b"), None);
        assert_eq!(resolve(&idx, "packages/x", "a"), Some(1));
    }
}
