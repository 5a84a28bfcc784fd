use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chainproof_purl::Purl;

use crate::{Ecosystem, License};

/// How a package is used by the project that depends on it.
///
/// Ordered from the most to the least significant: when one package is reached in
/// several ways, [`Scope::merge`] keeps the most significant one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Scope {
    /// Needed at run time (the default).
    #[default]
    Runtime,
    /// Optional at run time (npm `optional`, Poetry `optional = true`, extras).
    Optional,
    /// Only needed to build or develop (npm `dev`, Poetry `dev` group, Cargo dev-deps).
    Dev,
}

impl Scope {
    /// The more significant of two scopes: runtime wins over optional, optional over dev.
    pub fn merge(self, other: Scope) -> Scope {
        self.min(other)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Runtime => "runtime",
            Scope::Optional => "optional",
            Scope::Dev => "dev",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What role a package plays in the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PackageKind {
    /// A dependency (library) — the common case.
    #[default]
    Library,
    /// The project a lockfile belongs to (a workspace member, the main module, the npm root).
    Project,
}

/// A digest algorithm, named as CycloneDX and SPDX name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HashAlgorithm {
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
    Sha3_256,
    Sha3_512,
    Blake2b256,
    Blake2b512,
    Blake3,
}

impl HashAlgorithm {
    /// CycloneDX spelling (`SHA-256`).
    pub fn cyclonedx_name(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "MD5",
            HashAlgorithm::Sha1 => "SHA-1",
            HashAlgorithm::Sha256 => "SHA-256",
            HashAlgorithm::Sha384 => "SHA-384",
            HashAlgorithm::Sha512 => "SHA-512",
            HashAlgorithm::Sha3_256 => "SHA3-256",
            HashAlgorithm::Sha3_512 => "SHA3-512",
            HashAlgorithm::Blake2b256 => "BLAKE2b-256",
            HashAlgorithm::Blake2b512 => "BLAKE2b-512",
            HashAlgorithm::Blake3 => "BLAKE3",
        }
    }

    /// SPDX 2.3 spelling (`SHA256`).
    pub fn spdx_name(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "MD5",
            HashAlgorithm::Sha1 => "SHA1",
            HashAlgorithm::Sha256 => "SHA256",
            HashAlgorithm::Sha384 => "SHA384",
            HashAlgorithm::Sha512 => "SHA512",
            HashAlgorithm::Sha3_256 => "SHA3-256",
            HashAlgorithm::Sha3_512 => "SHA3-512",
            HashAlgorithm::Blake2b256 => "BLAKE2b-256",
            HashAlgorithm::Blake2b512 => "BLAKE2b-512",
            HashAlgorithm::Blake3 => "BLAKE3",
        }
    }

    /// Length of the digest in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            HashAlgorithm::Md5 => 16,
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha256 | HashAlgorithm::Sha3_256 => 32,
            HashAlgorithm::Blake2b256 | HashAlgorithm::Blake3 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 | HashAlgorithm::Sha3_512 | HashAlgorithm::Blake2b512 => 64,
        }
    }
}

impl FromStr for HashAlgorithm {
    type Err = String;
    /// Accepts the CycloneDX, SPDX and lockfile spellings (`sha256`, `SHA-256`, `SHA256`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k: String = s
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        Ok(match k.as_str() {
            "md5" => HashAlgorithm::Md5,
            "sha1" => HashAlgorithm::Sha1,
            "sha256" => HashAlgorithm::Sha256,
            "sha384" => HashAlgorithm::Sha384,
            "sha512" => HashAlgorithm::Sha512,
            "sha3256" => HashAlgorithm::Sha3_256,
            "sha3512" => HashAlgorithm::Sha3_512,
            "blake2b256" => HashAlgorithm::Blake2b256,
            "blake2b512" => HashAlgorithm::Blake2b512,
            "blake3" => HashAlgorithm::Blake3,
            _ => return Err(format!("unknown hash algorithm `{s}`")),
        })
    }
}

/// A digest of a package's content, value in lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash {
    pub algorithm: HashAlgorithm,
    pub value: String,
}

impl Hash {
    /// A digest from a hex value; `None` if the value is not hex of the algorithm's length.
    pub fn from_hex(algorithm: HashAlgorithm, hex: &str) -> Option<Hash> {
        let ok =
            hex.len() == algorithm.digest_len() * 2 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| Hash {
            algorithm,
            value: hex.to_ascii_lowercase(),
        })
    }

    /// A digest from raw bytes (e.g. decoded from an SRI `sha512-<base64>` string).
    pub fn from_bytes(algorithm: HashAlgorithm, bytes: &[u8]) -> Option<Hash> {
        if bytes.len() != algorithm.digest_len() {
            return None;
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut value = String::with_capacity(bytes.len() * 2);
        for &b in bytes {
            value.push(char::from(HEX[usize::from(b >> 4)]));
            value.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        Some(Hash { algorithm, value })
    }
}

/// Where a package was found: a file of the target, and the line when known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    /// Path relative to the target root, `/`-separated.
    pub path: String,
    /// 1-based line number, when the format lets us know it.
    pub line: Option<u32>,
    /// In a container image: the layer that wrote the file (its `diff_id`, `sha256:…`).
    pub layer: Option<String>,
}

impl Location {
    pub fn new(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            line: None,
            layer: None,
        }
    }

    pub fn with_layer(mut self, layer: impl Into<String>) -> Self {
        self.layer = Some(layer.into());
        self
    }

    pub fn with_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// One software component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    /// The resolved version; `None` when the source only declares a requirement.
    pub version: Option<String>,
    pub purl: Option<Purl>,
    pub ecosystem: Ecosystem,
    pub scope: Scope,
    pub kind: PackageKind,
    pub licenses: Vec<License>,
    pub hashes: Vec<Hash>,
    pub locations: Vec<Location>,
    /// Where the package comes from: a registry URL, `git+https://...#rev`, a local path.
    pub source: Option<String>,
    /// Further facts the format records (markers, extras, requested range, ...), keyed by
    /// `chainproof:<name>` property names.
    pub properties: BTreeMap<String, String>,
}

impl Package {
    /// A library package; no purl is derived — set [`Package::purl`] explicitly.
    pub fn new(ecosystem: Ecosystem, name: impl Into<String>, version: Option<&str>) -> Self {
        Package {
            name: name.into(),
            version: version.map(str::to_string),
            purl: None,
            ecosystem,
            scope: Scope::Runtime,
            kind: PackageKind::Library,
            licenses: Vec::new(),
            hashes: Vec::new(),
            locations: Vec::new(),
            source: None,
            properties: BTreeMap::new(),
        }
    }

    pub fn with_purl(mut self, purl: Purl) -> Self {
        self.purl = Some(purl);
        self
    }

    pub fn with_scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }

    pub fn with_kind(mut self, kind: PackageKind) -> Self {
        self.kind = kind;
        self
    }

    pub fn with_location(mut self, location: Location) -> Self {
        self.locations.push(location);
        self
    }

    pub fn with_hash(mut self, hash: Hash) -> Self {
        if !self.hashes.contains(&hash) {
            self.hashes.push(hash);
        }
        self
    }

    pub fn with_license(mut self, license: License) -> Self {
        if !self.licenses.contains(&license) {
            self.licenses.push(license);
        }
        self
    }

    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    pub fn with_property(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.properties.insert(key.into(), value.into());
        self
    }

    /// The identity under which packages are unified across files: the purl when there is
    /// one; otherwise ecosystem, name, version and (for projects without a version) the
    /// file, so two unversioned projects of the same name stay apart.
    pub fn key(&self) -> String {
        if let Some(p) = &self.purl {
            return p.to_string();
        }
        let mut k = format!(
            "{}:{}@{}",
            self.ecosystem,
            self.name,
            self.version.as_deref().unwrap_or("")
        );
        if let (None, Some(l)) = (&self.version, self.locations.first()) {
            k.push('#');
            k.push_str(&l.path);
        }
        k
    }

    /// Folds another sighting of the same package into this one.
    pub fn absorb(&mut self, other: Package) {
        self.scope = self.scope.merge(other.scope);
        if other.kind == PackageKind::Project {
            self.kind = PackageKind::Project;
        }
        for l in other.licenses {
            if !self.licenses.contains(&l) {
                self.licenses.push(l);
            }
        }
        for h in other.hashes {
            if !self.hashes.contains(&h) {
                self.hashes.push(h);
            }
        }
        for l in other.locations {
            if !self.locations.contains(&l) {
                self.locations.push(l);
            }
        }
        if self.source.is_none() {
            self.source = other.source;
        }
        for (k, v) in other.properties {
            self.properties.entry(k).or_insert(v);
        }
    }
}
