//! slsa-verifier's `Test_runVerifyGCBArtifactImage` for Google Cloud Build provenance
//! (`gcb_container/v0.2`, `v0.3`): signatures with the embedded GCB keys and every
//! `mismatch-*` / `invalid-*` / `empty-*` / `no-*` / `multiple-*` variant.

use std::path::{Path, PathBuf};

use chainproof_attest::slsa::FailureKind as K;
use chainproof_attest::slsa::gcb::{GcbOptions, verify_gcb};

const BUILDER: &str = "https://cloudbuild.googleapis.com/GoogleHostedWorker";
const SRC: &str = "github.com/laurentsimon/gcb-tests";

fn dir(v: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/slsa-verifier/testdata/gcb_container")
        .join(v)
}

fn check(
    v: &str,
    prov: &str,
    artifact: &str,
    source: &str,
    builder: Option<String>,
    want: Option<K>,
) {
    let digest =
        std::fs::read_to_string(dir(v).join(format!("{artifact}.digest"))).expect("digest");
    let bytes = std::fs::read(dir(v).join(prov)).expect("provenance");
    let opts = GcbOptions {
        digest: digest.trim().to_string(),
        builder_id: builder.clone(),
        source_uri: Some(source.to_string()),
        ..GcbOptions::default()
    };
    let got = verify_gcb(&bytes, &opts);
    match (&got, want) {
        (Ok(b), None) => assert!(b.starts_with(BUILDER), "{b}"),
        (Err(f), Some(k)) if f.kind == k => assert!(!f.message.is_empty()),
        _ => {
            panic!("{v}/{prov} (builder {builder:?}, source {source}): got {got:?}, want {want:?}")
        }
    }
}

#[test]
fn gcb_container_table() {
    let mut n = 0;
    for v in ["v0.2", "v0.3"] {
        let ids = [
            None,
            Some(BUILDER.to_string()),
            Some(format!("{BUILDER}@{v}")),
        ];
        let valid = [
            "gcloud-container-github.json",
            "gcloud-container-multiple-signatures-2ndvalid.json",
            "gcloud-container-multiple-signatures-3rdvalid.json",
            "gcloud-container-multiple-provenance-2ndvalid.json",
            "gcloud-container-multiple-provenance-3rdvalid.json",
        ];
        for p in valid {
            for id in &ids {
                check(v, p, "gcloud-container-github", SRC, id.clone(), None);
                n += 1;
            }
        }
        let rejected = [
            (
                "gcloud-container-mismatch-payload-digest.json",
                K::NoValidSignature,
            ),
            (
                "gcloud-container-mismatch-payload-builderid.json",
                K::NoValidSignature,
            ),
            (
                "gcloud-container-mismatch-summary-digest.json",
                K::MismatchHash,
            ),
            (
                "gcloud-container-mismatch-text-digest.json",
                K::MismatchIntoto,
            ),
            (
                "gcloud-container-mismatch-text-steps.json",
                K::MismatchIntoto,
            ),
            (
                "gcloud-container-mismatch-metadata-kind.json",
                K::InvalidFormat,
            ),
            (
                "gcloud-container-mismatch-metadata-urisha256.json",
                K::MismatchHash,
            ),
            (
                "gcloud-container-invalid-signature-encoding.json",
                K::NoValidSignature,
            ),
            ("gcloud-container-empty-signature.json", K::NoValidSignature),
            ("gcloud-container-no-signature.json", K::InvalidPayload),
            (
                "gcloud-container-invalid-signature-region.json",
                K::NoValidSignature,
            ),
            (
                "gcloud-container-empty-signature-region.json",
                K::NoValidSignature,
            ),
            ("gcloud-container-invalid-keyid.json", K::NoValidSignature),
            ("gcloud-container-empty-keyid.json", K::NoValidSignature),
            ("gcloud-container-no-keyid.json", K::NoValidSignature),
            (
                "gcloud-container-multiple-invalid-signatures.json",
                K::NoValidSignature,
            ),
            (
                "gcloud-container-multiple-invalid-provenance.json",
                K::NoValidSignature,
            ),
        ];
        for (p, k) in rejected {
            check(v, p, "gcloud-container-github", SRC, None, Some(k));
            n += 1;
        }
        for (src, k) in [
            ("github.com/laurentsimon/name", K::MismatchSource),
            ("github.com/org/gcb-tests", K::MismatchSource),
            ("gitlab.com/laurentsimon/gcb-tests", K::MismatchSource),
        ] {
            check(
                v,
                "gcloud-container-github.json",
                "gcloud-container-github",
                src,
                None,
                Some(k),
            );
            n += 1;
        }
        // Builder: wrong version, and (upstream: ErrorVerifierNotSupported) an unknown name.
        check(
            v,
            "gcloud-container-github.json",
            "gcloud-container-github",
            SRC,
            Some(format!("{BUILDER}@v0.4")),
            Some(K::MismatchBuilderId),
        );
        check(
            v,
            "gcloud-container-github.json",
            "gcloud-container-github",
            SRC,
            Some(format!("{BUILDER}a")),
            Some(K::MismatchBuilderId),
        );
        n += 2;
    }
    // gs:// sources (v0.3 only has the gcs file).
    check(
        "v0.3",
        "gcloud-container-gcs.json",
        "gcloud-container-gcs",
        "gs://slsa-tooling_cloudbuild/source/1663616632.078353-fc7db143dcc64b5f9fe71d0497125ca1.tgz",
        None,
        None,
    );
    check(
        "v0.3",
        "gcloud-container-gcs.json",
        "gcloud-container-gcs",
        "gs://slsa-tooling_cloudbuild/source/other.tgz",
        None,
        Some(K::MismatchSource),
    );
    // Wrong image digest.
    let bytes = std::fs::read(dir("v0.3").join("gcloud-container-github.json")).expect("read");
    let opts = GcbOptions {
        digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into(),
        ..GcbOptions::default()
    };
    assert_eq!(
        verify_gcb(&bytes, &opts).expect_err("digest").kind,
        K::MismatchHash
    );
    assert_eq!(n, 2 * (15 + 17 + 3 + 2));
}

#[test]
fn gcb_tags() {
    // upstream: "tag match" .. "versioned tag mismatch *" (minversion v0.3).
    let v = dir("v0.3");
    let digest =
        std::fs::read_to_string(v.join("gcloud-container-github-tag.digest")).expect("digest");
    let bytes = std::fs::read(v.join("gcloud-container-github-tag.json")).expect("read");
    let run = |tag: Option<&str>, vtag: Option<&str>| {
        verify_gcb(
            &bytes,
            &GcbOptions {
                digest: digest.trim().into(),
                source_uri: Some("github.com/slsa-framework/example-package".into()),
                tag: tag.map(str::to_string),
                versioned_tag: vtag.map(str::to_string),
                ..GcbOptions::default()
            },
        )
        .map_err(|f| f.kind)
    };
    assert!(run(Some("v33.0.4"), None).is_ok());
    for t in ["v34.0.4", "v33.1.4", "v33.0.5"] {
        assert_eq!(run(Some(t), None), Err(K::MismatchTag), "{t}");
    }
    for t in ["v33", "v33.0", "v33.0.4"] {
        assert!(run(None, Some(t)).is_ok(), "{t}");
    }
    for t in ["v33.0.5", "v33.1", "v34", "v32"] {
        assert_eq!(run(None, Some(t)), Err(K::MismatchVersionedTag), "{t}");
    }
    // A build without a tag.
    let plain = std::fs::read(v.join("gcloud-container-github.json")).expect("read");
    let d2 = std::fs::read_to_string(v.join("gcloud-container-github.digest")).expect("digest");
    let r = verify_gcb(
        &plain,
        &GcbOptions {
            digest: d2.trim().into(),
            tag: Some("v1".into()),
            ..GcbOptions::default()
        },
    );
    assert_eq!(r.map_err(|f| f.kind), Err(K::MismatchTag));
}
