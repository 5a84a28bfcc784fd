//! Pulling images from (and pushing them to) an OCI distribution registry.
//!
//! [`pull`] resolves a reference (`alpine:3.20`, `ghcr.io/x/y@sha256:…`,
//! `localhost:5000/app:1`), picks the platform's manifest from a multi-arch index, downloads
//! the config and layers and writes them as an OCI image layout directory (`oci-layout`,
//! `index.json`, `blobs/sha256/…`). Every blob is streamed to disk with its size and digest
//! checked, against caps on the declared sizes ([`Limits`]); nothing is trusted that was not
//! hashed. The image readers of this crate then read that directory.
//!
//! Transport: HTTPS; plain HTTP only for loopback registries (`localhost`, `127.0.0.0/8`,
//! `::1`) or with [`RegistryOptions::insecure`]. Auth: anonymous, Bearer tokens (the
//! `WWW-Authenticate` flow) and Basic, with credentials from
//! `CHAINPROOF_REGISTRY_USERNAME`/`CHAINPROOF_REGISTRY_PASSWORD` or docker's `config.json`
//! (`auths`; credential helpers are not run). Redirects of blob downloads to another host
//! never carry the `Authorization` header.
//!
//! ```no_run
//! use chainproof_source::registry::{pull, PullOptions, Reference};
//! let image = pull(&Reference::parse("alpine:3.20").unwrap(), &PullOptions::default()).unwrap();
//! println!("{} at {}", image.manifest_digest, image.layout_dir().display());
//! ```

pub mod auth;
mod client;
pub mod digest;
pub mod manifest;
mod pull;
mod push;
pub mod reference;

use std::time::Duration;

pub use auth::{CredentialSource, Credentials, parse_www_authenticate};
pub use client::RegistryClient;
pub use digest::Digest;
pub use manifest::{Descriptor, ImageIndex, ImageManifest, Manifest, Platform};
pub use pull::{Limits, PullOptions, PulledImage, pull, pull_with};
pub use push::{MemoryImage, PushedManifest, push_index, push_layout};
pub use reference::{Reference, ReferenceError};

/// Options of the HTTP side (shared by pull and push).
#[derive(Debug, Clone)]
pub struct RegistryOptions {
    /// Allow plain HTTP (and HTTPS fallback to HTTP) for a non-loopback registry.
    pub insecure: bool,
    /// Speak plain HTTP right away instead of trying HTTPS first. Refused for a
    /// non-loopback registry unless `insecure` is set.
    pub plain_http: bool,
    /// Credentials to use instead of looking them up (env, docker config).
    pub credentials: Option<Credentials>,
    /// Do not look credentials up (anonymous unless `credentials` is set).
    pub no_credential_lookup: bool,
    /// Read credentials from this docker `config.json` instead of `$DOCKER_CONFIG` or
    /// `~/.docker` (the environment variables still come first).
    pub docker_config: Option<std::path::PathBuf>,
    /// Timeout of a connection attempt.
    pub connect_timeout: Duration,
    /// Timeout of each read or write on a connection (not of a whole download).
    pub timeout: Duration,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        RegistryOptions {
            insecure: false,
            plain_http: false,
            credentials: None,
            no_credential_lookup: false,
            docker_config: None,
            connect_timeout: Duration::from_secs(30),
            timeout: Duration::from_secs(120),
        }
    }
}

impl From<crate::image::DigestError> for RegistryError {
    fn from(e: crate::image::DigestError) -> Self {
        RegistryError::InvalidDigest {
            digest: e.digest,
            reason: e.reason,
        }
    }
}

impl From<crate::image::PlatformError> for RegistryError {
    fn from(e: crate::image::PlatformError) -> Self {
        RegistryError::InvalidPlatform {
            platform: e.platform,
        }
    }
}

/// Errors of registry operations; each names what was being fetched.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error("invalid digest `{digest}`: {reason}")]
    InvalidDigest { digest: String, reason: String },
    #[error("invalid platform `{platform}`: expected os/arch or os/arch/variant")]
    InvalidPlatform { platform: String },
    #[error("{what}: invalid manifest: {reason}")]
    InvalidManifest { what: String, reason: String },
    #[error("{what}: no image for platform {platform}; available: {}", platform_list(.available))]
    PlatformNotFound {
        what: String,
        platform: String,
        available: Vec<String>,
    },
    #[error("{path}: {reason}")]
    Config { path: String, reason: String },
    #[error("refusing plain HTTP to {url}: {reason}")]
    InsecureRefused { url: String, reason: String },
    #[error("{method} {url}: {message}")]
    Transport {
        method: String,
        url: String,
        message: String,
    },
    #[error("{what}: not found in the registry ({detail})")]
    NotFound { what: String, detail: String },
    #[error("{registry}: authentication failed: {detail}")]
    Unauthorized { registry: String, detail: String },
    #[error("{method} {url}: HTTP {status}: {detail}")]
    Status {
        method: String,
        url: String,
        status: u16,
        detail: String,
    },
    #[error("{what}: digest mismatch: expected {expected}, content hashes to {actual}")]
    DigestMismatch {
        what: String,
        expected: String,
        actual: String,
    },
    #[error("{what}: size mismatch: expected {expected} bytes, got {actual}")]
    SizeMismatch {
        what: String,
        expected: u64,
        actual: u64,
    },
    #[error("{what}: {size} bytes is over the limit of {limit} bytes")]
    TooLarge { what: String, size: u64, limit: u64 },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

fn platform_list(available: &[String]) -> String {
    if available.is_empty() {
        "no platform-specific images".to_string()
    } else {
        available.join(", ")
    }
}

impl RegistryError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> RegistryError {
        RegistryError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
