//! yarn berry (v2–v4) lockfiles: YAML with a `__metadata` entry, keys like
//! `"lodash@npm:^4.17.20, lodash@npm:^4.17.21"` and fields `version`, `resolution`,
//! `checksum`, `languageName`, `linkType`, `dependencies`, `peerDependencies`,
//! `dependenciesMeta`.

use std::collections::HashMap;

use yaml_serde::{Mapping, Value};

use super::Entry;
use super::manifest::{DepKind, split_descriptor};
use crate::CatalogError;

/// What `__metadata` says.
#[derive(Debug, Default, Clone)]
pub(super) struct Metadata {
    pub version: Option<String>,
    pub cache_key: Option<String>,
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Lines of the top-level keys (lines at column 0), by unquoted key text.
fn key_lines(text: &str) -> HashMap<String, u32> {
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with([' ', '\t', '#']) {
            continue;
        }
        let key = match line.strip_prefix('"') {
            Some(rest) => rest.find('"').map(|e| &rest[..e]),
            None => line.find(':').map(|e| &line[..e]),
        };
        if let Some(key) = key {
            out.entry(key.to_string())
                .or_insert(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    out
}

fn yaml_error(path: &str, e: &yaml_serde::Error) -> CatalogError {
    let mut msg = e.to_string();
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    let mut err = CatalogError::new(path, msg);
    if let Some(loc) = e.location() {
        err = err
            .at_line(u32::try_from(loc.line()).unwrap_or(u32::MAX))
            .at_column(u32::try_from(loc.column()).unwrap_or(u32::MAX));
    }
    err
}

fn map_of<'a>(m: &'a Mapping, key: &str) -> Option<&'a Mapping> {
    m.get(key).and_then(Value::as_mapping)
}

/// Parses the whole file.
pub(super) fn parse(path: &str, text: &str) -> Result<(Metadata, Vec<Entry>), CatalogError> {
    let doc: Value = yaml_serde::from_str(text).map_err(|e| yaml_error(path, &e))?;
    let Value::Mapping(top) = doc else {
        return Err(
            CatalogError::new(path, "not a yarn lockfile: the document is not a mapping")
                .at_line(1),
        );
    };
    let lines = key_lines(text);
    let mut meta = Metadata::default();
    let mut entries = Vec::new();
    for (k, v) in &top {
        let Some(key) = scalar(k) else {
            return Err(CatalogError::new(path, "entry key is not a string"));
        };
        let line = lines.get(&key).copied();
        let err = |msg: String| {
            let e = CatalogError::new(path, msg).at_pointer(format!("/{key}"));
            match line {
                Some(l) => e.at_line(l),
                None => e,
            }
        };
        let Some(fields) = v.as_mapping() else {
            return Err(err(format!("entry `{key}` is not a mapping")));
        };
        if key == "__metadata" {
            meta.version = fields.get("version").and_then(scalar);
            meta.cache_key = fields.get("cacheKey").and_then(scalar);
            continue;
        }
        let descriptors: Vec<String> = key
            .split(',')
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .collect();
        let Some(first) = descriptors.first() else {
            return Err(err("entry key names no descriptor".into()));
        };
        let Some((key_name, _)) = split_descriptor(first) else {
            return Err(err(format!("`{first}` is not a `name@range` descriptor")));
        };
        let resolution = fields.get("resolution").and_then(scalar);
        let field = |f: &str| fields.get(f).and_then(scalar);
        let mut entry = Entry {
            name: key_name.to_string(),
            descriptors: descriptors.clone(),
            version: field("version"),
            checksum: field("checksum"),
            soft_link: field("linkType").as_deref() == Some("soft"),
            line: line.unwrap_or(0),
            ..Entry::default()
        };
        if let Some(res) = &resolution {
            let Some((real, range)) = split_descriptor(res) else {
                return Err(err(format!(
                    "resolution `{res}` is not a `name@reference` locator"
                )));
            };
            entry.real_name = Some(real.to_string());
            entry.resolution = Some(range.to_string());
        }
        let optional: Vec<String> = map_of(fields, "dependenciesMeta")
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| {
                        v.as_mapping()
                            .and_then(|o| o.get("optional"))
                            .and_then(Value::as_bool)
                            == Some(true)
                    })
                    .filter_map(|(k, _)| scalar(k))
                    .collect()
            })
            .unwrap_or_default();
        let peer_optional: Vec<String> = map_of(fields, "peerDependenciesMeta")
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| {
                        v.as_mapping()
                            .and_then(|o| o.get("optional"))
                            .and_then(Value::as_bool)
                            == Some(true)
                    })
                    .filter_map(|(k, _)| scalar(k))
                    .collect()
            })
            .unwrap_or_default();
        for (section, kind) in [
            ("dependencies", DepKind::Prod),
            ("optionalDependencies", DepKind::Optional),
            ("peerDependencies", DepKind::Peer),
        ] {
            let Some(deps) = fields.get(section) else {
                continue;
            };
            let Some(deps) = deps.as_mapping() else {
                return Err(err(format!("`{section}` of `{key}` is not a mapping")));
            };
            for (name, range) in deps {
                let (Some(name), Some(range)) = (scalar(name), scalar(range)) else {
                    return Err(err(format!("bad `{section}` member in `{key}`")));
                };
                let kind = match kind {
                    DepKind::Prod if optional.contains(&name) => DepKind::Optional,
                    DepKind::Peer if peer_optional.contains(&name) => DepKind::PeerOptional,
                    k => k,
                };
                entry.deps.push((name, range, kind));
            }
        }
        entries.push(entry);
    }
    Ok((meta, entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries() {
        let text = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"a@npm:^1, a@npm:^1.1\":\n  version: 1.2.0\n  resolution: \"a@npm:1.2.0\"\n  dependencies:\n    b: \"npm:^2\"\n    c: \"npm:^3\"\n  dependenciesMeta:\n    c:\n      optional: true\n  checksum: 10c0/abc\n  languageName: node\n  linkType: hard\n";
        let (meta, e) = parse("yarn.lock", text).expect("parses");
        assert_eq!(meta.version.as_deref(), Some("8"));
        assert_eq!(meta.cache_key.as_deref(), Some("10c0"));
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].descriptors, vec!["a@npm:^1", "a@npm:^1.1"]);
        assert_eq!(e[0].line, 5);
        assert_eq!(e[0].checksum.as_deref(), Some("10c0/abc"));
        assert_eq!(
            e[0].deps[1],
            ("c".into(), "npm:^3".into(), DepKind::Optional)
        );
        let bad = parse("yarn.lock", "__metadata:\n  version: 8\n\"a@npm:1\": [1\n")
            .expect_err("bad yaml");
        assert!(bad.line.is_some(), "{bad}");
        let bad = parse("yarn.lock", "__metadata:\n  version: 8\nfoo: 1\n").expect_err("bad");
        assert_eq!(bad.line, Some(3));
    }
}
