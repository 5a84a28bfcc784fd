use thiserror::Error;

/// Everything that can go wrong with keys and signatures.
#[derive(Debug, Error)]
pub enum CryptoError {
    /// Not PEM, or a PEM label we do not read.
    #[error("PEM: {0}")]
    Pem(String),
    /// The DER inside is not the structure it claims to be.
    #[error("DER: {0}")]
    Der(String),
    /// A key type or algorithm we do not support.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The key bytes were rejected by the backend.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// The key is encrypted and needs a passphrase, or the passphrase is wrong.
    #[error("passphrase: {0}")]
    Passphrase(String),
    /// The signature algorithm does not fit the key (e.g. an RSA scheme for an EC key).
    #[error("signature algorithm {alg} does not fit a {key} key")]
    AlgorithmMismatch {
        /// The requested algorithm.
        alg: String,
        /// The key's type.
        key: String,
    },
    /// The signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// aws-lc-rs or the RNG failed.
    #[error("crypto backend: {0}")]
    Backend(String),
}
