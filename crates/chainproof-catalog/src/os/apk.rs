//! apk database (`lib/apk/db/installed`): blank-line-separated records of `X:value` lines.
//!
//! `P` name, `V` version, `A` arch, `o` origin (source package), `L` license, `m`
//! maintainer, `I` installed size, `C` checksum (`Q1` + base64 SHA-1 of the control data →
//! a SHA-1 [`Hash`]), `D` dependencies, `p` provides (`so:libc.musl-x86_64.so.1=1`), `F`/`R`
//! directories and files. A record without `P` is skipped.
//!
//! Purl: `pkg:apk/<distro id>/<name>@<version>?arch=…&distro=<id>-<version_id>&upstream=<origin>`
//! (namespace `alpine` without a release file; `upstream` only when the origin differs from
//! the name, as syft writes it). Edges from `D` resolved by name, then by
//! `p` provides; `!conflicts` are not dependencies.

use chainproof_core::{Ecosystem, Hash, HashAlgorithm, Inventory, License, Location, Package};
use chainproof_purl::Purl;
use chainproof_source::FileResolver;

use super::release;
use super::{
    OsPackage, PROP_INSTALLED_SIZE, PROP_MAINTAINER, PROP_OWNED_FILES, PROP_SOURCE,
    build_inventory, root_of,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads apk installed databases.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApkDbCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "apk-db",
    ecosystem: "Alpine",
    files: "`lib/apk/db/installed`",
    edges: true,
    licenses: true,
    scopes: false,
    hashes: true,
};

const SUFFIXES: [&str; 2] = ["lib/apk/db/installed", "usr/lib/apk/db/installed"];

pub(crate) fn matches_path(path: &str) -> bool {
    path == SUFFIXES[0]
        || path
            .strip_suffix(SUFFIXES[0])
            .is_some_and(|p| p.ends_with('/'))
}

impl Cataloger for ApkDbCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }
    fn matches(&self, path: &str) -> bool {
        matches_path(path)
    }
    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let (_, pkgs) = read_packages(resolver, path)?;
        Ok(build_inventory(pkgs, false))
    }
}

/// A dependency or provide token without its version constraint (`musl>=1.2` → `musl`).
fn bare(token: &str) -> &str {
    token
        .split(['<', '>', '=', '~'])
        .next()
        .unwrap_or(token)
        .trim()
}

#[derive(Default)]
struct Record {
    line: u32,
    name: Option<String>,
    version: Option<String>,
    arch: Option<String>,
    origin: Option<String>,
    license: Option<String>,
    maintainer: Option<String>,
    size: Option<String>,
    checksum: Option<String>,
    depends: Vec<Vec<String>>,
    provides: Vec<String>,
    files: Vec<String>,
    dir: String,
}

/// Parses the database at `path`; returns the filesystem root too.
pub(crate) fn read_packages(
    resolver: &dyn FileResolver,
    path: &str,
) -> Result<(String, Vec<OsPackage>), CatalogError> {
    let text = resolver.read_to_string(path)?;
    let root = root_of(path, &SUFFIXES);
    let os = release::detect(resolver, &root);
    let mut records = Vec::new();
    let mut cur = Record::default();
    let mut started = false;
    for (i, line) in text.lines().enumerate() {
        let lineno = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() {
            if started {
                records.push(std::mem::take(&mut cur));
                started = false;
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err(
                CatalogError::new(path, format!("expected `X:value`, found `{line}`"))
                    .at_line(lineno),
            );
        };
        if !started {
            cur.line = lineno;
            started = true;
        }
        let v = v.trim();
        let some = || (!v.is_empty()).then(|| v.to_string());
        match k {
            "P" => cur.name = some(),
            "V" => cur.version = some(),
            "A" => cur.arch = some(),
            "o" => cur.origin = some(),
            "L" => cur.license = some(),
            "m" => cur.maintainer = some(),
            "I" => cur.size = some(),
            "C" => cur.checksum = some(),
            "D" => cur.depends.extend(
                v.split_whitespace()
                    .filter(|t| !t.starts_with('!'))
                    .map(|t| vec![bare(t).to_string()])
                    .filter(|g| !g[0].is_empty()),
            ),
            "p" => cur.provides.extend(
                v.split_whitespace()
                    .map(|t| bare(t).to_string())
                    .filter(|t| !t.is_empty()),
            ),
            "F" => cur.dir = v.trim_matches('/').to_string(),
            "R" => {
                let f = if cur.dir.is_empty() {
                    format!("/{v}")
                } else {
                    format!("/{}/{v}", cur.dir)
                };
                cur.files.push(f);
            }
            _ => {}
        }
    }
    if started {
        records.push(cur);
    }
    let mut out = Vec::new();
    for r in records {
        let Some(name) = r.name.as_deref() else {
            continue;
        };
        let err = |e: chainproof_purl::PurlError| {
            CatalogError::new(path, format!("package `{name}`: {e}")).at_line(r.line)
        };
        let ns = os.as_ref().map_or("alpine", |o| o.id.as_str());
        let mut purl = Purl::new("apk", name)
            .map_err(err)?
            .with_namespace(ns)
            .map_err(err)?;
        if let Some(v) = &r.version {
            purl = purl.with_version(v);
        }
        if let Some(a) = &r.arch {
            purl = purl.with_qualifier("arch", a).map_err(err)?;
        }
        if let Some(o) = &os {
            purl = purl
                .with_qualifier("distro", &o.distro_qualifier())
                .map_err(err)?;
        }
        // As syft: `upstream` only when the origin is another package.
        if let Some(o) = r.origin.as_deref().filter(|o| *o != name) {
            purl = purl.with_qualifier("upstream", o).map_err(err)?;
        }
        let mut pkg = Package::new(Ecosystem::Alpine, name, r.version.as_deref())
            .with_purl(purl)
            .with_location(Location::new(path).with_line(r.line));
        if let Some(o) = r.origin {
            pkg = pkg.with_property(PROP_SOURCE, o);
        }
        if let Some(l) = &r.license {
            pkg = pkg.with_license(License::parse(l));
        }
        if let Some(m) = r.maintainer {
            pkg = pkg.with_property(PROP_MAINTAINER, m);
        }
        if let Some(s) = r.size {
            pkg = pkg.with_property(PROP_INSTALLED_SIZE, s);
        }
        if let Some(h) = r.checksum.as_deref().and_then(q1_sha1) {
            pkg = pkg.with_hash(h);
        }
        if !r.files.is_empty() {
            pkg = pkg.with_property(PROP_OWNED_FILES, r.files.len().to_string());
        }
        let mut p = OsPackage::new(pkg);
        p.depends = r.depends;
        p.provides = r.provides;
        p.files = r.files;
        out.push(p);
    }
    Ok((root, out))
}

/// `Q1<base64 SHA-1>` → the hash; other forms (`Q2` SHA-256, hex MD5) when well-formed.
fn q1_sha1(c: &str) -> Option<Hash> {
    if let Some(b) = c.strip_prefix("Q1") {
        return Hash::from_bytes(HashAlgorithm::Sha1, &base64(b)?);
    }
    if let Some(b) = c.strip_prefix("Q2") {
        return Hash::from_bytes(HashAlgorithm::Sha256, &base64(b)?);
    }
    Hash::from_hex(HashAlgorithm::Md5, c)
}

/// Standard base64 with padding; `None` on any other character.
pub(crate) fn base64(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum() {
        // "Q1" + base64 of 20 bytes 0..20.
        let h = q1_sha1("Q1AAECAwQFBgcICQoLDA0ODxAREhM=").expect("sha1");
        assert_eq!(h.value, "000102030405060708090a0b0c0d0e0f10111213");
        assert!(q1_sha1("Q1!!").is_none());
        assert_eq!(
            bare("so:libc.musl-x86_64.so.1=1"),
            "so:libc.musl-x86_64.so.1"
        );
        assert_eq!(bare("musl>=1.2"), "musl");
    }
}
