//! The catalog tests' fixture directory and cataloger runner, on top of chainproof-testkit.
#![allow(dead_code)]

use std::path::PathBuf;

use chainproof_catalog::Cataloger;
use chainproof_core::Inventory;
use chainproof_source::MemoryResolver;
use chainproof_testkit::fixture::Fixtures;

/// This crate's `tests/fixtures`.
pub fn fixtures() -> Fixtures {
    chainproof_testkit::fixtures!()
}

/// `tests/fixtures/<rel>`.
pub fn fixture_path(rel: &str) -> PathBuf {
    fixtures().path(rel)
}

/// The bytes of `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> Vec<u8> {
    fixtures().read(rel)
}

/// Every file of the fixture directory `tests/fixtures/<rel>`, under `prefix/` in a memory
/// resolver, with the sorted file names.
pub fn load_dir(rel: &str, prefix: &str) -> (MemoryResolver, Vec<String>) {
    fixtures().load_dir(rel, prefix)
}

/// Runs one cataloger on one file; a parse error fails the test with the error's text.
pub fn run(cataloger: &dyn Cataloger, r: &MemoryResolver, path: &str) -> Inventory {
    chainproof_testkit::catalog::run(cataloger, r, path)
}
