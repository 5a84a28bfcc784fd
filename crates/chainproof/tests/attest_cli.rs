//! `chainproof key generate`, `attest`, `attest provenance`, `verify attestation`,
//! `verify provenance`: exit codes 0 (verified) / 1 (not verified) / 2 (error).

use std::path::{Path, PathBuf};

use chainproof_testkit::cli::{code, without_passwords as cp};

fn attest_fixtures() -> PathBuf {
    chainproof_testkit::cli::crate_fixtures("chainproof-attest")
}

#[test]
fn generate_sign_verify_each_algorithm_and_tamper() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    std::fs::write(d.join("art.bin"), b"artifact bytes").expect("write");
    std::fs::write(
        d.join("pred.json"),
        br#"{"result":"PASSED","configuration":[]}"#,
    )
    .expect("write");
    for alg in ["p256", "p384", "ed25519"] {
        let prefix = d.join(alg);
        let (rc, _, err) = code(
            cp().args(["key", "generate", "--algorithm", alg, "-o"])
                .arg(&prefix),
        );
        assert_eq!(rc, 0, "{err}");
        let key = std::fs::read_to_string(d.join(format!("{alg}.key"))).expect("key");
        assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(d.join(format!("{alg}.key")))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Refuses to overwrite.
        assert_eq!(code(cp().args(["key", "generate", "-o"]).arg(&prefix)).0, 2);
        let att = d.join(format!("{alg}.att.json"));
        let (rc, _, err) = code(
            cp().current_dir(d)
                .args([
                    "attest",
                    "--predicate",
                    "pred.json",
                    "--type",
                    "test-result",
                    "--subject",
                    "art.bin",
                    "--key",
                ])
                .arg(d.join(format!("{alg}.key")))
                .arg("-o")
                .arg(&att),
        );
        assert_eq!(rc, 0, "{err}");
        let verify = |file: &Path, key: &str| {
            code(
                cp().current_dir(d)
                    .args(["verify", "attestation"])
                    .arg(file)
                    .args([
                        "--key",
                        key,
                        "--subject",
                        "art.bin",
                        "--type",
                        "test-result",
                    ]),
            )
        };
        let (rc, out, err) = verify(&att, &format!("{alg}.pub"));
        assert_eq!(rc, 0, "{err}");
        assert!(out.starts_with("Verified"), "{out}");
        // Wrong key: not verified (1).
        let other = if alg == "p256" { "ed25519" } else { "p256" };
        if d.join(format!("{other}.pub")).exists() {
            let (rc, _, err) = verify(&att, &format!("{other}.pub"));
            assert_eq!(rc, 1, "{err}");
            assert!(err.contains("not verified"), "{err}");
        }
        // Flip one base64 character of the payload: not verified (1) or malformed (2), never 0.
        let text = std::fs::read_to_string(&att).expect("att");
        let i = text.find("\"payload\":\"").expect("payload") + 20;
        let mut bytes = text.into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let bad = d.join("tampered.json");
        std::fs::write(&bad, &bytes).expect("write");
        let (rc, _, _) = verify(&bad, &format!("{alg}.pub"));
        assert!(rc == 1 || rc == 2, "tampered envelope gave {rc}");
        // Wrong subject / type: not verified.
        let (rc, _, err) = code(
            cp().current_dir(d)
                .args(["verify", "attestation"])
                .arg(&att)
                .args(["--key", &format!("{alg}.pub"), "--subject", "pred.json"]),
        );
        assert_eq!(rc, 1, "{err}");
        let (rc, _, err) = code(
            cp().current_dir(d)
                .args(["verify", "attestation"])
                .arg(&att)
                .args(["--key", &format!("{alg}.pub"), "--type", "vsa"]),
        );
        assert_eq!(rc, 1, "{err}");
    }
    // Missing envelope: error (2).
    assert_eq!(
        code(
            cp().current_dir(d)
                .args(["verify", "attestation", "nope.json", "--key", "p256.pub"])
        )
        .0,
        2
    );
}

#[test]
fn encrypted_and_cosign_keys_sign_with_env_passphrase() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    std::fs::write(d.join("pred.json"), b"{}").expect("write");
    let (rc, _, err) = code(
        cp().current_dir(d)
            .env("CHAINPROOF_PASSWORD", "s3cret")
            .args(["key", "generate", "--encrypt", "-o", "enc"]),
    );
    assert_eq!(rc, 0, "{err}");
    assert!(
        std::fs::read_to_string(d.join("enc.key"))
            .expect("key")
            .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    );
    let sign = |key: &str, var: &str, pass: &str| {
        code(cp().current_dir(d).env(var, pass).args([
            "attest",
            "--predicate",
            "pred.json",
            "--type",
            "custom",
            "--subject",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "--key",
            key,
            "-o",
            "out.json",
        ]))
    };
    assert_eq!(sign("enc.key", "CHAINPROOF_PASSWORD", "s3cret").0, 0);
    let (rc, _, err) = sign("enc.key", "CHAINPROOF_PASSWORD", "wrong");
    assert_eq!(rc, 2);
    assert!(err.contains("passphrase"), "{err}");
    // A cosign key written by independent code (Python scrypt + PyNaCl), passphrase from COSIGN_PASSWORD.
    let crypto = Path::new(env!("CARGO_MANIFEST_DIR")).join("../chainproof-crypto/tests/fixtures");
    std::fs::copy(crypto.join("cosign-p256.key"), d.join("cosign.key")).expect("copy");
    std::fs::copy(crypto.join("cosign-p256.pub"), d.join("cosign.pub")).expect("copy");
    let (rc, _, err) = sign("cosign.key", "COSIGN_PASSWORD", "interop-passphrase");
    assert_eq!(rc, 0, "{err}");
    assert_eq!(
        code(cp().current_dir(d).args([
            "verify",
            "attestation",
            "out.json",
            "--key",
            "cosign.pub"
        ]))
        .0,
        0
    );
}

#[test]
fn provenance_build_and_verify() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    std::fs::write(d.join("app"), b"binary").expect("write");
    std::fs::write(d.join("sbom.json"), br#"{"bomFormat":"CycloneDX","components":[{"name":"serde","purl":"pkg:cargo/serde@1.0.0","hashes":[{"alg":"SHA-256","content":"AB"}]}]}"#).expect("write");
    assert_eq!(
        code(cp().current_dir(d).args(["key", "generate", "-o", "k"])).0,
        0
    );
    let (rc, _, err) = code(cp().current_dir(d).args([
        "attest",
        "provenance",
        "--subject",
        "app",
        "--builder-id",
        "https://ci.example/builder@v1",
        "--external-parameter",
        "workflow={\"repository\":\"https://github.com/o/r\",\"ref\":\"refs/tags/v1.2.3\"}",
        "--dependency",
        "git+https://github.com/o/r@refs/tags/v1.2.3=sha1:0123456789abcdef0123456789abcdef01234567",
        "--sbom",
        "sbom.json",
        "--started-on",
        "2026-01-01T00:00:00Z",
        "--key",
        "k.key",
        "-o",
        "prov.json",
    ]));
    assert_eq!(rc, 0, "{err}");
    let env: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("prov.json")).expect("read")).expect("json");
    let payload = chainproof_attest::dsse::decode_base64(env["payload"].as_str().expect("payload"))
        .expect("b64");
    let st: serde_json::Value = serde_json::from_slice(&payload).expect("statement");
    assert_eq!(st["predicateType"], "https://slsa.dev/provenance/v1");
    assert_eq!(st["subject"][0]["name"], "app");
    let deps = st["predicate"]["buildDefinition"]["resolvedDependencies"]
        .as_array()
        .expect("deps");
    assert_eq!(deps.len(), 2);
    assert!(
        deps.iter()
            .any(|d| d["uri"] == "pkg:cargo/serde@1.0.0" && d["digest"]["sha256"] == "ab")
    );
    assert_eq!(
        st["predicate"]["runDetails"]["metadata"]["startedOn"],
        "2026-01-01T00:00:00Z"
    );
    let v = |extra: &[&str]| {
        code(
            cp().current_dir(d)
                .args([
                    "verify",
                    "provenance",
                    "app",
                    "--provenance",
                    "prov.json",
                    "--key",
                    "k.pub",
                    "--builder-id",
                    "https://ci.example/builder",
                ])
                .args(extra),
        )
    };
    assert_eq!(v(&[]).0, 0);
    assert_eq!(
        v(&["--source-uri", "github.com/o/r", "--source-tag", "v1.2.3"]).0,
        0
    );
    assert_eq!(
        v(&[
            "--source-uri",
            "github.com/o/r",
            "--source-versioned-tag",
            "v1"
        ])
        .0,
        0
    );
    let (rc, _, err) = v(&["--source-uri", "github.com/o/other"]);
    assert_eq!(rc, 1);
    assert!(err.contains("mismatch-source"), "{err}");
    let (rc, _, err) = v(&["--source-tag", "v1.2.4"]);
    assert_eq!(rc, 1);
    assert!(err.contains("mismatch-tag"), "{err}");
    // No key and no --content-only: an error, not a silent pass.
    assert_eq!(
        code(cp().current_dir(d).args([
            "verify",
            "provenance",
            "app",
            "--provenance",
            "prov.json"
        ]))
        .0,
        2
    );
}

#[test]
fn slsa_verifier_provenance_through_the_cli() {
    let root = attest_fixtures().join("slsa-verifier/testdata/gha_generic/v1.2.2");
    let digests = std::fs::read_to_string(
        attest_fixtures().join("slsa-verifier/OMITTED_ARTIFACTS_SHA256.txt"),
    )
    .expect("list");
    let digest = |name: &str| {
        digests
            .lines()
            .find(|l| l.ends_with(&format!("gha_generic/v1.2.2/{name}")))
            .and_then(|l| l.split_whitespace().next())
            .expect("digest")
            .to_string()
    };
    let run = |artifact: &str, extra: &[&str]| {
        code(
            cp().args([
                "verify",
                "provenance",
                &format!("sha256:{}", digest(artifact)),
                "--content-only",
                "--source-uri",
                "github.com/slsa-framework/example-package",
                "--provenance",
            ])
            .arg(root.join(format!("{artifact}.intoto.jsonl")))
            .args(extra),
        )
    };
    let (rc, out, err) = run(
        "binary-linux-amd64-workflow_dispatch",
        &["--source-branch", "main"],
    );
    assert_eq!(rc, 0, "{err}");
    assert!(
        out.contains("PASSED: SLSA v0.2 provenance") && err.contains("NOT checked"),
        "{out}{err}"
    );
    let (rc, _, err) = run(
        "binary-linux-amd64-workflow_dispatch",
        &["--source-branch", "master"],
    );
    assert_eq!((rc, err.contains("mismatch-branch")), (1, true), "{err}");
    let (rc, _, err) = run(
        "binary-linux-amd64-push-v14",
        &["--source-versioned-tag", "v15"],
    );
    assert_eq!(
        (rc, err.contains("mismatch-versioned-tag")),
        (1, true),
        "{err}"
    );
    let (rc, _, err) = run(
        "binary-linux-amd64-push-v14",
        &[
            "--builder-id",
            "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v1.2.2",
        ],
    );
    assert_eq!(rc, 0, "{err}");
}

#[test]
fn cloud_build_provenance_through_the_cli() {
    let root = attest_fixtures().join("slsa-verifier/testdata/gcb_container/v0.3");
    let digest =
        std::fs::read_to_string(root.join("gcloud-container-github.digest")).expect("digest");
    let run = |prov: &str, source: &str| {
        code(
            cp().args([
                "verify",
                "provenance",
                digest.trim(),
                "--source-uri",
                source,
                "--provenance",
            ])
            .arg(root.join(prov)),
        )
    };
    let (rc, out, err) = run(
        "gcloud-container-github.json",
        "github.com/laurentsimon/gcb-tests",
    );
    assert_eq!(rc, 0, "{err}");
    assert!(out.starts_with("PASSED: Cloud Build provenance"), "{out}");
    let (rc, _, err) = run(
        "gcloud-container-mismatch-payload-digest.json",
        "github.com/laurentsimon/gcb-tests",
    );
    assert_eq!((rc, err.contains("no-valid-signature")), (1, true), "{err}");
    let (rc, _, err) = run(
        "gcloud-container-mismatch-text-steps.json",
        "github.com/laurentsimon/gcb-tests",
    );
    assert_eq!((rc, err.contains("mismatch-intoto")), (1, true), "{err}");
    let (rc, _, err) = run("gcloud-container-github.json", "github.com/org/gcb-tests");
    assert_eq!((rc, err.contains("mismatch-source")), (1, true), "{err}");
}
