//! Images built by the `pack` helper: round trips through every storage and compression,
//! whiteouts and opaque directories, platform selection, lying digests.

use std::path::Path;

use chainproof_source::FileResolver;
use chainproof_source::image::pack::{self, Compression, PackEntry};
use chainproof_source::image::{ImageError, ImageOptions, ImageTarget, Platform};

fn file(s: &str) -> PackEntry {
    PackEntry::File(s.as_bytes().to_vec())
}

fn paths(fs: &dyn FileResolver) -> Vec<String> {
    fs.files().iter().map(|f| f.path.clone()).collect()
}

/// Three layers: a base, a layer deleting and replacing things, a layer with an opaque dir.
fn layers() -> Vec<Vec<u8>> {
    let base = pack::layer_tar(&[
        ("etc", PackEntry::Dir),
        ("etc/os-release", file("ID=test\n")),
        ("app", PackEntry::Dir),
        ("app/package-lock.json", file("{}")),
        ("app/old.txt", file("old")),
        ("cache", PackEntry::Dir),
        ("cache/a", file("a")),
        ("cache/sub/b", file("b")),
        ("usr/bin/tool", file("\x7fELFtool")),
        (
            "usr/bin/tool-link",
            PackEntry::Hardlink("usr/bin/tool".into()),
        ),
        ("bin", PackEntry::Symlink("usr/bin".into())),
    ])
    .expect("layer 1");
    let second = pack::layer_tar(&[
        ("app/old.txt", PackEntry::Whiteout),
        ("app/new.txt", file("new")),
        ("etc/os-release", file("ID=test\nVERSION_ID=2\n")),
    ])
    .expect("layer 2");
    let third = pack::layer_tar(&[
        ("cache", PackEntry::Opaque),
        ("cache/c", file("c")),
        ("usr/bin/tool", PackEntry::Whiteout),
    ])
    .expect("layer 3");
    vec![base, second, third]
}

fn check_squashed(image: &chainproof_source::Image) {
    let fs = image.squashed();
    assert_eq!(
        paths(&fs),
        [
            "app/new.txt",
            "app/package-lock.json",
            "cache/c",
            "etc/os-release",
            "usr/bin/tool-link"
        ]
    );
    assert_eq!(
        fs.read_to_string("etc/os-release").expect("os"),
        "ID=test\nVERSION_ID=2\n"
    );
    assert!(!fs.exists("app/old.txt"));
    assert!(!fs.exists("cache/a") && !fs.exists("cache/sub/b"));
    // The hard link keeps the content after its target was deleted; `bin/` is a symlink.
    assert_eq!(
        fs.read("bin/tool-link").expect("via symlink"),
        b"\x7fELFtool"
    );
    assert!(!fs.exists("bin/tool"));
    let m = image.metadata();
    assert_eq!(m.layers.len(), 3);
    assert_eq!(
        fs.layer_of("etc/os-release").expect("layer").diff_id,
        m.layers[1].diff_id
    );
    assert_eq!(
        fs.layer_of("app/package-lock.json").expect("layer").diff_id,
        m.layers[0].diff_id
    );
    assert_eq!(
        fs.layer_of("cache/c").expect("layer").diff_id,
        m.layers[2].diff_id
    );
}

fn check_all_layers(image: &chainproof_source::Image) {
    let views = image.layer_views();
    assert_eq!(views.len(), 3);
    assert_eq!(
        paths(&views[0]),
        [
            "app/old.txt",
            "app/package-lock.json",
            "cache/a",
            "cache/sub/b",
            "etc/os-release",
            "usr/bin/tool",
            "usr/bin/tool-link"
        ]
    );
    assert_eq!(
        views[0]
            .read_to_string("app/old.txt")
            .expect("old, as of layer 1"),
        "old"
    );
    assert_eq!(
        views[0].read_to_string("etc/os-release").expect("v1"),
        "ID=test\n"
    );
    assert_eq!(paths(&views[1]), ["app/new.txt", "etc/os-release"]);
    assert!(!views[1].exists("app/old.txt"));
    assert!(views[1].exists("cache/a"), "still there before layer 3");
    assert_eq!(paths(&views[2]), ["cache/c"]);
}

#[test]
fn oci_dir_round_trip_every_compression() {
    for c in [Compression::None, Compression::Gzip, Compression::Zstd] {
        let dir = tempfile::tempdir().expect("tmp");
        let digest =
            pack::write_oci_dir(dir.path(), &layers(), c, "example.com/app:1.0").expect("write");
        let target = ImageTarget::detect(dir.path()).expect("detected");
        assert_eq!(target, ImageTarget::OciDir(dir.path().to_path_buf()));
        let image = target.open(&ImageOptions::default()).expect("opens");
        assert_eq!(
            image.metadata().manifest_digest.as_deref(),
            Some(digest.as_str())
        );
        assert_eq!(image.metadata().repo_tags, ["example.com/app:1.0"]);
        if c != Compression::None {
            assert_ne!(
                image.metadata().layers[0].digest,
                image.metadata().layers[0].diff_id
            );
        }
        check_squashed(&image);
        check_all_layers(&image);
    }
}

#[test]
fn oci_archive_round_trip() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("img.tar");
    let digest =
        pack::write_oci_archive(&path, &layers(), Compression::Gzip, "app:2").expect("write");
    let target = ImageTarget::detect(&path).expect("detected");
    assert_eq!(target, ImageTarget::OciArchive(path.clone()));
    let image = target.open(&ImageOptions::default()).expect("opens");
    assert_eq!(
        image.metadata().manifest_digest.as_deref(),
        Some(digest.as_str())
    );
    assert_eq!(image.metadata().scheme, "oci-archive");
    check_squashed(&image);
    check_all_layers(&image);
}

#[test]
fn docker_archive_round_trip_plain_and_gzip() {
    for gzip in [false, true] {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("img.tar");
        pack::write_docker_archive(&path, &layers(), "app:3", gzip).expect("write");
        let image = ImageTarget::parse(&format!("docker-archive:{}", path.display()))
            .expect("spec")
            .open(&ImageOptions::default())
            .expect("opens");
        assert_eq!(image.metadata().repo_tags, ["app:3"]);
        check_squashed(&image);
        check_all_layers(&image);
    }
}

#[test]
fn pack_a_directory() {
    let root = tempfile::tempdir().expect("tmp");
    let r = root.path();
    std::fs::create_dir_all(r.join("srv/app")).expect("mkdir");
    std::fs::write(r.join("srv/app/Cargo.lock"), "version = 3\n").expect("write");
    std::os::unix::fs::symlink("srv/app", r.join("app")).expect("symlink");
    std::os::unix::fs::symlink("/srv/app/Cargo.lock", r.join("abs-lock")).expect("symlink");
    std::fs::create_dir_all(r.join("etc")).expect("mkdir");
    std::os::unix::fs::symlink("../srv/app", r.join("etc/app")).expect("symlink");
    let layer = pack::layer_from_dir(r).expect("pack");
    let out = tempfile::tempdir().expect("tmp");
    pack::write_oci_dir(out.path(), &[layer], Compression::Gzip, "dir:1").expect("write");
    let fs = ImageTarget::OciDir(out.path().to_path_buf())
        .open(&ImageOptions::default())
        .expect("opens")
        .squashed();
    assert_eq!(paths(&fs), ["srv/app/Cargo.lock"]);
    assert_eq!(
        fs.read_to_string("app/Cargo.lock").expect("via link"),
        "version = 3\n"
    );
}

/// A layout whose index offers two platforms.
fn multi_arch(dir: &Path) -> (String, String) {
    let amd = pack::oci_layout_files(
        &[pack::layer_tar(&[("arch", file("amd64"))]).expect("l")],
        Compression::Gzip,
        "m:1",
        ("linux", "amd64"),
    )
    .expect("amd");
    let arm = pack::oci_layout_files(
        &[pack::layer_tar(&[("arch", file("arm64"))]).expect("l")],
        Compression::Gzip,
        "m:1",
        ("linux", "arm64"),
    )
    .expect("arm");
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut descs = Vec::new();
    for ((fs, digest), (os, arch)) in [(amd, ("linux", "amd64")), (arm, ("linux", "arm64"))] {
        let manifest_len = fs
            .iter()
            .find(|(p, _)| p.ends_with(digest.hex()))
            .map(|(_, d)| d.len())
            .expect("manifest");
        descs.push(serde_json::json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": digest.to_string(), "size": manifest_len,
            "platform": {"os": os, "architecture": arch},
        }));
        files.extend(fs.into_iter().filter(|(p, _)| p.starts_with("blobs/")));
    }
    let nested = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": descs}).to_string().into_bytes();
    let nested_digest = chainproof_source::image::Digest::sha256_of(&nested);
    files.push((
        format!("blobs/sha256/{}", nested_digest.hex()),
        nested.clone(),
    ));
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json", "digest": nested_digest.to_string(), "size": nested.len(),
        "annotations": {"org.opencontainers.image.ref.name": "m:1"}}]});
    files.push(("index.json".into(), index.to_string().into_bytes()));
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    ));
    pack::write_files(dir, &files).expect("write");
    (
        descs[0]["digest"].as_str().expect("d").into(),
        descs[1]["digest"].as_str().expect("d").into(),
    )
}

#[test]
fn platform_selection_from_nested_index() {
    let dir = tempfile::tempdir().expect("tmp");
    let (amd, arm) = multi_arch(dir.path());
    let target = ImageTarget::OciDir(dir.path().to_path_buf());
    let image = target
        .open(&ImageOptions::default())
        .expect("default linux/amd64");
    assert_eq!(
        image.metadata().manifest_digest.as_deref(),
        Some(amd.as_str())
    );
    assert_eq!(image.squashed().read("arch").expect("file"), b"amd64");
    assert_eq!(image.metadata().repo_tags, ["m:1"]);
    let options = ImageOptions {
        platform: Platform::parse("linux/arm64"),
        ..ImageOptions::default()
    };
    let image = target.open(&options).expect("arm64");
    assert_eq!(
        image.metadata().manifest_digest.as_deref(),
        Some(arm.as_str())
    );
    assert_eq!(image.metadata().architecture.as_deref(), Some("arm64"));
    assert_eq!(image.squashed().read("arch").expect("file"), b"arm64");
    let options = ImageOptions {
        platform: Platform::parse("linux/s390x"),
        ..ImageOptions::default()
    };
    let err = target.open(&options).expect_err("no such platform");
    assert!(matches!(err, ImageError::Platform { .. }));
    assert!(
        err.to_string().contains("linux/amd64, linux/arm64"),
        "{err}"
    );
}

#[test]
fn lying_digests_are_named() {
    // A layer blob whose content does not match its digest.
    let dir = tempfile::tempdir().expect("tmp");
    pack::write_oci_dir(dir.path(), &layers(), Compression::Gzip, "x:1").expect("write");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("index.json")).expect("index"))
            .expect("json");
    let mdigest = index["manifests"][0]["digest"]
        .as_str()
        .expect("digest")
        .to_string();
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("blobs/sha256").join(&mdigest[7..])).expect("m"),
    )
    .expect("json");
    let layer = manifest["layers"][1]["digest"]
        .as_str()
        .expect("layer")
        .to_string();
    let blob = dir.path().join("blobs/sha256").join(&layer[7..]);
    let good = pack::layer_tar(&[("evil", file("swapped"))]).expect("l");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &good).expect("gz");
    std::fs::write(&blob, gz.finish().expect("gz")).expect("swap");
    let err = ImageTarget::OciDir(dir.path().to_path_buf())
        .open(&ImageOptions::default())
        .expect_err("lies");
    assert!(matches!(err, ImageError::Digest { .. }), "{err}");
    assert!(
        err.to_string().contains(&layer[7..]),
        "names the blob: {err}"
    );

    // A config whose diff_ids lie about the uncompressed content (docker-archive).
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("d.tar");
    pack::write_docker_archive(&path, &layers(), "x:1", false).expect("write");
    let mut bytes = std::fs::read(&path).expect("read");
    let needle = b"ID=test\nVERSION_ID=2";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("content");
    bytes[at] = b'X';
    std::fs::write(&path, bytes).expect("write");
    let err = ImageTarget::DockerArchive(path)
        .open(&ImageOptions::default())
        .expect_err("lies");
    assert!(matches!(err, ImageError::Digest { .. }), "{err}");
    assert!(
        err.to_string().contains("diff_id") && err.to_string().contains("layer.tar"),
        "{err}"
    );

    // A manifest that does not match the digest the index gives it.
    let dir = tempfile::tempdir().expect("tmp");
    pack::write_oci_dir(dir.path(), &layers(), Compression::None, "x:1").expect("write");
    let mpath = dir
        .path()
        .join("blobs/sha256")
        .join(&index_manifest(dir.path())[7..]);
    let mut m = std::fs::read(&mpath).expect("m");
    m.push(b' ');
    std::fs::write(&mpath, m).expect("w");
    let err = ImageTarget::OciDir(dir.path().to_path_buf())
        .open(&ImageOptions::default())
        .expect_err("lies");
    assert!(err.to_string().contains("manifest"), "{err}");
}

fn index_manifest(dir: &Path) -> String {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).expect("index"))
            .expect("json");
    index["manifests"][0]["digest"]
        .as_str()
        .expect("digest")
        .to_string()
}

/// `docker save` since Docker 25 writes an OCI layout with a `manifest.json` beside it whose
/// paths are `blobs/sha256/…`: the blob names give the digests to check, the index the
/// manifest digest.
#[test]
fn docker_25_archive_with_oci_layout() {
    let (mut files, digest) =
        pack::oci_layout_files(&layers(), Compression::None, "app:25", ("linux", "amd64"))
            .expect("layout");
    let manifest_path = format!("blobs/sha256/{}", digest.hex());
    let manifest: serde_json::Value = serde_json::from_slice(
        &files
            .iter()
            .find(|(p, _)| *p == manifest_path)
            .expect("manifest")
            .1,
    )
    .expect("json");
    let blob =
        |d: &serde_json::Value| format!("blobs/sha256/{}", &d.as_str().expect("digest")[7..]);
    let docker = serde_json::json!([{
        "Config": blob(&manifest["config"]["digest"]),
        "RepoTags": ["app:25"],
        "Layers": manifest["layers"].as_array().expect("layers").iter().map(|l| blob(&l["digest"])).collect::<Vec<_>>(),
    }]);
    files.push(("manifest.json".into(), docker.to_string().into_bytes()));
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("docker25.tar");
    let mut b = tar::Builder::new(Vec::new());
    for (p, data) in &files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, p, &data[..]).expect("tar");
    }
    std::fs::write(&path, b.into_inner().expect("tar")).expect("write");
    // manifest.json wins over oci-layout: a docker-archive.
    let target = ImageTarget::detect(&path).expect("image");
    assert_eq!(target, ImageTarget::DockerArchive(path.clone()));
    let image = target.open(&ImageOptions::default()).expect("opens");
    assert_eq!(
        image.metadata().manifest_digest.as_deref(),
        Some(digest.as_str())
    );
    assert_eq!(image.metadata().repo_tags, ["app:25"]);
    check_squashed(&image);
    // The same file read as an OCI archive gives the same image.
    let oci = ImageTarget::OciArchive(path)
        .open(&ImageOptions::default())
        .expect("oci");
    assert_eq!(
        oci.metadata().manifest_digest,
        image.metadata().manifest_digest
    );
    let ids = |i: &chainproof_source::Image| -> Vec<(String, String)> {
        i.metadata()
            .layers
            .iter()
            .map(|l| (l.digest.clone(), l.diff_id.clone()))
            .collect()
    };
    assert_eq!(ids(&oci), ids(&image));
}
