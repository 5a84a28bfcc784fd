//! Matching an inventory against the database: the OSV range semantics, one finding per
//! vulnerability (aliases merged), and an honest account of what could not be audited.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use chainproof_core::vuln::{DatabaseInfo, Finding, NotAudited, ScanSummary, Severity};
use chainproof_core::{Inventory, PackageId};
use chainproof_version::{Scheme, Version};

use crate::db::Database;
use crate::ecosystem::{has_releases, normalize_name, normalize_release, osv_package};
use crate::model::{Affected, EcosystemName, Event, Record};
use crate::severity::{better, record_severity};

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

/// Whether `version` (a string of the affected entry's ecosystem) is affected by `affected`,
/// evaluating SEMVER and ECOSYSTEM ranges exactly as the OSV schema's pseudo-code
/// (events sorted by version; `introduced`, `fixed`, `last_affected`, `limit`) plus the
/// `versions` list. GIT ranges are ignored. Returns `None` when not affected.
pub fn match_affected(scheme: Scheme, version: &str, affected: &Affected) -> Option<AffectedMatch> {
    let v = scheme.parse(version).ok()?;
    prepare(scheme, affected).matches(version, &v)
}

fn parse(scheme: Scheme, s: &str) -> Option<Version> {
    scheme.parse(s.trim()).ok()
}

fn cmp(a: &Version, b: &Version) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

/// An event with its parsed version (`None` for `introduced: "0"` / `limit: "*"`).
#[derive(Debug)]
struct Ev {
    kind: u8, // 0 introduced, 1 fixed, 2 last_affected, 3 limit
    text: String,
    ver: Option<Version>,
}

/// An affected entry with its versions parsed once (per scan) and its events sorted.
#[derive(Debug)]
struct Prepared {
    ranges: Vec<Vec<Ev>>,
    versions: Vec<(String, Option<Version>)>,
}

fn events(scheme: Scheme, evs: &[Event]) -> Vec<Ev> {
    let mut out = Vec::new();
    for e in evs {
        let fields = [
            (0u8, &e.introduced),
            (1, &e.fixed),
            (2, &e.last_affected),
            (3, &e.limit),
        ];
        for (kind, text) in fields {
            let Some(text) = text.as_deref() else {
                continue;
            };
            let special = (kind == 0 && text.trim() == "0") || (kind == 3 && text.trim() == "*");
            if special {
                out.push(Ev {
                    kind,
                    text: text.to_owned(),
                    ver: None,
                });
            } else if let Some(ver) = parse(scheme, text) {
                out.push(Ev {
                    kind,
                    text: text.to_owned(),
                    ver: Some(ver),
                });
            }
            // An event version the scheme cannot parse is dropped (it cannot be ordered).
        }
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

fn prepare(scheme: Scheme, affected: &Affected) -> Prepared {
    Prepared {
        ranges: affected
            .ranges
            .iter()
            .filter(|r| matches!(r.kind.as_str(), "SEMVER" | "ECOSYSTEM"))
            .map(|r| events(scheme, &r.events))
            .collect(),
        versions: affected
            .versions
            .iter()
            .map(|v| (v.trim().to_owned(), parse(scheme, v)))
            .collect(),
    }
}

impl Prepared {
    fn matches(&self, text: &str, v: &Version) -> Option<AffectedMatch> {
        let mut m = AffectedMatch::default();
        let mut all_fixed: Vec<(&Version, &str)> = Vec::new();
        for evs in &self.ranges {
            let mut limited = false;
            let mut under_limit = false;
            for l in evs.iter().filter(|e| e.kind == 3) {
                limited = true;
                under_limit |= l.ver.as_ref().is_none_or(|lv| cmp(v, lv) == Ordering::Less);
            }
            let mut vulnerable = false;
            let mut start: Option<&str> = None;
            let mut end: Option<String> = None;
            for e in evs {
                match (e.kind, &e.ver) {
                    (0, None) => {
                        vulnerable = true;
                        start = Some("0");
                        end = None;
                    }
                    (0, Some(iv)) if cmp(v, iv) != Ordering::Less => {
                        vulnerable = true;
                        start = Some(&e.text);
                        end = None;
                    }
                    (1, Some(fv)) => {
                        all_fixed.push((fv, &e.text));
                        if cmp(v, fv) != Ordering::Less {
                            vulnerable = false;
                        } else if vulnerable && end.is_none() {
                            end = Some(format!("<{}", e.text));
                        }
                    }
                    (2, Some(lv)) => {
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
        let listed = self.versions.iter().any(|(lt, lv)| {
            lt == text.trim() || lv.as_ref().is_some_and(|p| cmp(p, v) == Ordering::Equal)
        });
        if listed && m.matched.is_empty() {
            m.matched.push("version listed".to_owned());
        }
        if m.matched.is_empty() {
            return None;
        }
        all_fixed.retain(|(fv, _)| cmp(fv, v) == Ordering::Greater);
        all_fixed.sort_by(|a, b| cmp(a.0, b.0));
        all_fixed.dedup_by(|a, b| cmp(a.0, b.0) == Ordering::Equal);
        m.fixed = all_fixed.into_iter().map(|(_, t)| t.to_owned()).collect();
        Some(m)
    }
}

/// The matching identity of one affected entry, computed once per record:
/// base ecosystem, normalized name, normalized distro release (when the ecosystem has a suffix).
#[derive(Debug)]
struct AffectedKey {
    base: String,
    name: String,
    release: Option<String>,
}

/// A record read from the database with its affected entries prepared for matching
/// (identity, parsed and sorted events, parsed versions) and their severity computed at most once.
struct Loaded {
    record: Arc<Record>,
    /// Per affected entry: its identity and prepared ranges (`None`: no package or no version order).
    prepared: Vec<Option<(AffectedKey, Prepared)>>,
    severity: Vec<OnceLock<Severity>>,
}

impl Loaded {
    fn new(record: Record) -> Loaded {
        let prepared = record
            .affected
            .iter()
            .map(|a| {
                let p = a.package.as_ref()?;
                let eco = EcosystemName::parse(&p.ecosystem);
                let scheme = Scheme::for_osv_ecosystem(&eco.base)?;
                let release = eco
                    .suffix
                    .as_deref()
                    .and_then(|_| eco.release())
                    .map(|r| normalize_release(&eco.base, &r));
                let key = AffectedKey {
                    name: normalize_name(&eco.base, &p.name),
                    base: eco.base,
                    release,
                };
                Some((key, prepare(scheme, a)))
            })
            .collect();
        let severity = record.affected.iter().map(|_| OnceLock::new()).collect();
        Loaded {
            record: Arc::new(record),
            prepared,
            severity,
        }
    }

    fn severity(&self, i: usize, a: &Affected) -> Severity {
        match self.severity.get(i) {
            Some(cell) => cell
                .get_or_init(|| record_severity(&self.record, Some(a)))
                .clone(),
            None => record_severity(&self.record, Some(a)),
        }
    }
}

/// A record that matched a package.
struct Hit {
    record: Arc<Record>,
    matched: AffectedMatch,
    severity: Severity,
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

fn merge(base: &str, package: PackageId, hits: Vec<Hit>, scheme: Scheme) -> Vec<Finding> {
    // Union records sharing any id (their own or an alias).
    let n = hits.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, h) in hits.iter().enumerate() {
        for id in h.record.ids() {
            if let Some(&j) = owner.get(id) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            } else {
                owner.insert(id, i);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        let g = *group_of.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let mut findings = Vec::new();
    for group in groups {
        let Some(&lead) = group.iter().min_by(|&&a, &&b| {
            let (ia, ib) = (&hits[a].record.id, &hits[b].record.id);
            id_rank(base, ia).cmp(&id_rank(base, ib)).then(ia.cmp(ib))
        }) else {
            continue;
        };
        let lead_rec = &hits[lead].record;
        let mut ids = BTreeSet::new();
        let mut affected = Vec::new();
        let mut fixed: Vec<String> = Vec::new();
        let mut references = Vec::new();
        let mut sources = Vec::new();
        let mut severity = hits[lead].severity.clone();
        for &i in &group {
            let h = &hits[i];
            ids.extend(h.record.ids().map(str::to_owned));
            for a in &h.matched.matched {
                if !affected.contains(a) {
                    affected.push(a.clone());
                }
            }
            fixed.extend(h.matched.fixed.iter().cloned());
            for r in &h.record.references {
                if !r.url.is_empty() && !references.contains(&r.url) {
                    references.push(r.url.clone());
                }
            }
            sources.push(h.record.id.clone());
        }
        // The preferred record's severity, unless it has none: then the best of the others.
        if severity.source == chainproof_core::vuln::SeveritySource::None {
            for &i in &group {
                if better(&hits[i].severity, &severity) {
                    severity = hits[i].severity.clone();
                }
            }
        }
        let mut keyed: Vec<(Option<Version>, String)> = fixed
            .into_iter()
            .map(|f| (scheme.parse(&f).ok(), f))
            .collect();
        keyed.sort_by(|(pa, a), (pb, b)| match (pa, pb) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => a.cmp(b),
        });
        let mut fixed: Vec<String> = keyed.into_iter().map(|(_, f)| f).collect();
        fixed.dedup();
        sources.sort();
        ids.remove(&lead_rec.id);
        findings.push(Finding {
            id: lead_rec.id.clone(),
            aliases: ids.into_iter().collect(),
            summary: lead_rec
                .summary
                .clone()
                .or_else(|| group.iter().find_map(|&i| hits[i].record.summary.clone())),
            package,
            affected,
            fixed_versions: fixed,
            severity,
            references,
            sources,
            vex: None,
        });
    }
    findings.sort_by(|a, b| a.id.cmp(&b.id));
    findings
}

/// Matches every package of `inventory` against `db`.
///
/// Every package is either audited or listed in [`ScanSummary::not_audited`] with the reason:
/// `no version`, `no version order for ecosystem X`, `unparseable version V: …`,
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
    // Phase 1: each package's OSV identity, parsed version and candidate records (cheap).
    let steps: Vec<Step> = inventory
        .packages()
        .map(|(id, pkg)| plan(id, pkg, db))
        .collect();
    // Phase 2: every distinct candidate record is read, parsed and prepared once, in parallel.
    let mut wanted: Vec<usize> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Match(j) => Some(j.candidates.iter().copied()),
            Step::Skip(..) => None,
        })
        .flatten()
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let cache: HashMap<usize, Result<Arc<Loaded>, String>> = wanted
        .into_par_iter()
        .map(|n| {
            let loaded = db
                .record(n)
                .map(|r| Arc::new(Loaded::new(r)))
                .map_err(|e| e.to_string());
            (n, loaded)
        })
        .collect();
    // Phase 3: match the packages, in parallel; results keep the inventory's order.
    let outcomes: Vec<Result<Vec<Finding>, (PackageId, String)>> = steps
        .into_par_iter()
        .map(|step| match step {
            Step::Skip(id, reason) => Err((id, reason)),
            Step::Match(job) => match_job(&job, &cache),
        })
        .collect();
    let mut findings = Vec::new();
    for o in outcomes {
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

/// One package ready to be matched.
struct Job {
    id: PackageId,
    ecosystem: String,
    name: String,
    release: Option<String>,
    version: String,
    parsed: Version,
    scheme: Scheme,
    distro: bool,
    candidates: Vec<usize>,
}

/// What to do with one package.
enum Step {
    Skip(PackageId, String),
    Match(Box<Job>),
}

fn plan(id: PackageId, pkg: &chainproof_core::Package, db: &Database) -> Step {
    let osv = osv_package(pkg);
    let skip = |reason: String| Step::Skip(id, reason);
    let Some(version) = osv.version else {
        return skip("no version".into());
    };
    let Some(scheme) = Scheme::for_osv_ecosystem(&osv.ecosystem) else {
        return skip(format!("no version order for ecosystem {}", osv.ecosystem));
    };
    let parsed = match scheme.parse(&version) {
        Ok(v) => v,
        Err(e) => return skip(format!("unparseable version {version}: {e}")),
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
    let candidates = db.lookup(&osv.ecosystem, &osv.name);
    Step::Match(Box::new(Job {
        id,
        ecosystem: osv.ecosystem,
        name: osv.name,
        release: osv.release,
        version,
        parsed,
        scheme,
        distro,
        candidates,
    }))
}

fn match_job(
    job: &Job,
    cache: &HashMap<usize, Result<Arc<Loaded>, String>>,
) -> Result<Vec<Finding>, (PackageId, String)> {
    let mut hits = Vec::new();
    let mut db_error = None;
    for n in &job.candidates {
        let loaded = match cache.get(n) {
            Some(Ok(l)) => l,
            Some(Err(e)) => {
                db_error = Some(e.clone());
                continue;
            }
            None => continue,
        };
        let rec = &loaded.record;
        if rec.is_withdrawn() {
            continue;
        }
        let mut best: Option<(AffectedMatch, Severity)> = None;
        for (i, (a, prepared)) in rec.affected.iter().zip(&loaded.prepared).enumerate() {
            let Some((key, prepared)) = prepared else {
                continue;
            };
            if key.base != job.ecosystem || key.name != job.name {
                continue;
            }
            if job.distro && (key.release.is_none() || key.release != job.release) {
                continue;
            }
            if let Some(m) = prepared.matches(&job.version, &job.parsed) {
                match &mut best {
                    Some((acc, _)) => {
                        acc.matched.extend(m.matched);
                        acc.fixed.extend(m.fixed);
                    }
                    None => best = Some((m, loaded.severity(i, a))),
                }
            }
        }
        if let Some((matched, severity)) = best {
            hits.push(Hit {
                record: rec.clone(),
                matched,
                severity,
            });
        }
    }
    if let Some(e) = db_error {
        return Err((job.id, format!("database error: {e}")));
    }
    Ok(merge(&job.ecosystem, job.id, hits, job.scheme))
}
