//! Go module versions, ordered like `golang.org/x/mod/semver`.
//!
//! Go versions are SemVer with a `v` prefix, where `vMAJOR` and
//! `vMAJOR.MINOR` (without suffixes) are shorthands for `vMAJOR.0.0` and
//! `vMAJOR.MINOR.0`. `+incompatible` marks a v2+ module without a `go.mod`;
//! it is build metadata and so does not affect ordering. Pseudo-versions
//! (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.2019…-abc…`,
//! `v1.2.3-pre.0.2019…-abc…`) are ordinary prereleases and sort by SemVer
//! precedence, which is how the go command orders them.

use std::fmt;
use std::str::FromStr;

use crate::Scheme;
use crate::error::VersionError;
use crate::num::Number;
use crate::semver::{Grammar, Identifier, SemverVersion, parse_core};

const GO: Grammar = Grammar {
    scheme: Scheme::Go,
    leading_zeros: false,
    short: true,
    short_with_suffix: false,
    bare_prerelease: false,
};

/// A Go module version.
///
/// Parsing follows `golang.org/x/mod/semver` exactly, except that the `v`
/// prefix is optional because OSV records Go versions without it (`1.2.3`,
/// and `0` for "all versions"). Ordering is SemVer precedence (build metadata,
/// including `+incompatible`, ignored). `Display` prints the full form with
/// `v`, missing minor/patch filled in and build metadata kept
/// (`v2.0.0+incompatible`); [`GoVersion::canonical`] gives Go's `Canonical`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GoVersion(SemverVersion);

/// The parts of a Go pseudo-version (`module.IsPseudoVersion`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PseudoVersion<'a> {
    /// The commit time, `yyyymmddhhmmss` (UTC).
    pub timestamp: &'a str,
    /// The abbreviated commit hash.
    pub revision: &'a str,
}

impl GoVersion {
    /// Parses a Go module version (the `v` prefix is optional).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let start = usize::from(s.starts_with('v'));
        parse_core(s, start, GO).map(GoVersion)
    }

    /// The SemVer view of this version.
    pub fn as_semver(&self) -> &SemverVersion {
        &self.0
    }

    /// Whether the build metadata is `+incompatible`.
    pub fn is_incompatible(&self) -> bool {
        matches!(self.0.build(), [b] if &**b == "incompatible")
    }

    /// Go's `semver.Canonical`: `vMAJOR.MINOR.PATCH[-PRE]`, build dropped.
    pub fn canonical(&self) -> String {
        let v = &self.0;
        let mut out = format!("v{}.{}.{}", v.major(), v.minor(), v.patch());
        for (i, id) in v.pre().iter().enumerate() {
            out.push(if i == 0 { '-' } else { '.' });
            out.push_str(&id.to_string());
        }
        out
    }

    /// The timestamp and revision when this is a pseudo-version, following
    /// the pattern of `golang.org/x/mod/module.IsPseudoVersion`:
    /// `vX.0.0-TIME-REV`, `vX.Y.Z-0.TIME-REV` or `vX.Y.Z-PRE.0.TIME-REV`.
    pub fn pseudo(&self) -> Option<PseudoVersion<'_>> {
        let pre = self.0.pre();
        let Some(Identifier::AlphaNumeric(last)) = pre.last() else {
            return None;
        };
        let (timestamp, revision) = last.split_once('-')?;
        let timestamp_ok = timestamp.len() == 14 && timestamp.bytes().all(|b| b.is_ascii_digit());
        let revision_ok =
            !revision.is_empty() && revision.bytes().all(|b| b.is_ascii_alphanumeric());
        if !timestamp_ok || !revision_ok {
            return None;
        }
        let zero_base = pre.len() == 1 && self.0.minor().is_zero() && self.0.patch().is_zero();
        let derived = pre.len() >= 2 && pre[pre.len() - 2] == Identifier::Numeric(Number::ZERO);
        (zero_base || derived).then_some(PseudoVersion {
            timestamp,
            revision,
        })
    }
}

impl FromStr for GoVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for GoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}
