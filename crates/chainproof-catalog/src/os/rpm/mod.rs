//! RPM databases: `rpmdb.sqlite`, Berkeley DB `Packages` (hash and btree) and NDB
//! `Packages.db`, under `var/lib/rpm/`, `usr/lib/sysimage/rpm/` or `usr/share/rpm/`. The
//! format is told by the file's magic number, not its name. Header blobs are parsed here
//! ([`header`]); nothing calls `rpm`.
//!
//! * Package version `[<epoch>:]<version>-<release>`; purl
//!   `pkg:rpm/<vendor>/<name>@<version>-<release>?arch=…&epoch=…&distro=<id>-<version_id>&upstream=<source rpm>`.
//!   The namespace is the distro id (`rhel` → `redhat`), else derived from VENDOR.
//! * Edges from REQUIRENAME to the installed package with that name, PROVIDENAME or file
//!   path (`/bin/sh`); `rpmlib(...)` markers are ignored.
//! * Files from DIRNAMES/DIRINDEXES/BASENAMES (directories dropped by FILEMODES).
//! * `gpg-pubkey` pseudo-packages are kept: `rpm -qa` lists them.

pub mod bdb;
pub mod header;
pub mod ndb;
pub mod sqlite;

use chainproof_core::{Ecosystem, Inventory, License, Location, Package};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, parent_dir};

use super::release::{self, OsRelease};
use super::{
    OsPackage, PROP_INSTALLED_SIZE, PROP_MAINTAINER, PROP_MODULARITY, PROP_OWNED_FILES,
    PROP_SOURCE, PROP_VENDOR, build_inventory, root_of,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};
use header::{Header, tag};

/// Reads RPM databases.
#[derive(Debug, Clone, Copy, Default)]
pub struct RpmDbCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "rpm-db",
    ecosystem: "RPM",
    files: "`var/lib/rpm/{rpmdb.sqlite,Packages,Packages.db}`, same under `usr/lib/sysimage/rpm/`, `usr/share/rpm/`",
    edges: true,
    licenses: true,
    scopes: false,
    hashes: false,
};

const DIRS: [&str; 3] = ["var/lib/rpm", "usr/lib/sysimage/rpm", "usr/share/rpm"];
const NAMES: [&str; 3] = ["rpmdb.sqlite", "Packages", "Packages.db"];

pub(crate) fn matches_path(path: &str) -> bool {
    if !NAMES.contains(&file_name(path)) {
        return false;
    }
    let dir = parent_dir(path);
    DIRS.iter()
        .any(|d| dir == *d || dir.strip_suffix(d).is_some_and(|p| p.ends_with('/')))
}

impl Cataloger for RpmDbCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }
    fn matches(&self, path: &str) -> bool {
        matches_path(path)
    }
    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let (_, pkgs) = read_packages(resolver, path)?;
        Ok(build_inventory(pkgs, true))
    }
}

/// The header blobs of an RPM database in any of the three formats.
pub fn database_blobs(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    if sqlite::is_sqlite(bytes) {
        sqlite::blobs(bytes)
    } else if ndb::is_ndb(bytes) {
        ndb::blobs(bytes)
    } else if bdb::is_bdb(bytes) {
        bdb::blobs(bytes)
    } else {
        Err("not an RPM database (neither SQLite, NDB nor Berkeley DB)".into())
    }
}

/// Parses the database at `path`; returns the filesystem root too.
pub(crate) fn read_packages(
    resolver: &dyn FileResolver,
    path: &str,
) -> Result<(String, Vec<OsPackage>), CatalogError> {
    let bytes = resolver.read(path)?;
    let suffixes: Vec<String> = DIRS
        .iter()
        .map(|d| format!("{d}/{}", file_name(path)))
        .collect();
    let suffixes: Vec<&str> = suffixes.iter().map(String::as_str).collect();
    let root = root_of(path, &suffixes);
    let os = release::detect(resolver, &root);
    let blobs = database_blobs(&bytes).map_err(|e| CatalogError::new(path, e))?;
    let mut out = Vec::with_capacity(blobs.len());
    for (i, b) in blobs.iter().enumerate() {
        let h = Header::parse(b)
            .map_err(|e| CatalogError::new(path, format!("package header #{}: {e}", i + 1)))?;
        if let Some(p) = package(path, &h, os.as_ref())? {
            out.push(p);
        }
    }
    Ok((root, out))
}

/// The purl namespace: the distro id (`rhel` spelled `redhat`), else from the vendor.
fn namespace(os: Option<&OsRelease>, vendor: Option<&str>) -> String {
    if let Some(o) = os {
        return match o.id.as_str() {
            "rhel" => "redhat".to_string(),
            id => id.to_string(),
        };
    }
    let v = vendor.unwrap_or("").to_ascii_lowercase();
    let known = [
        ("red hat", "redhat"),
        ("fedora", "fedora"),
        ("centos", "centos"),
        ("opensuse", "opensuse"),
        ("suse", "suse"),
        ("amazon", "amazon"),
        ("microsoft", "mariner"),
        ("oracle", "oracle"),
        ("rocky", "rocky"),
        ("almalinux", "almalinux"),
    ];
    known
        .iter()
        .find(|(k, _)| v.contains(k))
        .map_or_else(|| "rpm".to_string(), |(_, n)| (*n).to_string())
}

fn package(
    path: &str,
    h: &Header<'_>,
    os: Option<&OsRelease>,
) -> Result<Option<OsPackage>, CatalogError> {
    let Some(name) = h.string(tag::NAME).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let version = h.string(tag::VERSION);
    let release = h.string(tag::RELEASE);
    let epoch = h.int(tag::EPOCH);
    let arch = h.string(tag::ARCH);
    let vendor = h.string(tag::VENDOR);
    let source = h
        .string(tag::SOURCERPM)
        .filter(|s| !s.is_empty() && s != "(none)");
    let vr = match (&version, &release) {
        (Some(v), Some(r)) => Some(format!("{v}-{r}")),
        (Some(v), None) => Some(v.clone()),
        _ => None,
    };
    let err =
        |e: chainproof_purl::PurlError| CatalogError::new(path, format!("package `{name}`: {e}"));
    let mut purl = Purl::new("rpm", &name)
        .map_err(err)?
        .with_namespace(&namespace(os, vendor.as_deref()))
        .map_err(err)?;
    if let Some(v) = &vr {
        purl = purl.with_version(v);
    }
    if let Some(a) = &arch {
        purl = purl.with_qualifier("arch", a).map_err(err)?;
    }
    if let Some(e) = epoch {
        purl = purl.with_qualifier("epoch", &e.to_string()).map_err(err)?;
    }
    if let Some(o) = os {
        purl = purl
            .with_qualifier("distro", &o.distro_qualifier())
            .map_err(err)?;
    }
    if let Some(s) = &source {
        purl = purl.with_qualifier("upstream", s).map_err(err)?;
    }
    let full = match (epoch, &vr) {
        (Some(e), Some(v)) => Some(format!("{e}:{v}")),
        (_, v) => v.clone(),
    };
    let mut pkg = Package::new(Ecosystem::Rpm, name.as_str(), full.as_deref())
        .with_purl(purl)
        .with_location(Location::new(path));
    if let Some(l) = h.string(tag::LICENSE).filter(|l| !l.is_empty()) {
        pkg = pkg.with_license(License::parse(&l));
    }
    if let Some(s) = source {
        pkg = pkg.with_property(PROP_SOURCE, s);
    }
    if let Some(v) = vendor {
        pkg = pkg.with_property(PROP_VENDOR, v);
    }
    if let Some(m) = h.string(tag::PACKAGER) {
        pkg = pkg.with_property(PROP_MAINTAINER, m);
    }
    if let Some(m) = h.string(tag::MODULARITYLABEL).filter(|m| !m.is_empty()) {
        pkg = pkg.with_property(PROP_MODULARITY, m);
    }
    if let Some(s) = h.int(tag::LONGSIZE).or_else(|| h.int(tag::SIZE)) {
        pkg = pkg.with_property(PROP_INSTALLED_SIZE, s.to_string());
    }
    let files = h.files();
    if !files.is_empty() {
        pkg = pkg.with_property(PROP_OWNED_FILES, files.len().to_string());
    }
    let mut p = OsPackage::new(pkg);
    p.depends = h
        .strings(tag::REQUIRENAME)
        .into_iter()
        .map(|r| vec![r])
        .collect();
    p.provides = h.strings(tag::PROVIDENAME);
    p.files = files;
    Ok(Some(p))
}
