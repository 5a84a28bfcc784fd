//! Subresource-integrity strings (`sha512-<base64>`), as npm writes them in `integrity`.

use chainproof_core::{Hash, HashAlgorithm};

/// Decodes every recognised digest of an SRI string. An SRI string may hold several
/// space-separated digests (`sha512-... sha1-...`); options after `?` are ignored. Digests
/// of unknown algorithms or with bad base64 are skipped.
pub fn parse_integrity(integrity: &str) -> Vec<Hash> {
    let mut out = Vec::new();
    for part in integrity.split_ascii_whitespace() {
        let Some((alg, rest)) = part.split_once('-') else {
            continue;
        };
        let algorithm = match alg.to_ascii_lowercase().as_str() {
            "sha1" => HashAlgorithm::Sha1,
            "sha256" => HashAlgorithm::Sha256,
            "sha384" => HashAlgorithm::Sha384,
            "sha512" => HashAlgorithm::Sha512,
            _ => continue,
        };
        let b64 = rest.split('?').next().unwrap_or(rest);
        if let Some(hash) = decode_base64(b64).and_then(|b| Hash::from_bytes(algorithm, &b))
            && !out.contains(&hash)
        {
            out.push(hash);
        }
    }
    out
}

const INVALID: u8 = 0xff;

/// Sextet of each byte in the standard and URL-safe base64 alphabets, [`INVALID`] elsewhere.
static BASE64: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    t[b'+' as usize] = 62;
    t[b'-' as usize] = 62;
    t[b'/' as usize] = 63;
    t[b'_' as usize] = 63;
    t
};

/// Decodes standard base64 (RFC 4648 §4; the URL-safe alphabet is accepted too). Padding
/// is optional; anything else that is not in the alphabet makes the input invalid.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for b in s.bytes() {
        let v = BASE64[usize::from(b)];
        if v == INVALID {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover sextet cannot encode a byte.
    if bits >= 6 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_vectors() {
        // RFC 4648 §10 test vectors.
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(
                decode_base64(enc).as_deref(),
                Some(plain.as_bytes()),
                "{enc}"
            );
        }
        assert_eq!(decode_base64("Zm9v!"), None);
        assert_eq!(decode_base64("Z"), None);
    }

    #[test]
    fn sri() {
        // ansi-styles 1.0.0 from the osv-scanner fixture commits.v1.json.
        let h = parse_integrity("sha1-yxAt8cVvUSPquLZ817mAJ6AnkXg=");
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].algorithm, HashAlgorithm::Sha1);
        assert_eq!(h[0].value, "cb102df1c56f5123eab8b67cd7b98027a0279178");
        let two = parse_integrity(
            "sha512-Il80Qs2WjYlJIBNzNkK6KYqlVMTbZLXgHx2oT0pU/fjRHyEp+PEfEPY0R3WCwAGVOtauxh1hOxNgIf5bv7dQpA== sha1-w7M6te42DYbg5ijwRorn7yfWVN8=",
        );
        assert_eq!(two.len(), 2);
        assert_eq!(two[0].algorithm, HashAlgorithm::Sha512);
        assert_eq!(two[0].value.len(), 128);
        assert!(parse_integrity("md5-xxxx sha512-short").is_empty());
        assert!(parse_integrity("").is_empty());
    }
}
