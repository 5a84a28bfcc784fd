//! Bundles produced by other Sigstore clients (sigstore-python, sigstore-go /
//! sigstore-js test assets) as extra accept / reject cases. The expected
//! verdicts were checked against sigstore-python 4.5.1 offline where it can
//! judge them (see fixtures/interop/SOURCES.md).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chainproof_sigstore::{DigestAlgorithm, IdentityPolicy, Policy, Subject, TrustedRoot};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/interop")
}

fn py(name: &str) -> PathBuf {
    dir().join("sigstore-python").join(name)
}

fn run(
    bundle: &Path,
    subject: Subject,
    policy: &Policy,
    root: &TrustedRoot,
) -> Result<chainproof_sigstore::Verified, chainproof_sigstore::Error> {
    let text = std::fs::read_to_string(bundle).unwrap();
    chainproof_sigstore::verify(&text, &subject, policy, root)
}

fn identity(san: &str, issuer: &str) -> Policy {
    Policy::Identity(IdentityPolicy::exact(san, issuer))
}

fn file(p: PathBuf) -> Subject {
    Subject::Bytes(std::fs::read(p).unwrap())
}

const GH_OAUTH: &str = "https://github.com/login/oauth";

#[test]
fn sigstore_python_staging_bundles_verify() {
    let staging = TrustedRoot::staging().unwrap();
    let cases = [
        ("bundle.txt", "bundle.txt.sigstore", "a@tny.town"),
        (
            "bundle_v3.txt",
            "bundle_v3.txt.sigstore",
            "william@yossarian.net",
        ),
        (
            "bundle_v3_alt.txt",
            "bundle_v3_alt.txt.sigstore",
            "william@yossarian.net",
        ),
        (
            "integration/bundle_v3.txt",
            "integration/bundle_v3.txt.sigstore",
            "william@yossarian.net",
        ),
        (
            "staging-rekor-v2.txt",
            "staging-rekor-v2.txt.sigstore.json",
            "jku@goto.fi",
        ),
    ];
    for (artifact, bundle, san) in cases {
        let v = run(
            &py(bundle),
            file(py(artifact)),
            &identity(san, GH_OAUTH),
            &staging,
        )
        .unwrap_or_else(|e| panic!("{bundle}: {e}"));
        assert_eq!(v.identity.as_deref(), Some(san), "{bundle}");
        assert_eq!(v.issuer.as_deref(), Some(GH_OAUTH), "{bundle}");
        assert!(
            !v.timestamps.is_empty(),
            "{bundle}: a verified signing time"
        );
    }
}

#[test]
fn staging_bundles_are_rejected_by_the_production_root() {
    let prod = TrustedRoot::production().unwrap();
    let err = run(
        &py("bundle_v3.txt.sigstore"),
        file(py("bundle_v3.txt")),
        &identity("william@yossarian.net", GH_OAUTH),
        &prod,
    )
    .unwrap_err();
    assert!(err.is_verdict(), "{err}");
}

#[test]
fn sigstore_python_bad_bundles_are_rejected() {
    let staging = TrustedRoot::staging().unwrap();
    let cases = [
        // The log entry belongs to another artifact (CVE-2022-36056).
        (
            "bundle_cve_2022_36056.txt",
            "bundle_cve_2022_36056.txt.sigstore",
            "william@yossarian.net",
            GH_OAUTH,
        ),
        (
            "bundle_invalid_version.txt",
            "bundle_invalid_version.txt.sigstore",
            "william@yossarian.net",
            GH_OAUTH,
        ),
        (
            "bundle_no_log_entry.txt",
            "bundle_no_log_entry.txt.sigstore",
            "alex.cameron@trailofbits.com",
            "https://accounts.google.com",
        ),
        (
            "bundle_v3_no_signed_time.txt",
            "bundle_v3_no_signed_time.txt.sigstore.json",
            "william@yossarian.net",
            GH_OAUTH,
        ),
        (
            "bundle_no_checkpoint.txt",
            "bundle_no_checkpoint.txt.sigstore",
            "william@yossarian.net",
            GH_OAUTH,
        ),
    ];
    for (artifact, bundle, san, issuer) in cases {
        let err = run(
            &py(bundle),
            file(py(artifact)),
            &identity(san, issuer),
            &staging,
        )
        .expect_err(bundle);
        assert!(err.is_verdict(), "{bundle}: {err}");
    }
}

/// Known gap: sigstore-tsa 0.15.1 does not match the CMS signer of the
/// local RSA test TSA in sigstore-python's `tsa/trust_config.json`
/// ("CMS signer does not match any trusted TSA certificate"), although
/// sigstore-python accepts this bundle. The public-good TSAs verify.
#[test]
#[ignore = "known gap in sigstore-tsa 0.15.1: local RSA TSA signer not matched"]
fn sigstore_python_tsa_bundle_verifies() {
    let root = TrustedRoot::from_file(&py("tsa/trust_config.json")).unwrap();
    let google = "https://accounts.google.com";
    let v = run(
        &py("tsa/bundle.txt.sigstore"),
        file(py("tsa/bundle.txt")),
        &identity("alexis.challande@trailofbits.com", google),
        &root,
    )
    .unwrap();
    assert!(
        v.timestamps.len() >= 2,
        "RFC 3161 times: {:?}",
        v.timestamps
    );
}

#[test]
fn sigstore_python_bad_tsa_bundles_are_rejected() {
    let root = TrustedRoot::from_file(&py("tsa/trust_config.json")).unwrap();
    let google = "https://accounts.google.com";
    for (bundle, san) in [
        (
            "tsa/bundle.duplicate.sigstore",
            "alexis.challande@trailofbits.com",
        ),
        (
            "tsa/bundle.many_timestamp.sigstore",
            "alexis.challande@trailofbits.com",
        ),
        (
            "tsa/bundle.txt.late_timestamp.sigstore",
            "insecure-cloudtop-shared-user@cloudtop-prod-us-east.iam.gserviceaccount.com",
        ),
    ] {
        let err = run(
            &py(bundle),
            file(py("tsa/bundle.txt")),
            &identity(san, google),
            &root,
        )
        .expect_err(bundle);
        assert!(err.is_verdict(), "{bundle}: {err}");
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn go(name: &str) -> PathBuf {
    dir().join("sigstore-go").join(name)
}

const NPM_SUBJECT: &str = "76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751";

#[test]
fn sigstore_go_dsse_bundles_verify_by_subject_digest() {
    let prod = TrustedRoot::production().unwrap();
    let sigstore_js =
        "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";
    let actions = "https://token.actions.githubusercontent.com";
    let cases = [
        ("bundle-provenance.json", NPM_SUBJECT, sigstore_js, actions),
        (
            "sigstore.js@2.0.0-provenance.sigstore.json",
            "46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c",
            sigstore_js,
            actions,
        ),
        (
            "dsse.sigstore.json",
            "bbfd372fc9beeb777fe35d05bb10c0c70a9733d366a75fed7dd18866c7391de3ee7e88ba74dd47abf3e15c845e547fcf0e5c3da80854c751554224d3a6d4e55f",
            "brian@dehamer.com",
            GH_OAUTH,
        ),
    ];
    for (bundle, digest, san, issuer) in cases {
        let subject = Subject::Digest(DigestAlgorithm::Sha512, hex(digest));
        let v = run(&go(bundle), subject.clone(), &identity(san, issuer), &prod)
            .unwrap_or_else(|e| panic!("{bundle}: {e}"));
        assert_eq!(v.content, "dsse");
        // A digest that is not a subject of the statement is rejected.
        let mut other = hex(digest);
        other[0] ^= 0xff;
        let err = run(
            &go(bundle),
            Subject::Digest(DigestAlgorithm::Sha512, other),
            &identity(san, issuer),
            &prod,
        )
        .expect_err(bundle);
        assert!(err.is_verdict(), "{bundle}: {err}");
        // So is the wrong identity.
        let err = run(
            &go(bundle),
            subject,
            &identity("someone@else.example", issuer),
            &prod,
        )
        .expect_err(bundle);
        assert!(
            err.to_string().contains("does not match"),
            "{bundle}: {err}"
        );
    }
}

#[test]
fn sigstore_go_publish_bundle_verifies_with_its_managed_key() {
    let prod = TrustedRoot::production().unwrap();
    let key = chainproof_sigstore::load_public_key(
        &std::fs::read(go("publish_key.pub")).unwrap(),
        "publish_key.pub",
    )
    .unwrap();
    let subject = Subject::Digest(DigestAlgorithm::Sha512, hex(NPM_SUBJECT));
    run(
        &go("bundle-publish.json"),
        subject.clone(),
        &Policy::Key(key.clone()),
        &prod,
    )
    .unwrap();
    // A keyless policy cannot accept a public-key bundle.
    let err = run(
        &go("bundle-publish.json"),
        subject,
        &identity("x", "y"),
        &prod,
    )
    .unwrap_err();
    assert!(err.is_verdict(), "{err}");
}

#[test]
fn dsse_bundle_with_two_signatures_is_rejected() {
    // Sigstore bundles carry exactly one DSSE signature.
    let prod = TrustedRoot::production().unwrap();
    let subject = Subject::Digest(
        DigestAlgorithm::Sha512,
        hex(
            "bbfd372fc9beeb777fe35d05bb10c0c70a9733d366a75fed7dd18866c7391de3ee7e88ba74dd47abf3e15c845e547fcf0e5c3da80854c751554224d3a6d4e55f",
        ),
    );
    let err = run(
        &go("dsse-2sigs.sigstore.json"),
        subject,
        &identity("brian@dehamer.com", GH_OAUTH),
        &prod,
    )
    .unwrap_err();
    assert!(err.is_verdict(), "{err}");
}
