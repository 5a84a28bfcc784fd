//! Matching an inventory against the database: the OSV range semantics, one finding per
//! vulnerability (aliases merged), and an honest account of what could not be audited.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

use rayon::prelude::*;

use chainproof_core::vuln::{
    DatabaseInfo, Finding, NotAudited, ScanSummary, Severity, non_registry_kind,
};
use chainproof_core::{Inventory, PackageId};
use chainproof_version::{Scheme, Version};

use crate::compact::{FIXED, INTRODUCED, KeyEntry, LAST_AFFECTED, LIMIT, RecordInfo};
use crate::db::Database;
use crate::ecosystem::{has_releases, osv_package};
use crate::model::Affected;
use crate::severity::better;

/// Scan options.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// The current time (seconds since the Unix epoch) for the database age; `None` = now.
    pub now_unix: Option<u64>,
}

/// How one affected entry matched a version.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AffectedMatch {
    /// Human-readable descriptions of what matched (`>=1.0.0, <1.2.3`, `version listed`).
    pub matched: Vec<String>,
    /// `fixed` versions above the version, in the entry's ranges.
    pub fixed: Vec<String>,
}

/// [`AffectedMatch`] as the matcher keeps it: the fixed versions with their parsed form.
#[derive(Debug, Default)]
struct Matched<'p> {
    matched: Vec<String>,
    fixed: Vec<(&'p Version, &'p str)>,
}

/// Whether `version` (a string of the affected entry's ecosystem) is affected by `affected`,
/// evaluating SEMVER and ECOSYSTEM ranges exactly as the OSV schema's pseudo-code
/// (events sorted by version; `introduced`, `fixed`, `last_affected`, `limit`) plus the
/// `versions` list. GIT ranges are ignored. Returns `None` when not affected.
pub fn match_affected(scheme: Scheme, version: &str, affected: &Affected) -> Option<AffectedMatch> {
    let v = scheme.parse(version).ok()?;
    let versions: Vec<Cow<'_, str>> = affected
        .versions
        .iter()
        .map(|v| Cow::Borrowed(v.trim()))
        .collect();
    let ranges = crate::compact::matching_ranges(affected);
    let prepared = prepare(scheme, &ranges, &versions);
    let m = prepared.matches(version, &v)?;
    Some(AffectedMatch {
        matched: m.matched,
        fixed: m.fixed.into_iter().map(|(_, t)| t.to_owned()).collect(),
    })
}

/// The versions of `listed` that the SEMVER/ECOSYSTEM `ranges` of an affected entry
/// (flattened events) do not cover by themselves (a version that does not parse is kept).
pub(crate) fn not_covered<'v>(
    scheme: Scheme,
    ranges: &[Vec<(u8, Cow<'_, str>)>],
    listed: impl Iterator<Item = &'v str>,
) -> Vec<&'v str> {
    let prepared = prepare(scheme, ranges, &[]);
    listed
        .filter(|t| parse(scheme, t).is_none_or(|v| prepared.matches(t, &v).is_none()))
        .collect()
}

fn parse(scheme: Scheme, s: &str) -> Option<Version> {
    scheme.parse(s.trim()).ok()
}

fn cmp(a: &Version, b: &Version) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

/// An event with its parsed version (`None` for `introduced: "0"` / `limit: "*"`).
#[derive(Debug)]
struct Ev<'a> {
    kind: u8, // 0 introduced, 1 fixed, 2 last_affected, 3 limit
    text: &'a str,
    ver: Option<Version>,
}

/// An affected entry with its versions parsed and its events sorted.
#[derive(Debug)]
struct Prepared<'a> {
    ranges: Vec<Vec<Ev<'a>>>,
    versions: &'a [Cow<'a, str>],
    scheme: Scheme,
}

fn events<'a>(scheme: Scheme, evs: &'a [(u8, Cow<'a, str>)]) -> Vec<Ev<'a>> {
    let mut out = Vec::with_capacity(evs.len());
    for (kind, text) in evs {
        let kind = *kind;
        let special =
            (kind == INTRODUCED && text.trim() == "0") || (kind == LIMIT && text.trim() == "*");
        if special {
            out.push(Ev {
                kind,
                text,
                ver: None,
            });
        } else if let Some(ver) = parse(scheme, text) {
            out.push(Ev {
                kind,
                text,
                ver: Some(ver),
            });
        }
        // An event version the scheme cannot parse is dropped (it cannot be ordered).
    }
    // Sort by version; "0" first; at equal versions `introduced` before the closing events.
    out.sort_by(|a, b| match (&a.ver, &b.ver) {
        (None, None) => a.kind.cmp(&b.kind),
        (None, Some(_)) => {
            if a.kind == 0 {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (Some(_), None) => {
            if b.kind == 0 {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Some(x), Some(y)) => cmp(x, y).then(a.kind.cmp(&b.kind)),
    });
    out
}

fn prepare<'a>(
    scheme: Scheme,
    ranges: &'a [Vec<(u8, Cow<'a, str>)>],
    versions: &'a [Cow<'a, str>],
) -> Prepared<'a> {
    Prepared {
        ranges: ranges.iter().map(|r| events(scheme, r)).collect(),
        versions,
        scheme,
    }
}

impl<'a> Prepared<'a> {
    fn matches(&self, text: &str, v: &Version) -> Option<Matched<'_>> {
        let mut m = Matched::default();
        let mut all_fixed: Vec<(&Version, &str)> = Vec::new();
        for evs in &self.ranges {
            let mut limited = false;
            let mut under_limit = false;
            for l in evs.iter().filter(|e| e.kind == LIMIT) {
                limited = true;
                under_limit |= l.ver.as_ref().is_none_or(|lv| cmp(v, lv) == Ordering::Less);
            }
            let mut vulnerable = false;
            let mut start: Option<&str> = None;
            let (introduced, fixed, last) = (INTRODUCED, FIXED, LAST_AFFECTED);
            let mut end: Option<String> = None;
            for e in evs {
                match (e.kind, &e.ver) {
                    (k, None) if k == introduced => {
                        vulnerable = true;
                        start = Some("0");
                        end = None;
                    }
                    (k, Some(iv)) if k == introduced && cmp(v, iv) != Ordering::Less => {
                        vulnerable = true;
                        start = Some(e.text);
                        end = None;
                    }
                    (k, Some(fv)) if k == fixed => {
                        all_fixed.push((fv, e.text));
                        if cmp(v, fv) != Ordering::Less {
                            vulnerable = false;
                        } else if vulnerable && end.is_none() {
                            end = Some(format!("<{}", e.text));
                        }
                    }
                    (k, Some(lv)) if k == last => {
                        if cmp(v, lv) == Ordering::Greater {
                            vulnerable = false;
                        } else if vulnerable && end.is_none() {
                            end = Some(format!("<={}", e.text));
                        }
                    }
                    _ => {}
                }
            }
            if vulnerable && (!limited || under_limit) {
                let lo = match start {
                    Some("0") | None => None,
                    Some(s) => Some(format!(">={s}")),
                };
                let desc: Vec<String> = lo.into_iter().chain(end).collect();
                m.matched.push(if desc.is_empty() {
                    "all versions".to_owned()
                } else {
                    desc.join(", ")
                });
            }
        }
        // The `versions` list matters only when no range matched: compared as text first,
        // then by version order (`1.0` equals `1.0.0` in PyPI).
        if m.matched.is_empty() {
            let text = text.trim();
            let listed = self.versions.iter().any(|lt| lt == text)
                || self.versions.iter().any(|lt| {
                    parse(self.scheme, lt).is_some_and(|p| cmp(&p, v) == Ordering::Equal)
                });
            if listed {
                m.matched.push("version listed".to_owned());
            }
        }
        if m.matched.is_empty() {
            return None;
        }
        all_fixed.retain(|(fv, _)| cmp(fv, v) == Ordering::Greater);
        all_fixed.sort_by(|a, b| cmp(a.0, b.0));
        all_fixed.dedup_by(|a, b| cmp(a.0, b.0) == Ordering::Equal);
        m.fixed = all_fixed;
        Some(m)
    }
}

/// A record that matched a package (its strings borrowed from the database).
struct Hit<'a> {
    id: &'a str,
    info: RecordInfo<'a>,
    matched: Matched<'a>,
    severity: &'a Severity,
}

impl Hit<'_> {
    fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id).chain(self.info.aliases.iter().map(|a| a.as_ref()))
    }
}

/// The id prefixes native to each base ecosystem, preferred as a finding's id.
fn native_prefixes(base: &str) -> &'static [&'static str] {
    match base {
        "PyPI" => &["PYSEC-"],
        "Go" => &["GO-"],
        "crates.io" => &["RUSTSEC-"],
        "Hackage" | "GHC" => &["HSEC-"],
        "CRAN" => &["RSEC-"],
        "Bitnami" => &["BIT-"],
        "Debian" => &["DSA-", "DLA-", "DTSA-", "DEBIAN-"],
        "Ubuntu" => &["USN-", "UBUNTU-"],
        "Alpine" => &["ALPINE-"],
        "Red Hat" => &["RHSA-", "RHBA-", "RHEA-"],
        "AlmaLinux" => &["ALSA-", "ALBA-", "ALEA-"],
        "Rocky Linux" => &["RLSA-", "RXSA-"],
        "openSUSE" | "SUSE" => &["SUSE-", "openSUSE-"],
        "npm" | "Maven" | "NuGet" | "RubyGems" | "Packagist" | "Pub" | "Hex" | "SwiftURL" => {
            &["GHSA-"]
        }
        _ => &[],
    }
}

fn id_rank(base: &str, id: &str) -> u8 {
    if native_prefixes(base).iter().any(|p| id.starts_with(p)) {
        0
    } else if id.starts_with("CVE-") {
        3
    } else if id.starts_with("GHSA-") {
        2
    } else {
        1
    }
}

fn merge(base: &str, package: PackageId, hits: Vec<Hit<'_>>) -> Vec<Finding> {
    // Union records sharing any id (their own or an alias): every (id, hit) pair sorted by
    // id, and the hits of equal ids joined.
    let n = hits.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut owners: Vec<(&str, usize)> = hits
        .iter()
        .enumerate()
        .flat_map(|(i, h)| h.ids().map(move |id| (id, i)))
        .collect();
    owners.sort_unstable();
    for w in owners.windows(2) {
        if w[0].0 == w[1].0 {
            let (a, b) = (find(&mut parent, w[1].1), find(&mut parent, w[0].1));
            parent[a] = b;
        }
    }
    // Groups in order of their first hit.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of = vec![usize::MAX; n];
    for i in 0..n {
        let root = find(&mut parent, i);
        if group_of[root] == usize::MAX {
            group_of[root] = groups.len();
            groups.push(Vec::new());
        }
        groups[group_of[root]].push(i);
    }
    let mut findings = Vec::with_capacity(groups.len());
    for group in groups {
        let Some(&lead) = group.iter().min_by(|&&a, &&b| {
            let (ia, ib) = (hits[a].id, hits[b].id);
            id_rank(base, ia).cmp(&id_rank(base, ib)).then(ia.cmp(ib))
        }) else {
            continue;
        };
        let lead_hit = &hits[lead];
        let mut ids: Vec<&str> = Vec::new();
        let mut affected: Vec<String> = Vec::new();
        let mut fixed: Vec<(&Version, &str)> = Vec::new();
        let mut references: Vec<&str> = Vec::new();
        let mut sources: Vec<&str> = Vec::with_capacity(group.len());
        let mut severity = lead_hit.severity;
        for &i in &group {
            let h = &hits[i];
            ids.extend(h.ids().filter(|&id| id != lead_hit.id));
            for a in &h.matched.matched {
                if !affected.contains(a) {
                    affected.push(a.clone());
                }
            }
            fixed.extend(h.matched.fixed.iter().copied());
            for url in &h.info.references {
                if !references.contains(&url.as_ref()) {
                    references.push(url);
                }
            }
            sources.push(h.id);
        }
        // The preferred record's severity, unless it has none: then the best of the others.
        if severity.source == chainproof_core::vuln::SeveritySource::None {
            for &i in &group {
                if better(hits[i].severity, severity) {
                    severity = hits[i].severity;
                }
            }
        }
        fixed.sort_by(|(x, _), (y, _)| cmp(x, y));
        let mut fixed_versions: Vec<String> = Vec::with_capacity(fixed.len());
        for (_, f) in fixed {
            if fixed_versions.last().is_none_or(|last| last != f) {
                fixed_versions.push(f.to_owned());
            }
        }
        ids.sort_unstable();
        ids.dedup();
        sources.sort_unstable();
        let summary = lead_hit
            .info
            .summary
            .as_deref()
            .or_else(|| group.iter().find_map(|&i| hits[i].info.summary.as_deref()));
        findings.push(Finding {
            id: lead_hit.id.to_owned(),
            aliases: ids.into_iter().map(str::to_owned).collect(),
            summary: summary.map(str::to_owned),
            package,
            affected,
            fixed_versions,
            severity: severity.clone(),
            references: references.into_iter().map(str::to_owned).collect(),
            sources: sources.into_iter().map(str::to_owned).collect(),
            vex: None,
        });
    }
    findings.sort_by(|a, b| a.id.cmp(&b.id));
    findings
}

/// Matches every package of `inventory` against `db`.
///
/// Every package is either audited or listed in [`ScanSummary::not_audited`] with the reason:
/// `no version`, `local package, not in any advisory database (file:…)`, `git or URL source,
/// not in any advisory database (…)`, `no version order for ecosystem X`, `unparseable version V: …`,
/// `no distro release …`, `no database coverage for X`, or a database read error.
pub fn scan(
    inventory: &Inventory,
    db: &Database,
    opts: &ScanOptions,
) -> (Vec<Finding>, ScanSummary) {
    let meta = db.meta();
    let now = opts.now_unix.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    let mut summary = ScanSummary {
        packages: inventory.len(),
        audited: 0,
        not_audited: Vec::new(),
        database: DatabaseInfo {
            path: db.path().display().to_string(),
            built_unix: meta.built_unix,
            age_secs: now.saturating_sub(meta.built_unix),
            records: meta.records,
            sources: meta.sources.iter().map(|s| s.location.clone()).collect(),
            ecosystems: meta.ecosystems.keys().cloned().collect(),
        },
    };
    // Phase 1: each package's OSV identity, parsed version and index key (cheap).
    let packages: Vec<_> = inventory.packages().collect();
    let steps: Vec<Step> = packages
        .par_iter()
        .with_min_len(512)
        .map(|&(id, pkg)| plan(id, pkg, db))
        .collect();
    // Phase 2: the packages grouped by index key; per key (in parallel) its pre-parsed
    // matching data is decoded and its event versions parsed once, then every package of the
    // key is matched. No OSV JSON is parsed. Results keep the inventory's order.
    let mut outcomes: Vec<Option<Outcome>> = Vec::with_capacity(steps.len());
    let mut by_key: HashMap<usize, Vec<(usize, Job)>> = HashMap::new();
    for (i, step) in steps.into_iter().enumerate() {
        outcomes.push(match step {
            Err(skipped) => Some(Err(skipped)),
            Ok(job) => match job.key {
                None => Some(Ok(Vec::new())),
                Some(k) => {
                    by_key.entry(k).or_default().push((i, job));
                    None
                }
            },
        });
    }
    let matched: Vec<(usize, Outcome)> = by_key
        .into_par_iter()
        .flat_map_iter(|(key, jobs)| match_key(key, jobs, db))
        .collect();
    for (i, o) in matched {
        if let Some(slot) = outcomes.get_mut(i) {
            *slot = Some(o);
        }
    }
    let total = outcomes
        .iter()
        .map(|o| match o {
            Some(Ok(f)) => f.len(),
            _ => 0,
        })
        .sum();
    let mut findings = Vec::with_capacity(total);
    for o in outcomes.into_iter().flatten() {
        match o {
            Ok(f) => {
                summary.audited += 1;
                findings.extend(f);
            }
            Err((package, reason)) => summary.not_audited.push(NotAudited { package, reason }),
        }
    }
    (findings, summary)
}

/// The findings of one package, or why it was not audited.
type Outcome = Result<Vec<Finding>, (PackageId, String)>;

/// One package ready to be matched.
struct Job {
    id: PackageId,
    ecosystem: String,
    release: Option<String>,
    version: String,
    parsed: Version,
    scheme: Scheme,
    distro: bool,
    /// The package's key number in the database (`None`: no advisory names it).
    key: Option<usize>,
}

/// What to do with one package: match it, or skip it (with the reason).
type Step = Result<Job, (PackageId, String)>;

fn plan(id: PackageId, pkg: &chainproof_core::Package, db: &Database) -> Step {
    let osv = osv_package(pkg);
    let skip = |reason: String| Err((id, reason));
    // A local package (`file:`, `link:`, `workspace:` …) or a git/URL one is in no advisory
    // database: said so, rather than "no version" or "unparseable version".
    let source_kind = pkg.source.as_deref().and_then(|src| {
        let kind = non_registry_kind(src)?;
        let url = src
            .trim_start()
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("http"));
        (!url).then(|| format!("{kind} ({src})"))
    });
    let Some(version) = osv.version else {
        return skip(source_kind.unwrap_or_else(|| "no version".into()));
    };
    if let Some(kind) = non_registry_kind(&version) {
        return skip(format!("{kind} ({version})"));
    }
    let Some(scheme) = Scheme::for_osv_ecosystem(&osv.ecosystem) else {
        return skip(format!("no version order for ecosystem {}", osv.ecosystem));
    };
    let parsed =
        match scheme.parse(&version) {
            Ok(v) => v,
            Err(e) => {
                return skip(source_kind.unwrap_or_else(|| {
                    format!("{} {version}: {e}", NotAudited::UNPARSEABLE_VERSION)
                }));
            }
        };
    if !db.covers(&osv.ecosystem) {
        return skip(format!("no database coverage for {}", osv.ecosystem));
    }
    let distro = has_releases(&osv.ecosystem);
    if distro && osv.release.is_none() {
        return skip(format!(
            "no distro release for this {} package (purl qualifier `distro`)",
            osv.ecosystem
        ));
    }
    let key = db.key_number(&osv.ecosystem, &osv.name);
    Ok(Job {
        id,
        ecosystem: osv.ecosystem,
        release: osv.release,
        version,
        parsed,
        scheme,
        distro,
        key,
    })
}

/// Matches the packages `jobs` (inventory index, job) that share key number `key`.
fn match_key(key: usize, jobs: Vec<(usize, Job)>, db: &Database) -> Vec<(usize, Outcome)> {
    let entries = match db.key_entries(key) {
        Ok(e) => e,
        Err(e) => {
            let reason = format!("database error: {e}");
            return jobs
                .into_iter()
                .map(|(i, job)| (i, Err((job.id, reason.clone()))))
                .collect();
        }
    };
    // Every job of a key has the same base ecosystem, hence the same version scheme.
    let Some(scheme) = jobs.first().map(|(_, j)| j.scheme) else {
        return Vec::new();
    };
    let prepared: Vec<Vec<Prepared<'_>>> = entries
        .iter()
        .map(|e| {
            e.affected
                .iter()
                .map(|a| prepare(scheme, &a.ranges, &a.versions))
                .collect()
        })
        .collect();
    jobs.into_iter()
        .map(|(i, job)| (i, match_job(&job, &entries, &prepared, db)))
        .collect()
}

fn match_job(
    job: &Job,
    entries: &[KeyEntry<'_>],
    prepared: &[Vec<Prepared<'_>>],
    db: &Database,
) -> Outcome {
    let db_error = |e: crate::db::DbError| (job.id, format!("database error: {e}"));
    let mut hits = Vec::new();
    for (entry, preps) in entries.iter().zip(prepared) {
        let mut best: Option<(Matched<'_>, &Severity)> = None;
        for (a, p) in entry.affected.iter().zip(preps) {
            if job.distro && (a.release.is_none() || a.release.as_deref() != job.release.as_deref())
            {
                continue;
            }
            if let Some(m) = p.matches(&job.version, &job.parsed) {
                match &mut best {
                    Some((acc, _)) => {
                        acc.matched.extend(m.matched);
                        acc.fixed.extend(m.fixed);
                    }
                    None => best = Some((m, &a.severity)),
                }
            }
        }
        if let Some((matched, severity)) = best {
            let n = entry.record as usize;
            hits.push(Hit {
                id: db.id_at(n).0,
                info: db.info(n).map_err(db_error)?,
                matched,
                severity,
            });
        }
    }
    Ok(merge(&job.ecosystem, job.id, hits))
}
