//! `chainproof verify bundle`: offline Sigstore bundle verification, shaped
//! like the Sigstore conformance CLI protocol (`verify-bundle`).

use std::path::{Path, PathBuf};

use chainproof_sigstore::{
    Claim, Error, IdentityPolicy, Matcher, Policy, Subject, TrustedRoot, Verified,
};
use clap::Args;

use crate::ExitStatus;
use crate::printer::Printer;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("signer").multiple(true)
    .args(["key", "certificate_identity", "certificate_identity_regexp"])))]
pub struct VerifyBundleArgs {
    /// The Sigstore bundle (`.sigstore.json`).
    #[arg(long, value_name = "FILE", required_unless_present = "batch")]
    pub bundle: Option<PathBuf>,

    /// Batch mode: verify every case of a JSON Lines file in one process. Each
    /// line: {"bundle": PATH, "subject": PATH|"sha256:HEX", and "key": PATH or
    /// "identity"/"identityRegexp" + "issuer"/"issuerRegexp", optional
    /// "trustedRoot": PATH}; relative paths are relative to the file. Prints
    /// one JSON verdict per line; exit 0 when all verified, 1 otherwise.
    #[arg(long, value_name = "FILE.jsonl", conflicts_with_all = ["bundle", "key", "certificate_identity", "certificate_identity_regexp"])]
    pub batch: Option<PathBuf>,

    /// Verify with this managed public key (PEM or DER SubjectPublicKeyInfo)
    /// instead of a Fulcio certificate identity.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["certificate_identity", "certificate_identity_regexp"])]
    pub key: Option<PathBuf>,

    /// The expected SAN of the signing certificate (exact).
    #[arg(
        long,
        value_name = "IDENTITY",
        conflicts_with = "certificate_identity_regexp"
    )]
    pub certificate_identity: Option<String>,

    /// The expected SAN, as a regular expression (unanchored, like cosign).
    #[arg(long, value_name = "REGEXP")]
    pub certificate_identity_regexp: Option<String>,

    /// The expected OIDC issuer of the signing certificate (exact).
    #[arg(
        long,
        value_name = "URL",
        conflicts_with = "certificate_oidc_issuer_regexp"
    )]
    pub certificate_oidc_issuer: Option<String>,

    /// The expected OIDC issuer, as a regular expression.
    #[arg(long, value_name = "REGEXP")]
    pub certificate_oidc_issuer_regexp: Option<String>,

    /// Require this GitHub workflow trigger (Fulcio OID .1.2 / .1.20).
    #[arg(long, value_name = "EVENT")]
    pub certificate_github_workflow_trigger: Option<String>,

    /// Require this GitHub workflow commit SHA (Fulcio OID .1.3 / .1.13).
    #[arg(long, value_name = "SHA")]
    pub certificate_github_workflow_sha: Option<String>,

    /// Require this GitHub workflow name (Fulcio OID .1.4).
    #[arg(long, value_name = "NAME")]
    pub certificate_github_workflow_name: Option<String>,

    /// Require this GitHub repository, `owner/repo` (Fulcio OID .1.5 / .1.12).
    #[arg(long, value_name = "OWNER/REPO")]
    pub certificate_github_workflow_repository: Option<String>,

    /// Require this git ref, e.g. `refs/tags/v1` (Fulcio OID .1.6 / .1.14).
    #[arg(long, value_name = "REF")]
    pub certificate_github_workflow_ref: Option<String>,

    /// With --key: accept a bundle that has no transparency-log entry (a bundle signed
    /// offline by `chainproof sign blob` / `chainproof attest --bundle`). The signature and
    /// the artifact binding are still checked, and any log entry or RFC 3161 timestamp the
    /// bundle does carry is still verified; but nothing proves when, or that, the signature
    /// was published. Same name and opt-in as cosign's flag; sigstore-js needs
    /// `tlogThreshold: 0` likewise.
    #[arg(long, requires = "key")]
    pub insecure_ignore_tlog: bool,

    /// Use this `trusted_root.json` instead of the embedded public-good root.
    #[arg(long, value_name = "FILE", conflicts_with = "staging")]
    pub trusted_root: Option<PathBuf>,

    /// Use the embedded public-good *staging* trusted root.
    #[arg(long)]
    pub staging: bool,

    /// Print what was verified as JSON on stdout.
    #[arg(long)]
    pub json: bool,

    /// The artifact, or its digest as `sha256:HEX` (for DSSE bundles: an
    /// in-toto subject).
    #[arg(value_name = "FILE_OR_DIGEST", required_unless_present = "batch")]
    pub subject: Option<String>,
}

pub fn run(args: VerifyBundleArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    if let Some(batch) = &args.batch {
        return super::verify_batch::run(batch, printer);
    }
    let bundle_path = args.bundle.clone().unwrap_or_default();
    match verify(&args) {
        Ok(verified) => {
            if args.json {
                printer.stdout(&format!("{}\n", verified_json(&verified)))?;
            }
            let who = verified
                .identity
                .as_deref()
                .map(|id| format!(" by {id}"))
                .unwrap_or_default();
            printer.info(&format!("OK: {} verified{who}", bundle_path.display()));
            Ok(ExitStatus::Success)
        }
        Err(e) if e.is_verdict() => {
            // The reason goes to stderr even with -q: it is the answer.
            eprintln!("not verified: {}: {e}", bundle_path.display());
            Ok(ExitStatus::Failure)
        }
        Err(e) => Err(e.into()),
    }
}

fn verify(args: &VerifyBundleArgs) -> Result<Verified, Error> {
    let root = if let Some(path) = &args.trusted_root {
        TrustedRoot::from_file(path)?
    } else if args.staging {
        TrustedRoot::staging()?
    } else {
        TrustedRoot::production()?
    };
    let policy = policy(args)?;
    let (Some(bundle_path), Some(subject)) = (&args.bundle, &args.subject) else {
        return Err(Error::Usage(
            "--bundle and FILE_OR_DIGEST are required".into(),
        ));
    };
    let options = chainproof_sigstore::VerifyOptions {
        insecure_ignore_tlog: args.insecure_ignore_tlog,
    };
    verify_one_with(bundle_path, subject, &policy, &root, options)
}

/// Read, parse and verify one bundle for `subject` (a path or `sha256:HEX`).
pub(crate) fn verify_one(
    bundle_path: &Path,
    subject: &str,
    policy: &Policy,
    root: &TrustedRoot,
) -> Result<Verified, Error> {
    verify_one_with(bundle_path, subject, policy, root, Default::default())
}

/// [`verify_one`] with verification options.
pub(crate) fn verify_one_with(
    bundle_path: &Path,
    subject: &str,
    policy: &Policy,
    root: &TrustedRoot,
    options: chainproof_sigstore::VerifyOptions,
) -> Result<Verified, Error> {
    let bundle_text = read_to_string(bundle_path)?;
    let bundle =
        chainproof_sigstore::parse_bundle(&bundle_text, &bundle_path.display().to_string())?;
    let subject = Subject::from_cli_arg(subject);
    if let Subject::File(path) = &subject
        && !path.is_file()
    {
        return Err(Error::Usage(format!(
            "{}: artifact not found (and not a sha256:HEX digest)",
            path.display()
        )));
    }
    chainproof_sigstore::verify_parsed_with(&bundle, &subject, policy, root, options)
}

/// A managed-key policy from a key file.
pub(crate) fn key_policy(path: &Path) -> Result<Policy, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let der = chainproof_sigstore::load_public_key(&bytes, &path.display().to_string())?;
    Ok(Policy::Key(der))
}

fn policy(args: &VerifyBundleArgs) -> Result<Policy, Error> {
    if let Some(path) = &args.key {
        return key_policy(path);
    }
    if args.insecure_ignore_tlog {
        return Err(Error::Usage(
            "--insecure-ignore-tlog applies to managed keys only: give --key".into(),
        ));
    }
    let mut policy = identity_policy(
        args.certificate_identity.as_deref(),
        args.certificate_identity_regexp.as_deref(),
        args.certificate_oidc_issuer.as_deref(),
        args.certificate_oidc_issuer_regexp.as_deref(),
    )?;
    let claims = [
        (
            Claim::GithubWorkflowTrigger,
            &args.certificate_github_workflow_trigger,
        ),
        (
            Claim::GithubWorkflowSha,
            &args.certificate_github_workflow_sha,
        ),
        (
            Claim::GithubWorkflowName,
            &args.certificate_github_workflow_name,
        ),
        (
            Claim::GithubWorkflowRepository,
            &args.certificate_github_workflow_repository,
        ),
        (
            Claim::GithubWorkflowRef,
            &args.certificate_github_workflow_ref,
        ),
    ];
    for (claim, value) in claims {
        if let Some(value) = value {
            policy = policy.with_claim(claim, Matcher::exact(value));
        }
    }
    Ok(Policy::Identity(policy))
}

/// A keyless policy from exact / regexp SAN and issuer options.
pub(crate) fn identity_policy(
    identity: Option<&str>,
    identity_regexp: Option<&str>,
    issuer: Option<&str>,
    issuer_regexp: Option<&str>,
) -> Result<IdentityPolicy, Error> {
    let identity = match (identity, identity_regexp) {
        (Some(exact), _) => Matcher::exact(exact),
        (None, Some(re)) => Matcher::regex(re, "--certificate-identity-regexp")?,
        (None, None) => {
            return Err(Error::Usage(
                "--certificate-identity or --certificate-identity-regexp is required".into(),
            ));
        }
    };
    let issuer = match (issuer, issuer_regexp) {
        (Some(exact), _) => Matcher::exact(exact),
        (None, Some(re)) => Matcher::regex(re, "--certificate-oidc-issuer-regexp")?,
        (None, None) => {
            return Err(Error::Usage(
                "--certificate-oidc-issuer or --certificate-oidc-issuer-regexp is required".into(),
            ));
        }
    };
    Ok(IdentityPolicy {
        identity,
        issuer,
        claims: Vec::new(),
    })
}

fn read_to_string(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| Error::BundleParse {
        origin: path.display().to_string(),
        line: 0,
        column: 0,
        message: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
    })
}

pub(crate) fn verified_json(v: &Verified) -> serde_json::Value {
    serde_json::json!({
        "verified": true,
        "mediaType": v.media_type,
        "content": v.content,
        "identity": v.identity,
        "issuer": v.issuer,
        "timestamps": v.timestamps,
        "tlogVerified": v.tlog_verified,
    })
}
