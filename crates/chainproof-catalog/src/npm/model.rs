//! The two lockfile layouts read into one model: a list of [`Node`]s keyed by their install
//! path (`node_modules/a/node_modules/@s/b`, `packages/foo`, `""` for the root).
//!
//! * v2/v3 `packages` maps are already keyed by path.
//! * the v1 `dependencies` tree is flattened to the same paths (`dependencies.a.dependencies.b`
//!   becomes `node_modules/a/node_modules/b`), so one resolver serves both.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use crate::CatalogError;
use crate::jsonpos::pointer;

/// How a dependency is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepKind {
    Prod,
    Optional,
    Peer,
    /// A peer dependency marked optional in `peerDependenciesMeta`.
    PeerOptional,
    Dev,
}

impl DepKind {
    /// Whether failing to find the dependency is normal (npm does not install it).
    pub fn may_be_missing(self) -> bool {
        matches!(
            self,
            DepKind::Optional | DepKind::Peer | DepKind::PeerOptional
        )
    }
}

/// One entry of the lockfile.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// Install path relative to the lockfile's directory; `""` for the root.
    pub path: String,
    /// JSON pointer of the entry (for locations and errors).
    pub pointer: String,
    /// The real package name (the `name` field, or the alias target), if given.
    pub name: Option<String>,
    pub version: Option<String>,
    pub resolved: Option<String>,
    pub integrity: Option<String>,
    pub license: Option<String>,
    pub dev: bool,
    pub optional: bool,
    pub dev_optional: bool,
    pub peer: bool,
    pub bundled: bool,
    pub extraneous: bool,
    /// For `link: true` entries: the path of the folder it links to.
    pub link: Option<String>,
    /// Declared dependencies, by the name under which they are required.
    pub deps: Vec<(String, DepKind)>,
    /// Only a v1 lockfile: the `version` field was not a registry version (git, file, URL).
    pub raw_version: Option<String>,
    /// Workspace patterns of the root entry.
    pub workspaces: Vec<String>,
}

/// The last package name in an install path: `a/node_modules/@s/b` → `@s/b`; paths that are
/// not under `node_modules` give their last segment.
pub fn name_from_path(path: &str) -> &str {
    match path.rfind("node_modules/") {
        Some(i) => &path[i + "node_modules/".len()..],
        None => path.rsplit('/').next().unwrap_or(path),
    }
}

/// Whether an install path lies under some `node_modules` folder.
pub fn in_node_modules(path: &str) -> bool {
    path.starts_with("node_modules/") || path.contains("/node_modules/")
}

fn str_field(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_string)
}

fn bool_field(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The `license` field: a string, the legacy `{ "type": ... }` object, or a `licenses` array.
fn license_field(obj: &Map<String, Value>) -> Option<String> {
    match obj.get("license") {
        Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.clone()),
        Some(Value::Object(o)) => return str_field(o, "type"),
        _ => {}
    }
    let list = obj.get("licenses")?.as_array()?;
    let names: Vec<String> = list
        .iter()
        .filter_map(|l| match l {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => str_field(o, "type"),
            _ => None,
        })
        .collect();
    (!names.is_empty()).then(|| names.join(" OR "))
}

fn dep_names(obj: &Map<String, Value>, key: &str) -> Vec<String> {
    match obj.get(key) {
        Some(Value::Object(m)) => m.keys().cloned().collect(),
        // `bundleDependencies` style arrays never appear here, but be lenient.
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn entry_object<'a>(
    path: &str,
    ptr: &str,
    value: &'a Value,
) -> Result<&'a Map<String, Value>, CatalogError> {
    value.as_object().ok_or_else(|| {
        CatalogError::new(path, "lockfile entry is not a JSON object").at_pointer(ptr)
    })
}

/// Reads a v2/v3 `packages` map.
pub fn read_packages(file: &str, packages: &Value) -> Result<Vec<Node>, CatalogError> {
    let map = packages.as_object().ok_or_else(|| {
        CatalogError::new(file, "`packages` is not a JSON object").at_pointer("/packages")
    })?;
    let mut nodes = Vec::with_capacity(map.len());
    for (path, value) in map {
        let ptr = pointer("/packages", path);
        let obj = entry_object(file, &ptr, value)?;
        let mut node = Node {
            path: path.trim_end_matches('/').to_string(),
            pointer: ptr,
            name: str_field(obj, "name"),
            version: str_field(obj, "version"),
            resolved: str_field(obj, "resolved"),
            integrity: str_field(obj, "integrity"),
            license: license_field(obj),
            dev: bool_field(obj, "dev"),
            optional: bool_field(obj, "optional"),
            dev_optional: bool_field(obj, "devOptional"),
            peer: bool_field(obj, "peer"),
            bundled: bool_field(obj, "inBundle"),
            extraneous: bool_field(obj, "extraneous"),
            ..Node::default()
        };
        if bool_field(obj, "link") {
            // `resolved` of a link is the target folder, relative to the lockfile.
            node.link = node.resolved.take();
        }
        if let Some(Value::Array(ws)) = obj.get("workspaces") {
            node.workspaces = ws
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
        } else if let Some(Value::Object(ws)) = obj.get("workspaces") {
            // The `{ "packages": [...] }` form.
            if let Some(Value::Array(p)) = ws.get("packages") {
                node.workspaces = p
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
            }
        }
        let peer_optional: Vec<String> = match obj.get("peerDependenciesMeta") {
            Some(Value::Object(m)) => m
                .iter()
                .filter(|(_, v)| v.get("optional").and_then(Value::as_bool).unwrap_or(false))
                .map(|(k, _)| k.clone())
                .collect(),
            _ => Vec::new(),
        };
        let mut deps: BTreeMap<String, DepKind> = BTreeMap::new();
        // Later kinds do not override earlier ones: a name both in `dependencies` and
        // `peerDependencies` is a plain dependency.
        for (key, kind) in [
            ("dependencies", DepKind::Prod),
            ("optionalDependencies", DepKind::Optional),
            ("peerDependencies", DepKind::Peer),
            ("devDependencies", DepKind::Dev),
        ] {
            for name in dep_names(obj, key) {
                let kind = if kind == DepKind::Peer && peer_optional.contains(&name) {
                    DepKind::PeerOptional
                } else {
                    kind
                };
                deps.entry(name).or_insert(kind);
            }
        }
        node.deps = deps.into_iter().collect();
        nodes.push(node);
    }
    Ok(nodes)
}

/// Splits an npm alias spec `npm:real-name@1.2.3` into name and version.
pub fn parse_alias(spec: &str) -> Option<(&str, &str)> {
    let rest = spec.strip_prefix("npm:")?;
    // The name may be scoped (`@s/x@1`): split at the last `@` that is not the first char.
    let at = rest.rfind('@').filter(|&i| i > 0)?;
    Some((&rest[..at], &rest[at + 1..]))
}

/// Reads the v1 `dependencies` tree (also used by v2 files that lack `packages`).
pub fn read_tree(file: &str, deps: &Value) -> Result<Vec<Node>, CatalogError> {
    let mut nodes = Vec::new();
    // Explicit stack instead of recursion: hostile input may nest deeply.
    let mut stack: Vec<(String, String, &Value)> = vec![(String::new(), String::new(), deps)];
    while let Some((parent_path, parent_ptr, value)) = stack.pop() {
        let ptr = format!("{parent_ptr}/dependencies");
        let map = value.as_object().ok_or_else(|| {
            CatalogError::new(file, "`dependencies` is not a JSON object").at_pointer(ptr.as_str())
        })?;
        for (name, value) in map {
            let entry_ptr = pointer(&ptr, name);
            let obj = entry_object(file, &entry_ptr, value)?;
            let path = if parent_path.is_empty() {
                format!("node_modules/{name}")
            } else {
                format!("{parent_path}/node_modules/{name}")
            };
            let mut node = Node {
                path: path.clone(),
                pointer: entry_ptr.clone(),
                resolved: str_field(obj, "resolved"),
                integrity: str_field(obj, "integrity"),
                license: license_field(obj),
                dev: bool_field(obj, "dev"),
                optional: bool_field(obj, "optional"),
                peer: bool_field(obj, "peer"),
                bundled: bool_field(obj, "bundled"),
                extraneous: bool_field(obj, "extraneous"),
                ..Node::default()
            };
            if let Some(v) = str_field(obj, "version") {
                match parse_alias(&v) {
                    Some((real, ver)) => {
                        node.name = Some(real.to_string());
                        node.version = Some(ver.to_string());
                    }
                    None if is_registry_version(&v) => node.version = Some(v),
                    None => node.raw_version = Some(v),
                }
            }
            node.deps = dep_names(obj, "requires")
                .into_iter()
                .map(|n| (n, DepKind::Prod))
                .collect();
            nodes.push(node);
            if let Some(children) = obj.get("dependencies") {
                stack.push((path, entry_ptr, children));
            }
        }
    }
    Ok(nodes)
}

/// A plain (semver-looking) version rather than a URL, path or git spec.
pub fn is_registry_version(v: &str) -> bool {
    !v.is_empty() && !v.contains(':') && !v.contains('/') && !v.contains('#')
}

/// The declared dependencies of a `package.json` (for the root of a v1 lockfile).
pub fn package_json_deps(value: &Value) -> Vec<(String, DepKind)> {
    let Some(obj) = value.as_object() else {
        return Vec::new();
    };
    let mut deps: BTreeMap<String, DepKind> = BTreeMap::new();
    for (key, kind) in [
        ("dependencies", DepKind::Prod),
        ("optionalDependencies", DepKind::Optional),
        ("peerDependencies", DepKind::Peer),
        ("devDependencies", DepKind::Dev),
    ] {
        for name in dep_names(obj, key) {
            deps.entry(name).or_insert(kind);
        }
    }
    deps.into_iter().collect()
}

/// Index of nodes by install path.
pub fn index(nodes: &[Node]) -> HashMap<&str, usize> {
    nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.path.as_str(), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases() {
        assert_eq!(name_from_path("node_modules/a"), "a");
        assert_eq!(name_from_path("node_modules/a/node_modules/@s/b"), "@s/b");
        assert_eq!(name_from_path("packages/foo"), "foo");
        assert_eq!(name_from_path(""), "");
        assert!(in_node_modules("packages/a/node_modules/x"));
        assert!(!in_node_modules("packages/a"));
        assert_eq!(
            parse_alias("npm:string-width@4.2.0"),
            Some(("string-width", "4.2.0"))
        );
        assert_eq!(
            parse_alias("npm:@babel/code-frame@7.0.0"),
            Some(("@babel/code-frame", "7.0.0"))
        );
        assert_eq!(parse_alias("npm:"), None);
        assert_eq!(parse_alias("npm:x"), None);
        assert_eq!(parse_alias("1.0.0"), None);
        assert!(is_registry_version("1.0.0-beta.1"));
        assert!(!is_registry_version("file:deps/x"));
        assert!(!is_registry_version("github:a/b#c"));
    }
}
