//! The summary every format carries: findings by severity, suppressed, packages audited and
//! not audited (reasons grouped), database age.

use std::collections::BTreeMap;

use chainproof_core::vuln::{Finding, Rating};

use crate::ScanReport;

/// Finding counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// All findings.
    pub total: usize,
    /// Findings no VEX statement or ignore entry suppresses.
    pub open: usize,
    /// Findings suppressed (`not_affected` / `fixed`).
    pub suppressed: usize,
    /// Open findings per rating name, most severe first when iterated via [`Counts::by_rating`].
    pub open_by_rating: BTreeMap<Rating, usize>,
    /// Distinct packages with at least one open finding.
    pub vulnerable_packages: usize,
}

impl Counts {
    /// Counts the findings of a report.
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts {
            total: findings.len(),
            ..Counts::default()
        };
        let mut packages = std::collections::HashSet::new();
        for f in findings {
            if f.is_suppressed() {
                c.suppressed += 1;
            } else {
                c.open += 1;
                *c.open_by_rating.entry(f.severity.rating).or_default() += 1;
                packages.insert(f.package);
            }
        }
        c.vulnerable_packages = packages.len();
        c
    }

    /// `(rating, count)` for ratings with open findings, most severe first.
    pub fn by_rating(&self) -> impl Iterator<Item = (Rating, usize)> + '_ {
        self.open_by_rating.iter().rev().map(|(r, n)| (*r, *n))
    }
}

/// Not-audited packages grouped by reason: `(reason, count)`, most frequent first. Reasons
/// with per-package detail (`unparseable version 1.x: …`, `local package, not in any advisory
/// database (file:../a)`) are grouped under their fixed prefix ([`NotAudited::group`]); the
/// JSON report keeps each package's full reason.
///
/// [`NotAudited::group`]: chainproof_core::vuln::NotAudited::group
pub(crate) fn not_audited_by_reason(report: &ScanReport<'_>) -> Vec<(String, usize)> {
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &report.summary.not_audited {
        *by.entry(n.group()).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = by.into_iter().map(|(r, n)| (r.to_string(), n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// A duration in the largest sensible unit: `45s`, `12m`, `5h`, `3d`.
pub fn format_age(secs: u64) -> String {
    match secs {
        s if s < 120 => format!("{s}s"),
        s if s < 7200 => format!("{}m", s / 60),
        s if s < 172_800 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// The summary lines of the table (also useful on stderr for machine formats):
/// findings, packages audited / not audited with grouped reasons, database age.
pub fn summary_line(report: &ScanReport<'_>) -> String {
    let c = Counts::of(report.findings);
    let s = report.summary;
    let mut out = String::new();
    let sev: Vec<String> = c.by_rating().map(|(r, n)| format!("{n} {r}")).collect();
    if c.open == 0 {
        out.push_str("No open vulnerabilities");
    } else {
        out.push_str(&format!(
            "{} open {} in {} {} ({})",
            c.open,
            plural(c.open, "vulnerability", "vulnerabilities"),
            c.vulnerable_packages,
            plural(c.vulnerable_packages, "package", "packages"),
            sev.join(", ")
        ));
    }
    if c.suppressed > 0 {
        out.push_str(&format!(
            "; {} suppressed by VEX or ignore file",
            c.suppressed
        ));
    }
    out.push_str(".\n");
    out.push_str(&format!("Audited {} of {} packages", s.audited, s.packages));
    if s.not_audited.is_empty() {
        out.push('.');
    } else {
        let reasons: Vec<String> = not_audited_by_reason(report)
            .into_iter()
            .map(|(r, n)| format!("{r}: {n}"))
            .collect();
        out.push_str(&format!(
            "; NOT audited: {} ({}).",
            s.not_audited.len(),
            reasons.join(", ")
        ));
    }
    out.push('\n');
    let db = &s.database;
    if db.path.is_empty() && db.records == 0 {
        out.push_str("Database: none.\n");
    } else {
        out.push_str(&format!(
            "Database: {} records, {} old ({}).\n",
            db.records,
            format_age(db.age_secs),
            if db.path.is_empty() {
                "in memory"
            } else {
                &db.path
            }
        ));
    }
    out
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
