//! Haskell security advisories (HSEC Markdown: TOML front matter with `[advisory]`,
//! `[[affected]]` + `[[affected.versions]]` and `[[references]]`), converted to OSV as
//! `hsec-tools` does: `package` → ecosystem `Hackage`, `ghc-component` → ecosystem `GHC`,
//! each `[[affected.versions]]` entry → `introduced`/`fixed` events of one ECOSYSTEM range.

use serde::Deserialize;
use serde_json::json;

use super::ImportError;
use super::rustsec::{
    cvss_kind, date_string, date_to_rfc3339, split_front_matter, title_and_details, toml_error,
};
use crate::model::{Affected, Event, Package, Range, Record, Reference, SeverityEntry};

#[derive(Deserialize)]
struct Front {
    advisory: Advisory,
    #[serde(default)]
    affected: Vec<AffectedToml>,
    #[serde(default)]
    references: Vec<RefToml>,
}

#[derive(Deserialize)]
struct Advisory {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    cwe: Vec<toml::Value>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    date: Option<toml::Value>,
    #[serde(default)]
    modified: Option<toml::Value>,
    #[serde(default)]
    withdrawn: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct AffectedToml {
    #[serde(default)]
    package: Option<String>,
    #[serde(default)]
    ghc_component: Option<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    os: Vec<String>,
    #[serde(default)]
    arch: Vec<String>,
    #[serde(default)]
    declarations: Option<toml::Value>,
    #[serde(default)]
    versions: Vec<VersionsToml>,
}

#[derive(Deserialize)]
struct VersionsToml {
    #[serde(default)]
    introduced: Option<String>,
    #[serde(default)]
    fixed: Option<String>,
}

#[derive(Deserialize)]
struct RefToml {
    #[serde(rename = "type", default)]
    kind: String,
    url: String,
}

fn toml_date(v: &Option<toml::Value>) -> Option<String> {
    v.as_ref().map(|v| date_to_rfc3339(&date_string(v)))
}

/// Converts one HSEC advisory to an OSV record.
pub fn parse_hsec_markdown(text: &str, origin: &str) -> Result<Record, ImportError> {
    let (front, offset, body) = split_front_matter(text, origin)?;
    let parsed: Front = toml::from_str(front).map_err(|e| toml_error(origin, front, offset, &e))?;
    let mut affected = Vec::new();
    for (i, a) in parsed.affected.into_iter().enumerate() {
        let (ecosystem, name) = match (a.package, a.ghc_component) {
            (Some(p), _) => ("Hackage", p),
            (None, Some(c)) => ("GHC", c),
            (None, None) => {
                return Err(ImportError::new(
                    origin,
                    "affected entry names neither package nor ghc-component",
                )
                .at(format!("[[affected]] #{}", i + 1)));
            }
        };
        let mut events = Vec::new();
        for v in a.versions {
            events.push(Event {
                introduced: Some(v.introduced.unwrap_or_else(|| "0".into())),
                ..Event::default()
            });
            if let Some(f) = v.fixed {
                events.push(Event {
                    fixed: Some(f),
                    ..Event::default()
                });
            }
        }
        let purl = (ecosystem == "Hackage").then(|| format!("pkg:hackage/{name}"));
        affected.push(Affected {
            package: Some(Package {
                ecosystem: ecosystem.into(),
                name,
                purl,
            }),
            severity: a
                .cvss
                .iter()
                .map(|v| SeverityEntry {
                    kind: cvss_kind(v).into(),
                    score: v.clone(),
                })
                .collect(),
            ranges: vec![Range {
                kind: "ECOSYSTEM".into(),
                repo: None,
                events,
                database_specific: None,
            }],
            versions: Vec::new(),
            ecosystem_specific: Some(json!({
                "os": a.os,
                "arch": a.arch,
                "declarations": a.declarations.map(|d| serde_json::to_value(d).unwrap_or_default()),
            })),
            database_specific: None,
        });
    }
    let (title, details) = title_and_details(body);
    let adv = parsed.advisory;
    let published = toml_date(&adv.date);
    Ok(Record {
        schema_version: None,
        id: adv.id,
        modified: toml_date(&adv.modified).or_else(|| published.clone()),
        published,
        withdrawn: toml_date(&adv.withdrawn),
        aliases: adv.aliases,
        related: adv.related,
        upstream: Vec::new(),
        summary: title,
        details,
        severity: Vec::new(),
        affected,
        references: parsed
            .references
            .into_iter()
            .map(|r| Reference {
                kind: r.kind,
                url: r.url,
            })
            .collect(),
        credits: Vec::new(),
        database_specific: Some(json!({
            "cwe": adv.cwe.iter().map(|c| serde_json::to_value(c).unwrap_or_default()).collect::<Vec<_>>(),
            "keywords": adv.keywords,
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_hsec() {
        let text = "```toml\n[advisory]\nid = \"HSEC-2023-0001\"\naliases = [\"CVE-2022-3433\"]\n\n\
            [[affected]]\npackage = \"aeson\"\ncvss = \"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H\"\n\n\
            [[affected.versions]]\nintroduced = \"0.4.0.0\"\nfixed = \"2.0.1.0\"\n\n\
            [[references]]\ntype = \"ARTICLE\"\nurl = \"https://example.com\"\n```\n\n# Hash flooding\n\nText.\n";
        let r = parse_hsec_markdown(text, "h.md").expect("parses");
        assert_eq!(r.id, "HSEC-2023-0001");
        assert_eq!(r.summary.as_deref(), Some("Hash flooding"));
        let a = &r.affected[0];
        let p = a.package.as_ref().expect("package");
        assert_eq!(
            (p.ecosystem.as_str(), p.name.as_str()),
            ("Hackage", "aeson")
        );
        assert_eq!(a.ranges[0].events[0].introduced.as_deref(), Some("0.4.0.0"));
        assert_eq!(a.ranges[0].events[1].fixed.as_deref(), Some("2.0.1.0"));
        assert_eq!(a.severity[0].kind, "CVSS_V3");
        assert_eq!(r.references[0].kind, "ARTICLE");
    }
}
