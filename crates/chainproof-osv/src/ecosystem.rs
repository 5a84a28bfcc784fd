//! From an inventory package to what OSV calls it: base ecosystem, distro release, and the
//! name normalized the way the ecosystem compares names. The database index uses the same
//! normalization, so a lookup is one binary search.

use chainproof_core::{Ecosystem, Package};

/// The name as an ecosystem compares it: PEP 503 for PyPI (`Foo_Bar.baz` → `foo-bar-baz`),
/// lower case for the case-insensitive registries (NuGet, Packagist, crates.io, npm, Pub,
/// Hex, Hackage), unchanged elsewhere (Maven `group:artifact`, Go module paths, RubyGems,
/// distro packages).
pub fn normalize_name(base_ecosystem: &str, name: &str) -> String {
    let name = name.trim();
    match base_ecosystem {
        "PyPI" => {
            let mut out = String::with_capacity(name.len());
            let mut sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    sep = true;
                } else {
                    if sep && !out.is_empty() {
                        out.push('-');
                    }
                    sep = false;
                    out.extend(c.to_lowercase());
                }
            }
            out
        }
        "NuGet" | "Packagist" | "crates.io" | "npm" | "Pub" | "Hex" | "Hackage" | "GHC" => {
            name.to_lowercase()
        }
        _ => name.to_owned(),
    }
}

/// Normalizes a distro release for comparison: Debian/Red Hat-like → major (`12.5` → `12`),
/// Alpine → `major.minor` (`v3.20.3` → `3.20`), Ubuntu → `YY.MM`, others lower-cased as given.
pub fn normalize_release(base_ecosystem: &str, release: &str) -> String {
    let r = release
        .trim()
        .trim_start_matches(['v', 'V'])
        .to_ascii_lowercase();
    let take = |n: usize| r.split('.').take(n).collect::<Vec<_>>().join(".");
    match base_ecosystem {
        "Debian" | "Red Hat" | "AlmaLinux" | "Rocky Linux" | "Mageia" => take(1),
        "Alpine" | "Ubuntu" => take(2),
        _ => r,
    }
}

/// Whether OSV records for this base ecosystem are split per distribution release.
pub fn has_releases(base_ecosystem: &str) -> bool {
    matches!(
        base_ecosystem,
        "Debian"
            | "Ubuntu"
            | "Alpine"
            | "Red Hat"
            | "AlmaLinux"
            | "Rocky Linux"
            | "Mageia"
            | "openSUSE"
            | "SUSE"
            | "Photon OS"
            | "openEuler"
    )
}

/// A package as OSV names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OsvPackage {
    /// Base OSV ecosystem (`PyPI`, `Debian`, `Maven`).
    pub ecosystem: String,
    /// Distro release (normalized), for distro ecosystems.
    pub release: Option<String>,
    /// The name normalized by [`normalize_name`].
    pub name: String,
    /// The version to compare (for distro packages, the source package's version when known).
    pub version: Option<String>,
}

/// Distro purl namespaces → OSV base ecosystem.
fn distro_ecosystem(ty: &str, namespace: Option<&str>) -> Option<&'static str> {
    let ns = namespace.unwrap_or("").to_ascii_lowercase();
    Some(match (ty, ns.as_str()) {
        ("deb", "ubuntu") => "Ubuntu",
        ("deb", _) => "Debian",
        ("apk", "wolfi") => "Wolfi",
        ("apk", "chainguard") => "Chainguard",
        ("apk", "minimos") => "MinimOS",
        ("apk", _) => "Alpine",
        ("rpm", "redhat" | "rhel") => "Red Hat",
        ("rpm", "almalinux") => "AlmaLinux",
        ("rpm", "rocky" | "rockylinux") => "Rocky Linux",
        ("rpm", "opensuse") => "openSUSE",
        ("rpm", "suse" | "sles") => "SUSE",
        ("rpm", "mageia") => "Mageia",
        ("rpm", "photon") => "Photon OS",
        ("rpm", "openeuler") => "openEuler",
        ("rpm", _) => "Red Hat",
        _ => return None,
    })
}

/// Package properties that name the source package of a binary distro package.
const SOURCE_PROPERTIES: &[&str] = &[
    "chainproof:source-package",
    "chainproof:deb:source",
    "chainproof:dpkg:source",
    "chainproof:apk:origin",
    "chainproof:rpm:source",
    "chainproof:rpm:sourcerpm",
];

/// Maps an inventory package to its OSV identity.
pub fn osv_package(pkg: &Package) -> OsvPackage {
    let version = pkg.version.clone().filter(|v| !v.trim().is_empty());
    let Some(purl) = &pkg.purl else {
        let eco = match &pkg.ecosystem {
            Ecosystem::Rpm => "Red Hat".to_owned(),
            e => e.as_str().to_owned(),
        };
        let name = normalize_name(&eco, &pkg.name);
        return OsvPackage {
            ecosystem: eco,
            release: None,
            name,
            version,
        };
    };
    let ty = purl.ty();
    let ns = purl.namespace();
    if let Some(eco) = distro_ecosystem(ty, ns) {
        let mut name = purl.name().to_owned();
        let mut version = version.or_else(|| purl.version().map(str::to_owned));
        let upstream = purl.qualifier("upstream").or_else(|| {
            SOURCE_PROPERTIES
                .iter()
                .find_map(|k| pkg.properties.get(*k).map(String::as_str))
        });
        if let Some(up) = upstream.filter(|u| !u.trim().is_empty()) {
            // `openssl`, `openssl@1.1.1n-0`, or an rpm `openssl-3.0.7-1.el9.src.rpm`.
            let up = up.trim();
            match up.split_once('@') {
                Some((n, v)) => {
                    name = n.trim().to_owned();
                    if !v.trim().is_empty() {
                        version = Some(v.trim().to_owned());
                    }
                }
                None if up.ends_with(".src.rpm") => {
                    name = rpm_source_name(up).unwrap_or(&name).to_owned();
                }
                None => name = up.to_owned(),
            }
        }
        let release = purl.qualifier("distro").and_then(|d| {
            // `debian-12`, `ubuntu-22.04`, `alpine-3.20.3`, `rhel-9.3`, or just `12`.
            let rel = d.rsplit_once('-').map_or(d, |(_, r)| r);
            let rel = rel.trim();
            (!rel.is_empty()).then(|| normalize_release(eco, rel))
        });
        return OsvPackage {
            ecosystem: eco.to_owned(),
            release,
            name: normalize_name(eco, &name),
            version,
        };
    }
    let eco = Ecosystem::from_purl_type(ty);
    let eco = eco.as_str().to_owned();
    let name = match (ty, ns) {
        ("maven", Some(ns)) => format!("{ns}:{}", purl.name()),
        (_, Some(ns)) if !ns.is_empty() => format!("{ns}/{}", purl.name()),
        _ => purl.name().to_owned(),
    };
    let version = version.or_else(|| purl.version().map(str::to_owned));
    OsvPackage {
        name: normalize_name(&eco, &name),
        ecosystem: eco,
        release: None,
        version,
    }
}

/// `openssl-3.0.7-1.el9.src.rpm` → `openssl` (name is everything before the last two `-`).
fn rpm_source_name(srpm: &str) -> Option<&str> {
    let stem = srpm.strip_suffix(".src.rpm")?;
    let (rest, _release) = stem.rsplit_once('-')?;
    let (name, _version) = rest.rsplit_once('-')?;
    (!name.is_empty()).then_some(name)
}

/// The inventory ecosystem of an OSV base ecosystem (`PyPI` → [`Ecosystem::PyPI`]; unknown
/// ones become [`Ecosystem::Other`] with the OSV name, which [`osv_package`] maps back).
pub fn core_ecosystem(base: &str) -> Ecosystem {
    Ecosystem::KNOWN
        .iter()
        .find(|e| e.as_str() == base)
        .cloned()
        .unwrap_or_else(|| Ecosystem::Other(base.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainproof_purl::Purl;

    #[test]
    fn names() {
        assert_eq!(normalize_name("PyPI", "Foo__Bar.baz"), "foo-bar-baz");
        assert_eq!(normalize_name("PyPI", "zope.interface"), "zope-interface");
        assert_eq!(
            normalize_name("NuGet", "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(normalize_name("Maven", "org.Apache:X"), "org.Apache:X");
    }

    #[test]
    fn purls() {
        let p = Purl::parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1").expect("purl");
        let pkg = Package::new(Ecosystem::Maven, "log4j-core", Some("2.14.1")).with_purl(p);
        let o = osv_package(&pkg);
        assert_eq!(
            (o.ecosystem.as_str(), o.name.as_str()),
            ("Maven", "org.apache.logging.log4j:log4j-core")
        );

        let p = Purl::parse("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5&upstream=openssl")
            .expect("purl");
        let pkg = Package::new(Ecosystem::Debian, "libssl3", Some("3.0.11-1~deb12u2")).with_purl(p);
        let o = osv_package(&pkg);
        assert_eq!(o.ecosystem, "Debian");
        assert_eq!(o.release.as_deref(), Some("12"));
        assert_eq!(o.name, "openssl");
        assert_eq!(o.version.as_deref(), Some("3.0.11-1~deb12u2"));

        let p = Purl::parse(
            "pkg:apk/alpine/libcrypto3@3.1.4-r5?distro=alpine-3.20.3&upstream=openssl%403.1.4-r5",
        )
        .expect("purl");
        let o = osv_package(
            &Package::new(Ecosystem::Alpine, "libcrypto3", Some("3.1.4-r5")).with_purl(p),
        );
        assert_eq!(
            (o.ecosystem.as_str(), o.release.as_deref(), o.name.as_str()),
            ("Alpine", Some("3.20"), "openssl")
        );

        let p = Purl::parse("pkg:golang/github.com/gin-gonic/gin@v1.9.0").expect("purl");
        let o = osv_package(
            &Package::new(Ecosystem::Go, "github.com/gin-gonic/gin", Some("v1.9.0")).with_purl(p),
        );
        assert_eq!(o.name, "github.com/gin-gonic/gin");
        assert_eq!(
            rpm_source_name("openssl-3.0.7-1.el9.src.rpm"),
            Some("openssl")
        );
    }
}
