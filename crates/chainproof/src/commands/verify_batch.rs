//! `chainproof verify bundle --batch FILE.jsonl`: many bundles, one process.
//! Trusted roots are parsed once per path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chainproof_sigstore::{Error, Policy, TrustedRoot};
use serde_json::Value;

use super::verify_bundle::{identity_policy, key_policy, verified_json, verify_one};
use crate::ExitStatus;
use crate::printer::Printer;

pub fn run(batch: &Path, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let base = batch.parent().unwrap_or(Path::new("."));
    let mut roots: HashMap<Option<PathBuf>, TrustedRoot> = HashMap::new();
    let (mut verified, mut rejected) = (0usize, 0usize);
    let mut out = String::new();
    for (line, place, case) in read_cases(batch)? {
        let field = |k: &str| case.get(k).and_then(Value::as_str);
        let path_field = |k: &str| field(k).map(|p| base.join(p));
        let (Some(bundle), Some(subject)) = (path_field("bundle"), field("subject")) else {
            anyhow::bail!("{place}: \"bundle\" and \"subject\" are required");
        };
        // A subject that is not a digest is a path relative to the batch file.
        let subject = if subject.starts_with("sha256:") && !base.join(subject).exists() {
            subject.to_string()
        } else {
            base.join(subject).display().to_string()
        };
        let root_key = path_field("trustedRoot");
        if !roots.contains_key(&root_key) {
            let root = match &root_key {
                Some(p) => TrustedRoot::from_file(p),
                None => TrustedRoot::production(),
            }
            .with_context(|| place.clone())?;
            roots.insert(root_key.clone(), root);
        }
        let root = roots.get(&root_key).context("root just inserted")?;
        let policy: Result<Policy, Error> = match path_field("key") {
            Some(key) => key_policy(&key),
            None => identity_policy(
                field("identity"),
                field("identityRegexp"),
                field("issuer"),
                field("issuerRegexp"),
            )
            .map(Policy::Identity),
        };
        let outcome = match policy {
            Ok(policy) => verify_one(&bundle, &subject, &policy, root),
            Err(e) => Err(e),
        };
        let verdict = match outcome {
            Ok(v) => {
                verified += 1;
                let mut j = verified_json(&v);
                j["line"] = Value::from(line);
                j
            }
            Err(e) if e.is_verdict() => {
                rejected += 1;
                serde_json::json!({"line": line, "verified": false, "reason": e.to_string()})
            }
            Err(e) => return Err(anyhow::Error::new(e).context(place)),
        };
        out.push_str(&verdict.to_string());
        out.push('\n');
    }
    printer.stdout(&out)?;
    printer.info(&format!("{verified} verified, {rejected} not verified"));
    Ok(if rejected == 0 {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// The cases of a batch file: one JSON object per non-blank line, each with its line number
/// and its place (`FILE:LINE`) for messages. Shared by `verify bundle --batch` and `verify provenance --batch`.
pub(crate) fn read_cases(path: &Path) -> anyhow::Result<Vec<(usize, String, Value)>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let place = format!("{}:{}", path.display(), i + 1);
        let case: Value =
            serde_json::from_str(line).with_context(|| format!("{place}: invalid JSON"))?;
        cases.push((i + 1, place, case));
    }
    Ok(cases)
}
