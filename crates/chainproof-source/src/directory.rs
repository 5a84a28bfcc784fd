use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::{DEFAULT_MAX_FILE_SIZE, FileEntry, FileResolver, SourceError};

/// How to walk a directory.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Glob patterns (relative to the root, e.g. `**/test/**`, `./vendor/**`) to leave out.
    pub exclude: Vec<String>,
    /// Follow symbolic links (off by default: untrusted trees may point anywhere).
    pub follow_symlinks: bool,
    /// Files larger than this are listed but refused by [`FileResolver::read`].
    pub max_file_size: u64,
    /// Worker threads for the walk (0 = automatic).
    pub threads: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            exclude: Vec::new(),
            follow_symlinks: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: 0,
        }
    }
}

/// Directories never descended into: version control metadata.
const SKIPPED_DIRS: &[&str] = &[".git", ".hg", ".svn", ".bzr", "_darcs", ".jj"];

/// The files of a directory tree, walked once in parallel.
///
/// Hidden files are included (`.github/`, `.yarnrc.yml` matter), `.gitignore` is not honoured
/// (ignored files are still shipped), VCS folders are skipped.
#[derive(Debug)]
pub struct DirectoryResolver {
    root: PathBuf,
    files: Vec<FileEntry>,
    max_file_size: u64,
}

impl DirectoryResolver {
    /// Walks `root` and lists its regular files.
    pub fn walk(root: &Path, options: &WalkOptions) -> Result<Self, SourceError> {
        let meta = std::fs::metadata(root).map_err(|source| SourceError::Io {
            path: root.display().to_string(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(SourceError::Io {
                path: root.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a directory"),
            });
        }
        let exclude = build_globs(&options.exclude)?;
        let files = Mutex::new(Vec::new());
        let errors = Mutex::new(Vec::new());
        let walker = ignore::WalkBuilder::new(root)
            .standard_filters(false)
            .follow_links(options.follow_symlinks)
            .threads(options.threads)
            .filter_entry(|e| {
                !(e.depth() > 0
                    && e.file_type().is_some_and(|t| t.is_dir())
                    && SKIPPED_DIRS.iter().any(|d| e.file_name() == *d))
            })
            .build_parallel();
        walker.run(|| {
            let files = &files;
            let errors = &errors;
            let exclude = &exclude;
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        errors.lock().expect("walk error list").push(e.to_string());
                        return ignore::WalkState::Continue;
                    }
                };
                let Ok(rel) = entry.path().strip_prefix(root) else {
                    return ignore::WalkState::Continue;
                };
                let rel = to_slash(rel);
                if !rel.is_empty() && exclude.is_match(&rel) {
                    return ignore::WalkState::Skip;
                }
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                    files
                        .lock()
                        .expect("walk file list")
                        .push(FileEntry { path: rel, size });
                }
                ignore::WalkState::Continue
            })
        });
        let mut files = files.into_inner().expect("walk file list");
        files.sort();
        Ok(DirectoryResolver {
            root: root.to_path_buf(),
            files,
            max_file_size: options.max_file_size,
        })
    }

    /// A resolver holding one file: rooted at the file's directory, listing only that file
    /// (by its file name).
    pub fn single_file(file: &Path, options: &WalkOptions) -> Result<Self, SourceError> {
        let io_err = |source| SourceError::Io {
            path: file.display().to_string(),
            source,
        };
        let meta = std::fs::metadata(file).map_err(io_err)?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                io_err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "not a file",
                ))
            })?;
        let root = file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok(DirectoryResolver {
            root,
            files: vec![FileEntry {
                path: name,
                size: meta.len(),
            }],
            max_file_size: options.max_file_size,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

fn to_slash(p: &Path) -> String {
    let mut s = String::new();
    for c in p.components() {
        if !s.is_empty() {
            s.push('/');
        }
        s.push_str(&c.as_os_str().to_string_lossy());
    }
    s
}

/// Patterns match the relative path; `./x` is accepted as `x`, and a pattern without a
/// `/` matches at any depth (`node_modules` = `**/node_modules`).
fn build_globs(patterns: &[String]) -> Result<GlobSet, SourceError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let trimmed = p.trim_start_matches("./").trim_end_matches('/');
        let full = if trimmed.contains('/') || trimmed.starts_with("**") {
            trimmed.to_string()
        } else {
            format!("**/{trimmed}")
        };
        let glob = Glob::new(&full).map_err(|e| SourceError::Pattern {
            pattern: p.clone(),
            message: e.kind().to_string(),
        })?;
        b.add(glob);
    }
    b.build().map_err(|e| SourceError::Pattern {
        pattern: patterns.join(","),
        message: e.to_string(),
    })
}

impl FileResolver for DirectoryResolver {
    fn files(&self) -> &[FileEntry] {
        &self.files
    }

    fn read_prefix(&self, path: &str, len: usize) -> Result<Vec<u8>, SourceError> {
        use std::io::Read;
        if self
            .files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .is_err()
        {
            return Err(SourceError::NotFound {
                path: path.to_string(),
            });
        }
        let io_err = |source| SourceError::Io {
            path: path.to_string(),
            source,
        };
        let file = std::fs::File::open(self.root.join(path)).map_err(io_err)?;
        let mut buf = Vec::with_capacity(len);
        file.take(len as u64)
            .read_to_end(&mut buf)
            .map_err(io_err)?;
        Ok(buf)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        let entry = self
            .files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .map(|i| &self.files[i])
            .map_err(|_| SourceError::NotFound {
                path: path.to_string(),
            })?;
        if entry.size > self.max_file_size {
            return Err(SourceError::TooLarge {
                path: path.to_string(),
                size: entry.size,
                limit: self.max_file_size,
            });
        }
        let full = self.root.join(path);
        // Read at most the limit (+1 to notice growth since the walk).
        use std::io::Read;
        let file = std::fs::File::open(&full).map_err(|source| SourceError::Io {
            path: path.to_string(),
            source,
        })?;
        let mut buf = Vec::with_capacity(entry.size as usize);
        file.take(self.max_file_size + 1)
            .read_to_end(&mut buf)
            .map_err(|source| SourceError::Io {
                path: path.to_string(),
                source,
            })?;
        if buf.len() as u64 > self.max_file_size {
            return Err(SourceError::TooLarge {
                path: path.to_string(),
                size: buf.len() as u64,
                limit: self.max_file_size,
            });
        }
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_skips_vcs_and_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        std::fs::create_dir_all(r.join(".git/objects")).unwrap();
        std::fs::write(r.join(".git/config"), "x").unwrap();
        std::fs::create_dir_all(r.join("a/node_modules/x")).unwrap();
        std::fs::write(r.join("a/node_modules/x/package.json"), "{}").unwrap();
        std::fs::write(r.join("a/Cargo.lock"), "").unwrap();
        std::fs::create_dir_all(r.join(".github/workflows")).unwrap();
        std::fs::write(r.join(".github/workflows/ci.yml"), "").unwrap();
        let res = DirectoryResolver::walk(r, &WalkOptions::default()).unwrap();
        let paths: Vec<_> = res.files().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                ".github/workflows/ci.yml",
                "a/Cargo.lock",
                "a/node_modules/x/package.json"
            ]
        );
        assert_eq!(
            res.read_prefix("a/node_modules/x/package.json", 1).unwrap(),
            b"{"
        );
        assert_eq!(
            res.read_prefix("a/node_modules/x/package.json", 99)
                .unwrap(),
            b"{}"
        );
        let opts = WalkOptions {
            exclude: vec!["node_modules".into()],
            ..WalkOptions::default()
        };
        let res = DirectoryResolver::walk(r, &opts).unwrap();
        assert_eq!(res.files().len(), 2);
        assert!(res.exists("a/Cargo.lock"));
        assert!(matches!(
            res.read("nope"),
            Err(SourceError::NotFound { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_not_followed_by_default() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("f")).unwrap();
        let res = DirectoryResolver::walk(dir.path(), &WalkOptions::default()).unwrap();
        assert!(res.files().is_empty());
    }
}
