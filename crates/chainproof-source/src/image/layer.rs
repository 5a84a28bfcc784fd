//! One layer, streamed once: its tar entries become an in-memory list (paths, kinds, sizes,
//! and the content of the files the caller wants), while its digests are computed and the
//! caps enforced.

use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use super::digest::{Digest, MeteredReader};
use super::{FileInfo, ImageError, ImageLimits, KeepFn};

/// How many leading bytes of every file are kept (magic numbers for `read_prefix`).
pub(crate) const HEAD_LEN: usize = 16;

/// A regular file of a layer.
#[derive(Debug)]
pub(crate) struct FileData {
    pub size: u64,
    /// The content, when the caller's predicate wanted it and it fitted the caps.
    pub content: Option<Arc<[u8]>>,
    /// Why the content is not available (when it is not).
    pub skipped: Option<&'static str>,
    pub head: [u8; HEAD_LEN],
    pub head_len: u8,
}

impl FileData {
    pub fn head(&self) -> &[u8] {
        &self.head[..usize::from(self.head_len)]
    }
}

#[derive(Debug, Clone)]
pub(crate) enum EntryKind {
    File(Arc<FileData>),
    Dir,
    Symlink(String),
    /// A hard link to an earlier path (normalized).
    Hardlink(String),
    /// Devices, FIFOs: present (they hide lower files) but not readable.
    Other,
    /// `.wh.NAME`: the path is deleted from lower layers.
    Whiteout,
    /// `.wh..wh..opq`: the directory's content from lower layers is hidden.
    Opaque,
}

#[derive(Debug, Clone)]
pub(crate) struct LayerEntry {
    pub path: String,
    pub kind: EntryKind,
}

/// What one layer holds, and what its bytes hashed to.
#[derive(Debug)]
pub(crate) struct LayerData {
    pub entries: Vec<LayerEntry>,
    /// Digest and size of the blob as stored (compressed or not).
    pub blob_digest: Digest,
    pub blob_size: u64,
    /// Digest and size of the uncompressed tar (the config's `diff_id`).
    pub diff_id: Digest,
    pub size: u64,
    /// Files whose content was wanted but not kept, with the reason.
    pub skipped: Vec<String>,
}

/// Budgets shared by all layers of an image.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    pub entries: u64,
    pub memory: u64,
    pub bytes: u64,
}

/// Normalizes a path inside the image root: leading `/` and `./` dropped, `..` never goes
/// above the root (as in a chroot), `.` and empty segments removed.
pub(crate) fn normalize(raw: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in raw.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Streams one layer blob.
pub(crate) fn read_layer(
    raw: &mut dyn Read,
    name: &str,
    limits: &ImageLimits,
    keep: Option<&KeepFn>,
    budget: &mut Budget,
) -> Result<LayerData, ImageError> {
    let raw = MeteredReader::new(raw, u64::MAX);
    let mut buffered = BufReader::with_capacity(64 * 1024, raw.clone());
    let magic = buffered
        .fill_buf()
        .map_err(|e| ImageError::format(name, format!("cannot read: {e}")))?;
    let decoded: Box<dyn Read + '_> = if super::container::is_gzip(magic) {
        Box::new(flate2::read::MultiGzDecoder::new(buffered))
    } else if super::container::is_zstd(magic) {
        Box::new(
            zstd::stream::read::Decoder::with_buffer(buffered)
                .map_err(|e| ImageError::format(name, format!("zstd: {e}")))?,
        )
    } else {
        Box::new(buffered)
    };
    let layer_cap = limits
        .max_layer_size
        .min(limits.max_image_size.saturating_sub(budget.bytes));
    let plain = MeteredReader::new(decoded, layer_cap);
    let mut skipped = Vec::new();
    let mut entries = Vec::new();
    let result = walk_tar(
        plain.clone(),
        name,
        limits,
        keep,
        budget,
        &mut entries,
        &mut skipped,
    )
    .and_then(|()| {
        plain
            .drain()
            .map_err(|e| ImageError::format(name, format!("corrupt layer: {e}")))
    });
    if plain.exceeded() {
        let what = if layer_cap < limits.max_layer_size {
            "uncompressed bytes of all layers"
        } else {
            "uncompressed bytes of one layer"
        };
        return Err(ImageError::limit(name, what, layer_cap));
    }
    result?;
    raw.drain()
        .map_err(|e| ImageError::format(name, format!("cannot read: {e}")))?;
    budget.bytes += plain.count();
    Ok(LayerData {
        entries,
        blob_digest: raw.finish(),
        blob_size: raw.count(),
        diff_id: plain.finish(),
        size: plain.count(),
        skipped,
    })
}

fn walk_tar(
    plain: impl Read,
    name: &str,
    limits: &ImageLimits,
    keep: Option<&KeepFn>,
    budget: &mut Budget,
    out: &mut Vec<LayerEntry>,
    skipped: &mut Vec<String>,
) -> Result<(), ImageError> {
    let corrupt = |e: std::io::Error| ImageError::format(name, format!("corrupt layer tar: {e}"));
    let mut archive = tar::Archive::new(plain);
    for entry in archive.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        budget.entries += 1;
        if budget.entries > limits.max_entries {
            return Err(ImageError::limit(
                name,
                "tar entries in all layers",
                limits.max_entries,
            ));
        }
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if raw_path.len() > limits.max_path_len {
            return Err(ImageError::limit(
                name,
                "bytes of an entry path",
                limits.max_path_len as u64,
            ));
        }
        let path = normalize(&raw_path);
        if path.is_empty() {
            continue;
        }
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
        if let Some(hidden) = file.strip_prefix(".wh.") {
            if hidden == ".wh..opq" {
                out.push(LayerEntry {
                    path: dir.to_string(),
                    kind: EntryKind::Opaque,
                });
            } else if !hidden.starts_with(".wh.") && !hidden.is_empty() {
                let target = if dir.is_empty() {
                    hidden.to_string()
                } else {
                    format!("{dir}/{hidden}")
                };
                out.push(LayerEntry {
                    path: target,
                    kind: EntryKind::Whiteout,
                });
            }
            continue;
        }
        let link = || {
            entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        };
        let kind = match entry.header().entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                let size = entry.size();
                if size > limits.max_layer_size {
                    return Err(ImageError::format(
                        name,
                        format!(
                            "{path}: declares {size} bytes, over the per-layer cap of {} bytes",
                            limits.max_layer_size
                        ),
                    ));
                }
                EntryKind::File(Arc::new(
                    read_file(&mut entry, &path, size, limits, keep, budget, skipped)
                        .map_err(corrupt)?,
                ))
            }
            tar::EntryType::Directory => EntryKind::Dir,
            tar::EntryType::Symlink => EntryKind::Symlink(link()),
            tar::EntryType::Link => EntryKind::Hardlink(normalize(&link())),
            tar::EntryType::Char | tar::EntryType::Block | tar::EntryType::Fifo => EntryKind::Other,
            _ => continue,
        };
        out.push(LayerEntry { path, kind });
    }
    Ok(())
}

fn read_file(
    entry: &mut impl Read,
    path: &str,
    size: u64,
    limits: &ImageLimits,
    keep: Option<&KeepFn>,
    budget: &mut Budget,
    skipped: &mut Vec<String>,
) -> std::io::Result<FileData> {
    let mut head = [0u8; HEAD_LEN];
    let want = usize::try_from(size.min(HEAD_LEN as u64)).expect("at most HEAD_LEN");
    entry.read_exact(&mut head[..want])?;
    let info = FileInfo {
        path,
        size,
        head: &head[..want],
    };
    let mut data = FileData {
        size,
        content: None,
        skipped: None,
        head,
        head_len: u8::try_from(want).expect("HEAD_LEN fits a byte"),
    };
    if !keep.is_none_or(|k| k(&info)) {
        data.skipped = Some("not read (no cataloger wanted it)");
        return Ok(data);
    }
    if size > limits.max_file_size {
        data.skipped = Some("over the per-file size cap");
        skipped.push(format!(
            "{path} ({size} bytes): over the per-file cap of {} bytes",
            limits.max_file_size
        ));
        return Ok(data);
    }
    if budget.memory + size > limits.max_memory {
        data.skipped = Some("over the memory cap for file contents");
        skipped.push(format!(
            "{path} ({size} bytes): over the memory cap of {} bytes",
            limits.max_memory
        ));
        return Ok(data);
    }
    let mut content = head[..want].to_vec();
    entry.take(size - want as u64).read_to_end(&mut content)?;
    if content.len() as u64 != size {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("{path}: {} of {size} declared bytes present", content.len()),
        ));
    }
    budget.memory += size;
    data.content = Some(content.into());
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn names_stay_inside_the_root() {
        assert_eq!(normalize("./usr/bin/"), "usr/bin");
        assert_eq!(normalize("/etc/passwd"), "etc/passwd");
        assert_eq!(normalize("../../../tmp/x"), "tmp/x");
        assert_eq!(normalize("a/./b/../../../c"), "c");
        assert_eq!(normalize("//"), "");
    }
}
