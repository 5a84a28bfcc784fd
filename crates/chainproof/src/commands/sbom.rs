//! `chainproof sbom`: generate, validate and convert SBOMs.

pub(crate) mod image;
pub(crate) mod limits;

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use chainproof_catalog::embedded_sbom::SbomReader;
use chainproof_catalog::{CatalogOptions, registry};
use chainproof_core::{Inventory, SourceInfo};
use chainproof_sbom::{DetectedFormat, EncodeOptions, ProblemKind};
use chainproof_source::{DirectoryResolver, WalkOptions};

use crate::ExitStatus;
use crate::cli::{GenerateArgs, InventoryArgs, SbomAction, SbomArgs};
use crate::output::{OutputFormat, OutputSpec, render};
use crate::printer::{Printer, progress};

pub fn run(args: SbomArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match args.action {
        Some(SbomAction::Validate { file }) => validate(&file, printer),
        Some(SbomAction::Convert { file, outputs }) => convert(&file, &outputs, printer),
        Some(SbomAction::Catalogers) => {
            printer.stdout(&registry::formats_table())?;
            Ok(ExitStatus::Success)
        }
        None => {
            let target = args.target.context("a target directory is required")?;
            generate(&target, &args.generate, printer)
        }
    }
}

fn generate(target: &Path, args: &GenerateArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    // Parse the outputs first: a typo in `-o` should not cost a whole walk.
    let outputs = OutputSpec::parse_all(&args.outputs)?;
    let inventory = inventory(target, &args.inventory, printer)?;
    write_outputs(&inventory, &outputs, printer)?;
    // The process ends right after this: freeing every package one by one (tens of
    // thousands of small allocations on a large tree) is work the OS does at once.
    std::mem::forget(inventory);
    Ok(ExitStatus::Success)
}

/// Inventories a target — a directory, a single file, an image archive or layout, or a
/// registry reference — and prints the summary on stderr.
pub(crate) fn inventory(
    target: &Path,
    args: &InventoryArgs,
    printer: &Printer,
) -> anyhow::Result<Inventory> {
    let catalogers = registry::select_with(&args.catalogers, Some(Arc::new(SbomDecoder)));
    if let Some(unknown) = args
        .catalogers
        .iter()
        .find(|n| !catalogers.iter().any(|c| c.name() == n.as_str()))
    {
        anyhow::bail!("unknown cataloger `{unknown}` (see `chainproof sbom catalogers`)");
    }
    if let Some(reference) = image::registry_reference(target)? {
        return image::inventory_from_registry(&reference, args, &catalogers, printer);
    }
    if let Some(image) = image::target(target) {
        return image::inventory(&image, None, args, &catalogers, printer);
    }
    let options = WalkOptions {
        exclude: args.exclude.clone(),
        follow_symlinks: args.follow_symlinks,
        ..WalkOptions::default()
    };
    let started = std::time::Instant::now();
    let is_file = target.is_file();
    let resolver = if is_file {
        DirectoryResolver::single_file(target, &options)
    } else {
        DirectoryResolver::walk(target, &options)
    }
    .with_context(|| format!("reading {}", target.display()))?;
    let catalog_options = CatalogOptions {
        progress: printer
            .wants_progress()
            .then_some(progress as fn(usize, usize)),
        // A file named on the command line together with `--catalogers` is read by those
        // catalogers whatever its name (e.g. a fixture called `two-packages.v1.json`).
        ignore_file_names: is_file && !args.catalogers.is_empty(),
    };
    let mut inventory = chainproof_catalog::catalog(&resolver, &catalogers, &catalog_options);
    inventory.source = SourceInfo {
        kind: if is_file { "file" } else { "directory" }.into(),
        name: directory_name(target),
        version: None,
        image: None,
    };
    summarize(&inventory, resolver_file_count(&resolver), started, printer);
    Ok(inventory)
}

/// Reads SBOMs embedded in the target (`*.cdx.json`, `*.spdx.json`, ...) with our own decoder.
pub(crate) struct SbomDecoder;

impl SbomReader for SbomDecoder {
    fn read(&self, bytes: &[u8], path: &str) -> Result<Inventory, String> {
        chainproof_sbom::decode(bytes, path)
            .map(|d| d.inventory)
            .map_err(|e| e.to_string())
    }
}

fn resolver_file_count(r: &DirectoryResolver) -> usize {
    use chainproof_source::FileResolver;
    r.files().len()
}

fn directory_name(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| canonical.display().to_string())
}

/// The stderr summary: counts, and every file that could not be understood.
pub(crate) fn summarize(
    inv: &Inventory,
    files: usize,
    started: std::time::Instant,
    printer: &Printer,
) {
    printer.info(&format!(
        "{} packages, {} dependency edges from {} files in {:.2?}",
        inv.len(),
        inv.edges().count(),
        files,
        started.elapsed()
    ));
    let unparsed = inv.unparsed();
    if !unparsed.is_empty() {
        printer.warn(&format!(
            "{} file(s) could not be parsed; their packages are NOT in this inventory:",
            unparsed.len()
        ));
        for u in unparsed {
            printer.warn(&format!("  [{}] {}", u.cataloger, u.error));
        }
    }
}

pub(crate) fn write_outputs(
    inventory: &Inventory,
    outputs: &[OutputSpec],
    printer: &Printer,
) -> anyhow::Result<()> {
    for spec in outputs {
        match (spec.format, &spec.file) {
            // SBOMs are streamed to their file while serialized (no copy of the document).
            (OutputFormat::Sbom(format), Some(path)) => {
                let file = std::fs::File::create(path)
                    .with_context(|| format!("writing {}", path.display()))?;
                let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
                chainproof_sbom::encode_to_writer(
                    inventory,
                    format,
                    &EncodeOptions::default(),
                    &mut out,
                )
                .with_context(|| format!("writing {}", path.display()))?;
                out.write_all(b"\n")
                    .and_then(|()| out.flush())
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            (format, Some(path)) => std::fs::write(path, render(inventory, format)?)
                .with_context(|| format!("writing {}", path.display()))?,
            (format, None) => printer.stdout(&render(inventory, format)?)?,
        }
    }
    Ok(())
}

fn read_document(file: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(file).with_context(|| format!("reading {}", file.display()))
}

fn describe(format: &DetectedFormat) -> String {
    match format {
        DetectedFormat::CycloneDx { version } => format!("CycloneDX {version}"),
        DetectedFormat::Spdx { version } => version.clone(),
    }
}

fn validate(file: &Path, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let bytes = read_document(file)?;
    let name = file.display().to_string();
    let report = chainproof_sbom::validate(&bytes, &name)?;
    let mut out = String::new();
    for p in &report.problems {
        let kind = match p.kind {
            ProblemKind::Schema => "schema",
            ProblemKind::Semantic => "semantic",
        };
        let pointer = if p.pointer.is_empty() {
            "/"
        } else {
            &p.pointer
        };
        out.push_str(&format!("{name}: {pointer}: {kind}: {}\n", p.message));
    }
    let verdict = if report.problems.is_empty() {
        "valid"
    } else {
        "invalid"
    };
    out.push_str(&format!(
        "{name}: {verdict} {} ({} problem(s))\n",
        describe(&report.format),
        report.problems.len()
    ));
    printer.stdout(&out)?;
    Ok(if report.problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn convert(file: &Path, outputs: &[String], printer: &Printer) -> anyhow::Result<ExitStatus> {
    let outputs = OutputSpec::parse_all(outputs)?;
    let bytes = read_document(file)?;
    let decoded = chainproof_sbom::decode(&bytes, &file.display().to_string())?;
    printer.info(&format!(
        "read {}: {} packages, {} dependency edges",
        describe(&decoded.format),
        decoded.inventory.len(),
        decoded.inventory.edges().count()
    ));
    write_outputs(&decoded.inventory, &outputs, printer)?;
    Ok(ExitStatus::Success)
}
