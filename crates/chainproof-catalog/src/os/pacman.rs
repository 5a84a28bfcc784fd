//! pacman local database: `var/lib/pacman/local/<name>-<version>/desc` (and the sibling
//! `files`). Sections are `%NAME%` headers followed by value lines, ended by a blank line.
//!
//! Purl `pkg:alpm/<distro id>/<name>@<version>?arch=…&distro=…&upstream=<base>` (namespace
//! `arch` without a release file). Edges from `%DEPENDS%` by name, then by `%PROVIDES%`
//! (version constraints dropped). Files from `files`' `%FILES%` (directories dropped).
//! The whole database is read once, from the `desc` files of one `local/` directory: each
//! `desc` is one call, and edges are resolved against its sibling packages.

use chainproof_core::{Ecosystem, Inventory, License, Location, Package};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, parent_dir};

use super::release;
use super::{
    OsPackage, PROP_INSTALLED_SIZE, PROP_MAINTAINER, PROP_OWNED_FILES, PROP_SOURCE,
    build_inventory, leaf_paths, root_of,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads pacman local databases.
#[derive(Debug, Clone, Copy, Default)]
pub struct PacmanCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "pacman-db",
    ecosystem: "Arch Linux",
    files: "`var/lib/pacman/local/*/desc` (+ `files`)",
    edges: true,
    licenses: true,
    scopes: false,
    hashes: false,
};

/// `…/lib/pacman/local/<dir>/desc`.
pub(crate) fn matches_path(path: &str) -> bool {
    if file_name(path) != "desc" {
        return false;
    }
    let local = parent_dir(parent_dir(path));
    local == "var/lib/pacman/local" || local.ends_with("/var/lib/pacman/local")
}

impl Cataloger for PacmanCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }
    fn matches(&self, path: &str) -> bool {
        matches_path(path)
    }
    /// One `desc` → one package, with edges to the packages of the other `desc` files of
    /// the same database (read here too, only to resolve names).
    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let (_, mut pkgs) = read_packages(resolver, path)?;
        let local = parent_dir(parent_dir(path));
        let prefix = format!("{local}/");
        for f in resolver.files() {
            let p = f.path.as_str();
            if p != path && p.starts_with(&prefix) && matches_path(p) {
                // Siblings that fail to parse are reported by their own call.
                if let Ok((_, more)) = read_packages(resolver, p) {
                    pkgs.extend(more);
                }
            }
        }
        // The siblings are reported by their own calls too, identically; the inventory
        // merge unifies them by purl.
        Ok(build_inventory(pkgs, false))
    }
}

/// Parses one `desc` (+ sibling `files`); returns the filesystem root too.
pub(crate) fn read_packages(
    resolver: &dyn FileResolver,
    path: &str,
) -> Result<(String, Vec<OsPackage>), CatalogError> {
    let text = resolver.read_to_string(path)?;
    let sections = parse_sections(&text);
    let get = |k: &str| -> Option<&str> {
        sections
            .iter()
            .find(|(n, _)| n == k)
            .and_then(|(_, v)| v.first())
            .map(String::as_str)
    };
    let all = |k: &str| -> Vec<String> {
        sections
            .iter()
            .filter(|(n, _)| n == k)
            .flat_map(|(_, v)| v.iter().cloned())
            .collect()
    };
    let Some(name) = get("NAME") else {
        return Err(CatalogError::new(path, "no %NAME% section"));
    };
    let local = parent_dir(parent_dir(path));
    let root = root_of(&format!("{local}/x"), &["var/lib/pacman/local/x"]);
    let os = release::detect(resolver, &root);
    let err =
        |e: chainproof_purl::PurlError| CatalogError::new(path, format!("package `{name}`: {e}"));
    let ns = os.as_ref().map_or("arch", |o| o.id.as_str());
    let version = get("VERSION");
    let mut purl = Purl::new("alpm", name)
        .map_err(err)?
        .with_namespace(ns)
        .map_err(err)?;
    if let Some(v) = version {
        purl = purl.with_version(v);
    }
    if let Some(a) = get("ARCH") {
        purl = purl.with_qualifier("arch", a).map_err(err)?;
    }
    if let Some(o) = &os {
        purl = purl
            .with_qualifier("distro", &o.distro_qualifier())
            .map_err(err)?;
    }
    // `upstream` only when the base package is another one (as for apk origins).
    let base = get("BASE").filter(|b| *b != name);
    if let Some(b) = base {
        purl = purl.with_qualifier("upstream", b).map_err(err)?;
    }
    let mut pkg = Package::new(Ecosystem::Other("Arch Linux".into()), name, version)
        .with_purl(purl)
        .with_location(Location::new(path).with_line(1));
    if let Some(b) = base {
        pkg = pkg.with_property(PROP_SOURCE, b);
    }
    for l in all("LICENSE") {
        pkg = pkg.with_license(License::parse(&l));
    }
    if let Some(m) = get("PACKAGER") {
        pkg = pkg.with_property(PROP_MAINTAINER, m);
    }
    if let Some(s) = get("SIZE") {
        pkg = pkg.with_property(PROP_INSTALLED_SIZE, s);
    }
    let files_path = format!("{}/files", parent_dir(path));
    let mut files = Vec::new();
    if resolver.exists(&files_path)
        && let Ok(t) = resolver.read_to_string(&files_path)
    {
        let fs = parse_sections(&t);
        let list: Vec<String> = fs
            .iter()
            .filter(|(n, _)| n == "FILES")
            .flat_map(|(_, v)| v.iter().map(|f| format!("/{f}")))
            .collect();
        files = leaf_paths(list);
    }
    if !files.is_empty() {
        pkg = pkg.with_property(PROP_OWNED_FILES, files.len().to_string());
    }
    let strip = |d: &str| -> String {
        let d = d.split(':').next().unwrap_or(d);
        d.split(['<', '>', '='])
            .next()
            .unwrap_or(d)
            .trim()
            .to_string()
    };
    let mut p = OsPackage::new(pkg);
    p.depends = all("DEPENDS").iter().map(|d| vec![strip(d)]).collect();
    p.provides = all("PROVIDES").iter().map(|d| strip(d)).collect();
    p.files = files;
    Ok((root, vec![p]))
}

/// `%KEY%` headers and their value lines.
fn parse_sections(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let t = line.trim();
        if t.len() > 2 && t.starts_with('%') && t.ends_with('%') {
            out.push((t[1..t.len() - 1].to_string(), Vec::new()));
            open = true;
        } else if t.is_empty() {
            open = false;
        } else if open && let Some((_, v)) = out.last_mut() {
            v.push(t.to_string());
        }
    }
    out
}
