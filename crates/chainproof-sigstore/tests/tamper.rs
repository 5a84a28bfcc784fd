//! Tampering: flipping one bit of one byte in a signature, certificate,
//! inclusion proof, checkpoint, log entry, timestamp or payload of a valid
//! bundle makes verification fail (a "not verified" verdict, never a panic).
//! Fixtures: copies of sigstore-conformance cases (tests/fixtures/SOURCES.md).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chainproof_sigstore::{IdentityPolicy, Policy, Subject, TrustedRoot};
use proptest::prelude::*;
use serde_json::Value;

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Case {
    bundle: Value,
    root: TrustedRoot,
    policy: Policy,
    artifact: Vec<u8>,
}

fn load(name: &str) -> Case {
    let dir = fixtures().join(name);
    let bundle =
        serde_json::from_str(&std::fs::read_to_string(dir.join("bundle.sigstore.json")).unwrap())
            .unwrap();
    let root = if dir.join("trusted_root.json").exists() {
        TrustedRoot::from_file(&dir.join("trusted_root.json")).unwrap()
    } else {
        TrustedRoot::production().unwrap()
    };
    let policy = if dir.join("key.pub").exists() {
        let der = chainproof_sigstore::load_public_key(
            &std::fs::read(dir.join("key.pub")).unwrap(),
            "key.pub",
        )
        .unwrap();
        Policy::Key(der)
    } else {
        Policy::Identity(IdentityPolicy::exact(IDENTITY, ISSUER))
    };
    let artifact = if dir.join("artifact").exists() {
        std::fs::read(dir.join("artifact")).unwrap()
    } else {
        std::fs::read(fixtures().join("a.txt")).unwrap()
    };
    Case {
        bundle,
        root,
        policy,
        artifact,
    }
}

fn verify(case: &Case, bundle: &Value) -> Result<(), chainproof_sigstore::Error> {
    chainproof_sigstore::verify(
        &bundle.to_string(),
        &Subject::Bytes(case.artifact.clone()),
        &case.policy,
        &case.root,
    )
    .map(|_| ())
}

/// Flip `bit` of byte `index % len` of the base64 field at `pointer`.
fn flip_b64(bundle: &mut Value, pointer: &str, index: usize, bit: u8) -> bool {
    let Some(field) = bundle.pointer_mut(pointer) else {
        return false;
    };
    let Some(text) = field.as_str() else {
        return false;
    };
    let mut bytes = STANDARD.decode(text).unwrap();
    if bytes.is_empty() {
        return false;
    }
    let i = index % bytes.len();
    bytes[i] ^= 1 << (bit % 8);
    *field = Value::String(STANDARD.encode(bytes));
    true
}

/// Flip a bit in the signed body of the checkpoint note (the text before the
/// blank line), keeping it one line structure-wise printable.
fn flip_checkpoint_body(bundle: &mut Value, pointer: &str, index: usize, bit: u8) -> bool {
    let Some(field) = bundle.pointer_mut(pointer) else {
        return false;
    };
    let Some(text) = field.as_str() else {
        return false;
    };
    let body_len = text.find("\n\n").unwrap_or(text.len());
    let mut bytes = text.as_bytes().to_vec();
    let i = index % body_len;
    bytes[i] ^= 1 << (bit % 7);
    let Ok(s) = String::from_utf8(bytes) else {
        return false;
    };
    *field = Value::String(s);
    true
}

/// Flip a bit in a checkpoint signature line's decoded bytes.
fn flip_checkpoint_sig(bundle: &mut Value, pointer: &str, index: usize, bit: u8) -> bool {
    let Some(field) = bundle.pointer_mut(pointer) else {
        return false;
    };
    let Some(text) = field.as_str() else {
        return false;
    };
    let Some((body, sigs)) = text.split_once("\n\n") else {
        return false;
    };
    let mut lines: Vec<String> = sigs.lines().map(str::to_string).collect();
    let n = lines.len();
    let mut changed = false;
    // Flip every signature line: whichever one is the log's must break.
    for line in lines.iter_mut().take(n) {
        if let Some((name, sig)) = line.rsplit_once(' ')
            && let Ok(mut raw) = STANDARD.decode(sig)
            && !raw.is_empty()
        {
            let i = index % raw.len();
            raw[i] ^= 1 << (bit % 8);
            *line = format!("{name} {}", STANDARD.encode(raw));
            changed = true;
        }
    }
    *field = Value::String(format!("{body}\n\n{}\n", lines.join("\n")));
    changed
}

const TARGETS: &[&str] = &[
    "/messageSignature/signature",
    "/messageSignature/messageDigest/digest",
    "/dsseEnvelope/payload",
    "/dsseEnvelope/signatures/0/sig",
    "/verificationMaterial/certificate/rawBytes",
    "/verificationMaterial/x509CertificateChain/certificates/0/rawBytes",
    "/verificationMaterial/tlogEntries/0/inclusionProof/rootHash",
    "/verificationMaterial/tlogEntries/0/inclusionProof/hashes/0",
    "/verificationMaterial/tlogEntries/0/inclusionProof/hashes/1",
    "/verificationMaterial/tlogEntries/0/inclusionPromise/signedEntryTimestamp",
    "/verificationMaterial/tlogEntries/0/canonicalizedBody",
    "/verificationMaterial/tlogEntries/0/logId/keyId",
    "/verificationMaterial/timestampVerificationData/rfc3161Timestamps/0/signedTimestamp",
    "checkpoint-body",
    "checkpoint-signature",
];

const CHECKPOINT: &str = "/verificationMaterial/tlogEntries/0/inclusionProof/checkpoint/envelope";

fn tamper(bundle: &mut Value, target: &str, index: usize, bit: u8) -> bool {
    match target {
        "checkpoint-body" => flip_checkpoint_body(bundle, CHECKPOINT, index, bit),
        "checkpoint-signature" => flip_checkpoint_sig(bundle, CHECKPOINT, index, bit),
        pointer => flip_b64(bundle, pointer, index, bit),
    }
}

const CASES: &[&str] = &[
    "happy-path-v0.1",
    "happy-path-v0.3",
    "rekor2-happy-path",
    "rekor2-dsse-happy-path",
    "intoto-with-custom-trust-root",
    "managed-key-happy-path",
];

#[test]
fn untampered_fixtures_verify() {
    for name in CASES {
        let case = load(name);
        verify(&case, &case.bundle).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn flipping_the_artifact_fails() {
    for name in CASES {
        let mut case = load(name);
        case.artifact[0] ^= 1;
        let err = verify(&case, &case.bundle).expect_err(name);
        assert!(err.is_verdict(), "{name}: {err}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, max_global_rejects: 1 << 20, ..ProptestConfig::default() })]
    #[test]
    fn one_flipped_bit_is_rejected(
        case_i in 0..CASES.len(),
        target_i in 0..TARGETS.len(),
        index in 0usize..4096,
        bit in 0u8..8,
    ) {
        let case = load(CASES[case_i]);
        let mut bundle = case.bundle.clone();
        let target = TARGETS[target_i];
        prop_assume!(tamper(&mut bundle, target, index, bit));
        let outcome = verify(&case, &bundle);
        prop_assert!(outcome.is_err(), "{} {} byte {} bit {}: still verifies", CASES[case_i], target, index, bit);
        if let Err(e) = outcome {
            prop_assert!(e.is_verdict(), "{} {}: not a verdict: {}", CASES[case_i], target, e);
        }
    }
}
