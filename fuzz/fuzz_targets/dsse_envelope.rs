//! DSSE envelopes, `.intoto.jsonl` and Sigstore-bundle extraction on arbitrary bytes: never
//! panic; a parsed envelope re-serialises to an equal envelope, and verification with a
//! fixed key only ever fails cleanly.
#![no_main]
use chainproof_attest::dsse::{Envelope, envelope_in_sigstore_bundle, read_envelopes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = envelope_in_sigstore_bundle(data);
    if let Ok(envs) = read_envelopes(data, "fuzz") {
        for env in envs {
            let again = Envelope::from_json(env.to_json().as_bytes(), "again").expect("re-parse");
            assert_eq!(again, env);
            let _ = env.verify(&[], 1);
        }
    }
});
