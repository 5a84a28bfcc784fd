//! Attestations for chainproof: DSSE envelopes ([`dsse`]), in-toto statements ([`intoto`])
//! and SLSA provenance ([`slsa`]): build, sign, verify.
//!
//! Signing and verification go through [`chainproof_crypto::Signer`] and
//! [`chainproof_crypto::PublicKey`], so keyless (Sigstore) signers and verifiers can plug in
//! later (the `sigstore` module is reserved for that).
#![forbid(unsafe_code)]

pub mod dsse;
mod error;
pub mod intoto;
pub mod slsa;

pub use error::AttestError;
