//! Writing Sigstore bundles v0.3 (`application/vnd.dev.sigstore.bundle.v0.3+json`) for
//! managed keys: a message signature over a blob, or a DSSE envelope, with the signing key
//! named by a public-key hint and no transparency-log entries (offline, key-based signing).
//!
//! The JSON follows the protobuf-specs `Bundle` message in its canonical JSON mapping
//! (lowerCamelCase field names, bytes as standard padded base64, enums by name):
//!
//! ```json
//! {
//!   "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
//!   "verificationMaterial": {
//!     "publicKey": { "hint": "<base64 SHA-256 of the SPKI DER>" },
//!     "tlogEntries": []
//!   },
//!   "messageSignature": {
//!     "messageDigest": { "algorithm": "SHA2_256", "digest": "<base64>" },
//!     "signature": "<base64>"
//!   }
//! }
//! ```
//!
//! `tlogEntries` is written even when empty: sigstore-js's bundle validation requires the
//! field.
//!
//! # The public-key hint
//!
//! protobuf-specs leaves the hint's format to signer and verifier and recommends deriving it
//! from the key as RFC 6962 §3.2 does (SHA-256 of the SubjectPublicKeyInfo DER). We write
//! [`public_key_hint`]: the **standard padded base64 of SHA-256(SPKI DER)**, the same
//! string sigstore-go's `sign` package puts in the bundles it writes (its
//! `EphemeralKeypair` hint). It is an unauthenticated lookup hint only: verifiers must still
//! be given the key. (The DSSE `keyid` inside an envelope stays chainproof's hex key id,
//! [`chainproof_crypto::key_id`].)
//!
//! # Signature schemes
//!
//! A message signature is over the blob itself, hashed with the algorithm named by
//! `messageDigest.algorithm` (that is how sigstore-rust, sigstore-go and sigstore-js pick
//! the verification hash): SHA2_256 for P-256, Ed25519 and RSA PKCS#1 v1.5 SHA-256,
//! SHA2_384 for P-384 (ECDSA P-384 signs with SHA-384). RSA-PSS is refused: Sigstore
//! verifiers check RSA managed keys with PKCS#1 v1.5.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chainproof_crypto::{SignatureAlgorithm, Signer};
use serde_json::{Value, json};

use crate::AttestError;
use crate::dsse::Envelope;

/// The v0.3 bundle media type (the spelling protobuf-specs recommends).
pub const BUNDLE_V03_MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";

/// The public-key hint we write: standard padded base64 of SHA-256 over the SPKI DER.
pub fn public_key_hint(spki_der: &[u8]) -> String {
    STANDARD.encode(chainproof_crypto::sha256(spki_der))
}

/// The `messageDigest.algorithm` name and digest bytes for `message` signed with `alg`.
fn message_digest(
    alg: SignatureAlgorithm,
    message: &[u8],
) -> Result<(&'static str, Vec<u8>), AttestError> {
    use SignatureAlgorithm as A;
    Ok(match alg {
        A::EcdsaP256Sha256 | A::Ed25519 | A::RsaPkcs1Sha256 => {
            ("SHA2_256", chainproof_crypto::sha256(message).to_vec())
        }
        A::EcdsaP384Sha384 | A::RsaPkcs1Sha384 => (
            "SHA2_384",
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA384, message)
                .as_ref()
                .to_vec(),
        ),
        A::RsaPkcs1Sha512 => ("SHA2_512", chainproof_crypto::sha512(message).to_vec()),
        other => {
            return Err(AttestError::Unexpected(format!(
                "a Sigstore message-signature bundle cannot carry a {other} signature \
                 (use ECDSA P-256/P-384, Ed25519, or RSA PKCS#1 v1.5)"
            )));
        }
    })
}

/// Whether Sigstore verifiers can check a signature made with `alg` in a bundle.
fn check_bundle_scheme(alg: SignatureAlgorithm) -> Result<(), AttestError> {
    use SignatureAlgorithm as A;
    match alg {
        A::EcdsaP256Sha256
        | A::EcdsaP384Sha384
        | A::Ed25519
        | A::RsaPkcs1Sha256
        | A::RsaPkcs1Sha384
        | A::RsaPkcs1Sha512 => Ok(()),
        other => Err(AttestError::Unexpected(format!(
            "Sigstore verifiers do not check {other} signatures in bundles \
             (use ECDSA P-256/P-384, Ed25519, or RSA PKCS#1 v1.5)"
        ))),
    }
}

fn verification_material(hint: &str) -> Value {
    json!({
        "publicKey": { "hint": hint },
        "tlogEntries": [],
    })
}

/// Sign `message` (the blob's bytes) and return a v0.3 bundle with a message signature.
pub fn sign_message(signer: &dyn Signer, message: &[u8]) -> Result<Value, AttestError> {
    let (algorithm, digest) = message_digest(signer.algorithm(), message)?;
    let signature = signer.sign(message)?;
    Ok(json!({
        "mediaType": BUNDLE_V03_MEDIA_TYPE,
        "verificationMaterial": verification_material(&public_key_hint(signer.public_key().spki_der())),
        "messageSignature": {
            "messageDigest": { "algorithm": algorithm, "digest": STANDARD.encode(digest) },
            "signature": STANDARD.encode(signature),
        },
    }))
}

/// Wrap a DSSE envelope signed by `signer` in a v0.3 bundle. Sigstore bundles carry exactly
/// one DSSE signature.
pub fn dsse_bundle(envelope: &Envelope, signer: &dyn Signer) -> Result<Value, AttestError> {
    check_bundle_scheme(signer.algorithm())?;
    if envelope.signatures.len() != 1 {
        return Err(AttestError::Unexpected(format!(
            "a Sigstore bundle carries exactly one DSSE signature, the envelope has {}",
            envelope.signatures.len()
        )));
    }
    let env = serde_json::to_value(envelope).map_err(|e| AttestError::Unexpected(e.to_string()))?;
    Ok(json!({
        "mediaType": BUNDLE_V03_MEDIA_TYPE,
        "verificationMaterial": verification_material(&public_key_hint(signer.public_key().spki_der())),
        "dsseEnvelope": env,
    }))
}

/// Pretty JSON with a trailing newline, as written to files.
pub fn to_pretty_json(bundle: &Value) -> String {
    serde_json::to_string_pretty(bundle).expect("a JSON value always serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainproof_crypto::{KeyAlgorithm, PrivateKey};

    #[test]
    fn hint_is_base64_sha256_of_spki() {
        let key = PrivateKey::generate(KeyAlgorithm::EcdsaP256).expect("generate");
        let hint = public_key_hint(key.public_key().spki_der());
        let raw = STANDARD.decode(&hint).expect("base64");
        assert_eq!(raw, chainproof_crypto::sha256(key.public_key().spki_der()));
        // The same key, hex-encoded, is chainproof's key id.
        assert_eq!(chainproof_crypto::hex::encode(&raw), key.key_id());
    }

    #[test]
    fn message_bundle_shape_and_signature() {
        for alg in [
            KeyAlgorithm::EcdsaP256,
            KeyAlgorithm::EcdsaP384,
            KeyAlgorithm::Ed25519,
        ] {
            let key = PrivateKey::generate(alg).expect("generate");
            let b = sign_message(&key, b"hello").expect("sign");
            assert_eq!(b["mediaType"], BUNDLE_V03_MEDIA_TYPE);
            assert_eq!(b["verificationMaterial"]["tlogEntries"], json!([]));
            let want_alg = if alg == KeyAlgorithm::EcdsaP384 {
                "SHA2_384"
            } else {
                "SHA2_256"
            };
            let md = &b["messageSignature"]["messageDigest"];
            assert_eq!(md["algorithm"], want_alg);
            let digest = STANDARD
                .decode(md["digest"].as_str().expect("str"))
                .expect("b64");
            assert_eq!(digest.len(), if want_alg == "SHA2_384" { 48 } else { 32 });
            let sig = STANDARD
                .decode(b["messageSignature"]["signature"].as_str().expect("str"))
                .expect("b64");
            key.public_key()
                .verify_default(b"hello", &sig)
                .expect("verifies");
            assert!(key.public_key().verify_default(b"hellO", &sig).is_err());
        }
    }

    #[test]
    fn dsse_bundle_needs_one_signature() {
        let a = PrivateKey::generate(KeyAlgorithm::Ed25519).expect("generate");
        let b = PrivateKey::generate(KeyAlgorithm::Ed25519).expect("generate");
        let env = Envelope::sign("t", b"x".to_vec(), &[&a, &b]).expect("sign");
        assert!(dsse_bundle(&env, &a).is_err());
        let env = Envelope::sign("t", b"x".to_vec(), &[&a]).expect("sign");
        let bundle = dsse_bundle(&env, &a).expect("bundle");
        assert_eq!(bundle["dsseEnvelope"]["payloadType"], "t");
        assert_eq!(
            bundle["dsseEnvelope"]["signatures"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
    }
}
