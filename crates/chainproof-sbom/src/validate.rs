//! Schema validation against the bundled schemas, then semantic checks the schemas cannot
//! express: duplicate `bom-ref`s / SPDXIDs, references to nothing, purls that do not parse.

use std::collections::HashSet;

use chainproof_purl::Purl;
use serde_json::Value;

use crate::json::{Document, pointer_token};
use crate::schema::Schema;
use crate::{DetectedFormat, Problem, ProblemKind, SbomError};

/// Longest message kept for one schema error (some quote large parts of the document).
const MAX_MESSAGE: usize = 400;

pub(crate) fn problems(
    doc: &Document<'_>,
    value: &serde_json::Value,
    format: &DetectedFormat,
) -> Result<Vec<Problem>, SbomError> {
    let (schema, unsupported) = match format {
        DetectedFormat::CycloneDx { version } => {
            (Schema::for_cyclonedx(version), ("CycloneDX", version))
        }
        DetectedFormat::Spdx { version } => (Schema::for_spdx(version), ("SPDX", version)),
    };
    let schema = schema.ok_or_else(|| SbomError::UnsupportedVersion {
        path: doc.path.to_string(),
        format: unsupported.0,
        version: unsupported.1.clone(),
    })?;
    let validator = schema.validator().map_err(|message| SbomError::Invalid {
        path: doc.path.to_string(),
        pointer: String::new(),
        message: format!("bundled schema cannot be compiled: {message}"),
    })?;

    let mut problems: Vec<Problem> = validator
        .iter_errors(value)
        .map(|e| Problem {
            pointer: e.instance_path().to_string(),
            message: truncate(e.masked().to_string()),
            kind: ProblemKind::Schema,
        })
        .collect();
    match format {
        DetectedFormat::CycloneDx { .. } => cyclonedx(value, &mut problems),
        DetectedFormat::Spdx { .. } => spdx(value, &mut problems),
    }
    Ok(problems)
}

fn truncate(mut s: String) -> String {
    if s.len() > MAX_MESSAGE {
        let mut cut = MAX_MESSAGE;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

fn semantic(pointer: String, message: String) -> Problem {
    Problem {
        pointer,
        message,
        kind: ProblemKind::Semantic,
    }
}

fn items<'v>(v: &'v Value, key: &str) -> impl Iterator<Item = (usize, &'v Value)> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// A purl must be syntactically valid. Per-type rules (e.g. "golang needs a namespace") are
/// not enforced here: widely used conventions such as `pkg:golang/stdlib@1.22` break them.
fn check_purl(raw: &Value, pointer: String, out: &mut Vec<Problem>) {
    if let Some(s) = raw.as_str()
        && let Err(e) = Purl::parse_lenient(s)
    {
        out.push(semantic(pointer, format!("purl `{s}` does not parse: {e}")));
    }
}

fn cyclonedx(bom: &Value, out: &mut Vec<Problem>) {
    // Every object that may carry a bom-ref, with its pointer: components and services
    // (nested), the metadata component.
    let mut holders: Vec<(String, &Value)> = Vec::new();
    let mut stack: Vec<(String, &Value)> = Vec::new();
    if let Some(c) = bom.pointer("/metadata/component") {
        stack.push(("/metadata/component".into(), c));
    }
    for key in ["components", "services"] {
        for (i, c) in items(bom, key) {
            stack.push((format!("/{key}/{i}"), c));
        }
    }
    while let Some((ptr, v)) = stack.pop() {
        for key in ["components", "services"] {
            for (i, c) in items(v, key) {
                stack.push((format!("{ptr}/{key}/{i}"), c));
            }
        }
        holders.push((ptr, v));
    }
    holders.sort_by(|a, b| natural_pointer_order(&a.0, &b.0));

    let mut refs: HashSet<&str> = HashSet::new();
    for (ptr, v) in &holders {
        if let Some(r) = v.get("bom-ref").and_then(Value::as_str)
            && !refs.insert(r)
        {
            out.push(semantic(
                format!("{ptr}/bom-ref"),
                format!("duplicate bom-ref `{r}`"),
            ));
        }
        if let Some(p) = v.get("purl") {
            check_purl(p, format!("{ptr}/purl"), out);
        }
    }

    for (i, dep) in items(bom, "dependencies") {
        if let Some(r) = dep.get("ref").and_then(Value::as_str)
            && !refs.contains(r)
        {
            out.push(semantic(
                format!("/dependencies/{i}/ref"),
                format!("dependency ref `{r}` names no component or service"),
            ));
        }
        for key in ["dependsOn", "provides"] {
            for (j, t) in items(dep, key) {
                if let Some(t) = t.as_str()
                    && !refs.contains(t)
                {
                    out.push(semantic(
                        format!("/dependencies/{i}/{key}/{j}"),
                        format!("`{t}` names no component or service"),
                    ));
                }
            }
        }
    }
}

/// Orders pointers by their tokens, numbers numerically, so that "the second one" is the
/// one reported as a duplicate.
fn natural_pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| -> Vec<(u64, String)> {
        s.split('/')
            .map(|t| match t.parse::<u64>() {
                Ok(n) => (n, String::new()),
                Err(_) => (u64::MAX, t.to_string()),
            })
            .collect()
    };
    key(a).cmp(&key(b))
}

fn spdx(doc: &Value, out: &mut Vec<Problem>) {
    let mut ids: HashSet<&str> = HashSet::new();
    if let Some(id) = doc.get("SPDXID").and_then(Value::as_str) {
        ids.insert(id);
    }
    for key in ["packages", "files", "snippets"] {
        for (i, el) in items(doc, key) {
            let Some(id) = el.get("SPDXID").and_then(Value::as_str) else {
                continue;
            };
            if !ids.insert(id) {
                out.push(semantic(
                    format!("/{key}/{i}/SPDXID"),
                    format!("duplicate SPDXID `{id}`"),
                ));
            }
            for (j, r) in items(el, "externalRefs") {
                if r.get("referenceType").and_then(Value::as_str) == Some("purl")
                    && let Some(loc) = r.get("referenceLocator")
                {
                    check_purl(
                        loc,
                        format!("/{key}/{i}/externalRefs/{j}/referenceLocator"),
                        out,
                    );
                }
            }
        }
    }
    let defined = |id: &str| {
        ids.contains(id) || id.starts_with("DocumentRef-") || id == "NOASSERTION" || id == "NONE"
    };
    for (i, r) in items(doc, "relationships") {
        for field in ["spdxElementId", "relatedSpdxElement"] {
            if let Some(id) = r.get(field).and_then(Value::as_str)
                && !defined(id)
            {
                out.push(semantic(
                    format!("/relationships/{i}/{}", pointer_token(field)),
                    format!("`{id}` is not an SPDXID defined in this document"),
                ));
            }
        }
    }
    for (i, id) in items(doc, "documentDescribes") {
        if let Some(id) = id.as_str()
            && !defined(id)
        {
            out.push(semantic(
                format!("/documentDescribes/{i}"),
                format!("`{id}` is not an SPDXID defined in this document"),
            ));
        }
    }
}
