//! The single list of catalogers.

use std::sync::Arc;

use crate::Cataloger;
use crate::embedded_sbom::{EmbeddedSbomCataloger, SbomReader};

/// Every cataloger that needs nothing from the caller, in a stable order. The
/// embedded-SBOM cataloger needs an SBOM decoder: see [`all_with`].
pub fn all() -> Vec<Box<dyn Cataloger>> {
    all_with(None)
}

/// [`all`], plus the embedded-SBOM cataloger when an SBOM `reader` is given (the
/// `chainproof` binary passes one backed by `chainproof_sbom::decode`).
pub fn all_with(reader: Option<Arc<dyn SbomReader>>) -> Vec<Box<dyn Cataloger>> {
    let mut all = builtin();
    if let Some(r) = reader {
        all.push(Box::new(EmbeddedSbomCataloger::new(r)));
    }
    all
}

fn builtin() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(crate::cargo::CargoLockCataloger),
        Box::new(crate::npm::PackageLockCataloger),
        Box::new(crate::pnpm::PnpmLockCataloger),
        Box::new(crate::python::RequirementsCataloger),
        Box::new(crate::python::PoetryLockCataloger),
        Box::new(crate::python::UvLockCataloger),
        Box::new(crate::python::PipfileLockCataloger),
        Box::new(crate::python::PdmLockCataloger),
        Box::new(crate::python::PylockCataloger),
        Box::new(crate::python::PyprojectCataloger),
        Box::new(crate::python::InstalledCataloger),
        Box::new(crate::python::CondaMetaCataloger),
        Box::new(crate::golang::GoModCataloger),
        Box::new(crate::ruby::GemfileLockCataloger),
        Box::new(crate::ruby::GemspecCataloger),
        Box::new(crate::php::ComposerLockCataloger),
        Box::new(crate::php::InstalledJsonCataloger),
        Box::new(crate::yarn::YarnLockCataloger),
        Box::new(crate::bun::BunLockCataloger),
        Box::new(crate::node_modules::InstalledPackageCataloger),
        Box::new(crate::java::MavenPomCataloger),
        Box::new(crate::java::GradleLockfileCataloger),
        Box::new(crate::java::GradleVerificationCataloger),
        Box::new(crate::java::GradleVersionCatalogCataloger),
        Box::new(crate::java::JavaArchiveCataloger),
        Box::new(crate::golang::gosum::GoSumCataloger),
        Box::new(crate::golang::vendor::GoVendorCataloger),
        Box::new(crate::golang::buildinfo::GoBinaryCataloger),
        Box::new(crate::rust_binary::CargoAuditableCataloger),
        Box::new(crate::cpp::ConanLockCataloger),
        Box::new(crate::cpp::VcpkgManifestCataloger),
        Box::new(crate::r::RenvLockCataloger),
        Box::new(crate::haskell::CabalFreezeCataloger),
        Box::new(crate::haskell::StackLockCataloger),
        Box::new(crate::julia::JuliaManifestCataloger),
        Box::new(crate::github_actions::GitHubActionsCataloger),
        Box::new(crate::dockerfile::DockerfileCataloger),
        Box::new(crate::dotnet::PackagesLockCataloger),
        Box::new(crate::dotnet::PackagesConfigCataloger),
        Box::new(crate::dotnet::DepsJsonCataloger),
        Box::new(crate::dotnet::ProjectAssetsCataloger),
        Box::new(crate::dotnet::ProjectFileCataloger),
        Box::new(crate::dotnet::CentralPackagesCataloger),
        Box::new(crate::dotnet::PaketLockCataloger),
        Box::new(crate::dart::PubspecLockCataloger),
        Box::new(crate::hex::MixLockCataloger),
        Box::new(crate::hex::RebarLockCataloger),
        Box::new(crate::hex::gleam::GleamCataloger),
        Box::new(crate::swift::PackageResolvedCataloger),
        Box::new(crate::swift::PodfileLockCataloger),
        Box::new(crate::os::DpkgCataloger),
        Box::new(crate::os::OpkgCataloger),
        Box::new(crate::os::ApkDbCataloger),
        Box::new(crate::os::RpmDbCataloger),
        Box::new(crate::os::PacmanCataloger),
    ]
}

/// The catalogers whose name is in `names` (all when `names` is empty).
pub fn select(names: &[String]) -> Vec<Box<dyn Cataloger>> {
    select_with(names, None)
}

/// [`select`] over [`all_with`]`(reader)`.
pub fn select_with(
    names: &[String],
    reader: Option<Arc<dyn SbomReader>>,
) -> Vec<Box<dyn Cataloger>> {
    all_with(reader)
        .into_iter()
        .filter(|c| names.is_empty() || names.iter().any(|n| n == c.name()))
        .collect()
}

/// The supported-formats table (Markdown), one row per cataloger, generated from the
/// registry; `docs/formats.md` holds a copy that a test keeps equal to this.
pub fn formats_table() -> String {
    let yes = |b: bool| if b { "yes" } else { "—" };
    let mut out = String::from(
        "| cataloger | ecosystem | files | edges | licenses | scope | hashes |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let all = all();
    let infos = all
        .iter()
        .map(|c| c.info())
        .chain(std::iter::once(&crate::embedded_sbom::INFO));
    for i in infos {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            i.name,
            i.ecosystem,
            i.files,
            yes(i.edges),
            yes(i.licenses),
            yes(i.scopes),
            yes(i.hashes)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique_and_kebab_case() {
        let all = super::all();
        let mut names: Vec<_> = all.iter().map(|c| c.name()).collect();
        for n in &names {
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
            );
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }
}
