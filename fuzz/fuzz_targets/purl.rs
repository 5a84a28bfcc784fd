//! Parses arbitrary UTF-8 as a package URL with both parsers; every successful
//! parse must survive a Display → parse round trip unchanged, and the canonical
//! form must be a fixed point.
#![no_main]
use chainproof_purl::Purl;
use libfuzzer_sys::fuzz_target;

fn roundtrip(input: &str, parse: fn(&str) -> Result<Purl, chainproof_purl::PurlError>) {
    if let Ok(purl) = parse(input) {
        let text = purl.to_string();
        assert!(text.is_ascii(), "non-ASCII canonical form {text:?}");
        let again = parse(&text)
            .unwrap_or_else(|e| panic!("canonical {text:?} of {input:?} does not parse: {e}"));
        assert_eq!(again, purl, "round trip of {input:?} via {text:?}");
        assert_eq!(
            again.to_string(),
            text,
            "canonical form of {input:?} is not stable"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        roundtrip(s, Purl::parse);
        roundtrip(s, Purl::parse_lenient);
    }
});
