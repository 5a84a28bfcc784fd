//! Java: Maven `pom.xml`, Gradle lockfiles, Gradle dependency-verification metadata, Gradle
//! version catalogs, and Java archives (JAR / WAR / EAR / Jenkins plugins).
//!
//! Every package is `pkg:maven/<groupId>/<artifactId>@<version>`, named `groupId:artifactId`
//! (the OSV name), with `?classifier=` and `?type=` qualifiers when the artifact has a
//! classifier or a type other than `jar`. Nothing here runs Maven or Gradle or touches the
//! network: everything comes from the files of the target.
//!
//! * [`MavenPomCataloger`] (`pom.xml`): see [`pom`] for inheritance, interpolation,
//!   dependency management, BOM imports and scopes.
//! * [`GradleLockfileCataloger`] (`gradle.lockfile`, `buildscript-gradle.lockfile`,
//!   `gradle/dependency-locks/*.lockfile`): see [`gradle`].
//! * [`GradleVerificationCataloger`] (`gradle/verification-metadata.xml`): see [`gradle`].
//! * [`GradleVersionCatalogCataloger`] (`*.versions.toml`): see [`version_catalog`].
//! * [`JavaArchiveCataloger`] (`*.jar`, `*.war`, `*.ear`, `*.jpi`, `*.hpi`): see [`archive`].

pub mod archive;
pub mod gradle;
mod interp;
pub mod pom;
mod pom_model;
mod sha1;
pub mod version_catalog;
mod xml;

use chainproof_core::{Ecosystem, Package};
use chainproof_purl::{Purl, PurlError};

pub use archive::{JavaArchiveCataloger, parse_archive};
pub use gradle::{
    GradleLockfileCataloger, GradleVerificationCataloger, parse_gradle_lockfile,
    parse_verification_metadata,
};
pub use pom::{MavenPomCataloger, parse_pom};
pub use version_catalog::{GradleVersionCatalogCataloger, parse_version_catalog};

/// A declared version that could not be resolved from the files (an undefined property,
/// no version and no managed version); the raw text, empty when none was declared.
pub const PROP_UNRESOLVED_VERSION: &str = "chainproof:maven:unresolved-version";
/// A Maven version range (`[1.0,2.0)`): the requirement, not a version.
pub const PROP_VERSION_RANGE: &str = "chainproof:maven:version-range";
/// The Maven `<scope>` as written (`compile`, `test`, `provided`, `runtime`, `system`).
pub const PROP_SCOPE: &str = "chainproof:maven:scope";
/// The project's `<packaging>`.
pub const PROP_PACKAGING: &str = "chainproof:maven:packaging";
/// The `<parent>` of a project, `groupId:artifactId:version`.
pub const PROP_PARENT: &str = "chainproof:maven:parent";
/// The path of the parent POM used, when it was found in the target.
pub const PROP_PARENT_PATH: &str = "chainproof:maven:parent-path";
/// Imported BOMs (`scope=import`) not found in the target, comma-separated `g:a:v`.
pub const PROP_UNRESOLVED_IMPORTS: &str = "chainproof:maven:unresolved-imports";
/// Dependencies left out because their groupId or artifactId is missing or unresolvable,
/// as `line N: <raw coordinates>` items separated by `; `.
pub const PROP_SKIPPED: &str = "chainproof:maven:skipped-dependencies";
/// A dependency inherited from a parent POM: the parent's path.
pub const PROP_INHERITED_FROM: &str = "chainproof:maven:inherited-from";
/// Gradle configurations that resolve the package, comma-separated.
pub const PROP_CONFIGURATIONS: &str = "chainproof:gradle:configurations";
/// A version-catalog alias (`libs.<alias>`).
pub const PROP_CATALOG_ALIAS: &str = "chainproof:gradle:catalog-alias";
/// A rich or dynamic Gradle version constraint as written.
pub const PROP_VERSION_CONSTRAINT: &str = "chainproof:gradle:version-constraint";
/// A Gradle plugin id (the package is its plugin marker artifact).
pub const PROP_GRADLE_PLUGIN: &str = "chainproof:gradle:plugin";
/// How an archive was identified: `pom.properties`, `manifest` or `filename`.
pub const PROP_IDENTIFIED_BY: &str = "chainproof:java:identified-by";
/// A package found through a `pom.properties` of another project bundled (shaded) in an
/// archive.
pub const PROP_SHADED: &str = "chainproof:java:shaded";

/// `pkg:maven/<group>/<artifact>@<version>` with `classifier` and `type` qualifiers when
/// they are not the defaults (no classifier, `jar`).
pub fn maven_purl(
    group: &str,
    artifact: &str,
    version: Option<&str>,
    ty: Option<&str>,
    classifier: Option<&str>,
) -> Result<Purl, PurlError> {
    let mut p = Purl::new("maven", artifact)?.with_namespace(group)?;
    if let Some(v) = version {
        p = p.with_version(v);
    }
    if let Some(c) = classifier.filter(|c| !c.is_empty()) {
        p = p.with_qualifier("classifier", c)?;
    }
    if let Some(t) = ty.filter(|t| !t.is_empty() && *t != "jar") {
        p = p.with_qualifier("type", t)?;
    }
    Ok(p)
}

/// A Maven package `group:artifact` with its purl (none if the coordinates make no purl).
pub(crate) fn maven_package(
    group: &str,
    artifact: &str,
    version: Option<&str>,
    ty: Option<&str>,
    classifier: Option<&str>,
) -> Package {
    let mut p = Package::new(Ecosystem::Maven, format!("{group}:{artifact}"), version);
    if let Ok(purl) = maven_purl(group, artifact, version, ty, classifier) {
        p = p.with_purl(purl);
    }
    p
}

/// Whether a Maven version string is a range (`[1,2)`, `(,1.0]`, `[1.5]`).
pub(crate) fn is_version_range(v: &str) -> bool {
    v.starts_with('[') || v.starts_with('(')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        let p = maven_purl("org.a", "b", Some("1.0"), Some("jar"), None).expect("ok");
        assert_eq!(p.to_string(), "pkg:maven/org.a/b@1.0");
        let p = maven_purl("org.a", "b", Some("1.0"), Some("pom"), Some("sources")).expect("ok");
        assert_eq!(
            p.to_string(),
            "pkg:maven/org.a/b@1.0?classifier=sources&type=pom"
        );
    }
}
