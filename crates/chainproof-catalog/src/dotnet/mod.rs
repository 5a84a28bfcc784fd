//! .NET / NuGet: `packages.lock.json`, `packages.config`, `*.deps.json`, `paket.lock`,
//! `project.assets.json`, `*.csproj`/`*.fsproj`/`*.vbproj` and `Directory.Packages.props`.
//!
//! Every NuGet package gets the purl `pkg:nuget/<Name>@<version>` (no namespace; the name
//! keeps the case the file declares — NuGet ids are case-insensitive, so references between
//! entries are matched case-insensitively). Content hashes (`contentHash`, `sha512`) are
//! base64 SHA-512 digests of the `.nupkg` and are recorded as [`HashAlgorithm::Sha512`].
//!
//! The project a file belongs to is a [`PackageKind::Project`] root without a purl, named
//! after the project file next to the lockfile (`App.csproj` → `App`) and located at that
//! project file, so the root found by the lockfile cataloger and the one found by the project
//! file cataloger are the same package. Without a project file the directory name is used.
//!
//! | file | packages | edges | scope | hashes |
//! |---|---|---|---|---|
//! | `packages.lock.json` | every entry of every target framework | `dependencies` of each entry; root → `Direct` and `Project` entries | — | `contentHash` |
//! | `packages.config` | `<package>` | root → each | `developmentDependency="true"` → dev | — |
//! | `*.deps.json` | `libraries` (type `package`/`project`) | `targets` → `dependencies`; the `project` library is the root | — | `sha512` |
//! | `project.assets.json` | `targets` entries | `dependencies`; root → `project.frameworks.*.dependencies` | `suppressParent: All` → dev | `libraries.*.sha512` |
//! | project files | `PackageReference` (version inline or central) | root → each | `PrivateAssets=all` → dev | — |
//! | `paket.lock` | `NUGET` entries per group (GitHub/git sources as `pkg:github`) | by name within a group; root → packages nothing depends on | — | `nupkg_hash` |

mod assets;
mod deps;
mod lockjson;
mod msbuild;
pub mod paket;
mod xml;

use chainproof_core::{Ecosystem, Hash, HashAlgorithm, Location, Package, PackageKind};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, parent_dir};

use crate::CatalogError;

pub use assets::ProjectAssetsCataloger;
pub use deps::DepsJsonCataloger;
pub use lockjson::PackagesLockCataloger;
pub use msbuild::{
    CentralPackagesCataloger, PackagesConfigCataloger, ProjectFileCataloger, central_versions,
};
pub use paket::PaketLockCataloger;

/// Target frameworks (`;`-separated, sorted; framework names may hold commas) in which a
/// package appears.
pub const PROP_FRAMEWORKS: &str = "chainproof:nuget:frameworks";
/// The version range a project or package requested (`[6.0.5, )`).
pub const PROP_REQUESTED: &str = "chainproof:nuget:requested";
/// Dependency names that match no entry of the file (comma-separated).
pub const PROP_UNRESOLVED: &str = "chainproof:nuget:unresolved";
/// `packages.lock.json` dependency type (`Direct`, `Transitive`, `CentralTransitive`, `Project`).
pub const PROP_TYPE: &str = "chainproof:nuget:type";

/// `pkg:nuget/<name>@<version>`.
pub(crate) fn nuget_purl(
    path: &str,
    name: &str,
    version: Option<&str>,
    line: Option<u32>,
) -> Result<Purl, CatalogError> {
    let purl = Purl::new("nuget", name).map_err(|e| {
        let err = CatalogError::new(path, format!("package `{name}`: {e}"));
        match line {
            Some(l) => err.at_line(l),
            None => err,
        }
    })?;
    Ok(match version {
        Some(v) => purl.with_version(v),
        None => purl,
    })
}

/// A NuGet library package with its purl and location.
pub(crate) fn nuget_package(
    path: &str,
    name: &str,
    version: Option<&str>,
    line: Option<u32>,
) -> Result<Package, CatalogError> {
    let purl = nuget_purl(path, name, version, line)?;
    let mut loc = Location::new(path);
    if let Some(l) = line {
        loc = loc.with_line(l);
    }
    Ok(Package::new(Ecosystem::NuGet, name, version)
        .with_purl(purl)
        .with_location(loc))
}

/// Is this a project file name (`*.csproj`, `*.fsproj`, `*.vbproj`)?
pub(crate) fn is_project_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".csproj", ".fsproj", ".vbproj"]
        .iter()
        .any(|ext| lower.len() > ext.len() && lower.ends_with(ext))
}

/// The project root of a file in `dir`: the (first) project file in `dir`, else a project
/// named after the directory and located at `fallback`.
pub(crate) fn project_root(resolver: &dyn FileResolver, dir: &str, fallback: &str) -> Package {
    let found = resolver
        .files()
        .iter()
        .map(|f| f.path.as_str())
        .find(|p| parent_dir(p) == dir && is_project_file(file_name(p)));
    match found {
        Some(p) => project_package(p),
        None => {
            let name = match file_name(dir) {
                "" => "project",
                n => n,
            };
            Package::new(Ecosystem::NuGet, name, None)
                .with_kind(PackageKind::Project)
                .with_location(Location::new(fallback))
        }
    }
}

/// The root package of a project file (`src/App/App.csproj` → `App`).
pub(crate) fn project_package(project_path: &str) -> Package {
    let file = file_name(project_path);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    Package::new(Ecosystem::NuGet, stem, None)
        .with_kind(PackageKind::Project)
        .with_location(Location::new(project_path))
}

/// A base64 SHA-512 digest (optionally `sha512-` prefixed) → hash.
pub(crate) fn sha512_base64(s: &str) -> Option<Hash> {
    let s = s.strip_prefix("sha512-").unwrap_or(s);
    crate::npm::decode_base64(s).and_then(|b| Hash::from_bytes(HashAlgorithm::Sha512, &b))
}

/// Adds `framework` to the `;`-separated [`PROP_FRAMEWORKS`] of a package.
pub(crate) fn add_framework(pkg: &mut Package, framework: &str) {
    let entry = pkg
        .properties
        .entry(PROP_FRAMEWORKS.to_string())
        .or_default();
    let mut all: Vec<&str> = entry.split(';').filter(|s| !s.is_empty()).collect();
    if !all.contains(&framework) {
        all.push(framework);
        all.sort_unstable();
        *entry = all.join(";");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert!(is_project_file("A.CsProj"));
        assert!(is_project_file("b.fsproj"));
        assert!(!is_project_file(".csproj"));
        assert!(!is_project_file("a.props"));
        let h = sha512_base64(
            "sha512-kHBB+QmosVaG6DpngXQ8OlLVVNMzltNITfsRr68Z90qO7dSqJ2EHNd8dtBU1u3AQQLqqFHOY0lfmbpexeH6Pew==",
        );
        assert_eq!(h.map(|h| h.value.len()), Some(128));
        assert!(sha512_base64("").is_none());
        let mut p = Package::new(Ecosystem::NuGet, "a", Some("1"));
        add_framework(&mut p, "net7.0");
        add_framework(&mut p, "net6.0");
        add_framework(&mut p, "net7.0");
        assert_eq!(p.properties[PROP_FRAMEWORKS], "net6.0;net7.0");
        assert_eq!(
            nuget_purl("f", "Newtonsoft.Json", Some("13.0.1"), None)
                .map(|p| p.to_string())
                .ok()
                .as_deref(),
            Some("pkg:nuget/Newtonsoft.Json@13.0.1")
        );
    }
}
