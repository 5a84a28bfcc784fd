//! Renders the findings of a scan ([`chainproof_core::vuln::Finding`] over an
//! [`chainproof_core::Inventory`]) as a terminal table, JSON, SARIF 2.1.0, a CycloneDX 1.6
//! vulnerability disclosure report, or an OpenVEX document.
//!
//! * `table` — grouped by package, most severe first, colored when asked; findings a VEX
//!   statement or ignore entry suppresses are hidden but counted in the summary.
//! * `json` — our documented schema (see [`json`]); suppressed findings stay, with their
//!   VEX state, justification and origin.
//! * `sarif` — SARIF 2.1.0 for GitHub code scanning: one rule per vulnerability, results
//!   located at the lockfile line, `security-severity` set; suppressed findings carry a
//!   SARIF `suppressions` entry.
//! * `cyclonedx-json` — CycloneDX 1.6 with components (written by `chainproof-sbom`) and
//!   `vulnerabilities` (ratings, affects, `analysis` for VEX'd ones).
//! * `openvex` — OpenVEX v0.2.0: `affected` for open findings, the VEX state otherwise.
//!   (With no findings at all the `statements` array is empty, which the OpenVEX schema's
//!   `minItems: 1` rejects; there is nothing to state.)
//!
//! Every format carries the summary: packages audited and not audited (reasons grouped),
//! and the database's age ([`summary_line`]).
//!
//! ```
//! use chainproof_core::{Inventory, vuln::ScanSummary};
//! use chainproof_report::{ReportFormat, ScanReport, render};
//! let inv = Inventory::default();
//! let summary = ScanSummary::default();
//! let report = ScanReport { target: "app", inventory: &inv, findings: &[], summary: &summary };
//! let mut out = Vec::new();
//! render("json".parse::<ReportFormat>().unwrap(), &report, &mut out).unwrap();
//! let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(doc["summary"]["packages"], 0);
//! ```
#![forbid(unsafe_code)]

mod cyclonedx;
pub mod json;
mod openvex;
mod sarif;
mod summary;
mod table;

use std::fmt;
use std::io::Write;
use std::str::FromStr;
use std::time::SystemTime;

use chainproof_core::vuln::{Finding, ScanSummary};
use chainproof_core::{Inventory, Package};

pub use summary::{Counts, format_age, summary_line};

/// Everything a report shows.
#[derive(Clone, Copy, Debug)]
pub struct ScanReport<'a> {
    /// What was scanned (a directory, image reference, SBOM file or purl), as shown.
    pub target: &'a str,
    pub inventory: &'a Inventory,
    pub findings: &'a [Finding],
    pub summary: &'a ScanSummary,
}

impl ScanReport<'_> {
    /// The package of a finding, when its id belongs to the inventory.
    pub fn package(&self, f: &Finding) -> Option<&Package> {
        (f.package.index() < self.inventory.len()).then(|| self.inventory.package(f.package))
    }
}

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Table,
    Json,
    Sarif,
    CycloneDxJson,
    OpenVex,
}

impl ReportFormat {
    /// Every format, in the order of the docs.
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Table,
        ReportFormat::Json,
        ReportFormat::Sarif,
        ReportFormat::CycloneDxJson,
        ReportFormat::OpenVex,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Table => "table",
            ReportFormat::Json => "json",
            ReportFormat::Sarif => "sarif",
            ReportFormat::CycloneDxJson => "cyclonedx-json",
            ReportFormat::OpenVex => "openvex",
        }
    }
}

impl fmt::Display for ReportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown format name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown report format `{0}` (expected table, json, sarif, cyclonedx-json or openvex)")]
pub struct UnknownFormat(pub String);

impl FromStr for ReportFormat {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "table" => ReportFormat::Table,
            "json" => ReportFormat::Json,
            "sarif" => ReportFormat::Sarif,
            "cyclonedx-json" | "cyclonedx" | "cdx" | "cdx-json" => ReportFormat::CycloneDxJson,
            "openvex" | "vex" => ReportFormat::OpenVex,
            _ => return Err(UnknownFormat(s.to_string())),
        })
    }
}

/// Rendering choices that do not come from the scan.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// ANSI colors in the table (decide from `--color` / whether stdout is a terminal).
    pub color: bool,
    /// The document time written into CycloneDX and OpenVEX output.
    pub timestamp: SystemTime,
}

impl RenderOptions {
    /// Whether to color the table on stdout: `Some(choice)` from `--color always|never`,
    /// else automatic — a terminal and no `NO_COLOR` in the environment.
    pub fn color_for_stdout(choice: Option<bool>) -> bool {
        use std::io::IsTerminal;
        choice.unwrap_or_else(|| {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        })
    }
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            timestamp: SystemTime::now(),
        }
    }
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot build the CycloneDX document: {0}")]
    CycloneDx(String),
    #[error("cannot serialize the report: {0}")]
    Json(#[from] serde_json::Error),
}

/// Renders `report` in `format` with default options (no color, current time).
pub fn render(
    format: ReportFormat,
    report: &ScanReport<'_>,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    render_with(format, report, &RenderOptions::default(), out)
}

/// Renders `report` in `format`.
pub fn render_with(
    format: ReportFormat,
    report: &ScanReport<'_>,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    match format {
        ReportFormat::Table => table::render(report, options, out)?,
        ReportFormat::Json => json::write(report, out)?,
        ReportFormat::Sarif => write_json(&sarif::document(report), out)?,
        ReportFormat::CycloneDxJson => write_json(&cyclonedx::document(report, options)?, out)?,
        ReportFormat::OpenVex => write_json(&openvex::document(report, options), out)?,
    }
    Ok(())
}

fn write_json(v: &serde_json::Value, out: &mut dyn Write) -> Result<(), ReportError> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A package shown as its purl, else `name@version`.
pub(crate) fn package_label(p: &Package) -> String {
    match (&p.purl, &p.version) {
        (Some(purl), _) => purl.to_string(),
        (None, Some(v)) => format!("{}@{v}", p.name),
        (None, None) => p.name.clone(),
    }
}
