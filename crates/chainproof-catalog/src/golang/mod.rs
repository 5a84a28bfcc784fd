//! `go.mod` → the main module, its requirements, and the Go standard library.
//!
//! * **`module`**: the main module, a [`PackageKind::Project`] root without a version, purl
//!   `pkg:golang/<path>` (namespace = every path segment but the last, as the purl spec
//!   says for `golang`). Files without a `module` line (seen in the wild and in the corpus)
//!   list their requirements without a root.
//! * **`go`** / **`toolchain`**: recorded on the root as `chainproof:go:version` and
//!   `chainproof:go:toolchain`; like syft, a `stdlib` package `pkg:golang/stdlib@<version>`
//!   is added (version from `toolchain goX.Y.Z[-suffix]` when present, else from `go`).
//! * **`require`** (single lines and blocks): one package per requirement, purl
//!   `pkg:golang/<path>@<version>`, located at the require line. go.mod lists direct and
//!   indirect requirements flat, so all are edges from the root; `// indirect` ones carry
//!   `chainproof:go:indirect=true`.
//! * **`replace`** (`old [v] => new v` or `=> ./dir`): applied to the matching requirement
//!   (exact `old v` first, then versionless `old`). A module replacement becomes the package
//!   (new path and version); a directory replacement keeps the old path, has no version and
//!   `source = <dir>`. Both record the original as `chainproof:go:replaces=<old>@<v>`.
//! * **`exclude`**: an excluded `path version` is not listed as a package; the exclusions are
//!   recorded on the root as `chainproof:go:excluded`. `retract`, `godebug`, `tool` and
//!   `ignore` do not name dependencies and are skipped.
//! * **go.sum**: when a sibling `go.sum` exists, each package's `h1:` line is kept as
//!   `chainproof:go:h1` (a base64 SHA-256 over a file list, not a digest of an artifact, so
//!   not a [`chainproof_core::Hash`]). A malformed go.sum line is skipped: go.sum only adds
//!   detail.
//! * Any other directive, a malformed statement, or a syntax error is an error with the line;
//!   an empty file is an empty inventory.

pub mod buildinfo;
pub mod gosum;
mod modfile;
mod modinfo;
pub mod vendor;

use std::collections::HashMap;

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageKind};
use chainproof_purl::{Purl, PurlError};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use crate::{CatalogError, Cataloger, CatalogerInfo};
use modfile::Statement;

pub const PROP_INDIRECT: &str = "chainproof:go:indirect";
pub const PROP_REPLACES: &str = "chainproof:go:replaces";
pub const PROP_GO_VERSION: &str = "chainproof:go:version";
pub const PROP_TOOLCHAIN: &str = "chainproof:go:toolchain";
pub const PROP_EXCLUDED: &str = "chainproof:go:excluded";
pub const PROP_H1: &str = "chainproof:go:h1";

/// Reads `go.mod` files (and their sibling `go.sum`).
#[derive(Debug, Clone, Copy, Default)]
pub struct GoModCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "go-mod",
    ecosystem: "Go",
    files: "`go.mod` (+ `go.sum` beside it for `h1:` sums)",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: false,
};

impl Cataloger for GoModCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "go.mod"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let sum = join_relative(parent_dir(path), "go.sum")
            .filter(|p| resolver.exists(p))
            .and_then(|p| resolver.read_to_string(&p).ok());
        parse_go_mod(path, &text, sum.as_deref())
    }
}

struct Require {
    path: String,
    version: String,
    line: u32,
    indirect: bool,
}

struct Replace {
    old: String,
    old_version: Option<String>,
    new: String,
    /// `None`: a directory replacement.
    new_version: Option<String>,
    line: u32,
}

#[derive(Default)]
struct GoMod {
    module: Option<(String, u32)>,
    go: Option<(String, u32)>,
    toolchain: Option<(String, u32)>,
    requires: Vec<Require>,
    replaces: Vec<Replace>,
    excludes: Vec<(String, String)>,
}

/// Parses the text of a `go.mod` (and optionally its `go.sum`); `path` names the file in
/// locations and errors.
pub fn parse_go_mod(
    path: &str,
    text: &str,
    go_sum: Option<&str>,
) -> Result<Inventory, CatalogError> {
    let stmts =
        modfile::parse(text).map_err(|e| CatalogError::new(path, e.message).at_line(e.line))?;
    let m = interpret(path, &stmts)?;
    let sums = go_sum.map(parse_go_sum).unwrap_or_default();
    let purl_err = |line: u32| {
        move |e: PurlError| {
            CatalogError::new(path, format!("invalid module path: {e}")).at_line(line)
        }
    };

    let mut inv = Inventory::default();
    let root = match &m.module {
        Some((module, line)) => {
            let mut p = Package::new(Ecosystem::Go, module.as_str(), None)
                .with_kind(PackageKind::Project)
                .with_purl(golang_purl(module, None).map_err(purl_err(*line))?)
                .with_location(Location::new(path).with_line(*line));
            if let Some((v, _)) = &m.go {
                p = p.with_property(PROP_GO_VERSION, v.as_str());
            }
            if let Some((t, _)) = &m.toolchain {
                p = p.with_property(PROP_TOOLCHAIN, t.as_str());
            }
            if !m.excludes.is_empty() {
                let ex: Vec<String> = m.excludes.iter().map(|(p, v)| format!("{p}@{v}")).collect();
                p = p.with_property(PROP_EXCLUDED, ex.join(", "));
            }
            let id = inv.add_package(p);
            inv.add_root(id);
            Some(id)
        }
        None => None,
    };

    if let Some((version, line)) = stdlib_version(&m) {
        let p = Package::new(Ecosystem::Go, "stdlib", Some(&version))
            .with_purl(golang_purl("stdlib", Some(&version)).map_err(purl_err(line))?)
            .with_location(Location::new(path).with_line(line));
        let id = inv.add_package(p);
        if let Some(r) = root {
            inv.add_edge(r, id);
        }
    }

    for req in &m.requires {
        if m.excludes
            .iter()
            .any(|(p, v)| *p == req.path && *v == req.version)
        {
            continue;
        }
        let rep = m
            .replaces
            .iter()
            .find(|r| r.old == req.path && r.old_version.as_deref() == Some(&req.version))
            .or_else(|| {
                m.replaces
                    .iter()
                    .find(|r| r.old == req.path && r.old_version.is_none())
            });
        let mut pkg = match rep {
            None => Package::new(Ecosystem::Go, req.path.as_str(), Some(&req.version))
                .with_purl(golang_purl(&req.path, Some(&req.version)).map_err(purl_err(req.line))?),
            Some(r) => {
                let original = format!("{}@{}", req.path, req.version);
                let p = match &r.new_version {
                    Some(nv) => Package::new(Ecosystem::Go, r.new.as_str(), Some(nv))
                        .with_purl(golang_purl(&r.new, Some(nv)).map_err(purl_err(r.line))?),
                    None => Package::new(Ecosystem::Go, req.path.as_str(), None)
                        .with_purl(golang_purl(&req.path, None).map_err(purl_err(req.line))?)
                        .with_source(r.new.as_str()),
                };
                p.with_property(PROP_REPLACES, original)
            }
        };
        pkg = pkg.with_location(Location::new(path).with_line(req.line));
        if let Some(r) = rep {
            pkg = pkg.with_location(Location::new(path).with_line(r.line));
        }
        if req.indirect {
            pkg = pkg.with_property(PROP_INDIRECT, "true");
        }
        if let Some(h1) = pkg
            .version
            .as_ref()
            .and_then(|v| sums.get(&(pkg.name.clone(), v.clone())))
        {
            pkg = pkg.with_property(PROP_H1, h1.as_str());
        }
        let replaces = pkg.properties.get(PROP_REPLACES).cloned();
        let id = inv.add_package(pkg);
        // Two requirements replaced by one module: keep every original.
        if let Some(orig) = replaces {
            let props = &mut inv.package_mut(id).properties;
            if let Some(cur) = props.get_mut(PROP_REPLACES)
                && !cur.split(", ").any(|o| o == orig)
            {
                cur.push_str(", ");
                cur.push_str(&orig);
            }
        }
        if let Some(r) = root {
            inv.add_edge(r, id);
        }
    }
    Ok(inv)
}

/// Gives each statement its meaning, checking argument counts.
fn interpret(path: &str, stmts: &[Statement]) -> Result<GoMod, CatalogError> {
    let mut m = GoMod::default();
    for s in stmts {
        let bad = |msg: &str| CatalogError::new(path, format!("{}: {msg}", s.verb)).at_line(s.line);
        let nonempty = |a: &String| !a.is_empty();
        match s.verb.as_str() {
            "module" => {
                let [p] = s.args.as_slice() else {
                    return Err(bad("usage: module module/path"));
                };
                if m.module.is_some() {
                    return Err(bad("repeated module statement"));
                }
                if !nonempty(p) {
                    return Err(bad("empty module path"));
                }
                m.module = Some((p.clone(), s.line));
            }
            "go" | "toolchain" => {
                let [v] = s.args.as_slice() else {
                    return Err(bad("expects one argument"));
                };
                let slot = if s.verb == "go" {
                    &mut m.go
                } else {
                    &mut m.toolchain
                };
                if slot.is_some() {
                    return Err(bad("repeated statement"));
                }
                *slot = Some((v.clone(), s.line));
            }
            "require" | "exclude" => {
                let [p, v] = s.args.as_slice() else {
                    return Err(bad("usage: module/path version"));
                };
                if !nonempty(p) || !nonempty(v) {
                    return Err(bad("empty module path or version"));
                }
                if s.verb == "exclude" {
                    m.excludes.push((p.clone(), v.clone()));
                } else {
                    let indirect = s
                        .comment
                        .as_deref()
                        .is_some_and(|c| c == "indirect" || c.starts_with("indirect;"));
                    m.requires.push(Require {
                        path: p.clone(),
                        version: v.clone(),
                        line: s.line,
                        indirect,
                    });
                }
            }
            "replace" => m.replaces.push(replace(&s.args, s.line).ok_or_else(|| {
                bad("usage: module/path [version] => other/module version | ./local/dir")
            })?),
            "retract" | "godebug" | "tool" | "ignore" => {}
            other => {
                return Err(
                    CatalogError::new(path, format!("unknown directive: {other}")).at_line(s.line),
                );
            }
        }
    }
    Ok(m)
}

fn replace(args: &[String], line: u32) -> Option<Replace> {
    let arrow = args.iter().position(|a| a == "=>")?;
    let (old, new) = (&args[..arrow], &args[arrow + 1..]);
    let (old, old_version) = match old {
        [p] => (p, None),
        [p, v] => (p, Some(v.clone())),
        _ => return None,
    };
    let (new, new_version) = match new {
        [p] if is_local_path(p) => (p, None),
        // a directory replacement cannot have a version
        [p, v] if !is_local_path(p) => (p, Some(v.clone())),
        _ => return None,
    };
    if old.is_empty() || new.is_empty() {
        return None;
    }
    Some(Replace {
        old: old.clone(),
        old_version,
        new: new.clone(),
        new_version,
        line,
    })
}

/// A directory replacement target, as `modfile.IsDirectoryPath` defines it.
fn is_local_path(p: &str) -> bool {
    p.starts_with("./")
        || p.starts_with("../")
        || p.starts_with('/')
        || p.starts_with(".\\")
        || p.starts_with("..\\")
        || p == "."
        || p == ".."
        || (p.len() >= 3 && p.as_bytes()[1] == b':' && matches!(p.as_bytes()[2], b'\\' | b'/'))
}

/// The stdlib version and the line it comes from: `toolchain goX.Y.Z[-suffix|+auto]`, else
/// the `go` directive.
fn stdlib_version(m: &GoMod) -> Option<(String, u32)> {
    if let Some((t, line)) = &m.toolchain
        && let Some(v) = t.strip_prefix("go")
    {
        let v = v.split(['-', '+']).next().unwrap_or(v);
        if !v.is_empty() {
            return Some((v.to_string(), *line));
        }
    }
    m.go.clone()
}

/// `module version h1:...` lines (the `version/go.mod` lines are about the go.mod alone).
fn parse_go_sum(text: &str) -> HashMap<(String, String), String> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (m, v, h) = (f.next()?, f.next()?, f.next()?);
            (f.next().is_none() && !v.ends_with("/go.mod") && h.starts_with("h1:"))
                .then(|| ((m.to_string(), v.to_string()), h.to_string()))
        })
        .collect()
}

/// `pkg:golang/<namespace>/<name>[@version]` for a module path.
/// Empty path segments (not valid in a module path anyway) are dropped.
pub fn golang_purl(module: &str, version: Option<&str>) -> Result<Purl, PurlError> {
    let mut segs: Vec<&str> = module.split('/').filter(|s| !s.is_empty()).collect();
    let name = segs.pop().unwrap_or("");
    let mut p = Purl::new("golang", name)?.with_namespace(&segs.join("/"))?;
    if let Some(v) = version {
        p = p.with_version(v);
    }
    Ok(p)
}
