//! `chainproof sign blob FILE --key KEY --bundle OUT`: a Sigstore bundle v0.3 with a message
//! signature, signed offline with a managed key (no transparency-log entry; verify with
//! `chainproof verify bundle --key PUB --insecure-ignore-tlog`).

use std::path::{Path, PathBuf};

use anyhow::Context;
use chainproof_attest::bundle;
use chainproof_crypto::{PrivateKey, SignatureAlgorithm, Signer};
use clap::{Args, Subcommand};

use super::key::load_private_key;
use crate::ExitStatus;
use crate::printer::Printer;

#[derive(Debug, Args)]
pub struct SignCmdArgs {
    #[command(subcommand)]
    pub action: SignAction,
}

#[derive(Debug, Subcommand)]
pub enum SignAction {
    /// Sign a file into a Sigstore bundle v0.3 (message signature + public-key hint).
    Blob {
        /// The file to sign.
        file: PathBuf,
        /// Private key (PKCS#8 PEM, encrypted PKCS#8, SEC1, PKCS#1 RSA, or a cosign key).
        #[arg(long)]
        key: PathBuf,
        /// Where to write the bundle (`.sigstore.json`).
        #[arg(long, value_name = "OUT")]
        bundle: PathBuf,
    },
}

pub fn run(args: SignCmdArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match args.action {
        SignAction::Blob { file, key, bundle } => blob(&file, &key, &bundle, printer),
    }
}

/// Load a private key for signing a Sigstore bundle: RSA keys sign with PKCS#1 v1.5
/// SHA-256, the scheme Sigstore verifiers use for RSA managed keys.
pub(crate) fn load_bundle_signer(path: &Path) -> anyhow::Result<PrivateKey> {
    let key = load_private_key(path)?;
    if key.public_key().kind().as_str() == "rsa" {
        return Ok(key.with_algorithm(SignatureAlgorithm::RsaPkcs1Sha256)?);
    }
    Ok(key)
}

fn blob(file: &Path, key_path: &Path, out: &Path, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let key = load_bundle_signer(key_path)?;
    let data = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let b = bundle::sign_message(&key, &data)?;
    std::fs::write(out, bundle::to_pretty_json(&b))
        .with_context(|| format!("writing {}", out.display()))?;
    printer.info(&format!(
        "wrote {} (signed {} with key {}, {}; hint {})",
        out.display(),
        file.display(),
        key.key_id(),
        key.algorithm(),
        bundle::public_key_hint(key.public_key().spki_der())
    ));
    Ok(ExitStatus::Success)
}
