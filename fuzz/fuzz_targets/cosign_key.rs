//! cosign's encrypted key JSON (scrypt + secretbox) on arbitrary bytes: hostile scrypt
//! parameters must be refused, not run.
#![no_main]
use chainproof_crypto::cosign;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cosign::decrypt(data, b"passphrase");
});
