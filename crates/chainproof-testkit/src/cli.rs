//! The `chainproof` binary under `assert_cmd`: a command that never picks up a developer's
//! own database or cache, and its output as text or JSON.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// `chainproof` as cargo built it for the calling crate's integration tests.
pub fn bin() -> Command {
    Command::cargo_bin("chainproof").expect("binary built")
}

/// [`bin`] that never picks up a developer's own database: `CHAINPROOF_DB` removed and the
/// cache pointed at a directory that does not exist.
pub fn chainproof() -> Command {
    let mut c = bin();
    c.env_remove("CHAINPROOF_DB")
        .env("XDG_CACHE_HOME", "/nonexistent-cache-for-tests");
    c
}

/// [`bin`] without the key passphrase variables (`CHAINPROOF_PASSWORD`, `COSIGN_PASSWORD`) of
/// the caller's environment.
pub fn without_passwords() -> Command {
    let mut c = bin();
    c.env_remove("CHAINPROOF_PASSWORD")
        .env_remove("COSIGN_PASSWORD");
    c
}

/// Runs `c`: (exit code, or -1 when killed by a signal; stdout; stderr), lossy text.
pub fn code(c: &mut Command) -> (i32, String, String) {
    let out = c.output().expect("run");
    (out.status.code().unwrap_or(-1), stdout(&out), stderr(&out))
}

/// `crates/<name>/tests/fixtures` of another workspace crate.
pub fn crate_fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name)
        .join("tests/fixtures")
}

/// The OSV fixture records of chainproof-osv (`crates/chainproof-osv/tests/fixtures`).
pub fn osv_fixtures() -> PathBuf {
    crate_fixtures("chainproof-osv")
}

/// A JSON file (panics naming it when it is missing or not JSON).
pub fn read_json(p: &Path) -> Value {
    let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Asserts `out` succeeded (showing stderr otherwise) and parses its stdout as JSON.
pub fn ok_json(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
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
