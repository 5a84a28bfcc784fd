//! The `chainproof` binary under `assert_cmd`: a command that never picks up a developer's
//! own database or cache, and its output as text or JSON.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// `chainproof` (built by cargo for the calling crate's tests), with `CHAINPROOF_DB` removed
/// and the cache pointed at a directory that does not exist.
pub fn chainproof() -> Command {
    let mut c = Command::cargo_bin("chainproof").expect("binary built");
    c.env_remove("CHAINPROOF_DB")
        .env("XDG_CACHE_HOME", "/nonexistent-cache-for-tests");
    c
}

/// The OSV fixture records of chainproof-osv (`crates/chainproof-osv/tests/fixtures`).
pub fn osv_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../chainproof-osv/tests/fixtures")
}

/// Lossy text of stderr (for assertion messages).
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Lossy text of stdout.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `c`, asserts it succeeded (showing stderr otherwise) and returns its output.
pub fn ok(c: &mut Command) -> Output {
    let out = c.output().expect("command runs");
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    out
}

/// Runs `c`, asserts it succeeded and returns stdout as UTF-8 text.
pub fn stdout_of(c: &mut Command) -> String {
    String::from_utf8(ok(c).stdout).expect("stdout is UTF-8")
}

/// Stdout parsed as JSON; a parse failure shows stderr.
pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: stderr {}", stderr(out)))
}

/// A fresh temporary directory (removed when dropped).
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Writes `text` to `dir/rel` (creating parent directories) and returns the path.
pub fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    p
}
