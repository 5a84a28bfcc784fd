//! CSAF 2.0 VEX: products from `product_tree` (branches, full_product_names,
//! relationships — a relationship names a component *of* a product), statuses from
//! `vulnerabilities[].product_status`, justification from `flags[].label`, impact from
//! `threats[category=impact]`, actions from `remediations`.

use std::collections::{HashMap, HashSet};

use chainproof_core::vuln::VexStatus;
use serde_json::Value;

use super::{ProductId, Timestamp, VexError, VexProduct, VexStatement, array, ptr, text};

/// Reads the statements of a CSAF document (already parsed): one per product listed in a
/// vulnerability's `product_status`.
pub fn read(doc: &Value, path: &str) -> Result<Vec<VexStatement>, VexError> {
    let tree = doc.get("product_tree").unwrap_or(&Value::Null);
    let mut products: HashMap<String, VexProduct> = HashMap::new();
    for b in array(tree, "branches") {
        collect_branch(b, &mut products, 0);
    }
    for p in array(tree, "full_product_names") {
        add_product(p, &mut products);
    }
    for r in array(tree, "relationships") {
        let (Some(id), Some(part), Some(whole)) = (
            r.get("full_product_name")
                .and_then(|f| text(f, "product_id")),
            text(r, "product_reference"),
            text(r, "relates_to_product_reference"),
        ) else {
            continue;
        };
        let part = products
            .get(&part)
            .map_or(ProductId::Other(part), |p| p.id.clone());
        let whole = products
            .get(&whole)
            .map_or(ProductId::Other(whole), |p| p.id.clone());
        products.insert(
            id,
            VexProduct {
                id: whole,
                subcomponents: vec![part],
            },
        );
    }
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    for g in array(tree, "product_groups") {
        if let Some(gid) = text(g, "group_id") {
            groups.insert(gid, strings(g, "product_ids"));
        }
    }
    let doc_time = [
        "/document/tracking/current_release_date",
        "/document/tracking/initial_release_date",
    ]
    .iter()
    .find_map(|p| {
        doc.pointer(p)
            .and_then(Value::as_str)
            .and_then(Timestamp::parse)
    });

    let mut out = Vec::new();
    for (i, v) in array(doc, "vulnerabilities").iter().enumerate() {
        let at = ptr("/vulnerabilities", i);
        let mut ids: Vec<String> = text(v, "cve").into_iter().collect();
        ids.extend(array(v, "ids").iter().filter_map(|x| text(x, "text")));
        ids.dedup();
        let Some((vulnerability, rest)) = ids.split_first() else {
            return Err(VexError::invalid(
                path,
                &at,
                "a vulnerability needs a `cve` or `ids`",
            ));
        };
        let Some(status) = v.get("product_status") else {
            continue;
        };
        // Each flag / threat / remediation with the products it concerns, computed once
        // (advisories list hundreds of products per item).
        let scoped = |key: &str| -> Vec<(HashSet<String>, &Value)> {
            array(v, key)
                .iter()
                .map(|item| {
                    let mut t: HashSet<String> = strings(item, "product_ids").into_iter().collect();
                    for g in strings(item, "group_ids") {
                        t.extend(groups.get(&g).cloned().unwrap_or_default());
                    }
                    (t, item)
                })
                .collect()
        };
        let flags = scoped("flags");
        let threats: Vec<_> = scoped("threats")
            .into_iter()
            .filter(|(_, t)| text(t, "category").as_deref() == Some("impact"))
            .collect();
        let remediations = scoped("remediations");
        let vuln_time = text(v, "release_date").and_then(|t| Timestamp::parse(&t));
        for (key, st) in [
            ("known_not_affected", VexStatus::NotAffected),
            ("fixed", VexStatus::Fixed),
            ("first_fixed", VexStatus::Fixed),
            ("known_affected", VexStatus::Affected),
            ("first_affected", VexStatus::Affected),
            ("last_affected", VexStatus::Affected),
            ("under_investigation", VexStatus::UnderInvestigation),
        ] {
            for pid in strings(status, key) {
                // Items without product or group ids concern every product of the vulnerability.
                // Items without product or group ids concern every product of the vulnerability.
                let about = |(t, _): &&(HashSet<String>, &Value)| t.is_empty() || t.contains(&pid);
                let flag = flags.iter().find(about).map(|(_, f)| *f);
                let impact = threats
                    .iter()
                    .find(about)
                    .and_then(|(_, t)| text(t, "details"));
                let actions: Vec<String> = remediations
                    .iter()
                    .filter(about)
                    .filter_map(|(_, r)| text(r, "details"))
                    .collect();
                let timestamp = flag
                    .and_then(|f| text(f, "date"))
                    .and_then(|t| Timestamp::parse(&t))
                    .or_else(|| vuln_time.clone())
                    .or_else(|| doc_time.clone());
                let mut justification = flag.and_then(|f| text(f, "label"));
                let mut impact = impact;
                // Trivy and others put the justification into the impact threat.
                if justification.is_none()
                    && st == VexStatus::NotAffected
                    && impact
                        .as_deref()
                        .is_some_and(|i| super::OPENVEX_JUSTIFICATIONS.contains(&i))
                {
                    justification = impact.take();
                }
                let product = products
                    .get(&pid)
                    .cloned()
                    .unwrap_or_else(|| VexProduct::new(ProductId::Other(pid.clone())));
                out.push(VexStatement {
                    vulnerability: vulnerability.clone(),
                    aliases: rest.to_vec(),
                    products: vec![product],
                    status: st,
                    justification,
                    impact,
                    action: (!actions.is_empty()).then(|| actions.join("; ")),
                    timestamp,
                    origin: path.to_string(),
                });
            }
        }
    }
    Ok(out)
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    array(v, key)
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn collect_branch(b: &Value, products: &mut HashMap<String, VexProduct>, depth: usize) {
    if depth > 64 {
        return;
    }
    if let Some(p) = b.get("product") {
        add_product(p, products);
    }
    for child in array(b, "branches") {
        collect_branch(child, products, depth + 1);
    }
}

fn add_product(p: &Value, products: &mut HashMap<String, VexProduct>) {
    let Some(id) = text(p, "product_id") else {
        return;
    };
    let helper = p
        .get("product_identification_helper")
        .unwrap_or(&Value::Null);
    let ident = text(helper, "purl")
        .map(|s| ProductId::parse(&s))
        .or_else(|| text(helper, "cpe").map(ProductId::Other))
        .or_else(|| text(p, "name").map(ProductId::Other))
        .unwrap_or_else(|| ProductId::Other(id.clone()));
    products.insert(id, VexProduct::new(ident));
}
