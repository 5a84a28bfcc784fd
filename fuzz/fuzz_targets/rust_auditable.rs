#![no_main]
use chainproof_catalog::rust_binary::parse_auditable_binary;
use libfuzzer_sys::fuzz_target;

// Any bytes as an executable with cargo-auditable data. Seed with
// crates/chainproof-catalog/tests/fixtures/rustbin/rustbin-demo.
fuzz_target!(|data: &[u8]| {
    let _ = parse_auditable_binary("bin", data);
});
