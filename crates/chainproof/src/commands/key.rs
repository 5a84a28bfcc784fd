//! `chainproof key generate`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chainproof_crypto::{KeyAlgorithm, PrivateKey, Signer, passphrase};
use clap::{Args, Subcommand};

use crate::ExitStatus;
use crate::printer::Printer;

#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    pub action: KeyAction,
}

#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Write PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub (SPKI PEM).
    Generate {
        /// p256 (default), p384 or ed25519.
        #[arg(long, short, default_value = "p256")]
        algorithm: KeyAlgorithm,
        /// Path prefix of the two files.
        #[arg(short, long = "output", value_name = "PREFIX")]
        output: PathBuf,
        /// Encrypt the private key (PKCS#8 PBES2: scrypt + AES-256-CBC) with a passphrase from
        /// CHAINPROOF_PASSWORD / COSIGN_PASSWORD or the terminal.
        #[arg(long)]
        encrypt: bool,
        /// Write cosign's format (`ENCRYPTED SIGSTORE PRIVATE KEY`, scrypt + secretbox) instead.
        #[arg(long)]
        cosign: bool,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
}

pub fn run(args: KeyArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match args.action {
        KeyAction::Generate {
            algorithm,
            output,
            encrypt,
            cosign,
            force,
        } => {
            let key_path = with_ext(&output, "key");
            let pub_path = with_ext(&output, "pub");
            for p in [&key_path, &pub_path] {
                if p.exists() && !force {
                    bail!("{} exists (use --force to overwrite)", p.display());
                }
            }
            let key = PrivateKey::generate(algorithm)?;
            let pem = if encrypt || cosign {
                let pass = passphrase::obtain("Enter passphrase for the new private key: ", true)?;
                if cosign {
                    key.to_cosign_pem(&pass)?
                } else {
                    key.to_encrypted_pkcs8_pem(&pass)?
                }
            } else {
                key.to_pkcs8_pem()?
            };
            write_private(&key_path, pem.as_bytes())?;
            std::fs::write(&pub_path, key.public_key().to_pem())
                .with_context(|| format!("writing {}", pub_path.display()))?;
            printer.info(&format!(
                "wrote {} and {} ({algorithm}, key id {})",
                key_path.display(),
                pub_path.display(),
                key.key_id()
            ));
            Ok(ExitStatus::Success)
        }
    }
}

fn with_ext(prefix: &Path, ext: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

fn write_private(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(data)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Load a private key, asking for a passphrase only if it is encrypted.
pub fn load_private_key(path: &Path) -> anyhow::Result<PrivateKey> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let prompt = format!("Enter passphrase for {}: ", path.display());
    PrivateKey::from_pem_or_der(&bytes, &mut || passphrase::obtain(&prompt, false))
        .with_context(|| format!("loading private key {}", path.display()))
}

/// Load public keys (PEM or DER).
pub fn load_public_keys(paths: &[PathBuf]) -> anyhow::Result<Vec<chainproof_crypto::PublicKey>> {
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
            chainproof_crypto::PublicKey::from_pem_or_der(&bytes)
                .with_context(|| format!("loading public key {}", p.display()))
        })
        .collect()
}
