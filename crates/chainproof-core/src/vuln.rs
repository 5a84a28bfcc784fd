//! Vulnerability findings: the result of matching an [`Inventory`](crate::Inventory) against
//! advisories. Produced by `chainproof-osv` (matcher, CVSS, VEX), rendered by
//! `chainproof-report` (table, JSON, SARIF, CycloneDX VDR, OpenVEX).

use std::fmt;

use crate::PackageId;

/// One vulnerability affecting one package of an inventory.
///
/// Aliases are merged: a GHSA, a CVE and a PYSEC record for the same flaw give one finding
/// whose `id` is the preferred id and whose `aliases` hold the others.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The preferred id (the advisory's own id, e.g. `GHSA-…`, `PYSEC-…`, `RUSTSEC-…`).
    pub id: String,
    /// Every other id this vulnerability is known by (CVE, GHSA, …), sorted, without `id`.
    pub aliases: Vec<String>,
    /// One-line summary of the advisory, when it has one.
    pub summary: Option<String>,
    /// The affected package in the inventory that was scanned.
    pub package: PackageId,
    /// The affected ranges that matched, human-readable (`>=1.0.0, <1.2.3`), or
    /// `version listed` when the match came from an explicit `versions` list.
    pub affected: Vec<String>,
    /// Versions that fix it, in the package's ecosystem, ascending; empty when none is known.
    pub fixed_versions: Vec<String>,
    /// The severity and where it came from.
    pub severity: Severity,
    /// Reference URLs (advisory, fix commit, report).
    pub references: Vec<String>,
    /// The ids of the records (from the database) that produced this finding, for provenance.
    pub sources: Vec<String>,
    /// VEX or ignore-file statement that applies to this finding, if any.
    pub vex: Option<VexAnnotation>,
}

impl Finding {
    /// `id` followed by `aliases`.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether a VEX statement or ignore entry says this finding does not need action
    /// (`not_affected` or `fixed`).
    pub fn is_suppressed(&self) -> bool {
        self.vex
            .as_ref()
            .is_some_and(|v| matches!(v.status, VexStatus::NotAffected | VexStatus::Fixed))
    }
}

/// Qualitative severity rating (CVSS v3/v4 bands).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    /// No severity information at all.
    Unknown,
    /// CVSS 0.0.
    None,
    /// CVSS 0.1–3.9.
    Low,
    /// CVSS 4.0–6.9.
    Medium,
    /// CVSS 7.0–8.9.
    High,
    /// CVSS 9.0–10.0.
    Critical,
}

impl Rating {
    /// The band of a CVSS v3/v4 base score.
    pub fn from_score(score: f64) -> Rating {
        match score {
            s if s >= 9.0 => Rating::Critical,
            s if s >= 7.0 => Rating::High,
            s if s >= 4.0 => Rating::Medium,
            s if s > 0.0 => Rating::Low,
            _ => Rating::None,
        }
    }

    /// Lowercase name: `unknown`, `none`, `low`, `medium`, `high`, `critical`.
    pub fn name(self) -> &'static str {
        match self {
            Rating::Unknown => "unknown",
            Rating::None => "none",
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
            Rating::Critical => "critical",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a severity came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SeveritySource {
    /// Computed from a CVSS v4.0 vector.
    CvssV4,
    /// Computed from a CVSS v3.0/v3.1 vector.
    CvssV3,
    /// Computed from a CVSS v2 vector.
    CvssV2,
    /// Taken from the advisory's `database_specific` / `ecosystem_specific` severity text.
    DatabaseSpecific,
    /// No severity information.
    None,
}

impl SeveritySource {
    /// Stable name: `cvss-v4`, `cvss-v3`, `cvss-v2`, `database-specific`, `none`.
    pub fn name(self) -> &'static str {
        match self {
            SeveritySource::CvssV4 => "cvss-v4",
            SeveritySource::CvssV3 => "cvss-v3",
            SeveritySource::CvssV2 => "cvss-v2",
            SeveritySource::DatabaseSpecific => "database-specific",
            SeveritySource::None => "none",
        }
    }
}

/// A severity: rating, optional base score and vector, and its source.
#[derive(Clone, Debug, PartialEq)]
pub struct Severity {
    /// The qualitative rating.
    pub rating: Rating,
    /// The base score (0.0–10.0) when computed from a vector.
    pub score: Option<f64>,
    /// The vector string it was computed from.
    pub vector: Option<String>,
    /// Where it came from.
    pub source: SeveritySource,
}

impl Severity {
    /// No severity information.
    pub fn unknown() -> Self {
        Severity {
            rating: Rating::Unknown,
            score: None,
            vector: None,
            source: SeveritySource::None,
        }
    }
}

/// VEX status (the OpenVEX / CycloneDX analysis states mapped onto the OpenVEX four).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VexStatus {
    /// The product is not affected.
    NotAffected,
    /// The product is affected.
    Affected,
    /// The vulnerability is fixed in the product.
    Fixed,
    /// Still being investigated.
    UnderInvestigation,
}

impl VexStatus {
    /// The OpenVEX name: `not_affected`, `affected`, `fixed`, `under_investigation`.
    pub fn name(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }
}

/// The VEX statement (or ignore-file entry) applied to a finding.
#[derive(Clone, Debug, PartialEq)]
pub struct VexAnnotation {
    /// The status the statement gives.
    pub status: VexStatus,
    /// The justification (`component_not_present`, `vulnerable_code_not_in_execute_path`, …).
    pub justification: Option<String>,
    /// Free-text impact or action statement.
    pub statement: Option<String>,
    /// Where the statement came from: the VEX document path, or `.chainproof.toml`.
    pub origin: String,
}

/// What a scan covered: every package is either audited or listed in `not_audited` with why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScanSummary {
    /// Packages in the inventory.
    pub packages: usize,
    /// Packages matched against the database with a known version order.
    pub audited: usize,
    /// Packages that could not be audited, with the reason.
    pub not_audited: Vec<NotAudited>,
    /// The database the scan used.
    pub database: DatabaseInfo,
}

/// A package the scan could not audit, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct NotAudited {
    /// The package.
    pub package: PackageId,
    /// Why: `no version`, `no version order for ecosystem X`, `no database coverage for X`,
    /// `unparseable version V: …`, `local package, not in any advisory database (file:…)`,
    /// `git or URL source, not in any advisory database (…)`, …
    pub reason: String,
}

impl NotAudited {
    /// Reason prefix of a version the ecosystem's version order cannot parse.
    pub const UNPARSEABLE_VERSION: &'static str = "unparseable version";
    /// Reason prefix of a package from the project itself or a local path (`file:`, `link:`,
    /// `workspace:`, `portal:`, a relative or absolute path): no advisory database lists it.
    pub const LOCAL_PACKAGE: &'static str = "local package, not in any advisory database";
    /// Reason prefix of a package installed from a git repository or a URL (its version is a
    /// commit or a URL, which no advisory range can order).
    pub const GIT_OR_URL: &'static str = "git or URL source, not in any advisory database";

    /// Reason prefixes that carry per-package detail after them; summaries group by the prefix.
    pub const GROUPED_PREFIXES: &'static [&'static str] = &[
        Self::UNPARSEABLE_VERSION,
        Self::LOCAL_PACKAGE,
        Self::GIT_OR_URL,
    ];

    /// The reason's group for summaries: the prefix of the per-package reasons above, else the
    /// whole reason (`no version`, `no database coverage for npm`).
    pub fn group(&self) -> &str {
        Self::GROUPED_PREFIXES
            .iter()
            .find(|p| self.reason.starts_with(**p))
            .copied()
            .unwrap_or(self.reason.as_str())
    }
}

/// What kind of non-registry package a version string or source spec names, if any:
/// [`NotAudited::LOCAL_PACKAGE`] for `file:`, `link:`, `workspace:`, `portal:`, `path:` and
/// paths (`./x`, `../x`, `/x`, `~/x`); [`NotAudited::GIT_OR_URL`] for `git+…`, `git:`,
/// `github:`/`gitlab:`/`bitbucket:` shorthands and `http(s):` URLs. `None` for anything else
/// (a registry version).
pub fn non_registry_kind(spec: &str) -> Option<&'static str> {
    let s = spec.trim();
    let lower = s.get(..s.len().min(12)).unwrap_or(s).to_ascii_lowercase();
    const LOCAL: &[&str] = &[
        "file:",
        "link:",
        "workspace:",
        "portal:",
        "path:",
        "./",
        "../",
        "/",
        "~/",
    ];
    const REMOTE: &[&str] = &[
        "git+",
        "git:",
        "git@",
        "github:",
        "gitlab:",
        "bitbucket:",
        "http://",
        "https://",
    ];
    if LOCAL.iter().any(|p| lower.starts_with(p)) {
        Some(NotAudited::LOCAL_PACKAGE)
    } else if REMOTE.iter().any(|p| lower.starts_with(p)) {
        Some(NotAudited::GIT_OR_URL)
    } else {
        None
    }
}

/// Facts about the vulnerability database a scan used.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DatabaseInfo {
    /// Where it was read from.
    pub path: String,
    /// When it was built (seconds since the Unix epoch).
    pub built_unix: u64,
    /// Its age when the scan ran, in seconds.
    pub age_secs: u64,
    /// Number of advisory records.
    pub records: usize,
    /// The sources it was built from (paths or URLs) with their ecosystems.
    pub sources: Vec<String>,
    /// The OSV ecosystems it covers (`PyPI`, `Go`, `crates.io`, `Debian:12`, …).
    pub ecosystems: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_registry_specs() {
        for local in [
            "file:../lib",
            "link:packages/a",
            "workspace:*",
            "workspace:^1.0.0",
            "portal:../p",
            "FILE:x.tgz",
            "./vendor/x",
            "../x",
            "/abs/x",
        ] {
            assert_eq!(
                non_registry_kind(local),
                Some(NotAudited::LOCAL_PACKAGE),
                "{local}"
            );
        }
        for remote in [
            "git+https://github.com/a/b.git#abc",
            "github:a/b#1234567",
            "https://example.com/x-1.0.0.tgz",
            "git@github.com:a/b.git",
        ] {
            assert_eq!(
                non_registry_kind(remote),
                Some(NotAudited::GIT_OR_URL),
                "{remote}"
            );
        }
        for registry in [
            "1.2.3",
            "^1.0",
            "0.0.0-use.local",
            "v2.0.0+incompatible",
            "",
        ] {
            assert_eq!(non_registry_kind(registry), None, "{registry}");
        }
    }

    #[test]
    fn groups() {
        let mut inv = crate::Inventory::new(crate::SourceInfo::default());
        let package = inv.add_package(crate::Package::new(crate::Ecosystem::Npm, "a", Some("1")));
        let na = |reason: &str| NotAudited {
            package,
            reason: reason.to_owned(),
        };
        assert_eq!(
            na("local package, not in any advisory database (link:../a)").group(),
            NotAudited::LOCAL_PACKAGE
        );
        assert_eq!(
            na("unparseable version x.y: bad").group(),
            NotAudited::UNPARSEABLE_VERSION
        );
        assert_eq!(
            na("no database coverage for npm").group(),
            "no database coverage for npm"
        );
    }
}
