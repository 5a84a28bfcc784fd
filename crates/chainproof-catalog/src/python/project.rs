//! Pieces shared by the lockfile catalogers: the project root a lockfile belongs to, and
//! looking at the files beside or below a directory.

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageKind, Unparsed};
use chainproof_source::{FileEntry, FileResolver, file_name, join_relative, parent_dir};

use super::{pypi_package, pyproject};
use crate::CatalogError;
use crate::util::line_of;

/// Lockfiles that make a `pyproject.toml` beside them redundant for the declared-dependency
/// cataloger (`pylock.<name>.toml` is checked separately).
pub(crate) const LOCKFILES: [&str; 5] = [
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "Pipfile.lock",
    "pylock.toml",
];

/// Whether `name` is a PEP 751 lock file name: `pylock.toml` or `pylock.<name>.toml`.
pub(crate) fn is_pylock_name(name: &str) -> bool {
    name == "pylock.toml"
        || name
            .strip_prefix("pylock.")
            .and_then(|r| r.strip_suffix(".toml"))
            .is_some_and(|mid| !mid.is_empty() && !mid.contains('.'))
}

/// The files whose path starts with `prefix` (`""` = all), in path order.
pub(crate) fn files_with_prefix<'a>(
    resolver: &'a dyn FileResolver,
    prefix: &str,
) -> &'a [FileEntry] {
    let files = resolver.files();
    let start = files.partition_point(|f| f.path.as_str() < prefix);
    let len = files[start..]
        .iter()
        .take_while(|f| f.path.starts_with(prefix))
        .count();
    &files[start..start + len]
}

/// `dir/` (or `""` for the root directory), for prefix listings.
pub(crate) fn dir_prefix(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// The lockfile beside `path`, if any (a Python lockfile in the same directory).
pub(crate) fn lockfile_beside(resolver: &dyn FileResolver, path: &str) -> Option<String> {
    let dir = parent_dir(path);
    for name in LOCKFILES {
        if let Some(p) = join_relative(dir, name).filter(|p| resolver.exists(p)) {
            return Some(p);
        }
    }
    let prefix = format!("{}pylock.", dir_prefix(dir));
    files_with_prefix(resolver, &prefix)
        .iter()
        .find(|f| parent_dir(&f.path) == dir && is_pylock_name(file_name(&f.path)))
        .map(|f| f.path.clone())
}

/// A project root named after the lockfile's folder (`root` at the top of the target):
/// no version, no purl (a folder is not a PyPI release).
pub(crate) fn folder_root(path: &str) -> Package {
    let dir = file_name(parent_dir(path));
    let name = if dir.is_empty() { "root" } else { dir };
    Package::new(Ecosystem::PyPI, name, None)
        .with_kind(PackageKind::Project)
        .with_location(Location::new(path))
}

/// The project a `pyproject.toml` beside `path` declares, as a root package, with the
/// parsed file. `None` when there is no such file or it names no project; a file that
/// cannot be parsed is recorded in `inv` as [`Unparsed`] under `cataloger`.
pub(crate) fn pyproject_root(
    resolver: &dyn FileResolver,
    path: &str,
    inv: &mut Inventory,
    cataloger: &str,
) -> Option<(Package, pyproject::Project)> {
    let pp = join_relative(parent_dir(path), "pyproject.toml").filter(|p| resolver.exists(p))?;
    let parsed = resolver
        .read_to_string(&pp)
        .map_err(CatalogError::from)
        .and_then(|t| match pyproject::parse(&t) {
            Ok(p) => Ok(p.map(|p| {
                let line = line_of(&t, p.name_offset);
                (p, line)
            })),
            Err(e) => Err(CatalogError::toml(&pp, &t, &e)),
        });
    match parsed {
        Ok(Some((project, line))) => {
            let root = pypi_package(&project.name, project.version.as_deref())
                .with_kind(PackageKind::Project)
                .with_location(Location::new(pp.as_str()).with_line(line));
            Some((root, project))
        }
        Ok(None) => None,
        Err(e) => {
            let mut location = Location::new(pp.as_str());
            location.line = e.line;
            inv.add_unparsed(Unparsed {
                location,
                cataloger: cataloger.to_string(),
                error: e.to_string(),
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainproof_source::MemoryResolver;

    #[test]
    fn pylock_names() {
        assert!(is_pylock_name("pylock.toml"));
        assert!(is_pylock_name("pylock.dev.toml"));
        assert!(!is_pylock_name("pylock..toml"));
        assert!(!is_pylock_name("pylock.a.b.toml"));
        assert!(!is_pylock_name("mypylock.toml"));
    }

    #[test]
    fn lockfiles_beside() {
        let r = MemoryResolver::new()
            .with_file("a/pyproject.toml", "")
            .with_file("a/pylock.ci.toml", "")
            .with_file("b/pyproject.toml", "")
            .with_file("b/sub/pdm.lock", "")
            .with_file("c/pyproject.toml", "")
            .with_file("c/uv.lock", "");
        assert_eq!(
            lockfile_beside(&r, "a/pyproject.toml").as_deref(),
            Some("a/pylock.ci.toml")
        );
        assert_eq!(lockfile_beside(&r, "b/pyproject.toml"), None);
        assert_eq!(
            lockfile_beside(&r, "c/pyproject.toml").as_deref(),
            Some("c/uv.lock")
        );
        assert_eq!(folder_root("x/y/Pipfile.lock").name, "y");
        assert_eq!(folder_root("Pipfile.lock").name, "root");
        assert!(folder_root("Pipfile.lock").purl.is_none());
    }
}
