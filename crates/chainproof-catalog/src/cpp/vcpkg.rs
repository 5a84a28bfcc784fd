//! `vcpkg.json` manifests → the project and its declared vcpkg ports.
//!
//! vcpkg has no lockfile: a manifest declares ports, optionally with a minimum version
//! (`version>=`) and pins them registry-wide with `builtin-baseline` or one by one with
//! `overrides`. So:
//!
//! * the manifest's `name` (with `version` / `version-semver` / `version-date` /
//!   `version-string` and `port-version`) is a [`PackageKind::Project`] root;
//! * each entry of `dependencies` (a port name, or `{name, version>=, features, platform,
//!   host, default-features}`) is a package with an edge from the root. Its version is the
//!   one of a matching `overrides` entry (an exact pin), else none: `version>=` is only a
//!   lower bound and is kept as `chainproof:vcpkg:version-min`;
//! * `host: true` ports are build tools: [`Scope::Dev`]; ports with a `platform`
//!   expression carry it as `chainproof:vcpkg:platform` and are [`Scope::Optional`];
//!   requested `features` are kept as `chainproof:vcpkg:features` (comma-separated, the
//!   spelling of the purl spec's informational `features` qualifier);
//! * `builtin-baseline` is recorded on the root as `chainproof:vcpkg:builtin-baseline`.
//!
//! Package URLs use the purl spec's registered `vcpkg` type: `pkg:vcpkg/<name>[@<version>]`
//! with `port_version` when it is not 0. A manifest that is not JSON, or whose fields have
//! the wrong type, is an error with the line or JSON pointer.

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageKind, Scope};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name};
use serde_json::Value;

use super::conan::json_key_line;
use crate::util::LineIndex;
use crate::{CatalogError, Cataloger, CatalogerInfo};

pub const PROP_VERSION_MIN: &str = "chainproof:vcpkg:version-min";
pub const PROP_PLATFORM: &str = "chainproof:vcpkg:platform";
pub const PROP_FEATURES: &str = "chainproof:vcpkg:features";
pub const PROP_BASELINE: &str = "chainproof:vcpkg:builtin-baseline";

/// Reads `vcpkg.json` manifests.
#[derive(Debug, Clone, Copy, Default)]
pub struct VcpkgManifestCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "vcpkg-manifest",
    ecosystem: "vcpkg",
    files: "`vcpkg.json` (declared ports; `overrides` pin versions)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: false,
};

impl Cataloger for VcpkgManifestCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "vcpkg.json"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_vcpkg_json(path, &text)
    }
}

const VERSION_KEYS: [&str; 4] = [
    "version",
    "version-semver",
    "version-date",
    "version-string",
];

fn ecosystem() -> Ecosystem {
    Ecosystem::Other("vcpkg".to_string())
}

fn err(path: &str, text: &str, pointer: &str, key: &str, msg: String) -> CatalogError {
    let e = CatalogError::new(path, msg).at_pointer(pointer);
    match json_key_line(text, key, 0) {
        Some(l) => e.at_line(l),
        None => e,
    }
}

fn str_field<'a>(
    path: &str,
    text: &str,
    obj: &'a Value,
    key: &str,
    pointer: &str,
) -> Result<Option<&'a str>, CatalogError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(err(
            path,
            text,
            &format!("{pointer}/{key}"),
            key,
            format!("`{key}` is not a string"),
        )),
    }
}

fn port_version(v: &Value) -> Option<u64> {
    v.get("port-version")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
}

fn purl(
    path: &str,
    name: &str,
    version: Option<&str>,
    port: Option<u64>,
) -> Result<Purl, CatalogError> {
    let mut p = Purl::new("vcpkg", name)
        .map_err(|e| CatalogError::new(path, format!("port `{name}`: {e}")))?;
    if let Some(v) = version {
        p = p.with_version(v);
    }
    if let Some(n) = port {
        p = p
            .with_qualifier("port_version", &n.to_string())
            .map_err(|e| CatalogError::new(path, e.to_string()))?;
    }
    Ok(p)
}

/// Parses the text of a `vcpkg.json`; `path` is used for locations and errors.
pub fn parse_vcpkg_json(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let lines = LineIndex::new(text);
    let doc: Value = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    if !doc.is_object() {
        return Err(CatalogError::new(path, "a vcpkg.json is a JSON object").at_line(1));
    }
    let mut inv = Inventory::default();

    let name = str_field(path, text, &doc, "name", "")?;
    let mut version = None;
    for k in VERSION_KEYS {
        if let Some(v) = str_field(path, text, &doc, k, "")? {
            version = Some(v);
            break;
        }
    }
    let root = match name {
        Some(n) => {
            let mut pkg = Package::new(ecosystem(), n, version)
                .with_purl(purl(path, n, version, port_version(&doc))?)
                .with_kind(PackageKind::Project)
                .with_location(
                    Location::new(path).with_line(json_key_line(text, "name", 0).unwrap_or(1)),
                );
            if let Some(b) = str_field(path, text, &doc, "builtin-baseline", "")? {
                pkg = pkg.with_property(PROP_BASELINE, b);
            }
            let id = inv.add_package(pkg);
            inv.add_root(id);
            Some(id)
        }
        None => None,
    };

    // overrides: exact pins.
    let mut pins: Vec<(String, String, Option<u64>)> = Vec::new();
    if let Some(ov) = doc.get("overrides") {
        let list = ov.as_array().ok_or_else(|| {
            err(
                path,
                text,
                "/overrides",
                "overrides",
                "`overrides` is not a list".into(),
            )
        })?;
        for (i, o) in list.iter().enumerate() {
            let p = format!("/overrides/{i}");
            let n = str_field(path, text, o, "name", &p)?.ok_or_else(|| {
                err(
                    path,
                    text,
                    &p,
                    "overrides",
                    "an override has no `name`".into(),
                )
            })?;
            let mut v = None;
            for k in VERSION_KEYS {
                if let Some(x) = str_field(path, text, o, k, &p)? {
                    v = Some(x);
                    break;
                }
            }
            if let Some(v) = v {
                pins.push((n.to_string(), v.to_string(), port_version(o)));
            }
        }
    }

    let Some(deps) = doc.get("dependencies") else {
        return Ok(inv);
    };
    let deps = deps.as_array().ok_or_else(|| {
        err(
            path,
            text,
            "/dependencies",
            "dependencies",
            "`dependencies` is not a list".into(),
        )
    })?;
    let deps_at = text.find("\"dependencies\"").unwrap_or(0);
    for (i, d) in deps.iter().enumerate() {
        let p = format!("/dependencies/{i}");
        let (dname, obj) = match d {
            Value::String(s) => (s.as_str(), None),
            Value::Object(_) => {
                let n = str_field(path, text, d, "name", &p)?.ok_or_else(|| {
                    err(
                        path,
                        text,
                        &p,
                        "dependencies",
                        "a dependency has no `name`".into(),
                    )
                })?;
                (n, Some(d))
            }
            _ => {
                return Err(err(
                    path,
                    text,
                    &p,
                    "dependencies",
                    "a dependency is neither a string nor an object".into(),
                ));
            }
        };
        let line = text
            .get(deps_at..)
            .and_then(|t| t.find(&format!("\"{dname}\"")))
            .map_or(1, |at| lines.line(deps_at + at));
        let pin = pins.iter().find(|(n, _, _)| n == dname);
        let (v, port) = match pin {
            Some((_, v, port)) => (Some(v.as_str()), *port),
            None => (None, None),
        };
        let mut pkg = Package::new(ecosystem(), dname, v)
            .with_purl(purl(path, dname, v, port)?)
            .with_location(Location::new(path).with_line(line));
        if let Some(o) = obj {
            if let Some(min) = str_field(path, text, o, "version>=", &p)? {
                pkg = pkg.with_property(PROP_VERSION_MIN, min);
            }
            if let Some(plat) = str_field(path, text, o, "platform", &p)? {
                pkg = pkg
                    .with_property(PROP_PLATFORM, plat)
                    .with_scope(Scope::Optional);
            }
            if o.get("host").and_then(Value::as_bool) == Some(true) {
                pkg = pkg.with_scope(Scope::Dev);
            }
            if let Some(fs) = o.get("features").and_then(Value::as_array) {
                let names: Vec<&str> = fs
                    .iter()
                    .filter_map(|f| f.as_str().or_else(|| f.get("name").and_then(Value::as_str)))
                    .collect();
                if !names.is_empty() {
                    pkg = pkg.with_property(PROP_FEATURES, names.join(","));
                }
            }
        }
        let id = inv.add_package(pkg);
        if let Some(root) = root {
            inv.add_edge(root, id);
        }
    }
    Ok(inv)
}
