//! The `openvex` format: one statement per finding — `affected` (with the fix as action)
//! while open, the VEX state otherwise.

use chainproof_core::vuln::{Finding, VexStatus};
use chainproof_osv::vex::openvex::{DocumentMeta, write};
use chainproof_osv::vex::{ProductId, Timestamp, VexProduct, VexStatement, merge};
use serde_json::Value;

use crate::{RenderOptions, ScanReport};

pub(crate) fn statements(report: &ScanReport<'_>, timestamp: &Timestamp) -> Vec<VexStatement> {
    report
        .findings
        .iter()
        .filter_map(|f| {
            let p = report.package(f)?;
            let product = match &p.purl {
                Some(purl) => ProductId::Purl(purl.clone()),
                None => ProductId::Other(p.key()),
            };
            Some(statement(f, product, timestamp))
        })
        .collect()
}

fn statement(f: &Finding, product: ProductId, timestamp: &Timestamp) -> VexStatement {
    let fix = if f.fixed_versions.is_empty() {
        "No fixed version is known; see the advisory".to_string()
    } else {
        format!("Upgrade to {}", f.fixed_versions.join(" or "))
    };
    let (status, justification, impact, action, origin) = match &f.vex {
        Some(v) => {
            let (impact, action) = match v.status {
                VexStatus::Affected => (None, Some(v.statement.clone().unwrap_or(fix))),
                _ => (v.statement.clone(), None),
            };
            (
                v.status,
                v.justification.clone(),
                impact,
                action,
                v.origin.clone(),
            )
        }
        None => (
            VexStatus::Affected,
            None,
            None,
            Some(fix),
            "chainproof scan".to_string(),
        ),
    };
    VexStatement {
        vulnerability: f.id.clone(),
        aliases: f.aliases.clone(),
        products: vec![VexProduct::new(product)],
        status,
        justification,
        impact,
        action,
        timestamp: Some(timestamp.clone()),
        origin,
    }
}

pub(crate) fn document(report: &ScanReport<'_>, options: &RenderOptions) -> Value {
    let timestamp = Timestamp::from_system_time(options.timestamp);
    let meta = DocumentMeta {
        id: None,
        author: "chainproof".into(),
        timestamp: timestamp.clone(),
        tooling: format!(
            "chainproof {} scan of {}",
            env!("CARGO_PKG_VERSION"),
            report.target
        ),
    };
    write(&merge(statements(report, &timestamp)), &meta)
}
