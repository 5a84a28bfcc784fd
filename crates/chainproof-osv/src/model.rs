//! Lenient serde types for the OSV schema (1.7).
//!
//! Every field of the schema is modelled; fields the schema leaves open (`database_specific`,
//! `ecosystem_specific`) are kept as JSON values, unknown fields are ignored, range types and
//! ecosystems are plain strings, and `null` stands for an absent list. A record fails to
//! deserialize only when it is not an object or has no `id`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// One OSV record (`id`, `affected`, …).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The schema version the record claims (`1.6.0`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub schema_version: Option<String>,
    /// The record's id (`GHSA-…`, `PYSEC-…`, `RUSTSEC-…`).
    #[serde(deserialize_with = "string")]
    pub id: String,
    /// RFC 3339 time of the last modification.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub modified: Option<String>,
    /// RFC 3339 time of publication.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub published: Option<String>,
    /// RFC 3339 time of withdrawal; a withdrawn record never produces findings.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub withdrawn: Option<String>,
    /// Other ids of the same vulnerability.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "strings"
    )]
    pub aliases: Vec<String>,
    /// Ids of related, but different, vulnerabilities.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "strings"
    )]
    pub related: Vec<String>,
    /// Ids of upstream records this one derives from.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "strings"
    )]
    pub upstream: Vec<String>,
    /// One-line summary.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub summary: Option<String>,
    /// Markdown details.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub details: Option<String>,
    /// Record-level severities.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_list"
    )]
    pub severity: Vec<SeverityEntry>,
    /// Affected packages.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_list"
    )]
    pub affected: Vec<Affected>,
    /// References.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_list"
    )]
    pub references: Vec<Reference>,
    /// Credits.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_list"
    )]
    pub credits: Vec<Credit>,
    /// Database-specific data, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

impl Record {
    /// Parses one record from JSON bytes.
    pub fn from_json(bytes: &[u8]) -> Result<Record, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// `id` followed by the aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether the record is withdrawn.
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }
}

/// A `severity[]` entry: `{type: CVSS_V3, score: "CVSS:3.1/…"}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SeverityEntry {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, … (unknown types are kept).
    #[serde(rename = "type", default, deserialize_with = "string")]
    pub kind: String,
    /// The vector or the score text.
    #[serde(default, deserialize_with = "string")]
    pub score: String,
}

/// An `affected[]` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// The package (absent for some records, e.g. pure GIT ranges).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_opt"
    )]
    pub package: Option<Package>,
    /// Package-level severities.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_list"
    )]
    pub severity: Vec<SeverityEntry>,
    /// Version ranges.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_list"
    )]
    pub ranges: Vec<Range>,
    /// Explicitly affected versions.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "strings"
    )]
    pub versions: Vec<String>,
    /// Ecosystem-specific data, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    /// Database-specific data, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// `affected[].package`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Package {
    /// The ecosystem, possibly with a suffix (`Debian:12`).
    #[serde(default, deserialize_with = "string")]
    pub ecosystem: String,
    /// The package name as the ecosystem writes it.
    #[serde(default, deserialize_with = "string")]
    pub name: String,
    /// A purl for the package, when given.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub purl: Option<String>,
}

/// `affected[].ranges[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM`, `GIT` (other values are kept and ignored by the matcher).
    #[serde(rename = "type", default, deserialize_with = "string")]
    pub kind: String,
    /// The repository of a GIT range.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub repo: Option<String>,
    /// The events, in any order.
    #[serde(default, deserialize_with = "lenient_list")]
    pub events: Vec<Event>,
    /// Database-specific data, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// One range event. Exactly one field is set in a valid record; extra fields are tolerated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Start of an affected interval (inclusive); `0` means "from the beginning".
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub introduced: Option<String>,
    /// First unaffected version (exclusive end).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub fixed: Option<String>,
    /// Last affected version (inclusive end).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub last_affected: Option<String>,
    /// Upper limit of the range (exclusive), used with GIT ranges.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub limit: Option<String>,
}

/// A `references[]` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// `ADVISORY`, `ARTICLE`, `FIX`, `WEB`, …
    #[serde(rename = "type", default, deserialize_with = "string")]
    pub kind: String,
    /// The URL.
    #[serde(default, deserialize_with = "string")]
    pub url: String,
}

/// A `credits[]` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Credit {
    /// Who.
    #[serde(default, deserialize_with = "string")]
    pub name: String,
    /// How to reach them.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "strings"
    )]
    pub contact: Vec<String>,
    /// `FINDER`, `REPORTER`, …
    #[serde(
        rename = "type",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub kind: Option<String>,
}

/// An OSV ecosystem string split into its base and suffix:
/// `Debian:12` → (`Debian`, `12`), `Ubuntu:22.04:LTS` → (`Ubuntu`, `22.04:LTS`),
/// `Red Hat:enterprise_linux:9::appstream` → (`Red Hat`, `enterprise_linux:9::appstream`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EcosystemName {
    /// The base ecosystem (`Debian`, `PyPI`, `crates.io`).
    pub base: String,
    /// Everything after the first `:`, when present and non-empty.
    pub suffix: Option<String>,
}

impl EcosystemName {
    /// Splits an ecosystem string; never fails.
    pub fn parse(s: &str) -> EcosystemName {
        let s = s.trim();
        match s.split_once(':') {
            Some((base, suffix)) if !suffix.is_empty() => EcosystemName {
                base: base.trim().to_owned(),
                suffix: Some(suffix.to_owned()),
            },
            Some((base, _)) => EcosystemName {
                base: base.trim().to_owned(),
                suffix: None,
            },
            None => EcosystemName {
                base: s.to_owned(),
                suffix: None,
            },
        }
    }

    /// The distribution release named by the suffix, normalized for comparison with a
    /// package's distro release: `Debian:12` → `12`, `Alpine:v3.20` → `3.20`,
    /// `Ubuntu:22.04:LTS` / `Ubuntu:Pro:22.04:LTS` → `22.04`, `Red Hat:enterprise_linux:9::appstream` → `9`,
    /// `AlmaLinux:8` → `8`, `Mageia:9` → `9`, `openSUSE:Leap 15.5` → `leap 15.5`.
    pub fn release(&self) -> Option<String> {
        let suffix = self.suffix.as_deref()?;
        let rel = match self.base.as_str() {
            "Ubuntu" => suffix
                .split(':')
                .find(|p| p.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .unwrap_or(suffix)
                .to_owned(),
            "Red Hat" => suffix
                .split(':')
                .nth(1)
                .and_then(|p| p.split('.').next())
                .unwrap_or(suffix)
                .to_owned(),
            "Alpine" => suffix.trim_start_matches('v').to_owned(),
            _ => suffix.split(':').next().unwrap_or(suffix).to_owned(),
        };
        Some(rel.to_ascii_lowercase())
    }
}

impl fmt::Display for EcosystemName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.suffix {
            Some(s) => write!(f, "{}:{s}", self.base),
            None => f.write_str(&self.base),
        }
    }
}

// ---- lenient deserializers -------------------------------------------------------------

/// A scalar rendered as a string (YAML may give numbers or booleans for versions).
fn scalar_to_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(scalar_to_string(Value::deserialize(d)?).unwrap_or_default())
}

fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(scalar_to_string(Value::deserialize(d)?))
}

fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.into_iter().filter_map(scalar_to_string).collect(),
        other => scalar_to_string(other).into_iter().collect(),
    })
}

/// A list whose malformed items are dropped (a single object counts as a one-item list).
fn lenient_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        v @ Value::Object(_) => serde_json::from_value(v).ok().into_iter().collect(),
        _ => Vec::new(),
    })
}

fn lenient_opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(serde_json::from_value(Value::deserialize(d)?).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystem_suffixes() {
        let e = EcosystemName::parse("Debian:12");
        assert_eq!(
            (e.base.as_str(), e.release().as_deref()),
            ("Debian", Some("12"))
        );
        let e = EcosystemName::parse("Alpine:v3.20");
        assert_eq!(
            (e.base.as_str(), e.release().as_deref()),
            ("Alpine", Some("3.20"))
        );
        let e = EcosystemName::parse("Ubuntu:22.04:LTS");
        assert_eq!(e.release().as_deref(), Some("22.04"));
        let e = EcosystemName::parse("Ubuntu:Pro:18.04:LTS");
        assert_eq!(e.release().as_deref(), Some("18.04"));
        let e = EcosystemName::parse("Red Hat:enterprise_linux:9::appstream");
        assert_eq!(
            (e.base.as_str(), e.release().as_deref()),
            ("Red Hat", Some("9"))
        );
        let e = EcosystemName::parse("PyPI");
        assert_eq!((e.base.as_str(), e.suffix), ("PyPI", None));
        assert_eq!(EcosystemName::parse("Debian:12").to_string(), "Debian:12");
    }

    #[test]
    fn lenient_record() {
        let json = br#"{"id":"X-1","aliases":null,"affected":[{"package":{"ecosystem":"Weird:1","name":"p"},
            "ranges":[{"type":"NEWTYPE","events":[{"introduced":"0"},{"fixed":1.5},{"bogus":true}]},7],
            "versions":["1.0", 2]}, "not an object"], "severity":{"type":"CVSS_V3","score":"x"},
            "unknown_field":{"a":1}}"#;
        let r = Record::from_json(json).expect("lenient parse");
        assert_eq!(r.id, "X-1");
        assert!(r.aliases.is_empty());
        assert_eq!(r.affected.len(), 1);
        assert_eq!(r.affected[0].ranges[0].kind, "NEWTYPE");
        assert_eq!(
            r.affected[0].ranges[0].events[1].fixed.as_deref(),
            Some("1.5")
        );
        assert_eq!(r.affected[0].versions, vec!["1.0", "2"]);
        assert_eq!(r.severity.len(), 1);
        assert!(Record::from_json(br#"{"affected":[]}"#).is_err());
        assert!(Record::from_json(b"[1]").is_err());
    }
}
