//! Images from real tools: trivy's alpine `docker save` (gzip'd) and scalibr's crafted
//! tarballs (symlinks, escapes, overwrites).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chainproof_source::FileResolver;
use chainproof_source::image::{ImageError, ImageOptions, ImageTarget};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/image")
        .join(name)
}

fn open(name: &str) -> chainproof_source::Image {
    let target = ImageTarget::detect(&fixture(name)).expect("an image");
    target.open(&ImageOptions::default()).expect("opens")
}

#[test]
fn alpine_docker_archive_gzip() {
    let path = fixture("trivy/alpine-310.tar.gz");
    assert_eq!(
        ImageTarget::detect(&path),
        Some(ImageTarget::DockerArchive(path.clone()))
    );
    let image = open("trivy/alpine-310.tar.gz");
    let m = image.metadata();
    assert_eq!(m.scheme, "docker-archive");
    assert_eq!(
        m.config_digest,
        "sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e"
    );
    assert_eq!(m.repo_tags, vec!["alpine:3.10".to_string()]);
    assert_eq!(m.os.as_deref(), Some("linux"));
    assert_eq!(m.architecture.as_deref(), Some("amd64"));
    assert_eq!(m.layers.len(), 1);
    // The legacy layout names no manifest; the layer is stored uncompressed, so the blob
    // digest is the diff_id.
    assert_eq!(m.manifest_digest, None);
    assert_eq!(m.layers[0].digest, m.layers[0].diff_id);
    assert_eq!(m.layers[0].uncompressed_size, 5_818_880);
    assert!(image.warnings().is_empty(), "{:?}", image.warnings());

    let fs = image.squashed();
    // 70 regular files in the layer (`tar tvf layer.tar`; syft with
    // file.metadata.selection=all also reports 70 RegularFile, plus 324 symlinks and 88 dirs).
    assert_eq!(fs.files().len(), 70);
    assert!(fs.files().windows(2).all(|w| w[0].path < w[1].path));
    let installed = fs.read_to_string("lib/apk/db/installed").expect("apk db");
    let packages = installed.lines().filter(|l| l.starts_with("P:")).count();
    assert_eq!(
        packages, 14,
        "alpine:3.10 has 14 apk packages (syft finds 14 too)"
    );
    assert!(installed.contains("P:musl\nV:1.1.22-r3"));
    let release = fs.read_to_string("etc/alpine-release").expect("release");
    assert_eq!(release.trim(), "3.10.4");
    // Symlinks resolve inside the image: /bin/sh -> /bin/busybox.
    assert!(fs.exists("bin/sh"));
    assert_eq!(fs.read_prefix("bin/sh", 4).expect("busybox"), b"\x7fELF");
    assert!(
        !fs.files().iter().any(|f| f.path == "bin/sh"),
        "symlinks are not listed as files"
    );
    let layer = fs.layer_of("lib/apk/db/installed").expect("a layer");
    assert_eq!(layer.diff_id, m.layers[0].diff_id);
}

#[test]
fn predicate_limits_what_is_kept() {
    let keep: Arc<chainproof_source::image::KeepFn> =
        Arc::new(|f: &chainproof_source::image::FileInfo<'_>| f.path.ends_with("apk/db/installed"));
    let options = ImageOptions {
        keep: Some(keep),
        ..ImageOptions::default()
    };
    let image = ImageTarget::detect(&fixture("trivy/alpine-310.tar.gz"))
        .expect("image")
        .open(&options)
        .expect("opens");
    let fs = image.squashed();
    assert!(fs.read("lib/apk/db/installed").is_ok());
    let err = fs.read("etc/alpine-release").expect_err("not kept");
    assert!(err.to_string().contains("no cataloger wanted it"), "{err}");
    // The first bytes of every file stay available for magic-number checks.
    assert_eq!(fs.read_prefix("bin/busybox", 4).expect("head"), b"\x7fELF");
    assert_eq!(fs.files().len(), 70);
}

#[test]
fn scalibr_basic_two_layers() {
    let image = open("scalibr/unpack-basic.tar");
    assert_eq!(image.metadata().layers.len(), 2);
    let fs = image.squashed();
    let paths: Vec<&str> = fs.files().iter().map(|f| f.path.as_str()).collect();
    assert!(!paths.is_empty());
    for f in fs.files() {
        assert_eq!(fs.read(&f.path).expect("readable").len() as u64, f.size);
    }
}

#[test]
fn scalibr_overwrite_file() {
    let image = open("scalibr/layerscanning-overwrite-file.tar");
    let fs = image.squashed();
    assert_eq!(fs.files().len(), 1);
    let top = fs.read_to_string("sample.txt").expect("file");
    assert_eq!(top.len(), 29, "the second layer's version wins");
    // The first layer's view still sees its own version.
    let views = image.layer_views();
    assert_eq!(views.len(), 2);
    assert_eq!(views[0].read("sample.txt").expect("lower").len(), 17);
    assert_eq!(
        views[0].layer_of("sample.txt").expect("layer").diff_id,
        image.metadata().layers[0].diff_id
    );
    assert_eq!(
        fs.layer_of("sample.txt").expect("layer").diff_id,
        image.metadata().layers[1].diff_id
    );
}

#[test]
fn scalibr_symlinks_stay_inside() {
    let image = open("scalibr/unpack-symlinks.tar");
    let fs = image.squashed();
    let sample = fs.read("dir1/sample.txt").expect("sample");
    for link in [
        "dir1/absolute-symlink.txt",
        "dir1/chain-symlink.txt",
        "dir1/relative-dot-symlink.txt",
        "dir1/relative-symlink.txt",
        "dir2/dir3/absolute-chain-symlink.txt",
        "dir2/dir3/absolute-subfolder-symlink.txt",
        "dir2/dir3/absolute-symlink-inside-root.txt",
        "dir2/dir3/relative-subfolder-symlink.txt",
    ] {
        assert_eq!(fs.read(link).expect(link), sample, "{link}");
    }
    // `../../secret.txt` and `/../secret.txt` are clamped at the image root: they name
    // `secret.txt` inside the image, which does not exist. Nothing outside is ever opened.
    for attack in [
        "dir1/attack-symlink.txt",
        "dir1/attack-symlink-absolute.txt",
    ] {
        assert!(matches!(
            fs.read(attack),
            Err(chainproof_source::SourceError::NotFound { .. })
        ));
    }
}

#[test]
fn scalibr_symlink_attack_and_cycle() {
    let fs = open("scalibr/layerscanning-symlink-attack.tar").squashed();
    assert!(fs.read("dir1/attack-symlink.txt").is_err());
    assert!(fs.files().is_empty());

    let fs = open("scalibr/layerscanning-symlink-cycle.tar").squashed();
    let err = fs.read("dir1/sample.txt").expect_err("cycle");
    assert!(
        err.to_string()
            .contains("too many levels of symbolic links"),
        "{err}"
    );
    assert!(!fs.exists("dir1/chain-symlink.txt"));

    // Seven links deep is fine under the Linux-like limit of 40.
    let fs = open("scalibr/layerscanning-symlink-depth-exceeded.tar").squashed();
    assert_eq!(
        fs.read_to_string("dir1/symlink7.txt").expect("deep").len(),
        12
    );
}

#[test]
fn scalibr_all_fixtures_open_or_fail_cleanly() {
    let dir = fixture("scalibr");
    let mut opened = 0;
    for e in std::fs::read_dir(&dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.extension().is_none_or(|x| x != "tar") {
            continue;
        }
        match ImageTarget::detect(&p) {
            Some(t) => {
                let image = t
                    .open(&ImageOptions::default())
                    .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                let fs = image.squashed();
                for f in fs.files() {
                    assert!(!f.path.starts_with('/') && !f.path.split('/').any(|s| s == ".."));
                }
                opened += 1;
            }
            None => {
                // `empty.tar` (no members) and `escape.tar` (a bare layer) are not images.
                let name = p.file_name().expect("name").to_string_lossy().into_owned();
                assert!(name.contains("empty") || name.contains("escape"), "{name}");
            }
        }
    }
    assert_eq!(opened, 14);
}

#[test]
fn wrong_prefixed_kind_is_a_clear_error() {
    let t = ImageTarget::parse(&format!(
        "oci-archive:{}",
        fixture("scalibr/unpack-basic.tar").display()
    ))
    .expect("spec");
    let err = t.open(&ImageOptions::default()).expect_err("not OCI");
    assert!(matches!(err, ImageError::Format { .. }));
    assert!(err.to_string().contains("oci-layout"), "{err}");
}

/// Every regular file under `dir`, recursively, with its size (a snapshot to prove that
/// reading images writes nothing).
fn tree(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            let meta = e.metadata().expect("metadata");
            if meta.is_dir() {
                stack.push(p);
            } else {
                out.push((p, meta.len()));
            }
        }
    }
    out.sort();
    out
}

/// The corpus tier: every crafted tarball in `../shared/corpus/images/image-tarballs` and
/// the docker-archive in `images/docker-archive` is byte-identical to a fixture the tests
/// above check in detail, and each one opens with every path inside the image or fails
/// with an [`ImageError`] — never a panic — while nothing is written anywhere (the corpus
/// tree and the current directory are unchanged).
#[test]
fn corpus_image_tarballs() {
    let corpus = std::env::var_os("CHAINPROOF_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    let images = corpus.join("images");
    if !images.join("image-tarballs").is_dir() {
        eprintln!("SKIPPED: corpus not found at {}", corpus.display());
        return;
    }
    let fixtures: Vec<Vec<u8>> = tree(&fixture(""))
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains(".tar"))
        .map(|(p, _)| std::fs::read(p).expect("fixture"))
        .collect();
    let cwd = std::env::current_dir().expect("cwd");
    let before = (tree(&images), tree(&cwd));
    let mut seen = 0;
    for (p, _) in &before.0 {
        let name = p.to_string_lossy();
        if !(name.ends_with(".tar") || name.ends_with(".tar.gz")) {
            continue;
        }
        seen += 1;
        let bytes = std::fs::read(p).expect("tarball");
        assert!(fixtures.contains(&bytes), "{name} has no fixture copy");
        match ImageTarget::detect(p) {
            Some(t) => match t.open(&ImageOptions::default()) {
                Ok(image) => {
                    for f in image.squashed().files() {
                        assert!(
                            !f.path.starts_with('/') && !f.path.split('/').any(|s| s == ".."),
                            "{name}: {}",
                            f.path
                        );
                    }
                }
                Err(e) => assert!(!e.to_string().is_empty(), "{name}"),
            },
            None => {
                // Not an image: an empty tar, or a bare layer (`escape.tar`, wrapped into
                // an image by image_hostile.rs).
                assert!(name.contains("empty") || name.contains("escape"), "{name}");
            }
        }
    }
    assert_eq!(seen, 18, "17 scalibr tarballs and trivy's alpine archive");
    assert_eq!((tree(&images), tree(&cwd)), before, "something was written");
}
