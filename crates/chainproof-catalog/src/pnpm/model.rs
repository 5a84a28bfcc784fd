//! The lockfile read from the YAML tree into importers, package metadata and instances.

use std::collections::HashMap;

use super::keys;
use super::yaml::Yaml;

/// How a dependency is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DepKind {
    Prod,
    Optional,
    Dev,
}

/// One dependency: the name it is installed under and the reference to its instance.
#[derive(Debug, Clone)]
pub struct Dep {
    pub alias: String,
    pub reference: String,
    pub kind: DepKind,
}

/// A workspace project (`.` for the root).
#[derive(Debug, Clone)]
pub struct Importer {
    pub path: String,
    pub deps: Vec<Dep>,
}

/// What `packages` says about a package (v5/v6: per instance; v9: per `name@version`).
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub name: Option<String>,
    pub version: Option<String>,
    pub integrity: Option<String>,
    pub tarball: Option<String>,
    pub repo: Option<String>,
    pub commit: Option<String>,
    pub directory: Option<String>,
    pub dev: Option<bool>,
    pub optional: bool,
    /// `bundledDependencies`: names only (the lockfile records no versions for them).
    pub bundled: Vec<String>,
    pub line: Option<u32>,
}

/// A resolved instance: a `packages` entry (v5/v6) or a `snapshots` entry (v9).
#[derive(Debug, Clone)]
pub struct Instance {
    /// The key as written.
    pub raw: String,
    /// The normalized key (no leading `/`).
    pub key: String,
    /// The normalized key of its [`Meta`].
    pub meta: String,
    pub deps: Vec<Dep>,
    pub optional: bool,
    pub line: Option<u32>,
}

/// A whole lockfile.
#[derive(Debug, Default)]
pub struct Lock {
    pub major: u32,
    pub importers: Vec<Importer>,
    pub metas: HashMap<String, Meta>,
    pub instances: Vec<Instance>,
}

/// `5.4` → 5, `'9.0'` → 9, `6.0-rc` → 6.
pub fn major_of(v: &str) -> Option<u32> {
    let digits: String = v.trim().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Dependencies from the `dependencies` / `optionalDependencies` / `devDependencies` maps
/// of `node`; each value is a reference or a `{specifier, version}` map.
pub fn deps_of(node: &Yaml, with_dev: bool) -> Vec<Dep> {
    let mut out = Vec::new();
    let groups = [
        ("dependencies", DepKind::Prod),
        ("optionalDependencies", DepKind::Optional),
        ("devDependencies", DepKind::Dev),
    ];
    for (field, kind) in groups {
        if kind == DepKind::Dev && !with_dev {
            continue;
        }
        let Some(map) = node.get(field) else { continue };
        for (alias, v) in map.entries() {
            let reference = match v {
                Yaml::Scalar(s) => Some(s.as_str()),
                Yaml::Map(_) => v.get("version").and_then(Yaml::as_str),
                _ => None,
            };
            if let Some(r) = reference {
                out.push(Dep {
                    alias: alias.clone(),
                    reference: r.to_string(),
                    kind,
                });
            }
        }
    }
    out
}

/// Reads package metadata from one `packages` entry.
pub fn meta_of(node: &Yaml, line: Option<u32>) -> Meta {
    let s = |n: &Yaml, k: &str| n.get(k).and_then(Yaml::as_str).map(str::to_string);
    let res = node.get("resolution").unwrap_or(&Yaml::Null);
    Meta {
        name: s(node, "name"),
        version: s(node, "version"),
        integrity: s(res, "integrity"),
        tarball: s(res, "tarball"),
        repo: s(res, "repo"),
        commit: s(res, "commit"),
        directory: s(res, "directory"),
        dev: node
            .get("dev")
            .and_then(Yaml::as_str)
            .and_then(|d| match d {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }),
        optional: node.get("optional").is_some_and(Yaml::is_true),
        bundled: match node
            .get("bundledDependencies")
            .or_else(|| node.get("bundleDependencies"))
        {
            Some(Yaml::Seq(v)) => v
                .iter()
                .filter_map(Yaml::as_str)
                .map(str::to_string)
                .collect(),
            Some(m @ Yaml::Map(_)) => m.entries().iter().map(|(k, _)| k.clone()).collect(),
            _ => Vec::new(),
        },
        line,
    }
}

/// The `packages` key for a snapshot key: the key itself, else the key with trailing
/// `(...)` groups removed one at a time (peers after a `(patch_hash=...)`), else the
/// bare `name@version`.
fn meta_key(metas: &HashMap<String, Meta>, key: &str) -> String {
    let mut k = key;
    loop {
        if metas.contains_key(k) {
            return k.to_string();
        }
        match k.strip_suffix(')').and_then(|r| r.rfind('(')) {
            Some(i) => k = &k[..i],
            None => return keys::strip_peers(key).to_string(),
        }
    }
}

/// Reads a document whose top level is a mapping. `line(section, key)` gives the line of
/// an entry key.
pub fn read(doc: &Yaml, major: u32, line: &dyn Fn(&str, &str) -> Option<u32>) -> Lock {
    let mut lock = Lock {
        major,
        ..Lock::default()
    };
    match doc.get("importers") {
        Some(Yaml::Map(m)) => {
            for (path, node) in m {
                lock.importers.push(Importer {
                    path: path.clone(),
                    deps: deps_of(node, true),
                });
            }
        }
        _ => lock.importers.push(Importer {
            path: ".".into(),
            deps: deps_of(doc, true),
        }),
    }
    let packages = doc.get("packages").map(Yaml::entries).unwrap_or_default();
    let snapshots = doc.get("snapshots").map(Yaml::entries).unwrap_or_default();
    for (raw, node) in packages {
        let key = keys::normalize(raw).to_string();
        lock.metas
            .insert(key.clone(), meta_of(node, line("packages", raw)));
        if major < 9 && snapshots.is_empty() {
            let optional = node.get("optional").is_some_and(Yaml::is_true);
            lock.instances.push(Instance {
                meta: key.clone(),
                deps: deps_of(node, false),
                optional,
                line: line("packages", raw),
                raw: raw.clone(),
                key,
            });
        }
    }
    if major >= 9 || !snapshots.is_empty() {
        let mut used = std::collections::HashSet::new();
        for (raw, node) in snapshots {
            let key = keys::normalize(raw).to_string();
            let meta = meta_key(&lock.metas, &key);
            used.insert(meta.clone());
            lock.instances.push(Instance {
                meta,
                deps: deps_of(node, false),
                optional: node.get("optional").is_some_and(Yaml::is_true),
                line: line("snapshots", raw),
                raw: raw.clone(),
                key,
            });
        }
        // Packages without a snapshot are still packages of the lockfile.
        for (raw, _) in packages {
            let key = keys::normalize(raw).to_string();
            if !used.contains(&key) {
                lock.instances.push(Instance {
                    meta: key.clone(),
                    deps: Vec::new(),
                    optional: false,
                    line: line("packages", raw),
                    raw: raw.clone(),
                    key,
                });
            }
        }
    }
    lock
}
