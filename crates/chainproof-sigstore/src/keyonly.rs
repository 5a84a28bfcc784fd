//! Managed-key verification of bundles that carry no transparency-log entry and no
//! timestamp: what `chainproof sign blob` / `chainproof attest --bundle` write (offline,
//! key-based signing).
//!
//! sigstore-verify refuses such bundles outright (no signing-time evidence), even with its
//! tlog check skipped. This module checks what *can* be checked without a log: the
//! signature with the given key, and the binding to the artifact (`messageDigest`, or an
//! in-toto subject digest). It runs only when the caller opted in
//! ([`crate::VerifyOptions::insecure_ignore_tlog`]), like cosign's `--insecure-ignore-tlog`
//! and sigstore-js's `tlogThreshold: 0, timestampThreshold: 0`.

use sigstore_verify::crypto::{
    KeyAlgorithm, SigningScheme, verify_signature, verify_signature_prehashed,
};
use sigstore_verify::types::bundle::VerificationMaterialContent;
use sigstore_verify::types::{Bundle, DerPublicKey, HashAlgorithm, SignatureContent, Statement};

use crate::subject::DigestAlgorithm;
use crate::{Error, Subject};

fn no(msg: impl Into<String>) -> Error {
    Error::NotVerified(msg.into())
}

/// Digest of `data` with `alg` (`None` for an algorithm we cannot compute).
fn digest(alg: HashAlgorithm, data: &[u8]) -> Option<Vec<u8>> {
    use sigstore_verify::crypto as c;
    Some(match alg {
        HashAlgorithm::Sha2256 => c::sha256(data).as_bytes().to_vec(),
        HashAlgorithm::Sha2384 => c::sha384(data).as_bytes().to_vec(),
        HashAlgorithm::Sha2512 => c::sha512(data).as_bytes().to_vec(),
        _ => return None,
    })
}

fn hash_of(alg: DigestAlgorithm) -> HashAlgorithm {
    match alg {
        DigestAlgorithm::Sha256 => HashAlgorithm::Sha2256,
        DigestAlgorithm::Sha384 => HashAlgorithm::Sha2384,
        DigestAlgorithm::Sha512 => HashAlgorithm::Sha2512,
    }
}

/// The artifact: its bytes, or only a digest of it.
enum Data {
    Bytes(Vec<u8>),
    Digest(HashAlgorithm, Vec<u8>),
}

impl Data {
    fn from_subject(subject: &Subject) -> Result<Self, Error> {
        Ok(match subject {
            Subject::Bytes(b) => Data::Bytes(b.clone()),
            Subject::File(path) => {
                Data::Bytes(std::fs::read(path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?)
            }
            Subject::Digest(alg, bytes) => Data::Digest(hash_of(*alg), bytes.clone()),
        })
    }

    /// The artifact's digest with `alg`, if it can be known.
    fn digest(&self, alg: HashAlgorithm) -> Option<Vec<u8>> {
        match self {
            Data::Bytes(b) => digest(alg, b),
            Data::Digest(a, d) if *a == alg => Some(d.clone()),
            Data::Digest(..) => None,
        }
    }
}

/// Verify `bundle` for `subject` with the managed key `der` (SPKI DER), signature and
/// artifact binding only. Returns the content kind.
pub(crate) fn verify(
    bundle: &Bundle,
    subject: &Subject,
    der: &[u8],
) -> Result<&'static str, Error> {
    if !matches!(
        bundle.verification_material.content,
        VerificationMaterialContent::PublicKey(_)
    ) {
        return Err(no(
            "bundle contains a certificate but public-key verification was requested",
        ));
    }
    let key = DerPublicKey::new(der.to_vec());
    let key_alg = KeyAlgorithm::from_spki(&key).map_err(|e| no(format!("public key: {e}")))?;
    let data = Data::from_subject(subject)?;
    match &bundle.content {
        SignatureContent::MessageSignature(ms) => {
            let scheme = match &ms.message_digest {
                Some(d) => key_alg
                    .resolve_signing_scheme(d.algorithm)
                    .map_err(|e| no(e.to_string()))?,
                None => key_alg.default_signing_scheme(),
            };
            if let Some(d) = &ms.message_digest {
                match data.digest(d.algorithm) {
                    Some(actual) if actual == d.digest.as_bytes() => {}
                    Some(_) => {
                        return Err(no("message digest in bundle does not match artifact hash"));
                    }
                    None => {
                        return Err(no(format!(
                            "the bundle's message digest is {:?}; give the artifact or a digest of that algorithm",
                            d.algorithm
                        )));
                    }
                }
            }
            check_message_signature(&key, scheme, &ms.signature, &data)?;
            Ok("message-signature")
        }
        SignatureContent::DsseEnvelope(env) => {
            verify_signature(
                &key,
                &env.pae(),
                &env.signature.sig,
                key_alg.default_signing_scheme(),
            )
            .map_err(|e| no(format!("DSSE signature verification failed: {e}")))?;
            if env.payload_type != "application/vnd.in-toto+json" {
                return Err(no(format!(
                    "unsupported DSSE payload type {:?}: cannot bind artifact to attestation",
                    env.payload_type
                )));
            }
            let statement: Statement = serde_json::from_slice(env.payload.as_bytes())
                .map_err(|e| no(format!("failed to parse in-toto statement: {e}")))?;
            check_subject(&statement, &data)?;
            Ok("dsse")
        }
        _ => Err(no("unsupported bundle signature content")),
    }
}

fn check_message_signature(
    key: &DerPublicKey,
    scheme: SigningScheme,
    sig: &sigstore_verify::types::SignatureBytes,
    data: &Data,
) -> Result<(), Error> {
    let result = match data {
        Data::Bytes(b) => verify_signature(key, b, sig, scheme),
        Data::Digest(alg, d) => {
            if scheme.hash_algorithm() != Some(*alg) {
                return Err(no(format!(
                    "cannot verify a {} signature from a {alg:?} digest; give the artifact",
                    scheme.name()
                )));
            }
            verify_signature_prehashed(key, d, sig, scheme)
        }
    };
    result.map_err(|e| no(format!("signature verification failed: {e}")))
}

fn check_subject(statement: &Statement, data: &Data) -> Result<(), Error> {
    if statement.subject.is_empty() {
        return Err(no(
            "in-toto statement has no subjects: cannot bind artifact to attestation",
        ));
    }
    let sha256 = data.digest(HashAlgorithm::Sha2256);
    let sha512 = data.digest(HashAlgorithm::Sha2512);
    let found = statement.subject.iter().any(|s| {
        let d = &s.digest;
        matches!((&d.sha256, &sha256), (Some(a), Some(b)) if a.as_bytes()[..] == b[..])
            || matches!((&d.sha512, &sha512), (Some(a), Some(b)) if a.as_bytes()[..] == b[..])
    });
    if found {
        Ok(())
    } else {
        Err(no(
            "artifact hash does not match any subject in attestation",
        ))
    }
}
