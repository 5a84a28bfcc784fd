//! Severity of a record: CVSS v4.0, v3.x and v2 base scores computed from the vectors (the
//! `cvss` crate), preferring the newest CVSS version present; the severity text of
//! `database_specific` / `ecosystem_specific` only when no vector scores.

use chainproof_core::vuln::{Rating, Severity, SeveritySource};
use serde_json::Value;

use crate::model::{Affected, Record, SeverityEntry};

/// Scores one CVSS vector; `None` when it does not parse.
pub fn score_vector(vector: &str) -> Option<Severity> {
    let parsed: cvss::Cvss = vector.trim().parse().ok()?;
    let (source, score) = match &parsed {
        cvss::Cvss::CvssV20(v) => (SeveritySource::CvssV2, v.score().value()),
        cvss::Cvss::CvssV30(v) | cvss::Cvss::CvssV31(v) => {
            (SeveritySource::CvssV3, v.score().value())
        }
        cvss::Cvss::CvssV40(v) => (SeveritySource::CvssV4, v.score().value()),
        _ => return None,
    };
    let rating = match parsed.severity() {
        cvss::Severity::None => Rating::None,
        cvss::Severity::Low => Rating::Low,
        cvss::Severity::Medium => Rating::Medium,
        cvss::Severity::High => Rating::High,
        cvss::Severity::Critical => Rating::Critical,
    };
    Some(Severity {
        rating,
        score: Some(score),
        vector: Some(vector.trim().to_owned()),
        source,
    })
}

fn rank(source: SeveritySource) -> u8 {
    match source {
        SeveritySource::CvssV4 => 4,
        SeveritySource::CvssV3 => 3,
        SeveritySource::CvssV2 => 2,
        SeveritySource::DatabaseSpecific => 1,
        SeveritySource::None => 0,
    }
}

fn best_of<'a>(entries: impl Iterator<Item = &'a SeverityEntry>) -> Option<Severity> {
    entries
        .filter(|e| e.kind.starts_with("CVSS"))
        .filter_map(|e| score_vector(&e.score))
        .max_by(|a, b| {
            rank(a.source)
                .cmp(&rank(b.source))
                .then(a.score.unwrap_or(0.0).total_cmp(&b.score.unwrap_or(0.0)))
        })
}

/// A severity word (`HIGH`, `moderate`, `important`, …) as a rating.
pub fn rating_from_text(text: &str) -> Option<Rating> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "critical" => Rating::Critical,
        "high" | "important" => Rating::High,
        "medium" | "moderate" => Rating::Medium,
        "low" | "negligible" | "unimportant" => Rating::Low,
        "none" => Rating::None,
        _ => return None,
    })
}

fn text_severity(v: Option<&Value>) -> Option<Severity> {
    let obj = v?.as_object()?;
    let text = ["severity", "cvss_severity", "urgency"]
        .iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_str))?;
    let rating = rating_from_text(text)?;
    Some(Severity {
        rating,
        score: None,
        vector: None,
        source: SeveritySource::DatabaseSpecific,
    })
}

/// The severity of `record` as it affects the package of `affected` (the affected entry's own
/// severity first, then the record's), falling back to severity text.
pub fn record_severity(record: &Record, affected: Option<&Affected>) -> Severity {
    affected
        .and_then(|a| best_of(a.severity.iter()))
        .or_else(|| best_of(record.severity.iter()))
        .or_else(|| affected.and_then(|a| text_severity(a.ecosystem_specific.as_ref())))
        .or_else(|| affected.and_then(|a| text_severity(a.database_specific.as_ref())))
        .or_else(|| text_severity(record.database_specific.as_ref()))
        .unwrap_or_else(Severity::unknown)
}

/// Whether `a` is better information than `b` (newer CVSS version, then higher score).
pub fn better(a: &Severity, b: &Severity) -> bool {
    (rank(a.source), a.score.unwrap_or(-1.0)) > (rank(b.source), b.score.unwrap_or(-1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores() {
        let s = score_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").expect("v3");
        assert_eq!(
            (s.score, s.rating, s.source),
            (Some(9.8), Rating::Critical, SeveritySource::CvssV3)
        );
        let s = score_vector("AV:N/AC:L/Au:N/C:P/I:P/A:P").expect("v2");
        assert_eq!((s.score, s.source), (Some(7.5), SeveritySource::CvssV2));
        let s = score_vector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
            .expect("v4");
        assert_eq!(
            (s.score, s.rating, s.source),
            (Some(9.3), Rating::Critical, SeveritySource::CvssV4)
        );
        assert!(score_vector("garbage").is_none());
    }

    #[test]
    fn fallback_text() {
        let r: Record = serde_json::from_str(
            r#"{"id":"GHSA-x","database_specific":{"severity":"MODERATE"},"severity":[{"type":"CVSS_V3","score":"bad"}]}"#,
        )
        .expect("record");
        let s = record_severity(&r, None);
        assert_eq!(
            (s.rating, s.source),
            (Rating::Medium, SeveritySource::DatabaseSpecific)
        );
        let r: Record = serde_json::from_str(r#"{"id":"X"}"#).expect("record");
        assert_eq!(record_severity(&r, None).source, SeveritySource::None);
    }
}
