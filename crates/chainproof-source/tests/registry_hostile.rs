//! Pull limits and lies a real registry will store and serve: Debian's `docker-registry`
//! on 127.0.0.1 (skipped loudly when missing). The registry checks that the blobs a
//! manifest names exist, but neither the sizes a manifest declares nor the platforms an
//! index claims, and it serves whatever its storage holds (a blob file altered on disk
//! is served under its old digest) — so those lies are tested here, for real, not against
//! a fake server. `registry_fake.rs` keeps what a real registry cannot do.

mod support;

use chainproof_source::registry::manifest::{OCI_LAYER_TAR, OCI_MANIFEST};
use chainproof_source::registry::{
    Digest, Limits, MemoryImage, Platform, PullOptions, Reference, RegistryClient, RegistryError,
    RegistryOptions, pull, push_index,
};
use support::{Registry, config_json, tar};

fn reference(reg: &Registry, rest: &str) -> Reference {
    Reference::parse(&format!("{}/{rest}", reg.host())).expect("valid reference")
}

/// An amd64 image with one layer of `layer_bytes` bytes of file content.
fn image(layer_bytes: usize) -> MemoryImage {
    let content = vec![b'x'; layer_bytes];
    let layer = tar(&[("data.bin", &content[..])]);
    let config = config_json("linux", "amd64", None, &[&layer]);
    MemoryImage::new(config).with_layer(OCI_LAYER_TAR, layer)
}

/// The file holding a blob in the registry's filesystem storage.
fn stored_blob(reg: &Registry, d: &Digest) -> std::path::PathBuf {
    reg.dir
        .path()
        .join("storage/docker/registry/v2/blobs/sha256")
        .join(&d.hex()[..2])
        .join(d.hex())
        .join("data")
}

fn push(reg: &Registry, rest: &str, img: &MemoryImage) -> RegistryClient {
    let r = reference(reg, rest);
    let client = RegistryClient::connect(&r, &RegistryOptions::default()).expect("connect");
    img.push(&client, &r).expect("push");
    client
}

#[test]
fn honest_layer_over_the_limit_is_refused_before_download() {
    let Some(reg) = Registry::start("honest_layer_over_the_limit", None) else {
        return;
    };
    push(&reg, "limits/app:1", &image(64 * 1024));
    let tight = PullOptions {
        limits: Limits {
            max_layer_bytes: 16 * 1024,
            ..Limits::default()
        },
        ..PullOptions::default()
    };
    let e = pull(&reference(&reg, "limits/app:1"), &tight).expect_err("64 KiB layer");
    assert!(
        matches!(e, RegistryError::TooLarge { limit: 16384, size, .. } if size > 64 * 1024),
        "{e}"
    );
    let total = PullOptions {
        limits: Limits {
            max_total_bytes: 32 * 1024,
            ..Limits::default()
        },
        ..PullOptions::default()
    };
    let e = pull(&reference(&reg, "limits/app:1"), &total).expect_err("over the total");
    assert!(matches!(e, RegistryError::TooLarge { .. }), "{e}");
    // Within the limits the same image pulls.
    let ok = pull(&reference(&reg, "limits/app:1"), &PullOptions::default()).expect("pull");
    assert_eq!(ok.layers.len(), 1);
    assert!(ok.layers[0].size > 64 * 1024);
}

#[test]
fn declared_layer_size_lie_is_refused_before_download() {
    let Some(reg) = Registry::start("declared_layer_size_lie", None) else {
        return;
    };
    // The blobs exist; the manifest claims the layer is 10 GB.
    let img = image(1024);
    let client = push(&reg, "lies/app:honest", &img);
    let mut m: serde_json::Value = serde_json::from_slice(&img.manifest()).expect("json");
    m["layers"][0]["size"] = serde_json::json!(10_000_000_000u64);
    let lying = serde_json::to_vec(&m).expect("json");
    client
        .push_manifest("lies/app", "big", OCI_MANIFEST, &lying)
        .expect("the registry stores the lie");
    let e =
        pull(&reference(&reg, "lies/app:big"), &PullOptions::default()).expect_err("10 GB layer");
    assert!(
        matches!(
            e,
            RegistryError::TooLarge {
                size: 10_000_000_000,
                ..
            }
        ),
        "{e}"
    );
    // A declared size smaller than the blob: the download stops at the declared size.
    m["layers"][0]["size"] = serde_json::json!(100);
    let short = serde_json::to_vec(&m).expect("json");
    client
        .push_manifest("lies/app", "short", OCI_MANIFEST, &short)
        .expect("the registry stores the lie");
    let e = pull(&reference(&reg, "lies/app:short"), &PullOptions::default())
        .expect_err("blob longer than declared");
    assert!(
        matches!(
            e,
            RegistryError::SizeMismatch { .. } | RegistryError::TooLarge { .. }
        ),
        "{e}"
    );
}

#[test]
fn manifest_over_the_limit_is_refused() {
    let Some(reg) = Registry::start("manifest_over_the_limit", None) else {
        return;
    };
    let img = image(10);
    push(&reg, "limits/manifest:1", &img);
    let tight = PullOptions {
        limits: Limits {
            max_manifest_bytes: 64,
            ..Limits::default()
        },
        ..PullOptions::default()
    };
    let e = pull(&reference(&reg, "limits/manifest:1"), &tight).expect_err("manifest > 64 B");
    assert!(
        matches!(e, RegistryError::TooLarge { limit: 64, .. }),
        "{e}"
    );
}

#[test]
fn an_index_that_lies_about_the_platform_is_refused() {
    let Some(reg) = Registry::start("index_lies_about_platform", None) else {
        return;
    };
    let r = reference(&reg, "lies/multi:1");
    let client = RegistryClient::connect(&r, &RegistryOptions::default()).expect("connect");
    let untagged = Reference::parse(&format!(
        "{}/lies/multi@{}",
        reg.host(),
        Digest::sha256_of(b"x")
    ))
    .expect("ref");
    // An amd64 image listed in the index as linux/arm64.
    let amd = image(10).push(&client, &untagged).expect("push");
    push_index(
        &client,
        &r,
        &[amd.descriptor(Some(Platform::new("linux", "arm64", None)))],
    )
    .expect("the registry stores the index");
    let o = PullOptions {
        platform: Some(Platform::new("linux", "arm64", None)),
        ..PullOptions::default()
    };
    let e = pull(&r, &o).expect_err("platform lie");
    assert!(matches!(e, RegistryError::InvalidManifest { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("lists this image as linux/arm64 but its config says linux/amd64"),
        "{e}"
    );
}

#[test]
fn blobs_altered_in_storage_are_refused() {
    let Some(reg) = Registry::start("blobs_altered_in_storage", None) else {
        return;
    };
    let img = image(1024);
    push(&reg, "altered/app:1", &img);
    let config = stored_blob(&reg, &Digest::sha256_of(&img.config));
    let honest = std::fs::read(&config).expect("stored config");
    // Same length, one bit flipped: the registry serves it under the old digest.
    let mut flipped = honest.clone();
    if let Some(b) = flipped.last_mut() {
        *b ^= 1;
    }
    std::fs::write(&config, &flipped).expect("alter");
    let out = tempfile::tempdir().expect("tmp");
    let dir = out.path().join("layout");
    let o = PullOptions {
        output_dir: Some(dir.clone()),
        ..PullOptions::default()
    };
    let e = pull(&reference(&reg, "altered/app:1"), &o).expect_err("altered config");
    assert!(matches!(e, RegistryError::DigestMismatch { .. }), "{e}");
    assert!(e.to_string().contains("config"), "{e}");
    // No partial download left behind.
    let partial = std::fs::read_dir(dir.join("blobs/sha256"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(".partial"))
                .count()
        })
        .unwrap_or(0);
    assert_eq!(partial, 0);
    // Longer than the manifest declares.
    let mut longer = honest.clone();
    longer.extend_from_slice(b"extra");
    std::fs::write(&config, &longer).expect("alter");
    let e = pull(&reference(&reg, "altered/app:1"), &PullOptions::default())
        .expect_err("longer config");
    assert!(
        matches!(
            e,
            RegistryError::SizeMismatch { .. } | RegistryError::DigestMismatch { .. }
        ),
        "{e}"
    );
    std::fs::write(&config, &honest).expect("restore");
    pull(&reference(&reg, "altered/app:1"), &PullOptions::default()).expect("honest again");

    // The manifest altered in storage: pulled by tag, the body no longer matches the
    // Docker-Content-Digest the registry sends; pulled by digest, not the digest asked for.
    let manifest = img.manifest();
    let md = Digest::sha256_of(&manifest);
    let stored = stored_blob(&reg, &md);
    let mut m: serde_json::Value = serde_json::from_slice(&manifest).expect("json");
    m["annotations"] = serde_json::json!({"altered": "yes"});
    std::fs::write(&stored, serde_json::to_vec(&m).expect("json")).expect("alter");
    let e = pull(&reference(&reg, "altered/app:1"), &PullOptions::default())
        .expect_err("altered manifest by tag");
    assert!(matches!(e, RegistryError::DigestMismatch { .. }), "{e}");
    let e = pull(
        &reference(&reg, &format!("altered/app@{md}")),
        &PullOptions::default(),
    )
    .expect_err("altered manifest by digest");
    let msg = e.to_string();
    assert!(matches!(e, RegistryError::DigestMismatch { .. }), "{msg}");
    assert!(msg.contains(&md.to_string()), "{msg}");
}
