//! Where files come from. A [`FileResolver`] lists the regular files of a target and opens
//! them; catalogers read only through it, so the same cataloger runs on a directory, an
//! archive or a container image.
//!
//! ```no_run
//! use chainproof_source::{DirectoryResolver, FileResolver, WalkOptions};
//! let dir = DirectoryResolver::walk(".".as_ref(), &WalkOptions::default()).unwrap();
//! for f in dir.files() {
//!     println!("{} ({} bytes)", f.path, f.size);
//! }
//! ```
#![forbid(unsafe_code)]

mod directory;
pub mod image;
mod memory;
pub mod registry;

use std::io;

pub use directory::{DirectoryResolver, WalkOptions};
pub use image::{Image, ImageResolver, ImageTarget};
pub use memory::MemoryResolver;

/// Largest file a resolver hands to a parser by default (lockfiles are far smaller).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// A regular file of the target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEntry {
    /// Path relative to the target root, `/`-separated, no leading `./`.
    pub path: String,
    pub size: u64,
}

/// Errors of a source.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}: file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: not found in the target")]
    NotFound { path: String },
    #[error("invalid exclude pattern `{pattern}`: {message}")]
    Pattern { pattern: String, message: String },
}

/// The files of a target, read-only.
pub trait FileResolver: Send + Sync {
    /// Every regular file, sorted by path.
    fn files(&self) -> &[FileEntry];

    /// The whole content of a file (relative path, as in [`FileEntry::path`]).
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError>;

    /// At most the first `len` bytes of a file: a cheap look at its magic number before
    /// deciding to read it all.
    fn read_prefix(&self, path: &str, len: usize) -> Result<Vec<u8>, SourceError> {
        let mut bytes = self.read(path)?;
        bytes.truncate(len);
        Ok(bytes)
    }

    /// Whether a regular file exists at this path.
    fn exists(&self, path: &str) -> bool {
        self.files()
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .is_ok()
    }

    /// Reads a file as UTF-8 text (a leading BOM is removed). Invalid UTF-8 is an error.
    fn read_to_string(&self, path: &str) -> Result<String, SourceError> {
        let bytes = self.read(path)?;
        let mut s = String::from_utf8(bytes).map_err(|e| SourceError::Io {
            path: path.to_string(),
            source: io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
            ),
        })?;
        if s.starts_with('\u{feff}') {
            s.drain(..3);
        }
        Ok(s)
    }
}

/// Joins a relative directory and a relative path, resolving `.` and `..` segments without
/// ever leaving the root. Returns `None` if the path would escape.
pub fn join_relative(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The directory part of a relative path (`""` for a file at the root).
pub fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The file-name part of a relative path.
pub fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join() {
        assert_eq!(join_relative("a/b", "c.txt").as_deref(), Some("a/b/c.txt"));
        assert_eq!(join_relative("a/b", "../c.txt").as_deref(), Some("a/c.txt"));
        assert_eq!(join_relative("", "./x/./y").as_deref(), Some("x/y"));
        assert_eq!(join_relative("a", "../../etc/passwd"), None);
        assert_eq!(parent_dir("a/b/c"), "a/b");
        assert_eq!(parent_dir("c"), "");
        assert_eq!(file_name("a/b/c"), "c");
    }
}
