//! The verification entry point.

use std::path::Path;

use sigstore_verify::types::{Artifact, ArtifactDigest, Bundle, HashAlgorithm, SignatureContent};
use sigstore_verify::{
    PublicKeyVerificationPolicy, VerificationPolicy, VerificationResult, Verifier,
};

use crate::subject::DigestAlgorithm;
use crate::{Error, Policy, Subject, TrustedRoot, strict};

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The bundle media type.
    pub media_type: String,
    /// `message-signature` or `dsse`.
    pub content: &'static str,
    /// The certificate SAN (keyless bundles).
    pub identity: Option<String>,
    /// The certificate OIDC issuer (keyless bundles).
    pub issuer: Option<String>,
    /// Authenticated signing times (Rekor integrated time, RFC 3161 times),
    /// seconds since the Unix epoch.
    pub timestamps: Vec<i64>,
    /// Whether transparency-log inclusion was verified.
    pub tlog_verified: bool,
}

/// Parse a bundle; syntax and shape errors carry their line and column.
pub fn parse_bundle(json: &str, origin: &str) -> Result<Bundle, Error> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| Error::BundleParse {
        origin: origin.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    strict::check_bundle_json(&value).map_err(|message| Error::BundleParse {
        origin: origin.to_string(),
        line: 0,
        column: 0,
        message,
    })?;
    Bundle::from_json(json).map_err(|e| Error::BundleParse {
        origin: origin.to_string(),
        line: 0,
        column: 0,
        message: e.to_string(),
    })
}

/// Load a public key (PEM `PUBLIC KEY`, or SubjectPublicKeyInfo DER) as SPKI DER.
pub fn load_public_key(bytes: &[u8], origin: &str) -> Result<Vec<u8>, Error> {
    let key_err = |message: String| Error::Key {
        origin: origin.to_string(),
        message,
    };
    let der = match std::str::from_utf8(bytes) {
        Ok(text) if text.contains("-----BEGIN") => {
            sigstore_verify::types::DerPublicKey::from_pem(text)
                .map_err(|e| key_err(e.to_string()))?
                .as_bytes()
                .to_vec()
        }
        _ => bytes.to_vec(),
    };
    // Make sure it is a key aws-lc-rs can use before we call it a verdict.
    sigstore_verify::crypto::KeyAlgorithm::from_spki(&sigstore_verify::types::DerPublicKey::new(
        der.clone(),
    ))
    .map_err(|e| key_err(e.to_string()))?;
    Ok(der)
}

/// Verify `bundle_json` for `subject` under `policy`, against `root`.
///
/// `Ok` means every check passed. `Err(e)` with `e.is_verdict()` means the
/// bundle does not verify; any other error means verification could not run.
pub fn verify(
    bundle_json: &str,
    subject: &Subject,
    policy: &Policy,
    root: &TrustedRoot,
) -> Result<Verified, Error> {
    let bundle = parse_bundle(bundle_json, "<bundle>")?;
    verify_parsed(&bundle, subject, policy, root)
}

/// Options that relax verification; the default is the strict behaviour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Accept a managed-key bundle ([`Policy::Key`]) that has **no** transparency-log
    /// entry: cosign's `--insecure-ignore-tlog`, sigstore-js's `tlogThreshold: 0`. The
    /// signature and the artifact binding are still checked, and so is every RFC 3161
    /// timestamp the bundle carries. Entries that *are* present are still verified in full
    /// (stricter than cosign, which ignores them). Without a log entry nothing proves when
    /// (or that) the signature was published: use it for offline, key-based signing only.
    /// Keyless policies ignore this option (a Fulcio certificate needs a signing time).
    pub insecure_ignore_tlog: bool,
}

/// [`verify`] for an already parsed bundle.
pub fn verify_parsed(
    bundle: &Bundle,
    subject: &Subject,
    policy: &Policy,
    root: &TrustedRoot,
) -> Result<Verified, Error> {
    verify_parsed_with(bundle, subject, policy, root, VerifyOptions::default())
}

/// [`verify_parsed`] with [`VerifyOptions`].
pub fn verify_parsed_with(
    bundle: &Bundle,
    subject: &Subject,
    policy: &Policy,
    root: &TrustedRoot,
    options: VerifyOptions,
) -> Result<Verified, Error> {
    strict::check_bundle(bundle, root).map_err(Error::NotVerified)?;
    if let (true, Policy::Key(der)) = (options.insecure_ignore_tlog, policy)
        && bundle.verification_material.tlog_entries.is_empty()
    {
        return verify_without_tlog(bundle, subject, der, root);
    }
    if matches!(policy, Policy::Key(_)) && bundle.verification_material.tlog_entries.is_empty() {
        // A key-based bundle without any log entry is accepted only on request.
        return Err(Error::NotVerified(
            "bundle has no transparency log entry (a key-based bundle signed offline \
             verifies only with --insecure-ignore-tlog)"
                .into(),
        ));
    }
    let verifier = Verifier::new(&root.inner).map_err(|e| Error::TrustedRoot {
        origin: root.origin().to_string(),
        message: e.to_string(),
    })?;
    let result = match policy {
        Policy::Identity(_) => run(
            &verifier,
            bundle,
            subject,
            &VerificationPolicy::any_identity(),
        ),
        Policy::Key(der) => {
            let key = sigstore_verify::types::DerPublicKey::new(der.clone());
            run(
                &verifier,
                bundle,
                subject,
                &PublicKeyVerificationPolicy::new(key),
            )
        }
    }?;
    if let Policy::Identity(identity) = policy {
        let info = result
            .certificate()
            .ok_or_else(|| Error::NotVerified("bundle has no signing certificate".into()))?;
        if !result.certificate_verified() {
            return Err(Error::NotVerified(
                "certificate chain was not verified".into(),
            ));
        }
        identity.check(info).map_err(Error::NotVerified)?;
    }
    if !result.tlog_verified() {
        return Err(Error::NotVerified(
            "transparency log inclusion was not verified".into(),
        ));
    }
    Ok(Verified {
        media_type: bundle.media_type().as_str().to_string(),
        content: match bundle.content {
            SignatureContent::MessageSignature(_) => "message-signature",
            SignatureContent::DsseEnvelope(_) => "dsse",
            _ => "other",
        },
        identity: result.identity().map(|s| s.as_str().to_string()),
        issuer: result.issuer().map(str::to_string),
        timestamps: result
            .verified_timestamps()
            .iter()
            .map(|t| t.as_second())
            .collect(),
        tlog_verified: result.tlog_verified(),
    })
}

/// A managed-key bundle without transparency-log entries (opted in by the caller).
fn verify_without_tlog(
    bundle: &Bundle,
    subject: &Subject,
    der: &[u8],
    root: &TrustedRoot,
) -> Result<Verified, Error> {
    let media_type = bundle.media_type().as_str().to_string();
    let has_timestamps = !bundle
        .verification_material
        .timestamp_verification_data
        .rfc3161_timestamps
        .is_empty();
    if !has_timestamps {
        let content = crate::keyonly::verify(bundle, subject, der)?;
        return Ok(Verified {
            media_type,
            content,
            identity: None,
            issuer: None,
            timestamps: Vec::new(),
            tlog_verified: false,
        });
    }
    // With RFC 3161 timestamps sigstore-verify can run (and checks them).
    let verifier = Verifier::new(&root.inner).map_err(|e| Error::TrustedRoot {
        origin: root.origin().to_string(),
        message: e.to_string(),
    })?;
    let key = sigstore_verify::types::DerPublicKey::new(der.to_vec());
    let result = run(
        &verifier,
        bundle,
        subject,
        &PublicKeyVerificationPolicy::new(key).skip_tlog_unsafe(),
    )?;
    Ok(Verified {
        media_type,
        content: match bundle.content {
            SignatureContent::MessageSignature(_) => "message-signature",
            SignatureContent::DsseEnvelope(_) => "dsse",
            _ => "other",
        },
        identity: None,
        issuer: None,
        timestamps: result
            .verified_timestamps()
            .iter()
            .map(|t| t.as_second())
            .collect(),
        tlog_verified: false,
    })
}

fn run<P: sigstore_verify::Policy>(
    verifier: &Verifier,
    bundle: &Bundle,
    subject: &Subject,
    policy: &P,
) -> Result<VerificationResult, Error> {
    let outcome = match subject {
        Subject::Bytes(bytes) => verifier.verify(Artifact::from_blob(bytes), bundle, policy),
        Subject::Digest(alg, bytes) => {
            let alg = match alg {
                DigestAlgorithm::Sha256 => HashAlgorithm::Sha2256,
                DigestAlgorithm::Sha384 => HashAlgorithm::Sha2384,
                DigestAlgorithm::Sha512 => HashAlgorithm::Sha2512,
            };
            let digest = ArtifactDigest::new(alg, bytes.clone())
                .map_err(|e| Error::Usage(format!("digest: {e}")))?;
            verifier.verify(Artifact::from_digest(digest), bundle, policy)
        }
        Subject::File(path) => {
            let bytes = read_file(path)?;
            verifier.verify(Artifact::from_blob(&bytes), bundle, policy)
        }
    };
    outcome.map_err(|e| Error::NotVerified(e.to_string()))
}

fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}
