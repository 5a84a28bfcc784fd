//! Gradle lockfiles and dependency-verification metadata.
//!
//! **`gradle.lockfile`** (and `buildscript-gradle.lockfile`, and the per-configuration
//! `gradle/dependency-locks/*.lockfile` of Gradle 6): one `group:artifact:version=conf1,conf2`
//! line per resolved module, `#` comments, and an `empty=` line naming configurations that
//! resolve nothing. Each module is a package located at its line, with its configurations in
//! `chainproof:gradle:configurations`. A module resolved only by test configurations (names
//! containing `test`, e.g. `testRuntimeClasspath`, `androidTestCompileClasspath`) is dev
//! scope; every module of a `buildscript-gradle.lockfile` (the build's plugin classpath) is
//! dev scope. The lockfile is flat: no edges, no root. Lines that are not coordinates
//! (seen in the wild: merge-conflict markers, stray text) are skipped, as Gradle itself
//! regenerates the file.
//!
//! **`gradle/verification-metadata.xml`**: every `<component group name version>` is a
//! package; the `sha1` / `sha256` / `sha512` checksums of its main artifact
//! (`<name>-<version>.<ext>`, not `.pom` / `.module`, no classifier) are its hashes.
//! Components listing only metadata artifacts (BOMs, parent POMs) have no hash. A component
//! without one of its three attributes is an error with its line.

use chainproof_core::{Hash, HashAlgorithm, Inventory, Location, Scope};
use chainproof_source::{FileResolver, file_name};

use super::{PROP_CONFIGURATIONS, maven_package, xml};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads Gradle dependency lockfiles.
#[derive(Debug, Clone, Copy, Default)]
pub struct GradleLockfileCataloger;

static LOCK_INFO: CatalogerInfo = CatalogerInfo {
    name: "gradle-lockfile",
    ecosystem: "Maven",
    files: "`gradle.lockfile`, `buildscript-gradle.lockfile`, `gradle/dependency-locks/*.lockfile`",
    edges: false,
    licenses: false,
    scopes: true,
    hashes: false,
};

impl Cataloger for GradleLockfileCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &LOCK_INFO
    }

    fn matches(&self, path: &str) -> bool {
        let name = file_name(path);
        name == "gradle.lockfile"
            || name == "buildscript-gradle.lockfile"
            || (name.ends_with(".lockfile") && path.contains("gradle/dependency-locks/"))
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        Ok(parse_gradle_lockfile(path, &text))
    }
}

fn is_test_configuration(c: &str) -> bool {
    c.to_ascii_lowercase().contains("test")
}

/// Parses a Gradle lockfile; `path` decides whether it is a buildscript lockfile.
pub fn parse_gradle_lockfile(path: &str, text: &str) -> Inventory {
    let buildscript = file_name(path).starts_with("buildscript");
    let mut inv = Inventory::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (coords, confs) = line.split_once('=').unwrap_or((line, ""));
        let parts: Vec<&str> = coords.split(':').map(str::trim).collect();
        let [group, artifact, version] = parts[..] else {
            continue;
        };
        let valid = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| !c.is_whitespace() && !matches!(c, '=' | '<' | '>' | '/'))
        };
        if !valid(group) || !valid(artifact) || !valid(version) {
            continue;
        }
        let confs: Vec<&str> = confs
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let dev =
            buildscript || (!confs.is_empty() && confs.iter().all(|c| is_test_configuration(c)));
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut p = maven_package(group, artifact, Some(version), None, None)
            .with_location(Location::new(path).with_line(line_no))
            .with_scope(if dev { Scope::Dev } else { Scope::Runtime });
        if !confs.is_empty() {
            p = p.with_property(PROP_CONFIGURATIONS, confs.join(","));
        }
        inv.add_package(p);
    }
    inv
}

/// Reads `gradle/verification-metadata.xml`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GradleVerificationCataloger;

static VERIFY_INFO: CatalogerInfo = CatalogerInfo {
    name: "gradle-verification-metadata",
    ecosystem: "Maven",
    files: "`gradle/verification-metadata.xml`",
    edges: false,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for GradleVerificationCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &VERIFY_INFO
    }

    fn matches(&self, path: &str) -> bool {
        path == "gradle/verification-metadata.xml"
            || path.ends_with("/gradle/verification-metadata.xml")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let bytes = resolver.read(path)?;
        parse_verification_metadata(path, &xml::decode(&bytes))
    }
}

/// Parses the text of a Gradle `verification-metadata.xml`.
pub fn parse_verification_metadata(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let root = xml::parse(path, text)?;
    if root.name != "verification-metadata" {
        return Err(CatalogError::new(
            path,
            format!(
                "not Gradle verification metadata: the root element is <{}>",
                root.name
            ),
        )
        .at_line(root.line));
    }
    let mut inv = Inventory::default();
    let components = root
        .children_named("components")
        .flat_map(|c| c.children_named("component"));
    for c in components {
        let attr = |k: &str| {
            c.attr(k).filter(|v| !v.is_empty()).ok_or_else(|| {
                CatalogError::new(path, format!("<component> without a `{k}` attribute"))
                    .at_line(c.line)
            })
        };
        let (group, name, version) = (attr("group")?, attr("name")?, attr("version")?);
        let mut p = maven_package(group, name, Some(version), None, None)
            .with_location(Location::new(path).with_line(c.line));
        let stem = format!("{name}-{version}.");
        for a in c.children_named("artifact") {
            let Some(ext) = a.attr("name").and_then(|n| n.strip_prefix(stem.as_str())) else {
                continue;
            };
            if ext.contains('.') || ext == "pom" || ext == "module" {
                continue;
            }
            for (tag, alg) in [
                ("sha1", HashAlgorithm::Sha1),
                ("sha256", HashAlgorithm::Sha256),
                ("sha512", HashAlgorithm::Sha512),
            ] {
                for h in a.children_named(tag) {
                    if let Some(hash) = h.attr("value").and_then(|v| Hash::from_hex(alg, v)) {
                        p = p.with_hash(hash);
                    }
                }
            }
        }
        inv.add_package(p);
    }
    Ok(inv)
}
