//! Offline verification of Sigstore bundles.
//!
//! Reads bundle media types v0.1, v0.2 and v0.3 (both spellings of v0.3),
//! with a message signature or a DSSE envelope, and verifies them against a
//! `trusted_root.json` without touching the network:
//!
//! * keyless signing: the Fulcio certificate chains to a certificate authority
//!   of the trusted root, valid at the signing time (Rekor integrated time or
//!   an RFC 3161 timestamp), with a valid SCT from one of its CT logs, and an
//!   identity policy on SAN + OIDC issuer (exact or regexp, plus Fulcio CI
//!   claims such as the GitHub workflow extensions);
//! * managed keys: bundles with a public-key hint verified with a given key;
//!   bundles signed offline with a key (no transparency-log entry, e.g. from
//!   `chainproof sign blob`) only when the caller opts in with
//!   [`VerifyOptions::insecure_ignore_tlog`], as cosign (`--insecure-ignore-tlog`)
//!   and sigstore-js (`tlogThreshold: 0`) require;
//! * transparency: Rekor v1 entries (signed entry timestamp, inclusion proof
//!   against a signed checkpoint, body consistent with the bundle for the
//!   `hashedrekord`, `dsse` and `intoto` kinds) and Rekor v2 entries (signed
//!   checkpoints, log entries v0.0.2, TSA time required).
//!
//! The cryptography and the protocol checks come from sigstore-rust's
//! `sigstore-verify` (aws-lc-rs, rustls-webpki, x509-cert 0.2, cms 0.2);
//! this crate adds the public-good trusted root as embedded data, the
//! identity policy (regexp, CI claims), extra structural checks
//! ([`strict`]) and a small typed API for the CLI.
//!
//! ```no_run
//! use chainproof_sigstore::{verify, IdentityPolicy, Policy, Subject, TrustedRoot};
//! let root = TrustedRoot::production()?;
//! let bundle = std::fs::read_to_string("a.txt.sigstore.json").unwrap();
//! let policy = Policy::Identity(IdentityPolicy::exact(
//!     "https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1",
//!     "https://token.actions.githubusercontent.com",
//! ));
//! let verified = verify(&bundle, &Subject::File("a.txt".into()), &policy, &root)?;
//! println!("signed by {:?}", verified.identity);
//! # Ok::<(), chainproof_sigstore::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod keyless;
mod keyonly;
mod policy;
mod root;
pub mod strict;
mod subject;
mod verify;

pub use policy::{Claim, IdentityPolicy, Matcher, Policy};
pub use root::TrustedRoot;
pub use sigstore_verify::crypto::CertificateInfo;
pub use subject::{DigestAlgorithm, Subject};
pub use verify::{
    Verified, VerifyOptions, load_public_key, parse_bundle, verify, verify_parsed,
    verify_parsed_with,
};

use std::path::PathBuf;

/// Why verification did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bundle is well formed enough to judge, and it does not verify
    /// (or it is malformed): the answer is "no".
    #[error("{0}")]
    NotVerified(String),
    /// The bundle file is not a valid Sigstore bundle.
    #[error("{origin}: invalid bundle at line {line}, column {column}: {message}")]
    BundleParse {
        /// Where the bundle came from (a path or `<memory>`).
        origin: String,
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// 1-based column of the problem (0 when unknown).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The trusted root cannot be used.
    #[error("{origin}: invalid trusted root: {message}")]
    TrustedRoot {
        /// Where the trusted root came from.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// A public key given for `--key` cannot be read.
    #[error("{origin}: invalid public key: {message}")]
    Key {
        /// Where the key came from.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Bad arguments (e.g. an invalid regular expression).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Whether this is a verdict ("not verified"), as opposed to an error that
    /// prevented verification (unreadable file, bad trusted root, bad usage).
    /// A malformed bundle, and a given public key that does not decode, are
    /// verdicts: the material in question cannot verify (the conformance
    /// suite's `managed-key-wrong-key_fail` gives a corrupted key).
    pub fn is_verdict(&self) -> bool {
        matches!(
            self,
            Error::NotVerified(_) | Error::BundleParse { .. } | Error::Key { .. }
        )
    }
}

/// SHA-256 of `data` (aws-lc-rs).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    *sigstore_verify::crypto::sha256(data).as_bytes()
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
