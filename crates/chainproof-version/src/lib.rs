//! Version schemes: parsing, normalization and ordering of package versions
//! for each ecosystem, written in-house so that leniency is under our control.
//!
//! | [`Scheme`] | type | used by | reference it matches |
//! |---|---|---|---|
//! | [`Scheme::Semver`] | [`SemverVersion`] | crates.io, npm, Hex, SwiftURL, Bitnami | semver.org §11; node `semver` |
//! | [`Scheme::Go`] | [`GoVersion`] | Go modules | `golang.org/x/mod/semver` |
//! | [`Scheme::Pep440`] | [`Pep440Version`] | PyPI | Python `packaging.version` |
//! | [`Scheme::Dpkg`] | [`DpkgVersion`] | Debian, Ubuntu | `dpkg --compare-versions` |
//! | [`Scheme::Rpm`] | [`RpmVersion`] | Red Hat, AlmaLinux, Rocky Linux, openSUSE, SUSE, Mageia, Photon OS, Azure Linux, openEuler | rpm's `rpmverCmp` (`rpm.vercmp`) |
//! | [`Scheme::Apk`] | [`ApkVersion`] | Alpine, Wolfi, Chainguard, Alpaquita, BellSoft Hardened Containers, MinimOS | apk-tools `apk_version_compare` |
//! | [`Scheme::Maven`] | [`MavenVersion`] | Maven | maven-artifact 3.8.7 `ComparableVersion` |
//! | [`Scheme::RubyGems`] | [`RubyGemsVersion`] | RubyGems | `Gem::Version` |
//! | [`Scheme::Composer`] | [`ComposerVersion`] | Packagist | composer/semver `VersionParser::normalize` + PHP `version_compare` |
//! | [`Scheme::NuGet`] | [`NuGetVersion`] | NuGet | `NuGet.Versioning` (`NuGetVersion`, default `VersionComparer`) |
//! | [`Scheme::Pub`] | [`PubVersion`] | Pub | Dart `pub_semver` |
//! | [`Scheme::Cran`] | [`CranVersion`] | CRAN | R `package_version` |
//! | [`Scheme::Hackage`] | [`HackageVersion`] | Hackage, GHC | Cabal `Distribution.Types.Version` |
//!
//! Hex (Elixir `Version`), SwiftURL (SwiftPM) and Bitnami (whose records use
//! `SEMVER` ranges) order by SemVer precedence, so they share [`Scheme::Semver`].
//! The differential fixtures in `tests/data` check each scheme against its
//! reference where one runs on Linux (all but NuGet, Pub and Hackage, which
//! are checked against their upstream test vectors).
//!
//! Every version type implements [`Ord`], [`FromStr`](std::str::FromStr) and
//! [`Display`](std::fmt::Display) (the normalized form; the distro schemes,
//! which have none, print the version as written); equality and hashing
//! agree with the order (`1.0 == 1.0.0` in PEP 440, build metadata ignored in
//! SemVer). Numbers of any size compare correctly, except where the reference
//! itself bounds them (NuGet, CRAN and Hackage reject numbers above
//! `2^31 - 1` or nine digits, Pub above `2^63 - 1`, Composer saturates at
//! `2^63 - 1` like PHP). Parsing never panics; an empty string is never a
//! version (Maven and RubyGems would read it as `0`).
//!
//! Maven's `ComparableVersion` is not a total order for some odd strings
//! (`0 < sp < 0milestone < 0` in the reference too); [`MavenVersion`] keeps
//! that, so do not sort sets that may contain such strings with a sort that
//! requires a total order.
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
//! assert_eq!(compare(Scheme::Maven, "1.0-SNAPSHOT", "1.0")?, Ordering::Less);
//! assert_eq!(compare(Scheme::Maven, "1.0.0.RELEASE", "1")?, Ordering::Equal);
//! assert_eq!(compare(Scheme::RubyGems, "1.0.0.rc1", "1.0.0")?, Ordering::Less);
//! assert_eq!(compare(Scheme::Composer, "v2.1.0-beta2", "2.1.0.0-RC1")?, Ordering::Less);
//! assert_eq!(compare(Scheme::NuGet, "1.0.0-BETA", "1.0.0-beta+build")?, Ordering::Equal);
//! assert_eq!(compare(Scheme::Pub, "1.0.0", "1.0.0+1")?, Ordering::Less);
//! assert_eq!(compare(Scheme::Cran, "1.0-0", "1.0")?, Ordering::Equal);
//! assert_eq!(compare(Scheme::Hackage, "1.0", "1")?, Ordering::Greater);
//! assert_eq!(Scheme::for_osv_ecosystem("Packagist"), Some(Scheme::Composer));
//!
//! let v: Pep440Version = "1.0-Preview_2".parse()?;
//! assert_eq!(v.to_string(), "1.0rc2");
//! assert!(compare(Scheme::Pep440, "not a version", "1.0").is_err());
//! # Ok::<(), chainproof_version::VersionError>(())
//! ```
#![forbid(unsafe_code)]

mod apk;
mod composer;
mod cran;
mod dpkg;
mod error;
mod go;
mod hackage;
mod maven;
mod nuget;
mod num;
mod pep440;
mod pub_semver;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

pub use apk::ApkVersion;
pub use composer::ComposerVersion;
pub use cran::CranVersion;
pub use dpkg::DpkgVersion;
pub use error::{ErrorReason, VersionError};
pub use go::{GoVersion, PseudoVersion};
pub use hackage::HackageVersion;
pub use maven::MavenVersion;
pub use nuget::NuGetVersion;
pub use num::Number;
pub use pep440::{LocalSegment, Pep440Version, PreKind};
pub use pub_semver::PubVersion;
pub use rpm::RpmVersion;
pub use rubygems::RubyGemsVersion;
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
    /// Maven `ComparableVersion` ([`MavenVersion`]).
    Maven,
    /// RubyGems `Gem::Version` ([`RubyGemsVersion`]).
    RubyGems,
    /// Composer (Packagist) ([`ComposerVersion`]).
    Composer,
    /// NuGet `NuGet.Versioning` ([`NuGetVersion`]).
    NuGet,
    /// Pub `pub_semver` ([`PubVersion`]).
    Pub,
    /// CRAN `package_version` ([`CranVersion`]).
    Cran,
    /// Hackage (Cabal `Version`) ([`HackageVersion`]).
    Hackage,
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
        Scheme::Maven,
        Scheme::RubyGems,
        Scheme::Composer,
        Scheme::NuGet,
        Scheme::Pub,
        Scheme::Cran,
        Scheme::Hackage,
    ];

    /// The stable lowercase name (`semver`, `go`, `pep440`, `maven`,
    /// `rubygems`, `composer`, `nuget`, `pub`, `cran`, `hackage`).
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Semver => "semver",
            Scheme::Go => "go",
            Scheme::Pep440 => "pep440",
            Scheme::Dpkg => "dpkg",
            Scheme::Rpm => "rpm",
            Scheme::Apk => "apk",
            Scheme::Maven => "maven",
            Scheme::RubyGems => "rubygems",
            Scheme::Composer => "composer",
            Scheme::NuGet => "nuget",
            Scheme::Pub => "pub",
            Scheme::Cran => "cran",
            Scheme::Hackage => "hackage",
        }
    }

    /// The scheme of an OSV `affected[].package.ecosystem` value, if known.
    pub fn for_osv_ecosystem(ecosystem: &str) -> Option<Scheme> {
        // OSV may suffix an ecosystem with a release (`Debian:11`).
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        match base {
            // Hex (Elixir `Version`), SwiftPM and Bitnami use SemVer precedence.
            "crates.io" | "npm" | "Hex" | "SwiftURL" | "Bitnami" => Some(Scheme::Semver),
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
            "Maven" => Some(Scheme::Maven),
            "RubyGems" => Some(Scheme::RubyGems),
            "Packagist" => Some(Scheme::Composer),
            "NuGet" => Some(Scheme::NuGet),
            "Pub" => Some(Scheme::Pub),
            "CRAN" => Some(Scheme::Cran),
            // GHC releases are dotted numeric versions too.
            "Hackage" | "GHC" => Some(Scheme::Hackage),
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
            Scheme::Maven => Version::Maven(MavenVersion::parse(s)?),
            Scheme::RubyGems => Version::RubyGems(RubyGemsVersion::parse(s)?),
            Scheme::Composer => Version::Composer(ComposerVersion::parse(s)?),
            Scheme::NuGet => Version::NuGet(NuGetVersion::parse(s)?),
            Scheme::Pub => Version::Pub(PubVersion::parse(s)?),
            Scheme::Cran => Version::Cran(CranVersion::parse(s)?),
            Scheme::Hackage => Version::Hackage(HackageVersion::parse(s)?),
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
#[error(
    "unknown version scheme {0:?} (known: semver, go, pep440, dpkg, rpm, apk, maven, rubygems, composer, nuget, pub, cran, hackage)"
)]
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
    /// A Maven version.
    Maven(MavenVersion),
    /// A RubyGems `Gem::Version` version.
    RubyGems(RubyGemsVersion),
    /// A Composer (Packagist) version.
    Composer(ComposerVersion),
    /// A NuGet `NuGet.Versioning` version.
    NuGet(NuGetVersion),
    /// A Pub `pub_semver` version.
    Pub(PubVersion),
    /// A CRAN `package_version` version.
    Cran(CranVersion),
    /// A Hackage (Cabal `Version`) version.
    Hackage(HackageVersion),
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
            Version::Maven(_) => Scheme::Maven,
            Version::RubyGems(_) => Scheme::RubyGems,
            Version::Composer(_) => Scheme::Composer,
            Version::NuGet(_) => Scheme::NuGet,
            Version::Pub(_) => Scheme::Pub,
            Version::Cran(_) => Scheme::Cran,
            Version::Hackage(_) => Scheme::Hackage,
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
            (Version::Maven(a), Version::Maven(b)) => Some(a.cmp(b)),
            (Version::RubyGems(a), Version::RubyGems(b)) => Some(a.cmp(b)),
            (Version::Composer(a), Version::Composer(b)) => Some(a.cmp(b)),
            (Version::NuGet(a), Version::NuGet(b)) => Some(a.cmp(b)),
            (Version::Pub(a), Version::Pub(b)) => Some(a.cmp(b)),
            (Version::Cran(a), Version::Cran(b)) => Some(a.cmp(b)),
            (Version::Hackage(a), Version::Hackage(b)) => Some(a.cmp(b)),
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
            Version::Maven(v) => v.hash(state),
            Version::RubyGems(v) => v.hash(state),
            Version::Composer(v) => v.hash(state),
            Version::NuGet(v) => v.hash(state),
            Version::Pub(v) => v.hash(state),
            Version::Cran(v) => v.hash(state),
            Version::Hackage(v) => v.hash(state),
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
            Version::Maven(v) => v.fmt(f),
            Version::RubyGems(v) => v.fmt(f),
            Version::Composer(v) => v.fmt(f),
            Version::NuGet(v) => v.fmt(f),
            Version::Pub(v) => v.fmt(f),
            Version::Cran(v) => v.fmt(f),
            Version::Hackage(v) => v.fmt(f),
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
        Scheme::Maven => MavenVersion::parse(a)?.cmp(&MavenVersion::parse(b)?),
        Scheme::RubyGems => RubyGemsVersion::parse(a)?.cmp(&RubyGemsVersion::parse(b)?),
        Scheme::Composer => ComposerVersion::parse(a)?.cmp(&ComposerVersion::parse(b)?),
        Scheme::NuGet => NuGetVersion::parse(a)?.cmp(&NuGetVersion::parse(b)?),
        Scheme::Pub => PubVersion::parse(a)?.cmp(&PubVersion::parse(b)?),
        Scheme::Cran => CranVersion::parse(a)?.cmp(&CranVersion::parse(b)?),
        Scheme::Hackage => HackageVersion::parse(a)?.cmp(&HackageVersion::parse(b)?),
    })
}
