//! `Cargo.lock` (format v1–v4) → packages, dependency edges and workspace roots.
//!
//! Parsed with the `toml` crate directly (not `cargo-lock`) so every package keeps the line
//! of its `[[package]]` header.
//!
//! * **Packages**: name, version, `source` (verbatim), `checksum` (inline, or from v1
//!   `[metadata]`) as a SHA-256 [`Hash`].
//! * **Package URLs** (purl spec, type `cargo`, default repository crates.io):
//!   - crates.io (`registry+https://github.com/rust-lang/crates.io-index` or
//!     `sparse+https://index.crates.io/`): `pkg:cargo/<name>@<version>`;
//!   - another registry: `repository_url=<index URL>` qualifier (the `registry+`/`sparse+`
//!     prefix dropped);
//!   - git: `vcs_url=git+<repo URL>@<commit>` qualifier, in the purl/SPDX VCS-URL form (the
//!     `?branch=`/`?tag=`/`?rev=` query is dropped: the commit identifies the code, so two
//!     entries of one crate version at one commit are the same package);
//!   - no source (workspace members and path dependencies): `pkg:cargo/<name>@<version>`,
//!     marked [`PackageKind::Project`] and added as roots. Consumers matching advisories
//!     should skip `Project` packages: a local crate may share a name with a published one.
//! * **Edges**: every dependency string is resolved to exactly one package with Cargo's
//!   minimal-form rules. A string that names no package (hand-edited or truncated files) is
//!   not fatal: it is listed in the `chainproof:cargo:unresolved` property of the dependent.
//!   Cargo.lock does not tell dev-dependencies apart, so every package has scope `Runtime`.
//! * A `Cargo.lock` that is not TOML, or whose entries have the wrong shape, is an error with
//!   the line; an empty file is an empty inventory.

mod lock;

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, Location, Package, PackageId, PackageKind,
};
use chainproof_purl::{Purl, PurlError};
use chainproof_source::{FileResolver, file_name};
use toml::Spanned;

use crate::util::{LineIndex, line_of};
use crate::{CatalogError, Cataloger, CatalogerInfo};
use lock::{DepId, RawLock, RawPackage, Resolution, Resolver};

/// Property listing dependency strings that name no package of the lockfile.
pub const PROP_UNRESOLVED: &str = "chainproof:cargo:unresolved";
/// Property holding a `checksum` that is not 64 hex digits, verbatim.
pub const PROP_BAD_CHECKSUM: &str = "chainproof:cargo:checksum";

/// The sources that mean "crates.io".
const CRATES_IO: [&str; 2] = [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

/// Reads `Cargo.lock` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct CargoLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "cargo-lock",
    ecosystem: "crates.io",
    files: "`Cargo.lock` v1–v4",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for CargoLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "Cargo.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_cargo_lock(path, &text)
    }
}

/// Parses the text of a `Cargo.lock`; `path` is used for locations and errors.
pub fn parse_cargo_lock(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let raw: RawLock = toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))?;
    if let Some(v) = &raw.version {
        // Versions above 4 are read as v4: Cargo has only ever added to the format.
        if *v.get_ref() < 1 {
            return Err(CatalogError::new(
                path,
                format!("invalid lockfile version {}", v.get_ref()),
            )
            .at_line(line_of(text, v.span().start)));
        }
    }
    let entries: Vec<&Spanned<RawPackage>> = raw.root.iter().chain(raw.package.iter()).collect();

    let resolver = Resolver::new(
        entries
            .iter()
            .map(|e| {
                let p = e.get_ref();
                (
                    p.name.get_ref().as_str(),
                    p.version.get_ref().as_str(),
                    p.source.as_ref().map(|s| s.get_ref().as_str()),
                )
            })
            .collect(),
    );

    let lines = LineIndex::new(text);
    let mut packages: Vec<Package> = Vec::with_capacity(entries.len());
    for entry in &entries {
        packages.push(package(path, text, &lines, entry)?);
    }
    apply_metadata_checksums(path, text, &raw, &resolver, &mut packages)?;

    // Dependencies, resolved before the packages move into the inventory.
    let mut deps: Vec<Vec<usize>> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let mut resolved = Vec::new();
        let mut unresolved = Vec::new();
        for d in &entry.get_ref().dependencies {
            let dep = DepId::parse(d.get_ref()).ok_or_else(|| {
                CatalogError::new(path, format!("invalid dependency `{}`", d.get_ref()))
                    .at_line(line_of(text, d.span().start))
            })?;
            match resolver.resolve(&dep) {
                Resolution::One(j) => resolved.push(j),
                Resolution::None | Resolution::Ambiguous => unresolved.push(d.get_ref().trim()),
            }
        }
        if !unresolved.is_empty() {
            packages[i]
                .properties
                .insert(PROP_UNRESOLVED.to_string(), unresolved.join(", "));
        }
        deps.push(resolved);
    }

    let mut inv = Inventory::default();
    let ids: Vec<PackageId> = packages
        .into_iter()
        .map(|p| {
            let project = p.kind == PackageKind::Project;
            let id = inv.add_package(p);
            if project {
                inv.add_root(id);
            }
            id
        })
        .collect();
    for (i, ds) in deps.iter().enumerate() {
        for &j in ds {
            inv.add_edge(ids[i], ids[j]);
        }
    }
    Ok(inv)
}

/// One entry → a package (no edges yet).
fn package(
    path: &str,
    text: &str,
    lines: &LineIndex,
    entry: &Spanned<RawPackage>,
) -> Result<Package, CatalogError> {
    let raw = entry.get_ref();
    let name = raw.name.get_ref();
    let version = raw.version.get_ref();
    let source = raw.source.as_ref().map(|s| s.get_ref().as_str());
    let purl = cargo_purl(name, version, source).map_err(|e| {
        CatalogError::new(path, format!("package `{name}`: {e}"))
            .at_line(line_of(text, raw.name.span().start))
    })?;
    let line = header_line(text, lines, entry.span().start);
    let mut pkg = Package::new(Ecosystem::CratesIo, name.as_str(), Some(version))
        .with_purl(purl)
        .with_location(Location::new(path).with_line(line));
    match source {
        Some(s) => pkg = pkg.with_source(s),
        None => pkg = pkg.with_kind(PackageKind::Project),
    }
    if let Some(sum) = &raw.checksum {
        add_checksum(&mut pkg, sum.get_ref());
    }
    Ok(pkg)
}

/// The line of the `[[package]]` header of the table whose span starts at `start`: the span
/// may begin at the header or at its first key, so look back to the nearest header.
fn header_line(text: &str, lines: &LineIndex, start: usize) -> u32 {
    let start = start.min(text.len());
    let before = text.get(..start).unwrap_or("");
    let at_header = text.get(start..).is_some_and(|t| t.starts_with('['));
    if at_header {
        return lines.line(start);
    }
    match before.rfind("\n[") {
        Some(i) => lines.line(i + 1),
        None if text.starts_with('[') => 1,
        None => lines.line(start),
    }
}

fn add_checksum(pkg: &mut Package, checksum: &str) {
    match Hash::from_hex(HashAlgorithm::Sha256, checksum) {
        Some(h) if !pkg.hashes.contains(&h) => pkg.hashes.push(h),
        Some(_) => {}
        None => {
            pkg.properties
                .insert(PROP_BAD_CHECKSUM.to_string(), checksum.to_string());
        }
    }
}

/// v1 `[metadata]` keys `checksum <name> <version> (<source>)`; `<none>` means no checksum.
fn apply_metadata_checksums(
    path: &str,
    text: &str,
    raw: &RawLock,
    resolver: &Resolver<'_>,
    packages: &mut [Package],
) -> Result<(), CatalogError> {
    for (key, value) in &raw.metadata {
        let Some(id) = key.strip_prefix("checksum ") else {
            continue;
        };
        let line = || line_of(text, value.span().start);
        let Some(sum) = value.get_ref().as_str() else {
            return Err(CatalogError::new(path, format!("`{key}` is not a string")).at_line(line()));
        };
        if sum == "<none>" {
            continue;
        }
        let dep = DepId::parse(id).ok_or_else(|| {
            CatalogError::new(path, format!("invalid metadata key `{key}`")).at_line(line())
        })?;
        if let Resolution::One(i) = resolver.resolve(&dep) {
            add_checksum(&mut packages[i], sum);
        }
    }
    Ok(())
}

/// The purl of a crate from its lockfile source (see the module docs).
pub fn cargo_purl(name: &str, version: &str, source: Option<&str>) -> Result<Purl, PurlError> {
    let purl = Purl::new("cargo", name)?.with_version(version);
    let Some(source) = source else {
        return Ok(purl);
    };
    if CRATES_IO.contains(&source) {
        return Ok(purl);
    }
    if let Some(git) = source.strip_prefix("git+") {
        let (url, rev) = match git.rfind('#') {
            Some(i) => (&git[..i], Some(&git[i + 1..])),
            None => (git, None),
        };
        let url = url.split_once('?').map_or(url, |(u, _)| u);
        let vcs = match rev {
            Some(r) if !r.is_empty() => format!("git+{url}@{r}"),
            _ => format!("git+{url}"),
        };
        return purl.with_qualifier("vcs_url", &vcs);
    }
    let repo = source
        .strip_prefix("registry+")
        .or_else(|| source.strip_prefix("sparse+"))
        .unwrap_or(source);
    purl.with_qualifier("repository_url", repo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        let s = |n, v, src| cargo_purl(n, v, src).map(|p| p.to_string());
        assert_eq!(s("a", "1.0.0", None).as_deref(), Ok("pkg:cargo/a@1.0.0"));
        assert_eq!(
            s("a", "1.0.0", Some(CRATES_IO[1])).as_deref(),
            Ok("pkg:cargo/a@1.0.0")
        );
        assert_eq!(
            s("a", "1.0.0", Some("registry+https://r.example/index")).as_deref(),
            Ok("pkg:cargo/a@1.0.0?repository_url=https:%2F%2Fr.example%2Findex")
        );
        assert_eq!(
            s("a", "1.0.0", Some("git+https://h/r?branch=b#abc")).as_deref(),
            Ok("pkg:cargo/a@1.0.0?vcs_url=git%2Bhttps:%2F%2Fh%2Fr%40abc")
        );
        assert!(cargo_purl("", "1", None).is_err());
    }

    #[test]
    fn header_lines() {
        let t = "version = 3\n\n[[package]]\nname = \"a\"\n";
        let l = LineIndex::new(t);
        assert_eq!(header_line(t, &l, t.find("name").unwrap_or(0)), 3);
        assert_eq!(header_line(t, &l, t.find("[[").unwrap_or(0)), 3);
    }
}
