//! `Pipfile.lock` (Pipenv, `pipfile-spec` 6).
//!
//! * Every entry of `default` is a runtime package, every entry of `develop` a dev package
//!   (a name in both with the same version is one package, runtime). Location: the line of
//!   the entry's key.
//! * `version` is `==<version>` (`===` also accepted); any other specifier, or none (git,
//!   path and file entries), gives a package without version, the specifier kept in
//!   `chainproof:python:requirement`.
//! * `hashes` (`sha256:<hex>`) become hashes; `markers`, `extras`, `index` and `editable`
//!   are kept as properties; `git` + `ref` → source `git+<url>@<ref>`, `path` / `file` →
//!   source, with `chainproof:python:source-type`.
//! * The format records no dependency edges. The project (named after the lockfile's folder,
//!   no purl) is the root, with an edge to every `default` and `develop` entry.
//! * `_meta` is not interpreted (its `hash` is of the Pipfile, not of a package).

use std::collections::BTreeMap;

use chainproof_core::{Inventory, Location, Scope};
use chainproof_source::{FileResolver, file_name};
use serde::Deserialize;

use super::project::folder_root;
use super::{
    P_EDITABLE, P_EXTRAS, P_INDEX, P_MARKER, P_REQUIREMENT, P_SOURCE_TYPE, add_hash, pypi_package,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads `Pipfile.lock`.
pub struct PipfileLockCataloger;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    default: BTreeMap<String, Entry>,
    #[serde(default)]
    develop: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    version: Option<String>,
    #[serde(default)]
    hashes: Vec<String>,
    markers: Option<String>,
    #[serde(default)]
    extras: Vec<String>,
    index: Option<String>,
    #[serde(default)]
    editable: bool,
    git: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    path: Option<String>,
    file: Option<String>,
    subdirectory: Option<String>,
}

static INFO: CatalogerInfo = CatalogerInfo {
    name: "python-pipfile-lock",
    ecosystem: "PyPI",
    files: "`Pipfile.lock`",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

/// Byte offset just after the JSON key `"key"` (followed by `:`) at or after `from`.
fn find_key(text: &str, from: usize, key: &str) -> Option<usize> {
    let needle = format!("\"{key}\"");
    let mut at = from;
    while let Some(i) = text.get(at..)?.find(&needle) {
        let end = at + i + needle.len();
        if text[end..].trim_start().starts_with(':') {
            return Some(at + i);
        }
        at = end;
    }
    None
}

fn exact_version(spec: &str) -> Option<&str> {
    let v = spec
        .strip_prefix("===")
        .or_else(|| spec.strip_prefix("=="))?
        .trim();
    (!v.is_empty() && !v.contains(['*', ',', ' '])).then_some(v)
}

impl Cataloger for PipfileLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "Pipfile.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let lock: Lock = serde_json::from_str(&text).map_err(|e| CatalogError::json(path, &e))?;
        // serde also accepts a struct written as an array: a lockfile is an object.
        if let Some(at) = text.find(|c: char| !c.is_whitespace())
            && !text[at..].starts_with('{')
        {
            let (line, col) = crate::util::line_col(&text, at);
            return Err(CatalogError::new(path, "expected a JSON object")
                .at_line(line)
                .at_column(col));
        }
        let mut inv = Inventory::default();
        let root = inv.add_package(folder_root(path));
        inv.add_root(root);
        let lines = crate::util::LineIndex::new(&text);
        for (section, entries, scope) in [
            ("default", &lock.default, Scope::Runtime),
            ("develop", &lock.develop, Scope::Dev),
        ] {
            let section_at = find_key(&text, 0, section).unwrap_or(0);
            for (name, e) in entries {
                let version = e.version.as_deref().and_then(exact_version);
                let mut pkg = pypi_package(name, version).with_scope(scope);
                let mut location = Location::new(path);
                if let Some(at) = find_key(&text, section_at, name) {
                    location = location.with_line(lines.line(at));
                }
                pkg.locations.push(location);
                if let (None, Some(spec)) = (version, &e.version) {
                    pkg.properties.insert(P_REQUIREMENT.into(), spec.clone());
                }
                for h in &e.hashes {
                    add_hash(&mut pkg, h);
                }
                if let Some(m) = &e.markers {
                    pkg.properties.insert(P_MARKER.into(), m.clone());
                }
                if !e.extras.is_empty() {
                    pkg.properties.insert(P_EXTRAS.into(), e.extras.join(","));
                }
                if let Some(i) = &e.index {
                    pkg.properties.insert(P_INDEX.into(), i.clone());
                }
                if e.editable {
                    pkg.properties.insert(P_EDITABLE.into(), "true".into());
                }
                let source = if let Some(git) = &e.git {
                    let mut s = format!("git+{git}");
                    if let Some(r) = &e.reference {
                        s.push('@');
                        s.push_str(r);
                    }
                    Some(("git", s))
                } else if let Some(p) = &e.path {
                    Some(("path", p.clone()))
                } else {
                    e.file.as_ref().map(|f| ("file", f.clone()))
                };
                if let Some((kind, mut s)) = source {
                    if let Some(sub) = &e.subdirectory {
                        s.push_str("#subdirectory=");
                        s.push_str(sub);
                    }
                    pkg.source = Some(s);
                    pkg.properties.insert(P_SOURCE_TYPE.into(), kind.into());
                }
                let id = inv.add_package(pkg);
                inv.add_edge(root, id);
            }
        }
        Ok(inv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_versions() {
        let t = r#"{"default": {"a": {}}, "develop": {"a": {"version": "==1"}}}"#;
        let d = find_key(t, 0, "develop").expect("found");
        assert!(find_key(t, d, "a").expect("found") > d);
        assert_eq!(find_key(t, 0, "zzz"), None);
        assert_eq!(exact_version("==2.1.1"), Some("2.1.1"));
        assert_eq!(exact_version("===1.0"), Some("1.0"));
        assert_eq!(exact_version(">=1"), None);
        assert_eq!(exact_version("==1.*"), None);
        assert_eq!(exact_version("*"), None);
    }
}
