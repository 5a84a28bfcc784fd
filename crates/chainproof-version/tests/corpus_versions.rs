//! Real advisory records of the shared corpus (Bitnami, R, Haskell): every
//! version they name parses in the scheme `for_osv_ecosystem` picks, and
//! every version an OSV record lists in `affected[].versions` lies inside
//! one of its ranges under that scheme's order. Skipped (loudly) when the
//! corpus is absent.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use chainproof_testkit::corpus::root as corpus;
use chainproof_version::{Scheme, Version};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// One OSV range: its events in record order, as (kind, version).
type Events = Vec<(String, String)>;

/// Whether `v` is affected by `events` as the OSV schema evaluates them:
/// events sorted by version, `introduced` opens, `fixed`/`limit` close
/// (exclusive), `last_affected` closes (inclusive); `0` is the lowest.
fn affected(scheme: Scheme, events: &Events, v: &Version) -> bool {
    let mut parsed: Vec<(&str, Option<Version>)> = events
        .iter()
        .map(|(kind, ver)| {
            let version = (ver != "0").then(|| scheme.parse(ver).expect("event version parses"));
            (kind.as_str(), version)
        })
        .collect();
    let key = |x: &Option<Version>, y: &Option<Version>| match (x, y) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => a.partial_cmp(b).expect("same scheme"),
    };
    parsed.sort_by(|a, b| key(&a.1, &b.1));
    let mut inside = false;
    for (kind, at) in &parsed {
        let cmp = at.as_ref().map_or(Ordering::Greater, |a| {
            v.partial_cmp(a).expect("same scheme")
        });
        match *kind {
            "introduced" if cmp != Ordering::Less => inside = true,
            "fixed" | "limit" if cmp != Ordering::Less => inside = false,
            "last_affected" if cmp == Ordering::Greater => inside = false,
            _ => {}
        }
    }
    inside
}

struct Tally {
    parsed: usize,
    listed: usize,
}

fn check_osv(
    scheme: Scheme,
    affected_list: &[serde_json::Value],
    tally: &mut Tally,
    failures: &mut Vec<String>,
    id: &str,
) {
    for a in affected_list {
        let ranges: Vec<Events> = a["ranges"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["type"] != "GIT")
            .map(|r| {
                r["events"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| {
                        e.as_object()?
                            .iter()
                            .next()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    })
                    .collect()
            })
            .collect();
        for (_, v) in ranges.iter().flatten() {
            if v != "0" {
                match scheme.parse(v) {
                    Ok(_) => tally.parsed += 1,
                    Err(e) => failures.push(format!("{id}: {e}")),
                }
            }
        }
        for v in a["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
        {
            let Ok(parsed) = scheme.parse(v) else {
                failures.push(format!("{id}: listed version {v:?} does not parse"));
                continue;
            };
            tally.listed += 1;
            if !ranges.is_empty() && !ranges.iter().any(|r| affected(scheme, r, &parsed)) {
                failures.push(format!("{id}: listed version {v:?} outside every range"));
            }
        }
    }
}

/// Runs [`check_osv`] on the `affected` list `affected_of` reads from each file's text, fails
/// with every failure, and returns the tally.
fn check_files(
    scheme: Scheme,
    paths: &[PathBuf],
    affected_of: impl Fn(&str) -> Vec<serde_json::Value>,
) -> Tally {
    let (mut tally, mut failures) = (
        Tally {
            parsed: 0,
            listed: 0,
        },
        Vec::new(),
    );
    for path in paths {
        let text = std::fs::read_to_string(path).expect("readable");
        let list = affected_of(&text);
        check_osv(
            scheme,
            &list,
            &mut tally,
            &mut failures,
            &path.display().to_string(),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    tally
}

#[test]
fn bitnami_records_parse_and_list_versions_inside_ranges() {
    let Some(corpus) = corpus() else { return };
    let scheme = Scheme::for_osv_ecosystem("Bitnami").expect("mapped");
    let mut paths = Vec::new();
    files(&corpus.join("osv/bitnami/data"), "json", &mut paths);
    let tally = check_files(scheme, &paths, |text| {
        let record: serde_json::Value = serde_json::from_str(text).expect("JSON");
        record["affected"].as_array().cloned().unwrap_or_default()
    });
    eprintln!(
        "bitnami: {} records, {} range versions parse, {} listed versions in range",
        paths.len(),
        tally.parsed,
        tally.listed
    );
    assert!(paths.len() >= 900 && tally.parsed >= 1_000);
}

/// The R records are YAML; this reads the few shapes they use (`- introduced: 1.0`,
/// `versions:` lists) without a YAML library.
#[test]
fn r_records_parse_and_list_versions_inside_ranges() {
    let Some(corpus) = corpus() else { return };
    let scheme = Scheme::for_osv_ecosystem("CRAN").expect("mapped");
    let mut paths = Vec::new();
    files(&corpus.join("osv/r/vulns"), "yaml", &mut paths);
    let tally = check_files(scheme, &paths, |text| {
        let mut events = Vec::new();
        let mut versions = Vec::new();
        let mut in_versions = false;
        for line in text.lines() {
            let t = line.trim();
            if let Some(item) = t.strip_prefix("- ") {
                let item = item.trim().trim_matches(|c| c == '"' || c == '\'');
                if let Some((k, v)) = item.split_once(": ")
                    && ["introduced", "fixed", "last_affected", "limit"].contains(&k)
                {
                    events
                        .push(serde_json::json!({ k: v.trim_matches(|c| c == '"' || c == '\'') }));
                } else if in_versions {
                    versions.push(serde_json::Value::String(item.to_owned()));
                }
            } else {
                in_versions = t == "versions:";
            }
        }
        let affected = serde_json::json!([{ "ranges": [{ "type": "ECOSYSTEM", "events": events }], "versions": versions }]);
        affected.as_array().expect("array").clone()
    });
    eprintln!(
        "r: {} records, {} range versions parse, {} listed versions in range",
        paths.len(),
        tally.parsed,
        tally.listed
    );
    assert!(paths.len() >= 10 && tally.listed >= 20);
}

/// HSEC advisories (TOML front matter): every `introduced`/`fixed` version of
/// a Hackage package or GHC component parses, and each range is ordered (introduced < fixed).
#[test]
fn haskell_advisories_parse_in_hackage_order() {
    let Some(corpus) = corpus() else { return };
    let scheme = Scheme::for_osv_ecosystem("Hackage").expect("mapped");
    let mut paths = Vec::new();
    for dir in ["hackage", "ghc"] {
        files(
            &corpus.join("osv/haskell/advisories").join(dir),
            "md",
            &mut paths,
        );
    }
    let (mut ranges, mut failures) = (0, Vec::new());
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("readable");
        let mut introduced: Option<Version> = None;
        for line in text.lines() {
            let Some((key, value)) = line.split_once(" = ") else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            if !["introduced", "fixed"].contains(&key.trim()) {
                continue;
            }
            match scheme.parse(value) {
                Ok(v) if key.trim() == "introduced" => introduced = Some(v),
                Ok(v) => {
                    if let Some(i) = introduced.take()
                        && i.partial_cmp(&v) != Some(Ordering::Less)
                    {
                        failures.push(format!("{}: {i} !< {v}", path.display()));
                    }
                    ranges += 1;
                }
                Err(e) => failures.push(format!("{}: {e}", path.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "haskell: {} advisories, {ranges} introduced/fixed ranges",
        paths.len()
    );
    assert!(paths.len() >= 20 && ranges >= 20);
}
