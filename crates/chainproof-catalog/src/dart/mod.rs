//! Dart / Flutter `pubspec.lock` → packages, scopes, hashes and the project root.
//!
//! * **Packages**: every entry of `packages` (`name → {dependency, description, source,
//!   version}`), purl `pkg:pub/<name>@<version>`. Hosted packages from a registry other than
//!   pub.dev carry a `repository_url` qualifier; git packages a `vcs_url=git+<url>@<commit>`
//!   qualifier (from `resolved-ref`). `path` packages are local ([`PackageKind::Project`]);
//!   `sdk` packages (`flutter`, ...) keep `source` = `sdk:<name>`.
//! * **Hashes**: `description.sha256` (pub ≥ 3.0) → SHA-256.
//! * **Scope**: `dependency: "direct dev"` → dev; everything else runtime (the format does not
//!   say which transitive packages only dev dependencies need).
//! * **Edges**: the lockfile records none between packages. The project (named by the
//!   `pubspec.yaml` next to the lockfile, else by its directory) is the root, with an edge to
//!   every `direct main`, `direct dev` and `direct overridden` package. The `sdks` constraints
//!   are properties `chainproof:pub:sdk:<sdk>` of the root.
//! * Not YAML, not a mapping, or an entry without `version` → error with the line; an empty
//!   file is an empty inventory.

use std::collections::BTreeMap;

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, Location, Package, PackageKind, Scope,
};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};
use serde::Deserialize;

use crate::{CatalogError, Cataloger, CatalogerInfo};

/// The raw `dependency` value (`direct main`, `direct dev`, `transitive`, `direct overridden`).
pub const PROP_DEPENDENCY: &str = "chainproof:pub:dependency";
/// Prefix of the root's SDK constraint properties (`chainproof:pub:sdk:dart`).
pub const PROP_SDK_PREFIX: &str = "chainproof:pub:sdk:";

/// Registries that are the purl default for `pub`.
const DEFAULT_HOSTS: [&str; 2] = ["https://pub.dev", "https://pub.dartlang.org"];

/// Reads `pubspec.lock` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct PubspecLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "dart-pubspec-lock",
    ecosystem: "Pub",
    files: "`pubspec.lock`",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

impl Cataloger for PubspecLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "pubspec.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let dir = parent_dir(path);
        let spec = join_relative(dir, "pubspec.yaml").unwrap_or_default();
        let root = if resolver.exists(&spec) {
            let name = resolver
                .read_to_string(&spec)
                .ok()
                .and_then(|t| yaml_serde::from_str::<RawPubspec>(&t).ok())
                .and_then(|p| p.name)
                .unwrap_or_else(|| dir_name(dir));
            Package::new(Ecosystem::Pub, name, None)
                .with_kind(PackageKind::Project)
                .with_location(Location::new(spec))
        } else {
            Package::new(Ecosystem::Pub, dir_name(dir), None)
                .with_kind(PackageKind::Project)
                .with_location(Location::new(path))
        };
        parse_pubspec_lock(path, &text, root)
    }
}

fn dir_name(dir: &str) -> String {
    match file_name(dir) {
        "" => "project".to_string(),
        n => n.to_string(),
    }
}

#[derive(Debug, Deserialize)]
struct RawPubspec {
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawLock {
    #[serde(default)]
    packages: Option<BTreeMap<String, RawPackage>>,
    #[serde(default)]
    sdks: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
struct RawPackage {
    dependency: Option<String>,
    description: Option<yaml_serde::Value>,
    source: Option<String>,
    version: Option<String>,
}

/// A YAML error with its line and column.
pub(crate) fn yaml_error(path: &str, err: &yaml_serde::Error) -> CatalogError {
    let mut e = CatalogError::new(path, err.to_string());
    if let Some(loc) = err.location() {
        e = e
            .at_line(u32::try_from(loc.line()).unwrap_or(u32::MAX))
            .at_column(u32::try_from(loc.column()).unwrap_or(u32::MAX));
        if let Some(i) = e.message.rfind(" at line ") {
            e.message.truncate(i);
        }
    }
    e
}

/// Line of the first `key:` (or `"key":`) line after line `after` (1-based), if any.
pub(crate) fn yaml_key_line(text: &str, key: &str, after: u32) -> Option<u32> {
    let quoted = format!("\"{key}\":");
    let plain = format!("{key}:");
    text.lines()
        .enumerate()
        .skip(after as usize)
        .find(|(_, l)| {
            let t = l.trim_start();
            t.starts_with(&plain) || t.starts_with(&quoted)
        })
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
}

fn description_str<'a>(d: Option<&'a yaml_serde::Value>, key: &str) -> Option<&'a str> {
    d.and_then(|d| d.get(key))
        .and_then(yaml_serde::Value::as_str)
}

/// Parses the text of a `pubspec.lock`; `root` is the project it belongs to.
pub fn parse_pubspec_lock(
    path: &str,
    text: &str,
    root: Package,
) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let raw: RawLock = yaml_serde::from_str(text).map_err(|e| yaml_error(path, &e))?;
    let mut root = root;
    for (sdk, constraint) in raw.sdks.unwrap_or_default() {
        root = root.with_property(format!("{PROP_SDK_PREFIX}{sdk}"), constraint);
    }
    let root_id = inv.add_package(root);
    inv.add_root(root_id);
    let packages_line = yaml_key_line(text, "packages", 0).unwrap_or(0);
    for (name, p) in raw.packages.unwrap_or_default() {
        let line = yaml_key_line(text, &name, packages_line);
        let err = |msg: String| {
            let e = CatalogError::new(path, msg);
            match line {
                Some(l) => e.at_line(l),
                None => e,
            }
        };
        let Some(version) = p.version.as_deref().filter(|v| !v.is_empty()) else {
            return Err(err(format!("package `{name}` has no version")));
        };
        let desc = p.description.as_ref();
        let source = p.source.as_deref().unwrap_or("");
        let mut purl = Purl::new("pub", &name)
            .map_err(|e| err(format!("package `{name}`: {e}")))?
            .with_version(version);
        let mut pkg_source = None;
        let mut kind = PackageKind::Library;
        match source {
            "hosted" => {
                if let Some(url) = description_str(desc, "url") {
                    let url = url.trim_end_matches('/');
                    if !DEFAULT_HOSTS.contains(&url) {
                        purl = purl
                            .with_qualifier("repository_url", url)
                            .map_err(|e| err(e.to_string()))?;
                    }
                    pkg_source = Some(url.to_string());
                }
            }
            "git" => {
                if let Some(url) = description_str(desc, "url") {
                    let rev = description_str(desc, "resolved-ref");
                    let vcs = match rev {
                        Some(r) => format!("git+{url}@{r}"),
                        None => format!("git+{url}"),
                    };
                    purl = purl
                        .with_qualifier("vcs_url", &vcs)
                        .map_err(|e| err(e.to_string()))?;
                    pkg_source = Some(match rev {
                        Some(r) => format!("git+{url}#{r}"),
                        None => format!("git+{url}"),
                    });
                }
            }
            "path" => {
                kind = PackageKind::Project;
                pkg_source = description_str(desc, "path").map(str::to_string);
            }
            "sdk" => {
                let sdk = desc.and_then(yaml_serde::Value::as_str).unwrap_or("");
                pkg_source = Some(format!("sdk:{sdk}"));
            }
            _ => {}
        }
        let mut loc = Location::new(path);
        if let Some(l) = line {
            loc = loc.with_line(l);
        }
        let mut pkg = Package::new(Ecosystem::Pub, name.as_str(), Some(version))
            .with_purl(purl)
            .with_kind(kind)
            .with_location(loc);
        if let Some(s) = pkg_source {
            pkg = pkg.with_source(s);
        }
        if let Some(h) =
            description_str(desc, "sha256").and_then(|h| Hash::from_hex(HashAlgorithm::Sha256, h))
        {
            pkg = pkg.with_hash(h);
        }
        let dependency = p.dependency.as_deref().unwrap_or("");
        if dependency == "direct dev" {
            pkg = pkg.with_scope(Scope::Dev);
        }
        if !dependency.is_empty() {
            pkg = pkg.with_property(PROP_DEPENDENCY, dependency);
        }
        let id = inv.add_package(pkg);
        if dependency.starts_with("direct") {
            inv.add_edge(root_id, id);
        }
    }
    Ok(inv)
}
