//! The terminal table: open findings grouped by package, most severe package first.

use std::collections::BTreeMap;
use std::io::Write;

use chainproof_core::PackageId;
use chainproof_core::vuln::{Finding, Rating};

use crate::{RenderOptions, ScanReport, package_label, summary_line};

const RESET: &str = "\x1b[0m";

fn color(r: Rating) -> &'static str {
    match r {
        Rating::Critical => "\x1b[1;31m",
        Rating::High => "\x1b[31m",
        Rating::Medium => "\x1b[33m",
        Rating::Low => "\x1b[36m",
        Rating::None | Rating::Unknown => "\x1b[2m",
    }
}

pub(crate) fn render(
    report: &ScanReport<'_>,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut groups: BTreeMap<PackageId, Vec<&Finding>> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| !f.is_suppressed()) {
        groups.entry(f.package).or_default().push(f);
    }
    let mut groups: Vec<(PackageId, Vec<&Finding>)> = groups.into_iter().collect();
    for (_, fs) in &mut groups {
        fs.sort_by(|a, b| {
            b.severity
                .rating
                .cmp(&a.severity.rating)
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    let label = |id: PackageId| {
        if id.index() < report.inventory.len() {
            package_label(report.inventory.package(id))
        } else {
            String::new()
        }
    };
    groups.sort_by(|a, b| {
        let worst = |fs: &[&Finding]| fs.first().map_or(Rating::Unknown, |f| f.severity.rating);
        worst(&b.1)
            .cmp(&worst(&a.1))
            .then_with(|| label(a.0).cmp(&label(b.0)))
    });
    let paint = |r: Rating, text: &str| {
        if options.color {
            format!("{}{text}{RESET}", color(r))
        } else {
            text.to_string()
        }
    };
    for (id, fs) in &groups {
        let mut head = label(*id);
        if let Some(p) =
            (id.index() < report.inventory.len()).then(|| report.inventory.package(*id))
            && let Some(loc) = p.locations.first()
        {
            head.push_str(&format!("  ({loc})"));
        }
        if options.color {
            head = format!("\x1b[1m{head}{RESET}");
        }
        writeln!(out, "{head}")?;
        for f in fs {
            let sev = f.severity.rating.name().to_ascii_uppercase();
            let score = f
                .severity
                .score
                .map_or_else(|| "   -".to_string(), |s| format!("{s:>4.1}"));
            let ids = if f.aliases.is_empty() {
                f.id.clone()
            } else {
                format!("{} ({})", f.id, f.aliases.join(", "))
            };
            let fix = if f.fixed_versions.is_empty() {
                "no fix".to_string()
            } else {
                format!("fixed in {}", f.fixed_versions.join(", "))
            };
            let note = match &f.vex {
                Some(v) => format!("  [{} by {}]", v.status.name(), v.origin),
                None => String::new(),
            };
            writeln!(
                out,
                "  {} {score}  {ids}  {fix}{note}",
                paint(f.severity.rating, &format!("{sev:<8}"))
            )?;
            if let Some(s) = &f.summary {
                writeln!(out, "           {}", s.lines().next().unwrap_or_default())?;
            }
        }
    }
    if !groups.is_empty() {
        writeln!(out)?;
    }
    write!(out, "{}", summary_line(report))
}
