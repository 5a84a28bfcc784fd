//! RPM header blobs as the rpmdb stores them: `il` (index entry count, u32 BE), `dl` (data
//! length, u32 BE), `il` 16-byte index entries (tag, type, offset, count; all BE), then
//! `dl` bytes of data. Every offset and count is checked against the blob; a bad blob is
//! an error, never a panic.

use std::collections::HashMap;

/// Tags read here (rpmtag.h).
pub mod tag {
    pub const NAME: u32 = 1000;
    pub const VERSION: u32 = 1001;
    pub const RELEASE: u32 = 1002;
    pub const EPOCH: u32 = 1003;
    pub const SIZE: u32 = 1009;
    pub const VENDOR: u32 = 1011;
    pub const LICENSE: u32 = 1014;
    pub const PACKAGER: u32 = 1015;
    pub const ARCH: u32 = 1022;
    pub const OLDFILENAMES: u32 = 1027;
    pub const FILEMODES: u32 = 1030;
    pub const SOURCERPM: u32 = 1044;
    pub const PROVIDENAME: u32 = 1047;
    pub const REQUIRENAME: u32 = 1049;
    pub const DIRINDEXES: u32 = 1116;
    pub const BASENAMES: u32 = 1117;
    pub const DIRNAMES: u32 = 1118;
    pub const MODULARITYLABEL: u32 = 5096;
    pub const LONGSIZE: u32 = 5009;
}

const TYPE_INT16: u32 = 3;
const TYPE_INT32: u32 = 4;
const TYPE_INT64: u32 = 5;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

/// rpm's own limits (header_internal.h): at most 0xffff entries and 256 MiB of data.
const MAX_ENTRIES: usize = 0xffff;
const MAX_DATA: usize = 256 * 1024 * 1024;

/// A parsed header: tag → (type, offset, count) over `data`.
#[derive(Debug)]
pub struct Header<'a> {
    entries: HashMap<u32, (u32, usize, usize)>,
    data: &'a [u8],
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

impl<'a> Header<'a> {
    /// Parses a header blob. Errors say what is wrong.
    pub fn parse(blob: &'a [u8]) -> Result<Header<'a>, String> {
        let il = be32(blob, 0).ok_or("header shorter than 8 bytes")? as usize;
        let dl = be32(blob, 4).ok_or("header shorter than 8 bytes")? as usize;
        if il == 0 || il > MAX_ENTRIES {
            return Err(format!("header has {il} index entries"));
        }
        if dl > MAX_DATA {
            return Err(format!("header data of {dl} bytes is over the limit"));
        }
        let data_start = 8 + il * 16;
        let data = blob
            .get(data_start..data_start + dl)
            .ok_or_else(|| format!("header of {il} entries and {dl} data bytes is truncated"))?;
        let mut entries = HashMap::with_capacity(il);
        for i in 0..il {
            let at = 8 + i * 16;
            let (Some(t), Some(ty), Some(off), Some(count)) = (
                be32(blob, at),
                be32(blob, at + 4),
                be32(blob, at + 8),
                be32(blob, at + 12),
            ) else {
                return Err("truncated index entry".into());
            };
            // Region tags (61–63) have negative offsets into a trailer; skip what we
            // cannot use rather than fail the whole package.
            let off = off as usize;
            if off >= dl && count > 0 && !(61..=63).contains(&t) {
                return Err(format!("tag {t}: offset {off} outside {dl} data bytes"));
            }
            entries.insert(t, (ty, off, count as usize));
        }
        Ok(Header { entries, data })
    }

    /// A string tag (STRING, or the first of a STRING_ARRAY / I18NSTRING).
    pub fn string(&self, tag: u32) -> Option<String> {
        let &(ty, off, count) = self.entries.get(&tag)?;
        if !matches!(ty, TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18NSTRING) || count == 0 {
            return None;
        }
        self.strings_at(off, 1).into_iter().next()
    }

    /// A STRING_ARRAY tag (empty when absent or malformed).
    pub fn strings(&self, tag: u32) -> Vec<String> {
        match self.entries.get(&tag) {
            Some(&(TYPE_STRING_ARRAY | TYPE_I18NSTRING, off, count)) => self.strings_at(off, count),
            Some(&(TYPE_STRING, off, _)) => self.strings_at(off, 1),
            _ => Vec::new(),
        }
    }

    /// `count` NUL-terminated strings from `off`; stops at the end of the data.
    fn strings_at(&self, mut off: usize, count: usize) -> Vec<String> {
        let mut out = Vec::with_capacity(count.min(4096));
        for _ in 0..count {
            let Some(rest) = self.data.get(off..) else {
                break;
            };
            let Some(end) = rest.iter().position(|&b| b == 0) else {
                break;
            };
            out.push(String::from_utf8_lossy(&rest[..end]).into_owned());
            off += end + 1;
        }
        out
    }

    /// Integer tag values (INT16/INT32/INT64), as u64; empty when absent or malformed.
    pub fn ints(&self, tag: u32) -> Vec<u64> {
        let Some(&(ty, off, count)) = self.entries.get(&tag) else {
            return Vec::new();
        };
        let width = match ty {
            TYPE_INT16 => 2,
            TYPE_INT32 => 4,
            TYPE_INT64 => 8,
            _ => return Vec::new(),
        };
        let Some(len) = count.checked_mul(width) else {
            return Vec::new();
        };
        let Some(bytes) = off.checked_add(len).and_then(|end| self.data.get(off..end)) else {
            return Vec::new();
        };
        bytes
            .chunks_exact(width)
            .map(|c| c.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
            .collect()
    }

    /// The first value of an integer tag.
    pub fn int(&self, tag: u32) -> Option<u64> {
        self.ints(tag).into_iter().next()
    }

    /// Installed file paths: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i] (or OLDFILENAMES),
    /// without directories (FILEMODES says which are).
    pub fn files(&self) -> Vec<String> {
        let modes = self.ints(tag::FILEMODES);
        let is_dir = |i: usize| modes.get(i).is_some_and(|m| m & 0o170000 == 0o040000);
        let base = self.strings(tag::BASENAMES);
        let mut out = Vec::with_capacity(base.len());
        if base.is_empty() {
            for (i, f) in self.strings(tag::OLDFILENAMES).into_iter().enumerate() {
                if !is_dir(i) {
                    out.push(f);
                }
            }
            return out;
        }
        let dirs = self.strings(tag::DIRNAMES);
        let idx = self.ints(tag::DIRINDEXES);
        for (i, b) in base.iter().enumerate() {
            if is_dir(i) {
                continue;
            }
            let Some(d) = idx.get(i).and_then(|&j| dirs.get(usize::try_from(j).ok()?)) else {
                continue;
            };
            out.push(format!("{d}{b}"));
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a header blob from (tag, type, data, count) entries.
    pub(crate) fn blob(entries: &[(u32, u32, Vec<u8>, u32)]) -> Vec<u8> {
        let mut data = Vec::new();
        let mut index = Vec::new();
        for (t, ty, d, count) in entries {
            index.extend_from_slice(&t.to_be_bytes());
            index.extend_from_slice(&ty.to_be_bytes());
            index.extend_from_slice(&(data.len() as u32).to_be_bytes());
            index.extend_from_slice(&count.to_be_bytes());
            data.extend_from_slice(d);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend(index);
        out.extend(data);
        out
    }

    #[test]
    fn reads_tags_and_files() {
        let b = blob(&[
            (tag::NAME, TYPE_STRING, b"bash\0".to_vec(), 1),
            (tag::EPOCH, TYPE_INT32, 1u32.to_be_bytes().to_vec(), 1),
            (
                tag::BASENAMES,
                TYPE_STRING_ARRAY,
                b"bash\0bin\0".to_vec(),
                2,
            ),
            (
                tag::DIRNAMES,
                TYPE_STRING_ARRAY,
                b"/usr/bin/\0/usr/\0".to_vec(),
                2,
            ),
            (
                tag::DIRINDEXES,
                TYPE_INT32,
                [0u32.to_be_bytes(), 1u32.to_be_bytes()].concat(),
                2,
            ),
            (
                tag::FILEMODES,
                TYPE_INT16,
                [0o100755u16.to_be_bytes(), 0o040755u16.to_be_bytes()].concat(),
                2,
            ),
        ]);
        let h = Header::parse(&b).expect("header");
        assert_eq!(h.string(tag::NAME).as_deref(), Some("bash"));
        assert_eq!(h.int(tag::EPOCH), Some(1));
        assert_eq!(h.files(), vec!["/usr/bin/bash".to_string()]);
        assert_eq!(h.string(tag::VERSION), None);
    }

    #[test]
    fn rejects_bad_offsets() {
        let mut b = blob(&[(tag::NAME, TYPE_STRING, b"x\0".to_vec(), 1)]);
        b[16..20].copy_from_slice(&100u32.to_be_bytes());
        assert!(Header::parse(&b).is_err());
        assert!(Header::parse(&b[..10]).is_err());
        // A count far beyond the data is bounded, not a panic.
        let mut b = blob(&[(tag::BASENAMES, TYPE_STRING_ARRAY, b"a\0".to_vec(), 1)]);
        b[20..24].copy_from_slice(&u32::MAX.to_be_bytes());
        let h = Header::parse(&b).expect("header");
        assert_eq!(h.strings(tag::BASENAMES), vec!["a".to_string()]);
        assert!(h.ints(tag::BASENAMES).is_empty());
    }
}
