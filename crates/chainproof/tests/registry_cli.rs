//! `chainproof sbom registry:…` and `chainproof scan <reference>` end to end against a real
//! `docker-registry` on 127.0.0.1 (started by the test; SKIPPED loudly when the binary is
//! missing — `.ci/run` installs it). The image holds a Cargo.lock and an os-release.
#![allow(clippy::unwrap_used)]

#[path = "../../chainproof-source/tests/support/mod.rs"]
mod support;

use assert_cmd::Command;
use chainproof_source::registry::manifest::OCI_LAYER_TAR;
use chainproof_source::registry::{
    MemoryImage, Platform, Reference, RegistryClient, RegistryOptions, push_index,
};
use serde_json::Value;
use support::{Registry, config_json, tar};

const CARGO_LOCK: &[u8] = br#"version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["smallvec"]

[[package]]
name = "smallvec"
version = "1.6.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "fe0f37c9e8f3c5a4a66ad655a93c74daac4ad00c441533bf5c6e7990bb42604e"
"#;

#[test]
fn sbom_of_an_image_pulled_by_tag_and_by_digest() {
    let Some(reg) = Registry::start("cli_sbom_registry", None) else {
        return;
    };
    let r = Reference::parse(&format!("{}/chainproof/cli:1.0", reg.host())).unwrap();
    let client = RegistryClient::connect(&r, &RegistryOptions::default()).unwrap();
    let layer = tar(&[
        ("etc/os-release", b"ID=debian\nVERSION_ID=\"12\"\n"),
        ("app/Cargo.lock", CARGO_LOCK),
    ]);
    let config = config_json("linux", "amd64", None, &[&layer]);
    let pushed = MemoryImage::new(config)
        .with_layer(OCI_LAYER_TAR, layer)
        .push(&client, &r)
        .unwrap();

    let by_digest = format!("{}/chainproof/cli@{}", reg.host(), pushed.digest);
    for target in [format!("registry:{r}"), r.to_string(), by_digest] {
        let out = Command::cargo_bin("chainproof")
            .unwrap()
            .args(["sbom", &target, "-o", "cyclonedx-json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{target}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bom: Value = serde_json::from_slice(&out.stdout).unwrap();
        let purls: Vec<&str> = bom["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["purl"].as_str())
            .collect();
        assert!(
            purls.contains(&"pkg:cargo/smallvec@1.6.0"),
            "{target}: {purls:?}"
        );
        let root = &bom["metadata"]["component"];
        assert_eq!(root["type"], "container", "{target}");
        assert!(
            root["purl"]
                .as_str()
                .unwrap()
                .contains(&pushed.digest.hex()[..12]),
            "{target}: {root}"
        );
    }

    // An unknown tag is a clear error, exit 2.
    let out = Command::cargo_bin("chainproof")
        .unwrap()
        .args([
            "sbom",
            &format!("registry:{}/chainproof/cli:nope", reg.host()),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("MANIFEST_UNKNOWN"));
}

/// An image for `arch` whose Cargo.lock pins `smallvec` at `version`.
fn arch_image(arch: &str, version: &str) -> MemoryImage {
    let lock = String::from_utf8_lossy(CARGO_LOCK).replace("1.6.0", version);
    let layer = tar(&[
        ("etc/os-release", b"ID=debian\nVERSION_ID=\"12\"\n"),
        ("app/Cargo.lock", lock.as_bytes()),
    ]);
    let config = config_json("linux", arch, None, &[&layer]);
    MemoryImage::new(config).with_layer(OCI_LAYER_TAR, layer)
}

/// `chainproof sbom TARGET ARGS -o cyclonedx-json`: (exit code, smallvec purls, stderr).
fn run(target: &str, args: &[&str]) -> (Option<i32>, Vec<String>, String) {
    let out = Command::cargo_bin("chainproof")
        .unwrap()
        .args(["sbom", target, "-o", "cyclonedx-json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let purls = if out.status.success() {
        let bom: Value = serde_json::from_slice(&out.stdout).unwrap();
        bom["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["purl"].as_str())
            .filter(|p| p.starts_with("pkg:cargo/smallvec"))
            .map(str::to_string)
            .collect()
    } else {
        Vec::new()
    };
    (out.status.code(), purls, stderr)
}

#[test]
fn multi_arch_image_by_tag_and_digest_with_platform() {
    let Some(reg) = Registry::start("cli_multi_arch", None) else {
        return;
    };
    let r = Reference::parse(&format!("{}/chainproof/multi:2", reg.host())).unwrap();
    let client = RegistryClient::connect(&r, &RegistryOptions::default()).unwrap();
    let untagged = Reference::parse(&format!(
        "{}/chainproof/multi@{}",
        reg.host(),
        chainproof_source::registry::Digest::sha256_of(b"x")
    ))
    .unwrap();
    let amd = arch_image("amd64", "1.6.0")
        .push(&client, &untagged)
        .unwrap();
    let arm = arch_image("arm64", "1.8.0")
        .push(&client, &untagged)
        .unwrap();
    let index = push_index(
        &client,
        &r,
        &[
            amd.descriptor(Some(Platform::new("linux", "amd64", None))),
            arm.descriptor(Some(Platform::new("linux", "arm64", Some("v8")))),
        ],
    )
    .unwrap();
    let tag = r.to_string();
    let by_index = format!("{}/chainproof/multi@{}", reg.host(), index.digest);
    let by_arm_manifest = format!("{}/chainproof/multi@{}", reg.host(), arm.digest);

    // Default platform: linux/amd64.
    let (code, purls, err) = run(&tag, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(purls, ["pkg:cargo/smallvec@1.6.0"]);
    // --platform picks arm64, by tag, by the index digest, and (single manifest) by its own
    // digest.
    for target in [&tag, &by_index, &by_arm_manifest] {
        let (code, purls, err) = run(target, &["--platform", "linux/arm64"]);
        assert_eq!(code, Some(0), "{target}: {err}");
        assert_eq!(purls, ["pkg:cargo/smallvec@1.8.0"], "{target}");
    }
    // A platform the index does not offer: the error lists what it does.
    let (code, _, err) = run(&tag, &["--platform", "linux/s390x"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("no image for platform linux/s390x") && err.contains("linux/arm64/v8"),
        "{err}"
    );
    // A digest the registry does not have.
    let wrong = format!(
        "{}/chainproof/multi@{}",
        reg.host(),
        chainproof_source::registry::Digest::sha256_of(b"not pushed")
    );
    let (code, _, err) = run(&wrong, &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("not found") && err.contains("MANIFEST_UNKNOWN"),
        "{err}"
    );
    // The image caps apply to pulls: a 100-byte limit refuses the layer before download.
    let (code, _, err) = run(&tag, &["--max-layer-size", "100"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("is over the limit of 100 bytes"), "{err}");
}
