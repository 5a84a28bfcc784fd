//! Importers: OSV JSON and YAML files, directories of them, OSV `all.zip` exports, RustSec
//! advisory-db Markdown (TOML front matter) and Haskell HSEC Markdown.
//!
//! A bad record never stops an import: it becomes an [`ImportError`] naming the file (and the
//! zip entry, line or JSON pointer) and the other records continue.

mod hsec;
mod rustsec;
mod semver_req;

use std::fmt;
use std::io::{Cursor, Read};
use std::path::Path;

pub use hsec::parse_hsec_markdown;
pub use rustsec::parse_rustsec_markdown;

use crate::model::Record;

/// A record that could not be read, with where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The file (or `archive.zip!entry`).
    pub file: String,
    /// Line/column or JSON pointer, when known.
    pub place: Option<String>,
    /// What went wrong.
    pub message: String,
}

impl ImportError {
    pub(crate) fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        ImportError {
            file: file.into(),
            place: None,
            message: message.into(),
        }
    }

    pub(crate) fn at(mut self, place: impl Into<String>) -> Self {
        self.place = Some(place.into());
        self
    }
}

impl std::error::Error for ImportError {}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(p) => write!(f, "{}:{p}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// A record read from a source, with the OSV JSON it was stored as.
#[derive(Clone, Debug)]
pub struct ImportedRecord {
    /// The parsed record.
    pub record: Record,
    /// The record as OSV JSON: the original bytes for JSON input, the converted record for
    /// YAML and Markdown input.
    pub raw: Vec<u8>,
    /// Where it came from (file path or `archive.zip!entry`).
    pub origin: String,
}

/// What an import produced.
#[derive(Debug, Default)]
pub struct Imported {
    /// Records read.
    pub records: Vec<ImportedRecord>,
    /// Records that could not be read.
    pub errors: Vec<ImportError>,
    /// Files deliberately left out, with why (e.g. RustSec toolchain advisories).
    pub skipped: Vec<(String, String)>,
}

impl Imported {
    fn push(&mut self, result: Result<Option<ImportedRecord>, ImportError>) {
        match result {
            Ok(Some(r)) => self.records.push(r),
            Ok(None) => {}
            Err(e) => self.errors.push(e),
        }
    }

    /// Adds another import's results.
    pub fn extend(&mut self, other: Imported) {
        self.records.extend(other.records);
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
    }
}

/// Imports a source path: a directory (walked recursively), an OSV `.zip`, or a single
/// `.json`/`.yaml`/`.md` record. Fails only when the path itself cannot be read.
pub fn import_path(path: &Path) -> Result<Imported, ImportError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| ImportError::new(&name, e.to_string()))?;
    let mut out = Imported::default();
    if meta.is_dir() {
        walk(path, &mut out);
    } else if has_ext(path, "zip") {
        let bytes = std::fs::read(path).map_err(|e| ImportError::new(&name, e.to_string()))?;
        return import_zip(&bytes, &name);
    } else {
        let bytes = std::fs::read(path).map_err(|e| ImportError::new(&name, e.to_string()))?;
        match classify(path) {
            Some(kind) => out.push(parse_file(kind, &bytes, &name)),
            None => {
                return Err(ImportError::new(
                    &name,
                    "not an OSV .json/.yaml, advisory .md or .zip file",
                ));
            }
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Imported) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            out.errors
                .push(ImportError::new(dir.display().to_string(), e.to_string()));
            return;
        }
    };
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out);
            continue;
        }
        let Some(kind) = classify(&path) else {
            continue;
        };
        let name = path.display().to_string();
        match std::fs::read(&path) {
            Ok(bytes) => {
                if kind == Kind::Markdown && bytes.iter().all(u8::is_ascii_whitespace) {
                    out.skipped
                        .push((name, "empty advisory file (a reserved id)".into()));
                    continue;
                }
                if kind == Kind::Markdown && is_rust_toolchain_advisory(&path) {
                    out.skipped.push((name, "RustSec toolchain advisory (rust/ collection), not an OSV crates.io record".into()));
                    continue;
                }
                out.push(parse_file(kind, &bytes, &name));
            }
            Err(e) => out.errors.push(ImportError::new(name, e.to_string())),
        }
    }
}

fn is_rust_toolchain_advisory(path: &Path) -> bool {
    // advisory-db layout: rust/<component>/<ID>.md; RustSec's OSV export reads crates/ only.
    let mut comps = path.components().rev().skip(2);
    comps.next().is_some_and(|c| c.as_os_str() == "rust")
        && path
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|s| !s.starts_with("RUSTSEC-"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Json,
    Yaml,
    Markdown,
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Which files are records: `*.json`, `*.yaml`/`*.yml`, and `*.md` named like an advisory id
/// (`RUSTSEC-2020-0001.md`, `HSEC-2023-0001.md`, `CVE-….md`).
fn classify(path: &Path) -> Option<Kind> {
    if has_ext(path, "json") {
        Some(Kind::Json)
    } else if has_ext(path, "yaml") || has_ext(path, "yml") {
        Some(Kind::Yaml)
    } else if has_ext(path, "md") {
        let stem = path.file_stem()?.to_str()?;
        looks_like_id(stem).then_some(Kind::Markdown)
    } else {
        None
    }
}

/// `PREFIX-YYYY-N…` with an upper-case prefix; the template `…-0000-0000` is not an id.
fn looks_like_id(stem: &str) -> bool {
    let mut parts = stem.splitn(3, '-');
    let (Some(prefix), Some(year), Some(num)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_uppercase())
        && year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && year != "0000"
        && !num.is_empty()
}

fn parse_file(kind: Kind, bytes: &[u8], name: &str) -> Result<Option<ImportedRecord>, ImportError> {
    match kind {
        Kind::Json => parse_json(bytes, name).map(Some),
        Kind::Yaml => parse_yaml(bytes, name).map(Some),
        Kind::Markdown => {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| ImportError::new(name, format!("not UTF-8: {e}")))?;
            let record = if is_hsec(text) {
                parse_hsec_markdown(text, name)?
            } else {
                parse_rustsec_markdown(text, name)?
            };
            Ok(Some(converted(record, name)?))
        }
    }
}

fn is_hsec(text: &str) -> bool {
    text.contains("[[affected]]") || text.contains("id = \"HSEC-")
}

fn converted(record: Record, origin: &str) -> Result<ImportedRecord, ImportError> {
    let raw = serde_json::to_vec(&record).map_err(|e| ImportError::new(origin, e.to_string()))?;
    Ok(ImportedRecord {
        record,
        raw,
        origin: origin.to_owned(),
    })
}

/// Parses one OSV JSON record; the stored raw form is the input itself.
pub fn parse_json(bytes: &[u8], origin: &str) -> Result<ImportedRecord, ImportError> {
    let record = Record::from_json(bytes).map_err(|e| {
        ImportError::new(origin, e.to_string()).at(format!("{}:{}", e.line(), e.column()))
    })?;
    check(&record, origin)?;
    Ok(ImportedRecord {
        record,
        raw: bytes.to_vec(),
        origin: origin.to_owned(),
    })
}

/// Parses one OSV YAML record (PyPA, R); it is stored converted to JSON.
pub fn parse_yaml(bytes: &[u8], origin: &str) -> Result<ImportedRecord, ImportError> {
    let record: Record = yaml_serde::from_slice(bytes).map_err(|e| {
        let err = ImportError::new(origin, e.to_string());
        match e.location() {
            Some(loc) => err.at(format!("{}:{}", loc.line(), loc.column())),
            None => err,
        }
    })?;
    check(&record, origin)?;
    converted(record, origin)
}

fn check(record: &Record, origin: &str) -> Result<(), ImportError> {
    if record.id.trim().is_empty() {
        return Err(ImportError::new(origin, "record has an empty id").at("/id"));
    }
    Ok(())
}

/// Imports every `*.json` entry of an OSV `all.zip` export (`origin` names the archive in errors).
pub fn import_zip(bytes: &[u8], origin: &str) -> Result<Imported, ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::new(origin, format!("not a zip archive: {e}")))?;
    let mut out = Imported::default();
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                out.errors
                    .push(ImportError::new(origin, e.to_string()).at(format!("entry {i}")));
                continue;
            }
        };
        let entry_name = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(e) => {
                out.errors
                    .push(ImportError::new(origin, e.to_string()).at(format!("entry {i}")));
                continue;
            }
        };
        let name = format!("{origin}!{entry_name}");
        if entry.is_dir() {
            continue;
        }
        let kind = classify(Path::new(&entry_name));
        let mut buf = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 24));
        // Bound each entry: a record larger than 64 MiB is not an advisory.
        if let Err(e) = (&mut entry).take(64 << 20).read_to_end(&mut buf) {
            out.errors.push(ImportError::new(name, e.to_string()));
            continue;
        }
        match kind {
            Some(kind) => out.push(parse_file(kind, &buf, &name)),
            None => out.skipped.push((name, "not a record file".into())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(looks_like_id("RUSTSEC-2020-0001"));
        assert!(looks_like_id("HSEC-2023-0001"));
        assert!(!looks_like_id("RUSTSEC-0000-0000"));
        assert!(!looks_like_id("README"));
        assert!(!looks_like_id("EXAMPLE_ADVISORY"));
    }
}
