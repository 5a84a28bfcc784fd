//! `chainproof db`: build, update and inspect the offline OSV database.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use chainproof_osv::db::{Database, DatabaseBuilder, SourceMeta};
use chainproof_osv::import::import_path;
use chainproof_osv::update;

use crate::ExitStatus;
use crate::cli::{DbAction, DbArgs};
use crate::printer::Printer;

/// Environment variable naming the database file.
pub const DB_ENV: &str = "CHAINPROOF_DB";

/// The database path: `--db`, else `$CHAINPROOF_DB`, else `<cache dir>/chainproof/osv.db`
/// (cache dir: `$XDG_CACHE_HOME`, else `~/.cache`; `%LOCALAPPDATA%` on Windows).
pub fn default_db_path(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_owned());
    }
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("LOCALAPPDATA")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|p| !p.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .context("no cache directory: set CHAINPROOF_DB, XDG_CACHE_HOME or HOME, or pass --db")?;
    Ok(cache.join("chainproof").join("osv.db"))
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Opens the database, refusing it when older than `max_age`. Errors say how to get one.
pub fn open_db(explicit: Option<&Path>, max_age: Option<Duration>) -> anyhow::Result<Database> {
    open_db_at(&existing_db_path(explicit)?, max_age)
}

/// The database path (`--db`, else the default), which must exist: a scan without a database
/// is an error that says how to get one.
pub fn existing_db_path(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    let path = default_db_path(explicit)?;
    if !path.exists() {
        bail!(
            "no vulnerability database at {}: run `chainproof db update` (downloads OSV), or \
             `chainproof db build <OSV dir|all.zip|advisory-db> -o {}`",
            path.display(),
            path.display()
        );
    }
    Ok(path)
}

/// Opens the database at `path`, refusing one older than `max_age`.
pub fn open_db_at(path: &Path, max_age: Option<Duration>) -> anyhow::Result<Database> {
    let db = Database::open(path)?;
    let age = now_unix().saturating_sub(db.meta().built_unix);
    if let Some(max) = max_age
        && age > max.as_secs()
    {
        bail!(
            "{}: database is {} old, more than --max-db-age {}; run `chainproof db update`",
            path.display(),
            humantime::format_duration(Duration::from_secs(age)),
            humantime::format_duration(max)
        );
    }
    Ok(db)
}

pub fn run(args: DbArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match args.action {
        DbAction::Build { sources, output } => build(&sources, &output, printer),
        DbAction::Status { db, max_db_age } => {
            status(db.as_deref(), max_db_age.map(Into::into), printer)
        }
        DbAction::Update { db, sources } => run_update(db.as_deref(), &sources, printer),
    }
}

fn build(sources: &[PathBuf], output: &Path, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let started = std::time::Instant::now();
    let mut builder = DatabaseBuilder::new();
    let (mut records, mut errors) = (0usize, 0usize);
    let mut unreadable = false;
    for src in sources {
        let imported = match import_path(src) {
            Ok(i) => i,
            Err(e) => {
                printer.error(&e.to_string());
                unreadable = true;
                continue;
            }
        };
        for e in &imported.errors {
            printer.warn(&e.to_string());
        }
        for r in &imported.records {
            builder.add(r);
        }
        printer.info(&format!(
            "{}: {} records, {} errors, {} skipped",
            src.display(),
            imported.records.len(),
            imported.errors.len(),
            imported.skipped.len()
        ));
        records += imported.records.len();
        errors += imported.errors.len();
        builder.add_source(SourceMeta {
            location: src.display().to_string(),
            records: imported.records.len(),
            errors: imported.errors.len(),
            read_unix: now_unix(),
        });
    }
    if unreadable {
        return Ok(ExitStatus::Error);
    }
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let meta = builder.write(output, now_unix())?;
    let size = std::fs::metadata(output).map_or(0, |m| m.len());
    printer.info(&format!(
        "wrote {}: {} records ({} read, {} unreadable), {} bytes, in {:.2?}",
        output.display(),
        meta.records,
        records,
        errors,
        size,
        started.elapsed()
    ));
    Ok(if errors > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn status(
    db: Option<&Path>,
    max_age: Option<Duration>,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let db = open_db(db, max_age)?;
    let meta = db.meta();
    let age = now_unix().saturating_sub(meta.built_unix);
    let built =
        humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(meta.built_unix));
    let mut out = format!(
        "database: {}\nbuilt:    {built} ({} ago)\nrecords:  {} ({} withdrawn)\nsources:\n",
        db.path().display(),
        humantime::format_duration(Duration::from_secs(age)),
        meta.records,
        meta.withdrawn
    );
    for s in &meta.sources {
        let read = humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(s.read_unix));
        out.push_str(&format!(
            "  {}  {} records, {} errors, read {read}\n",
            s.location, s.records, s.errors
        ));
    }
    out.push_str("ecosystems:\n");
    for (eco, n) in &meta.ecosystems {
        out.push_str(&format!("  {eco:<30} {n}\n"));
    }
    printer.stdout(&out)?;
    Ok(ExitStatus::Success)
}

fn run_update(
    db: Option<&Path>,
    sources: &[String],
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let path = default_db_path(db)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let urls = if sources.is_empty() {
        update::default_sources()
    } else {
        sources.to_vec()
    };
    for u in &urls {
        update::check_url(u)?;
    }
    let reports = update::update(&path, &urls, now_unix())?;
    let mut failed = false;
    for r in &reports {
        for e in &r.errors {
            printer.warn(&e.to_string());
        }
        match (&r.failure, r.not_modified) {
            (Some(f), _) => {
                failed = true;
                printer.error(&format!("{f} (its previous records, if any, are kept)"));
            }
            (None, true) => printer.info(&format!("{}: not modified", r.url)),
            (None, false) => printer.info(&format!(
                "{}: {} new, {} updated, {} unchanged, {} unreadable",
                r.url,
                r.added,
                r.updated,
                r.unchanged,
                r.errors.len()
            )),
        }
    }
    if reports.iter().all(|r| r.failure.is_some()) {
        printer.error(&format!(
            "no source could be read; {} left as it was",
            path.display()
        ));
    } else {
        printer.info(&format!("updated {}", path.display()));
    }
    Ok(if failed {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}
