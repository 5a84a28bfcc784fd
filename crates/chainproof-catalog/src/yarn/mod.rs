//! yarn `yarn.lock`: the v1 text format and the berry (v2–v4) YAML format.
//!
//! * Each entry is keyed by the descriptors (`name@range`) it satisfies. Its real name is
//!   the `npm:` alias target (v1) or the name of its `resolution` (berry); when the key's
//!   name differs, it is kept in `chainproof:npm:alias`.
//! * v1: `resolved` becomes the source; a `#<40 hex>` suffix on a tarball URL is the
//!   tarball's SHA-1 (git URLs keep the fragment: it is a commit). `integrity` is decoded
//!   with [`crate::npm::parse_integrity`].
//! * berry: `checksum` is yarn's cache checksum (of the zip yarn stores, not of the
//!   registry tarball; v4 writes it as `10c0/<hex>`), so it is recorded as the
//!   `chainproof:yarn:checksum` property, never as a hash. Non-`npm:` resolutions (git,
//!   tarball, `file:`, `link:`, `portal:`) become the source. `patch:` resolutions are the
//!   patched base package (same name and version, so the same purl) with the
//!   `chainproof:yarn:patch` property. `@workspace:` entries (`linkType: soft`) are
//!   [`PackageKind::Project`] packages and roots.
//! * Edges: a dependency `name: range` resolves to the entry whose key holds `name@range`
//!   (berry also tries `name@npm:range`), or to the workspace project of that name.
//!   Unresolved dependencies that are not optional or peers are listed in
//!   `chainproof:npm:unresolved`.
//! * Projects: berry lockfiles carry their workspaces. A v1 lockfile (or a berry one
//!   without workspace entries) takes its root from the sibling `package.json` and its
//!   members from that manifest's `workspaces` folders; the root depends on each member.
//!   Manifests also tell dev and optional dependencies of projects apart.
//! * Scope: by reachability from the projects — runtime paths win over optional over dev
//!   (see [`crate::python::reach`]). Without any project, everything is runtime.

mod berry;
pub(crate) mod manifest;
mod v1;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, License, Location, Package, PackageId, PackageKind,
    Scope,
};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use crate::npm::{npm_purl, parse_integrity};
use crate::{CatalogError, Cataloger, CatalogerInfo};
use manifest::{DepKind, Manifest, split_descriptor};

/// Reads `yarn.lock`, v1 and berry (v2–v4).
pub struct YarnLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "yarn-lock",
    ecosystem: "npm",
    files: "`yarn.lock` v1 and berry (v2–v4)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

/// One lockfile entry, from either format.
#[derive(Debug, Clone, Default)]
pub(crate) struct Entry {
    pub descriptors: Vec<String>,
    /// The name in the first descriptor (the alias, for aliased entries).
    pub name: String,
    /// berry: the name of the `resolution` locator.
    pub real_name: Option<String>,
    pub version: Option<String>,
    /// v1 `resolved`.
    pub resolved: Option<String>,
    /// v1 `integrity`.
    pub integrity: Option<String>,
    /// berry: the reference part of `resolution` (`npm:1.2.3`, `workspace:.`, ...).
    pub resolution: Option<String>,
    pub checksum: Option<String>,
    pub soft_link: bool,
    /// (name, range, kind).
    pub deps: Vec<(String, String, DepKind)>,
    pub line: u32,
}

impl Cataloger for YarnLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "yarn.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let is_berry = text.lines().any(|l| l.starts_with("__metadata:"));
        let entries = if is_berry {
            berry::parse(path, &text)?.1
        } else {
            v1::parse(path, &text)?
        };
        Ok(build(resolver, path, entries, is_berry))
    }
}

/// A node of the graph: a lockfile entry or a project.
struct Node {
    pkg: Package,
    deps: Vec<(String, String, DepKind)>,
    project: bool,
}

fn is_git(url: &str) -> bool {
    let l = url.to_ascii_lowercase();
    ["git+", "git:", "git@", "github:", "gitlab:", "bitbucket:"]
        .iter()
        .any(|p| l.starts_with(p))
        || l.contains(".git#")
        || l.ends_with(".git")
}

/// The SHA-1 in a tarball URL's `#<hex>` fragment, and the URL without it.
pub(crate) fn split_sha1_fragment(resolved: &str) -> (String, Option<Hash>) {
    if is_git(resolved) {
        return (resolved.to_string(), None);
    }
    match resolved.rsplit_once('#') {
        Some((url, frag)) => match Hash::from_hex(HashAlgorithm::Sha1, frag) {
            Some(h) => (url.to_string(), Some(h)),
            None => (resolved.to_string(), None),
        },
        None => (resolved.to_string(), None),
    }
}

fn entry_package(file: &str, e: &Entry, workspace: Option<&Manifest>) -> Package {
    // v1 aliases: a descriptor `alias@npm:real@range`.
    let alias_target = e.descriptors.iter().find_map(|d| {
        let (_, range) = split_descriptor(d)?;
        let (real, _) = split_descriptor(range.strip_prefix("npm:")?)?;
        Some(real.to_string())
    });
    let reference = e.resolution.as_deref().unwrap_or("");
    let is_workspace = reference.starts_with("workspace:");
    // A workspace is named by its manifest when there is one.
    let name = workspace
        .filter(|_| is_workspace)
        .and_then(|m| m.name.clone())
        .or_else(|| e.real_name.clone())
        .or(alias_target)
        .unwrap_or_else(|| e.name.clone());
    let workspace_version = workspace.and_then(|m| m.version.as_deref());
    let workspace = is_workspace;
    let mut version = e.version.clone();
    if workspace {
        version = workspace_version.map(str::to_string);
    } else if version.as_deref() == Some("0.0.0-use.local") {
        version = None;
    }
    let mut pkg = Package::new(Ecosystem::Npm, name.clone(), version.as_deref());
    if let Some(purl) = npm_purl(&name, version.as_deref()) {
        pkg = pkg.with_purl(purl);
    }
    let mut loc = Location::new(file);
    if e.line > 0 {
        loc = loc.with_line(e.line);
    }
    pkg = pkg.with_location(loc);
    if name != e.name && !workspace {
        pkg = pkg.with_property("chainproof:npm:alias", e.name.clone());
    }
    if let Some(r) = &e.resolved {
        let (source, sha1) = split_sha1_fragment(r);
        pkg = pkg.with_source(source);
        if let Some(h) = sha1 {
            pkg = pkg.with_hash(h);
        }
    }
    if let Some(i) = &e.integrity {
        for h in parse_integrity(i) {
            pkg = pkg.with_hash(h);
        }
    }
    if let Some(c) = &e.checksum {
        pkg = pkg.with_property("chainproof:yarn:checksum", c.clone());
    }
    if reference.starts_with("patch:") {
        pkg = pkg.with_property("chainproof:yarn:patch", format!("{name}@{reference}"));
    } else if workspace {
        pkg.kind = PackageKind::Project;
        if let Some(p) = reference.strip_prefix("workspace:") {
            pkg = pkg.with_source(format!("workspace:{p}"));
        }
    } else if !reference.is_empty() && !reference.starts_with("npm:") {
        pkg = pkg.with_source(reference.to_string());
    }
    if e.soft_link && !workspace {
        pkg = pkg.with_property("chainproof:yarn:link", "soft");
    }
    pkg
}

fn project_package(dir: &str, m: &Manifest) -> Package {
    let name = m.name.clone().unwrap_or_else(|| {
        let d = file_name(dir);
        if d.is_empty() { "root" } else { d }.to_string()
    });
    let mut pkg = Package::new(Ecosystem::Npm, name.clone(), m.version.as_deref())
        .with_kind(PackageKind::Project);
    if let Some(purl) = npm_purl(&name, m.version.as_deref()) {
        pkg = pkg.with_purl(purl);
    }
    if let Some(pj) = join_relative(dir, "package.json") {
        pkg = pkg.with_location(Location::new(pj));
    }
    if let Some(l) = &m.license {
        pkg = pkg.with_license(License::parse(l));
    }
    pkg
}

fn build(resolver: &dyn FileResolver, file: &str, entries: Vec<Entry>, berry: bool) -> Inventory {
    let lock_dir = parent_dir(file);
    let mut nodes: Vec<Node> = Vec::with_capacity(entries.len() + 1);
    let mut by_descriptor: HashMap<String, usize> = HashMap::new();
    let mut root: Option<usize> = None;
    let mut members: Vec<usize> = Vec::new();
    for e in entries {
        let ws_path = e
            .resolution
            .as_deref()
            .and_then(|r| r.strip_prefix("workspace:"))
            .map(str::to_string);
        let manifest = ws_path
            .as_ref()
            .and_then(|p| join_relative(lock_dir, p))
            .and_then(|d| manifest::read_dir_manifest(resolver, &d));
        let pkg = entry_package(file, &e, manifest.as_ref());
        let mut deps = e.deps.clone();
        if let Some(m) = &manifest {
            // The lockfile merges a workspace's dev dependencies into `dependencies`.
            for d in &mut deps {
                if let Some(k) = m.kind_of(&d.0) {
                    d.2 = k;
                }
            }
        }
        let i = nodes.len();
        for d in &e.descriptors {
            by_descriptor.entry(d.clone()).or_insert(i);
            // berry binds relative `patch:`/`file:` descriptors to their workspace with
            // `::locator=...`; dependents may name them without the binding.
            if let Some((unbound, _)) = d.split_once("::") {
                by_descriptor.entry(unbound.to_string()).or_insert(i);
            }
        }
        match ws_path.as_deref() {
            Some(".") | Some("") => root = Some(i),
            Some(_) => members.push(i),
            None => {}
        }
        nodes.push(Node {
            project: ws_path.is_some(),
            pkg,
            deps,
        });
    }
    let root_manifest = manifest::read_dir_manifest(resolver, lock_dir);
    let overrides: Vec<(String, String)> = root_manifest
        .as_ref()
        .map(|m| m.resolutions.clone())
        .unwrap_or_default();
    // Without workspace entries: the sibling package.json is the root.
    if (!berry || (root.is_none() && members.is_empty()))
        && let Some(m) = &root_manifest
    {
        root = Some(nodes.len());
        nodes.push(Node {
            pkg: project_package(lock_dir, m),
            deps: m.deps.clone(),
            project: true,
        });
        for dir in manifest::workspace_dirs(resolver, lock_dir, &m.workspaces) {
            if let Some(wm) = manifest::read_dir_manifest(resolver, &dir) {
                members.push(nodes.len());
                nodes.push(Node {
                    pkg: project_package(&dir, &wm),
                    deps: wm.deps.clone(),
                    project: true,
                });
            }
        }
    }
    let project_by_name: HashMap<String, usize> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.project)
        .map(|(i, n)| (n.pkg.name.clone(), i))
        .collect();
    let lookup = |name: &str, range: &str| -> Option<usize> {
        let unbound = range.split_once("::").map_or(range, |(r, _)| r);
        for r in [range, unbound] {
            if let Some(&i) = by_descriptor.get(&format!("{name}@{r}")) {
                return Some(i);
            }
        }
        if !range.contains(':')
            && let Some(&i) = by_descriptor.get(&format!("{name}@npm:{range}"))
        {
            return Some(i);
        }
        project_by_name.get(name).copied()
    };
    let resolve = |name: &str, range: &str| -> Option<usize> {
        lookup(name, range).or_else(|| {
            // A `resolutions` override replaced the declared range.
            overrides
                .iter()
                .filter(|(n, _)| n == name)
                .find_map(|(_, r)| lookup(name, r))
        })
    };

    let mut adjacency: Vec<Vec<(usize, Scope)>> = vec![Vec::new(); nodes.len()];
    let mut unresolved: Vec<BTreeSet<String>> = vec![BTreeSet::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        for (name, range, kind) in &n.deps {
            if *kind == DepKind::Dev && !n.project {
                continue;
            }
            match resolve(name, range) {
                Some(j) if j != i => adjacency[i].push((j, kind.scope())),
                Some(_) => {}
                None if kind.may_be_missing() => {}
                None => {
                    unresolved[i].insert(format!("{name}@{range}"));
                }
            }
        }
    }
    if let Some(r) = root {
        for &m in &members {
            if m != r {
                adjacency[r].push((m, Scope::Runtime));
            }
        }
    }
    let (pkgs, projects): (Vec<Package>, Vec<bool>) =
        nodes.into_iter().map(|n| (n.pkg, n.project)).unzip();
    assemble(pkgs, &projects, &adjacency, &unresolved)
}

/// Builds the inventory of a lockfile graph: `adjacency[i]` lists `(target, edge scope)`,
/// projects are roots and the seeds of scope reachability. Entries that turn out to be
/// one package (same purl) get the best scope any of them reached.
pub(crate) fn assemble(
    pkgs: Vec<Package>,
    projects: &[bool],
    adjacency: &[Vec<(usize, Scope)>],
    unresolved: &[BTreeSet<String>],
) -> Inventory {
    let seeds: Vec<(usize, Scope)> = (0..pkgs.len())
        .filter(|&i| projects[i])
        .map(|i| (i, Scope::Runtime))
        .collect();
    let reached = crate::python::reach(pkgs.len(), &seeds, adjacency);
    let mut inv = Inventory::default();
    let mut ids = Vec::with_capacity(pkgs.len());
    let mut best: BTreeMap<PackageId, Scope> = BTreeMap::new();
    for (i, mut pkg) in pkgs.into_iter().enumerate() {
        pkg.scope = Scope::Runtime;
        if let Some(list) = unresolved.get(i).filter(|u| !u.is_empty()) {
            let list: Vec<&str> = list.iter().map(String::as_str).collect();
            pkg = pkg.with_property("chainproof:npm:unresolved", list.join(","));
        }
        let id = inv.add_package(pkg);
        if projects[i] {
            inv.add_root(id);
        } else if let Some(s) = reached[i] {
            best.entry(id).and_modify(|b| *b = b.merge(s)).or_insert(s);
        }
        ids.push(id);
    }
    for (i, targets) in adjacency.iter().enumerate() {
        for (j, _) in targets {
            inv.add_edge(ids[i], ids[*j]);
        }
    }
    for (id, s) in best {
        let pkg = inv.package_mut(id);
        if pkg.kind != PackageKind::Project {
            pkg.scope = s;
        }
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_fragments() {
        let (u, h) = split_sha1_fragment(
            "https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#082cb2c89c9fe8659a311a53bd6a4dc5301db304",
        );
        assert_eq!(u, "https://registry.yarnpkg.com/a/-/a-1.0.0.tgz");
        assert_eq!(
            h.map(|h| h.value).as_deref(),
            Some("082cb2c89c9fe8659a311a53bd6a4dc5301db304")
        );
        let git = "git+ssh://git@github.com/a/b.git#082cb2c89c9fe8659a311a53bd6a4dc5301db304";
        assert_eq!(split_sha1_fragment(git), (git.to_string(), None));
        assert_eq!(split_sha1_fragment("https://x/y.tgz").1, None);
    }
}
