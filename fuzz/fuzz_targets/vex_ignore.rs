//! The `.chainproof.toml` ignore file: parse arbitrary text. Must never panic.
#![no_main]

use chainproof_osv::ignore::IgnoreFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = IgnoreFile::parse(text, ".chainproof.toml");
    }
});
