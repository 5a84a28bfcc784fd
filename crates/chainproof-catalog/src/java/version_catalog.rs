//! Gradle version catalogs (`gradle/libs.versions.toml`, any `*.versions.toml`).
//!
//! * **`[libraries]`**: every alias is a declared dependency, written as `"g:a:v"` /
//!   `"g:a"`, or a table with `module = "g:a"` or `group` + `name`, and `version` as a
//!   string, `version.ref = "<key of [versions]>"`, or a rich version
//!   (`{ strictly | require | prefer | ref }`). The package is
//!   `pkg:maven/<g>/<a>@<version>` located at the alias line, with
//!   `chainproof:gradle:catalog-alias`. A rich or dynamic constraint is kept as
//!   `chainproof:gradle:version-constraint`; the version is its `strictly`, else `require`,
//!   else `prefer` value, unless that is a range or dynamic (`1.+`, `[1,2)`,
//!   `latest.release`), when the package has no version. A missing version or undefined
//!   `ref` gives no version and `chainproof:maven:unresolved-version` (the ref, or empty).
//! * **`[plugins]`**: `id` + version is the plugin marker artifact
//!   `pkg:maven/<id>/<id>.gradle.plugin@<version>`, dev scope (plugins run in the build),
//!   with `chainproof:gradle:plugin`.
//! * `[bundles]` only group aliases and are not read. A catalog only declares: no edges.
//! * Invalid TOML, or an entry without coordinates, is an error with the line.

use chainproof_core::{Inventory, Location, Package, Scope};
use chainproof_source::{FileResolver, file_name};
use toml::{Table, Value};

use super::{
    PROP_CATALOG_ALIAS, PROP_GRADLE_PLUGIN, PROP_UNRESOLVED_VERSION, PROP_VERSION_CONSTRAINT,
    is_version_range, maven_package,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads Gradle version catalogs.
#[derive(Debug, Clone, Copy, Default)]
pub struct GradleVersionCatalogCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "gradle-version-catalog",
    ecosystem: "Maven",
    files: "`gradle/libs.versions.toml` (any `*.versions.toml`)",
    edges: false,
    licenses: false,
    scopes: true,
    hashes: false,
};

impl Cataloger for GradleVersionCatalogCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path).ends_with(".versions.toml")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_version_catalog(path, &text)
    }
}

/// The 1-based line where `alias` is defined inside `[section]` (1 when not found).
fn alias_line(text: &str, section: &str, alias: &str) -> u32 {
    let header = format!("[{section}]");
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            inside = t == header;
            continue;
        }
        let key = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        if inside && key == alias {
            return u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
    }
    1
}

fn is_dynamic(v: &str) -> bool {
    is_version_range(v) || v.contains('+') || v.starts_with("latest.") || v.contains(',')
}

/// The version of a library entry: (version, constraint to record, unresolved raw).
struct Version {
    version: Option<String>,
    constraint: Option<String>,
    unresolved: Option<String>,
}

fn version_of(v: Option<&Value>, versions: Option<&Table>) -> Version {
    let lookup = |r: &str| {
        versions
            .and_then(|t| t.get(r))
            .cloned()
            .ok_or_else(|| r.to_string())
    };
    let value = match v {
        None => {
            return Version {
                version: None,
                constraint: None,
                unresolved: Some(String::new()),
            };
        }
        Some(Value::Table(t)) if t.len() == 1 && t.contains_key("ref") => {
            match t.get("ref").and_then(Value::as_str).map(lookup) {
                Some(Ok(v)) => v,
                Some(Err(r)) => {
                    return Version {
                        version: None,
                        constraint: None,
                        unresolved: Some(r),
                    };
                }
                None => Value::Table(t.clone()),
            }
        }
        Some(other) => other.clone(),
    };
    match value {
        Value::String(s) if !is_dynamic(&s) => Version {
            version: Some(s),
            constraint: None,
            unresolved: None,
        },
        Value::String(s) => Version {
            version: None,
            constraint: Some(s),
            unresolved: None,
        },
        Value::Table(t) => {
            let pick = ["strictly", "require", "prefer"]
                .iter()
                .find_map(|k| t.get(*k).and_then(Value::as_str))
                .filter(|s| !is_dynamic(s))
                .map(str::to_string);
            let constraint = t
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| format!("{k}={v}")))
                .collect::<Vec<_>>()
                .join(",");
            Version {
                version: pick,
                constraint: Some(constraint),
                unresolved: None,
            }
        }
        other => Version {
            version: None,
            constraint: Some(format!("{other:?}")),
            unresolved: None,
        },
    }
}

/// Parses the text of a version catalog.
pub fn parse_version_catalog(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let doc: Table = toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))?;
    let versions = doc.get("versions").and_then(Value::as_table);
    let mut inv = Inventory::default();
    let err = |section: &str, alias: &str, msg: &str| {
        CatalogError::new(path, format!("{section}.{alias}: {msg}"))
            .at_line(alias_line(text, section, alias))
            .at_pointer(format!("{section}.{alias}"))
    };

    if let Some(libs) = doc.get("libraries").and_then(Value::as_table) {
        for (alias, entry) in libs {
            let line = alias_line(text, "libraries", alias);
            let (group, artifact, version) = match entry {
                Value::String(s) => {
                    let parts: Vec<&str> = s.split(':').collect();
                    match parts[..] {
                        [g, a] => (g.to_string(), a.to_string(), None),
                        [g, a, v] => (g.to_string(), a.to_string(), Some(Value::from(v))),
                        _ => {
                            return Err(err(
                                "libraries",
                                alias,
                                "expected `group:artifact[:version]`",
                            ));
                        }
                    }
                }
                Value::Table(t) => {
                    let (g, a) = match (
                        t.get("module").and_then(Value::as_str),
                        t.get("group").and_then(Value::as_str),
                        t.get("name").and_then(Value::as_str),
                    ) {
                        (Some(m), _, _) => match m.split_once(':') {
                            Some((g, a)) if !a.contains(':') => (g.to_string(), a.to_string()),
                            _ => {
                                return Err(err(
                                    "libraries",
                                    alias,
                                    "`module` is not `group:artifact`",
                                ));
                            }
                        },
                        (None, Some(g), Some(n)) => (g.to_string(), n.to_string()),
                        _ => {
                            return Err(err(
                                "libraries",
                                alias,
                                "no `module` nor `group` and `name`",
                            ));
                        }
                    };
                    (g, a, t.get("version").cloned())
                }
                _ => return Err(err("libraries", alias, "expected a string or a table")),
            };
            let v = version_of(version.as_ref(), versions);
            let mut p = maven_package(&group, &artifact, v.version.as_deref(), None, None)
                .with_location(Location::new(path).with_line(line))
                .with_property(PROP_CATALOG_ALIAS, alias.as_str());
            p = with_version_props(p, v);
            inv.add_package(p);
        }
    }

    if let Some(plugins) = doc.get("plugins").and_then(Value::as_table) {
        for (alias, entry) in plugins {
            let line = alias_line(text, "plugins", alias);
            let (id, version) = match entry {
                Value::String(s) => match s.split_once(':') {
                    Some((id, v)) => (id.to_string(), Some(Value::from(v))),
                    None => (s.clone(), None),
                },
                Value::Table(t) => match t.get("id").and_then(Value::as_str) {
                    Some(id) => (id.to_string(), t.get("version").cloned()),
                    None => return Err(err("plugins", alias, "no `id`")),
                },
                _ => return Err(err("plugins", alias, "expected a string or a table")),
            };
            let v = version_of(version.as_ref(), versions);
            let marker = format!("{id}.gradle.plugin");
            let mut p = maven_package(&id, &marker, v.version.as_deref(), None, None)
                .with_location(Location::new(path).with_line(line))
                .with_scope(Scope::Dev)
                .with_property(PROP_GRADLE_PLUGIN, id.as_str())
                .with_property(PROP_CATALOG_ALIAS, alias.as_str());
            p = with_version_props(p, v);
            inv.add_package(p);
        }
    }
    Ok(inv)
}

fn with_version_props(mut p: Package, v: Version) -> Package {
    if let Some(c) = v.constraint {
        p = p.with_property(PROP_VERSION_CONSTRAINT, c);
    }
    if let Some(u) = v.unresolved {
        p = p.with_property(PROP_UNRESOLVED_VERSION, u);
    }
    p
}
