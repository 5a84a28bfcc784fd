//! The `sarif` format: SARIF 2.1.0 as GitHub code scanning reads it. One rule per
//! vulnerability (with `security-severity`), one result per finding located at the
//! lockfile line that declares the package; suppressed findings carry `suppressions`.

use std::collections::BTreeMap;

use chainproof_core::vuln::{Finding, Rating};
use serde_json::{Value, json};

use crate::{ScanReport, package_label, summary_line};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(r: Rating) -> &'static str {
    match r {
        Rating::Critical | Rating::High => "error",
        Rating::Medium => "warning",
        Rating::Low | Rating::None | Rating::Unknown => "note",
    }
}

/// GitHub reads `security-severity` as a score string: the CVSS score, else the middle of
/// the rating's band.
fn security_severity(f: &Finding) -> String {
    let score = f.severity.score.unwrap_or(match f.severity.rating {
        Rating::Critical => 9.5,
        Rating::High => 8.0,
        Rating::Medium => 5.5,
        Rating::Low => 2.0,
        Rating::None | Rating::Unknown => 0.0,
    });
    format!("{score:.1}")
}

/// A path as a SARIF URI: relative paths stay relative (forward slashes; `%`, space, `#`
/// and `?` escaped), absolute ones become `file://` URIs.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let escaped = p
        .replace('%', "%25")
        .replace(' ', "%20")
        .replace('#', "%23")
        .replace('?', "%3F");
    if escaped.starts_with('/') {
        format!("file://{escaped}")
    } else if escaped.as_bytes().get(1) == Some(&b':') {
        format!("file:///{escaped}")
    } else {
        escaped
    }
}

pub(crate) fn document(report: &ScanReport<'_>) -> Value {
    // One rule per vulnerability id, in first-seen order; the most severe finding's
    // severity describes the rule.
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules: Vec<(&Finding, Rating)> = Vec::new();
    for f in report.findings {
        match rule_index.get(f.id.as_str()) {
            Some(&i) => {
                if f.severity.rating > rules[i].1 {
                    rules[i] = (f, f.severity.rating);
                }
            }
            None => {
                rule_index.insert(&f.id, rules.len());
                rules.push((f, f.severity.rating));
            }
        }
    }
    let rules_json: Vec<Value> = rules
        .iter()
        .map(|(f, _)| {
            let short = f
                .summary
                .clone()
                .unwrap_or_else(|| format!("Vulnerability {}", f.id));
            let mut help = format!(
                "{}\n\nAliases: {}",
                short,
                if f.aliases.is_empty() {
                    "none".into()
                } else {
                    f.aliases.join(", ")
                }
            );
            for r in &f.references {
                help.push_str(&format!("\n{r}"));
            }
            let mut rule = json!({
                "id": f.id,
                "name": rule_name(&f.id),
                "shortDescription": { "text": short },
                "fullDescription": { "text": short },
                "help": { "text": help },
                "defaultConfiguration": { "level": level(f.severity.rating) },
                "properties": {
                    "security-severity": security_severity(f),
                    "tags": ["security", "vulnerability", f.severity.rating.name()],
                    "aliases": f.aliases,
                },
            });
            if let Some(u) = f.references.first() {
                rule["helpUri"] = json!(u);
            }
            rule
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(report, f, rule_index[f.id.as_str()]))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "chainproof",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/chainproof/chainproof",
                "rules": rules_json,
            }},
            "automationDetails": { "id": format!("chainproof/scan/{}", report.target) },
            "results": results,
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": [{
                    "level": if report.summary.not_audited.is_empty() { "note" } else { "warning" },
                    "message": { "text": summary_line(report).trim_end() },
                }],
            }],
        }],
    })
}

/// A rule name: PascalCase words of the id (`GHSA-abcd` → `GhsaAbcd`), as SARIF suggests.
fn rule_name(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut c = lower.chars();
            c.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

fn result(report: &ScanReport<'_>, f: &Finding, rule: usize) -> Value {
    let pkg = report.package(f);
    let label = pkg.map_or_else(|| "an unknown package".to_string(), package_label);
    let fix = if f.fixed_versions.is_empty() {
        "No fixed version is known.".to_string()
    } else {
        format!("Fixed in {}.", f.fixed_versions.join(", "))
    };
    let mut message = format!(
        "{label} is affected by {} ({}). {fix}",
        f.id, f.severity.rating
    );
    if let Some(s) = &f.summary {
        message.push_str(&format!(" {s}"));
    }
    let mut locations: Vec<Value> = pkg
        .map(|p| p.locations.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|l| {
            let mut phys = json!({ "artifactLocation": { "uri": uri(&l.path) } });
            if let Some(line) = l.line.filter(|n| *n >= 1) {
                phys["region"] = json!({ "startLine": line });
            }
            json!({ "physicalLocation": phys })
        })
        .collect();
    if locations.is_empty() {
        // GitHub needs a location: the scanned target.
        locations.push(
            json!({ "physicalLocation": { "artifactLocation": { "uri": uri(report.target) } } }),
        );
    }
    let mut r = json!({
        "ruleId": f.id,
        "ruleIndex": rule,
        "level": level(f.severity.rating),
        "message": { "text": message },
        "locations": locations,
        "partialFingerprints": { "chainproofFinding/v1": format!("{}|{label}", f.id) },
        "properties": {
            "package": label,
            "fixedVersions": f.fixed_versions,
            "severitySource": f.severity.source.name(),
        },
    });
    if let Some(v) = &f.vex {
        let mut why = v.status.name().to_string();
        if let Some(j) = &v.justification {
            why.push_str(&format!(": {j}"));
        }
        if let Some(s) = &v.statement {
            why.push_str(&format!(" — {s}"));
        }
        why.push_str(&format!(" ({})", v.origin));
        if f.is_suppressed() {
            r["suppressions"] =
                json!([{ "kind": "external", "status": "accepted", "justification": why }]);
        } else {
            r["properties"]["vex"] = json!(why);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris() {
        assert_eq!(
            super::uri("./web/package-lock.json"),
            "web/package-lock.json"
        );
        assert_eq!(super::uri("a b/c#1.lock"), "a%20b/c%231.lock");
        assert_eq!(super::uri("/abs/Cargo.lock"), "file:///abs/Cargo.lock");
        assert_eq!(super::uri("C:\\x\\go.sum"), "file:///C:/x/go.sum");
    }
}
