//! Version schemes: parsing, normalization and ordering of package versions
//! for each ecosystem, written in-house so that leniency is under our control.
//!
//! | [`Scheme`] | type | used by | reference it matches |
//! |---|---|---|---|
//! | [`Scheme::Semver`] | [`SemverVersion`] | crates.io, npm | semver.org §11; node `semver` |
//! | [`Scheme::Go`] | [`GoVersion`] | Go modules | `golang.org/x/mod/semver` |
//! | [`Scheme::Pep440`] | [`Pep440Version`] | PyPI | Python `packaging.version` |
//! | [`Scheme::Dpkg`] | [`DpkgVersion`] | Debian, Ubuntu | `dpkg --compare-versions` |
//! | [`Scheme::Rpm`] | [`RpmVersion`] | Red Hat, AlmaLinux, Rocky Linux, openSUSE, SUSE, Mageia, Photon OS, Azure Linux, openEuler | rpm's `rpmverCmp` (`rpm.vercmp`) |
//! | [`Scheme::Apk`] | [`ApkVersion`] | Alpine, Wolfi, Chainguard, Alpaquita, BellSoft Hardened Containers, MinimOS | apk-tools `apk_version_compare` |
//!
//! Every version type implements [`Ord`], [`FromStr`](std::str::FromStr) and
//! [`Display`](std::fmt::Display) (the normalized form; the distro schemes,
//! which have none, print the version as written); equality and hashing
//! agree with the order (`1.0 == 1.0.0` in PEP 440, build metadata ignored in
//! SemVer). Numbers of any size compare correctly. Parsing never panics.
//!
//! ```
//! use std::cmp::Ordering;
//! use chainproof_version::{compare, Pep440Version, Scheme};
//!
//! assert_eq!(compare(Scheme::Pep440, "1.0.dev0", "1.0a1")?, Ordering::Less);
//! assert_eq!(compare(Scheme::Semver, "1.0.0-alpha.1", "1.0.0-alpha.beta")?, Ordering::Less);
//! assert_eq!(compare(Scheme::Go, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.1")?, Ordering::Less);
//! assert_eq!(compare(Scheme::Dpkg, "1:1.0~rc1-1", "1:1.0-1")?, Ordering::Less);
//! assert_eq!(compare(Scheme::Rpm, "1.0^git1-2.el9", "1.0.1-1.el9")?, Ordering::Less);
//! assert_eq!(compare(Scheme::Apk, "1.2_rc1-r0", "1.2-r0")?, Ordering::Less);
//!
//! let v: Pep440Version = "1.0-Preview_2".parse()?;
//! assert_eq!(v.to_string(), "1.0rc2");
//! assert!(compare(Scheme::Pep440, "not a version", "1.0").is_err());
//! # Ok::<(), chainproof_version::VersionError>(())
//! ```
#![forbid(unsafe_code)]

mod apk;
mod dpkg;
mod error;
mod go;
mod num;
mod pep440;
mod rpm;
mod semver;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

pub use apk::ApkVersion;
pub use dpkg::DpkgVersion;
pub use error::{ErrorReason, VersionError};
pub use go::{GoVersion, PseudoVersion};
pub use num::Number;
pub use pep440::{LocalSegment, Pep440Version, PreKind};
pub use rpm::RpmVersion;
pub use semver::{Identifier, SemverVersion};

/// A version scheme: how one ecosystem writes and orders versions.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// SemVer 2.0.0 with the lenient parse of [`SemverVersion::parse_lenient`].
    Semver,
    /// Go module versions ([`GoVersion`]).
    Go,
    /// PEP 440 ([`Pep440Version`]).
    Pep440,
    /// Debian package versions ([`DpkgVersion`]).
    Dpkg,
    /// RPM EVRs ([`RpmVersion`]).
    Rpm,
    /// Alpine package versions ([`ApkVersion`]).
    Apk,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: &'static [Scheme] = &[
        Scheme::Semver,
        Scheme::Go,
        Scheme::Pep440,
        Scheme::Dpkg,
        Scheme::Rpm,
        Scheme::Apk,
    ];

    /// The stable lowercase name (`semver`, `go`, `pep440`).
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Semver => "semver",
            Scheme::Go => "go",
            Scheme::Pep440 => "pep440",
            Scheme::Dpkg => "dpkg",
            Scheme::Rpm => "rpm",
            Scheme::Apk => "apk",
        }
    }

    /// The scheme of an OSV `affected[].package.ecosystem` value, if known.
    pub fn for_osv_ecosystem(ecosystem: &str) -> Option<Scheme> {
        // OSV may suffix an ecosystem with a release (`Debian:11`).
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        match base {
            "crates.io" | "npm" => Some(Scheme::Semver),
            "Go" => Some(Scheme::Go),
            "PyPI" => Some(Scheme::Pep440),
            "Debian" | "Ubuntu" => Some(Scheme::Dpkg),
            "Red Hat" | "AlmaLinux" | "Rocky Linux" | "openSUSE" | "SUSE" | "Mageia"
            | "Photon OS" | "Azure Linux" | "openEuler" => Some(Scheme::Rpm),
            "Alpine"
            | "Wolfi"
            | "Chainguard"
            | "Alpaquita"
            | "BellSoft Hardened Containers"
            | "MinimOS" => Some(Scheme::Apk),
            _ => None,
        }
    }

    /// Parses `s` as a version of this scheme.
    pub fn parse(self, s: &str) -> Result<Version, VersionError> {
        Ok(match self {
            Scheme::Semver => Version::Semver(SemverVersion::parse_lenient(s)?),
            Scheme::Go => Version::Go(GoVersion::parse(s)?),
            Scheme::Pep440 => Version::Pep440(Pep440Version::parse(s)?),
            Scheme::Dpkg => Version::Dpkg(DpkgVersion::parse(s)?),
            Scheme::Rpm => Version::Rpm(RpmVersion::parse(s)?),
            Scheme::Apk => Version::Apk(ApkVersion::parse(s)?),
        })
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for an unknown scheme name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown version scheme {0:?} (known: semver, go, pep440, dpkg, rpm, apk)")]
pub struct UnknownScheme(pub String);

impl FromStr for Scheme {
    type Err = UnknownScheme;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .iter()
            .copied()
            .find(|scheme| scheme.name() == s)
            .ok_or_else(|| UnknownScheme(s.to_owned()))
    }
}

/// A parsed version of any scheme.
///
/// Versions of the same scheme are ordered; versions of different schemes
/// are not comparable (`partial_cmp` gives `None`, `==` gives `false`).
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum Version {
    /// A SemVer version.
    Semver(SemverVersion),
    /// A Go module version.
    Go(GoVersion),
    /// A PEP 440 version.
    Pep440(Pep440Version),
    /// A Debian package version.
    Dpkg(DpkgVersion),
    /// An RPM EVR.
    Rpm(RpmVersion),
    /// An Alpine package version.
    Apk(ApkVersion),
}

impl Version {
    /// The scheme this version belongs to.
    pub fn scheme(&self) -> Scheme {
        match self {
            Version::Semver(_) => Scheme::Semver,
            Version::Go(_) => Scheme::Go,
            Version::Pep440(_) => Scheme::Pep440,
            Version::Dpkg(_) => Scheme::Dpkg,
            Version::Rpm(_) => Scheme::Rpm,
            Version::Apk(_) => Scheme::Apk,
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Version::Semver(a), Version::Semver(b)) => Some(a.cmp(b)),
            (Version::Go(a), Version::Go(b)) => Some(a.cmp(b)),
            (Version::Pep440(a), Version::Pep440(b)) => Some(a.cmp(b)),
            (Version::Dpkg(a), Version::Dpkg(b)) => Some(a.cmp(b)),
            (Version::Rpm(a), Version::Rpm(b)) => Some(a.cmp(b)),
            (Version::Apk(a), Version::Apk(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.scheme().hash(state);
        match self {
            Version::Semver(v) => v.hash(state),
            Version::Go(v) => v.hash(state),
            Version::Pep440(v) => v.hash(state),
            Version::Dpkg(v) => v.hash(state),
            Version::Rpm(v) => v.hash(state),
            Version::Apk(v) => v.hash(state),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Semver(v) => v.fmt(f),
            Version::Go(v) => v.fmt(f),
            Version::Pep440(v) => v.fmt(f),
            Version::Dpkg(v) => v.fmt(f),
            Version::Rpm(v) => v.fmt(f),
            Version::Apk(v) => v.fmt(f),
        }
    }
}

/// Parses `a` and `b` with `scheme` and compares them.
///
/// Fails with the error of the first string that does not parse.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(match scheme {
        Scheme::Semver => SemverVersion::parse_lenient(a)?.cmp(&SemverVersion::parse_lenient(b)?),
        Scheme::Go => GoVersion::parse(a)?.cmp(&GoVersion::parse(b)?),
        Scheme::Pep440 => Pep440Version::parse(a)?.cmp(&Pep440Version::parse(b)?),
        Scheme::Dpkg => DpkgVersion::parse(a)?.cmp(&DpkgVersion::parse(b)?),
        Scheme::Rpm => RpmVersion::parse(a)?.cmp(&RpmVersion::parse(b)?),
        Scheme::Apk => ApkVersion::parse(a)?.cmp(&ApkVersion::parse(b)?),
    })
}
