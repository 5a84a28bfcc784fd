//! `vendor/composer/installed.json`: what Composer installed into a vendor directory.
//!
//! * Composer 1 writes an array of packages; Composer 2 writes
//!   `{"packages": [...], "dev": bool, "dev-package-names": [...]}`.
//! * Packages, purls, sources, hashes, licenses and `require` edges as in the
//!   [parent module](super); `install-path` is kept as `chainproof:composer:install-path`.
//! * Scope: names listed in `dev-package-names` (Composer 2) are `Dev`; everything else is
//!   `Runtime` (Composer 1 files do not say).
//! * No root: the project's `composer.json` is not part of the vendor directory.

use chainproof_core::{Inventory, PackageId, Scope};
use chainproof_source::{FileResolver, file_name, parent_dir};
use serde::Deserialize;

use super::{Names, RawPackage, add_require_edges, name_lines, package};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// `install-path` of an installed package (relative to `vendor/composer/`).
pub const PROP_INSTALL_PATH: &str = "chainproof:composer:install-path";

/// Reads `vendor/composer/installed.json`.
#[derive(Debug, Clone, Copy, Default)]
pub struct InstalledJsonCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "php-composer-installed",
    ecosystem: "Packagist",
    files: "`vendor/composer/installed.json` (Composer 1 and 2)",
    edges: true,
    licenses: true,
    scopes: true,
    hashes: true,
};

#[derive(Deserialize)]
struct V2 {
    #[serde(default)]
    packages: Vec<RawPackage>,
    #[serde(default, rename = "dev-package-names")]
    dev_package_names: Vec<String>,
}

impl Cataloger for InstalledJsonCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "installed.json" && file_name(parent_dir(path)) == "composer"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_installed_json(path, &text)
    }
}

/// Parses an `installed.json` of Composer 1 or 2.
pub fn parse_installed_json(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let (packages, dev_names) = match text.trim_start().chars().next() {
        Some('[') => {
            let v: Vec<RawPackage> =
                serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
            (v, Vec::new())
        }
        Some('{') => {
            let v: V2 = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
            (v.packages, v.dev_package_names)
        }
        _ => {
            return Err(CatalogError::new(
                path,
                "an installed.json must be a JSON array or object",
            )
            .at_line(1));
        }
    };
    let dev_names: std::collections::HashSet<String> =
        dev_names.iter().map(|n| n.to_ascii_lowercase()).collect();
    let lines = name_lines(text, packages.iter().map(|p| p.name.as_str()));
    let mut inv = Inventory::default();
    let mut ids: Vec<PackageId> = Vec::with_capacity(packages.len());
    for (raw, line) in packages.iter().zip(lines) {
        let dev = dev_names.contains(&raw.name.to_ascii_lowercase());
        let mut pkg = package(path, raw, line)?;
        if dev {
            pkg = pkg.with_scope(Scope::Dev);
        }
        if let Some(p) = &raw.install_path {
            pkg = pkg.with_property(PROP_INSTALL_PATH, p.as_str());
        }
        ids.push(inv.add_package(pkg));
    }
    let raws: Vec<&RawPackage> = packages.iter().collect();
    let names = Names::new(raws.iter().copied());
    add_require_edges(&mut inv, &raws, &ids, &names);
    Ok(inv)
}
