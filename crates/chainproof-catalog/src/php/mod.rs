//! PHP: Composer's `composer.lock` and `vendor/composer/installed.json`.
//!
//! Both files list packages in the same shape (`name`, `version`, `source`, `dist`,
//! `require`, `replace`, `provide`, `license`, `type`), which this module turns into
//! packages and edges; [`lock`] and [`installed`] add what is specific to each file.
//!
//! * **Purl**: `pkg:composer/<vendor>/<name>@<version>`, the version **as written**
//!   (`v1.8.1` stays `v1.8.1`, `dev-main` stays `dev-main`): the purl spec defines no
//!   normalization for `composer`, syft keeps the written version, and Packagist advisories
//!   list versions in both spellings. Names are lower-case in Composer; a name without a
//!   vendor gets no purl.
//! * **Source**: a `git` (or `hg`, `svn`) `source` → [`Package::source`]
//!   `git+<url>@<reference>`; otherwise the `dist` URL (a `path` dist is local code:
//!   [`PackageKind::Project`]). Properties `chainproof:composer:type` (package type),
//!   `chainproof:composer:dist-url`, `chainproof:composer:reference`.
//! * **Hashes**: a non-empty `dist.shasum` is a SHA-1 of the archive (an empty string, as
//!   GitHub zipballs have, is no hash).
//! * **Licenses**: each entry of `license` (array or string), as an SPDX expression when
//!   valid.
//! * **Edges**: `require` entries resolved by name among the packages of the file, and
//!   through the `replace` / `provide` lists of those packages (e.g. a `symfony/polyfill-*`
//!   that another package replaces). Platform requirements — names without a `/`: `php`,
//!   `php-64bit`, `ext-*`, `lib-*`, `composer-plugin-api`, `composer-runtime-api`, ... — are
//!   not packages and get no edge. Other names that resolve to nothing are listed in
//!   `chainproof:composer:unresolved`. `require-dev` of dependencies is ignored: Composer
//!   installs only the root's.
//! * **Lines**: each package is located at the line of its `"name"` key.
//! * JSON syntax and shape errors are [`CatalogError`]s with line and column.

pub mod installed;
pub mod lock;

use std::collections::{BTreeMap, HashMap};

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, License, Location, Package, PackageId, PackageKind,
};
use chainproof_purl::{Purl, PurlError};
use serde::Deserialize;

pub use installed::InstalledJsonCataloger;
pub use lock::ComposerLockCataloger;

/// The Composer package type (`library`, `metapackage`, `composer-plugin`, ...).
pub const PROP_TYPE: &str = "chainproof:composer:type";
/// The `dist` URL, when the package's source is a VCS.
pub const PROP_DIST_URL: &str = "chainproof:composer:dist-url";
/// The commit / reference of the source (or dist).
pub const PROP_REFERENCE: &str = "chainproof:composer:reference";
/// `require` names that no package of the file provides (comma-separated).
pub const PROP_UNRESOLVED: &str = "chainproof:composer:unresolved";
/// A `dist.shasum` that is not 40 hex digits, verbatim.
pub const PROP_BAD_SHASUM: &str = "chainproof:composer:shasum";

/// One package entry, as both files write it.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPackage {
    pub name: String,
    pub version: String,
    pub source: Option<RawSource>,
    pub dist: Option<RawSource>,
    #[serde(default)]
    pub require: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub replace: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub provide: Option<BTreeMap<String, serde_json::Value>>,
    pub license: Option<serde_json::Value>,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    #[serde(rename = "install-path")]
    pub install_path: Option<String>,
}

/// A `source` or `dist` object.
#[derive(Debug, Deserialize)]
pub(crate) struct RawSource {
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub url: Option<String>,
    pub reference: Option<String>,
    pub shasum: Option<String>,
}

/// Whether a requirement names a platform package (PHP, an extension, a library, Composer's
/// APIs) rather than a package: Composer's platform names are the ones without a vendor.
pub fn is_platform(name: &str) -> bool {
    !name.contains('/')
}

/// The purl of a Composer package; `None` for a name without a vendor.
pub fn composer_purl(name: &str, version: Option<&str>) -> Result<Option<Purl>, PurlError> {
    let Some((vendor, pkg)) = name.split_once('/') else {
        return Ok(None);
    };
    let mut p = Purl::new("composer", pkg)?.with_namespace(vendor)?;
    if let Some(v) = version {
        p = p.with_version(v);
    }
    Ok(Some(p))
}

/// One entry → a package (no edges). `line` is the line of its `"name"`.
pub(crate) fn package(
    path: &str,
    raw: &RawPackage,
    line: Option<u32>,
) -> Result<Package, crate::CatalogError> {
    let purl = composer_purl(&raw.name, Some(&raw.version)).map_err(|e| {
        let err = crate::CatalogError::new(path, format!("package `{}`: {e}", raw.name));
        match line {
            Some(l) => err.at_line(l),
            None => err,
        }
    })?;
    let mut location = Location::new(path);
    location.line = line;
    let mut pkg = Package::new(Ecosystem::Packagist, raw.name.as_str(), Some(&raw.version))
        .with_location(location);
    if let Some(p) = purl {
        pkg = pkg.with_purl(p);
    }
    if let Some(t) = &raw.ty {
        pkg = pkg.with_property(PROP_TYPE, t.as_str());
    }
    let vcs = raw
        .source
        .as_ref()
        .filter(|s| matches!(s.ty.as_deref(), Some("git" | "hg" | "svn" | "fossil")));
    let dist_url = raw.dist.as_ref().and_then(|d| d.url.clone());
    if let Some(s) = vcs
        && let Some(url) = &s.url
    {
        let ty = s.ty.as_deref().unwrap_or("git");
        pkg = match &s.reference {
            Some(r) if !r.is_empty() => pkg.with_source(format!("{ty}+{url}@{r}")),
            _ => pkg.with_source(format!("{ty}+{url}")),
        };
        if let Some(d) = &dist_url {
            pkg = pkg.with_property(PROP_DIST_URL, d.as_str());
        }
    } else if let Some(d) = &dist_url {
        pkg = pkg.with_source(d.as_str());
    }
    if raw.dist.as_ref().and_then(|d| d.ty.as_deref()) == Some("path") {
        pkg = pkg.with_kind(PackageKind::Project);
    }
    let reference = vcs
        .and_then(|s| s.reference.as_ref())
        .or_else(|| raw.dist.as_ref().and_then(|d| d.reference.as_ref()))
        .filter(|r| !r.is_empty());
    if let Some(r) = reference {
        pkg = pkg.with_property(PROP_REFERENCE, r.as_str());
    }
    if let Some(sum) = raw.dist.as_ref().and_then(|d| d.shasum.as_deref())
        && !sum.is_empty()
    {
        pkg = match Hash::from_hex(HashAlgorithm::Sha1, sum) {
            Some(h) => pkg.with_hash(h),
            None => pkg.with_property(PROP_BAD_SHASUM, sum),
        };
    }
    match &raw.license {
        Some(serde_json::Value::String(s)) if !s.is_empty() => {
            pkg = pkg.with_license(License::parse(s));
        }
        Some(serde_json::Value::Array(a)) => {
            for s in a.iter().filter_map(serde_json::Value::as_str) {
                if !s.is_empty() {
                    pkg = pkg.with_license(License::parse(s));
                }
            }
        }
        _ => {}
    }
    Ok(pkg)
}

/// Resolves requirement names to package indices: by name first, then through `replace`
/// and `provide`.
pub(crate) struct Names {
    by_name: HashMap<String, Vec<usize>>,
    by_virtual: HashMap<String, Vec<usize>>,
}

impl Names {
    pub fn new<'a>(packages: impl Iterator<Item = &'a RawPackage>) -> Names {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_virtual: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in packages.enumerate() {
            by_name
                .entry(p.name.to_ascii_lowercase())
                .or_default()
                .push(i);
            for m in [&p.replace, &p.provide].into_iter().flatten() {
                for n in m.keys() {
                    by_virtual
                        .entry(n.to_ascii_lowercase())
                        .or_default()
                        .push(i);
                }
            }
        }
        Names {
            by_name,
            by_virtual,
        }
    }

    /// The packages a (non-platform) requirement name resolves to; empty if none.
    pub fn resolve(&self, name: &str) -> &[usize] {
        let n = name.to_ascii_lowercase();
        self.by_name
            .get(&n)
            .or_else(|| self.by_virtual.get(&n))
            .map_or(&[], Vec::as_slice)
    }
}

/// Adds the `require` edges of every package (`ids[i]` is the id of package `i`).
pub(crate) fn add_require_edges(
    inv: &mut Inventory,
    raws: &[&RawPackage],
    ids: &[PackageId],
    names: &Names,
) {
    for (i, raw) in raws.iter().enumerate() {
        let mut unresolved = Vec::new();
        for dep in raw.require.iter().flat_map(|m| m.keys()) {
            if is_platform(dep) {
                continue;
            }
            let targets = names.resolve(dep);
            if targets.is_empty() {
                unresolved.push(dep.as_str());
            }
            for &t in targets {
                inv.add_edge(ids[i], ids[t]);
            }
        }
        if !unresolved.is_empty() {
            inv.package_mut(ids[i])
                .properties
                .insert(PROP_UNRESOLVED.into(), unresolved.join(", "));
        }
    }
}

/// The line of each package's `"name": "<name>"`, searched in order through the text (so
/// a name that also appears elsewhere, e.g. in `require`, is not mistaken for the entry).
pub(crate) fn name_lines<'a>(text: &str, names: impl Iterator<Item = &'a str>) -> Vec<Option<u32>> {
    let mut cursor = 0;
    let mut out = Vec::new();
    let lines = crate::util::LineIndex::new(text);
    for name in names {
        let plain = serde_json::to_string(name).unwrap_or_default();
        let escaped = plain.replace('/', "\\/");
        let mut found = None;
        let mut from = cursor;
        while let Some(rel) = text.get(from..).and_then(|t| t.find("\"name\"")) {
            let at = from + rel;
            let after = text[at + 6..].trim_start();
            if let Some(v) = after.strip_prefix(':').map(str::trim_start)
                && (v.starts_with(&plain) || v.starts_with(&escaped))
            {
                found = Some(at);
                break;
            }
            from = at + 6;
        }
        match found {
            Some(at) => {
                cursor = at + 6;
                out.push(Some(lines.line(at)));
            }
            None => out.push(None),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        let p = composer_purl("symfony/console", Some("v6.4.1")).map(|p| p.map(|p| p.to_string()));
        assert_eq!(p, Ok(Some("pkg:composer/symfony/console@v6.4.1".into())));
        let p = composer_purl("Sentry/SDK", None).map(|p| p.map(|p| p.to_string()));
        assert_eq!(p, Ok(Some("pkg:composer/sentry/sdk".into())));
        assert_eq!(composer_purl("php", Some("8")), Ok(None));
    }

    #[test]
    fn platform_names() {
        for n in [
            "php",
            "php-64bit",
            "ext-json",
            "lib-pcre",
            "composer-plugin-api",
        ] {
            assert!(is_platform(n), "{n}");
        }
        assert!(!is_platform("composer/semver"));
    }

    #[test]
    fn lines() {
        let t = "{\n \"require\": {\"a/b\": \"1\"},\n \"p\": [\n  {\"name\": \"a/b\"},\n  {\"name\" : \"c\\/d\"}\n ]\n}";
        assert_eq!(
            name_lines(t, ["a/b", "c/d", "x/y"].into_iter()),
            vec![Some(4), Some(5), None]
        );
    }
}
