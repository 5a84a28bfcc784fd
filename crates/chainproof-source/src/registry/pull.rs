//! `pull`: a reference → a verified OCI image layout directory.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};

use super::client::{Payload, RegistryClient, error_detail};
use super::digest::{Digest, copy_hashed};
use super::manifest::{
    self, ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, Descriptor, ImageManifest, Manifest, Platform,
};
use super::reference::Reference;
use super::{RegistryError, RegistryOptions};

/// Caps on what a registry may make us download.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A manifest or index document (containerd uses 4 MiB too).
    pub max_manifest_bytes: u64,
    /// The image config JSON.
    pub max_config_bytes: u64,
    /// One layer.
    pub max_layer_bytes: u64,
    /// All layers and the config together.
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_manifest_bytes: 4 * 1024 * 1024,
            max_config_bytes: 32 * 1024 * 1024,
            max_layer_bytes: 8 * 1024 * 1024 * 1024,
            max_total_bytes: 32 * 1024 * 1024 * 1024,
        }
    }
}

/// Options of [`pull`].
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// The platform to pick from a multi-arch index (default `linux/amd64`). When set, a
    /// single-platform image whose config says otherwise is refused too.
    pub platform: Option<Platform>,
    pub registry: RegistryOptions,
    /// Write the layout here (created; must be empty if it exists) instead of a temp dir.
    pub output_dir: Option<PathBuf>,
    pub limits: Limits,
}

/// Where a pulled layout lives.
#[derive(Debug)]
enum LayoutDir {
    Temp(tempfile::TempDir),
    Given(PathBuf),
}

/// A pulled image: a verified OCI layout directory and what the SBOM says about it.
#[derive(Debug)]
pub struct PulledImage {
    layout: LayoutDir,
    /// The reference as asked for, normalized.
    pub reference: Reference,
    /// Digest of the platform's image manifest (the one `index.json` points to).
    pub manifest_digest: Digest,
    pub manifest_media_type: String,
    /// Digest of the multi-arch index the manifest was picked from, if any.
    pub index_digest: Option<Digest>,
    pub config_digest: Digest,
    pub layers: Vec<Descriptor>,
    /// The platform from the image config (or from the index entry).
    pub platform: Option<Platform>,
    /// `registry/repo:tag` when pulled by tag.
    pub repo_tags: Vec<String>,
    /// `registry/repo@digest` of what the reference resolved to (the index when multi-arch).
    pub repo_digests: Vec<String>,
}

impl PulledImage {
    /// The OCI image layout directory (`oci-layout`, `index.json`, `blobs/`).
    pub fn layout_dir(&self) -> &Path {
        match &self.layout {
            LayoutDir::Temp(t) => t.path(),
            LayoutDir::Given(p) => p,
        }
    }

    /// Keeps a temporary layout directory on disk and returns its path.
    pub fn keep(self) -> PathBuf {
        match self.layout {
            LayoutDir::Temp(t) => t.keep(),
            LayoutDir::Given(p) => p,
        }
    }
}

/// The scope of a pull of `repo` in the token flow.
pub(crate) fn pull_scope(repo: &str) -> String {
    format!("repository:{repo}:pull")
}

/// Pulls `reference` into an OCI image layout directory, verifying every digest and size.
pub fn pull(reference: &Reference, options: &PullOptions) -> Result<PulledImage, RegistryError> {
    let client = RegistryClient::connect(reference, &options.registry)?;
    pull_with(&client, reference, options)
}

/// [`pull`] through an existing client (of the reference's registry).
pub fn pull_with(
    client: &RegistryClient,
    reference: &Reference,
    options: &PullOptions,
) -> Result<PulledImage, RegistryError> {
    let layout = match &options.output_dir {
        Some(dir) => {
            prepare_dir(dir)?;
            LayoutDir::Given(dir.clone())
        }
        None => LayoutDir::Temp(
            tempfile::Builder::new()
                .prefix("chainproof-pull-")
                .tempdir()
                .map_err(|e| RegistryError::io(&std::env::temp_dir(), e))?,
        ),
    };
    let root = match &layout {
        LayoutDir::Temp(t) => t.path().to_path_buf(),
        LayoutDir::Given(p) => p.clone(),
    };
    let repo = reference.repository();
    let what = reference.to_string();
    let (body, media, digest) = fetch_manifest(
        client,
        repo,
        &reference.manifest_reference(),
        reference.digest(),
        &what,
        &options.limits,
    )?;
    write_blob(&root, &digest, &body)?;
    let want = options
        .platform
        .clone()
        .unwrap_or_else(Platform::linux_amd64);
    let (image, media, manifest_digest, manifest_size, index_digest, index_platform) =
        match Manifest::parse(&body, Some(&media), &what)? {
            Manifest::Image(m) => {
                let size = body.len() as u64;
                (m, media, digest.clone(), size, None, None)
            }
            Manifest::Index(index) => {
                let chosen = manifest::select_platform(&index, &want, &what)?.clone();
                let child_what = format!(
                    "{what} ({})",
                    chosen
                        .platform
                        .as_ref()
                        .map_or_else(String::new, Platform::to_string)
                );
                if chosen.size > options.limits.max_manifest_bytes {
                    return Err(RegistryError::TooLarge {
                        what: child_what,
                        size: chosen.size,
                        limit: options.limits.max_manifest_bytes,
                    });
                }
                let (child, child_media, child_digest) = fetch_manifest(
                    client,
                    repo,
                    &chosen.digest.to_string(),
                    Some(&chosen.digest),
                    &child_what,
                    &options.limits,
                )?;
                if child.len() as u64 != chosen.size {
                    return Err(RegistryError::SizeMismatch {
                        what: child_what,
                        expected: chosen.size,
                        actual: child.len() as u64,
                    });
                }
                write_blob(&root, &child_digest, &child)?;
                match Manifest::parse(&child, Some(&child_media), &child_what)? {
                    Manifest::Image(m) => {
                        let media = m.media_type.clone().unwrap_or(chosen.media_type.clone());
                        (
                            m,
                            media,
                            child_digest,
                            chosen.size,
                            Some(digest.clone()),
                            chosen.platform.clone(),
                        )
                    }
                    Manifest::Index(_) => {
                        return Err(RegistryError::InvalidManifest {
                            what: child_what,
                            reason: "an index inside an index is not supported".into(),
                        });
                    }
                }
            }
        };
    let media = manifest_media_type(&image, media);
    check_declared_sizes(&image, &options.limits, &what)?;
    let config = &image.config;
    fetch_blob(client, repo, config, &root, &format!("{what} config"))?;
    let config_platform = read_config_platform(&root, &config.digest);
    if let (Some(entry), Some(cfg)) = (&index_platform, &config_platform) {
        let (e, c) = (entry.normalized(), cfg.normalized());
        if e.os != c.os || e.architecture != c.architecture {
            return Err(RegistryError::InvalidManifest {
                what,
                reason: format!("the index lists this image as {entry} but its config says {cfg}"),
            });
        }
    }
    let platform = config_platform.or(index_platform);
    if let (Some(asked), Some(have), None) = (&options.platform, &platform, &index_digest)
        && !asked.matches(have)
    {
        return Err(RegistryError::PlatformNotFound {
            what: what.clone(),
            platform: asked.to_string(),
            available: vec![have.to_string()],
        });
    }
    for (i, layer) in image.layers.iter().enumerate() {
        fetch_blob(
            client,
            repo,
            layer,
            &root,
            &format!("{what} layer {} ({})", i + 1, layer.digest),
        )?;
    }
    let mut annotations = BTreeMap::new();
    annotations.insert(ANNOTATION_IMAGE_NAME.to_string(), reference.to_string());
    if let Some(t) = reference.tag() {
        annotations.insert(ANNOTATION_REF_NAME.to_string(), t.to_string());
    }
    let top = Descriptor {
        media_type: media.clone(),
        digest: manifest_digest.clone(),
        size: manifest_size,
        platform: platform.clone(),
        annotations,
    };
    write_layout_files(&root, &[top])?;
    let name = reference.name();
    Ok(PulledImage {
        layout,
        reference: reference.clone(),
        manifest_digest,
        manifest_media_type: media,
        index_digest: index_digest.clone(),
        config_digest: config.digest.clone(),
        layers: image.layers.clone(),
        platform,
        repo_tags: reference
            .tag()
            .map(|t| vec![format!("{name}:{t}")])
            .unwrap_or_default(),
        repo_digests: vec![format!("{name}@{digest}")],
    })
}

/// The media type for `index.json`: the manifest's own, else the response's Content-Type
/// when it names a manifest type, else guessed from the config's media type.
fn manifest_media_type(m: &ImageManifest, content_type: String) -> String {
    let known = |t: &str| t == manifest::OCI_MANIFEST || t == manifest::DOCKER_MANIFEST;
    match (&m.media_type, content_type) {
        (Some(t), _) if !t.is_empty() => t.clone(),
        (_, ct) if known(&ct) => ct,
        _ if m.config.media_type == manifest::DOCKER_CONFIG => manifest::DOCKER_MANIFEST.into(),
        _ => manifest::OCI_MANIFEST.into(),
    }
}

fn prepare_dir(dir: &Path) -> Result<(), RegistryError> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| RegistryError::io(dir, e))?;
        if entries.next().is_some() {
            return Err(RegistryError::io(
                dir,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "output directory is not empty",
                ),
            ));
        }
        Ok(())
    } else {
        fs::create_dir_all(dir).map_err(|e| RegistryError::io(dir, e))
    }
}

fn check_declared_sizes(
    m: &ImageManifest,
    limits: &Limits,
    what: &str,
) -> Result<(), RegistryError> {
    if m.config.size > limits.max_config_bytes {
        return Err(RegistryError::TooLarge {
            what: format!("{what} config"),
            size: m.config.size,
            limit: limits.max_config_bytes,
        });
    }
    let mut total = m.config.size;
    for l in &m.layers {
        if l.size > limits.max_layer_bytes {
            return Err(RegistryError::TooLarge {
                what: format!("{what} layer {}", l.digest),
                size: l.size,
                limit: limits.max_layer_bytes,
            });
        }
        total = total.saturating_add(l.size);
    }
    if total > limits.max_total_bytes {
        return Err(RegistryError::TooLarge {
            what: format!("{what} (all layers)"),
            size: total,
            limit: limits.max_total_bytes,
        });
    }
    Ok(())
}

/// GETs a manifest: body, media type, digest (computed; checked against `expected` and
/// against the registry's `Docker-Content-Digest`).
pub(crate) fn fetch_manifest(
    client: &RegistryClient,
    repo: &str,
    reference: &str,
    expected: Option<&Digest>,
    what: &str,
    limits: &Limits,
) -> Result<(Vec<u8>, String, Digest), RegistryError> {
    let url = client.url(&format!("/v2/{repo}/manifests/{reference}"))?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::ACCEPT,
        HeaderValue::from_static(manifest::MANIFEST_ACCEPT),
    );
    let resp = client.send(
        Method::GET,
        &url,
        &headers,
        Payload::Empty,
        &pull_scope(repo),
    )?;
    let resp = check_status(resp, "GET", &url, what)?;
    let media = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_string())
        .unwrap_or_default();
    let reported = resp
        .headers()
        .get("docker-content-digest")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let limit = limits.max_manifest_bytes;
    let mut body = Vec::new();
    resp.take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|e| RegistryError::Transport {
            method: "GET".into(),
            url: url.to_string(),
            message: e.to_string(),
        })?;
    if body.len() as u64 > limit {
        return Err(RegistryError::TooLarge {
            what: format!("{what} manifest"),
            size: body.len() as u64,
            limit,
        });
    }
    let algorithm = expected.map_or(super::digest::Algorithm::Sha256, Digest::algorithm);
    let actual = Digest::of(algorithm, &body);
    if let Some(exp) = expected
        && *exp != actual
    {
        return Err(RegistryError::DigestMismatch {
            what: format!("{what} manifest"),
            expected: exp.to_string(),
            actual: actual.to_string(),
        });
    }
    if let Some(rep) = reported.and_then(|r| r.parse::<Digest>().ok())
        && rep.algorithm() == actual.algorithm()
        && rep != actual
    {
        return Err(RegistryError::DigestMismatch {
            what: format!("{what} manifest (Docker-Content-Digest header)"),
            expected: rep.to_string(),
            actual: actual.to_string(),
        });
    }
    Ok((body, media, actual))
}

pub(crate) fn check_status(
    resp: reqwest::blocking::Response,
    method: &str,
    url: &reqwest::Url,
    what: &str,
) -> Result<reqwest::blocking::Response, RegistryError> {
    match resp.status() {
        s if s.is_success() => Ok(resp),
        StatusCode::NOT_FOUND => Err(RegistryError::NotFound {
            what: what.to_string(),
            detail: error_detail(resp),
        }),
        s => Err(RegistryError::Status {
            method: method.into(),
            url: url.to_string(),
            status: s.as_u16(),
            detail: error_detail(resp),
        }),
    }
}

/// Streams a blob into `blobs/<alg>/<hex>` of `root`: written to a partial file, checked
/// (size, digest), then renamed.
fn fetch_blob(
    client: &RegistryClient,
    repo: &str,
    desc: &Descriptor,
    root: &Path,
    what: &str,
) -> Result<(), RegistryError> {
    let dir = root.join("blobs").join(desc.digest.algorithm().name());
    fs::create_dir_all(&dir).map_err(|e| RegistryError::io(&dir, e))?;
    let final_path = dir.join(desc.digest.hex());
    if final_path.exists() {
        return Ok(()); // already fetched and verified (a layer listed twice)
    }
    let url = client.url(&format!("/v2/{repo}/blobs/{}", desc.digest))?;
    let resp = client.send(
        Method::GET,
        &url,
        &HeaderMap::new(),
        Payload::Empty,
        &pull_scope(repo),
    )?;
    let mut resp = check_status(resp, "GET", &url, what)?;
    if let Some(len) = resp.content_length()
        && len != desc.size
    {
        return Err(RegistryError::SizeMismatch {
            what: what.to_string(),
            expected: desc.size,
            actual: len,
        });
    }
    let partial = dir.join(format!(".partial-{}", desc.digest.hex()));
    let result = (|| {
        let mut file = fs::File::create(&partial).map_err(|e| RegistryError::io(&partial, e))?;
        let (digest, n) = copy_hashed(&mut resp, &mut file, desc.digest.algorithm(), desc.size)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::InvalidData {
                    RegistryError::SizeMismatch {
                        what: what.to_string(),
                        expected: desc.size,
                        actual: desc.size.saturating_add(1),
                    }
                } else {
                    RegistryError::Transport {
                        method: "GET".into(),
                        url: url.to_string(),
                        message: e.to_string(),
                    }
                }
            })?;
        file.flush().map_err(|e| RegistryError::io(&partial, e))?;
        if n != desc.size {
            return Err(RegistryError::SizeMismatch {
                what: what.to_string(),
                expected: desc.size,
                actual: n,
            });
        }
        if digest != desc.digest {
            return Err(RegistryError::DigestMismatch {
                what: what.to_string(),
                expected: desc.digest.to_string(),
                actual: digest.to_string(),
            });
        }
        fs::rename(&partial, &final_path).map_err(|e| RegistryError::io(&final_path, e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&partial);
    }
    result
}

/// Writes verified in-memory bytes as a blob.
pub(crate) fn write_blob(root: &Path, digest: &Digest, bytes: &[u8]) -> Result<(), RegistryError> {
    let dir = root.join("blobs").join(digest.algorithm().name());
    fs::create_dir_all(&dir).map_err(|e| RegistryError::io(&dir, e))?;
    let path = dir.join(digest.hex());
    fs::write(&path, bytes).map_err(|e| RegistryError::io(&path, e))
}

/// `oci-layout` and `index.json` listing `manifests`.
pub(crate) fn write_layout_files(
    root: &Path,
    manifests: &[Descriptor],
) -> Result<(), RegistryError> {
    let layout = root.join("oci-layout");
    fs::write(&layout, br#"{"imageLayoutVersion":"1.0.0"}"#)
        .map_err(|e| RegistryError::io(&layout, e))?;
    let index = manifest::ImageIndex {
        schema_version: 2,
        media_type: Some(manifest::OCI_INDEX.into()),
        manifests: manifests.to_vec(),
        annotations: BTreeMap::new(),
    };
    let json = serde_json::to_vec_pretty(&index)
        .map_err(|e| RegistryError::io(root, std::io::Error::other(e)))?;
    let path = root.join("index.json");
    fs::write(&path, json).map_err(|e| RegistryError::io(&path, e))
}

/// `os`/`architecture`/`variant` of an image config blob, if it has them.
fn read_config_platform(root: &Path, digest: &Digest) -> Option<Platform> {
    #[derive(serde::Deserialize)]
    struct Cfg {
        os: Option<String>,
        architecture: Option<String>,
        variant: Option<String>,
    }
    let path = root
        .join("blobs")
        .join(digest.algorithm().name())
        .join(digest.hex());
    let bytes = fs::read(path).ok()?;
    let c: Cfg = serde_json::from_slice(&bytes).ok()?;
    Some(Platform::new(
        &c.os?,
        &c.architecture?,
        c.variant.as_deref(),
    ))
}
