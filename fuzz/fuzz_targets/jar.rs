#![no_main]
use chainproof_catalog::java::parse_archive;
use libfuzzer_sys::fuzz_target;

// Any bytes as a Java archive (and so as nested archives once wrapped by the fuzzer's
// corpus): an inventory or a bounded CatalogError, never a panic.
fuzz_target!(|data: &[u8]| {
    let _ = parse_archive("app.war", data);
});
