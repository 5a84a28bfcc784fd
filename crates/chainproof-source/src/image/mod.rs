//! Container images read from files: `docker save` tarballs (`docker-archive:`), OCI layout
//! tarballs (`oci-archive:`) and OCI layout directories (`oci-dir:`).
//!
//! Layers are streamed once each and never unpacked to disk. Every digest is checked while
//! reading (manifest, config, each layer blob and each layer's `diff_id`); hostile input is
//! bounded by [`ImageLimits`]. Whiteouts are applied; the result is an [`Image`], whose
//! [`squashed`](Image::squashed) view or per-layer [`layer_views`](Image::layer_views) are
//! [`FileResolver`](crate::FileResolver)s the catalogers run on.
//!
//! Only the content of files a [`KeepFn`] asks for stays in memory (everything when there is
//! none), within [`ImageLimits::max_memory`].
//!
//! ```no_run
//! use chainproof_source::FileResolver;
//! use chainproof_source::image::{ImageOptions, ImageTarget};
//! let target = ImageTarget::parse("docker-archive:alpine.tar").unwrap();
//! let image = target.open(&ImageOptions::default()).unwrap();
//! let fs = image.squashed();
//! let installed = fs.read_to_string("lib/apk/db/installed").unwrap();
//! ```

mod container;
mod digest;
mod layer;
mod load;
mod oci;
#[cfg(feature = "pack")]
pub mod pack;
mod resolver;
mod spec;
mod tree;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use oci::{Algorithm, Digest, DigestError, Platform, PlatformError};
pub use resolver::ImageResolver;

/// What the caller is told about a file before its content is read: the catalogers decide
/// from the path, and binary catalogers from the first bytes (magic number).
#[derive(Debug, Clone, Copy)]
pub struct FileInfo<'a> {
    /// Path inside the image, relative, `/`-separated.
    pub path: &'a str,
    /// Size declared by the layer.
    pub size: u64,
    /// The first (up to 16) bytes.
    pub head: &'a [u8],
}

/// Decides which files' content is kept in memory.
pub type KeepFn = dyn Fn(&FileInfo<'_>) -> bool + Send + Sync;

/// Caps on what an image may make us read or hold; past one, reading stops with
/// [`ImageError::Limit`] (or, for file contents, the file is skipped with a warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageLimits {
    /// A JSON document (manifest, index, config): 8 MiB.
    pub max_json_size: u64,
    /// Uncompressed bytes of one layer (bounds gzip bombs and lying tar headers): 16 GiB.
    pub max_layer_size: u64,
    /// Uncompressed bytes of all layers together: 64 GiB.
    pub max_image_size: u64,
    /// Tar entries in all layers together: 4 million.
    pub max_entries: u64,
    /// Content kept for one file: [`DEFAULT_MAX_FILE_SIZE`](crate::DEFAULT_MAX_FILE_SIZE)
    /// (256 MiB). Larger wanted files are skipped with a warning.
    pub max_file_size: u64,
    /// Content kept for all files together: 2 GiB. Past it, files are skipped with a warning.
    pub max_memory: u64,
    /// Layers in one image: 1000.
    pub max_layers: usize,
    /// Bytes of one entry path: 4096.
    pub max_path_len: usize,
    /// Symbolic links followed while resolving one path: 40 (as Linux).
    pub max_symlink_hops: u32,
}

impl Default for ImageLimits {
    fn default() -> Self {
        ImageLimits {
            max_json_size: 8 << 20,
            max_layer_size: 16 << 30,
            max_image_size: 64 << 30,
            max_entries: 4_000_000,
            max_file_size: crate::DEFAULT_MAX_FILE_SIZE,
            max_memory: 2 << 30,
            max_layers: 1000,
            max_path_len: 4096,
            max_symlink_hops: 40,
        }
    }
}

/// How to open an image.
#[derive(Clone, Default)]
pub struct ImageOptions {
    /// The platform to pick from a multi-platform index; `None`: the only one, else
    /// `linux/amd64`.
    pub platform: Option<Platform>,
    pub limits: ImageLimits,
    /// Which files to keep the content of; `None`: all (within the limits).
    pub keep: Option<Arc<KeepFn>>,
}

impl fmt::Debug for ImageOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImageOptions")
            .field("platform", &self.platform)
            .field("limits", &self.limits)
            .field("keep", &self.keep.as_ref().map(|_| "<fn>"))
            .finish()
    }
}

/// Which files an SBOM of an image covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The final filesystem (default).
    #[default]
    Squashed,
    /// Every file version of every layer, including those deleted or overwritten later.
    AllLayers,
}

impl std::str::FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "squashed" => Ok(Scope::Squashed),
            "all-layers" => Ok(Scope::AllLayers),
            _ => Err(format!(
                "unknown scope `{s}` (expected squashed or all-layers)"
            )),
        }
    }
}

/// An image stored in a file or directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageTarget {
    /// `docker save` output (optionally gzip'd).
    DockerArchive(PathBuf),
    /// A tar of an OCI image layout (optionally gzip'd).
    OciArchive(PathBuf),
    /// An OCI image layout directory (what a registry pull writes, too).
    OciDir(PathBuf),
}

impl ImageTarget {
    /// `docker-archive:PATH`, `oci-archive:PATH`, `oci-dir:PATH`; `None` for anything else.
    pub fn parse(spec: &str) -> Option<ImageTarget> {
        let (scheme, path) = spec.split_once(':')?;
        let path = PathBuf::from(path);
        match scheme {
            "docker-archive" => Some(ImageTarget::DockerArchive(path)),
            "oci-archive" => Some(ImageTarget::OciArchive(path)),
            "oci-dir" => Some(ImageTarget::OciDir(path)),
            _ => None,
        }
    }

    /// Recognizes an image given as a bare path: a directory with an `oci-layout` file, or a
    /// tar (plain or gzip'd) holding `manifest.json` (docker-archive) or `oci-layout`
    /// (oci-archive). `None` when the path is not an image.
    pub fn detect(path: &Path) -> Option<ImageTarget> {
        if path.is_dir() {
            return path
                .join("oci-layout")
                .is_file()
                .then(|| ImageTarget::OciDir(path.to_path_buf()));
        }
        let limits = ImageLimits::default();
        let c = container::Container::open_tar(path, &limits).ok()?;
        if c.exists("manifest.json") {
            Some(ImageTarget::DockerArchive(path.to_path_buf()))
        } else if c.exists("oci-layout") {
            Some(ImageTarget::OciArchive(path.to_path_buf()))
        } else {
            None
        }
    }

    /// The path of the file or directory.
    pub fn path(&self) -> &Path {
        match self {
            ImageTarget::DockerArchive(p) | ImageTarget::OciArchive(p) | ImageTarget::OciDir(p) => {
                p
            }
        }
    }

    /// `docker-archive`, `oci-archive` or `oci-dir`.
    pub fn scheme(&self) -> &'static str {
        match self {
            ImageTarget::DockerArchive(_) => "docker-archive",
            ImageTarget::OciArchive(_) => "oci-archive",
            ImageTarget::OciDir(_) => "oci-dir",
        }
    }

    /// Reads the image: documents, every layer (streamed, digests checked), whiteouts.
    pub fn open(&self, options: &ImageOptions) -> Result<Image, ImageError> {
        load::open(self, options)
    }
}

/// One layer of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerInfo {
    /// Digest of the blob as stored (compressed), `sha256:…`.
    pub digest: String,
    /// Digest of the uncompressed tar (the config's `rootfs.diff_ids` entry).
    pub diff_id: String,
    pub media_type: Option<String>,
    /// Bytes of the blob as stored.
    pub size: u64,
    /// Bytes of the uncompressed tar.
    pub uncompressed_size: u64,
}

/// What is known about an image.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageMetadata {
    /// `docker-archive`, `oci-archive`, `oci-dir`.
    pub scheme: String,
    /// The file or directory it was read from.
    pub location: String,
    /// Digest of the image manifest (what `repo@sha256:…` names), when the storage has one
    /// (OCI layouts; a legacy `docker save` tarball has none).
    pub manifest_digest: Option<String>,
    /// Digest of the config blob (docker's "image ID").
    pub config_digest: String,
    pub media_type: Option<String>,
    /// `repo:tag` names (`alpine:3.10`, `ghcr.io/x/y:1`).
    pub repo_tags: Vec<String>,
    pub os: Option<String>,
    pub architecture: Option<String>,
    pub variant: Option<String>,
    /// Bottom layer first.
    pub layers: Vec<LayerInfo>,
}

/// An image read into memory: its tree of files, layer by layer.
#[derive(Debug, Clone)]
pub struct Image {
    shared: Arc<resolver::Shared>,
    warnings: Vec<String>,
}

impl Image {
    /// An image of raw layer blobs (tar, gzip'd or zstd'd), bottom first, with no manifest:
    /// nothing to verify digests against. For fuzzing and tests of layer handling.
    pub fn from_layers(blobs: &[&[u8]], options: &ImageOptions) -> Result<Image, ImageError> {
        load::from_layers(blobs, options)
    }

    pub fn metadata(&self) -> &ImageMetadata {
        &self.shared.metadata
    }

    /// Things that did not stop reading but make the result incomplete: wanted files over
    /// the caps, hard links to missing files.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn top(&self) -> u32 {
        u32::try_from(self.shared.metadata.layers.len().saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// The final filesystem.
    pub fn squashed(&self) -> ImageResolver {
        ImageResolver::new(Arc::clone(&self.shared), self.top(), false)
    }

    /// One resolver per layer, bottom first: its files are those the layer wrote.
    pub fn layer_views(&self) -> Vec<ImageResolver> {
        (0..self.shared.metadata.layers.len())
            .map(|i| ImageResolver::new(Arc::clone(&self.shared), i as u32, true))
            .collect()
    }

    /// The resolvers to catalog for `scope`.
    pub fn resolvers(&self, scope: Scope) -> Vec<ImageResolver> {
        match scope {
            Scope::Squashed => vec![self.squashed()],
            Scope::AllLayers => self.layer_views(),
        }
    }
}

/// Why an image could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{place}: {message}")]
    Format { place: String, message: String },
    #[error("{place}: digest mismatch: expected {expected}, the content hashes to {actual}")]
    Digest {
        place: String,
        expected: String,
        actual: String,
    },
    #[error(
        "{place}: more than {limit} {what}; refusing to read further (hostile or corrupt image?)"
    )]
    Limit {
        place: String,
        what: &'static str,
        limit: u64,
    },
    #[error("{place}: no image for platform {wanted}; available: {available}")]
    Platform {
        place: String,
        wanted: String,
        available: String,
    },
}

impl ImageError {
    pub(crate) fn format(place: impl fmt::Display, message: impl Into<String>) -> Self {
        ImageError::Format {
            place: place.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn limit(place: impl fmt::Display, what: &'static str, limit: u64) -> Self {
        ImageError::Limit {
            place: place.to_string(),
            what,
            limit,
        }
    }
}
