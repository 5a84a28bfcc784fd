//! in-toto statements and their typed predicates, plus the SLSA checks, on arbitrary bytes.
#![no_main]
use chainproof_attest::intoto::Statement;
use chainproof_attest::slsa::{VerifyOptions, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(st) = Statement::from_json(data, "fuzz") {
        let _ = st.typed_predicate();
        let opts = VerifyOptions {
            digests: vec!["sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into()],
            source_uri: Some("github.com/o/r".into()),
            source_branch: Some("main".into()),
            source_versioned_tag: Some("v1".into()),
            ..VerifyOptions::default()
        };
        let _ = verify(&st, &opts);
    }
});
