//! CocoaPods `Podfile.lock`.
//!
//! * **Packages**: every `PODS` entry `Name (version)`, purl `pkg:cocoapods/Name@version`; a
//!   subspec `Name/Sub` is the pod `Name` with subpath `Sub` (purl spec), its package name
//!   is `Name/Sub`.
//! * **Edges**: the nested list of a `PODS` entry (`- Dep (~> 1.0)`), resolved by name; the
//!   project root (named after the directory, located at the `Podfile` when present) has an
//!   edge to each `DEPENDENCIES` entry. Names that match no pod are listed in
//!   `chainproof:cocoapods:unresolved`.
//! * **Hashes**: `SPEC CHECKSUMS` (SHA-1 of the podspec) of a pod, for the pod and its subspecs.
//! * **Sources**: `SPEC REPOS` other than `trunk` → `repository_url` qualifier;
//!   `EXTERNAL SOURCES` `:path` → a local [`PackageKind::Project`] pod, `:git`/`:podspec` →
//!   source; `CHECKOUT OPTIONS` `:git` + `:commit` → `vcs_url=git+<url>@<commit>`.
//! * Not YAML, not a mapping, or a `PODS` entry that is not `Name (version)` → error with
//!   the line; an empty file is an empty inventory. No scopes: the lock does not record them.

use std::collections::{BTreeMap, HashMap};

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, Location, Package, PackageId, PackageKind,
};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use serde::Deserialize;
use yaml_serde::Value;

use crate::dart::yaml_error;
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Dependency names that match no pod of the lock (comma-separated).
pub const PROP_COCOAPODS_UNRESOLVED: &str = "chainproof:cocoapods:unresolved";

/// Reads CocoaPods `Podfile.lock` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct PodfileLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "cocoapods-podfile-lock",
    ecosystem: "CocoaPods",
    files: "`Podfile.lock`",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for PodfileLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "Podfile.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let dir = parent_dir(path);
        let podfile = join_relative(dir, "Podfile").unwrap_or_default();
        let at = if resolver.exists(&podfile) {
            podfile.as_str()
        } else {
            path
        };
        let name = match file_name(dir) {
            "" => "project",
            n => n,
        };
        let root = Package::new(Ecosystem::CocoaPods, name, None)
            .with_kind(PackageKind::Project)
            .with_location(Location::new(at));
        parse_podfile_lock(path, &text, root)
    }
}

#[derive(Debug, Deserialize)]
struct RawLock {
    #[serde(rename = "PODS", default)]
    pods: Vec<Value>,
    #[serde(rename = "DEPENDENCIES", default)]
    dependencies: Vec<String>,
    #[serde(rename = "SPEC REPOS", default)]
    spec_repos: BTreeMap<String, Vec<String>>,
    #[serde(rename = "EXTERNAL SOURCES", default)]
    external_sources: BTreeMap<String, BTreeMap<String, Value>>,
    #[serde(rename = "CHECKOUT OPTIONS", default)]
    checkout_options: BTreeMap<String, BTreeMap<String, Value>>,
    #[serde(rename = "SPEC CHECKSUMS", default)]
    spec_checksums: BTreeMap<String, String>,
}

/// `Name (constraint)` → (`Name`, `constraint`).
fn split_entry(s: &str) -> (&str, Option<&str>) {
    let s = s.trim();
    match s.split_once(" (") {
        Some((n, rest)) => (n.trim(), Some(rest.trim_end_matches(')').trim())),
        None => (s, None),
    }
}

/// Line of the `- <entry>` item (possibly quoted, possibly ending with `:`).
fn entry_line(text: &str, entry: &str, after: usize) -> Option<u32> {
    text.lines()
        .enumerate()
        .skip(after)
        .find(|(_, l)| {
            let t = l.trim_start();
            let Some(item) = t.strip_prefix("- ") else {
                return false;
            };
            let item = item.trim_end().trim_end_matches(':');
            item.trim_matches('"').trim_matches('\'') == entry
        })
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
}

fn opt_str<'a>(m: Option<&'a BTreeMap<String, Value>>, key: &str) -> Option<&'a str> {
    m.and_then(|m| m.get(key)).and_then(Value::as_str)
}

/// Parses the text of a `Podfile.lock`; `root` is the project it belongs to.
pub fn parse_podfile_lock(
    path: &str,
    text: &str,
    root: Package,
) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let raw: RawLock = yaml_serde::from_str(text).map_err(|e| yaml_error(path, &e))?;
    let pods_start = text
        .lines()
        .position(|l| l.starts_with("PODS:"))
        .unwrap_or(0);
    let mut repo_of: HashMap<&str, &str> = HashMap::new();
    for (repo, pods) in &raw.spec_repos {
        for p in pods {
            repo_of.insert(p.as_str(), repo.as_str());
        }
    }

    let root_id = inv.add_package(root);
    inv.add_root(root_id);
    let mut by_name: HashMap<String, PackageId> = HashMap::new();
    let mut pending: Vec<(PackageId, Vec<String>)> = Vec::new();
    for item in &raw.pods {
        let (entry, deps): (&str, Vec<String>) = match item {
            Value::String(s) => (s.as_str(), Vec::new()),
            Value::Mapping(m) if m.len() == 1 => {
                let Some((k, v)) = m.iter().next() else {
                    continue;
                };
                let deps = match v {
                    Value::Sequence(seq) => seq
                        .iter()
                        .filter_map(|d| d.as_str().map(str::to_string))
                        .collect(),
                    Value::Null => Vec::new(),
                    _ => Vec::new(),
                };
                (k.as_str().unwrap_or(""), deps)
            }
            _ => ("", Vec::new()),
        };
        let line = entry_line(text, entry, pods_start);
        let err = |msg: String| {
            let e = CatalogError::new(path, msg);
            match line {
                Some(l) => e.at_line(l),
                None => e,
            }
        };
        let (name, version) = split_entry(entry);
        let Some(version) = version.filter(|v| !v.is_empty()) else {
            return Err(err(format!("PODS entry `{entry}` is not `Name (version)`")));
        };
        let (pod, sub) = match name.split_once('/') {
            Some((p, s)) => (p, Some(s)),
            None => (name, None),
        };
        let ext = raw.external_sources.get(pod);
        let checkout = raw.checkout_options.get(pod);
        let mut purl = Purl::new("cocoapods", pod)
            .map_err(|e| err(format!("pod `{name}`: {e}")))?
            .with_version(version);
        if let Some(s) = sub {
            purl = purl.with_subpath(s);
        }
        let mut source = None;
        let mut kind = PackageKind::Library;
        if let (Some(git), Some(commit)) = (opt_str(checkout, ":git"), opt_str(checkout, ":commit"))
        {
            purl = purl
                .with_qualifier("vcs_url", &format!("git+{git}@{commit}"))
                .map_err(|e| err(e.to_string()))?;
            source = Some(format!("git+{git}#{commit}"));
        } else if let Some(git) = opt_str(ext, ":git") {
            source = Some(format!("git+{git}"));
        } else if let Some(p) = opt_str(ext, ":path") {
            kind = PackageKind::Project;
            source = Some(p.to_string());
        } else if let Some(p) = opt_str(ext, ":podspec") {
            source = Some(p.to_string());
        } else if let Some(repo) = repo_of.get(pod) {
            if *repo != "trunk" {
                purl = purl
                    .with_qualifier("repository_url", repo)
                    .map_err(|e| err(e.to_string()))?;
            }
            source = Some((*repo).to_string());
        }
        let mut loc = Location::new(path);
        if let Some(l) = line {
            loc = loc.with_line(l);
        }
        let mut pkg = Package::new(Ecosystem::CocoaPods, name, Some(version))
            .with_purl(purl)
            .with_kind(kind)
            .with_location(loc);
        if let Some(s) = source {
            pkg = pkg.with_source(s);
        }
        if let Some(h) = raw
            .spec_checksums
            .get(pod)
            .and_then(|h| Hash::from_hex(HashAlgorithm::Sha1, h))
        {
            pkg = pkg.with_hash(h);
        }
        let id = inv.add_package(pkg);
        by_name.insert(name.to_string(), id);
        pending.push((id, deps));
    }
    let link = |inv: &mut Inventory, from: PackageId, deps: &[String]| {
        let mut unresolved = Vec::new();
        for d in deps {
            let (n, _) = split_entry(d);
            match by_name.get(n) {
                Some(&to) => inv.add_edge(from, to),
                None => unresolved.push(n.to_string()),
            }
        }
        if !unresolved.is_empty() {
            unresolved.sort();
            unresolved.dedup();
            inv.package_mut(from)
                .properties
                .insert(PROP_COCOAPODS_UNRESOLVED.to_string(), unresolved.join(", "));
        }
    };
    for (id, deps) in &pending {
        link(&mut inv, *id, deps);
    }
    link(&mut inv, root_id, &raw.dependencies);
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        assert_eq!(split_entry("A/B (~> 1.0)"), ("A/B", Some("~> 1.0")));
        assert_eq!(split_entry("A"), ("A", None));
        assert_eq!(split_entry("A (from `../x`)"), ("A", Some("from `../x`")));
        let t = "PODS:\n  - A (1.0):\n    - B (= 2)\n  - \"B (2)\"\n";
        assert_eq!(entry_line(t, "A (1.0)", 0), Some(2));
        assert_eq!(entry_line(t, "B (2)", 0), Some(4));
    }
}
