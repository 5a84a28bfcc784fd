use thiserror::Error;

/// Errors reading, signing or verifying attestations.
#[derive(Debug, Error)]
pub enum AttestError {
    /// Malformed JSON or a missing/ill-typed field; `at` names the place (file:line or JSON pointer).
    #[error("{at}: {msg}")]
    Malformed {
        /// Where: a file name, `line N`, or a JSON pointer.
        at: String,
        /// What is wrong.
        msg: String,
    },
    /// Signing failed.
    #[error("signing: {0}")]
    Sign(#[from] chainproof_crypto::CryptoError),
    /// Fewer distinct keys verified than the threshold.
    #[error(
        "DSSE: {verified} of the required {threshold} key(s) verified a signature ({signatures} signature(s), {keys} key(s) tried)"
    )]
    Threshold {
        /// Distinct keys that verified.
        verified: usize,
        /// Required.
        threshold: usize,
        /// Signatures in the envelope.
        signatures: usize,
        /// Keys given.
        keys: usize,
    },
    /// The envelope has no signatures.
    #[error("DSSE: the envelope has no signatures")]
    NoSignatures,
    /// The payload is not what the caller expected (payload type, statement type, ...).
    #[error("{0}")]
    Unexpected(String),
}

impl AttestError {
    pub(crate) fn malformed(at: impl Into<String>, msg: impl Into<String>) -> Self {
        Self::Malformed {
            at: at.into(),
            msg: msg.into(),
        }
    }
}
