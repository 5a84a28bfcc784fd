//! OpenVEX: reads v0.0.1 (string vulnerability and products, statement-level
//! subcomponents) and v0.2.0 (structured vulnerability and products); writes v0.2.0.

use chainproof_core::vuln::VexStatus;
use serde_json::{Map, Value, json};

use super::{
    OPENVEX_JUSTIFICATIONS, ProductId, Timestamp, VexError, VexProduct, VexStatement, array,
    parse_status, ptr, text,
};

/// The context URL of the version we write.
pub const CONTEXT_V0_2_0: &str = "https://openvex.dev/ns/v0.2.0";

/// Reads the statements of an OpenVEX document (already parsed).
pub fn read(doc: &Value, path: &str) -> Result<Vec<VexStatement>, VexError> {
    let doc_time = time_of(doc);
    let Some(statements) = doc.get("statements").and_then(Value::as_array) else {
        return Err(VexError::invalid(
            path,
            "/statements",
            "missing `statements` array",
        ));
    };
    let mut out = Vec::with_capacity(statements.len());
    for (i, s) in statements.iter().enumerate() {
        let at = ptr("/statements", i);
        if !s.is_object() {
            return Err(VexError::invalid(
                path,
                &at,
                "a statement must be an object",
            ));
        }
        let (vulnerability, aliases) = vulnerability(s, path, &at)?;
        let status_text = text(s, "status")
            .ok_or_else(|| VexError::invalid(path, &ptr(&at, "status"), "missing `status`"))?;
        let status = parse_status(&status_text).ok_or_else(|| {
            VexError::invalid(
                path,
                &ptr(&at, "status"),
                format!("unknown status `{status_text}`"),
            )
        })?;
        // v0.0.1: subcomponents at statement level apply to every product.
        let shared_subs: Vec<ProductId> = array(s, "subcomponents")
            .iter()
            .filter_map(component_id)
            .collect();
        let mut products = Vec::new();
        for (j, p) in array(s, "products").iter().enumerate() {
            let Some(id) = component_id(p) else {
                return Err(VexError::invalid(
                    path,
                    &ptr(&ptr(&at, "products"), j),
                    "a product needs an `@id` or `identifiers`",
                ));
            };
            let mut subs: Vec<ProductId> = array(p, "subcomponents")
                .iter()
                .filter_map(component_id)
                .collect();
            subs.extend(shared_subs.iter().cloned());
            products.push(VexProduct {
                id,
                subcomponents: subs,
            });
        }
        let timestamp = ["last_updated", "timestamp"]
            .iter()
            .find_map(|k| s.get(*k).and_then(Value::as_str).and_then(Timestamp::parse))
            .or_else(|| doc_time.clone());
        out.push(VexStatement {
            vulnerability,
            aliases,
            products,
            status,
            justification: text(s, "justification"),
            impact: text(s, "impact_statement").or_else(|| text(s, "status_notes")),
            action: text(s, "action_statement"),
            timestamp,
            origin: path.to_string(),
        });
    }
    Ok(out)
}

fn time_of(doc: &Value) -> Option<Timestamp> {
    ["last_updated", "timestamp"].iter().find_map(|k| {
        doc.get(*k)
            .and_then(Value::as_str)
            .and_then(Timestamp::parse)
    })
}

fn vulnerability(s: &Value, path: &str, at: &str) -> Result<(String, Vec<String>), VexError> {
    let missing = || {
        VexError::invalid(
            path,
            &ptr(at, "vulnerability"),
            "missing vulnerability name",
        )
    };
    match s.get("vulnerability") {
        Some(Value::String(name)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), Vec::new()))
        }
        Some(v @ Value::Object(_)) => {
            let name = text(v, "name")
                .or_else(|| text(v, "@id"))
                .ok_or_else(missing)?;
            let aliases = array(v, "aliases")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .filter(|a| *a != name)
                .collect();
            Ok((name, aliases))
        }
        _ => Err(missing()),
    }
}

/// A product or subcomponent: a string (v0.0.1) or an object with `identifiers.purl`
/// (preferred) or `@id`.
fn component_id(v: &Value) -> Option<ProductId> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(ProductId::parse(s)),
        Value::Object(_) => {
            let ids = v.get("identifiers");
            ids.and_then(|i| text(i, "purl"))
                .or_else(|| text(v, "@id"))
                .or_else(|| ids.and_then(|i| text(i, "cpe23").or_else(|| text(i, "cpe22"))))
                .map(|s| ProductId::parse(&s))
        }
        _ => None,
    }
}

/// Document-level facts for writing.
#[derive(Clone, Debug)]
pub struct DocumentMeta {
    /// The document `@id`; derived from the content when `None`.
    pub id: Option<String>,
    pub author: String,
    pub timestamp: Timestamp,
    pub tooling: String,
}

impl Default for DocumentMeta {
    fn default() -> Self {
        DocumentMeta {
            id: None,
            author: "chainproof".into(),
            timestamp: Timestamp::now(),
            tooling: format!("chainproof {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Writes statements as an OpenVEX v0.2.0 document. Statements that would break the spec's
/// rules are completed: `not_affected` without a justification gets an impact statement,
/// `affected` without an action gets one; a justification outside OpenVEX's five names is
/// moved into the impact statement.
pub fn write(statements: &[VexStatement], meta: &DocumentMeta) -> Value {
    let stmts: Vec<Value> = statements.iter().map(|s| statement(s, meta)).collect();
    let id = meta.id.clone().unwrap_or_else(|| {
        let body = serde_json::to_string(&stmts).unwrap_or_default();
        format!(
            "https://openvex.dev/docs/public/vex-{:016x}",
            fnv64(body.as_bytes())
        )
    });
    json!({
        "@context": CONTEXT_V0_2_0,
        "@id": id,
        "author": meta.author,
        "timestamp": meta.timestamp.text,
        "version": 1,
        "tooling": meta.tooling,
        "statements": stmts,
    })
}

fn statement(s: &VexStatement, meta: &DocumentMeta) -> Value {
    let mut o = Map::new();
    let mut vuln = Map::new();
    vuln.insert("name".into(), json!(s.vulnerability));
    let mut aliases: Vec<&String> = s
        .aliases
        .iter()
        .filter(|a| **a != s.vulnerability)
        .collect();
    aliases.sort();
    aliases.dedup();
    if !aliases.is_empty() {
        vuln.insert("aliases".into(), json!(aliases));
    }
    o.insert("vulnerability".into(), Value::Object(vuln));
    o.insert(
        "timestamp".into(),
        json!(s.timestamp.as_ref().unwrap_or(&meta.timestamp).text),
    );
    let mut seen = Vec::new();
    let products: Vec<Value> = s
        .products
        .iter()
        .filter(|p| {
            let new = !seen.contains(p);
            seen.push(p);
            new
        })
        .map(|p| {
            let mut po = Map::new();
            po.insert("@id".into(), json!(p.id.to_string()));
            if let ProductId::Purl(purl) = &p.id {
                po.insert("identifiers".into(), json!({ "purl": purl.to_string() }));
            }
            let mut subs: Vec<String> = p.subcomponents.iter().map(ToString::to_string).collect();
            subs.sort();
            subs.dedup();
            if !subs.is_empty() {
                let subs: Vec<Value> = subs.into_iter().map(|s| json!({ "@id": s })).collect();
                po.insert("subcomponents".into(), Value::Array(subs));
            }
            Value::Object(po)
        })
        .collect();
    o.insert("products".into(), Value::Array(products));
    o.insert("status".into(), json!(s.status.name()));
    let mut impact = s.impact.clone();
    match s.justification.as_deref() {
        Some(j) if OPENVEX_JUSTIFICATIONS.contains(&j) => {
            o.insert("justification".into(), json!(j));
        }
        Some(j) => {
            let extra = format!("justification: {j}");
            impact = Some(impact.map_or(extra.clone(), |i| format!("{i} ({extra})")));
        }
        None => {}
    }
    if s.status == VexStatus::NotAffected && impact.is_none() && !o.contains_key("justification") {
        impact = Some(format!("Marked not affected by {}", s.origin));
    }
    if let Some(i) = impact {
        o.insert("impact_statement".into(), json!(i));
    }
    let action = match (&s.action, s.status) {
        (Some(a), _) => Some(a.clone()),
        (None, VexStatus::Affected) => Some("No remediation stated; see the advisory".to_string()),
        (None, _) => None,
    };
    if let Some(a) = action {
        o.insert("action_statement".into(), json!(a));
    }
    Value::Object(o)
}

/// FNV-1a, 64 bits: a stable content-derived document id.
pub(crate) fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
