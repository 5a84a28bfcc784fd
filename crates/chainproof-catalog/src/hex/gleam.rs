//! Gleam: `manifest.toml` (the lock file `gleam` writes) and `gleam.toml` (the project).
//!
//! * **`manifest.toml`**: `packages = [{ name, version, build_tools, requirements, otp_app,
//!   source, outer_checksum | repo + commit | path }]` and `[requirements]` (the project's
//!   direct dependencies, dev ones included). Hex packages get `pkg:hex/<name>@<version>`
//!   with the `outer_checksum` (SHA-256 of the package tarball) as hash; git packages keep
//!   the version and carry `vcs_url=git+<repo>@<commit>`; local packages have source
//!   `file:<path>`. Edges: `requirements` by name; root → `[requirements]`. The root is the
//!   project of `gleam.toml` next to the manifest (name, version), else the folder's name.
//!   Scope: a package reached from the root only through `[dev-dependencies]` of
//!   `gleam.toml` is dev.
//! * **`gleam.toml`** without a `manifest.toml` next to it: the project and its declared
//!   `[dependencies]` (runtime) and `[dev-dependencies]` (dev), unversioned, with the
//!   requirement kept in `chainproof:gleam:requirement` (declared, not locked). With a
//!   manifest next to it, `gleam.toml` adds nothing (the manifest is the source of truth).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, Location, Package, PackageId, PackageKind, Scope,
};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use serde::Deserialize;

use crate::util::LineIndex;
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// The version requirement a `gleam.toml` declares (`>= 0.34.0 and < 2.0.0`).
pub const PROP_REQUIREMENT: &str = "chainproof:gleam:requirement";
/// The Gleam source kind of a manifest package (`hex`, `git`, `local`).
pub const PROP_SOURCE: &str = "chainproof:gleam:source";

/// Reads Gleam `manifest.toml` and `gleam.toml`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GleamCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "gleam",
    ecosystem: "Hex",
    files: "`manifest.toml` (Gleam lock), `gleam.toml` (declared, when no manifest)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

impl Cataloger for GleamCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        matches!(file_name(path), "manifest.toml" | "gleam.toml")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let dir = parent_dir(path);
        let sibling = |name: &str| join_relative(dir, name).filter(|p| resolver.exists(p));
        if file_name(path) == "gleam.toml" {
            if sibling("manifest.toml").is_some() {
                return Ok(Inventory::default());
            }
            let text = resolver.read_to_string(path)?;
            return parse_gleam_toml(path, &text);
        }
        let text = resolver.read_to_string(path)?;
        let project = match sibling("gleam.toml") {
            Some(p) => {
                let t = resolver.read_to_string(&p)?;
                Some((parse_project(&p, &t)?, p))
            }
            None => None,
        };
        parse_manifest(path, &text, project)
    }
}

#[derive(Debug, Deserialize)]
struct RawManifest {
    #[serde(default)]
    packages: Vec<toml::Spanned<RawPackage>>,
    #[serde(default)]
    requirements: BTreeMap<String, toml::Value>,
}

#[derive(Debug, Deserialize)]
struct RawPackage {
    name: String,
    version: String,
    #[serde(default)]
    requirements: Vec<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    outer_checksum: Option<String>,
    #[serde(default)]
    repo: Option<String>,
    #[serde(default)]
    commit: Option<String>,
    #[serde(default)]
    path: Option<String>,
}

/// The parts of `gleam.toml` used here.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Project {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Spanned<toml::Value>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, toml::Spanned<toml::Value>>,
}

fn parse_project(path: &str, text: &str) -> Result<Project, CatalogError> {
    toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))
}

fn hex_purl(name: &str, version: Option<&str>) -> Option<Purl> {
    let p = Purl::new("hex", name).ok()?;
    Some(match version {
        Some(v) => p.with_version(v),
        None => p,
    })
}

fn root_package(project: Option<&Project>, path: &str, fallback_dir: &str) -> Package {
    let name =
        project
            .and_then(|p| p.name.clone())
            .unwrap_or_else(|| match file_name(fallback_dir) {
                "" => "project".to_string(),
                n => n.to_string(),
            });
    let version = project.and_then(|p| p.version.clone());
    let mut pkg = Package::new(Ecosystem::Hex, name.as_str(), version.as_deref())
        .with_kind(PackageKind::Project)
        .with_location(Location::new(path));
    if let Some(p) = hex_purl(&name, version.as_deref()) {
        pkg = pkg.with_purl(p);
    }
    pkg
}

/// Parses a `manifest.toml`; `project` is the `gleam.toml` next to it (and its path).
pub(crate) fn parse_manifest(
    path: &str,
    text: &str,
    project: Option<(Project, String)>,
) -> Result<Inventory, CatalogError> {
    let raw: RawManifest = toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))?;
    let lines = LineIndex::new(text);
    let mut inv = Inventory::default();
    let mut ids: HashMap<String, PackageId> = HashMap::new();
    for sp in &raw.packages {
        let line = lines.line(sp.span().start);
        let p = sp.get_ref();
        let purl = hex_purl(&p.name, Some(&p.version)).ok_or_else(|| {
            CatalogError::new(path, format!("invalid package name `{}`", p.name)).at_line(line)
        })?;
        let source = p.source.as_deref().unwrap_or("hex");
        let mut pkg = Package::new(Ecosystem::Hex, p.name.as_str(), Some(&p.version))
            .with_location(Location::new(path).with_line(line))
            .with_property(PROP_SOURCE, source);
        let purl = match (source, p.repo.as_deref()) {
            ("git", Some(repo)) => {
                let vcs = match p.commit.as_deref() {
                    Some(c) => format!("git+{repo}@{c}"),
                    None => format!("git+{repo}"),
                };
                pkg = pkg.with_source(match p.commit.as_deref() {
                    Some(c) => format!("git+{repo}#{c}"),
                    None => format!("git+{repo}"),
                });
                purl.with_qualifier("vcs_url", &vcs).unwrap_or_else(|_| {
                    hex_purl(&p.name, Some(&p.version)).expect("valid just above")
                })
            }
            _ => purl,
        };
        if source == "local"
            && let Some(dir) = p.path.as_deref()
        {
            pkg = pkg.with_source(format!("file:{dir}"));
        }
        if let Some(h) = p
            .outer_checksum
            .as_deref()
            .and_then(|h| Hash::from_hex(HashAlgorithm::Sha256, h))
        {
            pkg = pkg.with_hash(h);
        }
        let id = inv.add_package(pkg.with_purl(purl));
        ids.insert(p.name.clone(), id);
    }
    let mut unresolved: BTreeMap<PackageId, Vec<String>> = BTreeMap::new();
    for sp in &raw.packages {
        let p = sp.get_ref();
        let from = ids[&p.name];
        for r in &p.requirements {
            match ids.get(r) {
                Some(&to) => inv.add_edge(from, to),
                None => unresolved.entry(from).or_default().push(r.clone()),
            }
        }
    }
    for (id, names) in unresolved {
        inv.package_mut(id)
            .properties
            .insert("chainproof:hex:unresolved".into(), names.join(","));
    }
    let (project, project_path) = match project {
        Some((p, pp)) => (Some(p), pp),
        None => (None, path.to_string()),
    };
    let dev: BTreeSet<&str> = project
        .as_ref()
        .map(|p| {
            p.dev_dependencies
                .keys()
                .filter(|k| !p.dependencies.contains_key(*k))
                .map(String::as_str)
                .collect()
        })
        .unwrap_or_default();
    let root = inv.add_package(root_package(
        project.as_ref(),
        &project_path,
        parent_dir(path),
    ));
    inv.add_root(root);
    let mut runtime_roots = Vec::new();
    let mut dev_roots = Vec::new();
    for name in raw.requirements.keys() {
        if let Some(&to) = ids.get(name) {
            inv.add_edge(root, to);
            if dev.contains(name.as_str()) {
                dev_roots.push(to);
            } else {
                runtime_roots.push(to);
            }
        }
    }
    scope_by_reach(&mut inv, &runtime_roots, &dev_roots);
    Ok(inv)
}

/// Packages reached from a runtime direct dependency are runtime; the rest reached from a
/// dev one are dev; packages nothing reaches keep runtime.
fn scope_by_reach(inv: &mut Inventory, runtime: &[PackageId], dev: &[PackageId]) {
    let reach = |inv: &Inventory, from: &[PackageId]| {
        let mut seen: BTreeSet<PackageId> = from.iter().copied().collect();
        let mut queue: VecDeque<PackageId> = from.iter().copied().collect();
        while let Some(u) = queue.pop_front() {
            for v in inv.dependencies_of(u) {
                if seen.insert(v) {
                    queue.push_back(v);
                }
            }
        }
        seen
    };
    let run = reach(inv, runtime);
    for id in reach(inv, dev) {
        if !run.contains(&id) {
            inv.package_mut(id).scope = Scope::Dev;
        }
    }
}

/// Parses a `gleam.toml` (declared dependencies).
pub fn parse_gleam_toml(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let project = parse_project(path, text)?;
    let lines = LineIndex::new(text);
    let mut inv = Inventory::default();
    let root = inv.add_package(root_package(Some(&project), path, parent_dir(path)));
    inv.add_root(root);
    for (deps, scope) in [
        (&project.dependencies, Scope::Runtime),
        (&project.dev_dependencies, Scope::Dev),
    ] {
        for (name, spec) in deps {
            let line = lines.line(spec.span().start);
            let purl = hex_purl(name, None).ok_or_else(|| {
                CatalogError::new(path, format!("invalid package name `{name}`")).at_line(line)
            })?;
            let mut pkg = Package::new(Ecosystem::Hex, name.as_str(), None)
                .with_scope(scope)
                .with_location(Location::new(path).with_line(line));
            match spec.get_ref() {
                toml::Value::String(req) => {
                    pkg = pkg.with_property(PROP_REQUIREMENT, req.as_str());
                }
                toml::Value::Table(t) => {
                    if let Some(req) = t.get("version").and_then(toml::Value::as_str) {
                        pkg = pkg.with_property(PROP_REQUIREMENT, req);
                    }
                    if let Some(repo) = t.get("git").and_then(toml::Value::as_str) {
                        let rev = t.get("ref").and_then(toml::Value::as_str);
                        pkg = pkg.with_source(match rev {
                            Some(r) => format!("git+{repo}#{r}"),
                            None => format!("git+{repo}"),
                        });
                    } else if let Some(p) = t.get("path").and_then(toml::Value::as_str) {
                        pkg = pkg.with_source(format!("file:{p}"));
                    }
                }
                _ => {}
            }
            let to = inv.add_package(pkg.with_purl(purl));
            inv.add_edge(root, to);
        }
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"# This file was generated by Gleam
# You typically do not need to edit this file

packages = [
  { name = "gleam_stdlib", version = "0.34.0", build_tools = ["gleam"], requirements = [], otp_app = "gleam_stdlib", source = "hex", outer_checksum = "1FB8454D2991E9B4C0C804544D8A9AD0F6184725E20D63C3155F0AEB4230B016" },
  { name = "gleeunit", version = "1.0.2", build_tools = ["gleam"], requirements = ["gleam_stdlib"], otp_app = "gleeunit", source = "hex", outer_checksum = "D364C87AFEB26BDB4FB8A5ABDE67D635DC9FA52D6AB68416044C35B096C6882D" },
  { name = "mine", version = "0.1.0", build_tools = ["gleam"], requirements = ["gleam_stdlib", "nope"], source = "git", repo = "https://github.com/me/mine", commit = "a8b3c5d82" },
]

[requirements]
gleam_stdlib = { version = ">= 0.34.0 and < 2.0.0" }
gleeunit = { version = ">= 1.0.0 and < 2.0.0" }
mine = { git = "https://github.com/me/mine", ref = "a8b3c5d82" }
"#;

    #[test]
    fn manifest_with_project() {
        let project = parse_project(
            "gleam.toml",
            "name = \"app\"\nversion = \"1.0.0\"\n[dependencies]\ngleam_stdlib = \">= 0.34.0\"\n\
             mine = { git = \"https://github.com/me/mine\", ref = \"a8b3c5d82\" }\n\
             [dev-dependencies]\ngleeunit = \">= 1.0.0\"\n",
        )
        .expect("project");
        let inv = parse_manifest(
            "manifest.toml",
            MANIFEST,
            Some((project, "gleam.toml".into())),
        )
        .expect("manifest");
        let got: BTreeMap<String, (String, Scope)> = inv
            .packages()
            .map(|(_, p)| {
                (
                    p.purl.as_ref().map(ToString::to_string).unwrap_or_default(),
                    (p.locations[0].path.clone(), p.scope),
                )
            })
            .collect();
        let want: BTreeMap<String, (String, Scope)> = [
            (
                "pkg:hex/gleam_stdlib@0.34.0",
                "manifest.toml",
                Scope::Runtime,
            ),
            ("pkg:hex/gleeunit@1.0.2", "manifest.toml", Scope::Dev),
            (
                "pkg:hex/mine@0.1.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fme%2Fmine%40a8b3c5d82",
                "manifest.toml",
                Scope::Runtime,
            ),
            ("pkg:hex/app@1.0.0", "gleam.toml", Scope::Runtime),
        ]
        .iter()
        .map(|(a, b, s)| (a.to_string(), (b.to_string(), *s)))
        .collect();
        assert_eq!(got, want);
        assert_eq!(inv.edges().count(), 3 + 2);
        let (_, std) = inv
            .packages()
            .find(|(_, p)| p.name == "gleam_stdlib")
            .expect("stdlib");
        assert_eq!(std.locations[0].line, Some(5));
        assert_eq!(std.hashes.len(), 1);
        assert_eq!(
            std.hashes[0].value,
            "1fb8454d2991e9b4c0c804544d8a9ad0f6184725e20d63c3155f0aeb4230b016"
        );
        let (_, mine) = inv
            .packages()
            .find(|(_, p)| p.name == "mine")
            .expect("mine");
        assert_eq!(
            mine.properties
                .get("chainproof:hex:unresolved")
                .map(String::as_str),
            Some("nope")
        );
        assert_eq!(
            mine.source.as_deref(),
            Some("git+https://github.com/me/mine#a8b3c5d82")
        );
    }

    #[test]
    fn bad_manifest_has_a_line() {
        let err = parse_manifest("manifest.toml", "packages = [\n  { name = 1 }\n]\n", None)
            .expect_err("bad");
        assert_eq!(err.line, Some(2));
    }
}
