//! The pre-parsed matching data a database (format 2) stores next to the raw records, so a
//! scan never parses OSV JSON: per record its [`RecordInfo`] (aliases, summary, reference
//! URLs, withdrawn flag) and per index key (`<base ecosystem>\0<normalized name>`) the
//! [`KeyEntry`]s — the record number and that package's affected entries reduced to what
//! range evaluation needs (distro release, SEMVER/ECOSYSTEM events, `versions` list) with the
//! severity computed at build time.
//!
//! Encoding: little-endian `u32` counts and lengths, strings as `u32` length + UTF-8 bytes,
//! optional strings as a `u8` presence flag + string. Decoding never panics: a truncated or
//! malformed blob decodes to `None` (reported as a corrupt database by the caller).

use std::borrow::Cow;

use chainproof_core::vuln::{Rating, Severity, SeveritySource};
use chainproof_version::Scheme;

use crate::ecosystem::{normalize_name, normalize_release};
use crate::model::{Affected, EcosystemName, Event, Record};
use crate::severity::record_severity;

/// The record-level facts a finding shows. Decoded infos borrow their strings from the
/// database's buffer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordInfo<'a> {
    /// Other ids (`CVE-…`, `GHSA-…`).
    pub aliases: Vec<Cow<'a, str>>,
    /// One-line summary.
    pub summary: Option<Cow<'a, str>>,
    /// Reference URLs, in record order, without duplicates or empty ones.
    pub references: Vec<Cow<'a, str>>,
    /// Whether the record is withdrawn.
    pub withdrawn: bool,
}

/// Event kinds, in the order the matcher sorts equal versions.
pub const INTRODUCED: u8 = 0;
/// `fixed`.
pub const FIXED: u8 = 1;
/// `last_affected`.
pub const LAST_AFFECTED: u8 = 2;
/// `limit`.
pub const LIMIT: u8 = 3;

/// One affected entry of a record, reduced for matching. Decoded entries borrow their
/// strings from the database's buffer.
#[derive(Clone, Debug, PartialEq)]
pub struct AffectedEntry<'a> {
    /// The normalized distro release when the entry's ecosystem has a suffix (`Debian:12` → `12`).
    pub release: Option<Cow<'a, str>>,
    /// SEMVER and ECOSYSTEM ranges (GIT ranges dropped): their events as `(kind, version text)`.
    pub ranges: Vec<Vec<(u8, Cow<'a, str>)>>,
    /// The explicit `versions` list, trimmed, less the versions the ranges already cover.
    pub versions: Vec<Cow<'a, str>>,
    /// The severity of the record for this entry (entry severity, then record, then text).
    pub severity: Severity,
}

/// The affected entries of one record for one index key (withdrawn records have none).
#[derive(Clone, Debug, PartialEq)]
pub struct KeyEntry<'a> {
    /// The record number in the database.
    pub record: u32,
    /// The record's affected entries for this package.
    pub affected: Vec<AffectedEntry<'a>>,
}

/// Flattens OSV range events into `(kind, text)`; an event with several fields set gives one
/// pair per field, in the order introduced, fixed, last_affected, limit.
pub fn flatten_events(events: &[Event]) -> Vec<(u8, Cow<'static, str>)> {
    let mut out = Vec::new();
    for e in events {
        let fields = [
            (INTRODUCED, &e.introduced),
            (FIXED, &e.fixed),
            (LAST_AFFECTED, &e.last_affected),
            (LIMIT, &e.limit),
        ];
        for (kind, text) in fields {
            if let Some(t) = text {
                out.push((kind, Cow::Owned(t.clone())));
            }
        }
    }
    out
}

/// The ranges of `a` the matcher evaluates (SEMVER, ECOSYSTEM), flattened.
pub fn matching_ranges(a: &Affected) -> Vec<Vec<(u8, Cow<'static, str>)>> {
    a.ranges
        .iter()
        .filter(|r| matches!(r.kind.as_str(), "SEMVER" | "ECOSYSTEM"))
        .map(|r| flatten_events(&r.events))
        .collect()
}

/// The `versions` list of an affected entry (trimmed) without the versions its ranges
/// already cover. The matcher reads the list only when no range matched, and a version
/// equal to a covered one in the scheme's order is matched by the ranges too (they compare
/// the same against every event), so those entries can never decide a match; most OSV
/// records list exactly the versions of their ranges. Kept whole for an ecosystem without a
/// version order here, and for Maven, whose order is not transitive for some odd strings.
fn listed_beyond_ranges(
    base: &str,
    ranges: &[Vec<(u8, Cow<'static, str>)>],
    versions: &[String],
) -> Vec<Cow<'static, str>> {
    let trimmed = versions.iter().map(|v| v.trim());
    let kept = match Scheme::for_osv_ecosystem(base).filter(|s| *s != Scheme::Maven) {
        Some(scheme) => crate::matcher::not_covered(scheme, ranges, trimmed),
        None => trimmed.collect(),
    };
    kept.into_iter().map(|v| Cow::Owned(v.to_owned())).collect()
}

/// The record info of a record.
pub fn record_info(record: &Record) -> RecordInfo<'_> {
    let mut references: Vec<Cow<'_, str>> = Vec::new();
    for r in &record.references {
        if !r.url.is_empty() && !references.iter().any(|u| *u == r.url) {
            references.push(Cow::Borrowed(&r.url));
        }
    }
    RecordInfo {
        aliases: record
            .aliases
            .iter()
            .map(|a| Cow::Borrowed(a.as_str()))
            .collect(),
        summary: record.summary.as_deref().map(Cow::Borrowed),
        references,
        withdrawn: record.is_withdrawn(),
    }
}

/// The affected entries of `record` grouped by index key parts `(base ecosystem, normalized
/// name)`, in record order. Entries without a package name are left out.
pub fn affected_by_key(record: &Record) -> Vec<((String, String), AffectedEntry<'static>)> {
    let mut out = Vec::new();
    for a in &record.affected {
        let Some(p) = &a.package else { continue };
        if p.ecosystem.is_empty() || p.name.is_empty() {
            continue;
        }
        let eco = EcosystemName::parse(&p.ecosystem);
        let release = eco
            .suffix
            .as_deref()
            .and_then(|_| eco.release())
            .map(|r| Cow::Owned(normalize_release(&eco.base, &r)));
        let name = normalize_name(&eco.base, &p.name);
        let ranges = matching_ranges(a);
        let versions = listed_beyond_ranges(&eco.base, &ranges, &a.versions);
        out.push((
            (eco.base, name),
            AffectedEntry {
                release,
                ranges,
                versions,
                severity: record_severity(record, Some(a)),
            },
        ));
    }
    out
}

/// A byte writer for the encoding above.
#[derive(Default)]
pub(crate) struct Enc(pub(crate) Vec<u8>);

impl Enc {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: usize) {
        self.0
            .extend_from_slice(&u32::try_from(v).unwrap_or(u32::MAX).to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
    fn strs<S: AsRef<str>>(&mut self, v: &[S]) {
        self.u32(v.len());
        for s in v {
            self.str(s.as_ref());
        }
    }

    /// Appends a record info.
    pub(crate) fn info(&mut self, i: &RecordInfo<'_>) {
        self.u8(u8::from(i.withdrawn));
        self.strs(&i.aliases);
        self.opt(i.summary.as_deref());
        self.strs(&i.references);
    }

    /// Appends one key entry (record number and affected entries).
    pub(crate) fn key_entry(&mut self, record: u32, affected: &[AffectedEntry<'_>]) {
        self.0.extend_from_slice(&record.to_le_bytes());
        self.u32(affected.len());
        for a in affected {
            self.opt(a.release.as_deref());
            self.u32(a.ranges.len());
            for r in &a.ranges {
                self.u32(r.len());
                for (kind, text) in r {
                    self.u8(*kind);
                    self.str(text);
                }
            }
            self.strs(&a.versions);
            let s = &a.severity;
            self.u8(rating_code(s.rating));
            self.u8(source_code(s.source));
            match s.score {
                Some(x) => {
                    self.u8(1);
                    self.0.extend_from_slice(&x.to_le_bytes());
                }
                None => self.u8(0),
            }
            self.opt(s.vector.as_deref());
        }
    }
}

fn rating_code(r: Rating) -> u8 {
    match r {
        Rating::Unknown => 0,
        Rating::None => 1,
        Rating::Low => 2,
        Rating::Medium => 3,
        Rating::High => 4,
        Rating::Critical => 5,
    }
}

fn rating_of(c: u8) -> Option<Rating> {
    Some(match c {
        0 => Rating::Unknown,
        1 => Rating::None,
        2 => Rating::Low,
        3 => Rating::Medium,
        4 => Rating::High,
        5 => Rating::Critical,
        _ => return None,
    })
}

fn source_code(s: SeveritySource) -> u8 {
    match s {
        SeveritySource::CvssV4 => 0,
        SeveritySource::CvssV3 => 1,
        SeveritySource::CvssV2 => 2,
        SeveritySource::DatabaseSpecific => 3,
        SeveritySource::None => 4,
    }
}

fn source_of(c: u8) -> Option<SeveritySource> {
    Some(match c {
        0 => SeveritySource::CvssV4,
        1 => SeveritySource::CvssV3,
        2 => SeveritySource::CvssV2,
        3 => SeveritySource::DatabaseSpecific,
        4 => SeveritySource::None,
        _ => return None,
    })
}

/// A reader for the encoding above; every method returns `None` past the end.
pub(crate) struct Dec<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Dec<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Dec { b, pos: 0 }
    }
    pub(crate) fn done(&self) -> bool {
        self.pos >= self.b.len()
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|s| s[0])
    }
    fn u32(&mut self) -> Option<usize> {
        let s = self.take(4)?;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn opt(&mut self) -> Option<Option<&'a str>> {
        match self.u8()? {
            0 => Some(None),
            1 => self.str().map(Some),
            _ => None,
        }
    }
    /// A count, bounded by the bytes left (each element takes at least one byte).
    fn count(&mut self) -> Option<usize> {
        let n = self.u32()?;
        (n <= self.b.len().saturating_sub(self.pos)).then_some(n)
    }
    fn borrowed(&mut self) -> Option<Vec<Cow<'a, str>>> {
        let n = self.count()?;
        (0..n).map(|_| self.str().map(Cow::Borrowed)).collect()
    }

    pub(crate) fn info(&mut self) -> Option<RecordInfo<'a>> {
        let withdrawn = self.u8()? != 0;
        Some(RecordInfo {
            withdrawn,
            aliases: self.borrowed()?,
            summary: self.opt()?.map(Cow::Borrowed),
            references: self.borrowed()?,
        })
    }

    pub(crate) fn key_entry(&mut self) -> Option<KeyEntry<'a>> {
        let record = u32::try_from(self.u32()?).ok()?;
        let n = self.count()?;
        // Capacities are capped: a count is bounded only by the bytes left, and a crafted file
        // could otherwise reserve ~100 bytes per remaining byte before failing to decode.
        let mut affected = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let release = self.opt()?.map(Cow::Borrowed);
            let nr = self.count()?;
            let mut ranges = Vec::with_capacity(nr.min(64));
            for _ in 0..nr {
                let ne = self.count()?;
                let mut evs = Vec::with_capacity(ne.min(64));
                for _ in 0..ne {
                    let kind = self.u8()?;
                    if kind > LIMIT {
                        return None;
                    }
                    evs.push((kind, Cow::Borrowed(self.str()?)));
                }
                ranges.push(evs);
            }
            let versions = self.borrowed()?;
            let rating = rating_of(self.u8()?)?;
            let source = source_of(self.u8()?)?;
            let score = match self.u8()? {
                0 => None,
                1 => {
                    let s = self.take(8)?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(s);
                    Some(f64::from_le_bytes(a))
                }
                _ => return None,
            };
            let vector = self.opt()?.map(str::to_owned);
            affected.push(AffectedEntry {
                release,
                ranges,
                versions,
                severity: Severity {
                    rating,
                    score,
                    vector,
                    source,
                },
            });
        }
        Some(KeyEntry { record, affected })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let rec: Record = serde_json::from_str(
            r#"{"id":"GHSA-x","aliases":["CVE-1"],"summary":"s",
                "references":[{"type":"WEB","url":"https://a"},{"type":"WEB","url":"https://a"}],
                "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                "affected":[{"package":{"ecosystem":"Debian:12","name":"Foo"},
                  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]},
                            {"type":"GIT","events":[{"introduced":"abc"}]}],
                  "versions":[" 1.0 ", " 2.0 "]}]}"#,
        )
        .expect("record");
        let info = record_info(&rec);
        assert_eq!(info.references, ["https://a"]);
        let mut e = Enc::default();
        e.info(&info);
        assert_eq!(Dec::new(&e.0).info(), Some(info));
        let by_key = affected_by_key(&rec);
        assert_eq!(by_key[0].0, ("Debian".to_owned(), "Foo".to_owned()));
        let a = &by_key[0].1;
        assert_eq!(a.release.as_deref(), Some("12"));
        assert_eq!(
            a.ranges,
            vec![vec![(INTRODUCED, "0".into()), (FIXED, "1.2".into())]]
        );
        // 1.0 is covered by the range (`fixed: 1.2`): only 2.0 adds to it.
        assert_eq!(a.versions, ["2.0"]);
        assert_eq!(a.severity.score, Some(9.8));
        let mut e = Enc::default();
        e.key_entry(7, std::slice::from_ref(a));
        let mut d = Dec::new(&e.0);
        let k = d.key_entry().expect("decodes");
        assert!(d.done());
        assert_eq!((k.record, &k.affected[0]), (7, a));
        // Every truncation fails cleanly.
        for cut in 0..e.0.len() {
            assert_eq!(Dec::new(&e.0[..cut]).key_entry(), None, "cut at {cut}");
        }
    }
}
