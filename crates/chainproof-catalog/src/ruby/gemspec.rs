//! Installed gem specifications: the Ruby files RubyGems writes to
//! `<gem home>/specifications/<name>-<version>[-<platform>].gemspec` (and
//! `specifications/default/` for default gems).
//!
//! The file is read with a small tokenizer, never evaluated. From the statements on the
//! block variable of `Gem::Specification.new do |s|` it takes:
//! * `s.name`, `s.version` (the first string literal after `=`; both required), `s.platform`
//!   (a string; `Gem::Platform::RUBY` means none) → purl `pkg:gem/<name>@<version>` with a
//!   `platform` qualifier when not `ruby`;
//! * `s.licenses = [...]` / `s.license = "..."` → licenses;
//! * `s.add_runtime_dependency` / `s.add_dependency` (with or without parentheses) → edges to
//!   every gem of that name installed in the same `specifications` directory (or its
//!   `default/` subdirectory, or the parent of `default/`), found by file name.
//!   Development dependencies are ignored (also the `else` branch of the
//!   `if s.respond_to? :add_runtime_dependency` blocks older RubyGems wrote): they are not installed with the gem. Names that
//!   no installed gem has are listed in `chainproof:ruby:unresolved`.
//!
//! Every package is located at the file (one package per file), without a line.

use chainproof_core::{Ecosystem, Inventory, License, Location, Package};
use chainproof_source::{FileResolver, file_name, parent_dir};

use super::tokens::{Tok, tokenize};
use super::{PROP_UNRESOLVED, gem_purl};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads installed `specifications/*.gemspec` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct GemspecCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "ruby-installed-gemspec",
    ecosystem: "RubyGems",
    files: "installed `specifications/*.gemspec`",
    edges: true,
    licenses: true,
    scopes: false,
    hashes: false,
};

fn is_spec_dir(dir: &str) -> bool {
    file_name(dir) == "specifications"
        || (file_name(dir) == "default" && file_name(parent_dir(dir)) == "specifications")
}

impl Cataloger for GemspecCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        path.ends_with(".gemspec") && is_spec_dir(parent_dir(path))
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let spec = parse_gemspec(path, &text)?;
        let dir = parent_dir(path);
        let dirs: Vec<String> = if file_name(dir) == "default" {
            vec![dir.to_string(), parent_dir(dir).to_string()]
        } else {
            vec![dir.to_string(), format!("{dir}/default")]
        };
        let installed: Vec<(&str, InstalledName)> = resolver
            .files()
            .iter()
            .filter(|f| f.path != path && dirs.iter().any(|d| parent_dir(&f.path) == d))
            .filter_map(|f| {
                let stem = file_name(&f.path).strip_suffix(".gemspec")?;
                Some((f.path.as_str(), split_file_name(stem)?))
            })
            .collect();
        build(path, &spec, &installed)
    }
}

/// What a gemspec declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GemSpec {
    pub name: String,
    pub version: String,
    pub platform: Option<String>,
    pub licenses: Vec<String>,
    /// Runtime dependencies: name and requirements.
    pub dependencies: Vec<(String, Vec<String>)>,
}

/// `name-version[-platform]` of an installed spec's file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledName {
    pub name: String,
    pub version: String,
    pub platform: Option<String>,
}

/// Splits a file stem like `nokogiri-1.13.3-x86_64-linux`: the version is the first
/// `-`-separated part that starts with a digit.
pub fn split_file_name(stem: &str) -> Option<InstalledName> {
    let parts: Vec<&str> = stem.split('-').collect();
    let i = parts
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, p)| p.starts_with(|c: char| c.is_ascii_digit()))
        .map(|(i, _)| i)?;
    let platform = parts[i + 1..].join("-");
    Some(InstalledName {
        name: parts[..i].join("-"),
        version: parts[i].to_string(),
        platform: (!platform.is_empty()).then_some(platform),
    })
}

/// Reads the fields of a gemspec (see the module docs).
pub fn parse_gemspec(path: &str, text: &str) -> Result<GemSpec, CatalogError> {
    let tokens = tokenize(text);
    // The block variable of `Gem::Specification.new do |s|`, when written.
    let var = tokens.windows(3).find_map(|w| match w {
        [
            (Tok::Other('|'), _),
            (Tok::Ident(v), _),
            (Tok::Other('|'), _),
        ] => Some(v.clone()),
        _ => None,
    });
    let mut spec = GemSpec::default();
    let mut name_line = None;
    // Older RubyGems wrap dependencies in `if s.respond_to? :add_runtime_dependency then
    // ... else ... end`, where the `else` branch lists development dependencies with
    // `add_dependency` too: that branch is skipped.
    let (mut in_branches, mut in_else) = (false, false);
    for stmt in tokens.split(|(t, _)| *t == Tok::End) {
        match stmt.first() {
            Some((Tok::Ident(w), _)) if w == "if" => {
                in_branches = stmt
                    .iter()
                    .any(|(t, _)| matches!(t, Tok::Symbol(s) if s == "add_runtime_dependency"));
            }
            Some((Tok::Ident(w), _)) if w == "else" && in_branches => in_else = true,
            Some((Tok::Ident(w), _)) if w == "end" => (in_branches, in_else) = (false, false),
            _ => {}
        }
        if in_else {
            continue;
        }
        let [
            (Tok::Ident(recv), _),
            (Tok::Punct('.'), _),
            (Tok::Ident(attr), line),
            rest @ ..,
        ] = stmt
        else {
            continue;
        };
        if var.as_ref().is_some_and(|v| v != recv) {
            continue;
        }
        let strings = || -> Vec<String> {
            rest.iter()
                .filter_map(|(t, _)| match t {
                    Tok::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect()
        };
        let assigned = matches!(rest.first(), Some((Tok::Punct('='), _)));
        match attr.as_str() {
            "name" if assigned => {
                if let Some(s) = strings().into_iter().next() {
                    spec.name = s;
                    name_line = Some(*line);
                }
            }
            "version" if assigned => {
                if let Some(s) = strings().into_iter().next() {
                    spec.version = s;
                }
            }
            "platform" if assigned => spec.platform = strings().into_iter().next(),
            "licenses" | "license" if assigned => {
                for l in strings() {
                    if !spec.licenses.contains(&l) {
                        spec.licenses.push(l);
                    }
                }
            }
            "add_runtime_dependency" | "add_dependency" => {
                let mut s = strings().into_iter();
                if let Some(dep) = s.next()
                    && !spec.dependencies.iter().any(|(n, _)| *n == dep)
                {
                    spec.dependencies.push((dep, s.collect()));
                }
            }
            _ => {}
        }
    }
    if spec.name.is_empty() {
        return Err(CatalogError::new(
            path,
            "no `name` assignment in the gemspec",
        ));
    }
    if spec.version.is_empty() {
        let e = CatalogError::new(path, "no `version` assignment in the gemspec");
        return Err(match name_line {
            Some(l) => e.at_line(l),
            None => e,
        });
    }
    Ok(spec)
}

fn build(
    path: &str,
    spec: &GemSpec,
    installed: &[(&str, InstalledName)],
) -> Result<Inventory, CatalogError> {
    let purl_of = |n: &str, v: &str, p: Option<&str>| {
        gem_purl(n, Some(v), p).map_err(|e| CatalogError::new(path, format!("gem `{n}`: {e}")))
    };
    let mut pkg = Package::new(Ecosystem::RubyGems, spec.name.as_str(), Some(&spec.version))
        .with_purl(purl_of(
            &spec.name,
            &spec.version,
            spec.platform.as_deref(),
        )?)
        .with_location(Location::new(path));
    for l in &spec.licenses {
        pkg = pkg.with_license(License::parse(l));
    }
    let mut inv = Inventory::default();
    let mut targets = Vec::new();
    let mut unresolved = Vec::new();
    for (dep, _) in &spec.dependencies {
        let mut found = false;
        for (p, n) in installed.iter().filter(|(_, n)| n.name == *dep) {
            found = true;
            let target = Package::new(Ecosystem::RubyGems, n.name.as_str(), Some(&n.version))
                .with_purl(purl_of(&n.name, &n.version, n.platform.as_deref())?)
                .with_location(Location::new(*p));
            targets.push(target);
        }
        if !found {
            unresolved.push(dep.as_str());
        }
    }
    if !unresolved.is_empty() {
        pkg = pkg.with_property(PROP_UNRESOLVED, unresolved.join(", "));
    }
    let id = inv.add_package(pkg);
    for t in targets {
        let t = inv.add_package(t);
        inv.add_edge(id, t);
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        let n = split_file_name("nokogiri-1.13.3-x86_64-linux");
        assert_eq!(
            n,
            Some(InstalledName {
                name: "nokogiri".into(),
                version: "1.13.3".into(),
                platform: Some("x86_64-linux".into())
            })
        );
        let n = split_file_name("concurrent-ruby-1.1.9").map(|n| (n.name, n.version));
        assert_eq!(n, Some(("concurrent-ruby".into(), "1.1.9".into())));
        assert_eq!(split_file_name("noversion"), None);
        assert_eq!(split_file_name("1.0"), None);
    }
}
