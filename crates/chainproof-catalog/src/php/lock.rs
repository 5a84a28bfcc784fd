//! `composer.lock` (and the `composer.json` beside it for the root project).
//!
//! * `packages` → scope `Runtime`; `packages-dev` → scope `Dev`. Composer itself puts in
//!   `packages-dev` exactly the packages reachable only through the root's `require-dev`,
//!   so the lock's split is the reachability answer; a package in both lists is `Runtime`.
//! * Everything else per package: see the [parent module](super).
//! * **Root**: when `composer.json` sits beside the lock, its project is a
//!   [`PackageKind::Project`] root (name from `name`, else the directory; purl only for a
//!   `vendor/name` name; version from `version` when written) with edges to the packages its
//!   `require` and `require-dev` name. It carries `chainproof:composer:content-hash`, and
//!   the lock's platform requirements as `chainproof:composer:platform` /
//!   `chainproof:composer:platform-dev` (`php >=8.1, ext-json *`). A `composer.json` that
//!   cannot be parsed is reported as [`Unparsed`]; the lock is still cataloged.
//! * A lock that is not a JSON object (`null`, an array) is an error.

use std::collections::BTreeMap;

use chainproof_core::{
    Ecosystem, Inventory, Location, Package, PackageId, PackageKind, Scope, Unparsed,
};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use serde::Deserialize;

use super::{
    Names, RawPackage, add_require_edges, composer_purl, is_platform, name_lines, package,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// The lock's `content-hash`, on the root.
pub const PROP_CONTENT_HASH: &str = "chainproof:composer:content-hash";
/// The lock's `platform` requirements, on the root.
pub const PROP_PLATFORM: &str = "chainproof:composer:platform";
/// The lock's `platform-dev` requirements, on the root.
pub const PROP_PLATFORM_DEV: &str = "chainproof:composer:platform-dev";

const NAME: &str = "php-composer-lock";

/// Reads `composer.lock`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ComposerLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: NAME,
    ecosystem: "Packagist",
    files: "`composer.lock` (+ `composer.json` beside it for the root)",
    edges: true,
    licenses: true,
    scopes: true,
    hashes: true,
};

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    packages: Option<Vec<RawPackage>>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Option<Vec<RawPackage>>,
    #[serde(rename = "content-hash")]
    content_hash: Option<String>,
    #[serde(default)]
    platform: serde_json::Value,
    #[serde(default, rename = "platform-dev")]
    platform_dev: serde_json::Value,
}

#[derive(Deserialize)]
struct Manifest {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    require: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default, rename = "require-dev")]
    require_dev: Option<BTreeMap<String, serde_json::Value>>,
}

impl Cataloger for ComposerLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "composer.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let manifest_path =
            join_relative(parent_dir(path), "composer.json").filter(|p| resolver.exists(p));
        let manifest = match &manifest_path {
            Some(p) => Some((p.as_str(), resolver.read_to_string(p)?)),
            None => None,
        };
        parse_composer_lock(
            path,
            &text,
            manifest.as_ref().map(|(p, t)| (*p, t.as_str())),
        )
    }
}

/// Parses a `composer.lock`; `manifest` is the path and text of the `composer.json` beside
/// it, when there is one.
pub fn parse_composer_lock(
    path: &str,
    text: &str,
    manifest: Option<(&str, &str)>,
) -> Result<Inventory, CatalogError> {
    if !text.trim_start().starts_with('{') {
        return Err(CatalogError::new(path, "a composer.lock must be a JSON object").at_line(1));
    }
    let lock: RawLock = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let runtime = lock.packages.unwrap_or_default();
    let dev = lock.packages_dev.unwrap_or_default();
    let raws: Vec<(&RawPackage, Scope)> = runtime
        .iter()
        .map(|p| (p, Scope::Runtime))
        .chain(dev.iter().map(|p| (p, Scope::Dev)))
        .collect();
    let lines = name_lines(text, raws.iter().map(|(p, _)| p.name.as_str()));

    let mut inv = Inventory::default();
    let mut ids: Vec<PackageId> = Vec::with_capacity(raws.len());
    for ((raw, scope), line) in raws.iter().zip(lines) {
        ids.push(inv.add_package(package(path, raw, line)?.with_scope(*scope)));
    }
    let only: Vec<&RawPackage> = raws.iter().map(|(p, _)| *p).collect();
    let names = Names::new(only.iter().copied());
    add_require_edges(&mut inv, &only, &ids, &names);

    let Some((mpath, mtext)) = manifest else {
        return Ok(inv);
    };
    let m: Manifest = match serde_json::from_str(mtext) {
        Ok(m) => m,
        Err(e) => {
            let err = CatalogError::json(mpath, &e);
            let mut location = Location::new(mpath);
            location.line = err.line;
            inv.add_unparsed(Unparsed {
                location,
                cataloger: NAME.to_string(),
                error: err.to_string(),
            });
            return Ok(inv);
        }
    };
    let dir_name = file_name(parent_dir(path));
    let name = m
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .or_else(|| (!dir_name.is_empty()).then(|| dir_name.to_string()))
        .unwrap_or_else(|| ".".to_string());
    let mut root = Package::new(Ecosystem::Packagist, name.as_str(), m.version.as_deref())
        .with_kind(PackageKind::Project)
        .with_location(Location::new(mpath));
    if m.name.is_some()
        && let Ok(Some(p)) = composer_purl(&name, m.version.as_deref())
    {
        root = root.with_purl(p);
    }
    if let Some(h) = &lock.content_hash {
        root = root.with_property(PROP_CONTENT_HASH, h.as_str());
    }
    for (key, value) in [
        (PROP_PLATFORM, &lock.platform),
        (PROP_PLATFORM_DEV, &lock.platform_dev),
    ] {
        if let Some(obj) = value.as_object().filter(|o| !o.is_empty()) {
            let list: Vec<String> = obj
                .iter()
                .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("*")))
                .collect();
            root = root.with_property(key, list.join(", "));
        }
    }
    let root_id = inv.add_package(root);
    inv.add_root(root_id);
    let mut unresolved = Vec::new();
    for dep in [&m.require, &m.require_dev]
        .into_iter()
        .flatten()
        .flat_map(|r| r.keys())
    {
        if is_platform(dep) {
            continue;
        }
        let targets = names.resolve(dep);
        if targets.is_empty() {
            unresolved.push(dep.as_str());
        }
        for &t in targets {
            inv.add_edge(root_id, ids[t]);
        }
    }
    if !unresolved.is_empty() {
        inv.package_mut(root_id)
            .properties
            .insert(super::PROP_UNRESOLVED.into(), unresolved.join(", "));
    }
    Ok(inv)
}
