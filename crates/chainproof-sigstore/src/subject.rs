//! What was signed: an artifact (bytes or file) or its SHA-256 digest.

use std::path::{Path, PathBuf};

/// The artifact a bundle is verified against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// The artifact's bytes.
    Bytes(Vec<u8>),
    /// A file holding the artifact (streamed when the signing scheme allows).
    File(PathBuf),
    /// The artifact's digest (for DSSE bundles: an in-toto subject digest).
    Digest(DigestAlgorithm, Vec<u8>),
}

/// The digest algorithms a [`Subject::Digest`] may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// SHA-256 (32 bytes).
    Sha256,
    /// SHA-384 (48 bytes).
    Sha384,
    /// SHA-512 (64 bytes).
    Sha512,
}

impl DigestAlgorithm {
    /// The digest length in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            DigestAlgorithm::Sha256 => 32,
            DigestAlgorithm::Sha384 => 48,
            DigestAlgorithm::Sha512 => 64,
        }
    }
}

impl Subject {
    /// A SHA-256 digest subject.
    pub fn sha256(digest: [u8; 32]) -> Subject {
        Subject::Digest(DigestAlgorithm::Sha256, digest.to_vec())
    }

    /// Interpret a command-line operand as the conformance protocol says:
    /// `sha256:` followed by 64 hex digits, and not a path on disk, is a
    /// digest; anything else is a file path. (`sha384:` / `sha512:` with the
    /// right length are accepted too, for in-toto subjects.)
    pub fn from_cli_arg(arg: &str) -> Subject {
        if !Path::new(arg).exists() {
            for (prefix, alg) in [
                ("sha256:", DigestAlgorithm::Sha256),
                ("sha384:", DigestAlgorithm::Sha384),
                ("sha512:", DigestAlgorithm::Sha512),
            ] {
                if let Some(bytes) = arg
                    .strip_prefix(prefix)
                    .and_then(|h| parse_hex(h, alg.digest_len()))
                {
                    return Subject::Digest(alg, bytes);
                }
            }
        }
        Subject::File(PathBuf::from(arg))
    }
}

/// Decode exactly `len` bytes of hex.
pub(crate) fn parse_hex(hex: &str, len: usize) -> Option<Vec<u8>> {
    let bytes = hex.as_bytes();
    if bytes.len() != len * 2 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_operand() {
        let hex = "a".repeat(64);
        assert_eq!(
            Subject::from_cli_arg(&format!("sha256:{hex}")),
            Subject::sha256([0xaa; 32])
        );
    }

    #[test]
    fn wrong_length_or_non_hex_is_a_path() {
        for arg in [
            "sha256:abcd",
            &format!("sha256:{}", "g".repeat(64)),
            "sha512:00",
            &format!("sha1:{}", "a".repeat(40)),
        ] {
            assert_eq!(Subject::from_cli_arg(arg), Subject::File(arg.into()));
        }
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn sha512_operand() {
        let hex = "0f".repeat(64);
        assert_eq!(
            Subject::from_cli_arg(&format!("sha512:{hex}")),
            Subject::Digest(DigestAlgorithm::Sha512, vec![0x0f; 64])
        );
    }
}
