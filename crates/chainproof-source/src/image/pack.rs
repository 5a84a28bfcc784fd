//! Writes images (feature `pack`): a directory tree or a list of entries becomes a layer;
//! layers become a docker-archive, an OCI layout directory or an OCI archive. Used by tests
//! (and to package a debootstrap'd root filesystem); deterministic (fixed mtimes, sorted).

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use super::digest::Digest;

/// One entry of a layer.
#[derive(Debug, Clone)]
pub enum PackEntry {
    File(Vec<u8>),
    /// A file whose header declares `declared` bytes while `data` follows (for hostile tests).
    LyingFile {
        declared: u64,
        data: Vec<u8>,
    },
    Dir,
    Symlink(String),
    Hardlink(String),
    /// `.wh.NAME` for the entry's path.
    Whiteout,
    /// `.wh..wh..opq` inside the entry's path (a directory).
    Opaque,
}

/// How layer blobs are compressed in an OCI layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

fn header(path: &str, kind: tar::EntryType, size: u64, mode: u32) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(mode);
    h.set_mtime(1_700_000_000);
    h.set_uid(0);
    h.set_gid(0);
    // Long names go through GNU long-name entries written by `append_data`.
    let _ = path;
    h
}

/// A layer tar from a list of entries (paths relative, `/`-separated; written as given, so
/// hostile names like `../x` or `/etc/x` can be produced).
pub fn layer_tar(entries: &[(&str, PackEntry)]) -> io::Result<Vec<u8>> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, e) in entries {
        match e {
            PackEntry::File(data) => {
                let mut h = header(path, tar::EntryType::Regular, data.len() as u64, 0o644);
                append_raw_name(&mut b, &mut h, path, &data[..])?;
            }
            PackEntry::LyingFile { declared, data } => {
                let mut h = header(path, tar::EntryType::Regular, *declared, 0o644);
                set_name(&mut h, path)?;
                h.set_cksum();
                let out = b.get_mut();
                out.extend_from_slice(h.as_bytes());
                out.extend_from_slice(data);
            }
            PackEntry::Dir => {
                let mut h = header(path, tar::EntryType::Directory, 0, 0o755);
                append_raw_name(
                    &mut b,
                    &mut h,
                    &format!("{}/", path.trim_end_matches('/')),
                    io::empty(),
                )?;
            }
            PackEntry::Symlink(target) | PackEntry::Hardlink(target) => {
                let kind = if matches!(e, PackEntry::Symlink(_)) {
                    tar::EntryType::Symlink
                } else {
                    tar::EntryType::Link
                };
                let mut h = header(path, kind, 0, 0o777);
                set_name(&mut h, path)?;
                h.set_link_name_literal(target)?;
                h.set_cksum();
                b.append(&h, io::empty())?;
            }
            PackEntry::Whiteout => {
                let (dir, name) = path.rsplit_once('/').map_or(("", *path), |(d, n)| (d, n));
                let wh = if dir.is_empty() {
                    format!(".wh.{name}")
                } else {
                    format!("{dir}/.wh.{name}")
                };
                let mut h = header(&wh, tar::EntryType::Regular, 0, 0o644);
                append_raw_name(&mut b, &mut h, &wh, io::empty())?;
            }
            PackEntry::Opaque => {
                let wh = format!("{}/.wh..wh..opq", path.trim_end_matches('/'));
                let mut h = header(&wh, tar::EntryType::Regular, 0, 0o644);
                append_raw_name(&mut b, &mut h, &wh, io::empty())?;
            }
        }
    }
    b.into_inner()
}

/// Writes the name bytes verbatim (the tar crate refuses `..` and absolute paths, which
/// hostile-input tests need).
fn set_name(h: &mut tar::Header, path: &str) -> io::Result<()> {
    let bytes = path.as_bytes();
    let gnu = h
        .as_gnu_mut()
        .ok_or_else(|| io::Error::other("GNU header expected"))?;
    if bytes.len() > gnu.name.len() {
        return Err(io::Error::other(format!(
            "name too long for a raw header: {path}"
        )));
    }
    gnu.name = [0; 100];
    gnu.name[..bytes.len()].copy_from_slice(bytes);
    Ok(())
}

fn append_raw_name(
    b: &mut tar::Builder<Vec<u8>>,
    h: &mut tar::Header,
    path: &str,
    data: impl io::Read,
) -> io::Result<()> {
    if path.len() <= 100 {
        set_name(h, path)?;
        h.set_cksum();
        b.append(h, data)
    } else {
        b.append_data(h, path, data)
    }
}

/// A layer tar of a directory tree (regular files, directories, symlinks; sorted; devices,
/// sockets and FIFOs left out). File contents are streamed from disk into the tar.
pub fn layer_from_dir(root: &Path) -> io::Result<Vec<u8>> {
    let mut entries: Vec<(String, Kind)> = Vec::new();
    walk(root, "", &mut entries)?;
    let mut b = tar::Builder::new(Vec::new());
    for (path, kind) in entries {
        match kind {
            Kind::Dir => {
                let mut h = header(&path, tar::EntryType::Directory, 0, 0o755);
                b.append_data(&mut h, format!("{path}/"), io::empty())?;
            }
            Kind::Symlink(target) => {
                let mut h = header(&path, tar::EntryType::Symlink, 0, 0o777);
                b.append_link(&mut h, &path, &target)?;
            }
            Kind::File(full) => {
                let f = fs::File::open(&full)?;
                let len = f.metadata()?.len();
                let mut h = header(&path, tar::EntryType::Regular, len, 0o644);
                b.append_data(&mut h, &path, f.take(len))?;
            }
        }
    }
    b.into_inner()
}

enum Kind {
    Dir,
    Symlink(std::path::PathBuf),
    File(std::path::PathBuf),
}

fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, Kind)>) -> io::Result<()> {
    let mut items: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    items.sort_by_key(|e| e.file_name());
    for item in items {
        let name = item.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let ft = item.file_type()?;
        if ft.is_symlink() {
            out.push((path, Kind::Symlink(fs::read_link(item.path())?)));
        } else if ft.is_dir() {
            out.push((path.clone(), Kind::Dir));
            walk(&item.path(), &path, out)?;
        } else if ft.is_file() {
            out.push((path, Kind::File(item.path())));
        }
    }
    Ok(())
}

fn compress(data: &[u8], c: Compression) -> io::Result<Vec<u8>> {
    match c {
        Compression::None => Ok(data.to_vec()),
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data)?;
            e.finish()
        }
        Compression::Zstd => zstd::stream::encode_all(data, 1),
    }
}

fn config_json(layers: &[Vec<u8>], os: &str, arch: &str) -> Vec<u8> {
    let diff_ids: Vec<String> = layers
        .iter()
        .map(|l| Digest::sha256_of(l).to_string())
        .collect();
    serde_json::json!({
        "architecture": arch,
        "os": os,
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    })
    .to_string()
    .into_bytes()
}

/// Writes a legacy `docker save` tarball (`<id>/layer.tar`, `<config-hex>.json`,
/// `manifest.json`), gzip'd as a whole when `gzip`.
pub fn write_docker_archive(
    out: &Path,
    layers: &[Vec<u8>],
    tag: &str,
    gzip: bool,
) -> io::Result<()> {
    let config = config_json(layers, "linux", "amd64");
    let config_name = format!("{}.json", Digest::sha256_of(&config).hex());
    let mut b = tar::Builder::new(Vec::new());
    let mut layer_names = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let name = format!("{:064x}/layer.tar", i + 1);
        add(&mut b, &name, l)?;
        layer_names.push(name);
    }
    add(&mut b, &config_name, &config)?;
    let manifest =
        serde_json::json!([{"Config": config_name, "RepoTags": [tag], "Layers": layer_names}]);
    add(&mut b, "manifest.json", manifest.to_string().as_bytes())?;
    let tar = b.into_inner()?;
    let bytes = if gzip {
        compress(&tar, Compression::Gzip)?
    } else {
        tar
    };
    fs::write(out, bytes)
}

fn add(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) -> io::Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_mtime(1_700_000_000);
    b.append_data(&mut h, name, data)
}

/// The files of an OCI layout: (relative path, content).
pub type LayoutFiles = Vec<(String, Vec<u8>)>;

/// A layer blob as stored, with the digest of its uncompressed tar.
#[derive(Debug, Clone)]
pub struct Blob {
    pub data: Vec<u8>,
    pub diff_id: Digest,
    pub media_type: String,
}

impl Blob {
    /// Compresses an uncompressed layer tar.
    pub fn compress(layer: &[u8], compression: Compression) -> io::Result<Blob> {
        let media_type = match compression {
            Compression::None => "application/vnd.oci.image.layer.v1.tar",
            Compression::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
            Compression::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        };
        Ok(Blob {
            data: compress(layer, compression)?,
            diff_id: Digest::sha256_of(layer),
            media_type: media_type.into(),
        })
    }
}

/// The files of an OCI layout: (relative path, content); returns them and the manifest digest.
pub fn oci_layout_files(
    layers: &[Vec<u8>],
    compression: Compression,
    tag: &str,
    platform: (&str, &str),
) -> io::Result<(LayoutFiles, Digest)> {
    let blobs = layers
        .iter()
        .map(|l| Blob::compress(l, compression))
        .collect::<io::Result<Vec<_>>>()?;
    Ok(oci_layout_from_blobs(&blobs, tag, platform))
}

/// [`oci_layout_files`] from ready blobs (e.g. a gzip stream written by a test).
pub fn oci_layout_from_blobs(
    blobs: &[Blob],
    tag: &str,
    (os, arch): (&str, &str),
) -> (LayoutFiles, Digest) {
    let mut files = Vec::new();
    let diff_ids: Vec<String> = blobs.iter().map(|b| b.diff_id.to_string()).collect();
    let config = serde_json::json!({
        "architecture": arch,
        "os": os,
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    })
    .to_string()
    .into_bytes();
    let config_digest = Digest::sha256_of(&config);
    let mut descs = Vec::new();
    for b in blobs {
        let d = Digest::sha256_of(&b.data);
        descs.push(serde_json::json!({"mediaType": b.media_type, "digest": d.to_string(), "size": b.data.len()}));
        files.push((format!("blobs/sha256/{}", d.hex()), b.data.clone()));
    }
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest.to_string(), "size": config.len()},
        "layers": descs,
    })
    .to_string()
    .into_bytes();
    let manifest_digest = Digest::sha256_of(&manifest);
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest.to_string(),
            "size": manifest.len(),
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }],
    });
    files.push((format!("blobs/sha256/{}", config_digest.hex()), config));
    files.push((format!("blobs/sha256/{}", manifest_digest.hex()), manifest));
    files.push(("index.json".into(), index.to_string().into_bytes()));
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    ));
    (files, manifest_digest)
}

/// Writes an OCI image layout directory; returns the manifest digest.
pub fn write_oci_dir(
    dir: &Path,
    layers: &[Vec<u8>],
    compression: Compression,
    tag: &str,
) -> io::Result<Digest> {
    let (files, digest) = oci_layout_files(layers, compression, tag, ("linux", "amd64"))?;
    write_files(dir, &files)?;
    Ok(digest)
}

/// Writes `files` (relative paths) under `dir`.
pub fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    for (p, data) in files {
        let path = dir.join(p);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, data)?;
    }
    Ok(())
}

/// Writes an OCI image layout as a tar file; returns the manifest digest.
pub fn write_oci_archive(
    out: &Path,
    layers: &[Vec<u8>],
    compression: Compression,
    tag: &str,
) -> io::Result<Digest> {
    let (files, digest) = oci_layout_files(layers, compression, tag, ("linux", "amd64"))?;
    let mut b = tar::Builder::new(Vec::new());
    for (p, data) in &files {
        add(&mut b, p, data)?;
    }
    fs::write(out, b.into_inner()?)?;
    Ok(digest)
}
