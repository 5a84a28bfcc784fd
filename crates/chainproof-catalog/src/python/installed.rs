//! Installed Python distributions: `<dist>.dist-info/METADATA`, `<dist>.egg-info/PKG-INFO`,
//! `<dist>.egg/EGG-INFO/PKG-INFO`, and single-file `<dist>.egg-info` (old distutils).
//!
//! * The metadata is RFC 822 style headers (names case-insensitive, continuation lines start
//!   with a space or tab) up to the first blank line; the body (description) is not read.
//!   `Name` is required; the first `Name` / `Version` wins when repeated. A header line
//!   without `:` is an error at its line. Purl `pkg:pypi/<normalized name>@<version>`,
//!   location the line of `Name`.
//! * Licenses: `License-Expression` (PEP 639) when present, alone. Otherwise the `License`
//!   field when it is a valid SPDX expression, plus the SPDX id of each
//!   `Classifier: License :: ...` whose mapping is unambiguous (MIT, GPL with version, ...;
//!   `Apache Software License` and `BSD License` name no version or variant and are not
//!   mapped). When that yields nothing, a free-text `License` is kept as
//!   [`License::Other`], first line only (`UNKNOWN` is ignored).
//! * Beside `METADATA` (dist-info only): `INSTALLER` → `chainproof:python:installer`,
//!   `RECORD` → `chainproof:python:record-files` (its number of entries), `direct_url.json`
//!   (PEP 610) → source (`<vcs>+<url>@<commit_id>` or the URL), `dir_info.editable` →
//!   `chainproof:python:editable`, `archive_info` hashes → hashes.
//! * Edges: each `Requires-Dist` without an `extra == ...` marker goes to the distribution of
//!   that normalized name installed in the same directory (site-packages), if any.
//!   Requirements of extras are not followed (they are installed only on request). The
//!   target's package is built from its own metadata, so it unifies with its own entry.
//! * Zipped `.egg` files and `.whl` archives are not opened.

use chainproof_core::{Hash, HashAlgorithm, Inventory, License, Location, Package};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use serde::Deserialize;

use super::project::{dir_prefix, files_with_prefix};
use super::{
    P_EDITABLE, P_INSTALLER, P_RECORD_FILES, P_SOURCE_TYPE, normalize_name, pep508, pypi_package,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads installed distributions' metadata.
pub struct InstalledCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "python-installed",
    ecosystem: "PyPI",
    files: "`*.dist-info/METADATA` (+ `RECORD`, `INSTALLER`, `direct_url.json`), `*.egg-info/PKG-INFO`, `EGG-INFO/PKG-INFO`, `*.egg-info` files",
    edges: true,
    licenses: true,
    scopes: false,
    hashes: true,
};

/// The kind of metadata file a path is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    DistInfo,
    EggInfoDir,
    EggDir,
    EggInfoFile,
}

fn kind_of(path: &str) -> Option<Kind> {
    let name = file_name(path);
    let parent = file_name(parent_dir(path));
    match name {
        "METADATA" if parent.ends_with(".dist-info") && parent.len() > 10 => Some(Kind::DistInfo),
        "PKG-INFO" if parent.ends_with(".egg-info") && parent.len() > 9 => Some(Kind::EggInfoDir),
        "PKG-INFO" if parent == "EGG-INFO" => Some(Kind::EggDir),
        n if n.ends_with(".egg-info") && n.len() > 9 => Some(Kind::EggInfoFile),
        _ => None,
    }
}

/// The directory the distribution is installed in (site-packages).
fn site_dir(path: &str, kind: Kind) -> &str {
    match kind {
        Kind::EggInfoFile => parent_dir(path),
        Kind::DistInfo | Kind::EggInfoDir => parent_dir(parent_dir(path)),
        Kind::EggDir => parent_dir(parent_dir(parent_dir(path))),
    }
}

/// One header: lower-cased name, value (continuations joined with `\n`), line.
struct Header {
    name: String,
    value: String,
    line: u32,
}

/// Parses the header block. Errors carry the 1-based line.
fn parse_headers(text: &str) -> Result<Vec<Header>, (u32, String)> {
    let mut out: Vec<Header> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if raw.trim().is_empty() {
            break;
        }
        if raw.starts_with([' ', '\t']) {
            match out.last_mut() {
                Some(h) => {
                    h.value.push('\n');
                    h.value.push_str(raw.trim());
                }
                None => return Err((line, "continuation line before any header".into())),
            }
            continue;
        }
        let (name, value) = raw.split_once(':').ok_or_else(|| {
            (
                line,
                format!("expected `Name: value`, found `{}`", raw.trim()),
            )
        })?;
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err((line, format!("invalid header name `{name}`")));
        }
        out.push(Header {
            name: name.to_ascii_lowercase(),
            value: value.trim().to_string(),
            line,
        });
    }
    Ok(out)
}

/// SPDX id for a `License ::` trove classifier, when the mapping is unambiguous.
fn classifier_spdx(classifier: &str) -> Option<&'static str> {
    let rest = classifier.trim().strip_prefix("License ::")?.trim();
    let rest = rest.strip_prefix("OSI Approved ::").unwrap_or(rest).trim();
    Some(match rest {
        "MIT License" => "MIT",
        "MIT No Attribution License (MIT-0)" => "MIT-0",
        "ISC License (ISCL)" => "ISC",
        "Mozilla Public License 1.1 (MPL 1.1)" => "MPL-1.1",
        "Mozilla Public License 2.0 (MPL 2.0)" => "MPL-2.0",
        "GNU General Public License v2 (GPLv2)" => "GPL-2.0-only",
        "GNU General Public License v2 or later (GPLv2+)" => "GPL-2.0-or-later",
        "GNU General Public License v3 (GPLv3)" => "GPL-3.0-only",
        "GNU General Public License v3 or later (GPLv3+)" => "GPL-3.0-or-later",
        "GNU Lesser General Public License v2 (LGPLv2)" => "LGPL-2.0-only",
        "GNU Lesser General Public License v2 or later (LGPLv2+)" => "LGPL-2.0-or-later",
        "GNU Lesser General Public License v3 (LGPLv3)" => "LGPL-3.0-only",
        "GNU Lesser General Public License v3 or later (LGPLv3+)" => "LGPL-3.0-or-later",
        "GNU Affero General Public License v3" => "AGPL-3.0-only",
        "GNU Affero General Public License v3 or later (AGPLv3+)" => "AGPL-3.0-or-later",
        "Python Software Foundation License" => "PSF-2.0",
        "The Unlicense (Unlicense)" => "Unlicense",
        "Boost Software License 1.0 (BSL-1.0)" => "BSL-1.0",
        "Zero-Clause BSD (0BSD)" => "0BSD",
        "Eclipse Public License 2.0 (EPL-2.0)" => "EPL-2.0",
        "European Union Public Licence 1.2 (EUPL 1.2)" => "EUPL-1.2",
        "zlib/libpng License" => "Zlib",
        "Universal Permissive License (UPL)" => "UPL-1.0",
        "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication" => "CC0-1.0",
        _ => return None,
    })
}

/// The licenses a metadata block declares (see the module docs for the precedence).
fn licenses(headers: &[Header]) -> Vec<License> {
    let field = |n: &str| headers.iter().find(|h| h.name == n).map(|h| h.value.trim());
    if let Some(expr) = field("license-expression").filter(|e| !e.is_empty()) {
        return vec![License::parse(expr)];
    }
    let mut out: Vec<License> = Vec::new();
    let free = field("license")
        .and_then(|l| l.lines().map(str::trim).find(|l| !l.is_empty()))
        .filter(|l| !l.eq_ignore_ascii_case("UNKNOWN"));
    let free_license = free.map(License::parse);
    if let Some(l @ License::Spdx(_)) = &free_license {
        out.push(l.clone());
    }
    for h in headers.iter().filter(|h| h.name == "classifier") {
        if let Some(id) = classifier_spdx(&h.value) {
            let l = License::Spdx(id.to_string());
            if !out.contains(&l) {
                out.push(l);
            }
        }
    }
    if out.is_empty() {
        out.extend(free_license);
    }
    out
}

#[derive(Deserialize)]
struct DirectUrl {
    url: Option<String>,
    vcs_info: Option<VcsInfo>,
    dir_info: Option<DirInfo>,
    archive_info: Option<ArchiveInfo>,
}

#[derive(Deserialize)]
struct VcsInfo {
    vcs: Option<String>,
    commit_id: Option<String>,
}

#[derive(Deserialize)]
struct DirInfo {
    #[serde(default)]
    editable: bool,
}

#[derive(Deserialize)]
struct ArchiveInfo {
    hash: Option<String>,
    #[serde(default)]
    hashes: std::collections::BTreeMap<String, String>,
}

/// Reads the files beside a dist-info `METADATA` (best effort: unreadable ones are skipped).
fn read_dist_info_extras(resolver: &dyn FileResolver, dir: &str, pkg: &mut Package) {
    let sibling = |n: &str| {
        join_relative(dir, n)
            .filter(|p| resolver.exists(p))
            .and_then(|p| resolver.read_to_string(&p).ok())
    };
    if let Some(i) = sibling("INSTALLER").map(|s| s.trim().to_string())
        && !i.is_empty()
    {
        pkg.properties.insert(P_INSTALLER.into(), i);
    }
    if let Some(r) = sibling("RECORD") {
        let n = r.lines().filter(|l| !l.trim().is_empty()).count();
        pkg.properties.insert(P_RECORD_FILES.into(), n.to_string());
    }
    let Some(du) =
        sibling("direct_url.json").and_then(|t| serde_json::from_str::<DirectUrl>(&t).ok())
    else {
        return;
    };
    if let Some(url) = &du.url {
        let (kind, source) = match &du.vcs_info {
            Some(v) => {
                let mut s = format!("{}+{url}", v.vcs.as_deref().unwrap_or("git"));
                if let Some(c) = &v.commit_id {
                    s.push('@');
                    s.push_str(c);
                }
                ("vcs", s)
            }
            None if du.dir_info.is_some() => ("directory", url.clone()),
            None => ("url", url.clone()),
        };
        pkg.source = Some(source);
        pkg.properties.insert(P_SOURCE_TYPE.into(), kind.into());
    }
    if du.dir_info.as_ref().is_some_and(|d| d.editable) {
        pkg.properties.insert(P_EDITABLE.into(), "true".into());
    }
    if let Some(a) = &du.archive_info {
        let legacy = a.hash.as_deref().and_then(|h| h.split_once('='));
        for (alg, hex) in a
            .hashes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(legacy)
        {
            if let Some(h) = alg
                .parse::<HashAlgorithm>()
                .ok()
                .and_then(|alg| Hash::from_hex(alg, hex))
                && !pkg.hashes.contains(&h)
            {
                pkg.hashes.push(h);
            }
        }
    }
}

/// Builds the package of one metadata file, with the normalized names it requires.
fn read_dist(
    resolver: &dyn FileResolver,
    path: &str,
    kind: Kind,
) -> Result<(Package, Vec<String>), CatalogError> {
    let text = resolver.read_to_string(path)?;
    let headers = parse_headers(&text).map_err(|(l, m)| CatalogError::new(path, m).at_line(l))?;
    let field = |n: &str| headers.iter().find(|h| h.name == n);
    let name =
        field("name").ok_or_else(|| CatalogError::new(path, "no `Name` header").at_line(1))?;
    if !pep508::is_valid_name(&name.value) {
        return Err(
            CatalogError::new(path, format!("invalid distribution name `{}`", name.value))
                .at_line(name.line),
        );
    }
    let version = field("version")
        .map(|h| h.value.as_str())
        .filter(|v| !v.is_empty());
    let mut pkg =
        pypi_package(&name.value, version).with_location(Location::new(path).with_line(name.line));
    pkg.licenses = licenses(&headers);
    if kind == Kind::DistInfo {
        read_dist_info_extras(resolver, parent_dir(path), &mut pkg);
    }
    let requires = headers
        .iter()
        .filter(|h| h.name == "requires-dist")
        .filter_map(|h| pep508::parse(&h.value).ok())
        .filter(|r| !r.marker.as_deref().is_some_and(|m| m.contains("extra")))
        .map(|r| normalize_name(&r.name))
        .collect();
    Ok((pkg, requires))
}

/// The normalized distribution name a metadata path's directory (or file) name gives.
fn dir_dist_name(rest: &str) -> Option<(String, Kind)> {
    let (stem, kind) = if let Some(d) = rest.strip_suffix(".dist-info/METADATA") {
        (d, Kind::DistInfo)
    } else if let Some(d) = rest.strip_suffix(".egg-info/PKG-INFO") {
        (d, Kind::EggInfoDir)
    } else if let Some(d) = rest.strip_suffix(".egg/EGG-INFO/PKG-INFO") {
        (d, Kind::EggDir)
    } else if let Some(d) = rest.strip_suffix(".egg-info") {
        (d, Kind::EggInfoFile)
    } else {
        return None;
    };
    if stem.is_empty() || stem.contains('/') {
        return None;
    }
    let name = stem.split_once('-').map_or(stem, |(n, _)| n);
    Some((normalize_name(name), kind))
}

impl Cataloger for InstalledCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        kind_of(path).is_some()
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let kind = kind_of(path)
            .ok_or_else(|| CatalogError::new(path, "not a distribution metadata file"))?;
        let (pkg, requires) = read_dist(resolver, path, kind)?;
        let mut inv = Inventory::default();
        let me = inv.add_package(pkg);
        if requires.is_empty() {
            return Ok(inv);
        }
        let prefix = dir_prefix(site_dir(path, kind));
        for f in files_with_prefix(resolver, &prefix) {
            if f.path == path {
                continue;
            }
            let Some((name, k)) = dir_dist_name(&f.path[prefix.len()..]) else {
                continue;
            };
            if !requires.contains(&name) {
                continue;
            }
            // A sibling that does not parse is reported by its own cataloging.
            if let Ok((dep, _)) = read_dist(resolver, &f.path, k)
                && normalize_name(&dep.name) == name
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
    fn kinds_and_names() {
        assert_eq!(
            kind_of("sp/pip-22.dist-info/METADATA"),
            Some(Kind::DistInfo)
        );
        assert_eq!(kind_of("sp/x.egg-info/PKG-INFO"), Some(Kind::EggInfoDir));
        assert_eq!(
            kind_of("sp/x-1-py3.9.egg/EGG-INFO/PKG-INFO"),
            Some(Kind::EggDir)
        );
        assert_eq!(kind_of("sp/pycups-2.0.1.egg-info"), Some(Kind::EggInfoFile));
        assert_eq!(kind_of("sp/pip.dist-info/RECORD"), None);
        assert_eq!(kind_of("METADATA"), None);
        assert_eq!(kind_of("a/.dist-info/METADATA"), None);
        assert_eq!(
            dir_dist_name("typing_extensions-4.9.dist-info/METADATA"),
            Some(("typing-extensions".to_string(), Kind::DistInfo))
        );
        assert_eq!(dir_dist_name("a/b.dist-info/METADATA"), None);
        assert_eq!(
            site_dir("v/sp/x-1.egg/EGG-INFO/PKG-INFO", Kind::EggDir),
            "v/sp"
        );
    }

    #[test]
    fn headers_and_licenses() {
        let h = parse_headers("Name: a\nLicense: Line one\n  line two\nClassifier: License :: OSI Approved :: MIT License\n\nbody: x")
            .expect("valid");
        assert_eq!(h.len(), 3);
        assert_eq!(h[1].value, "Line one\nline two");
        assert_eq!(licenses(&h), vec![License::Spdx("MIT".into())]);
        assert_eq!(
            parse_headers("Name: a\nbad line\n").err().map(|e| e.0),
            Some(2)
        );
        assert!(parse_headers(" cont\n").is_err());
        let h = parse_headers("License: Apache License, Version 2.0\nClassifier: License :: OSI Approved :: Apache Software License\n").expect("valid");
        assert_eq!(
            licenses(&h),
            vec![License::Other("Apache License, Version 2.0".into())]
        );
        let h =
            parse_headers("License-Expression: MIT OR Apache-2.0\nLicense: MIT\n").expect("valid");
        assert_eq!(
            licenses(&h),
            vec![License::Spdx("MIT OR Apache-2.0".into())]
        );
        let h = parse_headers("License: UNKNOWN\n").expect("valid");
        assert!(licenses(&h).is_empty());
    }
}
