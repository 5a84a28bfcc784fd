//! PEM framing (RFC 7468), lenient about text around the block.

use zeroize::Zeroizing;

use crate::CryptoError;

/// One PEM block: its label and DER bytes (zeroized on drop, as it may be a private key).
pub(crate) struct PemBlock {
    pub label: String,
    pub der: Zeroizing<Vec<u8>>,
}

/// Is this input PEM (has a `-----BEGIN ` line)?
pub(crate) fn looks_like_pem(input: &[u8]) -> bool {
    input.windows(11).any(|w| w == b"-----BEGIN ")
}

/// Decode the first PEM block in `input` (text before it is ignored, e.g. OpenSSL's
/// `Bag Attributes` lines or comments).
pub(crate) fn decode_first(input: &[u8]) -> Result<PemBlock, CryptoError> {
    let start = input
        .windows(11)
        .position(|w| w == b"-----BEGIN ")
        .ok_or_else(|| CryptoError::Pem("no -----BEGIN line".into()))?;
    let rest = &input[start..];
    // Find the matching END line and cut there, so trailing blocks do not disturb the decoder.
    let end_marker = b"-----END ";
    let end = rest
        .windows(end_marker.len())
        .position(|w| w == end_marker)
        .ok_or_else(|| CryptoError::Pem("no -----END line".into()))?;
    let after = &rest[end + end_marker.len()..];
    let close = after
        .windows(5)
        .position(|w| w == b"-----")
        .ok_or_else(|| CryptoError::Pem("unterminated -----END line".into()))?;
    let block = &rest[..end + end_marker.len() + close + 5];
    // pem-rfc7468 wants LF or CRLF line endings and no trailing garbage.
    let mut normalised: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(block.len() + 1));
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let trimmed = trim_ascii(line);
        if trimmed.is_empty() {
            continue;
        }
        normalised.extend_from_slice(trimmed);
        normalised.push(b'\n');
    }
    let (label, der) = pem_rfc7468::decode_vec(&normalised)
        .map_err(|e| CryptoError::Pem(format!("cannot decode PEM block: {e}")))?;
    Ok(PemBlock {
        label: label.to_string(),
        der: Zeroizing::new(der),
    })
}

fn trim_ascii(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// Encode DER as PEM with `label` (64-column lines, LF).
pub(crate) fn encode(label: &str, der: &[u8]) -> Result<Zeroizing<String>, CryptoError> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .map(Zeroizing::new)
        .map_err(|e| CryptoError::Pem(format!("cannot encode PEM: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_with_surrounding_text_and_crlf() {
        let pem = b"comment\r\n-----BEGIN TEST-----\r\nAAEC\r\n-----END TEST-----\r\ntrailer";
        let block = super::decode_first(pem).expect("decodes");
        assert_eq!(block.label, "TEST");
        assert_eq!(&block.der[..], &[0, 1, 2]);
        assert!(super::decode_first(b"-----BEGIN X-----\nAAEC\n").is_err());
        assert!(super::decode_first(b"nothing").is_err());
    }
}
