//! Paket `paket.lock` (the lock file of the .NET Paket package manager).
//!
//! The file is a sequence of groups (the unnamed `Main` group, then `GROUP <name>` lines),
//! each holding sources at column 0 (`NUGET`, `GITHUB`, `GIT`, `GIST`, `HTTP`) and group
//! options (`STORAGE: NONE`, `RESTRICTION: ...`). Under a source, `  remote: <url>` names
//! where packages come from (optionally followed by `  specs:`), entries sit at four
//! spaces (`Name (version)` with ` - option: value, ...` after), and an entry's dependencies
//! at six spaces (`Name (>= range) - restriction: ...`).
//!
//! * `NUGET` entries are packages `pkg:nuget/<Name>@<version>`; the `nupkg_hash` option is the
//!   SHA-512 of the `.nupkg` (hex). The group is recorded in `chainproof:paket:group`
//!   (a package resolved in two groups at two versions is two packages).
//! * Dependencies name packages of the same group (case-insensitively, as NuGet ids are);
//!   one that is not in the group is listed in `chainproof:nuget:unresolved`.
//! * The lock file records no direct dependencies (those are in `paket.dependencies`):
//!   the root (named after the folder) depends on every package no other package of the
//!   group depends on. Paket has no dev scope; every package is runtime.
//! * `GITHUB`/`GIT`/`GIST`/`HTTP` entries are single files or repositories pulled at a
//!   commit or from a URL, not packages with versions a vulnerability database knows:
//!   GitHub and git remotes give a `pkg:github/<owner>/<repo>@<commit>` package (or
//!   `pkg:generic/<repo>` for other git hosts), HTTP files are not packages.
//! * An empty file has no packages; a file with no source or group header is not a
//!   `paket.lock` (error at line 1).

use std::collections::{BTreeSet, HashMap};

use chainproof_core::{Ecosystem, Hash, HashAlgorithm, Inventory, Location, Package, PackageId};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, parent_dir};

use super::{PROP_UNRESOLVED, nuget_package};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// The Paket group a package was resolved in (`Main` for the unnamed group).
pub const PROP_GROUP: &str = "chainproof:paket:group";
/// The source kind and remote of a non-NuGet entry (`GITHUB fsharp/FAKE`).
pub const PROP_REMOTE: &str = "chainproof:paket:remote";
/// Files taken from a GitHub/git remote (comma-separated).
pub const PROP_FILES: &str = "chainproof:paket:files";

/// Reads Paket `paket.lock` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct PaketLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "nuget-paket-lock",
    ecosystem: "NuGet",
    files: "`paket.lock` (Paket; NUGET, GITHUB, GIT sections, groups)",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for PaketLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "paket.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_paket_lock(path, &text)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    None,
    Nuget,
    Git,
    Http,
}

/// One `NUGET` entry while reading.
struct Entry {
    id: PackageId,
    group: String,
    deps: Vec<(String, u32)>,
}

/// Parses the text of a `paket.lock`; `path` is used for locations and errors.
pub fn parse_paket_lock(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let mut group = "Main".to_string();
    let mut source = Source::None;
    let mut remote = String::new();
    let mut seen_header = false;
    let mut entries: Vec<Entry> = Vec::new();
    let mut git: HashMap<String, PackageId> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = line.trim_start();
        match indent {
            0 => {
                if let Some(name) = body
                    .strip_prefix("GROUP ")
                    .or_else(|| body.strip_prefix("group "))
                {
                    group = name.trim().to_string();
                    source = Source::None;
                    seen_header = true;
                } else if let Some(s) = source_kind(body) {
                    source = s;
                    remote.clear();
                    seen_header = true;
                } else if is_option(body) {
                    // Group options (`STORAGE: NONE`, `RESTRICTION: ...`).
                    seen_header = true;
                } else {
                    return Err(CatalogError::new(
                        path,
                        format!("not a paket.lock: unexpected line `{body}`"),
                    )
                    .at_line(line_no)
                    .at_column(1));
                }
            }
            2 => {
                if let Some(r) = body.strip_prefix("remote:") {
                    remote = r.trim().to_string();
                }
                // `specs:` and per-remote options carry no packages.
            }
            4 | 5 if source != Source::None => {
                let Some((name, version, options)) = split_entry(body) else {
                    return Err(CatalogError::new(
                        path,
                        format!("entry `{body}` is not `Name (version)`"),
                    )
                    .at_line(line_no)
                    .at_column(u32::try_from(indent + 1).unwrap_or(1)));
                };
                match source {
                    Source::Nuget => {
                        let mut pkg = nuget_package(path, name, Some(version), Some(line_no))?
                            .with_property(PROP_GROUP, group.as_str());
                        if let Some(h) = option(options, "nupkg_hash")
                            .and_then(|h| Hash::from_hex(HashAlgorithm::Sha512, h))
                        {
                            pkg = pkg.with_hash(h);
                        }
                        let id = add_in_group(&mut inv, pkg, &group);
                        entries.push(Entry {
                            id,
                            group: group.clone(),
                            deps: Vec::new(),
                        });
                    }
                    Source::Git => {
                        let key = format!("{remote}@{version}");
                        let id = match git.get(&key) {
                            Some(&id) => id,
                            None => {
                                let pkg = git_package(path, &remote, version, line_no, &group);
                                let id = inv.add_package(pkg);
                                git.insert(key, id);
                                id
                            }
                        };
                        if !name.is_empty() {
                            let files = inv
                                .package_mut(id)
                                .properties
                                .entry(PROP_FILES.to_string())
                                .or_default();
                            if !files.split(',').any(|f| f == name) {
                                if !files.is_empty() {
                                    files.push(',');
                                }
                                files.push_str(name);
                            }
                        }
                    }
                    Source::Http | Source::None => {}
                }
            }
            6 | 7 if source == Source::Nuget => {
                if let (Some(last), Some((name, _, _))) = (entries.last_mut(), split_entry(body))
                    && !name.is_empty()
                {
                    last.deps.push((name.to_string(), line_no));
                }
            }
            _ => {}
        }
    }
    if !seen_header {
        return Err(CatalogError::new(
            path,
            "not a paket.lock: no NUGET, GITHUB, GIT or GROUP section",
        )
        .at_line(1));
    }
    link(path, &mut inv, &entries);
    Ok(inv)
}

/// Adds a package of one group; the same `name@version` in two groups stays one package
/// listing both groups.
fn add_in_group(inv: &mut Inventory, pkg: Package, group: &str) -> PackageId {
    let id = inv.add_package(pkg);
    let groups = inv
        .package_mut(id)
        .properties
        .entry(PROP_GROUP.to_string())
        .or_default();
    if !groups.split(',').any(|g| g == group) {
        if !groups.is_empty() {
            groups.push(',');
        }
        groups.push_str(group);
    }
    id
}

/// Edges by name within each group, and the root → every package nothing depends on.
fn link(path: &str, inv: &mut Inventory, entries: &[Entry]) {
    let mut by_name: HashMap<(String, String), PackageId> = HashMap::new();
    for e in entries {
        let name = inv.package(e.id).name.to_ascii_lowercase();
        by_name.entry((e.group.clone(), name)).or_insert(e.id);
    }
    let mut depended: BTreeSet<PackageId> = BTreeSet::new();
    for e in entries {
        let mut unresolved: Vec<&str> = Vec::new();
        for (dep, _) in &e.deps {
            match by_name.get(&(e.group.clone(), dep.to_ascii_lowercase())) {
                Some(&to) => {
                    inv.add_edge(e.id, to);
                    depended.insert(to);
                }
                None => unresolved.push(dep),
            }
        }
        if !unresolved.is_empty() {
            inv.package_mut(e.id)
                .properties
                .insert(PROP_UNRESOLVED.to_string(), unresolved.join(","));
        }
    }
    if entries.is_empty() {
        return;
    }
    let dir = parent_dir(path);
    let name = match file_name(dir) {
        "" => "project",
        n => n,
    };
    let root = inv.add_package(
        Package::new(Ecosystem::NuGet, name, None)
            .with_kind(chainproof_core::PackageKind::Project)
            .with_location(Location::new(path)),
    );
    inv.add_root(root);
    let mut tops: Vec<PackageId> = entries
        .iter()
        .map(|e| e.id)
        .filter(|id| !depended.contains(id))
        .collect();
    tops.dedup();
    for id in tops {
        inv.add_edge(root, id);
    }
}

fn source_kind(body: &str) -> Option<Source> {
    match body {
        "NUGET" => Some(Source::Nuget),
        "GITHUB" | "GIT" | "GIST" => Some(Source::Git),
        "HTTP" => Some(Source::Http),
        _ => None,
    }
}

/// `KEY: value` in upper case (`STORAGE: NONE`, `COPY-LOCAL: TRUE`).
fn is_option(body: &str) -> bool {
    body.split_once(':').is_some_and(|(k, _)| {
        !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'_')
    })
}

/// `Name (version) - opt: v, opt2: v2` → (name, version, options). The name may be empty
/// (a git repository entry without a file: ` (commit)`).
fn split_entry(body: &str) -> Option<(&str, &str, &str)> {
    let open = body.find('(')?;
    let close = open + body[open..].find(')')?;
    let name = body[..open].trim();
    let version = body[open + 1..close].trim();
    let rest = body[close + 1..].trim_start();
    let options = rest.strip_prefix('-').map_or("", str::trim);
    (!version.is_empty()).then_some((name, version, options))
}

/// The value of `key:` in an entry's option list (`restriction: ..., nupkg_hash: abc`).
fn option<'a>(options: &'a str, key: &str) -> Option<&'a str> {
    options.split(", ").find_map(|o| {
        let (k, v) = o.split_once(':')?;
        (k.trim() == key).then(|| v.trim())
    })
}

/// A repository pulled at a commit or tag: `pkg:github/<owner>/<repo>@<rev>` for GitHub
/// remotes (`owner/repo`, `https://github.com/owner/repo(.git)`), else `pkg:generic`.
fn git_package(path: &str, remote: &str, rev: &str, line: u32, group: &str) -> Package {
    let repo = remote
        .strip_prefix("https://github.com/")
        .or_else(|| remote.strip_prefix("http://github.com/"))
        .or_else(|| remote.strip_prefix("git@github.com:"))
        .or_else(|| (!remote.contains(':')).then_some(remote))
        .map(|r| r.trim_end_matches('/').trim_end_matches(".git"))
        .filter(|r| r.split('/').count() == 2 && !r.starts_with('/'));
    let (name, purl) = match repo.and_then(|r| r.split_once('/')) {
        Some((owner, name)) => (
            format!("{owner}/{name}"),
            Purl::new("github", name)
                .and_then(|p| p.with_namespace(owner))
                .ok(),
        ),
        None => {
            let name = remote
                .trim_end_matches('/')
                .trim_end_matches(".git")
                .rsplit('/')
                .next()
                .unwrap_or(remote)
                .to_string();
            let purl = Purl::new("generic", &name)
                .ok()
                .and_then(|p| p.with_qualifier("vcs_url", &format!("git+{remote}")).ok());
            (name, purl)
        }
    };
    let mut pkg = Package::new(Ecosystem::Other("github".into()), name, Some(rev))
        .with_location(Location::new(path).with_line(line))
        .with_source(format!("git+{remote}#{rev}"))
        .with_property(PROP_GROUP, group)
        .with_property(PROP_REMOTE, remote);
    if let Some(p) = purl {
        pkg = pkg.with_purl(p.with_version(rev));
    }
    pkg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_options() {
        assert_eq!(
            split_entry("Newtonsoft.Json (12.0.3) - restriction: >= net45, nupkg_hash: ab"),
            Some((
                "Newtonsoft.Json",
                "12.0.3",
                "restriction: >= net45, nupkg_hash: ab"
            ))
        );
        assert_eq!(split_entry("(05366e3)"), Some(("", "05366e3", "")));
        assert_eq!(split_entry("Foo"), None);
        assert_eq!(
            option("restriction: >= net45, nupkg_hash: ab", "nupkg_hash"),
            Some("ab")
        );
        assert!(is_option("COPY-LOCAL: TRUE"));
        assert!(!is_option("This is not: valid"));
    }

    #[test]
    fn github_sources_and_unresolved() {
        let text = "NUGET\n  remote: https://api.nuget.org/v3/index.json\n    Argu (6.1.1)\n      \
                    FSharp.Core (>= 4.3.2) - restriction: >= netstandard2.0\n      \
                    System.Configuration.ConfigurationManager (>= 4.4)\n    FSharp.Core (9.0.303)\n\
                    GITHUB\n  remote: fsharp/FAKE\n    src/app/FakeLib/Globbing/Globbing.fs (0341a2e614eb2a7f34607cec914eb0ed83ce9add)\n";
        let inv = parse_paket_lock("paket.lock", text).expect("parses");
        let purls: BTreeSet<String> = inv
            .packages()
            .filter_map(|(_, p)| p.purl.as_ref().map(ToString::to_string))
            .collect();
        let want: BTreeSet<String> = [
            "pkg:nuget/Argu@6.1.1",
            "pkg:nuget/FSharp.Core@9.0.303",
            "pkg:github/fsharp/fake@0341a2e614eb2a7f34607cec914eb0ed83ce9add",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(purls, want);
        let (argu, p) = inv
            .packages()
            .find(|(_, p)| p.name == "Argu")
            .expect("argu");
        assert_eq!(
            p.properties.get(PROP_UNRESOLVED).map(String::as_str),
            Some("System.Configuration.ConfigurationManager")
        );
        let deps: Vec<&str> = inv
            .dependencies_of(argu)
            .map(|d| inv.package(d).name.as_str())
            .collect();
        assert_eq!(deps, vec!["FSharp.Core"]);
        let fake = inv
            .packages()
            .find(|(_, p)| p.name == "fsharp/FAKE")
            .map(|(_, p)| p)
            .expect("fake");
        assert_eq!(
            fake.properties.get(PROP_FILES).map(String::as_str),
            Some("src/app/FakeLib/Globbing/Globbing.fs")
        );
    }
}
