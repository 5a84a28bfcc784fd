//! From the read lockfile to packages, edges, roots and scopes.

use std::collections::{BTreeSet, HashMap, VecDeque};

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageId, PackageKind, Scope};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use serde_json::Value;

use super::keys::{self, Target};
use super::model::{DepKind, Instance, Lock, Meta};
use crate::npm::{npm_purl, parse_integrity};

/// An edge between graph nodes (instances, projects, linked folders) with the way it was
/// declared, for scopes. Several nodes may share one package (peer instances).
type Edge = (usize, usize, DepKind);

struct Builder<'a> {
    resolver: &'a dyn FileResolver,
    file: &'a str,
    lock: &'a Lock,
    inv: Inventory,
    /// Node → its package.
    nodes: Vec<PackageId>,
    /// Nodes that are projects (the roots of reachability).
    project_nodes: Vec<usize>,
    /// Instance key → node.
    by_key: HashMap<String, usize>,
    /// Importer path (`""` for the root) → node.
    projects: HashMap<String, usize>,
    /// Folder → node of the library made for a `link:` that is no importer.
    links: HashMap<String, usize>,
    edges: Vec<Edge>,
    /// Scope the entries' own flags give (merged over instances).
    flags: HashMap<PackageId, Scope>,
    unresolved: HashMap<PackageId, BTreeSet<String>>,
}

pub fn build(
    resolver: &dyn FileResolver,
    file: &str,
    lock: &Lock,
    line: &dyn Fn(&str, &str) -> Option<u32>,
) -> Inventory {
    let mut b = Builder {
        resolver,
        file,
        lock,
        inv: Inventory::default(),
        nodes: Vec::new(),
        project_nodes: Vec::new(),
        by_key: HashMap::new(),
        projects: HashMap::new(),
        links: HashMap::new(),
        edges: Vec::new(),
        flags: HashMap::new(),
        unresolved: HashMap::new(),
    };
    for imp in &lock.importers {
        let dir = importer_dir(&imp.path);
        let l = line("importers", &imp.path).or((dir.is_empty()).then_some(1));
        let id = b.project(&imp.path, &dir, l);
        b.inv.add_root(id);
        let node = b.node(id);
        b.project_nodes.push(node);
        b.projects.insert(dir, node);
    }
    for inst in &lock.instances {
        let meta = lock.metas.get(&inst.meta).cloned().unwrap_or_default();
        let (pkg, flag) = b.package_of(inst, &meta);
        let id = b.inv.add_package(pkg);
        let node = b.node(id);
        b.by_key.insert(inst.key.clone(), node);
        if let Some(f) = flag {
            b.flags
                .entry(id)
                .and_modify(|s| *s = s.merge(f))
                .or_insert(f);
        }
    }
    for imp in &lock.importers {
        let dir = importer_dir(&imp.path);
        let Some(&from) = b.projects.get(&dir) else {
            continue;
        };
        for dep in &imp.deps {
            b.edge(from, &dir, &dep.alias, &dep.reference, dep.kind);
        }
    }
    for inst in &lock.instances {
        let Some(&from) = b.by_key.get(&inst.key) else {
            continue;
        };
        for dep in &inst.deps {
            b.edge(from, "", &dep.alias, &dep.reference, dep.kind);
        }
    }
    b.finish()
}

/// `package.json` of a folder relative to the lockfile's folder.
fn manifest_of(dir: &str) -> String {
    if dir.is_empty() {
        "package.json".to_string()
    } else {
        format!("{dir}/package.json")
    }
}

/// `.` → `""`; `packages/a/` → `packages/a`.
fn importer_dir(path: &str) -> String {
    join_relative("", path).unwrap_or_else(|| path.trim_end_matches('/').to_string())
}

impl Builder<'_> {
    fn node(&mut self, id: PackageId) -> usize {
        self.nodes.push(id);
        self.nodes.len() - 1
    }

    /// `package.json` of a folder relative to the lockfile's folder, if the resolver has it.
    fn package_json(&self, dir: &str) -> Option<Value> {
        let p = join_relative(parent_dir(self.file), &manifest_of(dir))?;
        if !self.resolver.exists(&p) {
            return None;
        }
        serde_json::from_str(&self.resolver.read_to_string(&p).ok()?).ok()
    }

    fn project(&mut self, importer: &str, dir: &str, line: Option<u32>) -> PackageId {
        let pj = self.package_json(dir);
        let field = |k: &str| {
            pj.as_ref()
                .and_then(|v| v.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let name = field("name").unwrap_or_else(|| {
            let folder = if dir.is_empty() {
                file_name(parent_dir(self.file))
            } else {
                file_name(dir)
            };
            if folder.is_empty() { "root" } else { folder }.to_string()
        });
        let version = field("version");
        // The project's own file comes first: an unversioned project has no purl and is
        // keyed by its first location, so same-named folders stay apart.
        let rel = manifest_of(dir);
        let manifest = join_relative(parent_dir(self.file), &rel).unwrap_or(rel);
        let mut pkg = Package::new(Ecosystem::Npm, name.clone(), version.as_deref())
            .with_kind(PackageKind::Project)
            .with_property("chainproof:pnpm:importer", importer)
            .with_location(Location::new(manifest));
        if version.is_some()
            && let Some(p) = npm_purl(&name, version.as_deref())
        {
            pkg = pkg.with_purl(p);
        }
        let mut loc = Location::new(self.file);
        loc.line = line;
        self.inv.add_package(pkg.with_location(loc))
    }

    /// The package of an instance, and the scope its own flags give.
    fn package_of(&self, inst: &Instance, meta: &Meta) -> (Package, Option<Scope>) {
        let major = self.lock.major;
        let parts = keys::parse_key(&inst.raw, major);
        let reference = parts.as_ref().map(|p| p.reference.clone());
        let name = meta
            .name
            .clone()
            .or_else(|| parts.as_ref().map(|p| p.name.clone()))
            .unwrap_or_else(|| fallback_name(&inst.raw));
        let registry = reference.as_deref().is_some_and(keys::is_version);
        let mut version = meta
            .version
            .clone()
            .or_else(|| reference.clone().filter(|_| registry));
        let mut source = None;
        if let (Some(repo), Some(commit)) = (&meta.repo, &meta.commit) {
            source = Some(format!("git+{repo}#{commit}"));
            version = version.or_else(|| Some(commit.clone()));
        } else if let Some(dir) = &meta.directory {
            source = Some(format!("file:{dir}"));
            if version.is_none() {
                version = self
                    .package_json(dir)
                    .and_then(|v| v.get("version").and_then(Value::as_str).map(str::to_string));
            }
        } else if let Some(t) = &meta.tarball {
            source = Some(t.clone());
        } else if !registry {
            source = reference.clone().or_else(|| Some(inst.key.clone()));
        }
        if version.is_none() {
            // A local folder or file no package.json tells about: its `file:` reference
            // stands for the version (as Snyk writes it), so two folders stay two packages.
            let file_ref = reference
                .clone()
                .filter(|r| r.starts_with("file:"))
                .or_else(|| inst.key.starts_with("file:").then(|| inst.key.clone()));
            version = file_ref;
        }
        if version.is_none()
            && let Some(t) = &meta.tarball
            && let Some(sha) = codeload_commit(t)
        {
            version = Some(sha.to_string());
        }
        let mut pkg = Package::new(Ecosystem::Npm, name.clone(), version.as_deref());
        if let Some(p) = npm_purl(&name, version.as_deref()) {
            pkg = pkg.with_purl(p);
        }
        let mut loc = Location::new(self.file);
        loc.line = meta.line.or(inst.line);
        pkg = pkg.with_location(loc);
        if let Some(s) = source {
            pkg = pkg.with_source(s);
        }
        for h in meta
            .integrity
            .as_deref()
            .map(parse_integrity)
            .unwrap_or_default()
        {
            pkg = pkg.with_hash(h);
        }
        if let Some(i) = inst.key.find("(patch_hash=") {
            let hash = inst.key[i + 12..].split(')').next().unwrap_or_default();
            pkg = pkg.with_property("chainproof:pnpm:patch-hash", hash);
        }
        if !meta.bundled.is_empty() {
            pkg = pkg.with_property(
                "chainproof:npm:bundled-dependencies",
                meta.bundled.join(","),
            );
        }
        let optional = meta.optional || inst.optional;
        let flag = match meta.dev {
            Some(true) => Some(Scope::Dev),
            Some(false) if optional => Some(Scope::Optional),
            Some(false) => Some(Scope::Runtime),
            None if optional => Some(Scope::Optional),
            None => None,
        };
        (pkg, flag)
    }

    /// Adds the edge for dependency `alias: reference` of `from` (whose folder is `dir`).
    fn edge(&mut self, from: usize, dir: &str, alias: &str, reference: &str, kind: DepKind) {
        let to = match keys::target(alias, reference, self.lock.major) {
            Target::Link(rel) => Some(self.link(dir, alias, &rel)),
            Target::Keys(candidates) => candidates
                .iter()
                .find_map(|k| self.by_key.get(k).copied())
                .or_else(|| self.without_entry(alias, reference)),
        };
        let Some(to) = to else {
            self.unresolved
                .entry(self.nodes[from])
                .or_default()
                .insert(alias.to_string());
            return;
        };
        self.edges.push((from, to, kind));
        let (from, to) = (self.nodes[from], self.nodes[to]);
        if from == to {
            return;
        }
        self.inv.add_edge(from, to);
        let pkg = self.inv.package_mut(to);
        if pkg.kind == PackageKind::Library && pkg.name != alias {
            pkg.properties
                .entry("chainproof:npm:alias".into())
                .or_insert_with(|| alias.to_string());
        }
    }

    /// A dependency pinned to a registry version that has no `packages` entry (a trimmed
    /// or hand-edited lockfile): the lockfile still names the exact version installed, so it
    /// is a package, marked `chainproof:pnpm:no-entry` (no hashes, no edges of its own).
    fn without_entry(&mut self, alias: &str, reference: &str) -> Option<usize> {
        let r = reference.trim();
        let version = if self.lock.major >= 6 {
            keys::strip_peers(r)
        } else {
            r.split('_').next().unwrap_or(r)
        };
        if !keys::is_version(version) || alias.is_empty() || alias.contains([' ', ':']) {
            return None;
        }
        let key = format!("{alias}@{version}");
        if let Some(&node) = self.by_key.get(&key) {
            return Some(node);
        }
        let purl = npm_purl(alias, Some(version))?;
        let pkg = Package::new(Ecosystem::Npm, alias, Some(version))
            .with_purl(purl)
            .with_location(Location::new(self.file))
            .with_property("chainproof:pnpm:no-entry", "true");
        let id = self.inv.add_package(pkg);
        let node = self.node(id);
        self.by_key.insert(key, node);
        Some(node)
    }

    /// The package of a `link:` folder: the importer there, else a library made once.
    fn link(&mut self, dir: &str, alias: &str, rel: &str) -> usize {
        let target = join_relative(dir, rel).unwrap_or_else(|| rel.to_string());
        if let Some(&id) = self
            .projects
            .get(&target)
            .or_else(|| self.links.get(&target))
        {
            return id;
        }
        let pj = self.package_json(&target);
        let field = |k: &str| {
            pj.as_ref()
                .and_then(|v| v.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let name = field("name").unwrap_or_else(|| alias.to_string());
        let version = field("version");
        let mut pkg = Package::new(Ecosystem::Npm, name.clone(), version.as_deref())
            .with_source(format!("link:{target}"))
            .with_location(Location::new(self.file));
        if let Some(p) = npm_purl(&name, version.as_deref()) {
            pkg = pkg.with_purl(p);
        }
        let id = self.inv.add_package(pkg);
        let node = self.node(id);
        self.links.insert(target, node);
        node
    }

    fn finish(mut self) -> Inventory {
        let by_node = reachability(self.nodes.len(), &self.project_nodes, &self.edges);
        let mut reach: Vec<Option<Scope>> = vec![None; self.inv.len()];
        for (node, s) in by_node.into_iter().enumerate() {
            if let Some(s) = s {
                let r = &mut reach[self.nodes[node].index()];
                *r = Some(r.map_or(s, |cur| cur.merge(s)));
            }
        }
        let ids: Vec<PackageId> = self.inv.packages().map(|(id, _)| id).collect();
        for id in ids {
            let pkg = self.inv.package_mut(id);
            if pkg.kind == PackageKind::Project {
                pkg.scope = Scope::Runtime;
                continue;
            }
            let flag = self.flags.get(&id).copied();
            pkg.scope = match (reach[id.index()], flag) {
                (Some(r), Some(f)) => r.merge(f),
                (Some(s), None) | (None, Some(s)) => s,
                (None, None) => Scope::Runtime,
            };
        }
        for (id, names) in self.unresolved {
            let list: Vec<String> = names.into_iter().collect();
            self.inv
                .package_mut(id)
                .properties
                .insert("chainproof:npm:unresolved".into(), list.join(","));
        }
        self.inv
    }
}

/// The most significant scope by which each package is reached from the projects: the
/// scope of a path is its least significant edge (`devDependencies` of a project → dev,
/// `optionalDependencies` → optional). Each package's scope only decreases and has three
/// values, so the work list handles every package at most three times.
fn reachability(n: usize, projects: &[usize], edges: &[Edge]) -> Vec<Option<Scope>> {
    let mut out: Vec<Option<Scope>> = vec![None; n];
    let mut adj: Vec<Vec<(usize, Scope)>> = vec![Vec::new(); n];
    for &(from, to, kind) in edges {
        let s = match kind {
            DepKind::Prod => Scope::Runtime,
            DepKind::Optional => Scope::Optional,
            DepKind::Dev => Scope::Dev,
        };
        adj[from].push((to, s));
    }
    let mut queue = VecDeque::new();
    for &p in projects {
        out[p] = Some(Scope::Runtime);
        queue.push_back(p);
    }
    while let Some(u) = queue.pop_front() {
        let Some(su) = out[u] else { continue };
        for &(v, s) in &adj[u] {
            // Scope::merge keeps the more significant; the path's scope is the less one.
            let sv = if s > su { s } else { su };
            if out[v].is_none_or(|cur| sv < cur) {
                out[v] = Some(sv);
                queue.push_back(v);
            }
        }
    }
    out
}

/// A name for an entry whose key is no `name@version` and that has no `name` field:
/// the first segment of a registry path (`/foo/bar` → `foo`), else the last segment.
fn fallback_name(key: &str) -> String {
    let k = key.strip_prefix("file:").unwrap_or(key);
    let segs: Vec<&str> = k.split('/').filter(|s| !s.is_empty()).collect();
    match segs.as_slice() {
        [] => key.to_string(),
        [first, ..] if key.starts_with('/') => (*first).to_string(),
        [.., last] => (*last).to_string(),
    }
}

/// The commit of a `https://codeload.github.com/<o>/<r>/tar.gz/<sha>` tarball.
fn codeload_commit(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://codeload.github.com/")?;
    let sha = rest.rsplit('/').next()?;
    (sha.len() >= 7 && sha.bytes().all(|b| b.is_ascii_hexdigit())).then_some(sha)
}
