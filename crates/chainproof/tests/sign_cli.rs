//! `chainproof sign blob --bundle`, `attest --bundle`, `attest provenance --bundle` and
//! `verify bundle --key [--insecure-ignore-tlog]`: round trips per key type, tampering.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chainproof_sigstore::{Policy, Subject, TrustedRoot, VerifyOptions};
use chainproof_testkit::cli::{code, read_json, without_passwords as cp};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Key prefixes in `d`: generated p256/p384/ed25519, and the committed RSA test key.
fn keys(d: &Path) -> Vec<&'static str> {
    for alg in ["p256", "p384", "ed25519"] {
        let (rc, _, err) = code(
            cp().current_dir(d)
                .args(["key", "generate", "-a", alg, "-o", alg]),
        );
        assert_eq!(rc, 0, "{err}");
    }
    for ext in ["key", "pub"] {
        std::fs::copy(
            fixtures().join(format!("keys/rsa2048.{ext}")),
            d.join(format!("rsa.{ext}")),
        )
        .expect("copy rsa key");
    }
    vec!["p256", "p384", "ed25519", "rsa"]
}

fn verify_bundle(
    d: &Path,
    bundle: &str,
    key: &str,
    subject: &str,
    ignore_tlog: bool,
) -> (i32, String) {
    let mut c = cp();
    c.current_dir(d).args([
        "verify", "bundle", "--bundle", bundle, "--key", key, subject,
    ]);
    if ignore_tlog {
        c.arg("--insecure-ignore-tlog");
    }
    let (rc, _, err) = code(&mut c);
    (rc, err)
}

#[test]
fn sign_blob_round_trip_each_key_type() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    std::fs::write(d.join("art.bin"), b"artifact bytes\n").expect("write");
    std::fs::write(d.join("other.bin"), b"artifact bytes?").expect("write");
    let sha256 = chainproof_sigstore::to_hex(&chainproof_sigstore::sha256(b"artifact bytes\n"));
    for k in keys(d) {
        let out = format!("{k}.sigstore.json");
        let (rc, _, err) = code(cp().current_dir(d).args([
            "sign",
            "blob",
            "art.bin",
            "--key",
            &format!("{k}.key"),
            "--bundle",
            &out,
        ]));
        assert_eq!(rc, 0, "{k}: {err}");
        let b = read_json(&d.join(&out));
        assert_eq!(
            b["mediaType"],
            "application/vnd.dev.sigstore.bundle.v0.3+json"
        );
        assert_eq!(
            b["verificationMaterial"]["tlogEntries"],
            serde_json::json!([])
        );
        // The hint: base64 SHA-256 of the SPKI DER, computed here from the PEM.
        let pem = std::fs::read_to_string(d.join(format!("{k}.pub"))).expect("pub");
        let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let spki = STANDARD.decode(b64).expect("pem base64");
        assert_eq!(
            b["verificationMaterial"]["publicKey"]["hint"],
            STANDARD.encode(chainproof_sigstore::sha256(&spki))
        );
        let md = &b["messageSignature"]["messageDigest"];
        if k == "p384" {
            assert_eq!(md["algorithm"], "SHA2_384", "{k}");
        } else {
            assert_eq!(md["algorithm"], "SHA2_256", "{k}");
            assert_eq!(
                chainproof_sigstore::to_hex(
                    &STANDARD
                        .decode(md["digest"].as_str().expect("s"))
                        .expect("b64")
                ),
                sha256
            );
        }
        let pubk = format!("{k}.pub");
        assert_eq!(verify_bundle(d, &out, &pubk, "art.bin", true).0, 0, "{k}");
        // Without the opt-in, a bundle with no transparency-log entry is not verified.
        let (rc, err) = verify_bundle(d, &out, &pubk, "art.bin", false);
        assert_eq!(rc, 1, "{k}");
        assert!(err.contains("--insecure-ignore-tlog"), "{k}: {err}");
        // Another artifact, another key: not verified.
        assert_eq!(verify_bundle(d, &out, &pubk, "other.bin", true).0, 1, "{k}");
        let wrong = if k == "p256" {
            "ed25519.pub"
        } else {
            "p256.pub"
        };
        assert_eq!(verify_bundle(d, &out, wrong, "art.bin", true).0, 1, "{k}");
        // By digest: ECDSA P-256 and RSA sign SHA-256 digests; Ed25519 signs the message and
        // P-384 hashes with SHA-384, so a SHA-256 digest cannot verify them.
        let by_digest = verify_bundle(d, &out, &pubk, &format!("sha256:{sha256}"), true).0;
        assert_eq!(
            by_digest,
            if matches!(k, "p256" | "rsa") { 0 } else { 1 },
            "{k}"
        );
    }
    // --insecure-ignore-tlog is a managed-key option.
    let (rc, _, _) = code(cp().current_dir(d).args([
        "verify",
        "bundle",
        "--bundle",
        "p256.sigstore.json",
        "--insecure-ignore-tlog",
        "--certificate-identity",
        "a@b",
        "--certificate-oidc-issuer",
        "https://x",
        "art.bin",
    ]));
    assert_eq!(rc, 2);
}

#[test]
fn attest_bundle_round_trip_each_key_type() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    std::fs::write(d.join("app"), b"binary").expect("write");
    std::fs::write(d.join("pred.json"), br#"{"result":"PASSED"}"#).expect("write");
    for k in keys(d) {
        let key = format!("{k}.key");
        let pubk = format!("{k}.pub");
        let out = format!("{k}.att.json");
        let (rc, _, err) = code(cp().current_dir(d).args([
            "attest",
            "--predicate",
            "pred.json",
            "--type",
            "test-result",
            "--subject",
            "app",
            "--key",
            &key,
            "--bundle",
            "-o",
            &out,
        ]));
        assert_eq!(rc, 0, "{k}: {err}");
        let b = read_json(&d.join(&out));
        let env = &b["dsseEnvelope"];
        assert_eq!(env["payloadType"], "application/vnd.in-toto+json");
        assert_eq!(env["signatures"].as_array().map(Vec::len), Some(1));
        let payload: Value = serde_json::from_slice(
            &STANDARD
                .decode(env["payload"].as_str().expect("s"))
                .expect("b64"),
        )
        .expect("statement");
        assert_eq!(payload["subject"][0]["name"], "app");
        assert_eq!(
            payload["subject"][0]["digest"]["sha256"],
            chainproof_sigstore::to_hex(&chainproof_sigstore::sha256(b"binary"))
        );
        assert!(b["verificationMaterial"]["publicKey"]["hint"].is_string());
        assert_eq!(verify_bundle(d, &out, &pubk, "app", true).0, 0, "{k}");
        assert_eq!(verify_bundle(d, &out, &pubk, "pred.json", true).0, 1, "{k}");
        // verify attestation reads the envelope out of the bundle.
        let (rc, _, err) =
            code(
                cp().current_dir(d)
                    .args(["verify", "attestation", &out, "--key", &pubk]),
            );
        assert_eq!(rc, 0, "{k}: {err}");
        let wrong = if k == "p256" {
            "ed25519.pub"
        } else {
            "p256.pub"
        };
        let (rc, _, _) =
            code(
                cp().current_dir(d)
                    .args(["verify", "attestation", &out, "--key", wrong]),
            );
        assert_eq!(rc, 1, "{k}");
    }
    // SLSA provenance in a bundle.
    let (rc, _, err) = code(cp().current_dir(d).args([
        "attest",
        "provenance",
        "--subject",
        "app",
        "--builder-id",
        "https://example.com/builder",
        "--key",
        "p256.key",
        "--bundle",
        "-o",
        "prov.json",
    ]));
    assert_eq!(rc, 0, "{err}");
    let b = read_json(&d.join("prov.json"));
    let payload: Value = serde_json::from_slice(
        &STANDARD
            .decode(b["dsseEnvelope"]["payload"].as_str().expect("s"))
            .expect("b64"),
    )
    .expect("statement");
    assert_eq!(payload["predicateType"], "https://slsa.dev/provenance/v1");
    assert_eq!(verify_bundle(d, "prov.json", "p256.pub", "app", true).0, 0);
    // --bundle with --unsigned is refused.
    let (rc, _, _) = code(cp().current_dir(d).args([
        "attest",
        "--predicate",
        "pred.json",
        "--type",
        "custom",
        "--subject",
        "app",
        "--unsigned",
        "--bundle",
    ]));
    assert_eq!(rc, 2);
}

/// Flip one bit of byte `i` of the base64 field at `pointer`.
fn flip(bundle: &Value, pointer: &str, i: usize) -> Value {
    let mut b = bundle.clone();
    let field = b.pointer_mut(pointer).expect("field");
    let mut raw = STANDARD.decode(field.as_str().expect("s")).expect("b64");
    raw[i] ^= 0x01;
    *field = Value::String(STANDARD.encode(raw));
    b
}

fn field_len(bundle: &Value, pointer: &str) -> usize {
    STANDARD
        .decode(bundle.pointer(pointer).and_then(Value::as_str).expect("s"))
        .expect("b64")
        .len()
}

/// Every single-bit flip of every byte of the signature, digest and DSSE payload makes
/// verification fail (in-process, for speed); a few through the CLI exit 1.
#[test]
fn tampering_any_signed_byte_fails() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    std::fs::write(d.join("art.bin"), b"tamper target").expect("write");
    std::fs::write(d.join("pred.json"), br#"{"k":"v"}"#).expect("write");
    let root = TrustedRoot::production().expect("root");
    let opts = VerifyOptions {
        insecure_ignore_tlog: true,
    };
    let subject = Subject::File(d.join("art.bin"));
    for k in keys(d) {
        let key = format!("{k}.key");
        assert_eq!(
            code(cp().current_dir(d).args([
                "sign", "blob", "art.bin", "--key", &key, "--bundle", "m.json"
            ]))
            .0,
            0
        );
        assert_eq!(
            code(cp().current_dir(d).args([
                "attest",
                "--predicate",
                "pred.json",
                "--type",
                "custom",
                "--subject",
                "art.bin",
                "--key",
                &key,
                "--bundle",
                "-o",
                "e.json",
            ]))
            .0,
            0
        );
        let der = chainproof_sigstore::load_public_key(
            &std::fs::read(d.join(format!("{k}.pub"))).expect("pub"),
            "pub",
        )
        .expect("key");
        let policy = Policy::Key(der);
        let check = |b: &Value| {
            let parsed = chainproof_sigstore::parse_bundle(&b.to_string(), "mem")?;
            chainproof_sigstore::verify_parsed_with(&parsed, &subject, &policy, &root, opts)
        };
        let msg = read_json(&d.join("m.json"));
        let env = read_json(&d.join("e.json"));
        check(&msg).expect("untampered message bundle verifies");
        check(&env).expect("untampered DSSE bundle verifies");
        let mut flips = 0;
        for (b, ptr) in [
            (&msg, "/messageSignature/signature"),
            (&msg, "/messageSignature/messageDigest/digest"),
            (&env, "/dsseEnvelope/payload"),
            (&env, "/dsseEnvelope/signatures/0/sig"),
        ] {
            for i in 0..field_len(b, ptr) {
                let t = flip(b, ptr, i);
                let r = check(&t);
                assert!(r.is_err(), "{k}: flipping byte {i} of {ptr} still verified");
                assert!(r.err().is_some_and(|e| e.is_verdict()), "{k} {ptr} {i}");
                flips += 1;
            }
        }
        assert!(flips > 150, "{k}: only {flips} flips");
        // Through the CLI: exit 1, not 0 or 2.
        for (b, ptr, name) in [
            (&msg, "/messageSignature/signature", "t1.json"),
            (&msg, "/messageSignature/messageDigest/digest", "t2.json"),
            (&env, "/dsseEnvelope/payload", "t3.json"),
            (&env, "/dsseEnvelope/signatures/0/sig", "t4.json"),
        ] {
            std::fs::write(d.join(name), flip(b, ptr, 3).to_string()).expect("write");
            let (rc, err) = verify_bundle(d, name, &format!("{k}.pub"), "art.bin", true);
            assert_eq!(rc, 1, "{k} {ptr}: {err}");
            assert!(err.contains("not verified"), "{err}");
        }
        // Tampering with the artifact.
        std::fs::write(d.join("art2.bin"), b"tamper targeT").expect("write");
        assert_eq!(
            verify_bundle(d, "m.json", &format!("{k}.pub"), "art2.bin", true).0,
            1
        );
        assert_eq!(
            verify_bundle(d, "e.json", &format!("{k}.pub"), "art2.bin", true).0,
            1
        );
    }
}
