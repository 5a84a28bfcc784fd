#![no_main]
//! Arbitrary bytes as a Sigstore bundle: parse, then verify (keyless and
//! managed-key policies) against the embedded public-good root. Must never panic.
use std::sync::OnceLock;

use chainproof_sigstore::{IdentityPolicy, Policy, Subject, TrustedRoot};
use libfuzzer_sys::fuzz_target;

fn root() -> &'static TrustedRoot {
    static ROOT: OnceLock<TrustedRoot> = OnceLock::new();
    ROOT.get_or_init(|| TrustedRoot::production().expect("embedded root parses"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(bundle) = chainproof_sigstore::parse_bundle(text, "<fuzz>") else {
        return;
    };
    let keyless = Policy::Identity(IdentityPolicy::exact(
        "https://github.com/o/r/.github/workflows/w.yml@refs/heads/main",
        "https://token.actions.githubusercontent.com",
    ));
    let subject = Subject::Bytes(b"hello".to_vec());
    let _ = chainproof_sigstore::verify_parsed(&bundle, &subject, &keyless, root());
    let digest = Subject::sha256([7; 32]);
    let _ = chainproof_sigstore::verify_parsed(&bundle, &digest, &keyless, root());
});
