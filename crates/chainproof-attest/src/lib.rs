//! Attestations for chainproof: DSSE envelopes ([`dsse`]), in-toto statements ([`intoto`]),
//! SLSA provenance ([`slsa`]): build, sign, verify; and Sigstore bundles v0.3 for managed keys
//! ([`bundle`]: write; verification lives in `chainproof-sigstore`).
//!
//! Signing and verification go through [`chainproof_crypto::Signer`] and
//! [`chainproof_crypto::PublicKey`], so keyless (Sigstore) signers and verifiers can plug in
//! later (the `sigstore` module is reserved for that).
#![forbid(unsafe_code)]

pub mod bundle;
pub mod dsse;
mod error;
pub mod intoto;
pub mod slsa;

pub use error::AttestError;
