//! Fixture files under a crate's `tests/fixtures/` directory.

use std::path::{Path, PathBuf};

use chainproof_source::MemoryResolver;

/// `tests/fixtures` of the crate whose test invokes the macro (a [`Fixtures`]).
#[macro_export]
macro_rules! fixtures {
    () => {
        $crate::fixture::Fixtures::at(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
    };
    ($sub:literal) => {
        $crate::fixture::Fixtures::at(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $sub
        ))
    };
}

/// A fixture directory; every read panics with the path when the file is missing.
#[derive(Debug, Clone)]
pub struct Fixtures {
    root: PathBuf,
}

impl Fixtures {
    /// Fixtures under `root`.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/<rel>`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// A sub-directory as its own [`Fixtures`].
    pub fn sub(&self, rel: &str) -> Self {
        Self::at(self.path(rel))
    }

    /// The bytes of `<root>/<rel>`.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        let p = self.path(rel);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// The text of `<root>/<rel>`.
    pub fn text(&self, rel: &str) -> String {
        let p = self.path(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// The sorted file names directly in the directory (for "every fixture is covered").
    pub fn list(&self) -> Vec<String> {
        file_names(&self.root)
    }

    /// The sorted file names directly in `<root>/<rel>` (for "every fixture is covered").
    pub fn names(&self, rel: &str) -> Vec<String> {
        file_names(&self.path(rel))
    }

    /// A resolver holding, for each `(at, rel)`, fixture `rel` at path `at`.
    pub fn resolver(&self, files: &[(&str, &str)]) -> MemoryResolver {
        files.iter().fold(MemoryResolver::new(), |r, (at, rel)| {
            r.with_file(at, self.read(rel))
        })
    }

    /// Every file of `<root>/<rel>` under `prefix/` in a memory resolver, with the sorted
    /// file names.
    pub fn load_dir(&self, rel: &str, prefix: &str) -> (MemoryResolver, Vec<String>) {
        let names = self.names(rel);
        let dir = self.path(rel);
        let r = names.iter().fold(MemoryResolver::new(), |r, name| {
            let p = dir.join(name);
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            r.with_file(&format!("{prefix}/{name}"), bytes)
        });
        (r, names)
    }
}

/// The sorted names of the entries directly in `dir`.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    names.sort();
    names
}

/// Every file below `dir` (recursively) whose name satisfies `keep`, sorted.
pub fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Asserts every file directly in `originals` is byte-for-byte the fixture of the same name
/// in `copies` (fixtures copied from the corpus), and returns how many were compared.
pub fn assert_copies(originals: &Path, copies: &Fixtures) -> usize {
    let names = file_names(originals);
    for name in &names {
        let original = std::fs::read(originals.join(name)).expect("read corpus file");
        assert_eq!(original, copies.read(name), "{name}");
    }
    names.len()
}

/// Every file below `dir` in a memory resolver, at its `/`-separated path relative to `dir`.
pub fn tree_resolver(dir: &Path) -> MemoryResolver {
    walk(dir, &|_| true)
        .into_iter()
        .fold(MemoryResolver::new(), |r, p| {
            let rel = p
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            r.with_file(&rel, bytes)
        })
}
