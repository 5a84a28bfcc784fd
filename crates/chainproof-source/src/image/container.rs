//! Where an image's documents and layer blobs are stored: an OCI layout directory, or a tar
//! file (docker-archive / oci-archive), plain or gzip'd. Nothing is ever unpacked to disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::digest::{MeteredReader, read_capped};
use super::{ImageError, ImageLimits};

/// A member of an outer tar.
#[derive(Debug)]
pub(crate) struct Member {
    offset: u64,
    size: u64,
    /// Content kept from the first pass over a gzip'd tar (small members only).
    data: Option<Vec<u8>>,
}

/// The storage of an image.
#[derive(Debug)]
pub(crate) enum Container {
    /// An OCI image layout directory.
    Dir(PathBuf),
    /// A tar of an image (`docker save` output or an OCI layout).
    Tar {
        path: PathBuf,
        gzip: bool,
        members: BTreeMap<String, Member>,
    },
}

/// Whether a file starts with the gzip magic.
pub(crate) fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// Whether a file starts with the zstd magic.
pub(crate) fn is_zstd(head: &[u8]) -> bool {
    head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
}

/// Whether a 512-byte header block looks like a POSIX / GNU tar header.
pub(crate) fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

/// A member name as written by tools (`./manifest.json`, `/blobs/sha256/..`) made canonical.
pub(crate) fn member_name(raw: &str) -> String {
    raw.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

fn io_err(path: &Path, source: io::Error) -> ImageError {
    ImageError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl Container {
    /// Opens a tar (plain or gzip'd) and lists its members.
    pub(crate) fn open_tar(path: &Path, limits: &ImageLimits) -> Result<Container, ImageError> {
        let mut file = File::open(path).map_err(|e| io_err(path, e))?;
        let mut head = [0u8; 512];
        let n = read_up_to(&mut file, &mut head).map_err(|e| io_err(path, e))?;
        file.seek(SeekFrom::Start(0)).map_err(|e| io_err(path, e))?;
        let gzip = is_gzip(&head[..n]);
        if !gzip && !is_tar(&head[..n]) {
            return Err(ImageError::format(path.display(), "not a tar archive"));
        }
        let mut members = BTreeMap::new();
        if gzip {
            let metered = MeteredReader::new(
                flate2::read::MultiGzDecoder::new(BufReader::new(file)),
                limits.max_image_size,
            );
            let mut archive = tar::Archive::new(metered.clone());
            let mut kept = 0u64;
            let result = (|| -> Result<(), ImageError> {
                for entry in archive.entries().map_err(|e| io_err(path, e))? {
                    let mut entry = entry.map_err(|e| io_err(path, e))?;
                    if members.len() as u64 >= limits.max_entries {
                        return Err(ImageError::limit(
                            path.display(),
                            "members in the archive",
                            limits.max_entries,
                        ));
                    }
                    if !entry.header().entry_type().is_file() {
                        continue;
                    }
                    let name = member_name(&String::from_utf8_lossy(&entry.path_bytes()));
                    let size = entry.size();
                    let data = if size <= limits.max_json_size && kept + size <= limits.max_memory {
                        kept += size;
                        let mut buf = Vec::new();
                        entry.read_to_end(&mut buf).map_err(|e| io_err(path, e))?;
                        Some(buf)
                    } else {
                        None
                    };
                    members.insert(
                        name,
                        Member {
                            offset: 0,
                            size,
                            data,
                        },
                    );
                }
                Ok(())
            })();
            if metered.exceeded() {
                return Err(ImageError::limit(
                    path.display(),
                    "decompressed bytes of the archive",
                    limits.max_image_size,
                ));
            }
            result?;
        } else {
            let mut archive = tar::Archive::new(file);
            for entry in archive.entries_with_seek().map_err(|e| io_err(path, e))? {
                let entry = entry.map_err(|e| io_err(path, e))?;
                if members.len() as u64 >= limits.max_entries {
                    return Err(ImageError::limit(
                        path.display(),
                        "members in the archive",
                        limits.max_entries,
                    ));
                }
                if !entry.header().entry_type().is_file() {
                    continue;
                }
                let name = member_name(&String::from_utf8_lossy(&entry.path_bytes()));
                members.insert(
                    name,
                    Member {
                        offset: entry.raw_file_position(),
                        size: entry.size(),
                        data: None,
                    },
                );
            }
        }
        Ok(Container::Tar {
            path: path.to_path_buf(),
            gzip,
            members,
        })
    }

    /// A display name for errors.
    pub(crate) fn display(&self) -> String {
        match self {
            Container::Dir(p) | Container::Tar { path: p, .. } => p.display().to_string(),
        }
    }

    /// Whether a file (`manifest.json`, `blobs/sha256/…`) exists.
    pub(crate) fn exists(&self, name: &str) -> bool {
        match self {
            Container::Dir(root) => safe_join(root, name).is_some_and(|p| p.is_file()),
            Container::Tar { members, .. } => members.contains_key(name),
        }
    }

    /// Reads a small file (a JSON document) whole; more than `limit` bytes is an error.
    pub(crate) fn read_small(&self, name: &str, limit: u64) -> Result<Vec<u8>, ImageError> {
        let where_ = format!("{}: {name}", self.display());
        let too_big = || ImageError::limit(&where_, "bytes of a JSON document", limit);
        match self {
            Container::Dir(root) => {
                let p = safe_join(root, name)
                    .ok_or_else(|| ImageError::format(&where_, "path leaves the layout"))?;
                let f = File::open(&p).map_err(|e| io_err(&p, e))?;
                read_capped(f, limit)
                    .map_err(|e| io_err(&p, e))?
                    .ok_or_else(too_big)
            }
            Container::Tar { path, members, .. } => {
                let m = members
                    .get(name)
                    .ok_or_else(|| ImageError::format(&where_, "missing from the archive"))?;
                if m.size > limit {
                    return Err(too_big());
                }
                if let Some(d) = &m.data {
                    return Ok(d.clone());
                }
                let mut r = self.open_plain_member(path, m)?;
                let mut buf = Vec::new();
                r.read_to_end(&mut buf).map_err(|e| io_err(path, e))?;
                Ok(buf)
            }
        }
    }

    fn open_plain_member(&self, path: &Path, m: &Member) -> Result<impl Read, ImageError> {
        let mut f = File::open(path).map_err(|e| io_err(path, e))?;
        f.seek(SeekFrom::Start(m.offset))
            .map_err(|e| io_err(path, e))?;
        Ok(BufReader::new(f).take(m.size))
    }

    /// Calls `f(i, reader)` once for each of the (distinct) `names`, in an order of the
    /// storage's choosing: the given order for a directory or a plain tar, archive order for
    /// a gzip'd tar (which is then read a second time, never seeked).
    pub(crate) fn for_each_blob(
        &self,
        names: &[String],
        limits: &ImageLimits,
        f: &mut dyn FnMut(usize, &mut dyn Read) -> Result<(), ImageError>,
    ) -> Result<(), ImageError> {
        match self {
            Container::Dir(root) => {
                for (i, name) in names.iter().enumerate() {
                    let p = safe_join(root, name).ok_or_else(|| {
                        ImageError::format(
                            format!("{}: {name}", root.display()),
                            "path leaves the layout",
                        )
                    })?;
                    let file = File::open(&p).map_err(|e| io_err(&p, e))?;
                    f(i, &mut BufReader::new(file))?;
                }
                Ok(())
            }
            Container::Tar {
                path,
                gzip,
                members,
            } => {
                let mut pending: BTreeSet<usize> = (0..names.len()).collect();
                for (i, name) in names.iter().enumerate() {
                    let m = members.get(name).ok_or_else(|| {
                        ImageError::format(
                            format!("{}: {name}", path.display()),
                            "missing from the archive",
                        )
                    })?;
                    if let Some(d) = &m.data {
                        f(i, &mut &d[..])?;
                        pending.remove(&i);
                    } else if !gzip {
                        f(i, &mut self.open_plain_member(path, m)?)?;
                        pending.remove(&i);
                    }
                }
                if pending.is_empty() {
                    return Ok(());
                }
                let file = File::open(path).map_err(|e| io_err(path, e))?;
                let metered = MeteredReader::new(
                    flate2::read::MultiGzDecoder::new(BufReader::new(file)),
                    limits.max_image_size,
                );
                let mut archive = tar::Archive::new(metered.clone());
                let entries = archive.entries().map_err(|e| io_err(path, e))?;
                for entry in entries {
                    let mut entry = entry.map_err(|e| {
                        if metered.exceeded() {
                            ImageError::limit(
                                path.display(),
                                "decompressed bytes of the archive",
                                limits.max_image_size,
                            )
                        } else {
                            io_err(path, e)
                        }
                    })?;
                    let name = member_name(&String::from_utf8_lossy(&entry.path_bytes()));
                    if let Some(&i) = pending.iter().find(|&&i| names[i] == name) {
                        pending.remove(&i);
                        f(i, &mut entry)?;
                        if pending.is_empty() {
                            break;
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

/// `root/name` for a relative name without `..`; `None` when the name would leave `root`.
fn safe_join(root: &Path, name: &str) -> Option<PathBuf> {
    let mut p = root.to_path_buf();
    for seg in name.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains(':') => return None,
            s => p.push(s),
        }
    }
    Some(p)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
