//! RustSec advisory-db Markdown (`crates/<crate>/RUSTSEC-YYYY-NNNN.md`: TOML front matter in a
//! ```` ```toml ```` block, then `# Title` and the description), converted to OSV the way
//! RustSec's `rustsec::osv::OsvAdvisory::from_rustsec` does.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::ImportError;
use super::semver_req::affected_ranges;
use crate::model::{Affected, Event, Package, Range, Record, Reference, SeverityEntry};

#[derive(Deserialize)]
struct Front {
    advisory: Advisory,
    #[serde(default)]
    affected: Option<AffectedToml>,
    #[serde(default)]
    versions: Versions,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Advisory {
    id: String,
    package: String,
    date: toml::Value,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    informational: Option<String>,
    #[serde(default)]
    withdrawn: Option<toml::Value>,
    #[serde(default)]
    yanked: Option<bool>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    license: Option<String>,
}

#[derive(Deserialize, Default)]
struct AffectedToml {
    #[serde(default)]
    arch: Vec<String>,
    #[serde(default)]
    os: Vec<String>,
    #[serde(default)]
    functions: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize, Default)]
struct Versions {
    #[serde(default)]
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

/// The TOML front matter, its line offset in the file, and the Markdown body.
pub(crate) fn split_front_matter<'a>(
    text: &'a str,
    origin: &str,
) -> Result<(&'a str, usize, &'a str), ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let skipped_lines = text[..text.len() - trimmed.len()].matches('\n').count();
    let rest = trimmed
        .strip_prefix("```toml")
        .ok_or_else(|| ImportError::new(origin, "no ```toml front matter").at("line 1"))?;
    let end = rest.find("\n```").ok_or_else(|| {
        ImportError::new(origin, "unterminated ```toml front matter").at("line 1")
    })?;
    let body = rest[end + 4..].trim_start_matches(|c| c != '\n');
    Ok((&rest[..end], skipped_lines, body))
}

/// A TOML error located by line in the Markdown file.
pub(crate) fn toml_error(
    origin: &str,
    front: &str,
    offset: usize,
    e: &toml::de::Error,
) -> ImportError {
    let line = e
        .span()
        .map(|s| front[..s.start.min(front.len())].matches('\n').count() + offset + 1);
    let msg = e.message().to_owned();
    match line {
        Some(l) => ImportError::new(origin, msg).at(format!("line {l}")),
        None => ImportError::new(origin, msg),
    }
}

/// `# Title` and the rest of the Markdown body.
pub(crate) fn title_and_details(body: &str) -> (Option<String>, Option<String>) {
    let body = body.trim();
    let Some(stripped) = body.strip_prefix("# ") else {
        return (None, (!body.is_empty()).then(|| body.to_owned()));
    };
    let (title, details) = stripped.split_once('\n').unwrap_or((stripped, ""));
    let details = details.trim();
    (
        Some(title.trim().to_owned()),
        (!details.is_empty()).then(|| details.to_owned()),
    )
}

pub(crate) fn date_string(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => format!("{other:?}"),
    }
}

/// `2020-01-31` → `2020-01-31T12:00:00Z` (RustSec's export convention).
pub(crate) fn date_to_rfc3339(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T12:00:00Z")
    } else {
        date.to_owned()
    }
}

/// The OSV severity type of a CVSS vector string.
pub(crate) fn cvss_kind(vector: &str) -> &'static str {
    if vector.starts_with("CVSS:4") {
        "CVSS_V4"
    } else if vector.starts_with("CVSS:3") {
        "CVSS_V3"
    } else {
        "CVSS_V2"
    }
}

fn guess_url_kind(url: &str) -> &'static str {
    if (url.contains("://github.com/") || url.contains("://gitlab.")) && url.contains("/issues/") {
        "REPORT"
    } else if url.contains("/advisories/") || url.contains("://www.cve.org/") {
        "ADVISORY"
    } else if url.contains("://crates.io/crates/") {
        "PACKAGE"
    } else {
        "WEB"
    }
}

/// Converts one RustSec advisory (Markdown with TOML front matter) to an OSV record.
pub fn parse_rustsec_markdown(text: &str, origin: &str) -> Result<Record, ImportError> {
    let (front, offset, body) = split_front_matter(text, origin)?;
    let parsed: Front = toml::from_str(front).map_err(|e| toml_error(origin, front, offset, &e))?;
    let adv = parsed.advisory;
    let ranges = affected_ranges(&parsed.versions.unaffected, &parsed.versions.patched)
        .map_err(|m| ImportError::new(origin, m).at("[versions]"))?;
    let mut events = Vec::new();
    for (introduced, fixed) in ranges {
        events.push(Event {
            introduced: Some(introduced.unwrap_or_else(|| "0.0.0-0".into())),
            ..Event::default()
        });
        if let Some(f) = fixed {
            events.push(Event {
                fixed: Some(f),
                ..Event::default()
            });
        }
    }
    let (title, details) = title_and_details(body);
    let published = date_to_rfc3339(&date_string(&adv.date));
    let withdrawn = match (&adv.withdrawn, adv.yanked) {
        (Some(w), _) => Some(date_to_rfc3339(&date_string(w))),
        (None, Some(true)) => Some(published.clone()),
        _ => None,
    };
    let modified = withdrawn
        .clone()
        .filter(|w| *w > published)
        .unwrap_or_else(|| published.clone());
    let affected_toml = parsed.affected.unwrap_or_default();
    let mut urls = vec![
        format!("https://crates.io/crates/{}", adv.package),
        format!("https://rustsec.org/advisories/{}.html", adv.id),
    ];
    urls.extend(adv.url.clone());
    urls.extend(adv.references.iter().cloned());
    let affected = Affected {
        package: Some(Package {
            ecosystem: "crates.io".into(),
            name: adv.package.clone(),
            purl: Some(format!("pkg:cargo/{}", adv.package)),
        }),
        severity: Vec::new(),
        ranges: vec![Range {
            kind: "SEMVER".into(),
            repo: None,
            events,
            database_specific: None,
        }],
        versions: Vec::new(),
        ecosystem_specific: Some(json!({
            "affects": {
                "arch": affected_toml.arch,
                "os": affected_toml.os,
                "functions": affected_toml.functions.keys().collect::<Vec<_>>(),
            }
        })),
        database_specific: Some(json!({
            "categories": adv.categories,
            "cvss": adv.cvss,
            "informational": adv.informational,
        })),
    };
    let record = Record {
        schema_version: None,
        id: adv.id,
        modified: Some(modified),
        published: Some(published),
        withdrawn,
        aliases: adv.aliases,
        related: adv.related,
        upstream: Vec::new(),
        summary: title.or(adv.title),
        details: details.or(adv.description),
        severity: adv
            .cvss
            .iter()
            .map(|v| SeverityEntry {
                kind: cvss_kind(v).into(),
                score: v.clone(),
            })
            .collect(),
        affected: vec![affected],
        references: urls
            .into_iter()
            .map(|u| Reference {
                kind: guess_url_kind(&u).into(),
                url: u,
            })
            .collect(),
        credits: Vec::new(),
        database_specific: Some(match adv.license {
            Some(l) => json!({ "license": l }),
            None => json!({ "license": "CC0-1.0" }),
        }),
    };
    Ok(drop_null_cvss(record))
}

fn drop_null_cvss(mut r: Record) -> Record {
    for a in &mut r.affected {
        if let Some(Value::Object(m)) = &mut a.database_specific {
            m.retain(|_, v| !v.is_null());
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"```toml
[advisory]
id = "RUSTSEC-2021-0001"
package = "my-crate"
date = "2021-01-31"
url = "https://github.com/o/r/issues/1"
categories = ["memory-corruption"]
cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
aliases = ["CVE-2021-1234"]

[affected.functions]
"my_crate::f" = ["< 1.3.4"]

[versions]
patched = [">= 1.2.3, < 1.3.0", ">= 1.3.4"]
unaffected = ["<= 0.1.2"]
```

# Title here

Body text.
"#;

    #[test]
    fn converts_like_rustsec() {
        let r = parse_rustsec_markdown(SAMPLE, "x.md").expect("parses");
        assert_eq!(r.id, "RUSTSEC-2021-0001");
        assert_eq!(r.summary.as_deref(), Some("Title here"));
        assert_eq!(r.details.as_deref(), Some("Body text."));
        assert_eq!(r.published.as_deref(), Some("2021-01-31T12:00:00Z"));
        let a = &r.affected[0];
        assert_eq!(
            a.package.as_ref().map(|p| p.name.as_str()),
            Some("my-crate")
        );
        let ev: Vec<_> = a.ranges[0]
            .events
            .iter()
            .map(|e| (e.introduced.clone(), e.fixed.clone()))
            .collect();
        assert_eq!(
            ev,
            vec![
                (Some("0.1.3-0".into()), None),
                (None, Some("1.2.3".into())),
                (Some("1.3.0".into()), None),
                (None, Some("1.3.4".into())),
            ]
        );
        assert_eq!(r.severity[0].kind, "CVSS_V3");
        assert_eq!(r.references[2].kind, "REPORT");
    }

    #[test]
    fn errors_name_the_line() {
        let bad = "```toml\n[advisory]\nid = \"RUSTSEC-2021-0001\"\npackage = 3\n```\n# t\n";
        let e = parse_rustsec_markdown(bad, "bad.md").expect_err("bad type");
        assert_eq!(e.file, "bad.md");
        assert!(
            e.place.as_deref().is_some_and(|p| p.starts_with("line ")),
            "{e}"
        );
        assert!(parse_rustsec_markdown("no front matter", "x.md").is_err());
    }
}
