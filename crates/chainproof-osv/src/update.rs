//! Downloading OSV `all.zip` exports and merging them into a database by `modified`.
//!
//! Only HTTPS is used, except plain HTTP to a loopback host (for tests and local mirrors).
//! A source that fails to download leaves its old records in the database untouched.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use crate::db::{AddOutcome, Database, DatabaseBuilder, DbError, SourceMeta};
use crate::import::{ImportError, import_zip};

/// The public OSV bucket.
pub const OSV_BUCKET: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// The OSV ecosystems chainproof catalogs, whose exports `db update` downloads by default.
pub const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "crates.io",
    "npm",
    "PyPI",
    "Go",
    "Maven",
    "RubyGems",
    "Packagist",
    "NuGet",
    "Pub",
    "Hex",
    "SwiftURL",
    "CRAN",
    "Hackage",
    "GHC",
    "GitHub Actions",
    "Bitnami",
    "Debian",
    "Ubuntu",
    "Alpine",
    "Red Hat",
    "AlmaLinux",
    "Rocky Linux",
    "Wolfi",
    "Chainguard",
];

/// Largest accepted download (the biggest OSV exports are a few hundred MB).
const MAX_DOWNLOAD: u64 = 4 << 30;

/// `<bucket>/<ecosystem>/all.zip` for each default ecosystem (spaces percent-encoded).
pub fn default_sources() -> Vec<String> {
    DEFAULT_ECOSYSTEMS
        .iter()
        .map(|e| format!("{OSV_BUCKET}/{}/all.zip", e.replace(' ', "%20")))
        .collect()
}

/// Update errors.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The URL is not allowed or malformed.
    #[error("{url}: {reason}")]
    BadUrl {
        /// The URL.
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// The download failed.
    #[error("{url}: download failed: {reason}")]
    Download {
        /// The URL.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The downloaded archive could not be read.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// Reading or writing the database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Checks that `url` is `https://…`, or `http://` to a loopback host.
pub fn check_url(url: &str) -> Result<(), UpdateError> {
    let bad = |reason: &str| UpdateError::BadUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("not an absolute URL"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return Err(bad("no host"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" => {
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if loopback {
                Ok(())
            } else {
                Err(bad(
                    "plain HTTP is refused (use https://; http:// only to a loopback host)",
                ))
            }
        }
        _ => Err(bad("only https:// URLs are supported")),
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` for an `If-Modified-Since` header.
pub fn http_date(unix: u64) -> String {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mon = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!(
        "{weekday}, {day:02} {mon} {year} {:02}:{:02}:{:02} GMT",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Downloads `url`; `None` when the server answers 304 Not Modified to `if_modified_since`.
pub fn download(url: &str, if_modified_since: Option<u64>) -> Result<Option<Vec<u8>>, UpdateError> {
    check_url(url)?;
    let err = |reason: String| UpdateError::Download {
        url: url.to_owned(),
        reason,
    };
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(600))
        .connect_timeout(Duration::from_secs(30))
        .user_agent(concat!("chainproof/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() > 5 {
                attempt.error("too many redirects")
            } else if check_url(attempt.url().as_str()).is_err() {
                attempt.error("redirect to a refused URL")
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|e| err(e.to_string()))?;
    let mut req = client.get(url);
    if let Some(t) = if_modified_since {
        req = req.header("If-Modified-Since", http_date(t));
    }
    let resp = req.send().map_err(|e| err(e.to_string()))?;
    if resp.status() == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(None);
    }
    if !resp.status().is_success() {
        return Err(err(format!("HTTP {}", resp.status())));
    }
    let mut body = Vec::new();
    resp.take(MAX_DOWNLOAD)
        .read_to_end(&mut body)
        .map_err(|e| err(e.to_string()))?;
    Ok(Some(body))
}

/// What happened to one source during an update.
#[derive(Debug, Default)]
pub struct SourceReport {
    /// The URL.
    pub url: String,
    /// Whether the server said nothing changed since the last update.
    pub not_modified: bool,
    /// New records.
    pub added: usize,
    /// Records replaced by a newer `modified`.
    pub updated: usize,
    /// Records already current.
    pub unchanged: usize,
    /// Records that could not be read.
    pub errors: Vec<ImportError>,
    /// Why the source failed as a whole, if it did (its old records are kept).
    pub failure: Option<String>,
}

/// Updates (or creates) the database at `db_path` from `urls`, merging by `modified`.
/// Writes the file unless every source failed.
pub fn update(
    db_path: &Path,
    urls: &[String],
    now_unix: u64,
) -> Result<Vec<SourceReport>, UpdateError> {
    // A database in an older format is rebuilt from scratch (every source downloaded again).
    let existing = if db_path.exists() {
        match Database::open(db_path) {
            Ok(db) => Some(db),
            Err(DbError::Outdated { .. }) => None,
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    let mut builder = match &existing {
        Some(db) => DatabaseBuilder::from_database(db)?,
        None => DatabaseBuilder::new(),
    };
    let mut reports = Vec::new();
    for url in urls {
        let mut rep = SourceReport {
            url: url.clone(),
            ..SourceReport::default()
        };
        let since = existing.as_ref().and_then(|db| {
            db.meta()
                .sources
                .iter()
                .find(|s| &s.location == url && s.errors == 0)
                .map(|s| s.read_unix)
        });
        match download(url, since) {
            Ok(None) => rep.not_modified = true,
            Ok(Some(bytes)) => match import_zip(&bytes, url) {
                Ok(imported) => {
                    for r in &imported.records {
                        match builder.add(r) {
                            AddOutcome::Added => rep.added += 1,
                            AddOutcome::Updated => rep.updated += 1,
                            AddOutcome::Unchanged => rep.unchanged += 1,
                        }
                    }
                    builder.add_source(SourceMeta {
                        location: url.clone(),
                        records: imported.records.len(),
                        errors: imported.errors.len(),
                        read_unix: now_unix,
                    });
                    rep.errors = imported.errors;
                }
                Err(e) => rep.failure = Some(e.to_string()),
            },
            Err(e) => rep.failure = Some(e.to_string()),
        }
        reports.push(rep);
    }
    let all_failed = !reports.is_empty() && reports.iter().all(|r| r.failure.is_some());
    if !all_failed {
        builder.write(db_path, now_unix)?;
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(
            check_url("https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip").is_ok()
        );
        assert!(check_url("http://127.0.0.1:8080/all.zip").is_ok());
        assert!(check_url("http://localhost/all.zip").is_ok());
        assert!(check_url("http://[::1]:9/all.zip").is_ok());
        assert!(check_url("http://example.com/all.zip").is_err());
        assert!(check_url("http://127.0.0.1.evil.com/all.zip").is_err());
        assert!(check_url("ftp://127.0.0.1/x").is_err());
        assert!(check_url("nonsense").is_err());
        assert_eq!(
            default_sources()[14],
            format!("{OSV_BUCKET}/GitHub%20Actions/all.zip")
        );
    }

    #[test]
    fn dates() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
