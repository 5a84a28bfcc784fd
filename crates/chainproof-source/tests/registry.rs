//! Pull and push against a real registry: Debian's `docker-registry` (distribution 2.8) on
//! 127.0.0.1 with temporary storage. Skipped loudly when the binary is missing.

mod support;

use std::fs;
use std::path::Path;

use chainproof_source::registry::manifest::{OCI_LAYER_TAR, OCI_MANIFEST};
use chainproof_source::registry::{
    Credentials, Digest, MemoryImage, Platform, PullOptions, PulledImage, Reference,
    RegistryClient, RegistryError, RegistryOptions, pull, push_index, push_layout,
};
use support::{Registry, config_json, tar};

fn reference(host: &str, rest: &str) -> Reference {
    Reference::parse(&format!("{host}/{rest}")).expect("valid reference")
}

fn blob(layout: &Path, d: &Digest) -> Vec<u8> {
    fs::read(
        layout
            .join("blobs")
            .join(d.algorithm().name())
            .join(d.hex()),
    )
    .expect("blob in layout")
}

fn index_json(layout: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(layout.join("index.json")).expect("index.json")).expect("json")
}

fn single_image(arch: &str, marker: &str) -> (MemoryImage, Vec<u8>) {
    let layer = tar(&[
        ("etc/os-release", b"ID=chainproof-test\nVERSION_ID=1\n"),
        ("usr/share/marker.txt", marker.as_bytes()),
    ]);
    let config = config_json("linux", arch, None, &[&layer]);
    (
        MemoryImage::new(config).with_layer(OCI_LAYER_TAR, layer.clone()),
        layer,
    )
}

fn assert_layout(img: &PulledImage, image: &MemoryImage, layer: &[u8]) {
    let dir = img.layout_dir();
    assert_eq!(
        fs::read_to_string(dir.join("oci-layout")).expect("oci-layout"),
        r#"{"imageLayoutVersion":"1.0.0"}"#
    );
    let manifest = image.manifest();
    assert_eq!(img.manifest_digest, Digest::sha256_of(&manifest));
    assert_eq!(blob(dir, &img.manifest_digest), manifest);
    assert_eq!(img.config_digest, Digest::sha256_of(&image.config));
    assert_eq!(blob(dir, &img.config_digest), image.config);
    assert_eq!(img.layers.len(), 1);
    assert_eq!(img.layers[0].size, layer.len() as u64);
    assert_eq!(blob(dir, &img.layers[0].digest), layer);
    let idx = index_json(dir);
    let entries = idx["manifests"].as_array().expect("manifests");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["digest"], img.manifest_digest.to_string());
    assert_eq!(entries[0]["size"], manifest.len());
    assert_eq!(entries[0]["mediaType"], OCI_MANIFEST);
    // Nothing but the verified blobs: manifest, config, layer (and the index it came from).
    let mut names: Vec<String> = fs::read_dir(dir.join("blobs/sha256"))
        .expect("blobs")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want = vec![
        img.manifest_digest.hex().to_string(),
        img.config_digest.hex().to_string(),
        img.layers[0].digest.hex().to_string(),
    ];
    want.extend(img.index_digest.as_ref().map(|d| d.hex().to_string()));
    want.sort();
    assert_eq!(names, want);
}

#[test]
fn push_then_pull_by_tag_and_by_digest() {
    let Some(reg) = Registry::start("push_then_pull_by_tag_and_by_digest", None) else {
        return;
    };
    let r = reference(&reg.host(), "chainproof/app:1.0");
    let client = RegistryClient::connect(&r, &RegistryOptions::default()).expect("connect");
    assert!(
        client.base_url().starts_with("http://127.0.0.1:"),
        "{}",
        client.base_url()
    );
    let (image, layer) = single_image("amd64", "single");
    let pushed = image.push(&client, &r).expect("push");
    assert_eq!(pushed.digest, Digest::sha256_of(&image.manifest()));

    let by_tag = pull(&r, &PullOptions::default()).expect("pull by tag");
    assert_layout(&by_tag, &image, &layer);
    assert_eq!(
        by_tag.repo_tags,
        vec![format!("{}/chainproof/app:1.0", reg.host())]
    );
    assert_eq!(
        by_tag.repo_digests,
        vec![format!("{}/chainproof/app@{}", reg.host(), pushed.digest)]
    );
    assert_eq!(
        by_tag.platform.as_ref().map(Platform::to_string).as_deref(),
        Some("linux/amd64")
    );
    assert_eq!(by_tag.index_digest, None);
    let idx = index_json(by_tag.layout_dir());
    assert_eq!(
        idx["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"],
        "1.0"
    );

    let out = tempfile::tempdir().expect("tmp");
    let target = out.path().join("layout");
    let by_digest_ref = reference(&reg.host(), &format!("chainproof/app@{}", pushed.digest));
    let opts = PullOptions {
        output_dir: Some(target.clone()),
        ..PullOptions::default()
    };
    let by_digest = pull(&by_digest_ref, &opts).expect("pull by digest");
    assert_eq!(by_digest.layout_dir(), target);
    assert_layout(&by_digest, &image, &layer);
    assert!(by_digest.repo_tags.is_empty());
    // Same bytes either way.
    for d in [
        &by_tag.config_digest,
        &by_tag.layers[0].digest,
        &by_tag.manifest_digest,
    ] {
        assert_eq!(blob(by_tag.layout_dir(), d), blob(&target, d));
    }
    // A non-empty output dir is refused.
    let again = pull(&by_digest_ref, &opts).expect_err("dir not empty");
    assert!(again.to_string().contains("not empty"), "{again}");
    // Explicit platform that the single-arch image does not have.
    let arm = PullOptions {
        platform: Some("linux/arm64".parse().expect("platform")),
        ..PullOptions::default()
    };
    let e = pull(&r, &arm).expect_err("wrong platform");
    assert!(matches!(e, RegistryError::PlatformNotFound { .. }), "{e}");

    // The pulled layout pushes back as another tag with the same manifest digest.
    let copy = r.with_tag("copy").expect("tag");
    let pushed_back = push_layout(&client, by_tag.layout_dir(), &copy).expect("push layout");
    assert_eq!(pushed_back.digest, pushed.digest);
    let copied = pull(&copy, &PullOptions::default()).expect("pull copy");
    assert_eq!(copied.manifest_digest, pushed.digest);
}

#[test]
fn multi_arch_index_with_platform() {
    let Some(reg) = Registry::start("multi_arch_index_with_platform", None) else {
        return;
    };
    let r = reference(&reg.host(), "multi/arch:2");
    let client = RegistryClient::connect(&r, &RegistryOptions::default()).expect("connect");
    let (amd, amd_layer) = single_image("amd64", "amd64 marker");
    let (arm, arm_layer) = single_image("arm64", "arm64 marker");
    // Push the per-platform manifests by digest, then the index under the tag.
    let untagged = Reference::parse(&format!(
        "{}/multi/arch@{}",
        reg.host(),
        Digest::sha256_of(b"x")
    ))
    .expect("ref");
    let amd_m = amd.push(&client, &untagged).expect("push amd64");
    let arm_m = arm.push(&client, &untagged).expect("push arm64");
    let index = push_index(
        &client,
        &r,
        &[
            amd_m.descriptor(Some(Platform::new("linux", "amd64", None))),
            arm_m.descriptor(Some(Platform::new("linux", "arm64", Some("v8")))),
        ],
    )
    .expect("push index");

    let default = pull(&r, &PullOptions::default()).expect("pull default platform");
    assert_eq!(default.manifest_digest, amd_m.digest);
    assert_eq!(default.index_digest.as_ref(), Some(&index.digest));
    assert_eq!(
        default.repo_digests,
        vec![format!("{}/multi/arch@{}", reg.host(), index.digest)]
    );
    assert_layout(&default, &amd, &amd_layer);

    let arm_opts = PullOptions {
        platform: Some("linux/arm64".parse().expect("platform")),
        ..PullOptions::default()
    };
    let arm_img = pull(&r, &arm_opts).expect("pull arm64");
    assert_eq!(arm_img.manifest_digest, arm_m.digest);
    assert_eq!(
        arm_img
            .platform
            .as_ref()
            .map(Platform::to_string)
            .as_deref(),
        Some("linux/arm64")
    );
    assert_layout(&arm_img, &arm, &arm_layer);
    let idx = index_json(arm_img.layout_dir());
    assert_eq!(idx["manifests"][0]["platform"]["architecture"], "arm64");

    // By the index digest too.
    let by_digest = reference(&reg.host(), &format!("multi/arch@{}", index.digest));
    let d = pull(&by_digest, &arm_opts).expect("pull index by digest");
    assert_eq!(d.manifest_digest, arm_m.digest);

    let win = PullOptions {
        platform: Some("windows/amd64".parse().expect("platform")),
        ..PullOptions::default()
    };
    let e = pull(&r, &win).expect_err("no windows image").to_string();
    assert!(e.contains("no image for platform windows/amd64"), "{e}");
    assert!(e.contains("linux/amd64, linux/arm64/v8"), "{e}");
}

#[test]
fn unknown_tag_and_wrong_digest_are_clear_errors() {
    let Some(reg) = Registry::start("unknown_tag_and_wrong_digest_are_clear_errors", None) else {
        return;
    };
    let r = reference(&reg.host(), "errors/app:present");
    let client = RegistryClient::connect(&r, &RegistryOptions::default()).expect("connect");
    let (image, _) = single_image("amd64", "errors");
    image.push(&client, &r).expect("push");

    let missing = reference(&reg.host(), "errors/app:absent");
    let e = pull(&missing, &PullOptions::default()).expect_err("no such tag");
    assert!(matches!(e, RegistryError::NotFound { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("errors/app:absent")
            && msg.contains("not found")
            && msg.contains("MANIFEST_UNKNOWN"),
        "{msg}"
    );

    let wrong = reference(
        &reg.host(),
        &format!("errors/app@{}", Digest::sha256_of(b"not this manifest")),
    );
    let e = pull(&wrong, &PullOptions::default()).expect_err("no such digest");
    let msg = e.to_string();
    assert!(matches!(e, RegistryError::NotFound { .. }), "{msg}");
    assert!(
        msg.contains(&Digest::sha256_of(b"not this manifest").to_string()),
        "{msg}"
    );

    let no_repo = reference(&reg.host(), "never/pushed:1");
    let e = pull(&no_repo, &PullOptions::default())
        .expect_err("no such repo")
        .to_string();
    assert!(
        e.contains("NAME_UNKNOWN") || e.contains("MANIFEST_UNKNOWN"),
        "{e}"
    );
}

#[test]
fn basic_auth_with_docker_config() {
    let test = "basic_auth_with_docker_config";
    let Some(htpasswd) = support::htpasswd(test, "alice", "s3cret-pass") else {
        return;
    };
    let Some(reg) = Registry::start(test, Some(&htpasswd)) else {
        return;
    };
    let r = reference(&reg.host(), "private/app:1");
    let creds = Credentials {
        username: "alice".into(),
        password: "s3cret-pass".into(),
    };
    let push_opts = RegistryOptions {
        credentials: Some(creds),
        ..RegistryOptions::default()
    };
    let client = RegistryClient::connect(&r, &push_opts).expect("connect");
    let (image, layer) = single_image("amd64", "private");
    image.push(&client, &r).expect("push with credentials");

    // Credentials from a docker config.json (auths.<host>.auth = base64 user:password).
    let cfg_dir = tempfile::tempdir().expect("tmp");
    let cfg = cfg_dir.path().join("config.json");
    let auth = chainproof_source::registry::auth::base64_encode(b"alice:s3cret-pass");
    fs::write(
        &cfg,
        format!(
            r#"{{"auths":{{"http://{}":{{"auth":"{auth}"}}}}}}"#,
            reg.host()
        ),
    )
    .expect("write config");
    let opts = PullOptions {
        registry: RegistryOptions {
            docker_config: Some(cfg.clone()),
            ..RegistryOptions::default()
        },
        ..PullOptions::default()
    };
    let img = pull(&r, &opts).expect("pull with docker config credentials");
    assert_layout(&img, &image, &layer);

    // No credentials: refused, and the message says what to do.
    let empty = cfg_dir.path().join("empty.json");
    fs::write(&empty, "{}").expect("write");
    let anon = PullOptions {
        registry: RegistryOptions {
            docker_config: Some(empty),
            ..RegistryOptions::default()
        },
        ..PullOptions::default()
    };
    let e = pull(&r, &anon).expect_err("anonymous pull of a private registry");
    let msg = e.to_string();
    assert!(matches!(e, RegistryError::Unauthorized { .. }), "{msg}");
    assert!(
        msg.contains("no credentials found") && msg.contains("CHAINPROOF_REGISTRY_USERNAME"),
        "{msg}"
    );

    // Wrong password: refused, naming the user.
    let bad = PullOptions {
        registry: RegistryOptions {
            credentials: Some(Credentials {
                username: "alice".into(),
                password: "wrong".into(),
            }),
            ..RegistryOptions::default()
        },
        ..PullOptions::default()
    };
    let msg = pull(&r, &bad).expect_err("wrong password").to_string();
    assert!(
        msg.contains("authentication failed") && msg.contains("user `alice`"),
        "{msg}"
    );

    // Credentials from the environment and from $DOCKER_CONFIG: the environment of this
    // process cannot be changed safely, so a child runs `credentials_from_environment`.
    let cfg_env = cfg_dir
        .path()
        .to_str()
        .expect("utf-8 temp path")
        .to_string();
    let host = reg.host();
    let envs: [&[(&str, &str)]; 2] = [
        &[
            ("CHAINPROOF_REGISTRY_USERNAME", "alice"),
            ("CHAINPROOF_REGISTRY_PASSWORD", "s3cret-pass"),
            ("DOCKER_CONFIG", "/nonexistent"),
        ],
        &[("DOCKER_CONFIG", &cfg_env)],
    ];
    for env in envs {
        let mut cmd = std::process::Command::new(std::env::current_exe().expect("test binary"));
        cmd.args([
            "--exact",
            "credentials_from_environment",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_remove("CHAINPROOF_REGISTRY_USERNAME")
        .env_remove("CHAINPROOF_REGISTRY_PASSWORD")
        .env("CHAINPROOF_TEST_PRIVATE_REF", r.to_string());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run child test");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "child with {env:?} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(&format!("pulled {host}")), "{stdout}");
    }

    // A credential helper in the config is reported as unsupported.
    let helper = cfg_dir.path().join("helper.json");
    fs::write(
        &helper,
        format!(r#"{{"credHelpers":{{"{}":"secretservice"}}}}"#, reg.host()),
    )
    .expect("write");
    let h = PullOptions {
        registry: RegistryOptions {
            docker_config: Some(helper),
            ..RegistryOptions::default()
        },
        ..PullOptions::default()
    };
    let msg = pull(&r, &h).expect_err("helper not run").to_string();
    assert!(msg.contains("docker-credential-secretservice"), "{msg}");
}

#[test]
fn docker_v2_manifest_list_and_media_types() {
    use chainproof_source::registry::manifest::{
        DOCKER_CONFIG, DOCKER_LAYER_TAR, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST,
    };
    let Some(reg) = Registry::start("docker_v2_manifest_list_and_media_types", None) else {
        return;
    };
    let r = reference(&reg.host(), "dockerv2/app:3");
    let client = RegistryClient::connect(&r, &RegistryOptions::default()).expect("connect");
    let docker_image = |arch: &str, variant: Option<&str>| {
        let layer = tar(&[("etc/arch", arch.as_bytes())]);
        let mut img = MemoryImage::new(config_json("linux", arch, variant, &[&layer]))
            .with_layer(DOCKER_LAYER_TAR, layer.clone());
        img.config_media_type = DOCKER_CONFIG.into();
        img.manifest_media_type = DOCKER_MANIFEST.into();
        (img, layer)
    };
    let (amd, _) = docker_image("amd64", None);
    let (armv7, armv7_layer) = docker_image("arm", Some("v7"));
    let repo = r.repository();
    let mut entries = Vec::new();
    for (img, platform) in [
        (&amd, Platform::new("linux", "amd64", None)),
        (&armv7, Platform::new("linux", "arm", Some("v7"))),
    ] {
        client.push_blob_bytes(repo, &img.config).expect("config");
        for (_, l) in &img.layers {
            client.push_blob_bytes(repo, l).expect("layer");
        }
        let m = img.manifest();
        let pushed = client
            .push_manifest(
                repo,
                &Digest::sha256_of(&m).to_string(),
                DOCKER_MANIFEST,
                &m,
            )
            .expect("manifest");
        entries.push(pushed.descriptor(Some(platform)));
    }
    let list = serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "mediaType": DOCKER_MANIFEST_LIST, "manifests": entries})).expect("json");
    let list_digest = client
        .push_manifest(repo, "3", DOCKER_MANIFEST_LIST, &list)
        .expect("manifest list")
        .digest;

    let opts = PullOptions {
        platform: Some("linux/arm/v7".parse().expect("platform")),
        ..PullOptions::default()
    };
    let img = pull(&r, &opts).expect("pull arm/v7 from a manifest list");
    assert_eq!(img.index_digest, Some(list_digest));
    assert_eq!(img.manifest_media_type, DOCKER_MANIFEST);
    assert_eq!(
        img.platform.as_ref().map(Platform::to_string).as_deref(),
        Some("linux/arm/v7")
    );
    assert_eq!(img.layers[0].media_type, DOCKER_LAYER_TAR);
    assert_eq!(blob(img.layout_dir(), &img.layers[0].digest), armv7_layer);
    let idx = index_json(img.layout_dir());
    assert_eq!(idx["manifests"][0]["mediaType"], DOCKER_MANIFEST);
    assert_eq!(
        idx["manifests"][0]["digest"],
        Digest::sha256_of(&armv7.manifest()).to_string()
    );
}

/// Run by `basic_auth_with_docker_config` as a child process with credentials in its
/// environment (`CHAINPROOF_REGISTRY_*` or `DOCKER_CONFIG`); alone it has nothing to pull.
#[test]
fn credentials_from_environment() {
    let Ok(private) = std::env::var("CHAINPROOF_TEST_PRIVATE_REF") else {
        eprintln!(
            "credentials_from_environment: runs only as a child of basic_auth_with_docker_config"
        );
        return;
    };
    let r = Reference::parse(&private).expect("reference");
    let img =
        pull(&r, &PullOptions::default()).expect("pull with credentials from the environment");
    assert_eq!(img.layers.len(), 1);
    println!("pulled {}", img.repo_tags.join(","));
}
