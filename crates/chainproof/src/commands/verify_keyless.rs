//! Keyless verification of GitHub (slsa-github-generator) provenance, offline.
//!
//! * Sigstore bundles (`.intoto.sigstore`, `.build.slsa`, v2.1 `.intoto.jsonl`): the full
//!   bundle verification of chainproof-sigstore (Fulcio chain at the Rekor/TSA time, SCT,
//!   Rekor entry and inclusion proof/SET), with the certificate identity required to be a
//!   trusted builder.
//! * DSSE envelopes carrying their certificate (`.intoto.jsonl` before v2.1): the certificate
//!   chain to a Fulcio CA at its `notBefore` and the DSSE signature with its key. There is no
//!   Rekor entry in the file, so transparency-log inclusion is not established; that is a
//!   distinct verdict (`tlog-not-verified`) unless `--allow-no-tlog` is given.
//!
//! Then, for both: the trusted builder and the certificate's source repository / ref /
//! trigger against the provenance and the flags, and the SLSA content checks.

use chainproof_attest::dsse::{INTOTO_PAYLOAD_TYPE, envelope_in_sigstore_bundle, read_envelopes};
use chainproof_attest::intoto::Statement;
use chainproof_attest::slsa::gha::{self, CertIdentity, IdentityOptions};
use chainproof_attest::slsa::{self, Failure, FailureKind, Verdict, VerifyOptions};
use chainproof_sigstore::{
    CertificateInfo, Claim, IdentityPolicy, Policy, Subject, TrustedRoot, keyless, parse_bundle,
    verify_parsed,
};

/// The outcome of a keyless provenance check.
pub enum Outcome {
    /// Everything verified, transparency-log inclusion included unless `tlog` is false.
    Verified {
        /// The content verdict.
        verdict: Verdict,
        /// The certificate SAN.
        identity: String,
        /// Whether Rekor inclusion was verified.
        tlog: bool,
    },
    /// Rejected, with the class and reason.
    Rejected(Failure),
    /// Nothing in the file can be verified keylessly offline (a DSSE envelope without any
    /// certificate: a key-signed envelope, or one whose certificate is only in Rekor).
    /// The CLI treats this as a usage error (exit 2): give `--key`.
    CannotVerify(String),
}

fn reject(kind: FailureKind, message: impl Into<String>) -> Outcome {
    Outcome::Rejected(Failure {
        kind,
        message: message.into(),
    })
}

/// Map the certificate's claims.
pub fn cert_identity(info: &CertificateInfo) -> CertIdentity {
    CertIdentity {
        san: info
            .identity
            .as_ref()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        issuer: info.issuer.clone(),
        source_repository: Claim::GithubWorkflowRepository.value(info),
        source_ref: Claim::GithubWorkflowRef.value(info),
        trigger: Claim::GithubWorkflowTrigger.value(info),
    }
}

fn is_bundle(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .is_some_and(|v| v.get("mediaType").is_some() && v.get("verificationMaterial").is_some())
}

/// Parse `sha256:HEX` from the options' first digest.
fn first_sha256(opts: &VerifyOptions) -> Option<Vec<u8>> {
    let d = opts.digests.first()?;
    let hex = d.strip_prefix("sha256:").unwrap_or(d);
    chainproof_crypto::hex::decode(hex)
}

/// Verify `bytes` (a bundle or an `.intoto.jsonl`) keylessly.
pub fn verify(
    bytes: &[u8],
    at: &str,
    opts: &VerifyOptions,
    id_opts: &IdentityOptions,
    root: &TrustedRoot,
) -> Outcome {
    if is_bundle(bytes) {
        return verify_bundle(bytes, at, opts, id_opts, root);
    }
    let envelopes = match read_envelopes(bytes, at) {
        Ok(e) => e,
        Err(e) => return reject(FailureKind::InvalidPayload, e.to_string()),
    };
    let mut last = reject(FailureKind::NoValidSignature, "no envelope in the file");
    for env in &envelopes {
        if env.payload_type != INTOTO_PAYLOAD_TYPE {
            last = reject(
                FailureKind::InvalidPayload,
                format!("payload type {:?} is not in-toto", env.payload_type),
            );
            continue;
        }
        let Some(sig) = env.signatures.iter().find(|s| s.cert.is_some()) else {
            last = Outcome::CannotVerify(
                "the envelope carries no signing certificate: keyless verification would need its Rekor entry, which is not available offline; give --key PUB for a key-signed envelope".into(),
            );
            continue;
        };
        let cert = sig.cert.as_deref().unwrap_or_default();
        let certified = match keyless::verify_certified_signature(cert, &env.pae(), &sig.sig, root)
        {
            Ok(c) => c,
            Err(e) => {
                last = reject(FailureKind::NoValidSignature, e.to_string());
                continue;
            }
        };
        let st = match Statement::from_json(&env.payload, at) {
            Ok(s) => s,
            Err(e) => return reject(FailureKind::InvalidPayload, e.to_string()),
        };
        return judge(&certified.certificate, &st, opts, id_opts, false);
    }
    last
}

fn verify_bundle(
    bytes: &[u8],
    at: &str,
    opts: &VerifyOptions,
    id_opts: &IdentityOptions,
    root: &TrustedRoot,
) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let bundle = match parse_bundle(text.trim(), at) {
        Ok(b) => b,
        Err(e) => return reject(FailureKind::InvalidPayload, e.to_string()),
    };
    let Some(env) = envelope_in_sigstore_bundle(bytes) else {
        return reject(
            FailureKind::InvalidPayload,
            "the bundle holds a message signature, not a DSSE provenance envelope",
        );
    };
    let st = match Statement::from_json(&env.payload, at) {
        Ok(s) => s,
        Err(e) => return reject(FailureKind::InvalidPayload, e.to_string()),
    };
    let info = match keyless::bundle_certificate(&bundle) {
        Ok(i) => i,
        Err(e) => return reject(FailureKind::NoValidSignature, e.to_string()),
    };
    let ident = cert_identity(&info);
    let Some(digest) = first_sha256(opts) else {
        return reject(FailureKind::InvalidHash, "no sha256 artifact digest given");
    };
    let policy = Policy::Identity(IdentityPolicy::exact(
        ident.san.clone(),
        ident.issuer.clone().unwrap_or_default(),
    ));
    let subject = Subject::Digest(chainproof_sigstore::DigestAlgorithm::Sha256, digest.clone());
    if let Err(e) = verify_parsed(&bundle, &subject, &policy, root) {
        let hex = chainproof_sigstore::to_hex(&digest);
        if !st.has_subject_digest("sha256", &hex) {
            return reject(
                FailureKind::MismatchHash,
                format!("no subject has digest sha256:{hex}"),
            );
        }
        return reject(FailureKind::NoValidSignature, e.to_string());
    }
    judge(&info, &st, opts, id_opts, true)
}

fn judge(
    info: &CertificateInfo,
    st: &Statement,
    opts: &VerifyOptions,
    id_opts: &IdentityOptions,
    tlog: bool,
) -> Outcome {
    let ident = cert_identity(info);
    let run = || -> Result<Verdict, Failure> {
        let builder = gha::verify_builder_identity(&ident, id_opts)?;
        gha::check_certificate_matches(&ident, st, opts.source_uri.as_deref())?;
        let expected = gha::expected_builder(&builder, st, id_opts)?;
        slsa::verify(st, &gha::options_for(opts, expected))
    };
    match run() {
        Ok(verdict) => Outcome::Verified {
            verdict,
            identity: ident.san,
            tlog,
        },
        Err(f) => Outcome::Rejected(f),
    }
}

/// `verify provenance --batch FILE.jsonl`: keyless cases in one process, the trusted root
/// parsed once. One JSON line per case on stdout: `{"provenance", "verified", "reason"}`.
pub fn batch(
    path: &std::path::Path,
    trusted_root: Option<&std::path::Path>,
    printer: &crate::printer::Printer,
) -> anyhow::Result<crate::ExitStatus> {
    use anyhow::Context;
    use serde_json::Value;
    let base = path.parent().unwrap_or(std::path::Path::new("."));
    let root = match trusted_root {
        Some(p) => TrustedRoot::from_file(p)?,
        None => TrustedRoot::production()?,
    };
    let (mut verified, mut rejected) = (0usize, 0usize);
    let mut out = String::new();
    for (_, place, case) in crate::commands::verify_batch::read_cases(path)? {
        let s = |k: &str| case.get(k).and_then(Value::as_str).map(str::to_string);
        let b = |k: &str| case.get(k).and_then(Value::as_bool).unwrap_or(false);
        let prov =
            s("provenance").with_context(|| format!("{place}: \"provenance\" is required"))?;
        let prov = base.join(prov);
        let mut digests = Vec::new();
        for a in case
            .get("artifacts")
            .and_then(Value::as_array)
            .with_context(|| format!("{place}: \"artifacts\" (array) is required"))?
        {
            let a = a
                .as_str()
                .with_context(|| format!("{place}: artifact is not a string"))?;
            if a.starts_with("sha256:") {
                digests.push(a.to_ascii_lowercase());
            } else {
                let bytes = std::fs::read(base.join(a)).with_context(|| format!("{place}: {a}"))?;
                digests.push(format!(
                    "sha256:{}",
                    chainproof_sigstore::to_hex(&chainproof_sigstore::sha256(&bytes))
                ));
            }
        }
        let opts = VerifyOptions {
            digests,
            builder_id: s("builderId"),
            source_uri: s("sourceUri"),
            source_branch: s("sourceBranch"),
            source_tag: s("sourceTag"),
            source_versioned_tag: s("sourceVersionedTag"),
            workflow_inputs: Default::default(),
        };
        let id_opts = IdentityOptions {
            builder_id: opts.builder_id.clone(),
            testing: b("testing"),
        };
        let at = prov.display().to_string();
        let outcome = match std::fs::read(&prov) {
            Ok(bytes) => verify(&bytes, &at, &opts, &id_opts, &root),
            Err(e) => reject(FailureKind::InvalidPayload, format!("{at}: {e}")),
        };
        let (ok, reason) = match outcome {
            Outcome::Verified { tlog, .. } if tlog || b("allowNoTlog") => (true, None),
            Outcome::Verified { .. } => (
                false,
                Some(
                    "tlog-not-verified: transparency log inclusion cannot be checked offline"
                        .to_string(),
                ),
            ),
            Outcome::Rejected(f) => (false, Some(f.to_string())),
            Outcome::CannotVerify(why) => (false, Some(format!("cannot-verify: {why}"))),
        };
        if ok {
            verified += 1;
        } else {
            rejected += 1;
        }
        out.push_str(
            &serde_json::json!({"provenance": at, "verified": ok, "reason": reason}).to_string(),
        );
        out.push('\n');
    }
    printer.stdout(&out)?;
    printer.warn(&format!("{verified} verified, {rejected} not verified"));
    Ok(if rejected == 0 {
        crate::ExitStatus::Success
    } else {
        crate::ExitStatus::Failure
    })
}
