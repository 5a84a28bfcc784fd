//! [`ImageResolver`]: a [`FileResolver`] over one view of an image's layers.

use std::io;
use std::sync::Arc;

use super::tree::{Node, ResolveError, Tree};
use super::{ImageLimits, ImageMetadata, LayerInfo};
use crate::{FileEntry, FileResolver, SourceError};

#[derive(Debug)]
pub(crate) struct Shared {
    pub tree: Tree,
    pub metadata: ImageMetadata,
    pub limits: ImageLimits,
}

/// The files of an image as seen from one layer.
///
/// [`Image::squashed`](super::Image::squashed) sees the final filesystem (what a container
/// starts with); [`Image::layer_views`](super::Image::layer_views) gives one resolver per
/// layer whose [`files`](FileResolver::files) are the files that layer wrote, read in the
/// filesystem as it stood after that layer (so files later deleted or overwritten are seen).
///
/// Symbolic links are followed inside the image root only; only the content of the files
/// the [`KeepFn`](super::KeepFn) wanted is readable, the rest gives an error naming the
/// reason (their first bytes stay available through `read_prefix`).
#[derive(Debug, Clone)]
pub struct ImageResolver {
    shared: Arc<Shared>,
    view: u32,
    files: Vec<FileEntry>,
}

impl ImageResolver {
    pub(crate) fn new(shared: Arc<Shared>, view: u32, own_only: bool) -> Self {
        let files = shared
            .tree
            .files(view, own_only)
            .map(|(path, v)| FileEntry {
                path: path.to_string(),
                size: match &v.node {
                    Node::File(f) => f.size,
                    _ => 0,
                },
            })
            .collect();
        ImageResolver {
            shared,
            view,
            files,
        }
    }

    /// The image this view belongs to.
    pub fn metadata(&self) -> &ImageMetadata {
        &self.shared.metadata
    }

    /// The 0-based index of the top layer of this view.
    pub fn view_layer(&self) -> usize {
        self.view as usize
    }

    /// The layer that wrote the version of `path` this view sees (symlinks followed).
    pub fn layer_of(&self, path: &str) -> Option<&LayerInfo> {
        let (_, v) = self
            .shared
            .tree
            .resolve(path, self.view, self.shared.limits.max_symlink_hops)
            .ok()??;
        self.shared.metadata.layers.get(v.layer as usize)
    }

    fn lookup(&self, path: &str) -> Result<std::sync::Arc<super::layer::FileData>, SourceError> {
        let resolved = self
            .shared
            .tree
            .resolve(path, self.view, self.shared.limits.max_symlink_hops)
            .map_err(|ResolveError::Loop| SourceError::Io {
                path: path.to_string(),
                source: io::Error::other(format!(
                    "too many levels of symbolic links (more than {})",
                    self.shared.limits.max_symlink_hops
                )),
            })?;
        match resolved {
            Some((_, v)) => match &v.node {
                Node::File(f) => Ok(Arc::clone(f)),
                _ => Err(SourceError::NotFound {
                    path: path.to_string(),
                }),
            },
            None => Err(SourceError::NotFound {
                path: path.to_string(),
            }),
        }
    }
}

fn not_kept(path: &str, reason: &str) -> SourceError {
    SourceError::Io {
        path: path.to_string(),
        source: io::Error::other(format!("content not available: {reason}")),
    }
}

impl FileResolver for ImageResolver {
    fn files(&self) -> &[FileEntry] {
        &self.files
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        let f = self.lookup(path)?;
        match &f.content {
            Some(c) => Ok(c.to_vec()),
            None => Err(not_kept(path, f.skipped.unwrap_or("not read"))),
        }
    }

    fn read_prefix(&self, path: &str, len: usize) -> Result<Vec<u8>, SourceError> {
        let f = self.lookup(path)?;
        match &f.content {
            Some(c) => Ok(c[..len.min(c.len())].to_vec()),
            None if len <= f.head().len() || f.head().len() as u64 == f.size => {
                Ok(f.head()[..len.min(f.head().len())].to_vec())
            }
            None => Err(not_kept(path, f.skipped.unwrap_or("not read"))),
        }
    }

    fn exists(&self, path: &str) -> bool {
        self.lookup(path).is_ok()
    }
}
