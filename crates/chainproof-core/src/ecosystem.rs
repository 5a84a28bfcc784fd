use std::fmt;
use std::str::FromStr;

/// A package ecosystem. Names follow the OSV schema's ecosystem strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    CratesIo,
    Npm,
    PyPI,
    Go,
    Maven,
    RubyGems,
    Packagist,
    NuGet,
    Pub,
    Hex,
    SwiftURL,
    CocoaPods,
    Conan,
    Cran,
    Hackage,
    Julia,
    GitHubActions,
    Docker,
    Debian,
    Alpine,
    Rpm,
    /// An ecosystem we do not model yet, by its name.
    Other(String),
}

impl Ecosystem {
    /// Every named ecosystem (all but [`Ecosystem::Other`]).
    pub const KNOWN: &'static [Ecosystem] = &[
        Ecosystem::CratesIo,
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::Maven,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::NuGet,
        Ecosystem::Pub,
        Ecosystem::Hex,
        Ecosystem::SwiftURL,
        Ecosystem::CocoaPods,
        Ecosystem::Conan,
        Ecosystem::Cran,
        Ecosystem::Hackage,
        Ecosystem::Julia,
        Ecosystem::GitHubActions,
        Ecosystem::Docker,
        Ecosystem::Debian,
        Ecosystem::Alpine,
        Ecosystem::Rpm,
    ];

    /// The OSV ecosystem name (`crates.io`, `npm`, `PyPI`, `Go`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hex => "Hex",
            Ecosystem::SwiftURL => "SwiftURL",
            Ecosystem::CocoaPods => "CocoaPods",
            Ecosystem::Conan => "ConanCenter",
            Ecosystem::Cran => "CRAN",
            Ecosystem::Hackage => "Hackage",
            Ecosystem::Julia => "Julia",
            Ecosystem::GitHubActions => "GitHub Actions",
            Ecosystem::Docker => "Docker",
            Ecosystem::Debian => "Debian",
            Ecosystem::Alpine => "Alpine",
            Ecosystem::Rpm => "RPM",
            Ecosystem::Other(s) => s,
        }
    }

    /// The ecosystem a purl type belongs to.
    pub fn from_purl_type(ty: &str) -> Ecosystem {
        match ty {
            "cargo" => Ecosystem::CratesIo,
            "npm" => Ecosystem::Npm,
            "pypi" => Ecosystem::PyPI,
            "golang" => Ecosystem::Go,
            "maven" => Ecosystem::Maven,
            "gem" => Ecosystem::RubyGems,
            "composer" => Ecosystem::Packagist,
            "nuget" => Ecosystem::NuGet,
            "pub" => Ecosystem::Pub,
            "hex" => Ecosystem::Hex,
            "swift" => Ecosystem::SwiftURL,
            "cocoapods" => Ecosystem::CocoaPods,
            "conan" => Ecosystem::Conan,
            "cran" => Ecosystem::Cran,
            "hackage" => Ecosystem::Hackage,
            "julia" => Ecosystem::Julia,
            "githubactions" => Ecosystem::GitHubActions,
            "docker" | "oci" => Ecosystem::Docker,
            "deb" => Ecosystem::Debian,
            "apk" => Ecosystem::Alpine,
            "rpm" => Ecosystem::Rpm,
            // OSV spells it `Bitnami`; it has no variant of its own.
            "bitnami" => Ecosystem::Other("Bitnami".to_string()),
            other => Ecosystem::Other(other.to_string()),
        }
    }

    /// The purl type of this ecosystem, if the purl spec defines one.
    pub fn purl_type(&self) -> Option<&'static str> {
        Some(match self {
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Go => "golang",
            Ecosystem::Maven => "maven",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::NuGet => "nuget",
            Ecosystem::Pub => "pub",
            Ecosystem::Hex => "hex",
            Ecosystem::SwiftURL => "swift",
            Ecosystem::CocoaPods => "cocoapods",
            Ecosystem::Conan => "conan",
            Ecosystem::Cran => "cran",
            Ecosystem::Hackage => "hackage",
            Ecosystem::Julia => "julia",
            Ecosystem::GitHubActions => "githubactions",
            Ecosystem::Docker => "docker",
            Ecosystem::Debian => "deb",
            Ecosystem::Alpine => "apk",
            Ecosystem::Rpm => "rpm",
            Ecosystem::Other(_) => return None,
        })
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Ecosystem {
    type Err = std::convert::Infallible;
    /// Accepts OSV names (case-insensitively) and purl types.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(e) = Ecosystem::KNOWN
            .iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(s))
        {
            return Ok(e.clone());
        }
        Ok(Ecosystem::from_purl_type(&s.to_ascii_lowercase()))
    }
}
