//! Operating-system package databases: dpkg, apk, RPM (sqlite, Berkeley DB, NDB), pacman
//! and opkg, plus OS detection ([`release`]) for the `distro` qualifier of their purls.
//!
//! Every cataloger here reads a database through the [`FileResolver`], so it works on a
//! directory, an archive or an image's squashed filesystem alike. The *root* of the
//! filesystem the database belongs to is the database path minus its well-known suffix
//! (`var/lib/dpkg/status` → root ``), and `etc/os-release` etc. are looked up under that
//! root, so one directory holding several roots (test fixtures) works too.
//!
//! * **Packages** carry name, version, architecture, licenses, the source package
//!   (`chainproof:os:source`, and the `upstream=` purl qualifier as syft writes it), the
//!   distro (`distro=<id>-<version_id>` qualifier) and the number of files they own
//!   ([`PROP_OWNED_FILES`]).
//! * **Edges** go from a package to the *installed* package that satisfies each of its
//!   dependencies: by name, then by what packages provide (`Provides:`, apk `p:`, RPM
//!   PROVIDENAME), and for RPM by file path (`/bin/sh`). Of alternatives (`a | b`) the first
//!   installed one wins. Names that no installed package satisfies are listed in
//!   [`PROP_UNRESOLVED`].
//! * **File ownership**: [`OwnedFiles::collect`] maps every file path that an OS package
//!   owns (relative to the resolver root, like [`chainproof_source::FileEntry::path`]) to
//!   the owning package's key, so a caller can link or drop language packages found inside
//!   files an OS package installed. On merged-/usr systems `/bin/x` in a database is also
//!   recorded as `usr/bin/x` when that file exists.

pub mod apk;
pub mod dpkg;
pub mod pacman;
pub mod release;
pub mod rpm;

use std::collections::{BTreeMap, HashMap};

use chainproof_core::{Inventory, Package, PackageId};
use chainproof_source::FileResolver;

pub use apk::ApkDbCataloger;
pub use dpkg::{DpkgCataloger, OpkgCataloger};
pub use pacman::PacmanCataloger;
pub use release::OsRelease;
pub use rpm::RpmDbCataloger;

/// Number of files (not directories) the package installed, per its database.
pub const PROP_OWNED_FILES: &str = "chainproof:os:owned-files";
/// Source package name (dpkg `Source:`, apk origin, RPM SOURCERPM).
pub const PROP_SOURCE: &str = "chainproof:os:source";
/// Source package version when it differs from the binary package's (dpkg).
pub const PROP_SOURCE_VERSION: &str = "chainproof:os:source-version";
/// Dependencies that no installed package satisfies, comma-separated.
pub const PROP_UNRESOLVED: &str = "chainproof:os:unresolved";
/// Installed size in bytes (dpkg `Installed-Size` is KiB and is converted).
pub const PROP_INSTALLED_SIZE: &str = "chainproof:os:installed-size";
/// The package's maintainer or packager.
pub const PROP_MAINTAINER: &str = "chainproof:os:maintainer";
/// The dpkg status when it is not `install ok installed` (e.g. `half-configured`).
pub const PROP_STATUS: &str = "chainproof:os:status";
/// The RPM vendor.
pub const PROP_VENDOR: &str = "chainproof:os:vendor";
/// The RPM modularity label.
pub const PROP_MODULARITY: &str = "chainproof:os:modularity-label";

/// One package read from an OS database, before edges are resolved.
#[derive(Debug, Clone)]
pub(crate) struct OsPackage {
    pub package: Package,
    /// Each dependency as its alternatives, bare names (no versions, no `:arch`).
    pub depends: Vec<Vec<String>>,
    /// Names this package provides besides its own.
    pub provides: Vec<String>,
    /// Paths of the files it owns, absolute as in the database (`/usr/bin/x`).
    pub files: Vec<String>,
}

impl OsPackage {
    pub(crate) fn new(package: Package) -> Self {
        OsPackage {
            package,
            depends: Vec::new(),
            provides: Vec::new(),
            files: Vec::new(),
        }
    }
}

/// Dependencies that never name a package (RPM's feature markers).
fn is_marker(dep: &str) -> bool {
    dep.starts_with("rpmlib(") || dep.starts_with("rpmlib-")
}

/// Builds the inventory: packages, then edges resolved among the installed packages.
pub(crate) fn build_inventory(mut pkgs: Vec<OsPackage>, files_satisfy: bool) -> Inventory {
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut by_provide: HashMap<&str, usize> = HashMap::new();
    let mut by_file: HashMap<&str, usize> = HashMap::new();
    for (i, p) in pkgs.iter().enumerate() {
        by_name.entry(p.package.name.as_str()).or_insert(i);
        for pr in &p.provides {
            by_provide.entry(pr.as_str()).or_insert(i);
        }
        if files_satisfy {
            for f in &p.files {
                by_file.entry(f.as_str()).or_insert(i);
            }
        }
    }
    let mut edges: Vec<Vec<usize>> = Vec::with_capacity(pkgs.len());
    let mut unresolved: Vec<Vec<String>> = Vec::with_capacity(pkgs.len());
    for (i, p) in pkgs.iter().enumerate() {
        let mut to = Vec::new();
        let mut missing = Vec::new();
        for alts in &p.depends {
            let hit = alts.iter().find_map(|a| {
                by_name
                    .get(a.as_str())
                    .or_else(|| by_provide.get(a.as_str()))
                    .or_else(|| by_file.get(a.as_str()))
                    .copied()
            });
            match hit {
                Some(j) if j != i => {
                    if !to.contains(&j) {
                        to.push(j);
                    }
                }
                Some(_) => {}
                None => {
                    if !alts.iter().all(|a| is_marker(a)) {
                        missing.push(alts.join(" | "));
                    }
                }
            }
        }
        edges.push(to);
        unresolved.push(missing);
    }
    for (p, missing) in pkgs.iter_mut().zip(unresolved) {
        if !missing.is_empty() {
            p.package
                .properties
                .insert(PROP_UNRESOLVED.to_string(), missing.join(", "));
        }
    }
    let mut inv = Inventory::default();
    let ids: Vec<PackageId> = pkgs
        .into_iter()
        .map(|p| inv.add_package(p.package))
        .collect();
    for (i, to) in edges.iter().enumerate() {
        for &j in to {
            if ids[i] != ids[j] {
                inv.add_edge(ids[i], ids[j]);
            }
        }
    }
    inv
}

/// The filesystem root a database at `path` belongs to: `path` minus the first matching
/// `suffix` (with a trailing `/`, or empty for the resolver root). When no suffix matches,
/// the database's own directory.
pub(crate) fn root_of(path: &str, suffixes: &[&str]) -> String {
    for s in suffixes {
        if path == *s {
            return String::new();
        }
        if let Some(prefix) = path.strip_suffix(s)
            && prefix.ends_with('/')
        {
            return prefix.to_string();
        }
    }
    match path.rfind('/') {
        Some(i) => path[..=i].to_string(),
        None => String::new(),
    }
}

/// Keeps the entries of a file list that are not a directory of another entry (dpkg
/// `.list` files and pacman `%FILES%` list directories too), sorted and deduplicated.
pub(crate) fn leaf_paths(mut paths: Vec<String>) -> Vec<String> {
    for p in &mut paths {
        while p.len() > 1 && p.ends_with('/') {
            p.pop();
        }
    }
    paths.sort();
    paths.dedup();
    let mut out = Vec::with_capacity(paths.len());
    for (i, p) in paths.iter().enumerate() {
        let is_dir = paths.get(i + 1).is_some_and(|n| {
            n.len() > p.len() && n.starts_with(p.as_str()) && n[p.len()..].starts_with('/')
        });
        if !is_dir && p != "/" && p != "/." && p != "." && !p.is_empty() {
            out.push(p.clone());
        }
    }
    out
}

/// Files an OS database cataloger reads beside the database it claims: dpkg
/// `info/*.list` and `*.md5sums` (file ownership; `status.d/*.md5sums` on distroless),
/// `usr/share/doc/*/copyright` (licenses) and pacman `local/*/files`. A caller that keeps
/// only the files catalogers claim (the image reader) must keep these too, or packages lose
/// their files and licenses and [`OwnedFiles`] finds nothing.
pub fn is_database_companion(path: &str) -> bool {
    let dir = chainproof_source::parent_dir(path);
    let name = chainproof_source::file_name(path);
    let in_dir = |d: &str| dir == d || dir.ends_with(&format!("/{d}"));
    ((in_dir("lib/dpkg/info") || in_dir("lib/opkg/info"))
        && (name.ends_with(".list") || name.ends_with(".md5sums")))
        || (in_dir("lib/dpkg/status.d") && name.ends_with(".md5sums"))
        || (name == "copyright" && chainproof_source::parent_dir(dir).ends_with("usr/share/doc"))
        || (name == "files" && chainproof_source::parent_dir(dir).ends_with("lib/pacman/local"))
}

/// Top-level directories that merged-/usr systems make symlinks into `usr/`.
const MERGED_USR: [&str; 6] = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];

/// Files owned by OS packages: path relative to the resolver root → key of the owning
/// package ([`Package::key`], i.e. its purl). Use it to link or deduplicate language
/// packages found in files an OS package installed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedFiles {
    owners: BTreeMap<String, String>,
}

impl OwnedFiles {
    /// Reads every OS package database of the resolver (whatever file the catalogers
    /// claim) and records the files each package owns. Databases that fail to parse are
    /// skipped here: the catalog run reports them.
    pub fn collect(resolver: &dyn FileResolver) -> OwnedFiles {
        let mut out = OwnedFiles::default();
        for f in resolver.files() {
            let path = f.path.as_str();
            let parsed = if dpkg::DpkgCataloger.matches_path(path) {
                dpkg::read_packages(resolver, path, dpkg::Flavor::Dpkg)
            } else if dpkg::OpkgCataloger.matches_path(path) {
                dpkg::read_packages(resolver, path, dpkg::Flavor::Opkg)
            } else if apk::matches_path(path) {
                apk::read_packages(resolver, path)
            } else if rpm::matches_path(path) {
                rpm::read_packages(resolver, path)
            } else if pacman::matches_path(path) {
                pacman::read_packages(resolver, path)
            } else {
                continue;
            };
            let Ok((root, pkgs)) = parsed else { continue };
            for p in pkgs {
                let key = p.package.key();
                for file in p.files {
                    let file = file.trim_start_matches('/');
                    // Merged /usr: `/bin/bash` in the database is `usr/bin/bash` on disk
                    // (`bin` is a symlink, and resolvers list regular files only).
                    let top = file.split('/').next().unwrap_or("");
                    if MERGED_USR.contains(&top) {
                        let alias = format!("{root}usr/{file}");
                        if resolver.exists(&alias) {
                            out.owners.entry(alias).or_insert_with(|| key.clone());
                        }
                    }
                    let rel = format!("{root}{file}");
                    out.owners.entry(rel).or_insert_with(|| key.clone());
                }
            }
        }
        out
    }

    /// The key of the package that owns `path` (relative to the resolver root).
    pub fn owner(&self, path: &str) -> Option<&str> {
        self.owners.get(path).map(String::as_str)
    }

    /// Every owned path and its owner, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.owners.iter().map(|(p, o)| (p.as_str(), o.as_str()))
    }

    /// Number of owned paths.
    pub fn len(&self) -> usize {
        self.owners.len()
    }

    /// Whether no file is owned.
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots() {
        let s = ["var/lib/dpkg/status"];
        assert_eq!(root_of("var/lib/dpkg/status", &s), "");
        assert_eq!(root_of("img/var/lib/dpkg/status", &s), "img/");
        assert_eq!(root_of("x/valid", &s), "x/");
        assert_eq!(root_of("valid", &s), "");
    }

    #[test]
    fn companions() {
        for p in [
            "var/lib/dpkg/info/bash.list",
            "var/lib/dpkg/info/libc6:amd64.list",
            "var/lib/dpkg/info/bash.md5sums",
            "var/lib/dpkg/status.d/base.md5sums",
            "usr/share/doc/bash/copyright",
            "var/lib/pacman/local/bash-5.2-1/files",
            "img/var/lib/dpkg/info/x.list",
        ] {
            assert!(is_database_companion(p), "{p}");
        }
        for p in [
            "var/lib/dpkg/info/bash.postinst",
            "usr/share/doc/bash/changelog.gz",
            "usr/share/doc/copyright",
            "home/files",
            "var/lib/dpkg/status",
        ] {
            assert!(!is_database_companion(p), "{p}");
        }
    }

    #[test]
    fn leaves() {
        let l = leaf_paths(vec![
            "/.".into(),
            "/usr".into(),
            "/usr/bin".into(),
            "/usr/bin/ls".into(),
            "/usr/share/doc/x/".into(),
        ]);
        assert_eq!(l, vec!["/usr/bin/ls", "/usr/share/doc/x"]);
    }
}
