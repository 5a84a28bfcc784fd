//! The trusted root: which CAs, CT logs, transparency logs and TSAs to trust.

use std::path::Path;

use crate::Error;

const PRODUCTION: &str = include_str!("../data/trusted_root_production.json");
const STAGING: &str = include_str!("../data/trusted_root_staging.json");

/// A parsed `trusted_root.json` (media type
/// `application/vnd.dev.sigstore.trustedroot+json;version=0.1`).
#[derive(Debug, Clone)]
pub struct TrustedRoot {
    pub(crate) inner: sigstore_verify::trust_root::TrustedRoot,
    origin: String,
}

impl TrustedRoot {
    /// The Sigstore public-good production root, embedded at build time.
    pub fn production() -> Result<Self, Error> {
        Self::from_json(PRODUCTION, "<embedded public-good trusted root>")
    }

    /// The Sigstore public-good staging root, embedded at build time.
    pub fn staging() -> Result<Self, Error> {
        Self::from_json(STAGING, "<embedded staging trusted root>")
    }

    /// The embedded production root as JSON text.
    pub fn production_json() -> &'static str {
        PRODUCTION
    }

    /// Parse a trusted root; `origin` names it in errors. A client trust
    /// config (`application/vnd.dev.sigstore.clienttrustconfig.v0.1+json`,
    /// as sigstore-python's `--trust-config` reads) is accepted too: its
    /// `trustedRoot` member is used.
    pub fn from_json(json: &str, origin: &str) -> Result<Self, Error> {
        // Report JSON syntax errors with their position first.
        let value =
            serde_json::from_str::<serde_json::Value>(json).map_err(|e| Error::TrustedRoot {
                origin: origin.to_string(),
                message: format!("line {}, column {}: {e}", e.line(), e.column()),
            })?;
        let is_trust_config = value
            .get("mediaType")
            .and_then(|m| m.as_str())
            .is_some_and(|m| m.starts_with("application/vnd.dev.sigstore.clienttrustconfig"));
        let root_text;
        let json = if is_trust_config {
            let root = value.get("trustedRoot").ok_or_else(|| Error::TrustedRoot {
                origin: origin.to_string(),
                message: "/trustedRoot: missing in client trust config".into(),
            })?;
            root_text = root.to_string();
            root_text.as_str()
        } else {
            json
        };
        let inner = sigstore_verify::trust_root::TrustedRoot::from_json(json).map_err(|e| {
            Error::TrustedRoot {
                origin: origin.to_string(),
                message: e.to_string(),
            }
        })?;
        Ok(TrustedRoot {
            inner,
            origin: origin.to_string(),
        })
    }

    /// Read and parse a trusted root file.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text, &path.display().to_string())
    }

    /// Where this root came from (a path or an embedded name).
    pub fn origin(&self) -> &str {
        &self.origin
    }
}
