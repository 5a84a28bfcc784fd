//! Keyless provenance: tampering with the signed payload, the signature or the certificate of
//! slsa-verifier's testdata (tests/fixtures/slsa-verifier) makes verification fail with
//! `no-valid-signature`, for certificate-carrying envelopes and for Sigstore bundles.

use std::path::{Path, PathBuf};
use std::process::Command;

use chainproof_attest::dsse::{Envelope, read_envelopes};
use serde_json::Value;

const SRC: &str = "github.com/slsa-framework/example-package";

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/slsa-verifier/testdata")
        .join(rel)
}

fn digest_in(env: &Envelope) -> String {
    let st: Value = serde_json::from_slice(&env.payload).expect("statement");
    st.pointer("/subject/0/digest/sha256")
        .and_then(Value::as_str)
        .expect("digest")
        .to_string()
}

fn verify(prov: &Path, digest: &str, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chainproof"))
        .args([
            "verify",
            "provenance",
            &format!("sha256:{digest}"),
            "--provenance",
        ])
        .arg(prov)
        .args(["--source-uri", SRC, "--source-tag", "v14"])
        .args(extra)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn tampered_envelope_is_rejected() {
    let src = fixture("gha_go/v1.2.2/binary-linux-amd64-push-v14.intoto.jsonl");
    let bytes = std::fs::read(&src).expect("fixture");
    let env = read_envelopes(&bytes, "fixture")
        .expect("envelope")
        .remove(0);
    let digest = digest_in(&env);
    let dir = tempfile::tempdir().expect("tmp");
    // Untouched: passes with --allow-no-tlog.
    assert_eq!(verify(&src, &digest, &["--allow-no-tlog"]).0, 0);

    let write = |name: &str, e: &Envelope| {
        let p = dir.path().join(name);
        std::fs::write(&p, e.to_json()).expect("write");
        p
    };
    // One byte of the payload (inside the statement, keeping it valid JSON: a digit of the
    // builder tag).
    let mut e = env.clone();
    let text = String::from_utf8(e.payload.clone()).expect("utf8");
    e.payload = text.replacen("v1.2.2", "v1.2.3", 1).into_bytes();
    assert_ne!(e.payload, env.payload);
    let (code, err) = verify(&write("payload.jsonl", &e), &digest, &["--allow-no-tlog"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no-valid-signature"), "{err}");

    // One byte of the signature.
    let mut e = env.clone();
    let last = e.signatures[0].sig.len() - 1;
    e.signatures[0].sig[last] ^= 1;
    let (code, err) = verify(&write("sig.jsonl", &e), &digest, &["--allow-no-tlog"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no-valid-signature"), "{err}");

    // Another run's certificate (valid Fulcio certificate, other key).
    let other = std::fs::read(fixture(
        "gha_go/v1.2.2/binary-linux-amd64-push-v14.2.intoto.jsonl",
    ))
    .expect("fixture");
    let other = read_envelopes(&other, "other").expect("envelope").remove(0);
    let mut e = env.clone();
    e.signatures[0].cert = other.signatures[0].cert.clone();
    assert_ne!(e.signatures[0].cert, env.signatures[0].cert);
    let (code, err) = verify(&write("cert.jsonl", &e), &digest, &["--allow-no-tlog"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no-valid-signature"), "{err}");

    // A certificate that is not from Fulcio: drop the PEM body's middle line.
    let mut e = env.clone();
    let pem = e.signatures[0].cert.clone().expect("cert");
    let mut lines: Vec<&str> = pem.lines().collect();
    lines.remove(lines.len() / 2);
    e.signatures[0].cert = Some(lines.join("\n"));
    let (code, err) = verify(&write("badcert.jsonl", &e), &digest, &["--allow-no-tlog"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no-valid-signature"), "{err}");
}

#[test]
fn tampered_bundle_is_rejected() {
    let src = fixture("gha_generic/v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl");
    let text = std::fs::read_to_string(&src).expect("fixture");
    let env = chainproof_attest::dsse::envelope_in_sigstore_bundle(text.as_bytes())
        .expect("bundle envelope");
    let digest = digest_in(&env);
    assert_eq!(verify(&src, &digest, &[]).0, 0);
    let dir = tempfile::tempdir().expect("tmp");
    let mut bundle: Value = serde_json::from_str(&text).expect("json");

    // The payload, re-encoded with one changed byte.
    let payload = String::from_utf8(env.payload.clone()).expect("utf8");
    let changed = payload.replacen("v2.1.0", "v2.1.1", 1);
    let mut b = bundle.clone();
    b["dsseEnvelope"]["payload"] = chainproof_attest::dsse::Envelope {
        payload: changed.into_bytes(),
        ..env.clone()
    }
    .to_json()
    .parse::<Value>()
    .expect("envelope json")["payload"]
        .clone();
    let p = dir.path().join("payload.sigstore.json");
    std::fs::write(&p, b.to_string()).expect("write");
    let (code, err) = verify(&p, &digest, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no-valid-signature"), "{err}");

    // The Rekor integrated time (covered by the signed entry timestamp).
    let t = bundle
        .pointer_mut("/verificationMaterial/tlogEntries/0/integratedTime")
        .expect("integratedTime");
    let v: i64 = t.as_str().and_then(|s| s.parse().ok()).expect("time");
    *t = Value::String((v + 1).to_string());
    let p = dir.path().join("time.sigstore.json");
    std::fs::write(&p, bundle.to_string()).expect("write");
    let (code, err) = verify(&p, &digest, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no-valid-signature"), "{err}");
}
