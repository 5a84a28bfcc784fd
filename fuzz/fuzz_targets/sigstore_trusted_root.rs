#![no_main]
//! Arbitrary bytes as a `trusted_root.json`. Must never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = chainproof_sigstore::TrustedRoot::from_json(text, "<fuzz>");
    }
});
