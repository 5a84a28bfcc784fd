//! Percent-encoding rules of the purl specification.
//!
//! Canonical purls leave the alphanumerics, the punctuation `.-_~` and the colon
//! `:` unencoded; every other octet of the UTF-8 form is percent-encoded, including
//! `/`, `@`, `?`, `#`, `&`, `=`, `+`, `,`, `%` and the space (`%20`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use std::fmt;

use crate::PurlError;

/// Octets that are percent-encoded inside a purl component.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

/// The canonical percent-encoded form of one component or segment.
pub(crate) fn encode(s: &str) -> impl fmt::Display + '_ {
    percent_encoding::utf8_percent_encode(s, COMPONENT)
}

/// Percent-decodes `text` (part of `component`). In strict mode a `%` must start a
/// `%XX` triplet; in lenient mode a stray `%` is kept literally. The decoded octets
/// must be UTF-8 in both modes.
pub(crate) fn decode(
    text: &str,
    component: &'static str,
    strict: bool,
) -> Result<String, PurlError> {
    let err = || PurlError::InvalidEncoding {
        component,
        text: text.to_string(),
    };
    if strict && !well_formed(text) {
        return Err(err());
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| err())
}

/// Every `%` is followed by two hexadecimal digits.
fn well_formed(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !ok {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved_and_colon() {
        assert_eq!(encode("a-z.A_Z~0:9").to_string(), "a-z.A_Z~0:9");
        assert_eq!(
            encode("a/b@c?d#e&f=g+h,i%j k").to_string(),
            "a%2Fb%40c%3Fd%23e%26f%3Dg%2Bh%2Ci%25j%20k"
        );
        assert_eq!(encode("é").to_string(), "%C3%A9");
    }

    #[test]
    fn decodes_strictly_or_leniently() {
        assert_eq!(decode("a%20b%3a", "name", true), Ok("a b:".to_string()));
        assert!(decode("100%", "name", true).is_err());
        assert!(decode("%zz", "name", true).is_err());
        assert_eq!(decode("100%", "name", false), Ok("100%".to_string()));
        // Invalid UTF-8 is rejected in both modes.
        assert!(decode("%FF", "name", false).is_err());
        assert_eq!(decode("%C3%A9", "name", true), Ok("é".to_string()));
    }
}
