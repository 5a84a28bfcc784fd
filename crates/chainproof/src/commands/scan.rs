//! `chainproof scan`: inventory a target (or read an SBOM, or take one purl), match it
//! against the offline OSV database, refine with VEX and the ignore file, and report.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use chainproof_core::vuln::{Finding, Rating};
use chainproof_core::{Ecosystem, Inventory, Package, SourceInfo};
use chainproof_osv::ignore::IgnoreFile;
use chainproof_osv::vex::VexSet;
use chainproof_osv::{ScanOptions, scan};
use chainproof_purl::Purl;
use chainproof_report::{RenderOptions, ReportFormat, ScanReport, render_with, summary_line};
use clap::{Args, ValueEnum};

use crate::ExitStatus;
use crate::cli::InventoryArgs;
use crate::printer::Printer;

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// What to scan: a directory or lockfile, a CycloneDX / SPDX JSON SBOM, a container image
    /// (`docker-archive:`, `oci-archive:`, `oci-dir:`, `registry:` or a reference with a tag),
    /// or one package URL (`pkg:pypi/jinja2@2.4.1`).
    pub target: String,

    /// The vulnerability database (default: `$CHAINPROOF_DB`, else the one `chainproof db
    /// update` keeps in the user's cache directory).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Refuse a database older than this (`7d`, `36h`).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub max_db_age: Option<Duration>,

    /// Output as FORMAT, to stdout or to FILE; repeatable. FORMAT: table (default), json,
    /// sarif (2.1.0), cyclonedx-json (1.6 with vulnerabilities), openvex.
    #[arg(short, long = "output", value_name = "FORMAT[=FILE]")]
    pub outputs: Vec<String>,

    /// Exit 1 when a finding at or above this severity remains after VEX and the ignore
    /// file: low, medium, high, critical (`unknown` counts findings without severity too).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,

    /// Report only findings that have a fixed version.
    #[arg(long)]
    pub only_fixed: bool,

    /// VEX documents (OpenVEX, CycloneDX VEX, CSAF) that suppress or annotate findings;
    /// repeatable.
    #[arg(long = "vex", value_name = "FILE")]
    pub vex: Vec<PathBuf>,

    /// Local exceptions (default: `.chainproof.toml` in the target directory, if any).
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Option<PathBuf>,

    /// Color the table: auto (a terminal, and no NO_COLOR), always, never.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,

    #[command(flatten)]
    pub inventory: InventoryArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn run(args: ScanArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    // Everything that can be wrong in the arguments is checked before any work.
    let outputs = parse_outputs(&args.outputs)?;
    let fail_on = args.fail_on.as_deref().map(parse_rating).transpose()?;
    let db_path = super::db::existing_db_path(args.db.as_deref())?;
    let vex = VexSet::load(&args.vex)?;

    // The database's index is read on a second thread while the target is inventoried (or
    // its SBOM decoded): the two are independent and each takes a good part of a scan.
    let (db, inventory) = std::thread::scope(|s| {
        let db = s.spawn(|| super::db::open_db_at(&db_path, args.max_db_age));
        let inventory = target_inventory(&args.target, &args.inventory, printer);
        let db = db.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (db, inventory)
    });
    // A database error is reported before an inventory error, as when they ran in turn.
    let db = db?;
    let inventory = inventory?;
    let (mut findings, summary) = scan(&inventory, &db, &ScanOptions::default());

    let vex_applied = vex.apply(&inventory, &mut findings);
    if vex_applied > 0 {
        printer.info(&format!("{vex_applied} finding(s) annotated by VEX"));
    }
    let ignore_path = args
        .ignore_file
        .clone()
        .or_else(|| IgnoreFile::discover(Path::new(&args.target)));
    if let Some(path) = ignore_path {
        let ignore = IgnoreFile::load(&path)?;
        for w in ignore.apply(&inventory, &mut findings) {
            printer.warn(&w.to_string());
        }
    }
    if args.only_fixed {
        findings.retain(|f| !f.fixed_versions.is_empty());
    }

    let report = ScanReport {
        target: &args.target,
        inventory: &inventory,
        findings: &findings,
        summary: &summary,
    };
    let color = RenderOptions::color_for_stdout(match args.color {
        ColorChoice::Auto => None,
        ColorChoice::Always => Some(true),
        ColorChoice::Never => Some(false),
    });
    let table_on_stdout = outputs
        .iter()
        .any(|(f, file)| *f == ReportFormat::Table && file.is_none());
    for (format, file) in &outputs {
        let options = RenderOptions {
            color: color && file.is_none(),
            ..RenderOptions::default()
        };
        // Rendered straight into the destination (a report can be tens of MB).
        match file {
            Some(path) => {
                let f = std::fs::File::create(path)
                    .with_context(|| format!("writing {}", path.display()))?;
                let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
                render_with(*format, &report, &options, &mut out)?;
                out.flush()
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            None => {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
                render_with(*format, &report, &options, &mut out)?;
                out.flush()?;
            }
        }
    }
    if !table_on_stdout {
        printer.info(&summary_line(&report));
    }

    let status = match fail_on {
        Some(threshold) if findings.iter().any(|f| fails(f, threshold)) => ExitStatus::Failure,
        _ => ExitStatus::Success,
    };
    // The process ends right after this: freeing every finding, package and index buffer one
    // by one is work the OS does at once (a tenth of a 10,000-package scan's CPU time).
    std::mem::forget((findings, inventory, db, summary));
    Ok(status)
}

/// Whether an open (not suppressed) finding reaches the `--fail-on` threshold.
fn fails(f: &Finding, threshold: Rating) -> bool {
    !f.is_suppressed() && f.severity.rating >= threshold
}

fn parse_outputs(specs: &[String]) -> anyhow::Result<Vec<(ReportFormat, Option<PathBuf>)>> {
    if specs.is_empty() {
        return Ok(vec![(ReportFormat::Table, None)]);
    }
    let mut out = Vec::new();
    for spec in specs {
        let (name, file) = match spec.split_once('=') {
            Some((n, f)) if !f.is_empty() => (n, Some(PathBuf::from(f))),
            Some((n, _)) => (n, None),
            None => (spec.as_str(), None),
        };
        let format: ReportFormat = name.parse()?;
        out.push((format, file));
    }
    if out.iter().filter(|(_, f)| f.is_none()).count() > 1 {
        bail!("at most one -o may write to stdout; give the others a file (`-o json=out.json`)");
    }
    Ok(out)
}

fn parse_rating(s: &str) -> anyhow::Result<Rating> {
    Ok(match s.to_ascii_lowercase().as_str() {
        "unknown" => Rating::Unknown,
        "none" => Rating::None,
        "low" => Rating::Low,
        "medium" | "moderate" => Rating::Medium,
        "high" => Rating::High,
        "critical" => Rating::Critical,
        _ => bail!("--fail-on `{s}`: expected low, medium, high, critical or unknown"),
    })
}

/// The inventory of a scan target: one purl, an SBOM document, or what the catalogers find.
fn target_inventory(
    target: &str,
    args: &InventoryArgs,
    printer: &Printer,
) -> anyhow::Result<Inventory> {
    if target.starts_with("pkg:") {
        return purl_inventory(target);
    }
    let path = Path::new(target);
    if path.is_file()
        && let Some(inv) = sbom_inventory(path, printer)?
    {
        return Ok(inv);
    }
    super::sbom::inventory(path, args, printer)
}

fn purl_inventory(text: &str) -> anyhow::Result<Inventory> {
    let purl = Purl::parse_lenient(text).with_context(|| format!("`{text}` is not a purl"))?;
    let Some(version) = purl.version().map(str::to_owned) else {
        bail!("`{text}` has no version: a scan needs package@version");
    };
    let ecosystem = Ecosystem::from_purl_type(purl.ty());
    let name = match purl.namespace() {
        // Maven's name is group:artifact; npm and Go keep the namespace in the name.
        Some(ns) if purl.ty() == "maven" => format!("{ns}:{}", purl.name()),
        Some(ns) if matches!(purl.ty(), "npm" | "golang" | "composer") => {
            format!("{ns}/{}", purl.name())
        }
        _ => purl.name().to_owned(),
    };
    let mut inv = Inventory::new(SourceInfo {
        kind: "purl".into(),
        name: text.into(),
        version: None,
        image: None,
    });
    let id = inv.add_package(Package::new(ecosystem, name, Some(&version)).with_purl(purl));
    inv.add_root(id);
    Ok(inv)
}

/// A CycloneDX or SPDX JSON document, decoded; `None` when the file is not an SBOM.
fn sbom_inventory(path: &Path, printer: &Printer) -> anyhow::Result<Option<Inventory>> {
    let name = path.display().to_string();
    let looks_like_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !looks_like_json {
        return Ok(None);
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {name}"))?;
    // Decoded directly (one JSON parse); only when that fails is the file checked for being
    // an SBOM at all: a JSON file that is not one goes to the catalogers instead.
    let decoded = match chainproof_sbom::decode(&bytes, &name) {
        Ok(d) => d,
        Err(_) if chainproof_sbom::detect(&bytes, &name).is_err() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    printer.info(&format!(
        "read SBOM {name}: {} packages, {} dependency edges",
        decoded.inventory.len(),
        decoded.inventory.edges().count()
    ));
    Ok(Some(decoded.inventory))
}
