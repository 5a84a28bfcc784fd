//! OSV advisories, offline: a lenient model of the OSV schema ([`model`]), importers for OSV
//! JSON/YAML directories, `all.zip` exports and RustSec/HSEC Markdown ([`import`]), a compact
//! indexed single-file database ([`db`]), downloads of the public OSV exports ([`update`]),
//! the matcher that evaluates OSV ranges with each ecosystem's exact version order
//! ([`matcher::scan`]), and CVSS scoring ([`severity`]).
//!
//! Findings are [`chainproof_core::vuln::Finding`]s; rendering them is `chainproof-report`'s job.
//!
//! ```no_run
//! use chainproof_osv::{Database, ScanOptions, scan};
//! # fn inventory() -> chainproof_core::Inventory { unimplemented!() }
//! let db = Database::open(std::path::Path::new("osv.db"))?;
//! let (findings, summary) = scan(&inventory(), &db, &ScanOptions::default());
//! # Ok::<(), chainproof_osv::db::DbError>(())
//! ```
#![forbid(unsafe_code)]

pub mod compact;
pub mod db;
pub mod ecosystem;
pub mod ignore;
pub mod import;
pub mod matcher;
pub mod model;
pub mod severity;
pub mod update;
pub mod vex;

pub use db::{Database, DatabaseBuilder, DbError, DbMeta};
pub use matcher::{ScanOptions, match_affected, scan};
pub use model::{Affected, EcosystemName, Event, Range, Record};
