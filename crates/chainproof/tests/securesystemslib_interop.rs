//! Interop with securesystemslib (Python, the DSSE implementation in-toto uses): DSSE
//! envelopes written by the `chainproof attest` CLI — bare, inside `attest --bundle` Sigstore
//! bundles, and `attest provenance` — verify there.
//!
//! Fixtures: `tests/fixtures/interop/securesystemslib/` (made and checked by
//! `check_with_securesystemslib.py gen|check`; `accepted.txt` lists what securesystemslib
//! verified, by SHA-256 of the file).
//!
//! * Always: every `attest-*.json` there is listed as accepted (same bytes), verifies with
//!   `chainproof verify attestation`, and the bundles with `chainproof verify bundle`.
//! * Live, when `CHAINPROOF_SSLIB_PYTHON` names a Python with securesystemslib: sign fresh
//!   envelopes with this build and have securesystemslib check them; else SKIPPED.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/interop/securesystemslib")
}

fn run(d: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("chainproof")
        .expect("binary")
        .current_dir(d)
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Hex SHA-256 of the SPKI DER in a PEM public key, computed here.
fn key_id(pem: &Path) -> String {
    let text = std::fs::read_to_string(pem).expect("pem");
    let der = chainproof_sigstore::load_public_key(text.as_bytes(), "pem").expect("key");
    chainproof_sigstore::to_hex(&chainproof_sigstore::sha256(&der))
}

#[test]
fn attest_envelopes_were_accepted_by_securesystemslib_and_verify_with_chainproof() {
    let d = dir();
    let accepted = std::fs::read_to_string(d.join("accepted.txt")).expect("accepted.txt");
    let mut files: Vec<String> = std::fs::read_dir(&d)
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("attest-") && n.ends_with(".json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 9, "{files:?}");
    for name in &files {
        let bytes = std::fs::read(d.join(name)).expect("read");
        let sha = chainproof_sigstore::to_hex(&chainproof_sigstore::sha256(&bytes));
        let alg = name
            .trim_end_matches(".json")
            .rsplit('-')
            .next()
            .expect("alg");
        let pubk = format!("{alg}.pub");
        let line = accepted
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name.as_str()))
            .unwrap_or_else(|| panic!("{name} is not in accepted.txt"));
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            cols[0], sha,
            "{name}: accepted.txt is stale (re-run the check)"
        );
        // securesystemslib reported the key it verified with: our key id.
        assert_eq!(cols[3], key_id(&d.join(&pubk)), "{name}");
        let (rc, err) = run(&d, &["verify", "attestation", name, "--key", &pubk]);
        assert_eq!(rc, 0, "{name}: {err}");
        if name.starts_with("attest-bundle-") {
            let (rc, err) = run(
                &d,
                &[
                    "verify",
                    "bundle",
                    "--insecure-ignore-tlog",
                    "--bundle",
                    name,
                    "--key",
                    &pubk,
                    "artifact.txt",
                ],
            );
            assert_eq!(rc, 0, "{name}: {err}");
        }
        // And not with another key.
        let other = if alg == "p256" {
            "ed25519.pub"
        } else {
            "p256.pub"
        };
        assert_eq!(
            run(&d, &["verify", "attestation", name, "--key", other]).0,
            1,
            "{name}"
        );
    }
}

#[test]
fn live_securesystemslib_check_of_fresh_envelopes() {
    let Some(python) = std::env::var_os("CHAINPROOF_SSLIB_PYTHON") else {
        eprintln!(
            "SKIPPED: securesystemslib live interop: set CHAINPROOF_SSLIB_PYTHON to a python \
             with securesystemslib and cryptography installed"
        );
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let script = dir().join("check_with_securesystemslib.py");
    let bin = assert_cmd::cargo::cargo_bin("chainproof");
    let rsa = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys/rsa2048.key");
    for step in ["gen", "check"] {
        let out = Process::new(&python)
            .arg(&script)
            .arg(step)
            .env("CHAINPROOF", &bin)
            .env("CHAINPROOF_INTEROP_DIR", tmp.path())
            .env("CHAINPROOF_RSA_TEST_KEY", &rsa)
            .output()
            .expect("run python");
        assert!(
            out.status.success(),
            "{step}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let accepted = std::fs::read_to_string(tmp.path().join("accepted.txt")).expect("accepted");
    assert_eq!(accepted.lines().count(), 9, "{accepted}");
}
