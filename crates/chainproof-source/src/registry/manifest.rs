//! The JSON documents of the OCI image spec and Docker's v2 schema 2 (the subset a pull needs),
//! and platform selection in an index.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::RegistryError;
use super::digest::Digest;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
pub const DOCKER_LAYER_TAR: &str = "application/vnd.docker.image.rootfs.diff.tar";
/// Schema 1 manifests (signed and unsigned): recognized only to be refused clearly.
pub const DOCKER_SCHEMA1: &[&str] = &[
    "application/vnd.docker.distribution.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
];
/// Annotation with the tag in an OCI layout's `index.json`.
pub const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
/// Annotation with the full image name (containerd writes it too).
pub const ANNOTATION_IMAGE_NAME: &str = "io.containerd.image.name";

/// The `Accept` header of a manifest request.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";

/// A content descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Descriptor {
    #[serde(rename = "mediaType")]
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// An image manifest (OCI or Docker v2 schema 2).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageManifest {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
}

/// An image index or Docker manifest list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageIndex {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    pub manifests: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A manifest document as fetched: an image manifest or an index.
#[derive(Debug, Clone)]
pub enum Manifest {
    Image(ImageManifest),
    Index(ImageIndex),
}

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "schemaVersion", default)]
    schema_version: Option<u32>,
    #[serde(rename = "mediaType", default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<serde_json::Value>,
    #[serde(default)]
    config: Option<serde_json::Value>,
}

impl Manifest {
    /// Parses a manifest body. `content_type` is the response's Content-Type; the body's
    /// own `mediaType` wins when present; without either the shape decides.
    pub fn parse(
        body: &[u8],
        content_type: Option<&str>,
        what: &str,
    ) -> Result<Manifest, RegistryError> {
        let invalid = |reason: String| RegistryError::InvalidManifest {
            what: what.to_string(),
            reason,
        };
        let json_err =
            |e: serde_json::Error| invalid(format!("line {} column {}: {e}", e.line(), e.column()));
        let probe: Probe = serde_json::from_slice(body).map_err(json_err)?;
        let ct = content_type.map(|c| c.split(';').next().unwrap_or(c).trim().to_string());
        let media = probe.media_type.clone().or(ct).unwrap_or_default();
        if DOCKER_SCHEMA1.contains(&media.as_str()) || probe.schema_version == Some(1) {
            return Err(invalid(
                "Docker schema 1 manifests are deprecated and not supported".into(),
            ));
        }
        if probe.schema_version != Some(2) {
            return Err(invalid(format!(
                "schemaVersion is {:?}, expected 2",
                probe.schema_version
            )));
        }
        let is_index = match media.as_str() {
            OCI_INDEX | DOCKER_MANIFEST_LIST => true,
            OCI_MANIFEST | DOCKER_MANIFEST => false,
            _ => probe.manifests.is_some() && probe.config.is_none(),
        };
        if is_index {
            Ok(Manifest::Index(
                serde_json::from_slice(body).map_err(json_err)?,
            ))
        } else {
            Ok(Manifest::Image(
                serde_json::from_slice(body).map_err(json_err)?,
            ))
        }
    }
}

pub use crate::image::Platform;

/// Picks the manifest for `want` in an index. Entries for the `unknown/unknown` platform
/// (attestations) never match. Without a match the error lists what the index offers.
pub fn select_platform<'a>(
    index: &'a ImageIndex,
    want: &Platform,
    what: &str,
) -> Result<&'a Descriptor, RegistryError> {
    let images = || {
        index.manifests.iter().filter(|d| {
            d.platform
                .as_ref()
                .is_some_and(|p| p.os != "unknown" && p.architecture != "unknown")
        })
    };
    // Exact variant first, then the first entry the request accepts.
    let exact = images().find(|d| {
        d.platform.as_ref().is_some_and(|p| {
            let (w, h) = (want.normalized(), p.normalized());
            w.os == h.os && w.architecture == h.architecture && w.variant == h.variant
        })
    });
    if let Some(d) =
        exact.or_else(|| images().find(|d| d.platform.as_ref().is_some_and(|p| want.matches(p))))
    {
        return Ok(d);
    }
    let mut available: Vec<String> = images()
        .filter_map(|d| d.platform.as_ref().map(Platform::to_string))
        .collect();
    available.dedup();
    Err(RegistryError::PlatformNotFound {
        what: what.to_string(),
        platform: want.to_string(),
        available,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc(p: &str, hexchar: char) -> Descriptor {
        Descriptor {
            media_type: OCI_MANIFEST.into(),
            digest: format!("sha256:{}", hexchar.to_string().repeat(64))
                .parse()
                .expect("digest"),
            size: 1,
            platform: Some(p.parse().expect("platform")),
            annotations: BTreeMap::new(),
        }
    }

    #[test]
    fn platform_selection() {
        let index = ImageIndex {
            schema_version: 2,
            media_type: Some(OCI_INDEX.into()),
            manifests: vec![
                desc("unknown/unknown", '0'),
                desc("linux/amd64", 'a'),
                desc("linux/arm/v6", 'b'),
                desc("linux/arm/v7", 'c'),
                desc("linux/arm64/v8", 'd'),
            ],
            annotations: BTreeMap::new(),
        };
        let pick = |p: &str| {
            select_platform(&index, &p.parse().expect("platform"), "x")
                .map(|d| d.digest.hex()[..1].to_string())
        };
        assert_eq!(pick("linux/amd64").ok().as_deref(), Some("a"));
        assert_eq!(pick("linux/x86_64").ok().as_deref(), Some("a"));
        assert_eq!(pick("linux/arm/v7").ok().as_deref(), Some("c"));
        assert_eq!(pick("linux/arm").ok().as_deref(), Some("b"));
        assert_eq!(pick("linux/arm64").ok().as_deref(), Some("d"));
        assert_eq!(pick("linux/aarch64").ok().as_deref(), Some("d"));
        let err = pick("windows/amd64").expect_err("no windows").to_string();
        assert!(
            err.contains("linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8"),
            "{err}"
        );
        assert!(!err.contains("unknown"), "{err}");
        assert!("linux".parse::<Platform>().is_err());
        assert!("linux/amd64/v1/x".parse::<Platform>().is_err());
    }

    #[test]
    fn parse_kinds() {
        let idx = br#"{"schemaVersion":2,"manifests":[]}"#;
        assert!(matches!(
            Manifest::parse(idx, None, "t"),
            Ok(Manifest::Index(_))
        ));
        let img = br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"x","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0},"layers":[]}"#;
        assert!(matches!(
            Manifest::parse(img, None, "t"),
            Ok(Manifest::Image(_))
        ));
        let v1 = br#"{"schemaVersion":1,"name":"x"}"#;
        let e = Manifest::parse(v1, None, "t").expect_err("v1").to_string();
        assert!(e.contains("schema 1"), "{e}");
        assert!(Manifest::parse(b"[", None, "t").is_err());
    }
}
