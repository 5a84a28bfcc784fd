//! A `go.sum` on its own (no `go.mod` beside it: then the `go-mod` cataloger reads it for
//! `h1:` sums and this one returns an empty inventory, so packages are not listed twice).
//!
//! * Lines are `module version h1:hash` (the module's files) or `module version/go.mod
//!   h1:hash` (its go.mod alone, recorded when Go read the go.mod during version selection).
//! * One package per `module@version` with a full line, purl `pkg:golang/<path>@<version>`,
//!   its hash as `chainproof:go:h1`, located at that line.
//! * `/go.mod`-only entries: versions of a module that also has a full entry at another
//!   version are skipped (they were only consulted while selecting versions, not built).
//!   A module with *only* `/go.mod` entries is listed, each such version carrying
//!   `chainproof:go:h1-go-mod` instead of `chainproof:go:h1` (go.sum cannot tell whether
//!   its code is needed).
//! * No root and no edges: go.sum does not say who requires what.
//! * A line that is not blank and not `module version hash` is an error with its line, as
//!   for `go` itself; at most [`MAX_LINES`] lines are read.

use std::collections::{BTreeMap, HashSet};

use chainproof_core::{Ecosystem, Inventory, Location, Package};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use super::{PROP_H1, golang_purl};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// The go.mod hash of a module listed only by `/go.mod` lines.
pub const PROP_H1_GO_MOD: &str = "chainproof:go:h1-go-mod";
/// Most lines read from one go.sum.
pub const MAX_LINES: usize = 1_000_000;

/// Reads `go.sum` files that have no sibling `go.mod`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GoSumCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "go-sum",
    ecosystem: "Go",
    files: "`go.sum` without a `go.mod` beside it",
    edges: false,
    licenses: false,
    scopes: false,
    hashes: false,
};

impl Cataloger for GoSumCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "go.sum"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let has_go_mod =
            join_relative(parent_dir(path), "go.mod").is_some_and(|p| resolver.exists(&p));
        if has_go_mod {
            return Ok(Inventory::default());
        }
        let text = resolver.read_to_string(path)?;
        parse_go_sum_file(path, &text)
    }
}

struct Entry {
    line: u32,
    h1: Option<String>,
    go_mod_h1: Option<String>,
}

/// Parses the text of a go.sum (see the module docs); `path` names it in errors/locations.
pub fn parse_go_sum_file(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    // (module, version) → entry; `order` keeps the order of first appearance.
    let mut entries: BTreeMap<(String, String), Entry> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if i >= MAX_LINES {
            return Err(CatalogError::new(path, "too many lines").at_line(n));
        }
        let mut f = line.split_whitespace();
        let Some(module) = f.next() else { continue };
        let (Some(version), Some(hash), None) = (f.next(), f.next(), f.next()) else {
            return Err(
                CatalogError::new(path, "malformed line: expected `module version hash`")
                    .at_line(n),
            );
        };
        let (version, go_mod) = match version.strip_suffix("/go.mod") {
            Some(v) => (v, true),
            None => (version, false),
        };
        if version.is_empty() {
            return Err(CatalogError::new(path, "empty version").at_line(n));
        }
        let key = (module.to_string(), version.to_string());
        let e = entries.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            Entry {
                line: n,
                h1: None,
                go_mod_h1: None,
            }
        });
        if go_mod {
            e.go_mod_h1.get_or_insert_with(|| hash.to_string());
        } else if e.h1.is_none() {
            e.h1 = Some(hash.to_string());
            e.line = n;
        }
    }
    let with_full: HashSet<&str> = entries
        .iter()
        .filter(|(_, e)| e.h1.is_some())
        .map(|((m, _), _)| m.as_str())
        .collect();

    let mut inv = Inventory::default();
    for key in &order {
        let Some(e) = entries.get(key) else { continue };
        let (module, version) = key;
        let prop = match (&e.h1, &e.go_mod_h1) {
            (Some(h), _) => (PROP_H1, h),
            (None, Some(_)) if with_full.contains(module.as_str()) => continue,
            (None, Some(h)) => (PROP_H1_GO_MOD, h),
            (None, None) => continue,
        };
        let purl = golang_purl(module, Some(version)).map_err(|err| {
            CatalogError::new(path, format!("invalid module path: {err}")).at_line(e.line)
        })?;
        let p = Package::new(Ecosystem::Go, module.as_str(), Some(version))
            .with_purl(purl)
            .with_location(Location::new(path).with_line(e.line))
            .with_property(prop.0, prop.1.as_str());
        inv.add_package(p);
    }
    Ok(inv)
}
