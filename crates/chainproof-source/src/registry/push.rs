//! Pushing blobs, manifests and indexes (monolithic uploads). Used by the tests to fill a
//! registry, and usable to copy an OCI layout directory to a registry.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use reqwest::Method;
use reqwest::header::{self, HeaderMap, HeaderValue};

use super::RegistryError;
use super::client::{Payload, RegistryClient};
use super::digest::{Digest, copy_hashed};
use super::manifest::{self, Descriptor, ImageIndex, ImageManifest, Manifest, Platform};
use super::pull::check_status;
use super::reference::Reference;

/// What a manifest push left in the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedManifest {
    pub digest: Digest,
    pub size: u64,
    pub media_type: String,
}

impl PushedManifest {
    /// A descriptor of this manifest for an index entry.
    pub fn descriptor(&self, platform: Option<Platform>) -> Descriptor {
        Descriptor {
            media_type: self.media_type.clone(),
            digest: self.digest.clone(),
            size: self.size,
            platform,
            annotations: BTreeMap::new(),
        }
    }
}

fn push_scope(repo: &str) -> String {
    format!("repository:{repo}:pull,push")
}

impl RegistryClient {
    /// Does the repository have this blob (`HEAD /v2/<repo>/blobs/<digest>`)?
    pub fn blob_exists(&self, repo: &str, digest: &Digest) -> Result<bool, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/blobs/{digest}"))?;
        let resp = self.send(
            Method::HEAD,
            &url,
            &HeaderMap::new(),
            Payload::Empty,
            &push_scope(repo),
        )?;
        Ok(resp.status().is_success())
    }

    /// Uploads in-memory bytes as a blob; returns their digest.
    pub fn push_blob_bytes(&self, repo: &str, bytes: &[u8]) -> Result<Digest, RegistryError> {
        let digest = Digest::sha256_of(bytes);
        self.upload(repo, &digest, Payload::Bytes(bytes))?;
        Ok(digest)
    }

    /// Uploads a file as a blob after checking that it has `digest` and `size`.
    pub fn push_blob_file(
        &self,
        repo: &str,
        path: &Path,
        digest: &Digest,
        size: u64,
    ) -> Result<(), RegistryError> {
        let mut f = fs::File::open(path).map_err(|e| RegistryError::io(path, e))?;
        let what = path.display().to_string();
        let (actual, n) = copy_hashed(&mut f, &mut std::io::sink(), digest.algorithm(), size)
            .map_err(|_| RegistryError::SizeMismatch {
                what: what.clone(),
                expected: size,
                actual: size.saturating_add(1),
            })?;
        if n != size {
            return Err(RegistryError::SizeMismatch {
                what,
                expected: size,
                actual: n,
            });
        }
        if actual != *digest {
            return Err(RegistryError::DigestMismatch {
                what,
                expected: digest.to_string(),
                actual: actual.to_string(),
            });
        }
        self.upload(repo, digest, Payload::File(path, size))
    }

    /// POST an upload session, then PUT the whole blob with `?digest=`. Skipped when the
    /// registry already has the blob.
    fn upload(
        &self,
        repo: &str,
        digest: &Digest,
        payload: Payload<'_>,
    ) -> Result<(), RegistryError> {
        if self.blob_exists(repo, digest)? {
            return Ok(());
        }
        let scope = push_scope(repo);
        let what = format!("upload of {digest} to {repo}");
        let start = self.url(&format!("/v2/{repo}/blobs/uploads/"))?;
        let resp = self.send(
            Method::POST,
            &start,
            &HeaderMap::new(),
            Payload::Empty,
            &scope,
        )?;
        let resp = check_status(resp, "POST", &start, &what)?;
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| RegistryError::Status {
                method: "POST".into(),
                url: start.to_string(),
                status: resp.status().as_u16(),
                detail: "upload session without a Location".into(),
            })?;
        let mut put = self.url(location)?;
        put.query_pairs_mut()
            .append_pair("digest", &digest.to_string());
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        );
        let resp = self.send(Method::PUT, &put, &headers, payload, &scope)?;
        check_status(resp, "PUT", &put, &what)?;
        Ok(())
    }

    /// PUTs a manifest (or index) under `reference` (a tag or its digest).
    pub fn push_manifest(
        &self,
        repo: &str,
        reference: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<PushedManifest, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/manifests/{reference}"))?;
        let mut headers = HeaderMap::new();
        let ct = HeaderValue::from_str(media_type).map_err(|_| RegistryError::InvalidManifest {
            what: repo.to_string(),
            reason: format!("bad media type `{media_type}`"),
        })?;
        headers.insert(header::CONTENT_TYPE, ct);
        let resp = self.send(
            Method::PUT,
            &url,
            &headers,
            Payload::Bytes(bytes),
            &push_scope(repo),
        )?;
        check_status(resp, "PUT", &url, &format!("manifest {repo}:{reference}"))?;
        Ok(PushedManifest {
            digest: Digest::sha256_of(bytes),
            size: bytes.len() as u64,
            media_type: media_type.to_string(),
        })
    }
}

/// An image built in memory: a config and layer blobs.
#[derive(Debug, Clone)]
pub struct MemoryImage {
    pub config: Vec<u8>,
    pub config_media_type: String,
    /// (media type, bytes)
    pub layers: Vec<(String, Vec<u8>)>,
    pub manifest_media_type: String,
}

impl MemoryImage {
    /// An OCI image with this config JSON and no layers yet.
    pub fn new(config: Vec<u8>) -> MemoryImage {
        MemoryImage {
            config,
            config_media_type: manifest::OCI_CONFIG.into(),
            layers: Vec::new(),
            manifest_media_type: manifest::OCI_MANIFEST.into(),
        }
    }

    /// Adds a layer (e.g. `OCI_LAYER_TAR` or `OCI_LAYER_GZIP` bytes).
    pub fn with_layer(mut self, media_type: &str, bytes: Vec<u8>) -> MemoryImage {
        self.layers.push((media_type.to_string(), bytes));
        self
    }

    /// The manifest document.
    pub fn manifest(&self) -> Vec<u8> {
        let desc = |media: &str, bytes: &[u8]| Descriptor {
            media_type: media.to_string(),
            digest: Digest::sha256_of(bytes),
            size: bytes.len() as u64,
            platform: None,
            annotations: BTreeMap::new(),
        };
        let m = ImageManifest {
            schema_version: 2,
            media_type: Some(self.manifest_media_type.clone()),
            config: desc(&self.config_media_type, &self.config),
            layers: self.layers.iter().map(|(m, b)| desc(m, b)).collect(),
        };
        serde_json::to_vec(&m)
            .expect("serializing a manifest of plain strings and numbers cannot fail")
    }

    /// Uploads the blobs and PUTs the manifest under the reference's tag (or by digest).
    pub fn push(
        &self,
        client: &RegistryClient,
        reference: &Reference,
    ) -> Result<PushedManifest, RegistryError> {
        let repo = reference.repository();
        client.push_blob_bytes(repo, &self.config)?;
        for (_, layer) in &self.layers {
            client.push_blob_bytes(repo, layer)?;
        }
        let manifest = self.manifest();
        let target = reference
            .tag()
            .map_or_else(|| Digest::sha256_of(&manifest).to_string(), str::to_string);
        client.push_manifest(repo, &target, &self.manifest_media_type, &manifest)
    }
}

/// PUTs an OCI index of already pushed manifests under the reference's tag.
pub fn push_index(
    client: &RegistryClient,
    reference: &Reference,
    entries: &[Descriptor],
) -> Result<PushedManifest, RegistryError> {
    let index = ImageIndex {
        schema_version: 2,
        media_type: Some(manifest::OCI_INDEX.into()),
        manifests: entries.to_vec(),
        annotations: BTreeMap::new(),
    };
    let bytes = serde_json::to_vec(&index)
        .expect("serializing an index of plain strings and numbers cannot fail");
    let target = reference
        .tag()
        .map_or_else(|| Digest::sha256_of(&bytes).to_string(), str::to_string);
    client.push_manifest(reference.repository(), &target, manifest::OCI_INDEX, &bytes)
}

/// Pushes an OCI image layout directory: every manifest of its `index.json` with its blobs
/// (nested indexes too), then tags the single manifest, or an index of all of them.
pub fn push_layout(
    client: &RegistryClient,
    dir: &Path,
    reference: &Reference,
) -> Result<PushedManifest, RegistryError> {
    let index_path = dir.join("index.json");
    let text = fs::read(&index_path).map_err(|e| RegistryError::io(&index_path, e))?;
    let what = index_path.display().to_string();
    let index = match Manifest::parse(&text, Some(manifest::OCI_INDEX), &what)? {
        Manifest::Index(i) => i,
        Manifest::Image(_) => {
            return Err(RegistryError::InvalidManifest {
                what,
                reason: "index.json is not an image index".into(),
            });
        }
    };
    let repo = reference.repository();
    for d in &index.manifests {
        push_tree(client, dir, repo, d, 0)?;
    }
    let tag = reference.tag().map(str::to_string);
    match (index.manifests.as_slice(), tag) {
        ([one], Some(tag)) => {
            let bytes = read_blob(dir, one)?;
            client.push_manifest(repo, &tag, &one.media_type, &bytes)
        }
        ([one], None) => Ok(PushedManifest {
            digest: one.digest.clone(),
            size: one.size,
            media_type: one.media_type.clone(),
        }),
        (many, _) => {
            let entries: Vec<Descriptor> = many
                .iter()
                .map(|d| Descriptor {
                    annotations: BTreeMap::new(),
                    ..d.clone()
                })
                .collect();
            push_index(client, reference, &entries)
        }
    }
}

fn blob_path(dir: &Path, d: &Descriptor) -> std::path::PathBuf {
    dir.join("blobs")
        .join(d.digest.algorithm().name())
        .join(d.digest.hex())
}

fn read_blob(dir: &Path, d: &Descriptor) -> Result<Vec<u8>, RegistryError> {
    let path = blob_path(dir, d);
    let what = path.display().to_string();
    let meta = fs::metadata(&path).map_err(|e| RegistryError::io(&path, e))?;
    if meta.len() != d.size || d.size > 4 * 1024 * 1024 {
        return Err(RegistryError::SizeMismatch {
            what,
            expected: d.size,
            actual: meta.len(),
        });
    }
    let bytes = fs::read(&path).map_err(|e| RegistryError::io(&path, e))?;
    let actual = Digest::of(d.digest.algorithm(), &bytes);
    if actual != d.digest {
        return Err(RegistryError::DigestMismatch {
            what,
            expected: d.digest.to_string(),
            actual: actual.to_string(),
        });
    }
    Ok(bytes)
}

fn push_tree(
    client: &RegistryClient,
    dir: &Path,
    repo: &str,
    d: &Descriptor,
    depth: u32,
) -> Result<(), RegistryError> {
    if depth > 4 {
        return Err(RegistryError::InvalidManifest {
            what: d.digest.to_string(),
            reason: "indexes nested too deeply".into(),
        });
    }
    let bytes = read_blob(dir, d)?;
    match Manifest::parse(&bytes, Some(&d.media_type), &d.digest.to_string())? {
        Manifest::Image(m) => {
            for b in std::iter::once(&m.config).chain(&m.layers) {
                client.push_blob_file(repo, &blob_path(dir, b), &b.digest, b.size)?;
            }
        }
        Manifest::Index(i) => {
            for child in &i.manifests {
                push_tree(client, dir, repo, child, depth + 1)?;
            }
        }
    }
    client.push_manifest(repo, &d.digest.to_string(), &d.media_type, &bytes)?;
    Ok(())
}
