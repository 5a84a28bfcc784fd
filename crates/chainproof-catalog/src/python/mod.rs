//! Python catalogers: pip requirements files, `poetry.lock`, `uv.lock`, `Pipfile.lock`,
//! `pdm.lock`, `pylock.toml` (PEP 751), `pyproject.toml` (declared dependencies), installed
//! distributions (`*.dist-info` / `*.egg-info`) and conda environments (`conda-meta/*.json`).
//!
//! Every package gets the purl `pkg:pypi/<name>@<version>` where `<name>` is the
//! [PEP 503](https://peps.python.org/pep-0503/#normalized-names) normalized name
//! ([`normalize_name`]); [`Package::name`](chainproof_core::Package::name) keeps the name as
//! the file declares it. Facts the formats record beyond the core model are kept as
//! properties:
//!
//! | property | meaning |
//! |---|---|
//! | `chainproof:python:requirement` | the version specifier of a requirement that is not pinned (`*` when it has none) |
//! | `chainproof:python:extras` | extras requested (`pkg[a,b]` → `a,b`) |
//! | `chainproof:python:marker` | the environment marker of a requirement / locked package |
//! | `chainproof:python:editable` | `true` for `-e` requirements and uv editable sources |
//! | `chainproof:python:invalid-hash` | `--hash` values that are not hex digests, verbatim |
//! | `chainproof:python:constraint` | `file:line` of the `-c` constraint that gave the version |
//! | `chainproof:python:name-guessed` | `true` when a local path requirement gave no name and the directory name was used |
//! | `chainproof:python:groups` | Poetry 2 `groups` of a locked package |
//! | `chainproof:python:category` | Poetry 1 `category` of a locked package |
//! | `chainproof:python:source-type` | Poetry `[package.source] type` / uv, PDM, pylock source kind |
//! | `chainproof:python:index` | the package index a locked package comes from (Pipenv `index`, pylock `index`) |
//! | `chainproof:python:installer` | `INSTALLER` of an installed distribution (`pip`, `uv`, ...) |
//! | `chainproof:python:record-files` | number of files an installed distribution's `RECORD` lists |
//! | `chainproof:python:dynamic` | `[project] dynamic` fields of a `pyproject.toml` (e.g. `dependencies`) |
//! | `chainproof:python:created-by` | the tool that wrote a `pylock.toml` |
//! | `chainproof:conda:depends` | a conda package's `depends` list, verbatim, `;`-separated |
//!
//! See each cataloger for what it reads and what it leaves out.

mod conda;
mod declared;
mod installed;
mod pdm;
mod pep508;
mod pipfile;
mod poetry;
mod project;
mod pylock;
mod pyproject;
mod requirements;
mod uv;

pub use conda::CondaMetaCataloger;
pub use declared::PyprojectCataloger;
pub use installed::InstalledCataloger;
pub use pdm::PdmLockCataloger;
pub use pipfile::PipfileLockCataloger;
pub use poetry::PoetryLockCataloger;
pub use pylock::PylockCataloger;
pub use requirements::RequirementsCataloger;
pub use uv::UvLockCataloger;

use chainproof_core::{Ecosystem, Hash, HashAlgorithm, Package, Scope};
use chainproof_purl::Purl;

/// Property key prefix of this module.
pub(crate) const P_REQUIREMENT: &str = "chainproof:python:requirement";
pub(crate) const P_EXTRAS: &str = "chainproof:python:extras";
pub(crate) const P_MARKER: &str = "chainproof:python:marker";
pub(crate) const P_EDITABLE: &str = "chainproof:python:editable";
pub(crate) const P_INVALID_HASH: &str = "chainproof:python:invalid-hash";
pub(crate) const P_CONSTRAINT: &str = "chainproof:python:constraint";
pub(crate) const P_NAME_GUESSED: &str = "chainproof:python:name-guessed";
pub(crate) const P_GROUPS: &str = "chainproof:python:groups";
pub(crate) const P_CATEGORY: &str = "chainproof:python:category";
pub(crate) const P_SOURCE_TYPE: &str = "chainproof:python:source-type";
pub(crate) const P_INDEX: &str = "chainproof:python:index";
pub(crate) const P_INSTALLER: &str = "chainproof:python:installer";
pub(crate) const P_RECORD_FILES: &str = "chainproof:python:record-files";
pub(crate) const P_DYNAMIC: &str = "chainproof:python:dynamic";
pub(crate) const P_CREATED_BY: &str = "chainproof:python:created-by";

/// PEP 503 normalization: lower-case, and every run of `-`, `_`, `.` becomes one `-`.
///
/// ```
/// use chainproof_catalog::python::normalize_name;
/// assert_eq!(normalize_name("Foo.Bar__baz"), "foo-bar-baz");
/// ```
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_sep = false;
        }
    }
    out
}

/// `pkg:pypi/<normalized name>[@version]`, or `None` if the name cannot form a purl.
pub(crate) fn pypi_purl(name: &str, version: Option<&str>) -> Option<Purl> {
    let purl = Purl::new("pypi", &normalize_name(name)).ok()?;
    Some(match version {
        Some(v) => purl.with_version(v),
        None => purl,
    })
}

/// A PyPI package with its purl set.
pub(crate) fn pypi_package(name: &str, version: Option<&str>) -> Package {
    let mut p = Package::new(Ecosystem::PyPI, name, version);
    p.purl = pypi_purl(name, version);
    p
}

/// Parses `<alg>:<hex>` (the form pip, Poetry and uv use). `None` when the algorithm is
/// unknown or the value is not a hex digest of the right length.
pub(crate) fn parse_hash(s: &str) -> Option<Hash> {
    let (alg, hex) = s.trim().split_once(':')?;
    let alg: HashAlgorithm = alg.parse().ok()?;
    Hash::from_hex(alg, hex)
}

/// Adds a hash, or records the unusable value in the `invalid-hash` property.
pub(crate) fn add_hash(pkg: &mut Package, raw: &str) {
    let raw = raw.trim();
    if raw.is_empty() {
        return;
    }
    match parse_hash(raw) {
        Some(h) => {
            if !pkg.hashes.contains(&h) {
                pkg.hashes.push(h);
            }
        }
        None => {
            let entry = pkg
                .properties
                .entry(P_INVALID_HASH.to_string())
                .or_default();
            if !entry.split(' ').any(|e| e == raw) {
                if !entry.is_empty() {
                    entry.push(' ');
                }
                entry.push_str(raw);
            }
        }
    }
}

/// Scope reachability over a graph of `n` nodes: `seeds` are entry points with their scope,
/// `adjacency[i]` the `(target, edge scope)` pairs of node `i`. A node reached through an
/// edge gets the weaker of its parent's scope and the edge's (a runtime dependency of a dev
/// dependency is dev); over all paths the strongest wins ([`Scope::merge`]). `None` for
/// nodes that are not reached.
pub(crate) fn reach(
    n: usize,
    seeds: &[(usize, Scope)],
    adjacency: &[Vec<(usize, Scope)>],
) -> Vec<Option<Scope>> {
    let mut best: Vec<Option<Scope>> = vec![None; n];
    let mut work: Vec<usize> = Vec::new();
    let relax = |best: &mut Vec<Option<Scope>>, work: &mut Vec<usize>, i: usize, s: Scope| {
        if i < n && best[i].is_none_or(|b| s < b) {
            best[i] = Some(s);
            work.push(i);
        }
    };
    for &(i, s) in seeds {
        relax(&mut best, &mut work, i, s);
    }
    while let Some(i) = work.pop() {
        let Some(s) = best[i] else { continue };
        for &(t, edge) in adjacency.get(i).map_or(&[][..], Vec::as_slice) {
            relax(&mut best, &mut work, t, s.max(edge));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reachability() {
        // 0 -> 1 (runtime), 0 -> 2 (dev), 2 -> 3 (runtime), 1 -> 3 (optional), 4 unreached
        let adj = vec![
            vec![(1, Scope::Runtime), (2, Scope::Dev)],
            vec![(3, Scope::Optional)],
            vec![(3, Scope::Runtime)],
            vec![],
            vec![],
        ];
        let r = reach(5, &[(0, Scope::Runtime)], &adj);
        assert_eq!(
            r,
            vec![
                Some(Scope::Runtime),
                Some(Scope::Runtime),
                Some(Scope::Dev),
                Some(Scope::Optional),
                None
            ]
        );
    }

    #[test]
    fn normalizes_names() {
        assert_eq!(normalize_name("Django"), "django");
        assert_eq!(
            normalize_name("combination-._-.also_-._valid"),
            "combination-also-valid"
        );
        assert_eq!(normalize_name("pkg.dot.name"), "pkg-dot-name");
        assert_eq!(normalize_name("under_score"), "under-score");
        assert_eq!(normalize_name("foo17--hash"), "foo17-hash");
    }

    #[test]
    fn purls() {
        let p = pypi_purl("Mopidy_Dirble", Some("1.1")).expect("valid");
        assert_eq!(p.to_string(), "pkg:pypi/mopidy-dirble@1.1");
        let p = pypi_purl("flask", None).expect("valid");
        assert_eq!(p.to_string(), "pkg:pypi/flask");
    }

    #[test]
    fn hashes() {
        let h =
            parse_hash("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
                .expect("valid");
        assert_eq!(h.algorithm, HashAlgorithm::Sha256);
        assert!(parse_hash("sha256:123").is_none());
        assert!(parse_hash("md4:00").is_none());
        assert!(parse_hash("nocolon").is_none());
        let mut p = pypi_package("x", Some("1"));
        add_hash(&mut p, "sha256:123");
        add_hash(&mut p, "sha256:123");
        add_hash(&mut p, "sha256:456");
        assert_eq!(p.properties[P_INVALID_HASH], "sha256:123 sha256:456");
    }
}
