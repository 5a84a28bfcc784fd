//! The shared corpus of real test data (`/work/shared/corpus` in the dev setup): located as
//! `../shared/corpus` relative to the workspace root, or at `CHAINPROOF_CORPUS`. Tests that
//! need it call [`root`] or [`dir`] and return when they get `None`: the helper has already
//! printed a loud `SKIPPED: corpus not found at …` line, so an absent corpus never fails a
//! test silently or loudly.

use std::path::{Path, PathBuf};

/// Where the corpus is expected, whether or not it exists.
pub fn location() -> PathBuf {
    match std::env::var_os("CHAINPROOF_CORPUS") {
        Some(p) => PathBuf::from(p),
        // crates/chainproof-testkit → workspace root → its parent → shared/corpus
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    }
}

/// The corpus root, or `None` after printing `SKIPPED: corpus not found at <path>`.
pub fn root() -> Option<PathBuf> {
    let p = location();
    if p.is_dir() {
        Some(p)
    } else {
        skipped(&p);
        None
    }
}

/// `<corpus>/<rel>` when it exists (file or directory), or `None` after printing
/// `SKIPPED: corpus not found at <corpus>/<rel>`.
pub fn dir(rel: &str) -> Option<PathBuf> {
    let p = location().join(rel);
    if p.exists() {
        Some(p)
    } else {
        skipped(&p);
        None
    }
}

/// The text of `<corpus>/<rel>`, or `None` after the loud skip line.
pub fn read_to_string(rel: &str) -> Option<String> {
    let p = dir(rel)?;
    Some(std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

/// Prints the loud skip line for `path`.
pub fn skipped(path: &Path) {
    eprintln!(
        "SKIPPED: corpus not found at {} (set CHAINPROOF_CORPUS)",
        path.display()
    );
}
