//! Package URLs (purl), as defined by the purl specification (ECMA-427,
//! <https://github.com/package-url/purl-spec>).
//!
//! A [`Purl`] is parsed from a string, normalized per package type (for example
//! `pkg:pypi` names are lower-cased and `_` becomes `-`), and displayed in its
//! canonical form. The crate passes the official purl-spec test suite, which is
//! vendored under `tests/data/`.
//!
//! ```
//! use chainproof_purl::Purl;
//! let p: Purl = "pkg:npm/%40angular/core@16.0.0".parse().unwrap();
//! assert_eq!(p.namespace(), Some("@angular"));
//! assert_eq!(p.to_string(), "pkg:npm/%40angular/core@16.0.0");
//!
//! let built = Purl::new("maven", "batik-anim").unwrap()
//!     .with_namespace("org.apache.xmlgraphics").unwrap()
//!     .with_version("1.9.1")
//!     .with_qualifier("classifier", "sources").unwrap();
//! assert_eq!(built.to_string(), "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources");
//! ```
//!
//! Two parsers are offered:
//! - [`FromStr`] / [`Purl::parse`] are strict: qualifier keys must be lowercase and
//!   unique, a `%` must start a valid `%XX` triplet, and the type-specific
//!   requirements (required or prohibited namespace, required qualifiers,
//!   permitted characters) are enforced.
//! - [`Purl::parse_lenient`] remediates common problems in real-world data:
//!   uppercase qualifier keys are lowercased, duplicate keys keep the last value, a
//!   stray `%` is literal, and type-specific requirements are not checked (call
//!   [`Purl::validate`] to check them). The normalizations are the same.
//!
//! The builder ([`Purl::new`] and the `with_*` methods) normalizes as it goes but
//! does not check requirements that span components (a Maven purl needs a
//! namespace, which is set after [`Purl::new`]); [`Purl::from_components`] builds
//! and validates in one step.

#![forbid(unsafe_code)]

mod encoding;
mod parse;
pub mod types;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use encoding::encode;
use parse::Mode;
pub use types::{Requirement, TypeDefinition};

/// Why a string or a set of components is not a valid package URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    /// No `pkg:` scheme.
    #[error("package URL must start with `pkg:`")]
    MissingScheme,
    /// The type is empty.
    #[error("package URL has no type")]
    MissingType,
    /// The type has characters other than ASCII letters, digits, `.` and `-`, or
    /// does not start with a letter.
    #[error(
        "invalid package type `{0}`: a type is ASCII letters, digits, `.` and `-`, starting with a letter"
    )]
    InvalidType(String),
    /// The name is empty.
    #[error("package URL has no name")]
    MissingName,
    /// A qualifier key is not lowercase ASCII letters, digits, `.`, `-`, `_`
    /// starting with a letter.
    #[error(
        "invalid qualifier key `{0}`: a key is lowercase ASCII letters, digits, `.`, `-` and `_`, starting with a letter"
    )]
    InvalidQualifierKey(String),
    /// The same qualifier key appears twice.
    #[error("duplicate qualifier key `{0}`")]
    DuplicateQualifier(String),
    /// Malformed percent-encoding, or octets that are not UTF-8 once decoded.
    #[error("invalid percent-encoding in {component} `{text}`")]
    InvalidEncoding {
        /// `"namespace"`, `"name"`, `"version"`, `"qualifier value"` or `"subpath"`.
        component: &'static str,
        /// The offending text as found in the input.
        text: String,
    },
    /// A namespace or subpath segment decodes to a string holding `/`.
    #[error("{component} segment `{segment}` contains `/` once decoded")]
    SlashInSegment {
        /// `"namespace"`, `"name"` or `"subpath"`.
        component: &'static str,
        /// The offending segment as found in the input.
        segment: String,
    },
    /// A rule of the package type's definition is broken.
    #[error("`pkg:{ty}` rule: {message}")]
    TypeRule {
        /// The package type.
        ty: String,
        /// What is wrong.
        message: String,
    },
}

impl PurlError {
    /// `true` for violations of a type's definition (the purl is syntactically
    /// valid), `false` for syntax errors.
    pub fn is_type_rule(&self) -> bool {
        matches!(self, PurlError::TypeRule { .. })
    }
}

/// A package URL: `pkg:type/namespace/name@version?qualifiers#subpath`.
///
/// Components are stored decoded and normalized; [`fmt::Display`] gives the
/// canonical string. Equality is equality of the canonical forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Purl {
    ty: String,
    namespace: Option<String>,
    name: String,
    version: Option<String>,
    qualifiers: BTreeMap<String, String>,
    subpath: Option<String>,
}

impl Purl {
    /// A purl of `ty` and `name` (decoded strings); normalized per type.
    ///
    /// Fails on an invalid type or an empty name. For `pkg:git`, `name` is the
    /// repository path (`owner/repo`).
    pub fn new(ty: &str, name: &str) -> Result<Self, PurlError> {
        valid_type(ty)?;
        let mut p = Purl {
            ty: ty.to_ascii_lowercase(),
            namespace: None,
            name: name.to_string(),
            version: None,
            qualifiers: BTreeMap::new(),
            subpath: None,
        };
        p.normalize();
        if p.name.is_empty() {
            return Err(PurlError::MissingName);
        }
        Ok(p)
    }

    /// Builds a purl from decoded components and checks the type's rules, as the
    /// specification's "How to build" does. Empty strings count as absent.
    pub fn from_components<'a>(
        ty: &str,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
        qualifiers: impl IntoIterator<Item = (&'a str, &'a str)>,
        subpath: Option<&str>,
    ) -> Result<Self, PurlError> {
        let mut p = Purl::new(ty, name)?;
        if let Some(ns) = namespace {
            p = p.with_namespace(ns)?;
        }
        if let Some(v) = version {
            p = p.with_version(v);
        }
        for (k, v) in qualifiers {
            p = p.with_qualifier(k, v)?;
        }
        if let Some(s) = subpath {
            p = p.with_subpath(s);
        }
        p.validate()?;
        Ok(p)
    }

    /// Strict parse; the same as [`FromStr`].
    pub fn parse(s: &str) -> Result<Self, PurlError> {
        parse::parse(s, Mode::Strict)
    }

    /// Lenient parse for real-world data: uppercase qualifier keys are lowercased,
    /// duplicate keys keep the last value, a `%` not starting a `%XX` triplet is
    /// literal, and type requirements are not checked. Syntax errors still fail.
    pub fn parse_lenient(s: &str) -> Result<Self, PurlError> {
        parse::parse(s, Mode::Lenient)
    }

    /// Checks the requirements of the type's definition: required or prohibited
    /// namespace, required qualifiers, permitted characters. Unregistered types
    /// have no requirements.
    pub fn validate(&self) -> Result<(), PurlError> {
        types::validate(self)
    }

    /// Sets the namespace (decoded, `/`-separated segments; empty segments and
    /// leading/trailing slashes are dropped). An empty string clears it.
    pub fn with_namespace(mut self, namespace: &str) -> Result<Self, PurlError> {
        self.namespace = Some(namespace.to_string());
        self.normalize();
        Ok(self)
    }

    /// Sets the version (decoded). An empty string clears it.
    pub fn with_version(mut self, version: &str) -> Self {
        self.version = Some(version.to_string());
        self.normalize();
        self
    }

    /// Adds a qualifier (decoded value); the key is lowercased. An empty value
    /// removes the key, as the spec says. A `checksum` value may list several
    /// `algorithm:hex` checksums separated by `,`.
    pub fn with_qualifier(mut self, key: &str, value: &str) -> Result<Self, PurlError> {
        let key = key.to_ascii_lowercase();
        if !valid_qualifier_key(&key) {
            return Err(PurlError::InvalidQualifierKey(key));
        }
        if value.is_empty() {
            self.qualifiers.remove(&key);
        } else {
            self.qualifiers.insert(key, value.to_string());
        }
        self.normalize();
        Ok(self)
    }

    /// Sets the subpath (decoded, `/`-separated; empty, `.` and `..` segments are
    /// dropped). An empty string clears it.
    pub fn with_subpath(mut self, subpath: &str) -> Self {
        self.subpath = Some(subpath.to_string());
        self.normalize();
        self
    }

    /// The package type, lowercase.
    pub fn ty(&self) -> &str {
        &self.ty
    }
    /// The namespace (decoded; segments joined with `/`).
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }
    /// The name (decoded).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The version (decoded).
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    /// All qualifiers (decoded values), sorted by key.
    pub fn qualifiers(&self) -> &BTreeMap<String, String> {
        &self.qualifiers
    }
    /// One qualifier's decoded value.
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers.get(key).map(String::as_str)
    }
    /// The subpath (decoded; segments joined with `/`).
    pub fn subpath(&self) -> Option<&str> {
        self.subpath.as_deref()
    }
    /// The checksums of the `checksum` qualifier (`algorithm:hex`, split on `,`).
    pub fn checksums(&self) -> Vec<&str> {
        self.qualifier("checksum")
            .map(|c| c.split(',').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }
    /// The definition of this purl's type, when the type is registered.
    pub fn type_definition(&self) -> Option<&'static TypeDefinition> {
        types::type_definition(&self.ty)
    }

    /// General then per-type normalization. Idempotent.
    fn normalize(&mut self) {
        let path_name = types::name_is_path(&self.ty);
        let mut ns: Vec<String> = self
            .namespace
            .as_deref()
            .map(|n| segments(n).map(str::to_string).collect())
            .unwrap_or_default();
        if path_name {
            // `pkg:git/<host>/<path>`: extra namespace segments belong to the name.
            let mut path: Vec<String> = ns.drain(ns.len().min(1)..).collect();
            path.extend(segments(&self.name).map(str::to_string));
            self.name = path.join("/");
        } else {
            self.name = self.name.trim_matches('/').to_string();
        }
        self.namespace = (!ns.is_empty()).then(|| ns.join("/"));
        if self.version.as_deref() == Some("") {
            self.version = None;
        }
        if let Some(sp) = &self.subpath {
            let cleaned: Vec<&str> = segments(sp).filter(|s| *s != "." && *s != "..").collect();
            self.subpath = (!cleaned.is_empty()).then(|| cleaned.join("/"));
        }
        types::normalize(self);
    }
}

/// The non-empty `/`-separated segments of `s`.
fn segments(s: &str) -> impl Iterator<Item = &str> {
    s.split('/').filter(|seg| !seg.is_empty())
}

/// A type is ASCII letters, digits, `.` and `-`, starting with a letter.
fn valid_type(ty: &str) -> Result<(), PurlError> {
    let mut chars = ty.chars();
    match chars.next() {
        None => Err(PurlError::MissingType),
        Some(c) if c.is_ascii_alphabetic() => {
            if chars.all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
                Ok(())
            } else {
                Err(PurlError::InvalidType(ty.to_string()))
            }
        }
        Some(_) => Err(PurlError::InvalidType(ty.to_string())),
    }
}

/// A key is lowercase ASCII letters, digits, `.`, `-` and `_`, starting with a letter.
fn valid_qualifier_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-' || c == '_'
        })
}

impl FromStr for Purl {
    type Err = PurlError;

    /// Strict parse; see [`Purl::parse_lenient`] for real-world data.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Purl::parse(s)
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for seg in segments(ns) {
                write!(f, "{}/", encode(seg))?;
            }
        }
        if types::name_is_path(&self.ty) {
            for (i, seg) in segments(&self.name).enumerate() {
                let sep = if i == 0 { "" } else { "/" };
                write!(f, "{sep}{}", encode(seg))?;
            }
        } else {
            write!(f, "{}", encode(&self.name))?;
        }
        if let Some(v) = &self.version {
            write!(f, "@{}", encode(v))?;
        }
        let mut sep = '?';
        for (k, v) in &self.qualifiers {
            write!(f, "{sep}{k}={}", encode(v))?;
            sep = '&';
        }
        if let Some(sp) = &self.subpath {
            f.write_str("#")?;
            for (i, seg) in segments(sp).enumerate() {
                let sep = if i == 0 { "" } else { "/" };
                write!(f, "{sep}{}", encode(seg))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
