//! Hostile images: traversal names, link escapes, lying sizes, bombs, entry floods. Each is
//! rejected or bounded with a clear error, and nothing is ever written.

use std::io::{self, Read, Write};
use std::path::Path;

use chainproof_source::FileResolver;
use chainproof_source::image::pack::{self, Blob, Compression, PackEntry};
use chainproof_source::image::{Digest, ImageError, ImageLimits, ImageOptions, ImageTarget};

fn file(s: &str) -> PackEntry {
    PackEntry::File(s.as_bytes().to_vec())
}

/// Everything below `dir` (to show a read wrote nothing).
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir") {
        let p = e.expect("entry").path();
        out.push(p.display().to_string());
        if p.is_dir() {
            out.extend(listing(&p));
        }
    }
    out.sort();
    out
}

fn oci_dir_with(dir: &Path, blobs: &[Blob]) -> ImageTarget {
    let (files, _) = pack::oci_layout_from_blobs(blobs, "hostile:1", ("linux", "amd64"));
    pack::write_files(dir, &files).expect("write");
    ImageTarget::OciDir(dir.to_path_buf())
}

fn open_with(
    target: &ImageTarget,
    limits: ImageLimits,
) -> Result<chainproof_source::Image, ImageError> {
    target.open(&ImageOptions {
        limits,
        ..ImageOptions::default()
    })
}

/// A gzip'd layer of `files` entries written straight into the compressor.
fn streamed_layer(
    level: u32,
    write: impl FnOnce(&mut tar::Builder<Tee>) -> io::Result<()>,
) -> Blob {
    let mut b = tar::Builder::new(Tee::new(level));
    write(&mut b).expect("tar");
    let tee = b.into_inner().expect("finish");
    Blob {
        diff_id: tee.digest(),
        data: tee.gz.finish().expect("gzip"),
        media_type: "application/vnd.oci.image.layer.v1.tar+gzip".into(),
    }
}

/// Gzips and hashes what is written, without keeping the uncompressed bytes.
struct Tee {
    gz: flate2::write::GzEncoder<Vec<u8>>,
    hash: aws_lc_rs::digest::Context,
}

impl Tee {
    fn new(level: u32) -> Self {
        Tee {
            gz: flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level)),
            hash: aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256),
        }
    }
}

impl Tee {
    fn digest(&self) -> Digest {
        let d = self.hash.clone().finish();
        let hex: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        Digest::parse(&format!("sha256:{hex}")).expect("digest")
    }
}

impl Write for Tee {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.hash.update(buf);
        self.gz.write_all(buf)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.gz.flush()
    }
}

#[test]
fn traversal_and_absolute_names_stay_inside() {
    let dir = tempfile::tempdir().expect("tmp");
    let layer = pack::layer_tar(&[
        ("../../../../tmp/chainproof-escape", file("x")),
        ("/etc/absolute", file("abs")),
        ("a/../../b", file("b")),
        ("./c/./d", file("d")),
    ])
    .expect("layer");
    let target = oci_dir_with(
        dir.path(),
        &[Blob::compress(&layer, Compression::Gzip).expect("blob")],
    );
    let before = listing(dir.path());
    let fs = open_with(&target, ImageLimits::default())
        .expect("opens")
        .squashed();
    let paths: Vec<&str> = fs.files().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["b", "c/d", "etc/absolute", "tmp/chainproof-escape"]);
    assert_eq!(fs.read("etc/absolute").expect("inside"), b"abs");
    assert_eq!(listing(dir.path()), before, "reading wrote nothing");
    assert!(!Path::new("/tmp/chainproof-escape").exists());
}

#[test]
fn link_escapes_are_contained() {
    // scalibr's escape.tar: a symlink trampoline meant to reach /tmp on the host.
    let escape = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/image/scalibr/unpack-escape.tar"),
    )
    .expect("fixture");
    let more = pack::layer_tar(&[
        (
            "etc/passwd-link",
            PackEntry::Hardlink("../../../etc/passwd".into()),
        ),
        ("root-link", PackEntry::Symlink("/../../../../".into())),
        ("loop", PackEntry::Symlink("loop".into())),
    ])
    .expect("layer");
    let dir = tempfile::tempdir().expect("tmp");
    let target = oci_dir_with(
        dir.path(),
        &[
            Blob::compress(&escape, Compression::None).expect("b"),
            Blob::compress(&more, Compression::None).expect("b"),
        ],
    );
    let image = open_with(&target, ImageLimits::default()).expect("opens");
    let fs = image.squashed();
    // `/escape` became a symlink, so the file written below it is gone; the links resolve to
    // paths inside the image that do not exist.
    assert!(fs.files().is_empty(), "{:?}", fs.files());
    for p in [
        "usr/share/doc/a/copyright",
        "usr/share/doc/b/copyright",
        "usr/share/doc/c/copyright",
        "escape/poc.txt",
    ] {
        assert!(fs.read(p).is_err(), "{p}");
    }
    // The host's /etc/passwd is never read: the hard link names a missing image path.
    assert!(fs.read("etc/passwd-link").is_err());
    assert!(
        image
            .warnings()
            .iter()
            .any(|w| w.contains("hard link to missing `etc/passwd`")),
        "{:?}",
        image.warnings()
    );
    assert!(!fs.exists("root-link/etc/passwd"));
    let err = fs.read("loop").expect_err("loop");
    assert!(err.to_string().contains("too many levels"), "{err}");
}

#[test]
fn declared_ten_gigabytes() {
    let layer = pack::layer_tar(&[(
        "huge",
        PackEntry::LyingFile {
            declared: 10 << 30,
            data: vec![0; 512],
        },
    )])
    .expect("l");
    let dir = tempfile::tempdir().expect("tmp");
    let target = oci_dir_with(
        dir.path(),
        &[Blob::compress(&layer, Compression::Gzip).expect("b")],
    );
    // Default caps: the file is over the per-file cap (not read into memory), and the
    // stream ends long before 10 GB: a clear truncation error, quickly.
    let started = std::time::Instant::now();
    let err = open_with(&target, ImageLimits::default()).expect_err("truncated");
    assert!(started.elapsed().as_secs() < 20);
    assert!(matches!(err, ImageError::Format { .. }), "{err}");
    assert!(err.to_string().contains("corrupt layer"), "{err}");
    // A per-layer cap below the declared size rejects the header before reading anything.
    let limits = ImageLimits {
        max_layer_size: 1 << 30,
        ..ImageLimits::default()
    };
    let err = open_with(&target, limits).expect_err("over the cap");
    assert!(
        err.to_string().contains("huge: declares 10737418240 bytes"),
        "{err}"
    );
}

#[test]
fn gzip_bomb_is_capped() {
    const SIZE: u64 = 64 << 20;
    // 256 files of 1 MiB of zeros: every header is plausible, the total is not.
    let zeros = |prefix: &'static str, count: u64| {
        streamed_layer(9, move |b| {
            for i in 0..count {
                let mut h = tar::Header::new_gnu();
                h.set_size(1 << 20);
                h.set_mode(0o644);
                b.append_data(&mut h, format!("{prefix}{i}"), io::repeat(0).take(1 << 20))?;
            }
            Ok(())
        })
    };
    let bomb = zeros("zeros", SIZE >> 20);
    assert!(
        bomb.data.len() < 1 << 20,
        "a bomb: {} bytes compressed",
        bomb.data.len()
    );
    let dir = tempfile::tempdir().expect("tmp");
    let target = oci_dir_with(dir.path(), std::slice::from_ref(&bomb));
    let limits = ImageLimits {
        max_layer_size: 16 << 20,
        max_memory: 1 << 20,
        ..ImageLimits::default()
    };
    let err = open_with(&target, limits).expect_err("bomb");
    assert!(
        matches!(err, ImageError::Limit { what: "uncompressed bytes of one layer", limit, .. } if limit == 16 << 20),
        "{err}"
    );
    // Two layers of the same bomb pass the per-layer cap but not the image cap.
    let dir = tempfile::tempdir().expect("tmp");
    let small = zeros("a", SIZE >> 21);
    let other = zeros("b", SIZE >> 21);
    let target = oci_dir_with(dir.path(), &[small, other]);
    let limits = ImageLimits {
        max_layer_size: SIZE / 2 + (1 << 20),
        max_image_size: SIZE - (1 << 20),
        max_memory: 1 << 20,
        ..ImageLimits::default()
    };
    let err = open_with(&target, limits).expect_err("image cap");
    assert!(
        err.to_string().contains("uncompressed bytes of all layers"),
        "{err}"
    );
    // Within the caps, the zero file is listed but its content over the memory cap is skipped
    // with a warning rather than held.
    let dir = tempfile::tempdir().expect("tmp");
    let target = oci_dir_with(dir.path(), &[bomb]);
    let limits = ImageLimits {
        max_memory: 1 << 20,
        ..ImageLimits::default()
    };
    let image = open_with(&target, limits).expect("bounded");
    let fs = image.squashed();
    assert_eq!(fs.files().len() as u64, SIZE >> 20);
    assert_eq!(fs.files().iter().map(|f| f.size).sum::<u64>(), SIZE);
    // The first file fits the 1 MiB memory cap, the other 63 are skipped with a warning.
    assert_eq!(image.warnings().len(), 63, "{:?}", &image.warnings()[..3]);
    assert!(
        image.warnings()[0].contains("memory cap"),
        "{}",
        image.warnings()[0]
    );
    assert_eq!(fs.read("zeros0").expect("kept").len(), 1 << 20);
    assert!(fs.read("zeros1").is_err());
}

#[test]
fn hundred_thousand_tiny_files() {
    const N: u64 = 100_000;
    let t0 = std::time::Instant::now();
    let layer = streamed_layer(1, |b| {
        for i in 0..N {
            let mut h = tar::Header::new_gnu();
            h.set_size(1);
            h.set_mode(0o644);
            b.append_data(&mut h, format!("d{}/f{i}", i % 100), &b"x"[..])?;
        }
        Ok(())
    });
    eprintln!("built in {:?}", t0.elapsed());
    let dir = tempfile::tempdir().expect("tmp");
    let target = oci_dir_with(dir.path(), &[layer]);
    let limits = ImageLimits {
        max_entries: 50_000,
        ..ImageLimits::default()
    };
    let err = open_with(&target, limits).expect_err("too many entries");
    assert!(
        matches!(
            err,
            ImageError::Limit {
                what: "tar entries in all layers",
                limit: 50_000,
                ..
            }
        ),
        "{err}"
    );
    // Under the default cap (4 million) they are indexed; only wanted content is kept.
    let keep: std::sync::Arc<chainproof_source::image::KeepFn> =
        std::sync::Arc::new(|f: &chainproof_source::image::FileInfo<'_>| f.path == "d7/f7");
    let image = target
        .open(&ImageOptions {
            keep: Some(keep),
            ..ImageOptions::default()
        })
        .expect("opens");
    eprintln!("opened in {:?}", t0.elapsed());
    let fs = image.squashed();
    eprintln!("squashed in {:?}", t0.elapsed());
    assert_eq!(fs.files().len() as u64, N);
    assert_eq!(fs.read("d7/f7").expect("kept"), b"x");
    assert!(fs.read("d7/f107").is_err());
}

#[test]
fn docker_manifest_pointing_outside() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("d.tar");
    let mut b = tar::Builder::new(Vec::new());
    let manifest =
        br#"[{"Config":"../../../etc/passwd","RepoTags":["x:1"],"Layers":["/etc/shadow"]}]"#;
    let mut h = tar::Header::new_gnu();
    h.set_size(manifest.len() as u64);
    h.set_mode(0o644);
    b.append_data(&mut h, "manifest.json", &manifest[..])
        .expect("tar");
    std::fs::write(&path, b.into_inner().expect("tar")).expect("write");
    let err = ImageTarget::detect(&path)
        .expect("docker-archive")
        .open(&ImageOptions::default())
        .expect_err("outside");
    assert!(
        err.to_string().contains("missing from the archive"),
        "{err}"
    );
}

#[test]
fn garbage_is_not_an_image() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("x.tar");
    std::fs::write(&p, vec![0x1f, 0x8b, 0, 1, 2, 3]).expect("write");
    assert_eq!(ImageTarget::detect(&p), None);
    let err = ImageTarget::DockerArchive(p)
        .open(&ImageOptions::default())
        .expect_err("garbage");
    assert!(
        matches!(err, ImageError::Io { .. } | ImageError::Format { .. }),
        "{err}"
    );
    std::fs::write(dir.path().join("oci-layout"), "{}").expect("write");
    let err = ImageTarget::OciDir(dir.path().to_path_buf())
        .open(&ImageOptions::default())
        .expect_err("no index");
    assert!(err.to_string().contains("index.json"), "{err}");
}

#[test]
fn corrupted_layers_never_panic() {
    let layer = pack::layer_tar(&[
        ("a/b", file("hello")),
        ("a/link", PackEntry::Symlink("../a/b".into())),
        ("a/hard", PackEntry::Hardlink("a/b".into())),
        ("c", PackEntry::Whiteout),
        ("a", PackEntry::Opaque),
    ])
    .expect("layer");
    let gz = Blob::compress(&layer, Compression::Gzip).expect("gz").data;
    let zst = Blob::compress(&layer, Compression::Zstd)
        .expect("zstd")
        .data;
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let options = ImageOptions::default();
    let mut ok = 0;
    for base in [&layer, &gz, &zst] {
        for _ in 0..300 {
            let mut data = base.clone();
            for _ in 0..1 + next() % 4 {
                let i = (next() % data.len() as u64) as usize;
                data[i] = next() as u8;
            }
            if next() % 5 == 0 {
                data.truncate((next() % data.len() as u64) as usize);
            }
            if let Ok(image) = chainproof_source::Image::from_layers(&[&data, &layer], &options) {
                ok += 1;
                for view in image.layer_views() {
                    for f in view.files() {
                        let _ = view.read(&f.path);
                    }
                }
            }
        }
    }
    // Some mutations (in file content, padding) still read; the rest are clean errors.
    assert!(ok > 0 && ok < 900, "{ok}");
}
