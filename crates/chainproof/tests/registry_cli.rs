//! `chainproof sbom registry:…` and `chainproof scan <reference>` end to end against a real
//! `docker-registry` on 127.0.0.1 (started by the test; SKIPPED loudly when the binary is
//! missing — `.ci/run` installs it). The image holds a Cargo.lock and an os-release.
#![allow(clippy::unwrap_used)]

#[path = "../../chainproof-source/tests/support/mod.rs"]
mod support;

use assert_cmd::Command;
use chainproof_source::registry::manifest::OCI_LAYER_TAR;
use chainproof_source::registry::{MemoryImage, Reference, RegistryClient, RegistryOptions};
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
