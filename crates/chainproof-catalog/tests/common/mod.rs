//! Helpers shared by the cataloger tests: fixture files and running one cataloger.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chainproof_catalog::Cataloger;
use chainproof_core::Inventory;
use chainproof_source::MemoryResolver;

/// `tests/fixtures/<rel>`.
pub fn fixture_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The bytes of `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> Vec<u8> {
    let p = fixture_path(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every file of the fixture directory `tests/fixtures/<rel>`, under `prefix/` in a memory
/// resolver, with the sorted file names.
pub fn load_dir(rel: &str, prefix: &str) -> (MemoryResolver, Vec<String>) {
    let mut r = MemoryResolver::new();
    let mut names = Vec::new();
    for e in std::fs::read_dir(fixture_path(rel)).expect("fixture dir") {
        let e = e.expect("entry");
        let name = e.file_name().to_string_lossy().to_string();
        r = r.with_file(
            &format!("{prefix}/{name}"),
            std::fs::read(e.path()).expect("read"),
        );
        names.push(name);
    }
    names.sort();
    (r, names)
}

/// Runs one cataloger on one file; a parse error fails the test with the error's text.
pub fn run(cataloger: &dyn Cataloger, r: &MemoryResolver, path: &str) -> Inventory {
    cataloger
        .catalog(r, path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}
