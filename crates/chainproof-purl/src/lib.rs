//! Package URLs (purl), as defined by the purl specification
//! (<https://github.com/package-url/purl-spec>).
//!
//! A [`Purl`] is parsed from a string, normalized per package type (for example
//! `pkg:pypi` names are lower-cased and `_` becomes `-`), and displayed in its
//! canonical form.
//!
//! ```
//! use chainproof_purl::Purl;
//! let p: Purl = "pkg:npm/%40angular/core@16.0.0".parse().unwrap();
//! assert_eq!(p.namespace(), Some("@angular"));
//! assert_eq!(p.to_string(), "pkg:npm/%40angular/core@16.0.0");
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Why a string is not a valid package URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    #[error("package URL must start with `pkg:`")]
    MissingScheme,
    #[error("package URL has no type")]
    MissingType,
    #[error("invalid package type `{0}`")]
    InvalidType(String),
    #[error("package URL has no name")]
    MissingName,
    #[error("invalid qualifier key `{0}`")]
    InvalidQualifierKey(String),
    #[error("invalid percent-encoding in `{0}`")]
    InvalidEncoding(String),
    #[error("{0}")]
    TypeRule(String),
}

/// A package URL: `pkg:type/namespace/name@version?qualifiers#subpath`.
///
/// Components are stored decoded and normalized; [`fmt::Display`] gives the canonical string.
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
    pub fn new(ty: &str, name: &str) -> Result<Self, PurlError> {
        let mut p = Purl {
            ty: ty.to_ascii_lowercase(),
            namespace: None,
            name: name.to_string(),
            version: None,
            qualifiers: BTreeMap::new(),
            subpath: None,
        };
        p.normalize()?;
        Ok(p)
    }

    /// Sets the namespace (decoded, `/`-separated segments).
    pub fn with_namespace(mut self, namespace: &str) -> Result<Self, PurlError> {
        self.namespace = (!namespace.is_empty()).then(|| namespace.to_string());
        self.normalize()?;
        Ok(self)
    }

    /// Sets the version (decoded).
    pub fn with_version(mut self, version: &str) -> Self {
        self.version = (!version.is_empty()).then(|| version.to_string());
        self
    }

    /// Adds a qualifier (decoded value). Empty values are dropped, as the spec says.
    pub fn with_qualifier(mut self, key: &str, value: &str) -> Result<Self, PurlError> {
        let key = key.to_ascii_lowercase();
        if !valid_qualifier_key(&key) {
            return Err(PurlError::InvalidQualifierKey(key));
        }
        if !value.is_empty() {
            self.qualifiers.insert(key, value.to_string());
        }
        Ok(self)
    }

    /// Sets the subpath (decoded, `/`-separated).
    pub fn with_subpath(mut self, subpath: &str) -> Self {
        let cleaned = clean_subpath(subpath);
        self.subpath = (!cleaned.is_empty()).then_some(cleaned);
        self
    }

    pub fn ty(&self) -> &str {
        &self.ty
    }
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    pub fn qualifiers(&self) -> &BTreeMap<String, String> {
        &self.qualifiers
    }
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers.get(key).map(String::as_str)
    }
    pub fn subpath(&self) -> Option<&str> {
        self.subpath.as_deref()
    }

    /// Applies the per-type normalization rules of the purl spec.
    fn normalize(&mut self) -> Result<(), PurlError> {
        if self.name.is_empty() {
            return Err(PurlError::MissingName);
        }
        match self.ty.as_str() {
            "pypi" => {
                self.name = self.name.to_ascii_lowercase().replace('_', "-");
            }
            "github" | "bitbucket" => {
                self.name = self.name.to_ascii_lowercase();
                self.namespace = self.namespace.take().map(|n| n.to_ascii_lowercase());
            }
            "deb" | "apk" | "alpm" => {
                self.name = self.name.to_ascii_lowercase();
                self.namespace = self.namespace.take().map(|n| n.to_ascii_lowercase());
            }
            _ => {}
        }
        Ok(())
    }
}

fn valid_qualifier_key(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
}

fn clean_subpath(s: &str) -> String {
    s.split('/')
        .filter(|seg| !seg.is_empty() && *seg != "." && *seg != "..")
        .collect::<Vec<_>>()
        .join("/")
}

/// Characters left unencoded in purl components (unreserved plus a few the spec allows).
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

fn decode(s: &str) -> Result<String, PurlError> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| PurlError::InvalidEncoding(s.to_string()))
}

impl FromStr for Purl {
    type Err = PurlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s
            .strip_prefix("pkg:")
            .or_else(|| s.get(..4).filter(|p| p.eq_ignore_ascii_case("pkg:")).map(|_| &s[4..]))
            .ok_or(PurlError::MissingScheme)?;
        let rest = rest.trim_start_matches('/');
        let (rest, subpath) = match rest.split_once('#') {
            Some((r, sp)) => (r, Some(sp)),
            None => (rest, None),
        };
        let (rest, quals) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (ty, rest) = rest.split_once('/').ok_or(PurlError::MissingName)?;
        if ty.is_empty() {
            return Err(PurlError::MissingType);
        }
        let rest = rest.trim_end_matches('/');
        let (path, version) = match rest.rfind('@') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (namespace, name) = match path.rfind('/') {
            Some(i) => (Some(&path[..i]), &path[i + 1..]),
            None => (None, path),
        };
        let mut purl = Purl::new(ty, &decode(name)?)?;
        if let Some(ns) = namespace {
            let segs = ns
                .split('/')
                .filter(|s| !s.is_empty())
                .map(decode)
                .collect::<Result<Vec<_>, _>>()?;
            purl = purl.with_namespace(&segs.join("/"))?;
        }
        if let Some(v) = version {
            purl = purl.with_version(&decode(v)?);
        }
        if let Some(q) = quals {
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                purl = purl.with_qualifier(k, &decode(v)?)?;
            }
        }
        if let Some(sp) = subpath {
            purl = purl.with_subpath(&decode(sp)?);
        }
        Ok(purl)
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/') {
                write!(f, "{}/", encode(seg))?;
            }
        }
        f.write_str(&encode(&self.name))?;
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
            let segs: Vec<String> = sp.split('/').map(encode).collect();
            f.write_str(&segs.join("/"))?;
        }
        Ok(())
    }
}
