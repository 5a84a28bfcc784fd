//! CycloneDX VEX: `vulnerabilities[].analysis` with `affects[].ref` pointing at a component's
//! `bom-ref` (in this BOM, or in another as `urn:cdx:<serial>/<version>#<bom-ref>`); writes
//! CycloneDX 1.6.

use std::collections::{BTreeMap, HashMap};

use chainproof_core::vuln::VexStatus;
use serde_json::{Map, Value, json};

use super::openvex::{DocumentMeta, fnv64};
use super::{
    ProductId, Timestamp, VexError, VexProduct, VexStatement, array, parse_status, ptr, text,
};

/// CycloneDX justification → OpenVEX justification.
pub fn justification_to_openvex(j: &str) -> Option<&'static str> {
    Some(match j {
        "code_not_present" => "vulnerable_code_not_present",
        "code_not_reachable" => "vulnerable_code_not_in_execute_path",
        "requires_configuration" | "requires_environment" => {
            "vulnerable_code_cannot_be_controlled_by_adversary"
        }
        "requires_dependency" => "component_not_present",
        "protected_by_compiler"
        | "protected_at_runtime"
        | "protected_at_perimeter"
        | "protected_by_mitigating_control" => "inline_mitigations_already_exist",
        _ => return None,
    })
}

/// OpenVEX justification → CycloneDX justification.
pub fn justification_from_openvex(j: &str) -> Option<&'static str> {
    Some(match j {
        "component_not_present" => "requires_dependency",
        "vulnerable_code_not_present" => "code_not_present",
        "vulnerable_code_not_in_execute_path" => "code_not_reachable",
        "vulnerable_code_cannot_be_controlled_by_adversary" => "requires_environment",
        "inline_mitigations_already_exist" => "protected_by_mitigating_control",
        "code_not_present"
        | "code_not_reachable"
        | "requires_configuration"
        | "requires_dependency"
        | "requires_environment"
        | "protected_by_compiler"
        | "protected_at_runtime"
        | "protected_at_perimeter"
        | "protected_by_mitigating_control" => return cdx_name(j),
        _ => return None,
    })
}

fn cdx_name(j: &str) -> Option<&'static str> {
    [
        "code_not_present",
        "code_not_reachable",
        "requires_configuration",
        "requires_dependency",
        "requires_environment",
        "protected_by_compiler",
        "protected_at_runtime",
        "protected_at_perimeter",
        "protected_by_mitigating_control",
    ]
    .into_iter()
    .find(|n| *n == j)
}

/// The CycloneDX analysis state of a status.
pub fn state_name(status: VexStatus) -> &'static str {
    match status {
        VexStatus::NotAffected => "not_affected",
        VexStatus::Affected => "exploitable",
        VexStatus::Fixed => "resolved",
        VexStatus::UnderInvestigation => "in_triage",
    }
}

/// Reads the statements of a CycloneDX document (already parsed). Vulnerabilities without
/// an `analysis.state` say nothing about exploitability and give no statement.
pub fn read(doc: &Value, path: &str) -> Result<Vec<VexStatement>, VexError> {
    let mut refs = HashMap::new();
    if let Some(c) = doc.pointer("/metadata/component") {
        collect_refs(c, &mut refs);
    }
    for c in array(doc, "components") {
        collect_refs(c, &mut refs);
    }
    let doc_time = doc
        .pointer("/metadata/timestamp")
        .and_then(Value::as_str)
        .and_then(Timestamp::parse);
    let mut out = Vec::new();
    for (i, v) in array(doc, "vulnerabilities").iter().enumerate() {
        let at = ptr("/vulnerabilities", i);
        let Some(analysis) = v.get("analysis") else {
            continue;
        };
        let Some(state) = text(analysis, "state") else {
            continue;
        };
        let status = parse_status(&state).ok_or_else(|| {
            VexError::invalid(
                path,
                &ptr(&ptr(&at, "analysis"), "state"),
                format!("unknown analysis state `{state}`"),
            )
        })?;
        let id = text(v, "id").ok_or_else(|| {
            VexError::invalid(
                path,
                &ptr(&at, "id"),
                "a vulnerability with an analysis needs an `id`",
            )
        })?;
        let mut aliases: Vec<String> = array(v, "references")
            .iter()
            .filter_map(|r| text(r, "id"))
            .filter(|a| *a != id)
            .collect();
        aliases.sort();
        aliases.dedup();
        let products: Vec<VexProduct> = array(v, "affects")
            .iter()
            .filter_map(|a| text(a, "ref"))
            .map(|r| VexProduct::new(resolve_ref(&r, &refs)))
            .collect();
        if products.is_empty() {
            return Err(VexError::invalid(
                path,
                &ptr(&at, "affects"),
                "an analysis must name what it affects",
            ));
        }
        let justification = text(analysis, "justification")
            .map(|j| justification_to_openvex(&j).map_or(j, str::to_string));
        let responses: Vec<String> = array(analysis, "response")
            .iter()
            .filter_map(Value::as_str)
            .map(response_text)
            .collect();
        let timestamp = [
            analysis.get("lastUpdated"),
            v.get("updated"),
            analysis.get("firstIssued"),
            v.get("published"),
        ]
        .into_iter()
        .flatten()
        .find_map(|t| t.as_str().and_then(Timestamp::parse))
        .or_else(|| doc_time.clone());
        out.push(VexStatement {
            vulnerability: id,
            aliases,
            products,
            status,
            justification,
            impact: text(analysis, "detail"),
            action: (!responses.is_empty()).then(|| responses.join("; ")),
            timestamp,
            origin: path.to_string(),
        });
    }
    Ok(out)
}

fn response_text(r: &str) -> String {
    match r {
        "can_not_fix" => "Can not fix".into(),
        "will_not_fix" => "Will not fix".into(),
        "update" => "Update to a version that fixes it".into(),
        "rollback" => "Roll back to a version that is not affected".into(),
        "workaround_available" => "A workaround is available".into(),
        other => other.to_string(),
    }
}

fn collect_refs(c: &Value, refs: &mut HashMap<String, ProductId>) {
    if let Some(r) = text(c, "bom-ref") {
        let id = text(c, "purl").map_or_else(|| ProductId::parse(&r), |p| ProductId::parse(&p));
        refs.insert(r, id);
    }
    for child in array(c, "components") {
        collect_refs(child, refs);
    }
}

/// A ref of this BOM (`bom-ref`), or of another (`urn:cdx:serial/version#bom-ref`); the
/// component's purl when the BOM has it, the ref itself when it is a purl.
fn resolve_ref(r: &str, refs: &HashMap<String, ProductId>) -> ProductId {
    if let Some(id) = refs.get(r) {
        return id.clone();
    }
    let local = match r
        .strip_prefix("urn:cdx:")
        .and_then(|rest| rest.split_once('#'))
    {
        Some((_, local)) => local,
        None => r,
    };
    refs.get(local)
        .cloned()
        .unwrap_or_else(|| ProductId::parse(local))
}

/// Writes statements as a CycloneDX 1.6 VEX BOM: one component per product (or per
/// subcomponent, the part a statement is really about) and one vulnerability per statement.
pub fn write(statements: &[VexStatement], meta: &DocumentMeta, serial: Option<&str>) -> Value {
    let mut components: BTreeMap<String, Value> = BTreeMap::new();
    let mut vulns = Vec::new();
    for s in statements {
        let mut affects = Vec::new();
        for p in &s.products {
            let targets: Vec<&ProductId> = if p.subcomponents.is_empty() {
                vec![&p.id]
            } else {
                p.subcomponents.iter().collect()
            };
            for t in targets {
                let r = t.to_string();
                components.entry(r.clone()).or_insert_with(|| component(t));
                if !affects.contains(&r) {
                    affects.push(r);
                }
            }
        }
        let mut analysis = Map::new();
        analysis.insert("state".into(), json!(state_name(s.status)));
        let mut detail = s.impact.clone();
        if let Some(j) = &s.justification {
            match justification_from_openvex(j) {
                Some(c) => {
                    analysis.insert("justification".into(), json!(c));
                }
                None => {
                    let extra = format!("justification: {j}");
                    detail = Some(detail.map_or(extra.clone(), |d| format!("{d} ({extra})")));
                }
            }
        }
        if let Some(a) = &s.action {
            detail = Some(match detail {
                Some(d) => format!("{d}\nAction: {a}"),
                None => format!("Action: {a}"),
            });
        }
        if let Some(d) = detail {
            analysis.insert("detail".into(), json!(d));
        }
        if let Some(t) = &s.timestamp {
            analysis.insert(
                "lastUpdated".into(),
                json!(Timestamp::from_unix(t.unix).text),
            );
        }
        let mut v = Map::new();
        v.insert("id".into(), json!(s.vulnerability));
        let refs: Vec<Value> = s
            .aliases
            .iter()
            .filter(|a| **a != s.vulnerability)
            .map(|a| json!({ "id": a, "source": { "name": source_name(a) } }))
            .collect();
        if !refs.is_empty() {
            v.insert("references".into(), Value::Array(refs));
        }
        v.insert("analysis".into(), Value::Object(analysis));
        v.insert(
            "affects".into(),
            Value::Array(affects.into_iter().map(|r| json!({ "ref": r })).collect()),
        );
        vulns.push(Value::Object(v));
    }
    let body = serde_json::to_string(&vulns).unwrap_or_default();
    let serial = serial.map_or_else(|| uuid_from_hash(fnv64(body.as_bytes())), str::to_string);
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{serial}"),
        "version": 1,
        "metadata": {
            "timestamp": Timestamp::from_unix(meta.timestamp.unix).text,
            "tools": { "components": [{ "type": "application", "name": "chainproof", "version": env!("CARGO_PKG_VERSION") }] },
        },
        "components": components.into_values().collect::<Vec<_>>(),
        "vulnerabilities": vulns,
    })
}

fn component(id: &ProductId) -> Value {
    match id {
        ProductId::Purl(p) => {
            let name = match p.namespace() {
                Some(ns) if p.ty() == "maven" => format!("{ns}:{}", p.name()),
                Some(ns) => format!("{ns}/{}", p.name()),
                None => p.name().to_string(),
            };
            let mut c = json!({ "type": "library", "bom-ref": p.to_string(), "name": name, "purl": p.to_string() });
            if let Some(v) = p.version() {
                c["version"] = json!(v);
            }
            c
        }
        ProductId::Other(s) => json!({ "type": "library", "bom-ref": s, "name": s }),
    }
}

/// The advisory source an id comes from, by its prefix.
pub fn source_name(id: &str) -> &'static str {
    let upper = id.to_ascii_uppercase();
    [
        ("CVE-", "NVD"),
        ("GHSA-", "GitHub"),
        ("PYSEC-", "PyPA"),
        ("RUSTSEC-", "RustSec"),
        ("GO-", "Go"),
    ]
    .into_iter()
    .find(|(p, _)| upper.starts_with(p))
    .map_or("OSV", |(_, n)| n)
}

/// A version-4-shaped UUID made from a hash (deterministic serials for reproducible output).
pub(crate) fn uuid_from_hash(h: u64) -> String {
    let h2 = h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
    let hex = format!("{h:016x}{h2:016x}");
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}
