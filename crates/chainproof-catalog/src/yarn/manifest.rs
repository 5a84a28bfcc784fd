//! `package.json` as the yarn, bun and installed-package catalogers need it: name,
//! version, license, declared dependencies by kind, workspace patterns.

use std::collections::BTreeMap;

use chainproof_core::Scope;
use chainproof_source::{FileResolver, join_relative, parent_dir};
use serde_json::{Map, Value};

/// How a dependency is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DepKind {
    Prod,
    Optional,
    Peer,
    /// A peer dependency marked optional (`peerDependenciesMeta`, bun's `optionalPeers`).
    PeerOptional,
    Dev,
}

impl DepKind {
    /// The scope an edge of this kind gives its target.
    pub(crate) fn scope(self) -> Scope {
        match self {
            DepKind::Prod | DepKind::Peer => Scope::Runtime,
            DepKind::Optional | DepKind::PeerOptional => Scope::Optional,
            DepKind::Dev => Scope::Dev,
        }
    }

    /// Whether failing to find the dependency is normal (the package manager may not
    /// install it).
    pub(crate) fn may_be_missing(self) -> bool {
        matches!(
            self,
            DepKind::Optional | DepKind::Peer | DepKind::PeerOptional
        )
    }
}

/// The parts of a `package.json` the catalogers use.
#[derive(Debug, Clone, Default)]
pub(crate) struct Manifest {
    pub name: Option<String>,
    pub version: Option<String>,
    pub license: Option<String>,
    /// (name, range, kind), one per name.
    pub deps: Vec<(String, String, DepKind)>,
    /// `workspaces` patterns (array form or `{ "packages": [...] }`).
    pub workspaces: Vec<String>,
    pub resolved: Option<String>,
    pub integrity: Option<String>,
    /// `resolutions` overrides as (package name, range): the last package of each pattern
    /// (`**/a`, `p/a`, `a@^1` all name `a`).
    pub resolutions: Vec<(String, String)>,
}

impl Manifest {
    /// The kind under which `name` is declared, if it is.
    pub(crate) fn kind_of(&self, name: &str) -> Option<DepKind> {
        self.deps.iter().find(|d| d.0 == name).map(|d| d.2)
    }
}

fn str_field(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The `license` field: a string, the legacy `{ "type": ... }` object, or a `licenses`
/// array (joined with `OR`).
pub(crate) fn license_field(obj: &Map<String, Value>) -> Option<String> {
    match obj.get("license") {
        Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.trim().to_string()),
        Some(Value::Object(o)) => return str_field(o, "type"),
        _ => {}
    }
    let names: Vec<String> = match obj.get("licenses")? {
        Value::Array(list) => list
            .iter()
            .filter_map(|l| match l {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => str_field(o, "type"),
                _ => None,
            })
            .collect(),
        Value::Object(o) => str_field(o, "type").into_iter().collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    };
    (!names.is_empty()).then(|| names.join(" OR "))
}

/// Declared dependencies of a manifest-like object (package.json, a bun workspace entry).
/// A name in several maps keeps the first of: optional, prod, peer, dev (`optionalDependencies`
/// overrides `dependencies` for npm and yarn).
pub(crate) fn declared_deps(obj: &Map<String, Value>) -> Vec<(String, String, DepKind)> {
    let peer_optional: Vec<&str> = match obj.get("peerDependenciesMeta") {
        Some(Value::Object(m)) => m
            .iter()
            .filter(|(_, v)| v.get("optional").and_then(Value::as_bool) == Some(true))
            .map(|(k, _)| k.as_str())
            .collect(),
        _ => match obj.get("optionalPeers") {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        },
    };
    let mut out: BTreeMap<String, (String, DepKind)> = BTreeMap::new();
    for (key, kind) in [
        ("optionalDependencies", DepKind::Optional),
        ("dependencies", DepKind::Prod),
        ("peerDependencies", DepKind::Peer),
        ("devDependencies", DepKind::Dev),
    ] {
        let Some(Value::Object(m)) = obj.get(key) else {
            continue;
        };
        for (name, range) in m {
            let range = range.as_str().unwrap_or("").to_string();
            let kind = if kind == DepKind::Peer && peer_optional.contains(&name.as_str()) {
                DepKind::PeerOptional
            } else {
                kind
            };
            out.entry(name.clone()).or_insert((range, kind));
        }
    }
    out.into_iter().map(|(n, (r, k))| (n, r, k)).collect()
}

fn resolutions(obj: &Map<String, Value>) -> Vec<(String, String)> {
    let Some(Value::Object(m)) = obj.get("resolutions") else {
        return Vec::new();
    };
    m.iter()
        .filter_map(|(pattern, range)| {
            let range = range.as_str()?;
            // The last package of the pattern: a scoped name spans two segments.
            let parts: Vec<&str> = pattern.split('/').collect();
            let n = parts.len();
            let last = if n >= 2 && parts[n - 2].starts_with('@') {
                format!("{}/{}", parts[n - 2], parts[n - 1])
            } else {
                parts[n - 1].to_string()
            };
            let name = split_descriptor(&last).map_or(last.as_str(), |(n, _)| n);
            Some((name.to_string(), range.to_string()))
        })
        .collect()
}

/// Reads a manifest from a JSON value; `None` when it is not an object.
pub(crate) fn from_value(value: &Value) -> Option<Manifest> {
    let obj = value.as_object()?;
    let workspaces = match obj.get("workspaces") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::Object(o)) => match o.get("packages") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    Some(Manifest {
        name: str_field(obj, "name"),
        version: str_field(obj, "version"),
        license: license_field(obj),
        deps: declared_deps(obj),
        workspaces,
        resolved: str_field(obj, "_resolved"),
        integrity: str_field(obj, "_integrity"),
        resolutions: resolutions(obj),
    })
}

/// Reads `<dir>/package.json`; `None` when absent or not a JSON object (a broken manifest
/// beside a lockfile does not make the lockfile unreadable).
pub(crate) fn read_dir_manifest(resolver: &dyn FileResolver, dir: &str) -> Option<Manifest> {
    let path = join_relative(dir, "package.json")?;
    if !resolver.exists(&path) {
        return None;
    }
    let text = resolver.read_to_string(&path).ok()?;
    from_value(&serde_json::from_str(&text).ok()?)
}

/// Folders (relative to the resolver root) holding a `package.json` that match one of the
/// workspace `patterns` of the project in `root_dir`. Sorted, without `root_dir` itself.
pub(crate) fn workspace_dirs(
    resolver: &dyn FileResolver,
    root_dir: &str,
    patterns: &[String],
) -> Vec<String> {
    let clean: Vec<String> = patterns
        .iter()
        .filter(|p| !p.starts_with('!'))
        .map(|p| {
            let mut s = p.trim();
            while let Some(rest) = s.strip_prefix("./") {
                s = rest;
            }
            s.trim_end_matches('/').to_string()
        })
        .filter(|p| !p.is_empty())
        .collect();
    if clean.is_empty() {
        return Vec::new();
    }
    let prefix = if root_dir.is_empty() {
        String::new()
    } else {
        format!("{root_dir}/")
    };
    let mut out: Vec<String> = resolver
        .files()
        .iter()
        .filter_map(|f| {
            let rel = f.path.strip_prefix(&prefix)?;
            let dir = parent_dir(rel);
            let ok = rel.ends_with("package.json")
                && chainproof_source::file_name(rel) == "package.json"
                && !dir.is_empty()
                && !dir.split('/').any(|s| s == "node_modules")
                && clean.iter().any(|p| crate::npm::glob_match(p, dir));
            ok.then(|| format!("{prefix}{dir}"))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Splits a descriptor `name@range` (`@scope/name@range`) at the `@` that ends the name.
pub(crate) fn split_descriptor(d: &str) -> Option<(&str, &str)> {
    let start = usize::from(d.starts_with('@'));
    let at = d.get(start..)?.find('@')? + start;
    (at > 0).then(|| (&d[..at], &d[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors() {
        assert_eq!(split_descriptor("a@^1"), Some(("a", "^1")));
        assert_eq!(split_descriptor("@s/a@npm:^1"), Some(("@s/a", "npm:^1")));
        assert_eq!(split_descriptor("x@npm:@s/y@1"), Some(("x", "npm:@s/y@1")));
        assert_eq!(split_descriptor("@s/a"), None);
        assert_eq!(split_descriptor("@"), None);
        assert_eq!(split_descriptor(""), None);
    }

    #[test]
    fn licenses_and_deps() {
        let v: Value = serde_json::from_str(
            r#"{"name":"x","licenses":[{"type":"MIT"},"Apache-2.0"],
                "dependencies":{"a":"1","b":"2"},"optionalDependencies":{"b":"2"},
                "devDependencies":{"a":"1","c":"3"},"peerDependencies":{"p":"*"},
                "peerDependenciesMeta":{"p":{"optional":true}},"workspaces":{"packages":["w/*"]}}"#,
        )
        .expect("json");
        let m = from_value(&v).expect("object");
        assert_eq!(m.license.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(m.kind_of("a"), Some(DepKind::Prod));
        assert_eq!(m.kind_of("b"), Some(DepKind::Optional));
        assert_eq!(m.kind_of("c"), Some(DepKind::Dev));
        assert_eq!(m.kind_of("p"), Some(DepKind::PeerOptional));
        assert_eq!(m.workspaces, vec!["w/*".to_string()]);
    }
}
