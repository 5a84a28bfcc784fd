#![no_main]
//! Arbitrary bytes as a signing certificate (PEM when the text has a `-----BEGIN` line,
//! DER otherwise): read its Sigstore claims (SAN, issuer, Fulcio extensions) and map them to
//! the GitHub identity the keyless provenance check uses. Must never panic.
use chainproof_sigstore::Claim;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(info) = chainproof_sigstore::keyless::certificate_info(data, "<fuzz>") else {
        return;
    };
    let _ = info.identity.as_ref().map(|s| s.as_str().len());
    for claim in [
        Claim::GithubWorkflowTrigger,
        Claim::GithubWorkflowSha,
        Claim::GithubWorkflowName,
        Claim::GithubWorkflowRepository,
        Claim::GithubWorkflowRef,
    ] {
        let _ = claim.value(&info);
    }
    let _ = format!("{info:?}");
});
