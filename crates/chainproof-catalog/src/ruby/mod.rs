//! Ruby: Bundler lockfiles and installed gem specifications.
//!
//! ## `Gemfile.lock` / `gems.locked` ([`GemfileLockCataloger`])
//!
//! * **Packages**: every spec of a `GEM`, `GIT`, `PATH` or `PLUGIN SOURCE` section, located at
//!   its spec line. Purl `pkg:gem/<name>@<version>`, with (purl spec, type `gem`):
//!   - `platform=<platform>` when the spec names one other than `ruby` (`nokogiri
//!     (1.13.3-x86_64-linux)`: version `1.13.3`, platform `x86_64-linux` — the version ends at
//!     the first `-`, as Bundler reads it);
//!   - `vcs_url=git+<remote>@<revision>` for `GIT` specs ([`Package::source`] is the same
//!     string; `branch`/`tag`/`ref` are kept as `chainproof:ruby:git-*` properties);
//!   - `repository_url=<remote>` for a `GEM` section with a single remote other than
//!     rubygems.org.
//!
//!   `PATH` specs are local code: [`PackageKind::Project`], source = the path relative to the
//!   target root. Every package has `chainproof:ruby:source-type` (`gem`, `git`, `path`,
//!   `plugin`).
//! * **Hashes**: `CHECKSUMS` entries (Bundler 2.5+) matched by name, version and platform.
//! * **Edges**: six-space dependency lines, resolved by name within the lock. A name locked
//!   for several platforms gets an edge to **each** variant: the lock does not say which
//!   platform is installed. A dependency on `bundler` gets no edge (Bundler does not lock
//!   itself); other names that are not locked are listed in `chainproof:ruby:unresolved`.
//! * **Root**: the project of the lockfile's directory, a [`PackageKind::Project`] root with
//!   edges to every `DEPENDENCIES` entry. It is the gem of a `PATH` section with remote `.`
//!   (Bundler's `gemspec` directive) when there is one; otherwise a package named after a
//!   sibling `*.gemspec` file, or after the directory, without a version or purl. The root
//!   carries `chainproof:ruby:platforms`, `chainproof:ruby:ruby-version`,
//!   `chainproof:ruby:bundled-with`, and `chainproof:ruby:unresolved` for `DEPENDENCIES`
//!   entries that name no locked gem. Direct dependencies carry the requirement of their
//!   `DEPENDENCIES` entry as `chainproof:ruby:requirement`.
//! * **Scope**: the lock does not record Gemfile groups. When a `Gemfile` (`gems.rb` for
//!   `gems.locked`) sits beside it, gems declared only in `development`/`test` groups are
//!   `Dev`, and so is every gem reachable only through them; everything else is `Runtime`.
//!   Without a Gemfile every gem is `Runtime`. Development dependencies that a `gemspec`
//!   directive adds are not recognised (the Gemfile does not name them).
//! * Malformed lines (a spec without a version, bad indentation, stray text) are errors with
//!   the line; unknown upper-case sections are skipped.
//!
//! ## Installed `specifications/*.gemspec` ([`GemspecCataloger`])
//!
//! See [`gemspec`]: name, version, platform, licenses and runtime dependencies read with a
//! tokenizer, never by evaluating Ruby.

mod gemfile;
pub mod gemspec;
mod lockfile;
mod tokens;

use std::collections::HashMap;

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, Location, Package, PackageId, PackageKind, Scope,
};
use chainproof_purl::{Purl, PurlError};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use crate::{CatalogError, Cataloger, CatalogerInfo};
use lockfile::{Checksum, Lock, SourceKind};

pub use gemspec::GemspecCataloger;

/// Where a package comes from: `gem`, `git`, `path` or `plugin`.
pub const PROP_SOURCE_TYPE: &str = "chainproof:ruby:source-type";
/// The platforms a lockfile was resolved for (comma-separated), on the root.
pub const PROP_PLATFORMS: &str = "chainproof:ruby:platforms";
/// `RUBY VERSION`, on the root.
pub const PROP_RUBY_VERSION: &str = "chainproof:ruby:ruby-version";
/// `BUNDLED WITH`, on the root.
pub const PROP_BUNDLED_WITH: &str = "chainproof:ruby:bundled-with";
/// Dependencies that name no locked gem (comma-separated).
pub const PROP_UNRESOLVED: &str = "chainproof:ruby:unresolved";
/// The requirement the project's `DEPENDENCIES` entry puts on a direct dependency.
pub const PROP_REQUIREMENT: &str = "chainproof:ruby:requirement";
/// All remotes of a `GEM` section with several.
pub const PROP_REMOTES: &str = "chainproof:ruby:remotes";
/// A checksum that is not a known algorithm with a well-formed digest, verbatim.
pub const PROP_BAD_CHECKSUM: &str = "chainproof:ruby:checksum";

/// Reads `Gemfile.lock` and `gems.locked` (and the `Gemfile` / `gems.rb` beside them).
#[derive(Debug, Clone, Copy, Default)]
pub struct GemfileLockCataloger;

static LOCK_INFO: CatalogerInfo = CatalogerInfo {
    name: "ruby-gemfile-lock",
    ecosystem: "RubyGems",
    files: "`Gemfile.lock`, `gems.locked` (+ `Gemfile`/`gems.rb` beside it for dev groups)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

impl Cataloger for GemfileLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &LOCK_INFO
    }

    fn matches(&self, path: &str) -> bool {
        matches!(file_name(path), "Gemfile.lock" | "gems.locked")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let dir = parent_dir(path);
        let manifest = if file_name(path) == "gems.locked" {
            "gems.rb"
        } else {
            "Gemfile"
        };
        let gemfile = join_relative(dir, manifest)
            .filter(|p| resolver.exists(p))
            .and_then(|p| resolver.read_to_string(&p).ok());
        let gemspec = resolver
            .files()
            .iter()
            .filter(|f| parent_dir(&f.path) == dir && f.path.ends_with(".gemspec"))
            .map(|f| file_name(&f.path).trim_end_matches(".gemspec").to_string())
            .next();
        let project = ProjectHints {
            gemfile: gemfile.as_deref(),
            gemspec_name: gemspec.as_deref(),
        };
        parse_gemfile_lock(path, &text, &project)
    }
}

/// What the files beside a lockfile tell about its project.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProjectHints<'a> {
    /// The text of the `Gemfile` / `gems.rb`.
    pub gemfile: Option<&'a str>,
    /// The stem of a `*.gemspec` file beside the lock.
    pub gemspec_name: Option<&'a str>,
}

/// The purl of a gem (see the module docs).
pub fn gem_purl(
    name: &str,
    version: Option<&str>,
    platform: Option<&str>,
) -> Result<Purl, PurlError> {
    let mut p = Purl::new("gem", name)?;
    if let Some(v) = version {
        p = p.with_version(v);
    }
    match platform {
        Some(pl) if !pl.is_empty() && pl != "ruby" => p.with_qualifier("platform", pl),
        _ => Ok(p),
    }
}

fn is_rubygems_org(remote: &str) -> bool {
    let r = remote.trim_end_matches('/');
    matches!(
        r,
        "https://rubygems.org" | "http://rubygems.org" | "https://www.rubygems.org"
    )
}

/// Parses the text of a lockfile; `path` is used for locations and errors.
pub fn parse_gemfile_lock(
    path: &str,
    text: &str,
    hints: &ProjectHints<'_>,
) -> Result<Inventory, CatalogError> {
    let lock = lockfile::parse(path, text)?;
    let dir = parent_dir(path);
    let mut inv = Inventory::default();
    let mut ids: Vec<PackageId> = Vec::with_capacity(lock.specs.len());
    let mut root: Option<usize> = None;
    let mut checksums: HashMap<(&str, &str, Option<&str>), &Checksum> = HashMap::new();
    for c in &lock.checksums {
        checksums.insert((&c.name, &c.version, c.platform.as_deref()), c);
    }
    for (i, spec) in lock.specs.iter().enumerate() {
        let key = (
            spec.name.as_str(),
            spec.version.as_str(),
            spec.platform.as_deref(),
        );
        let pkg = spec_package(path, dir, &lock, i, checksums.get(&key).copied())?;
        let source = &lock.sources[spec.source];
        if root.is_none()
            && source.kind == SourceKind::Path
            && source.remotes.iter().any(|r| r == "." || r == "./")
        {
            root = Some(i);
        }
        ids.push(inv.add_package(pkg));
    }

    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in lock.specs.iter().enumerate() {
        by_name.entry(s.name.as_str()).or_default().push(i);
    }
    let mut adjacency: Vec<Vec<(usize, Scope)>> = vec![Vec::new(); lock.specs.len() + 1];
    for (i, spec) in lock.specs.iter().enumerate() {
        let mut unresolved = Vec::new();
        for d in &spec.deps {
            match by_name.get(d.as_str()) {
                Some(targets) => {
                    for &t in targets {
                        inv.add_edge(ids[i], ids[t]);
                        adjacency[i].push((t, Scope::Runtime));
                    }
                }
                // Bundler never locks itself (`BUNDLED WITH` names its version).
                None if d == "bundler" => {}
                None => unresolved.push(d.as_str()),
            }
        }
        if !unresolved.is_empty() {
            inv.package_mut(ids[i])
                .properties
                .insert(PROP_UNRESOLVED.into(), unresolved.join(", "));
        }
    }

    // The root project.
    let root_id = match root {
        Some(i) => ids[i],
        None => {
            let name = hints
                .gemspec_name
                .filter(|n| !n.is_empty())
                .or_else(|| Some(file_name(dir)).filter(|d| !d.is_empty()))
                .unwrap_or(".");
            inv.add_package(
                Package::new(Ecosystem::RubyGems, name, None)
                    .with_kind(PackageKind::Project)
                    .with_location(Location::new(path)),
            )
        }
    };
    inv.add_root(root_id);
    let dev = hints.gemfile.map(gemfile::dev_only_gems);
    let root_node = lock.specs.len();
    let mut seeds = vec![(root_node, Scope::Runtime)];
    let mut unresolved = Vec::new();
    for d in &lock.dependencies {
        let edge = match &dev {
            Some(g) if g.get(&d.name) == Some(&true) => Scope::Dev,
            _ => Scope::Runtime,
        };
        match by_name.get(d.name.as_str()) {
            Some(targets) => {
                for &t in targets {
                    inv.add_edge(root_id, ids[t]);
                    if let Some(req) = &d.requirement {
                        inv.package_mut(ids[t])
                            .properties
                            .entry(PROP_REQUIREMENT.to_string())
                            .or_insert_with(|| req.clone());
                    }
                    adjacency[root_node].push((t, edge));
                }
            }
            None => unresolved.push(d.name.as_str()),
        }
    }
    if let Some(i) = root {
        seeds.push((i, Scope::Runtime));
    }
    let r = inv.package_mut(root_id);
    let mut set = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            r.properties.insert(k.to_string(), v);
        }
    };
    set(PROP_PLATFORMS, Some(lock.platforms.join(", ")));
    set(PROP_RUBY_VERSION, lock.ruby_version.clone());
    set(PROP_BUNDLED_WITH, lock.bundled_with.clone());
    set(PROP_UNRESOLVED, Some(unresolved.join(", ")));

    if dev.is_some() {
        let scopes = crate::python::reach(adjacency.len(), &seeds, &adjacency);
        for (i, id) in ids.iter().enumerate() {
            if Some(i) != root {
                inv.package_mut(*id).scope = scopes[i].unwrap_or(Scope::Runtime);
            }
        }
    }
    Ok(inv)
}

/// One spec → a package (no edges).
fn spec_package(
    path: &str,
    dir: &str,
    lock: &Lock,
    i: usize,
    checksum: Option<&Checksum>,
) -> Result<Package, CatalogError> {
    let spec = &lock.specs[i];
    let source = &lock.sources[spec.source];
    let err = |e: PurlError| {
        CatalogError::new(path, format!("gem `{}`: {e}", spec.name)).at_line(spec.line)
    };
    let mut purl =
        gem_purl(&spec.name, Some(&spec.version), spec.platform.as_deref()).map_err(err)?;
    let mut pkg = Package::new(Ecosystem::RubyGems, spec.name.as_str(), Some(&spec.version))
        .with_location(Location::new(path).with_line(spec.line))
        .with_property(PROP_SOURCE_TYPE, source.kind.as_str());
    let remote = source.remotes.first().map(String::as_str);
    match source.kind {
        SourceKind::Gem => {
            if let [only] = source.remotes.as_slice()
                && !is_rubygems_org(only)
            {
                purl = purl.with_qualifier("repository_url", only).map_err(err)?;
            }
            if source.remotes.len() > 1 {
                pkg = pkg.with_property(PROP_REMOTES, source.remotes.join(", "));
            }
            if let Some(r) = remote {
                pkg = pkg.with_source(r);
            }
        }
        SourceKind::Git => {
            if let Some(r) = remote {
                let vcs = match source.option("revision") {
                    Some(rev) => format!("git+{r}@{rev}"),
                    None => format!("git+{r}"),
                };
                purl = purl.with_qualifier("vcs_url", &vcs).map_err(err)?;
                pkg = pkg.with_source(vcs);
            }
            for k in ["branch", "tag", "ref"] {
                if let Some(v) = source.option(k) {
                    pkg = pkg.with_property(format!("chainproof:ruby:git-{k}"), v);
                }
            }
        }
        SourceKind::Path => {
            pkg = pkg.with_kind(PackageKind::Project);
            if let Some(r) = remote {
                pkg = pkg.with_source(join_relative(dir, r).unwrap_or_else(|| r.to_string()));
            }
        }
        SourceKind::Plugin => {
            if let Some(r) = remote {
                pkg = pkg.with_source(r);
            }
        }
    }
    if let Some(c) = checksum {
        {
            for (algo, value) in &c.sums {
                let hash = algo
                    .parse::<HashAlgorithm>()
                    .ok()
                    .and_then(|a| Hash::from_hex(a, value));
                match hash {
                    Some(h) => pkg = pkg.with_hash(h),
                    None => pkg = pkg.with_property(PROP_BAD_CHECKSUM, format!("{algo}={value}")),
                }
            }
        }
    }
    Ok(pkg.with_purl(purl))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        let s = |n, v, p| gem_purl(n, v, p).map(|p| p.to_string());
        assert_eq!(
            s("rails", Some("7.0.1"), None).as_deref(),
            Ok("pkg:gem/rails@7.0.1")
        );
        assert_eq!(
            s("nokogiri", Some("1.13.3"), Some("x86_64-linux")).as_deref(),
            Ok("pkg:gem/nokogiri@1.13.3?platform=x86_64-linux")
        );
        assert_eq!(
            s("a", Some("1"), Some("ruby")).as_deref(),
            Ok("pkg:gem/a@1")
        );
    }
}
