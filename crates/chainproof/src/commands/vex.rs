//! `chainproof vex create` and `chainproof vex merge`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chainproof_core::vuln::VexStatus;
use chainproof_osv::vex::openvex::DocumentMeta;
use chainproof_osv::vex::{
    OPENVEX_JUSTIFICATIONS, ProductId, Timestamp, VexProduct, VexSet, VexStatement, cyclonedx,
    merge, openvex, parse_status,
};

use crate::ExitStatus;
use crate::cli::{VexAction, VexArgs};
use crate::printer::Printer;

#[derive(Clone, Copy)]
enum OutFormat {
    OpenVex,
    CycloneDx,
}

fn out_format(s: &str) -> anyhow::Result<OutFormat> {
    match s.trim().to_ascii_lowercase().as_str() {
        "openvex" => Ok(OutFormat::OpenVex),
        "cyclonedx" | "cyclonedx-json" | "cdx" => Ok(OutFormat::CycloneDx),
        other => bail!("unknown VEX format `{other}` (expected openvex or cyclonedx)"),
    }
}

pub fn run(args: VexArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match args.action {
        VexAction::Create {
            vulnerability,
            aliases,
            products,
            subcomponents,
            status,
            justification,
            impact,
            action,
            author,
            output,
            format,
        } => {
            let format = out_format(&format)?;
            let status = parse_status(&status).with_context(|| {
                format!("unknown status `{status}` (expected not_affected, affected, fixed or under_investigation)")
            })?;
            if let Some(j) = &justification
                && !OPENVEX_JUSTIFICATIONS.contains(&j.as_str())
                && cyclonedx::justification_to_openvex(j).is_none()
            {
                bail!(
                    "unknown justification `{j}` (expected one of: {})",
                    OPENVEX_JUSTIFICATIONS.join(", ")
                );
            }
            let justification = justification
                .map(|j| cyclonedx::justification_to_openvex(&j).map_or(j, str::to_string));
            if status == VexStatus::NotAffected && justification.is_none() && impact.is_none() {
                bail!(
                    "a not_affected statement needs --justification or --impact (OpenVEX requires one)"
                );
            }
            if status == VexStatus::Affected && action.is_none() {
                bail!(
                    "an affected statement needs --action (OpenVEX requires an action statement)"
                );
            }
            if justification.is_some() && status != VexStatus::NotAffected {
                bail!("--justification only applies to --status not_affected");
            }
            let subs = subcomponents
                .iter()
                .map(|s| product_id(s))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let products = products
                .iter()
                .map(|p| {
                    Ok(VexProduct {
                        id: product_id(p)?,
                        subcomponents: subs.clone(),
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let now = Timestamp::now();
            let vulnerability = vulnerability.trim().to_string();
            if vulnerability.is_empty() {
                bail!("--vuln must not be empty");
            }
            let stmt = VexStatement {
                vulnerability,
                aliases,
                products,
                status,
                justification,
                impact,
                action,
                timestamp: Some(now.clone()),
                origin: "chainproof vex create".into(),
            };
            write(&[stmt], format, &author, now, output.as_deref(), printer)
        }
        VexAction::Merge {
            files,
            author,
            output,
            format,
        } => {
            let format = out_format(&format)?;
            let set = VexSet::load(&files)?;
            let total = set.statements().len();
            let merged = merge(set.statements().to_vec());
            if merged.is_empty() {
                bail!("the documents hold no VEX statements");
            }
            printer.info(&format!(
                "merged {total} statements from {} documents into {}",
                files.len(),
                merged.len()
            ));
            write(
                &merged,
                format,
                &author,
                Timestamp::now(),
                output.as_deref(),
                printer,
            )
        }
    }
}

fn product_id(s: &str) -> anyhow::Result<ProductId> {
    let s = s.trim();
    if s.is_empty() {
        bail!("a product or subcomponent must not be empty");
    }
    let id = ProductId::parse(s);
    if s.starts_with("pkg:") && matches!(id, ProductId::Other(_)) {
        bail!("`{s}` is not a valid purl");
    }
    Ok(id)
}

fn write(
    statements: &[VexStatement],
    format: OutFormat,
    author: &str,
    timestamp: Timestamp,
    output: Option<&Path>,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let meta = DocumentMeta {
        author: author.to_string(),
        timestamp,
        ..DocumentMeta::default()
    };
    let doc = match format {
        OutFormat::OpenVex => openvex::write(statements, &meta),
        OutFormat::CycloneDx => cyclonedx::write(statements, &meta, None),
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    match output {
        Some(path) => {
            std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
            printer.info(&format!("wrote {}", PathBuf::from(path).display()));
        }
        None => printer.stdout(&text)?,
    }
    Ok(ExitStatus::Success)
}
