//! The JSON documents of an image: OCI index / manifest / config and docker's `manifest.json`.
//! Only the fields we use; unknown fields are ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::oci::Platform;

pub(crate) const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub(crate) const MT_DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub(crate) const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
pub(crate) const ANNOTATION_CONTAINERD_NAME: &str = "io.containerd.image.name";

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Descriptor {
    #[serde(default)]
    pub media_type: String,
    pub digest: String,
    #[serde(default)]
    pub size: Option<u64>,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

impl Descriptor {
    pub fn is_index(&self) -> bool {
        self.media_type == MT_OCI_INDEX || self.media_type == MT_DOCKER_LIST
    }
}

/// `index.json` of a layout, or an image index / manifest list.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Index {
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
}

/// An image manifest (OCI or docker v2 schema 2).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Manifest {
    #[serde(default)]
    pub media_type: Option<String>,
    pub config: Descriptor,
    #[serde(default)]
    pub layers: Vec<Descriptor>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub(crate) struct Config {
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub rootfs: Option<RootFs>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub(crate) struct RootFs {
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

/// One entry of docker's `manifest.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DockerManifestEntry {
    #[serde(rename = "Config")]
    pub config: String,
    #[serde(rename = "RepoTags", default)]
    pub repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    pub layers: Vec<String>,
}
