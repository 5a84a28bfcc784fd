//! The `cyclonedx-json` format: a CycloneDX 1.6 vulnerability disclosure report. The
//! components (and dependency graph) are written by `chainproof-sbom`; each finding adds a
//! `vulnerabilities` entry with ratings, the affected component and, when a VEX statement
//! or ignore entry applies, its `analysis`.

use chainproof_core::vuln::{Finding, Rating, SeveritySource, VexStatus};
use chainproof_osv::vex::cyclonedx::{justification_from_openvex, source_name, state_name};
use chainproof_sbom::{CdxVersion, EncodeOptions, Format, encode};
use serde_json::{Map, Value, json};

use crate::{RenderOptions, ReportError, ScanReport};

pub(crate) fn document(
    report: &ScanReport<'_>,
    options: &RenderOptions,
) -> Result<Value, ReportError> {
    let opts = EncodeOptions {
        timestamp: options.timestamp,
        ..EncodeOptions::default()
    };
    let text = encode(
        report.inventory,
        Format::CycloneDxJson(CdxVersion::V1_6),
        &opts,
    )
    .map_err(|e| ReportError::CycloneDx(e.to_string()))?;
    let mut bom: Value = serde_json::from_str(&text)?;
    // chainproof-sbom writes one component per package, in inventory order.
    let refs: Vec<Option<String>> = bom["components"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| c["bom-ref"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let vulns: Vec<Value> = report
        .findings
        .iter()
        .filter_map(|f| {
            let r = refs.get(f.package.index()).cloned().flatten()?;
            Some(vulnerability(report, f, &r))
        })
        .collect();
    bom["vulnerabilities"] = Value::Array(vulns);
    Ok(bom)
}

fn vulnerability(report: &ScanReport<'_>, f: &Finding, bom_ref: &str) -> Value {
    let mut v = Map::new();
    v.insert("id".into(), json!(f.id));
    v.insert("source".into(), source(&f.id));
    let refs: Vec<Value> = f
        .aliases
        .iter()
        .map(|a| json!({ "id": a, "source": source(a) }))
        .collect();
    if !refs.is_empty() {
        v.insert("references".into(), Value::Array(refs));
    }
    v.insert("ratings".into(), json!([rating(f)]));
    if let Some(s) = &f.summary {
        v.insert("description".into(), json!(s));
    }
    if !f.fixed_versions.is_empty() {
        v.insert(
            "recommendation".into(),
            json!(format!("Upgrade to {}", f.fixed_versions.join(" or "))),
        );
    }
    let advisories: Vec<Value> = f
        .references
        .iter()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .map(|u| json!({ "url": u }))
        .collect();
    if !advisories.is_empty() {
        v.insert("advisories".into(), Value::Array(advisories));
    }
    let mut affect = json!({ "ref": bom_ref });
    if let Some(version) = report
        .package(f)
        .and_then(|p| p.version.as_deref())
        .filter(|s| !s.is_empty())
    {
        let status = match &f.vex {
            Some(a) if matches!(a.status, VexStatus::NotAffected | VexStatus::Fixed) => {
                "unaffected"
            }
            Some(a) if a.status == VexStatus::UnderInvestigation => "unknown",
            _ => "affected",
        };
        affect["versions"] = json!([{ "version": version, "status": status }]);
    }
    v.insert("affects".into(), json!([affect]));
    if let Some(a) = &f.vex {
        let mut analysis = Map::new();
        analysis.insert("state".into(), json!(state_name(a.status)));
        let mut detail = a.statement.clone();
        if let Some(j) = &a.justification {
            match justification_from_openvex(j) {
                Some(c) => {
                    analysis.insert("justification".into(), json!(c));
                }
                None => {
                    detail = Some(detail.map_or_else(
                        || format!("justification: {j}"),
                        |d| format!("{d} (justification: {j})"),
                    ))
                }
            }
        }
        let origin = format!("Source: {}", a.origin);
        analysis.insert(
            "detail".into(),
            json!(detail.map_or(origin.clone(), |d| format!("{d}\n{origin}"))),
        );
        v.insert("analysis".into(), Value::Object(analysis));
    }
    let mut props =
        vec![json!({ "name": "chainproof:severity-source", "value": f.severity.source.name() })];
    for s in &f.sources {
        props.push(json!({ "name": "chainproof:advisory-record", "value": s }));
    }
    v.insert("properties".into(), Value::Array(props));
    Value::Object(v)
}

fn source(id: &str) -> Value {
    let upper = id.to_ascii_uppercase();
    let url = if upper.starts_with("CVE-") {
        format!("https://nvd.nist.gov/vuln/detail/{id}")
    } else {
        format!("https://osv.dev/vulnerability/{id}")
    };
    json!({ "name": source_name(id), "url": url })
}

fn rating(f: &Finding) -> Value {
    let severity = match f.severity.rating {
        Rating::Critical => "critical",
        Rating::High => "high",
        Rating::Medium => "medium",
        Rating::Low => "low",
        Rating::None => "none",
        Rating::Unknown => "unknown",
    };
    let vector = f.severity.vector.as_deref();
    let method = match f.severity.source {
        SeveritySource::CvssV4 => "CVSSv4",
        SeveritySource::CvssV3 if vector.is_some_and(|v| v.starts_with("CVSS:3.1")) => "CVSSv31",
        SeveritySource::CvssV3 => "CVSSv3",
        SeveritySource::CvssV2 => "CVSSv2",
        SeveritySource::DatabaseSpecific | SeveritySource::None => "other",
    };
    let mut r = json!({ "severity": severity, "method": method });
    if let Some(s) = f.severity.score {
        r["score"] = json!(s);
    }
    if let Some(v) = vector {
        r["vector"] = json!(v);
    }
    r
}
