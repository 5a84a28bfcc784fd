//! `vendor/modules.txt` (written by `go mod vendor`) → the vendored modules.
//!
//! Read the way Go's own reader (`modload.readVendorList`) reads it, leniently:
//!
//! * `# path version` starts a module (`pkg:golang/<path>@<version>`, located at the line;
//!   a repeated header is the same module). `# path version => new newversion` and
//!   `# path version => ./dir` are replaced modules, recorded as the `go-mod` cataloger does
//!   (module replacement → the new module; directory replacement → the old path without
//!   version, `source` = directory; both with `chainproof:go:replaces=<path>@<version>`).
//! * `# path => ...` (no version) is a wildcard replacement from go.mod: listed (with
//!   `chainproof:go:replaces=<path>@*`) only when package lines follow it; Go appends the
//!   unused ones at the end of the file without packages.
//! * `## explicit[; go 1.xx]` marks a module the main go.mod requires (`// indirect`
//!   requirements included, since Go 1.17): `chainproof:go:explicit=true`; a vendored
//!   module without it is a transitive one: `chainproof:go:indirect=true`. The `go`
//!   version, when given, is `chainproof:go:version`. Other annotations are ignored.
//! * Package lines (one import path) under a module: `chainproof:go:packages`,
//!   comma-separated.
//! * Root: the main module of `../go.mod` (beside the `vendor` directory) when it exists and
//!   parses; then edges root → every vendored module (flat, as go.mod lists them). Without
//!   it, the modules are listed with no root and no edges.
//! * Like Go, lines it cannot interpret (a header without a valid version, `##` or package
//!   lines before any module, lines with several fields) are ignored; at most
//!   [`MAX_LINES`] lines are read.

use std::collections::HashMap;

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageId};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use super::{PROP_GO_VERSION, PROP_INDIRECT, PROP_REPLACES, golang_purl, parse_go_mod};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// The module is required by the main go.mod (`## explicit`).
pub const PROP_EXPLICIT: &str = "chainproof:go:explicit";
/// The vendored packages (import paths) of a module, comma-separated.
pub const PROP_PACKAGES: &str = "chainproof:go:packages";
/// Most lines read from one modules.txt.
pub const MAX_LINES: usize = 1_000_000;

/// Reads `vendor/modules.txt`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GoVendorCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "go-vendor",
    ecosystem: "Go",
    files: "`vendor/modules.txt` (+ `go.mod` beside `vendor/` for the root)",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: false,
};

impl Cataloger for GoVendorCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "modules.txt" && file_name(parent_dir(path)) == "vendor"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let go_mod = join_relative(parent_dir(path), "../go.mod")
            .filter(|p| resolver.exists(p))
            .and_then(|p| Some((resolver.read_to_string(&p).ok()?, p)));
        parse_modules_txt(
            path,
            &text,
            go_mod.as_ref().map(|(t, p)| (p.as_str(), t.as_str())),
        )
    }
}

struct Module {
    pkg: Package,
    /// From a `# path version` line (not a wildcard replacement `# path => ...`).
    versioned: bool,
    explicit: bool,
    go: Option<String>,
    packages: Vec<String>,
}

/// Parses a modules.txt; `go_mod` is `(path, text)` of the main module's go.mod, if known.
pub fn parse_modules_txt(
    path: &str,
    text: &str,
    go_mod: Option<(&str, &str)>,
) -> Result<Inventory, CatalogError> {
    let mut modules: Vec<Module> = Vec::new();
    // (path, version) → index in `modules`: a module header may repeat.
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    // The module that `##` and package lines belong to (None: ignore them, as Go does).
    let mut current: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if i >= MAX_LINES {
            return Err(CatalogError::new(path, "too many lines").at_line(n));
        }
        let purl_err = |e: chainproof_purl::PurlError| {
            CatalogError::new(path, format!("invalid module path: {e}")).at_line(n)
        };
        if let Some(rest) = line.strip_prefix("# ") {
            current = None;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let (p, v, rep) = match f.as_slice() {
                [p, v, rep @ ..] if is_version(v) => (*p, Some(*v), rep),
                [p, rep @ ..] if rep.first() == Some(&"=>") => (*p, None, rep),
                _ => continue,
            };
            let original = format!("{p}@{}", v.unwrap_or("*"));
            let pkg = match rep {
                ["=>", dir] => Package::new(Ecosystem::Go, p, None)
                    .with_purl(golang_purl(p, None).map_err(purl_err)?)
                    .with_source(*dir)
                    .with_property(PROP_REPLACES, original),
                ["=>", np, nv] if is_version(nv) => Package::new(Ecosystem::Go, *np, Some(nv))
                    .with_purl(golang_purl(np, Some(nv)).map_err(purl_err)?)
                    .with_property(PROP_REPLACES, original),
                // No replacement, or one Go does not understand either.
                _ => match v {
                    Some(v) => Package::new(Ecosystem::Go, p, Some(v))
                        .with_purl(golang_purl(p, Some(v)).map_err(purl_err)?),
                    None => continue,
                },
            };
            let key = (p.to_string(), v.unwrap_or("").to_string());
            let idx = *index.entry(key).or_insert_with(|| {
                modules.push(Module {
                    pkg: pkg.with_location(Location::new(path).with_line(n)),
                    versioned: v.is_some(),
                    explicit: false,
                    go: None,
                    packages: Vec::new(),
                });
                modules.len() - 1
            });
            current = Some(idx);
            continue;
        }
        let Some(m) = current.and_then(|c| modules.get_mut(c)) else {
            continue;
        };
        if let Some(ann) = line.strip_prefix("## ") {
            for a in ann.split(';').map(str::trim) {
                if a == "explicit" {
                    m.explicit = true;
                } else if let Some(v) = a.strip_prefix("go ") {
                    m.go = Some(v.trim().to_string());
                }
            }
        } else if let [pkg] = line.split_whitespace().collect::<Vec<_>>().as_slice() {
            m.packages.push(pkg.to_string());
        }
    }

    let mut inv = Inventory::default();
    let root = go_mod.and_then(|(p, t)| main_module(p, t)).map(|pkg| {
        let id = inv.add_package(pkg);
        inv.add_root(id);
        id
    });
    for m in modules {
        // A wildcard replacement provides a module of the build only if it has packages.
        if !m.versioned && m.packages.is_empty() {
            continue;
        }
        let mut pkg = m.pkg;
        pkg = if m.explicit {
            pkg.with_property(PROP_EXPLICIT, "true")
        } else {
            pkg.with_property(PROP_INDIRECT, "true")
        };
        if let Some(go) = m.go {
            pkg = pkg.with_property(PROP_GO_VERSION, go);
        }
        if !m.packages.is_empty() {
            pkg = pkg.with_property(PROP_PACKAGES, m.packages.join(", "));
        }
        let id = inv.add_package(pkg);
        if let Some(r) = root {
            inv.add_edge(r, id);
        }
    }
    Ok(inv)
}

/// A version as Go's `semver.IsValid` roughly sees it: `v` and a digit.
fn is_version(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 2 && b[0] == b'v' && b[1].is_ascii_digit()
}

/// The root package of the main go.mod (the `go-mod` cataloger's own), if it parses.
fn main_module(path: &str, text: &str) -> Option<Package> {
    let inv = parse_go_mod(path, text, None).ok()?;
    let root: PackageId = inv.roots().next()?;
    Some(inv.package(root).clone())
}
