//! `vendor/modules.txt` (written by `go mod vendor`) → the vendored modules.
//!
//! * `# path version` starts a module; `# path version => new newversion` and
//!   `# path version => ./dir` are replaced modules, recorded as the `go-mod` cataloger does
//!   (module replacement → the new module; directory replacement → the old path without
//!   version, `source` = directory; both with `chainproof:go:replaces=<path>@<version>`).
//!   `# path => ...` lines without a version are the wildcard or unused replacements Go
//!   appends at the end; they name no module of the build and are skipped.
//! * `## explicit[; go 1.xx]` marks a module the main go.mod requires (`// indirect`
//!   requirements included, since Go 1.17): `chainproof:go:explicit=true`; a vendored
//!   module without it is a transitive one: `chainproof:go:indirect=true`. The `go`
//!   version, when given, is `chainproof:go:version`.
//! * Package lines (import paths) under a module: `chainproof:go:packages`, comma-separated.
//! * Root: the main module of `../go.mod` (beside the `vendor` directory) when it exists and
//!   parses; then edges root → every vendored module (flat, as go.mod lists them). Without
//!   it, the modules are listed with no root and no edges.
//! * Any other line, or a package line before the first module, is an error with its line.

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageId};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use super::{PROP_GO_VERSION, PROP_INDIRECT, PROP_REPLACES, golang_purl, is_local_path, parse_go_mod};
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
    // Whether `##` and package lines currently belong to a module (false after a
    // versionless replacement line).
    let mut in_module = false;
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if i >= MAX_LINES {
            return Err(CatalogError::new(path, "too many lines").at_line(n));
        }
        let bad = |m: &str| CatalogError::new(path, m.to_string()).at_line(n);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(ann) = line.strip_prefix("##") {
            if !in_module {
                continue;
            }
            let Some(m) = modules.last_mut() else { continue };
            for a in ann.split(';').map(str::trim) {
                if a == "explicit" {
                    m.explicit = true;
                } else if let Some(v) = a.strip_prefix("go ") {
                    m.go = Some(v.trim().to_string());
                }
            }
        } else if let Some(rest) = line.strip_prefix('#') {
            let f: Vec<&str> = rest.split_whitespace().collect();
            let pkg = match f.as_slice() {
                [p, v] => Some(
                    Package::new(Ecosystem::Go, *p, Some(v))
                        .with_purl(golang_purl(p, Some(v)).map_err(|e| bad(&e.to_string()))?),
                ),
                [p, v, "=>", dir] if is_local_path(dir) => Some(
                    Package::new(Ecosystem::Go, *p, None)
                        .with_purl(golang_purl(p, None).map_err(|e| bad(&e.to_string()))?)
                        .with_source(*dir)
                        .with_property(PROP_REPLACES, format!("{p}@{v}")),
                ),
                [p, v, "=>", np, nv] => Some(
                    Package::new(Ecosystem::Go, *np, Some(nv))
                        .with_purl(golang_purl(np, Some(nv)).map_err(|e| bad(&e.to_string()))?)
                        .with_property(PROP_REPLACES, format!("{p}@{v}")),
                ),
                // Wildcard / unused replacements (`# old => new [v]`).
                [_, "=>", ..] => None,
                _ => return Err(bad("malformed module line")),
            };
            in_module = pkg.is_some();
            if let Some(pkg) = pkg {
                modules.push(Module {
                    pkg: pkg.with_location(Location::new(path).with_line(n)),
                    explicit: false,
                    go: None,
                    packages: Vec::new(),
                });
            }
        } else {
            if line.contains(char::is_whitespace) {
                return Err(bad("malformed package line"));
            }
            match modules.last_mut() {
                Some(m) if in_module => m.packages.push(line.to_string()),
                _ => return Err(bad("package line before any module")),
            }
        }
    }

    let mut inv = Inventory::default();
    let root = go_mod.and_then(|(p, t)| main_module(p, t)).map(|pkg| {
        let id = inv.add_package(pkg);
        inv.add_root(id);
        id
    });
    for m in modules {
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

/// The root package of the main go.mod (the `go-mod` cataloger's own), if it parses.
fn main_module(path: &str, text: &str) -> Option<Package> {
    let inv = parse_go_mod(path, text, None).ok()?;
    let root: PackageId = inv.roots().next()?;
    Some(inv.package(root).clone())
}
