//! conda environments: `conda-meta/<name>-<version>-<build>.json`, one file per installed
//! package.
//!
//! * `name` is required (an error otherwise); `version` may be missing (then no version).
//! * Purl per the purl spec's `conda` type: `pkg:conda/<name>@<version>` with qualifiers
//!   `build` (`build` / `build_string`), `channel` (the channel's name: the last path
//!   segment of `channel` after removing the `subdir`, e.g. `main`, `conda-forge`),
//!   `subdir` (`linux-64`, `noarch`, ...) and `type` (`tar.bz2` / `conda`, from `fn` or
//!   `url`). Ecosystem `conda`.
//! * `license` → license (SPDX when valid, else verbatim); `md5` / `sha256` → hashes;
//!   `url` (else `channel`) → source; `depends` verbatim in `chainproof:conda:depends`.
//! * Edges: each `depends` entry (`name [version [build]]`) goes to the package of that
//!   name installed in the same `conda-meta` directory, found by its file name and read to
//!   build the same purl. Missing ones (virtual packages like `__glibc`) get no edge.
//! * Packages pip installed into the environment are not here (the installed-distribution
//!   cataloger finds their `*.dist-info`).

use chainproof_core::{Ecosystem, Hash, HashAlgorithm, Inventory, License, Location, Package};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, parent_dir};
use serde::Deserialize;

use super::project::{dir_prefix, files_with_prefix};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads `conda-meta/*.json`.
pub struct CondaMetaCataloger;

const P_DEPENDS: &str = "chainproof:conda:depends";

#[derive(Deserialize)]
struct Meta {
    name: Option<String>,
    version: Option<String>,
    build: Option<String>,
    build_string: Option<String>,
    channel: Option<String>,
    subdir: Option<String>,
    url: Option<String>,
    #[serde(rename = "fn")]
    file_name: Option<String>,
    license: Option<String>,
    md5: Option<String>,
    sha256: Option<String>,
    #[serde(default)]
    depends: Vec<String>,
}

static INFO: CatalogerInfo = CatalogerInfo {
    name: "conda-meta",
    ecosystem: "conda",
    files: "`conda-meta/*.json` (installed conda packages)",
    edges: true,
    licenses: true,
    scopes: false,
    hashes: true,
};

/// The channel's short name: `https://repo.anaconda.com/pkgs/main/linux-64` → `main`.
fn channel_name(channel: &str, subdir: Option<&str>) -> Option<String> {
    let mut c = channel.trim().trim_end_matches('/');
    if let Some(s) = subdir
        && let Some(rest) = c.strip_suffix(s)
    {
        c = rest.trim_end_matches('/');
    }
    let name = c.rsplit('/').next()?.trim();
    (!name.is_empty() && !name.ends_with(':')).then(|| name.to_string())
}

fn package_type(file: &str) -> Option<&'static str> {
    if file.ends_with(".tar.bz2") {
        Some("tar.bz2")
    } else if file.ends_with(".conda") {
        Some("conda")
    } else {
        None
    }
}

fn purl_of(m: &Meta, name: &str) -> Result<Purl, chainproof_purl::PurlError> {
    let mut p = Purl::new("conda", name)?;
    if let Some(v) = m.version.as_deref().filter(|v| !v.is_empty()) {
        p = p.with_version(v);
    }
    if let Some(b) = m.build.as_ref().or(m.build_string.as_ref()) {
        p = p.with_qualifier("build", b)?;
    }
    if let Some(c) = m
        .channel
        .as_deref()
        .and_then(|c| channel_name(c, m.subdir.as_deref()))
    {
        p = p.with_qualifier("channel", &c)?;
    }
    if let Some(s) = &m.subdir {
        p = p.with_qualifier("subdir", s)?;
    }
    if let Some(t) = m
        .file_name
        .as_deref()
        .or(m.url.as_deref())
        .and_then(package_type)
    {
        p = p.with_qualifier("type", t)?;
    }
    Ok(p)
}

/// Reads one `conda-meta` file into its package and the names it depends on.
fn read_meta(
    resolver: &dyn FileResolver,
    path: &str,
) -> Result<(Package, Vec<String>), CatalogError> {
    let text = resolver.read_to_string(path)?;
    let m: Meta = serde_json::from_str(&text).map_err(|e| CatalogError::json(path, &e))?;
    let name = m
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            CatalogError::new(path, "missing `name`")
                .at_line(1)
                .at_pointer("/name")
        })?;
    let purl = purl_of(&m, name)
        .map_err(|e| CatalogError::new(path, format!("invalid purl: {e}")).at_pointer("/name"))?;
    let version = m.version.as_deref().filter(|v| !v.is_empty());
    let mut pkg = Package::new(Ecosystem::Other("conda".into()), name, version)
        .with_purl(purl)
        .with_location(Location::new(path));
    if let Some(l) = m
        .license
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        pkg.licenses.push(License::parse(l));
    }
    for (alg, hex) in [
        (HashAlgorithm::Md5, &m.md5),
        (HashAlgorithm::Sha256, &m.sha256),
    ] {
        if let Some(h) = hex.as_deref().and_then(|h| Hash::from_hex(alg, h)) {
            pkg.hashes.push(h);
        }
    }
    pkg.source = m.url.clone().or_else(|| m.channel.clone());
    if !m.depends.is_empty() {
        pkg.properties
            .insert(P_DEPENDS.into(), m.depends.join("; "));
    }
    let deps = m
        .depends
        .iter()
        .filter_map(|d| d.split_whitespace().next())
        .map(str::to_ascii_lowercase)
        .collect();
    Ok((pkg, deps))
}

/// The package name a `conda-meta` file name gives (`<name>-<version>-<build>.json`).
fn name_from_file(file: &str) -> Option<&str> {
    let stem = file.strip_suffix(".json")?;
    let mut parts = stem.rsplitn(3, '-');
    let (_build, _version, name) = (parts.next()?, parts.next()?, parts.next()?);
    (!name.is_empty()).then_some(name)
}

impl Cataloger for CondaMetaCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(parent_dir(path)) == "conda-meta" && file_name(path).ends_with(".json")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let (pkg, deps) = read_meta(resolver, path)?;
        let mut inv = Inventory::default();
        let me = inv.add_package(pkg);
        if deps.is_empty() {
            return Ok(inv);
        }
        let dir = parent_dir(path);
        let prefix = dir_prefix(dir);
        for f in files_with_prefix(resolver, &prefix) {
            if f.path == path || parent_dir(&f.path) != dir {
                continue;
            }
            let wanted = name_from_file(file_name(&f.path))
                .is_some_and(|n| deps.iter().any(|d| d.eq_ignore_ascii_case(n)));
            if !wanted {
                continue;
            }
            // A sibling that does not parse is reported by its own cataloging.
            if let Ok((dep, _)) = read_meta(resolver, &f.path)
                && deps.iter().any(|d| d.eq_ignore_ascii_case(&dep.name))
            {
                let id = inv.add_package(dep);
                inv.add_edge(me, id);
            }
        }
        Ok(inv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_and_files() {
        assert_eq!(
            channel_name("https://repo.anaconda.com/pkgs/main", Some("linux-64")).as_deref(),
            Some("main")
        );
        assert_eq!(
            channel_name(
                "https://conda.anaconda.org/conda-forge/noarch",
                Some("noarch")
            )
            .as_deref(),
            Some("conda-forge")
        );
        assert_eq!(
            channel_name("conda-forge", None).as_deref(),
            Some("conda-forge")
        );
        assert_eq!(channel_name("https://", None), None);
        assert_eq!(
            name_from_file("jupyterlab_server-2.8.2-pyhd3eb1b0_0.json"),
            Some("jupyterlab_server")
        );
        assert_eq!(
            name_from_file("ca-certificates-2024.1-h06a4308_0.json"),
            Some("ca-certificates")
        );
        assert_eq!(name_from_file("history"), None);
        assert_eq!(package_type("x-1-0.tar.bz2"), Some("tar.bz2"));
    }
}
