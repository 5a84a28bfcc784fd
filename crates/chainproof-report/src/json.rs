//! The `json` format: chainproof's own scan report schema (`"schema": "chainproof-scan/1"`).
//!
//! ```text
//! {
//!   "schema": "chainproof-scan/1",
//!   "target": "path/or/image",
//!   "findings": [{
//!     "id": "GHSA-…", "aliases": ["CVE-…"], "summary": "…" | null,
//!     "package": { "name", "version" | null, "purl" | null, "ecosystem",
//!                  "locations": [{ "path", "line" | null }] },
//!     "affected": ["…"], "fixed_versions": ["…"],
//!     "severity": { "rating": "critical|high|medium|low|none|unknown", "score" | null,
//!                   "vector" | null, "source": "cvss-v4|cvss-v3|cvss-v2|database-specific|none" },
//!     "references": ["url"], "sources": ["record id"],
//!     "suppressed": bool,
//!     "vex": null | { "status": "not_affected|affected|fixed|under_investigation",
//!                     "justification" | null, "statement" | null, "origin": "file" }
//!   }],
//!   "summary": {
//!     "packages", "audited",
//!     "not_audited": [{ "package": "purl or name@version", "reason" }],
//!     "not_audited_by_reason": { "<reason>": count },
//!     "findings": { "total", "open", "suppressed", "open_by_severity": { "<rating>": count } },
//!     "database": { "path", "built_unix", "age_secs", "age", "records", "sources", "ecosystems" }
//!   }
//! }
//! ```
//!
//! Suppressed findings are kept, with `suppressed: true` and their `vex` object.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

use chainproof_core::vuln::Finding;

use crate::summary::{Counts, not_audited_by_reason};
use crate::{ReportError, ScanReport, format_age, package_label};

/// The schema id written in `schema`.
pub const SCHEMA: &str = "chainproof-scan/1";

// The document is serialized straight from borrowed structs (no `Value` tree for the
// findings, which can be tens of thousands). Fields are in alphabetical order, the order a
// `serde_json::Map` gives, so `document` and `write` agree byte for byte.

#[derive(Serialize)]
struct Doc<'a> {
    findings: Vec<FindingOut<'a>>,
    schema: &'static str,
    summary: Value,
    target: &'a str,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    affected: &'a [String],
    aliases: &'a [String],
    fixed_versions: &'a [String],
    id: &'a str,
    package: Option<PackageOut<'a>>,
    references: &'a [String],
    severity: SeverityOut<'a>,
    sources: &'a [String],
    summary: Option<&'a str>,
    suppressed: bool,
    vex: Option<VexOut<'a>>,
}

#[derive(Serialize)]
struct PackageOut<'a> {
    ecosystem: &'a str,
    locations: Vec<LocationOut<'a>>,
    name: &'a str,
    purl: Option<&'a str>,
    version: Option<&'a str>,
}

#[derive(Serialize)]
struct LocationOut<'a> {
    line: Option<u32>,
    path: &'a str,
}

#[derive(Serialize)]
struct SeverityOut<'a> {
    rating: &'static str,
    score: Option<f64>,
    source: &'static str,
    vector: Option<&'a str>,
}

#[derive(Serialize)]
struct VexOut<'a> {
    justification: Option<&'a str>,
    origin: &'a str,
    statement: Option<&'a str>,
    status: &'static str,
}

fn finding<'a>(report: &ScanReport<'a>, f: &'a Finding) -> FindingOut<'a> {
    let package = (f.package.index() < report.inventory.len()).then(|| {
        let p = report.inventory.package(f.package);
        PackageOut {
            ecosystem: p.ecosystem.as_str(),
            locations: p
                .locations
                .iter()
                .map(|l| LocationOut {
                    line: l.line,
                    path: &l.path,
                })
                .collect(),
            name: &p.name,
            // A package's inventory key is its purl string when it has one.
            purl: p.purl.as_ref().map(|_| report.inventory.key(f.package)),
            version: p.version.as_deref(),
        }
    });
    FindingOut {
        affected: &f.affected,
        aliases: &f.aliases,
        fixed_versions: &f.fixed_versions,
        id: &f.id,
        package,
        references: &f.references,
        severity: SeverityOut {
            rating: f.severity.rating.name(),
            score: f.severity.score,
            source: f.severity.source.name(),
            vector: f.severity.vector.as_deref(),
        },
        sources: &f.sources,
        summary: f.summary.as_deref(),
        suppressed: f.is_suppressed(),
        vex: f.vex.as_ref().map(|v| VexOut {
            justification: v.justification.as_deref(),
            origin: &v.origin,
            statement: v.statement.as_deref(),
            status: v.status.name(),
        }),
    }
}

fn doc<'a>(report: &ScanReport<'a>) -> Doc<'a> {
    Doc {
        findings: report.findings.iter().map(|f| finding(report, f)).collect(),
        schema: SCHEMA,
        summary: summary(report),
        target: report.target,
    }
}

/// The JSON document of a report.
pub fn document(report: &ScanReport<'_>) -> Value {
    serde_json::to_value(doc(report)).unwrap_or(Value::Null)
}

/// Findings serialized per parallel task, and per batch written before the next is started
/// (bounds the memory held: a batch is about a MB of JSON, its buffers reused by the next).
const TASK: usize = 64;
const BATCH: usize = 1024;

/// Writes the JSON document of a report (pretty-printed, with a final newline) without
/// building it in memory first: the same bytes as `serde_json::to_writer_pretty(document)`.
/// Findings are serialized on all cores, in batches, and written in order.
pub fn write(report: &ScanReport<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, out);
    buf.write_all(b"{\n  \"findings\": [")?;
    for (b, batch) in report.findings.chunks(BATCH).enumerate() {
        let parts = batch
            .par_chunks(TASK)
            .enumerate()
            .map(|(t, findings)| {
                let first = b * BATCH + t * TASK;
                let mut text = Vec::with_capacity(findings.len() * 1024);
                for (i, f) in findings.iter().enumerate() {
                    let sep: &[u8] = if first + i == 0 {
                        b"\n    "
                    } else {
                        b",\n    "
                    };
                    text.extend_from_slice(sep);
                    finding(report, f).serialize(&mut nested(&mut text, 2))?;
                }
                Ok(text)
            })
            .collect::<Result<Vec<Vec<u8>>, serde_json::Error>>()?;
        for part in parts {
            buf.write_all(&part)?;
        }
    }
    if !report.findings.is_empty() {
        buf.write_all(b"\n  ")?;
    }
    buf.write_all(b"],\n  \"schema\": ")?;
    serde_json::to_writer(&mut buf, SCHEMA)?;
    buf.write_all(b",\n  \"summary\": ")?;
    summary(report).serialize(&mut nested(&mut buf, 1))?;
    buf.write_all(b",\n  \"target\": ")?;
    serde_json::to_writer(&mut buf, report.target)?;
    buf.write_all(b"\n}\n")?;
    buf.flush()?;
    Ok(())
}

/// A serializer writing serde_json's pretty format for a value `depth` levels deep in the
/// document (the bytes `to_writer_pretty` of the whole document gives there).
fn nested<W: Write>(out: W, depth: usize) -> serde_json::Serializer<W, Nested> {
    serde_json::Serializer::with_formatter(
        out,
        Nested {
            depth,
            has_value: false,
        },
    )
}

/// serde_json's `PrettyFormatter` (two-space indent) starting at a given depth.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn newline<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

fn summary(report: &ScanReport<'_>) -> Value {
    let s = report.summary;
    let c = Counts::of(report.findings);
    let by_rating: Map<String, Value> = c
        .by_rating()
        .map(|(r, n)| (r.name().to_string(), json!(n)))
        .collect();
    let by_reason: Map<String, Value> = not_audited_by_reason(report)
        .into_iter()
        .map(|(r, n)| (r, json!(n)))
        .collect();
    let not_audited: Vec<Value> = s
        .not_audited
        .iter()
        .map(|n| {
            let label = (n.package.index() < report.inventory.len())
                .then(|| package_label(report.inventory.package(n.package)));
            json!({ "package": label, "reason": n.reason })
        })
        .collect();
    let db = &s.database;
    json!({
        "packages": s.packages,
        "audited": s.audited,
        "not_audited": not_audited,
        "not_audited_by_reason": by_reason,
        "findings": {
            "total": c.total,
            "open": c.open,
            "suppressed": c.suppressed,
            "open_by_severity": by_rating,
        },
        "database": {
            "path": db.path,
            "built_unix": db.built_unix,
            "age_secs": db.age_secs,
            "age": format_age(db.age_secs),
            "records": db.records,
            "sources": db.sources,
            "ecosystems": db.ecosystems,
        },
    })
}
