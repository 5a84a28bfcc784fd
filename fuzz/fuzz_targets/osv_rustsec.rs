#![no_main]
use libfuzzer_sys::fuzz_target;

// RustSec and HSEC Markdown (TOML front matter, version requirements): must never panic.
fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = chainproof_osv::import::parse_rustsec_markdown(text, "RUSTSEC-2020-0001.md");
        let _ = chainproof_osv::import::parse_hsec_markdown(text, "HSEC-2020-0001.md");
    }
});
