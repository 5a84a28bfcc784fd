//! What was signed: an artifact (bytes or file) or its SHA-256 digest.

use std::path::{Path, PathBuf};

/// The artifact a bundle is verified against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// The artifact's bytes.
    Bytes(Vec<u8>),
    /// A file holding the artifact (streamed when the signing scheme allows).
    File(PathBuf),
    /// The artifact's SHA-256 digest.
    Sha256([u8; 32]),
}

impl Subject {
    /// Interpret a command-line operand as the conformance protocol says:
    /// `sha256:` followed by 64 hex digits, and not a path on disk, is a
    /// digest; anything else is a file path.
    pub fn from_cli_arg(arg: &str) -> Subject {
        if !Path::new(arg).exists() {
            if let Some(digest) = arg.strip_prefix("sha256:").and_then(parse_hex32) {
                return Subject::Sha256(digest);
            }
        }
        Subject::File(PathBuf::from(arg))
    }
}

/// Decode exactly 64 hex digits.
pub(crate) fn parse_hex32(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        out[i] = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_operand() {
        let hex = "a".repeat(64);
        assert_eq!(
            Subject::from_cli_arg(&format!("sha256:{hex}")),
            Subject::Sha256([0xaa; 32])
        );
    }

    #[test]
    fn wrong_length_or_non_hex_is_a_path() {
        for arg in ["sha256:abcd", &format!("sha256:{}", "g".repeat(64)), "sha512:00"] {
            assert_eq!(Subject::from_cli_arg(arg), Subject::File(arg.into()));
        }
    }
}
