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

use serde_json::{Map, Value, json};

use crate::summary::{Counts, not_audited_by_reason};
use crate::{ScanReport, format_age, package_label};

/// The schema id written in `schema`.
pub const SCHEMA: &str = "chainproof-scan/1";

/// The JSON document of a report.
pub fn document(report: &ScanReport<'_>) -> Value {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let package = report.package(f).map_or(Value::Null, |p| {
                json!({
                    "name": p.name,
                    "version": p.version,
                    "purl": p.purl.as_ref().map(ToString::to_string),
                    "ecosystem": p.ecosystem.to_string(),
                    "locations": p.locations.iter().map(|l| json!({ "path": l.path, "line": l.line })).collect::<Vec<_>>(),
                })
            });
            json!({
                "id": f.id,
                "aliases": f.aliases,
                "summary": f.summary,
                "package": package,
                "affected": f.affected,
                "fixed_versions": f.fixed_versions,
                "severity": {
                    "rating": f.severity.rating.name(),
                    "score": f.severity.score,
                    "vector": f.severity.vector,
                    "source": f.severity.source.name(),
                },
                "references": f.references,
                "sources": f.sources,
                "suppressed": f.is_suppressed(),
                "vex": f.vex.as_ref().map(|v| json!({
                    "status": v.status.name(),
                    "justification": v.justification,
                    "statement": v.statement,
                    "origin": v.origin,
                })),
            })
        })
        .collect();
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
        "schema": SCHEMA,
        "target": report.target,
        "findings": findings,
        "summary": {
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
        },
    })
}
