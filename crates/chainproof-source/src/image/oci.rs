//! The OCI value types shared by the image readers ([`crate::image`]) and the registry
//! client ([`crate::registry`]): content [`Digest`]s and [`Platform`]s. One definition
//! each; `registry::{Digest, Platform}` are these same types.

use std::fmt;
use std::str::FromStr;

use aws_lc_rs::digest;

/// The digest algorithms the OCI image spec registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    /// The name used in digests and in the `blobs/<alg>/` directory of a layout.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }

    pub(crate) fn ring(self) -> &'static digest::Algorithm {
        match self {
            Algorithm::Sha256 => &digest::SHA256,
            Algorithm::Sha512 => &digest::SHA512,
        }
    }
}

/// A content digest as the OCI spec writes it, `algorithm:hex` (lowercase hex).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest {
    algorithm: Algorithm,
    /// `algorithm:hex`.
    text: String,
}

/// Why a string is not a [`Digest`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid digest `{digest}`: {reason}")]
pub struct DigestError {
    /// The input (at most 200 characters of it).
    pub digest: String,
    pub reason: String,
}

impl Digest {
    /// The sha256 digest of `data`.
    pub fn sha256_of(data: &[u8]) -> Digest {
        Digest::of(Algorithm::Sha256, data)
    }

    /// The digest of `data` with `algorithm`.
    pub fn of(algorithm: Algorithm, data: &[u8]) -> Digest {
        Digest::from_raw(algorithm, digest::digest(algorithm.ring(), data).as_ref())
    }

    /// The digest whose raw hash bytes are `hash`.
    pub(crate) fn from_raw(algorithm: Algorithm, hash: &[u8]) -> Digest {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = String::with_capacity(algorithm.name().len() + 1 + hash.len() * 2);
        text.push_str(algorithm.name());
        text.push(':');
        for b in hash {
            text.push(char::from(HEX[usize::from(b >> 4)]));
            text.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        Digest { algorithm, text }
    }

    /// Lenient parse: `sha256:` or `sha512:` and hex of the right length in either case
    /// (folded to lowercase, as docker's `manifest.json` writers vary). `None` otherwise.
    pub fn parse(s: &str) -> Option<Digest> {
        let (alg, hex) = s.split_once(':')?;
        Digest::from_str(&format!("{alg}:{}", hex.to_ascii_lowercase())).ok()
    }

    /// [`parse`](Self::parse), sha256 only (what the image readers can check while
    /// streaming).
    pub fn parse_sha256(s: &str) -> Option<Digest> {
        Digest::parse(s).filter(|d| d.algorithm == Algorithm::Sha256)
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// `algorithm:hex`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The lowercase hex part (the file name in `blobs/<alg>/`).
    pub fn hex(&self) -> &str {
        &self.text[self.algorithm.name().len() + 1..]
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Strict parse: `sha256:` or `sha512:` with lowercase hex of the right length (the OCI
/// spec's grammar for the registered algorithms).
impl FromStr for Digest {
    type Err = DigestError;

    fn from_str(s: &str) -> Result<Digest, DigestError> {
        let bad = |why: &str| DigestError {
            digest: s.chars().take(200).collect(),
            reason: why.to_string(),
        };
        let (alg, hex) = s
            .split_once(':')
            .ok_or_else(|| bad("expected `algorithm:hex`"))?;
        let algorithm = match alg {
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            _ => {
                return Err(bad(
                    "unsupported algorithm (sha256 and sha512 are supported)",
                ));
            }
        };
        if hex.len() != algorithm.hex_len() {
            return Err(bad(&format!(
                "{} digests have {} hex digits, this one has {}",
                algorithm.name(),
                algorithm.hex_len(),
                hex.len()
            )));
        }
        if !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(bad("the hex part must be lowercase hexadecimal"));
        }
        Ok(Digest {
            algorithm,
            text: s.to_string(),
        })
    }
}

impl serde::Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Digest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Digest, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A platform, `os/arch[/variant]`, as image indexes and configs record it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(
        rename = "os.version",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub os_version: Option<String>,
}

/// Why a string is not an `os/arch[/variant]` [`Platform`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid platform `{platform}`: expected os/arch or os/arch/variant")]
pub struct PlatformError {
    /// The input (at most 100 characters of it).
    pub platform: String,
}

impl Platform {
    pub fn new(os: &str, architecture: &str, variant: Option<&str>) -> Platform {
        Platform {
            os: os.to_string(),
            architecture: architecture.to_string(),
            variant: variant.map(str::to_string),
            os_version: None,
        }
    }

    /// `linux/amd64`, the default when an index offers several.
    pub fn linux_amd64() -> Platform {
        Platform::new("linux", "amd64", None)
    }

    /// Parses `os/arch[/variant]` (`linux/arm64/v8`); `None` when malformed (see
    /// [`FromStr`] for the error).
    pub fn parse(s: &str) -> Option<Platform> {
        s.parse().ok()
    }

    /// The platform with architecture aliases folded as containerd does
    /// (`x86_64` → `amd64`, `aarch64` → `arm64`, arm64's default variant `v8` dropped).
    pub fn normalized(&self) -> Platform {
        let os = self.os.to_ascii_lowercase();
        let (arch, variant) = match (
            self.architecture.to_ascii_lowercase().as_str(),
            self.variant.as_deref(),
        ) {
            ("x86_64" | "x86-64" | "amd64", v) => ("amd64".to_string(), v.map(str::to_string)),
            ("aarch64" | "arm64", Some("v8") | None) => ("arm64".to_string(), None),
            ("aarch64" | "arm64", Some(v)) => ("arm64".to_string(), Some(v.to_string())),
            ("armhf", None) => ("arm".to_string(), Some("v7".to_string())),
            ("armel", None) => ("arm".to_string(), Some("v6".to_string())),
            ("i386" | "i686" | "386", v) => ("386".to_string(), v.map(str::to_string)),
            (a, v) => (a.to_string(), v.map(str::to_string)),
        };
        Platform {
            os,
            architecture: arch,
            variant,
            os_version: self.os_version.clone(),
        }
    }

    /// Does `self` (a requested platform) accept `candidate`? Aliases are folded
    /// ([`normalized`](Self::normalized)); a request without a variant accepts any variant.
    pub fn matches(&self, candidate: &Platform) -> bool {
        let want = self.normalized();
        let have = candidate.normalized();
        want.os == have.os
            && want.architecture == have.architecture
            && (want.variant.is_none() || want.variant == have.variant)
    }

    /// [`matches`](Self::matches) on the parts of a candidate.
    pub fn accepts(&self, os: &str, arch: &str, variant: Option<&str>) -> bool {
        self.matches(&Platform::new(os, arch, variant))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

impl FromStr for Platform {
    type Err = PlatformError;
    fn from_str(s: &str) -> Result<Platform, PlatformError> {
        let parts: Vec<&str> = s.split('/').collect();
        let ok = |p: &str| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        };
        match parts.as_slice() {
            [os, arch] if ok(os) && ok(arch) => Ok(Platform::new(os, arch, None)),
            [os, arch, v] if ok(os) && ok(arch) && ok(v) => Ok(Platform::new(os, arch, Some(v))),
            _ => Err(PlatformError {
                platform: s.chars().take(100).collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        assert_eq!(
            Digest::sha256_of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(Digest::sha256_of(b"").hex().len(), 64);
        assert_eq!(Digest::of(Algorithm::Sha512, b"").hex().len(), 128);
        assert!("sha256:abc".parse::<Digest>().is_err());
        assert!(
            "md5:d41d8cd98f00b204e9800998ecf8427e"
                .parse::<Digest>()
                .is_err()
        );
        let upper = format!("sha256:{}", "A".repeat(64));
        assert!(upper.parse::<Digest>().is_err());
        let lower = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            Digest::parse(&upper).map(|d| d.to_string()),
            Some(lower.clone())
        );
        assert_eq!(
            lower.parse::<Digest>().map(|d| d.to_string()).ok(),
            Some(lower)
        );
        let sha512 = format!("sha512:{}", "b".repeat(128));
        assert!(Digest::parse(&sha512).is_some());
        assert!(Digest::parse_sha256(&sha512).is_none());
        assert!(Digest::parse("sha256:00").is_none());
    }

    #[test]
    fn platforms() {
        let p = Platform::parse("linux/arm64/v8").expect("valid");
        assert_eq!(p.to_string(), "linux/arm64/v8");
        assert!(p.accepts("linux", "arm64", Some("v8")));
        assert!(p.accepts("linux", "aarch64", None));
        let any = Platform::parse("linux/arm64").expect("valid");
        assert!(any.accepts("linux", "arm64", Some("v8")));
        assert!(Platform::linux_amd64().accepts("linux", "x86_64", None));
        assert!(Platform::parse("linux").is_none());
        assert!(Platform::parse("linux//").is_none());
        assert!(Platform::parse("a/b/c/d").is_none());
        assert!("linux/amd64/v1/x".parse::<Platform>().is_err());
    }
}
