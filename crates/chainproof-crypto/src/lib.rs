//! Keys for chainproof, on [aws-lc-rs](https://docs.rs/aws-lc-rs) (the one crypto backend).
//!
//! * [`PublicKey`]: SPKI PEM/DER (also PKCS#1 `RSA PUBLIC KEY`) for ECDSA P-256/P-384/P-521,
//!   Ed25519 and RSA; [`PublicKey::verify`] checks a signature with an explicit
//!   [`SignatureAlgorithm`], [`PublicKey::verify_default`] with the key's usual scheme.
//! * [`PrivateKey`]: generate P-256/P-384/Ed25519 keys; load PKCS#8 (plain or PBES2-encrypted),
//!   SEC1 `EC PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY` and cosign's encrypted keys
//!   (`ENCRYPTED SIGSTORE PRIVATE KEY` / `ENCRYPTED COSIGN PRIVATE KEY`: scrypt + NaCl secretbox).
//!   Private key bytes live in [`zeroize::Zeroizing`] buffers and are never printed
//!   (`Debug` shows the algorithm and key id only).
//! * [`Signer`]: the trait DSSE and Sigstore signing build on.
//! * [`key_id`]: the key hint, lowercase hex SHA-256 of the SPKI DER.
//!
//! ECDSA signatures are ASN.1 DER (what DSSE, cosign and Sigstore use).
#![forbid(unsafe_code)]

mod alg;
pub mod cosign;
mod error;
pub mod hex;
pub mod passphrase;
mod pem;
pub mod pkcs8enc;
mod private;
mod public;

pub use alg::{KeyAlgorithm, SignatureAlgorithm};
pub use error::CryptoError;
pub use private::{PasswordSource, PrivateKey, Signer};
pub use public::{PublicKey, key_id};

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// SHA-512 of `data`.
pub fn sha512(data: &[u8]) -> [u8; 64] {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, data);
    let mut out = [0u8; 64];
    out.copy_from_slice(d.as_ref());
    out
}

/// Fill `buf` from the system CSPRNG.
pub fn random_bytes(buf: &mut [u8]) -> Result<(), CryptoError> {
    use aws_lc_rs::rand::SecureRandom;
    aws_lc_rs::rand::SystemRandom::new()
        .fill(buf)
        .map_err(|_| CryptoError::Backend("system random generator failed".into()))
}
