//! Running one cataloger in a test.

use chainproof_catalog::{CatalogError, Cataloger};
use chainproof_core::Inventory;
use chainproof_source::{FileResolver, MemoryResolver};

/// Runs `cataloger` on `path` of `r`; a parse error fails the test with the error's text.
pub fn run(cataloger: &dyn Cataloger, r: &dyn FileResolver, path: &str) -> Inventory {
    cataloger
        .catalog(r, path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs `cataloger` on a resolver holding only `bytes` at `path`.
pub fn run_bytes(cataloger: &dyn Cataloger, path: &str, bytes: impl Into<Vec<u8>>) -> Inventory {
    run(
        cataloger,
        &MemoryResolver::new().with_file(path, bytes),
        path,
    )
}

/// The error `cataloger` must give on `path` of `r` (a success fails the test).
pub fn error(cataloger: &dyn Cataloger, r: &dyn FileResolver, path: &str) -> CatalogError {
    match cataloger.catalog(r, path) {
        Ok(inv) => panic!("{path}: expected an error, got {} packages", inv.len()),
        Err(e) => e,
    }
}

/// The error `cataloger` must give on `bytes` at `path`.
pub fn error_bytes(
    cataloger: &dyn Cataloger,
    path: &str,
    bytes: impl Into<Vec<u8>>,
) -> CatalogError {
    error(
        cataloger,
        &MemoryResolver::new().with_file(path, bytes),
        path,
    )
}

/// Asserts `e` names `path` and (when given) `line`, and that its text contains `needle`.
pub fn assert_error_at(e: &CatalogError, path: &str, line: Option<u32>, needle: &str) {
    let text = e.to_string();
    assert!(text.contains(path), "{text:?} does not name {path}");
    if line.is_some() {
        assert_eq!(e.line, line, "{text}");
    }
    assert!(text.contains(needle), "{text:?} does not say {needle:?}");
}
