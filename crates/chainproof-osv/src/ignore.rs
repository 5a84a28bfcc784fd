//! The ignore file, `.chainproof.toml`: local exceptions for findings.
//!
//! ```toml
//! [[ignore]]
//! id = "CVE-2021-44228"            # the vulnerability (any of its ids or aliases)
//! reason = "log4j is not reachable: JNDI lookups are disabled"
//! expires = 2027-01-01              # optional; a TOML date or a "YYYY-MM-DD" string
//! package = "pkg:maven/org.apache.logging.log4j/log4j-core"   # optional purl pattern
//! ```
//!
//! An entry marks matching findings `not_affected` with origin `.chainproof.toml` (the path of
//! the file) and the reason as statement, unless a VEX statement already suppresses them. An
//! entry is valid until (not including) its expiry date; expired entries are not applied and
//! produce an [`IgnoreWarning`]. Other top-level tables are left for other settings.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use chainproof_core::Inventory;
use chainproof_core::vuln::{Finding, VexAnnotation, VexStatus};
use chainproof_purl::Purl;
use serde::Deserialize;

use crate::vex::{days_from_civil, parse_date, purl_matches};

/// The file name looked for in a scanned directory.
pub const FILE_NAME: &str = ".chainproof.toml";

/// One `[[ignore]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct IgnoreEntry {
    /// The vulnerability id (matched against a finding's id and aliases, case-insensitively).
    pub id: String,
    /// Why it is ignored.
    pub reason: String,
    /// `YYYY-MM-DD`: the first day it no longer applies.
    pub expires: Option<String>,
    /// Days since 1970-01-01 of `expires`.
    pub expires_day: Option<i64>,
    /// Only findings in packages matching this purl (type, namespace, name; version and
    /// qualifiers when given).
    pub package: Option<Purl>,
    /// The line of the entry's `[[ignore]]` header.
    pub line: usize,
}

/// The parsed ignore file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IgnoreFile {
    /// The path as shown in origins and messages.
    pub path: String,
    pub entries: Vec<IgnoreEntry>,
}

/// A non-fatal problem: an expired entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreWarning {
    pub path: String,
    pub line: usize,
    pub id: String,
    pub message: String,
}

impl std::fmt::Display for IgnoreWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.path, self.line, self.id, self.message
        )
    }
}

/// Why the ignore file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IgnoreError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    ignore: Vec<toml::Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: toml::Spanned<String>,
    reason: toml::Spanned<String>,
    #[serde(default)]
    expires: Option<toml::Spanned<toml::Value>>,
    #[serde(default)]
    package: Option<toml::Spanned<String>>,
}

impl IgnoreFile {
    /// `dir/.chainproof.toml` when it exists (for a file target: next to the file).
    pub fn discover(target: &Path) -> Option<PathBuf> {
        let dir = if target.is_dir() {
            target
        } else {
            target.parent()?
        };
        let p = dir.join(FILE_NAME);
        p.is_file().then_some(p)
    }

    /// Reads and parses a file.
    pub fn load(path: &Path) -> Result<IgnoreFile, IgnoreError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| IgnoreError::Io {
            path: shown.clone(),
            source,
        })?;
        IgnoreFile::parse(&text, &shown)
    }

    /// Parses the text of an ignore file; `path` is used in errors and origins.
    pub fn parse(text: &str, path: &str) -> Result<IgnoreFile, IgnoreError> {
        let err = |span: Option<Range<usize>>, message: String| {
            let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
            IgnoreError::Invalid {
                path: path.into(),
                line,
                column,
                message,
            }
        };
        let raw: RawFile =
            toml::from_str(text).map_err(|e| err(e.span(), e.message().trim().to_string()))?;
        let mut entries = Vec::with_capacity(raw.ignore.len());
        for e in raw.ignore {
            let line = line_col(text, e.span().start).0;
            let e = e.into_inner();
            let id = e.id.get_ref().trim().to_string();
            if id.is_empty() {
                return Err(err(Some(e.id.span()), "`id` must not be empty".into()));
            }
            let reason = e.reason.get_ref().trim().to_string();
            if reason.is_empty() {
                return Err(err(
                    Some(e.reason.span()),
                    "`reason` must not be empty".into(),
                ));
            }
            let (expires, expires_day) = match &e.expires {
                None => (None, None),
                Some(x) => {
                    let s = match x.get_ref() {
                        toml::Value::String(s) => s.trim().to_string(),
                        toml::Value::Datetime(d) => d.to_string(),
                        other => other.type_str().to_string(),
                    };
                    let Some((y, m, d)) = parse_date(&s) else {
                        return Err(err(
                            Some(x.span()),
                            format!("`expires` must be a date YYYY-MM-DD, not `{s}`"),
                        ));
                    };
                    (Some(s), Some(days_from_civil(y, m, d)))
                }
            };
            let package =
                match &e.package {
                    None => None,
                    Some(p) => Some(Purl::parse_lenient(p.get_ref().trim()).map_err(|pe| {
                        err(Some(p.span()), format!("`package` is not a purl: {pe}"))
                    })?),
                };
            entries.push(IgnoreEntry {
                id,
                reason,
                expires,
                expires_day,
                package,
                line,
            });
        }
        Ok(IgnoreFile {
            path: path.into(),
            entries,
        })
    }

    /// Applies the entries that have not expired on `today` (days since 1970-01-01) to the
    /// findings they match and that no VEX statement already suppresses. Returns a warning
    /// per expired entry.
    pub fn apply_on(
        &self,
        inventory: &Inventory,
        findings: &mut [Finding],
        today: i64,
    ) -> Vec<IgnoreWarning> {
        let mut warnings = Vec::new();
        for e in &self.entries {
            if e.expires_day.is_some_and(|d| d <= today) {
                warnings.push(IgnoreWarning {
                    path: self.path.clone(),
                    line: e.line,
                    id: e.id.clone(),
                    message: format!(
                        "ignore entry expired on {}; it is no longer applied (renew or remove it)",
                        e.expires.as_deref().unwrap_or("?")
                    ),
                });
                continue;
            }
            for f in findings.iter_mut() {
                if f.is_suppressed() || !f.all_ids().any(|i| i.eq_ignore_ascii_case(&e.id)) {
                    continue;
                }
                if let Some(pattern) = &e.package {
                    let purl = (f.package.index() < inventory.len())
                        .then(|| inventory.package(f.package).purl.as_ref())
                        .flatten();
                    if !purl.is_some_and(|p| purl_matches(pattern, p)) {
                        continue;
                    }
                }
                f.vex = Some(VexAnnotation {
                    status: VexStatus::NotAffected,
                    justification: None,
                    statement: Some(e.reason.clone()),
                    origin: self.path.clone(),
                });
            }
        }
        warnings
    }

    /// [`IgnoreFile::apply_on`] today (UTC).
    pub fn apply(&self, inventory: &Inventory, findings: &mut [Finding]) -> Vec<IgnoreWarning> {
        self.apply_on(inventory, findings, today())
    }
}

/// Days since 1970-01-01, today (UTC).
pub fn today() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs() / 86_400).unwrap_or(0))
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
