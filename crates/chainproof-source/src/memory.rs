use std::collections::BTreeMap;

use crate::{FileEntry, FileResolver, SourceError};

/// Files held in memory: for tests, fuzzing, and documents read from elsewhere.
#[derive(Debug, Default, Clone)]
pub struct MemoryResolver {
    files: Vec<FileEntry>,
    content: BTreeMap<String, Vec<u8>>,
}

impl MemoryResolver {
    pub fn new() -> Self {
        MemoryResolver::default()
    }

    /// Adds (or replaces) a file at a relative, `/`-separated path.
    pub fn with_file(mut self, path: &str, content: impl Into<Vec<u8>>) -> Self {
        let content = content.into();
        self.files.retain(|f| f.path != path);
        self.files.push(FileEntry {
            path: path.to_string(),
            size: content.len() as u64,
        });
        self.files.sort();
        self.content.insert(path.to_string(), content);
        self
    }
}

impl FileResolver for MemoryResolver {
    fn files(&self) -> &[FileEntry] {
        &self.files
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        self.content
            .get(path)
            .cloned()
            .ok_or_else(|| SourceError::NotFound {
                path: path.to_string(),
            })
    }
}
