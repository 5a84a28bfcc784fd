//! The offline database: one file, opened without parsing its records.
//!
//! ```text
//! magic  "CHPFOSV1"
//! u64 len + meta JSON        DbMeta: format (2), build time, sources, per-ecosystem counts
//! u64 len + string pool      keys "<base ecosystem>\0<normalized name>", "<id>\t<modified>"
//! u64 n   + n × 24 bytes     key index, sorted by key: key_off u32, key_len u32, post_off u32,
//!                            post_len u32, match_off u32, match_len u32
//! u64 len + postings         u32 record numbers per key
//! u64 m   + m × 32 bytes     records, sorted by id: blob_off u64, blob_len u32, raw_len u32,
//!                            str_off u32, str_len u32, info_off u32, info_len u32
//! u64 len + infos            per record: aliases, summary, reference URLs, withdrawn ([`compact`])
//! u64 len + matches          per key: the pre-parsed affected entries of its non-withdrawn
//!                            records (release, SEMVER/ECOSYSTEM events, versions, severity)
//! blobs                      each record's OSV JSON, deflate-compressed on its own
//! ```
//! All integers little-endian. [`Database::open`] reads everything before the blobs (a few
//! MB for the whole corpus) and looks keys up by binary search. A scan decodes only the
//! matching data of the keys it asks for ([`Database::key_entries`], [`Database::info`]) and
//! never parses OSV JSON; a record's blob is read and inflated on demand, so every finding can
//! show the record it came from. Format 1 files (raw records only) are refused with
//! [`DbError::Outdated`]: rebuild them.
//!
//! [`compact`]: crate::compact

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde::{Deserialize, Serialize};

use crate::compact::{self, AffectedEntry, Dec, Enc, KeyEntry, RecordInfo};
use crate::ecosystem::normalize_name;
use crate::import::ImportedRecord;
use crate::model::{EcosystemName, Record};

const MAGIC: &[u8; 8] = b"CHPFOSV1";
/// The database format this version writes and reads.
pub const FORMAT: u32 = 2;
const KEY_ENTRY: usize = 24;
const REC_ENTRY: usize = 32;

/// Database errors (always naming the file).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// I/O on the database file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not a chainproof OSV database or is damaged.
    #[error("{path}: not a valid chainproof OSV database ({reason})")]
    Corrupt {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The file was written by an older chainproof in a format this one no longer reads.
    #[error(
        "{path}: database format {found} is outdated (this chainproof reads format {expected}); \
         rebuild it with `chainproof db update` or `chainproof db build <SOURCE>... -o {path}`"
    )]
    Outdated {
        /// The file.
        path: String,
        /// Its format version.
        found: u32,
        /// The format this build reads.
        expected: u32,
    },
}

/// One source a database was built from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceMeta {
    /// Path or URL.
    pub location: String,
    /// Records it contributed when last read.
    pub records: usize,
    /// Records that could not be read.
    pub errors: usize,
    /// When it was last read (seconds since the Unix epoch).
    pub read_unix: u64,
}

/// Facts about a database, stored in its header.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbMeta {
    /// Format version ([`FORMAT`]).
    pub format: u32,
    /// When the file was written (seconds since the Unix epoch).
    pub built_unix: u64,
    /// Sources, in build order.
    pub sources: Vec<SourceMeta>,
    /// Records per OSV ecosystem string (`PyPI`, `Debian:12`, …); a record counts once per ecosystem.
    pub ecosystems: BTreeMap<String, usize>,
    /// Number of records.
    pub records: usize,
    /// Withdrawn records (kept, never matched).
    pub withdrawn: usize,
}

/// A record held by the builder: compressed JSON, its index keys and its matching data.
#[derive(Clone, Debug)]
struct Entry {
    modified: String,
    blob: Vec<u8>,
    raw_len: u32,
    keys: BTreeSet<String>,
    ecosystems: BTreeSet<String>,
    withdrawn: bool,
    /// Encoded [`RecordInfo`].
    info: Vec<u8>,
    /// Affected entries per index key.
    affected: BTreeMap<String, Vec<AffectedEntry<'static>>>,
}

impl Entry {
    fn new(record: &Record, modified: String, blob: Vec<u8>, raw_len: usize) -> Entry {
        let (keys, ecosystems) = record_keys(record);
        let mut info = Enc::default();
        info.info(&compact::record_info(record));
        let mut affected: BTreeMap<String, Vec<AffectedEntry>> = BTreeMap::new();
        for ((base, name), a) in compact::affected_by_key(record) {
            affected.entry(index_key(&base, &name)).or_default().push(a);
        }
        Entry {
            modified,
            blob,
            raw_len: u32::try_from(raw_len).unwrap_or(u32::MAX),
            keys,
            ecosystems,
            withdrawn: record.is_withdrawn(),
            info: info.0,
            affected,
        }
    }
}

/// What [`DatabaseBuilder::add`] did with a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// A new id.
    Added,
    /// Replaced an older version of the record (by `modified`).
    Updated,
    /// Same or older `modified` than the record already held: kept the held one.
    Unchanged,
}

/// Collects records (newest `modified` per id wins) and writes a database file.
#[derive(Debug, Default)]
pub struct DatabaseBuilder {
    entries: BTreeMap<String, Entry>,
    sources: Vec<SourceMeta>,
}

/// The index key of a package: `<base ecosystem>\0<normalized name>`.
pub fn index_key(base_ecosystem: &str, normalized_name: &str) -> String {
    format!("{base_ecosystem}\0{normalized_name}")
}

fn record_keys(record: &Record) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut keys = BTreeSet::new();
    let mut ecosystems = BTreeSet::new();
    for a in &record.affected {
        let Some(p) = &a.package else { continue };
        if p.ecosystem.is_empty() || p.name.is_empty() {
            continue;
        }
        let eco = EcosystemName::parse(&p.ecosystem);
        keys.insert(index_key(&eco.base, &normalize_name(&eco.base, &p.name)));
        ecosystems.insert(p.ecosystem.trim().to_owned());
    }
    (keys, ecosystems)
}

fn compress(raw: &[u8]) -> Vec<u8> {
    let mut enc = DeflateEncoder::new(Vec::with_capacity(raw.len() / 3), Compression::default());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(raw);
    enc.finish().unwrap_or_default()
}

impl DatabaseBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts from every record of an existing database (for incremental updates).
    pub fn from_database(db: &Database) -> Result<Self, DbError> {
        let mut b = DatabaseBuilder {
            entries: BTreeMap::new(),
            sources: db.meta.sources.clone(),
        };
        for i in 0..db.record_count() {
            let (id, modified) = db.id_at(i);
            let (id, modified) = (id.to_owned(), modified.to_owned());
            let blob = db.blob(i)?;
            let raw = db.inflate(&blob, i)?;
            let record =
                Record::from_json(&raw).map_err(|e| db.corrupt(format!("record {id}: {e}")))?;
            let entry = Entry::new(&record, modified, blob, raw.len());
            b.entries.insert(id, entry);
        }
        Ok(b)
    }

    /// Adds a record; the one with the later `modified` wins when the id is already held.
    pub fn add(&mut self, rec: &ImportedRecord) -> AddOutcome {
        let modified = rec.record.modified.clone().unwrap_or_default();
        let outcome = match self.entries.get(&rec.record.id) {
            None => AddOutcome::Added,
            Some(old) if old.modified < modified => AddOutcome::Updated,
            Some(_) => return AddOutcome::Unchanged,
        };
        let entry = Entry::new(&rec.record, modified, compress(&rec.raw), rec.raw.len());
        self.entries.insert(rec.record.id.clone(), entry);
        outcome
    }

    /// Records a source (replacing an earlier entry with the same location).
    pub fn add_source(&mut self, source: SourceMeta) {
        self.sources.retain(|s| s.location != source.location);
        self.sources.push(source);
    }

    /// Number of records held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no record is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the database to `path` (via a temporary file renamed into place).
    pub fn write(&self, path: &Path, built_unix: u64) -> Result<DbMeta, DbError> {
        let io = |source| DbError::Io {
            path: path.display().to_string(),
            source,
        };
        let too_large = |what: &str| io(std::io::Error::other(format!("{what} exceed 4 GiB")));
        let off32 = |n: usize, what: &str| u32::try_from(n).map_err(|_| too_large(what));
        let mut meta = DbMeta {
            format: FORMAT,
            built_unix,
            sources: self.sources.clone(),
            ..DbMeta::default()
        };
        meta.records = self.entries.len();
        let mut pool = Vec::new();
        let mut recs = Vec::with_capacity(self.entries.len() * REC_ENTRY);
        let mut infos = Vec::new();
        let mut blob_off = 0u64;
        let mut by_key: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        let mut matches_of: BTreeMap<&str, Enc> = BTreeMap::new();
        for (i, (id, e)) in self.entries.iter().enumerate() {
            let n = off32(i, "records")?;
            let s = format!("{id}\t{}", e.modified);
            recs.extend_from_slice(&blob_off.to_le_bytes());
            recs.extend_from_slice(&off32(e.blob.len(), "a record")?.to_le_bytes());
            recs.extend_from_slice(&e.raw_len.to_le_bytes());
            recs.extend_from_slice(&off32(pool.len(), "strings")?.to_le_bytes());
            recs.extend_from_slice(&off32(s.len(), "an id")?.to_le_bytes());
            recs.extend_from_slice(&off32(infos.len(), "record infos")?.to_le_bytes());
            recs.extend_from_slice(&off32(e.info.len(), "a record info")?.to_le_bytes());
            pool.extend_from_slice(s.as_bytes());
            infos.extend_from_slice(&e.info);
            blob_off += e.blob.len() as u64;
            for k in &e.keys {
                by_key.entry(k).or_default().push(n);
            }
            if !e.withdrawn {
                for (k, affected) in &e.affected {
                    matches_of.entry(k).or_default().key_entry(n, affected);
                }
            }
            for eco in &e.ecosystems {
                *meta.ecosystems.entry(eco.clone()).or_default() += 1;
            }
            meta.withdrawn += usize::from(e.withdrawn);
        }
        let mut index = Vec::with_capacity(by_key.len() * KEY_ENTRY);
        let mut postings = Vec::new();
        let mut matches = Vec::new();
        for (key, ids) in &by_key {
            let m = matches_of.get(key).map_or(&[][..], |e| e.0.as_slice());
            index.extend_from_slice(&off32(pool.len(), "strings")?.to_le_bytes());
            index.extend_from_slice(&off32(key.len(), "a key")?.to_le_bytes());
            index.extend_from_slice(&off32(postings.len() / 4, "postings")?.to_le_bytes());
            index.extend_from_slice(&off32(ids.len(), "postings")?.to_le_bytes());
            index.extend_from_slice(&off32(matches.len(), "matching data")?.to_le_bytes());
            index.extend_from_slice(&off32(m.len(), "matching data")?.to_le_bytes());
            pool.extend_from_slice(key.as_bytes());
            matches.extend_from_slice(m);
            for id in ids {
                postings.extend_from_slice(&id.to_le_bytes());
            }
        }
        let meta_json = serde_json::to_vec(&meta).map_err(|e| io(std::io::Error::other(e)))?;
        let tmp = path.with_extension("tmp");
        let mut out = std::io::BufWriter::new(File::create(&tmp).map_err(io)?);
        out.write_all(MAGIC).map_err(io)?;
        for (len, data) in [
            (meta_json.len(), &meta_json),
            (pool.len(), &pool),
            (by_key.len(), &index),
            (postings.len(), &postings),
            (self.entries.len(), &recs),
            (infos.len(), &infos),
            (matches.len(), &matches),
        ] {
            out.write_all(&(len as u64).to_le_bytes()).map_err(io)?;
            out.write_all(data).map_err(io)?;
        }
        for e in self.entries.values() {
            out.write_all(&e.blob).map_err(io)?;
        }
        out.flush().map_err(io)?;
        drop(out);
        std::fs::rename(&tmp, path).map_err(io)?;
        Ok(meta)
    }
}

/// An opened database.
#[derive(Debug)]
pub struct Database {
    path: PathBuf,
    meta: DbMeta,
    /// The base ecosystems of `meta.ecosystems`, sorted.
    bases: BTreeSet<String>,
    pool: Vec<u8>,
    index: Vec<u8>,
    postings: Vec<u8>,
    recs: Vec<u8>,
    infos: Vec<u8>,
    matches: Vec<u8>,
    blobs_start: u64,
    file_len: u64,
    file: Mutex<Box<dyn Source>>,
}

/// What a database is read from: its file, or its bytes ([`Database::from_bytes`]).
trait Source: Read + Seek + Send + std::fmt::Debug {}
impl<T: Read + Seek + Send + std::fmt::Debug> Source for T {}

fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    b.get(off..off + 8).map_or(0, |s| {
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        u64::from_le_bytes(a)
    })
}

impl Database {
    /// Opens a database file, reading its header and index.
    pub fn open(path: &Path) -> Result<Database, DbError> {
        let io = |source| DbError::Io {
            path: path.display().to_string(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        let file_len = file.metadata().map_err(io)?.len();
        Self::read_from(Box::new(file), file_len, path)
    }

    /// A database held in memory (the bytes of a database file); `origin` names it in errors.
    pub fn from_bytes(bytes: Vec<u8>, origin: &Path) -> Result<Database, DbError> {
        let len = bytes.len() as u64;
        Self::read_from(Box::new(Cursor::new(bytes)), len, origin)
    }

    fn read_from(
        mut file: Box<dyn Source>,
        file_len: u64,
        path: &Path,
    ) -> Result<Database, DbError> {
        let name = path.display().to_string();
        let corrupt = |reason: &str| DbError::Corrupt {
            path: name.clone(),
            reason: reason.to_owned(),
        };
        let mut magic = [0u8; 8];
        file.read_exact(&mut magic)
            .map_err(|_| corrupt("too short"))?;
        if &magic != MAGIC {
            return Err(corrupt("bad magic bytes"));
        }
        let mut pos = 8u64;
        let mut section = |entry: usize| -> Result<(u64, Vec<u8>), DbError> {
            let mut len = [0u8; 8];
            file.read_exact(&mut len)
                .map_err(|_| corrupt("truncated header"))?;
            let n = u64::from_le_bytes(len);
            let bytes = n
                .checked_mul(entry as u64)
                .filter(|b| {
                    pos.checked_add(8)
                        .and_then(|p| p.checked_add(*b))
                        .is_some_and(|end| end <= file_len)
                })
                .ok_or_else(|| corrupt("section length beyond end of file"))?;
            let mut buf =
                vec![0u8; usize::try_from(bytes).map_err(|_| corrupt("section too large"))?];
            file.read_exact(&mut buf)
                .map_err(|_| corrupt("truncated section"))?;
            pos += 8 + bytes;
            Ok((n, buf))
        };
        let (_, meta_json) = section(1)?;
        let meta: DbMeta =
            serde_json::from_slice(&meta_json).map_err(|e| corrupt(&format!("meta: {e}")))?;
        if meta.format < FORMAT {
            return Err(DbError::Outdated {
                path: name.clone(),
                found: meta.format,
                expected: FORMAT,
            });
        }
        if meta.format != FORMAT {
            return Err(corrupt(&format!(
                "format version {} is newer than this chainproof reads ({FORMAT}); upgrade chainproof",
                meta.format
            )));
        }
        let (_, pool) = section(1)?;
        let (_, index) = section(KEY_ENTRY)?;
        let (_, postings) = section(1)?;
        let (_, recs) = section(REC_ENTRY)?;
        let (_, infos) = section(1)?;
        let (_, matches) = section(1)?;
        let bases = meta
            .ecosystems
            .keys()
            .map(|e| EcosystemName::parse(e).base)
            .collect();
        Ok(Database {
            path: path.to_owned(),
            meta,
            bases,
            pool,
            index,
            postings,
            recs,
            infos,
            matches,
            blobs_start: pos,
            file_len,
            file: Mutex::new(file),
        })
    }

    fn corrupt(&self, reason: String) -> DbError {
        DbError::Corrupt {
            path: self.path.display().to_string(),
            reason,
        }
    }

    /// The file it was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Header facts.
    pub fn meta(&self) -> &DbMeta {
        &self.meta
    }

    /// Number of records.
    pub fn record_count(&self) -> usize {
        self.recs.len() / REC_ENTRY
    }

    fn key_count(&self) -> usize {
        self.index.len() / KEY_ENTRY
    }

    fn pool_str(&self, off: u32, len: u32) -> &str {
        let (o, l) = (off as usize, len as usize);
        self.pool
            .get(o..o.saturating_add(l))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// The bytes of key number `k` (UTF-8 in a sound file; compared as bytes, which orders
    /// UTF-8 text the way `str` does, so the binary search validates nothing).
    fn key_bytes_at(&self, k: usize) -> &[u8] {
        let off = u32_at(&self.index, k * KEY_ENTRY) as usize;
        let len = u32_at(&self.index, k * KEY_ENTRY + 4) as usize;
        self.pool.get(off..off.saturating_add(len)).unwrap_or(&[])
    }

    fn postings_at(&self, k: usize) -> impl Iterator<Item = u32> + '_ {
        let off = u32_at(&self.index, k * KEY_ENTRY + 8) as usize;
        let len = u32_at(&self.index, k * KEY_ENTRY + 12) as usize;
        // A list reaching past the postings section (a damaged file) reads as empty.
        self.postings
            .get(off.saturating_mul(4)..off.saturating_add(len).saturating_mul(4))
            .unwrap_or(&[])
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    }

    /// `(id, modified)` of record number `i`.
    pub fn id_at(&self, i: usize) -> (&str, &str) {
        let s = self.pool_str(
            u32_at(&self.recs, i * REC_ENTRY + 16),
            u32_at(&self.recs, i * REC_ENTRY + 20),
        );
        s.split_once('\t').unwrap_or((s, ""))
    }

    /// The key number of a base ecosystem and normalized name, by binary search.
    pub fn key_number(&self, base_ecosystem: &str, normalized_name: &str) -> Option<usize> {
        let key = index_key(base_ecosystem, normalized_name);
        let (mut lo, mut hi) = (0usize, self.key_count());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.key_bytes_at(mid).cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Record numbers indexed under a base ecosystem and normalized name.
    pub fn lookup(&self, base_ecosystem: &str, normalized_name: &str) -> Vec<usize> {
        self.key_number(base_ecosystem, normalized_name)
            .map(|k| self.postings_at(k).map(|r| r as usize).collect())
            .unwrap_or_default()
    }

    /// The pre-parsed matching data of key number `k` (see [`Database::key_number`]): one
    /// [`KeyEntry`] per non-withdrawn record with affected entries for that package.
    pub fn key_entries(&self, k: usize) -> Result<Vec<KeyEntry<'_>>, DbError> {
        let off = u32_at(&self.index, k * KEY_ENTRY + 16) as usize;
        let len = u32_at(&self.index, k * KEY_ENTRY + 20) as usize;
        let bad = || self.corrupt(format!("matching data of key {k}"));
        let bytes = self
            .matches
            .get(off..off.saturating_add(len))
            .ok_or_else(bad)?;
        let mut dec = Dec::new(bytes);
        let mut out = Vec::new();
        while !dec.done() {
            let e = dec.key_entry().ok_or_else(bad)?;
            if e.record as usize >= self.record_count() {
                return Err(bad());
            }
            out.push(e);
        }
        Ok(out)
    }

    /// The aliases, summary, references and withdrawn flag of record number `i`.
    pub fn info(&self, i: usize) -> Result<RecordInfo<'_>, DbError> {
        let off = u32_at(&self.recs, i * REC_ENTRY + 24) as usize;
        let len = u32_at(&self.recs, i * REC_ENTRY + 28) as usize;
        self.infos
            .get(off..off.saturating_add(len))
            .and_then(|b| Dec::new(b).info())
            .ok_or_else(|| self.corrupt(format!("record info of record {i}")))
    }

    /// Whether any record covers the base ecosystem (`PyPI`, `Debian`).
    pub fn covers(&self, base_ecosystem: &str) -> bool {
        self.bases.contains(base_ecosystem)
    }

    /// The record number of an id.
    pub fn find_id(&self, id: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0usize, self.record_count());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.id_at(mid).0.cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn blob(&self, i: usize) -> Result<Vec<u8>, DbError> {
        if i >= self.record_count() {
            return Err(self.corrupt(format!("no record number {i}")));
        }
        let off = u64_at(&self.recs, i * REC_ENTRY);
        let len = u32_at(&self.recs, i * REC_ENTRY + 8) as usize;
        let start = self.blobs_start.saturating_add(off);
        if start.saturating_add(len as u64) > self.file_len {
            return Err(self.corrupt(format!("record {i} lies beyond the end of the file")));
        }
        let mut buf = vec![0u8; len];
        let mut file = self
            .file
            .lock()
            .map_err(|_| self.corrupt("file lock poisoned".into()))?;
        file.seek(SeekFrom::Start(start))
            .and_then(|_| file.read_exact(&mut buf))
            .map_err(|e| self.corrupt(format!("record {i}: {e}")))?;
        Ok(buf)
    }

    fn inflate(&self, blob: &[u8], i: usize) -> Result<Vec<u8>, DbError> {
        let raw_len = u32_at(&self.recs, i * REC_ENTRY + 12) as usize;
        let mut raw = Vec::with_capacity(raw_len.min(1 << 24));
        DeflateDecoder::new(blob)
            .take(u64::from(u32::MAX))
            .read_to_end(&mut raw)
            .map_err(|e| self.corrupt(format!("record {i}: {e}")))?;
        Ok(raw)
    }

    /// The stored OSV JSON of record number `i` (the original bytes for JSON sources).
    pub fn raw(&self, i: usize) -> Result<Vec<u8>, DbError> {
        let blob = self.blob(i)?;
        self.inflate(&blob, i)
    }

    /// Record number `i`, parsed.
    pub fn record(&self, i: usize) -> Result<Record, DbError> {
        let raw = self.raw(i)?;
        Record::from_json(&raw)
            .map_err(|e| self.corrupt(format!("record {}: {e}", self.id_at(i).0)))
    }
}
