//! Queries on an [`Inventory`] for assertions: packages by purl or name, sets of keys, edges
//! as key pairs, roots. A "key" is any `fn(&Package) -> String`: [`id`] (`name@version`),
//! [`purl`] (canonical purl or empty) or [`label`] (purl, else `name@version`).

use std::collections::{BTreeMap, BTreeSet};

use chainproof_core::{HashAlgorithm, Inventory, Package, PackageKind, Scope};

/// A way to name a package in assertions.
pub type Key = fn(&Package) -> String;

/// `name@version` (`name@` without a version).
pub fn id(p: &Package) -> String {
    format!("{}@{}", p.name, p.version.as_deref().unwrap_or(""))
}

/// The canonical purl, or the empty string without one.
pub fn purl(p: &Package) -> String {
    p.purl.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The canonical purl, or `name@version` for a package without one.
pub fn label(p: &Package) -> String {
    match &p.purl {
        Some(u) => u.to_string(),
        None => id(p),
    }
}

/// The package's name.
pub fn name(p: &Package) -> String {
    p.name.clone()
}

/// The set of `key(p)` over the packages.
pub fn keys(inv: &Inventory, key: Key) -> BTreeSet<String> {
    inv.packages().map(|(_, p)| key(p)).collect()
}

/// `name@version` of every package.
pub fn ids(inv: &Inventory) -> BTreeSet<String> {
    keys(inv, id)
}

/// Every purl (packages without one are left out).
pub fn purls(inv: &Inventory) -> BTreeSet<String> {
    inv.packages()
        .filter_map(|(_, p)| p.purl.as_ref().map(ToString::to_string))
        .collect()
}

/// Every edge as a `(key(from), key(to))` pair.
pub fn edges_by(inv: &Inventory, key: Key) -> BTreeSet<(String, String)> {
    inv.edges()
        .map(|(a, b)| (key(inv.package(a)), key(inv.package(b))))
        .collect()
}

/// Every edge as a `(name, name)` pair.
pub fn name_edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    edges_by(inv, name)
}

/// Every edge as a sorted `"key(from) -> key(to)"` line.
pub fn edge_lines(inv: &Inventory, key: Key) -> Vec<String> {
    let mut e: Vec<String> = inv
        .edges()
        .map(|(a, b)| format!("{} -> {}", key(inv.package(a)), key(inv.package(b))))
        .collect();
    e.sort();
    e
}

/// `key` of every root, in the inventory's order.
pub fn roots_by(inv: &Inventory, key: Key) -> Vec<String> {
    inv.roots().map(|r| key(inv.package(r))).collect()
}

/// The package with this purl (by [`Inventory::find`]); panics when it is missing.
pub fn pkg<'a>(inv: &'a Inventory, purl: &str) -> &'a Package {
    inv.package(inv.find(purl).unwrap_or_else(|| panic!("{purl} missing")))
}

/// The first package whose `key` is `want`; panics when there is none.
pub fn find_by<'a>(inv: &'a Inventory, key: Key, want: &str) -> &'a Package {
    inv.packages()
        .map(|(_, p)| p)
        .find(|p| key(p) == want)
        .unwrap_or_else(|| panic!("no package {want}"))
}

/// The first package named `name`; panics when there is none.
pub fn named<'a>(inv: &'a Inventory, name: &str) -> &'a Package {
    inv.packages()
        .map(|(_, p)| p)
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no package {name}"))
}

/// `(key, scope, line of the first location)` of every package, in the inventory's order; a
/// package without a location fails the test (a location without a line counts as line 0).
pub fn summary(inv: &Inventory, key: Key) -> Vec<(String, Scope, u32)> {
    inv.packages()
        .map(|(_, p)| {
            let first = p.locations.first();
            let first = first.unwrap_or_else(|| panic!("{} has no location", p.name));
            (key(p), p.scope, first.line.unwrap_or(0))
        })
        .collect()
}

/// [`summary`], sorted.
pub fn summary_sorted(inv: &Inventory, key: Key) -> Vec<(String, Scope, u32)> {
    let mut v = summary(inv, key);
    v.sort();
    v
}

/// Owned copy of an expected `(key, scope, line)` table.
pub fn rows(v: &[(&str, Scope, u32)]) -> Vec<(String, Scope, u32)> {
    v.iter().map(|(a, b, c)| (a.to_string(), *b, *c)).collect()
}

/// The lines of a package's locations.
pub fn lines(p: &Package) -> Vec<u32> {
    p.locations.iter().filter_map(|l| l.line).collect()
}

/// The value of the package's hash of `algorithm`, if any.
pub fn hash(p: &Package, algorithm: HashAlgorithm) -> Option<&str> {
    p.hashes
        .iter()
        .find(|h| h.algorithm == algorithm)
        .map(|h| h.value.as_str())
}

/// A set of owned strings.
pub fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A set of owned string pairs.
pub fn pairs(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// `key` → scope of every library (non-project) package.
pub fn lib_scopes(inv: &Inventory, key: Key) -> BTreeMap<String, Scope> {
    inv.packages()
        .filter(|(_, p)| p.kind == PackageKind::Library)
        .map(|(_, p)| (key(p), p.scope))
        .collect()
}

/// An owned `key → scope` table.
pub fn scopes(items: &[(&str, Scope)]) -> BTreeMap<String, Scope> {
    items.iter().map(|(n, s)| (n.to_string(), *s)).collect()
}

/// The only root's `key` and the `key`s of its direct dependencies (fails unless there is
/// exactly one root).
pub fn root_deps(inv: &Inventory, key: Key) -> (String, BTreeSet<String>) {
    let roots: Vec<_> = inv.roots().collect();
    assert_eq!(roots.len(), 1);
    let deps = inv
        .dependencies_of(roots[0])
        .map(|d| key(inv.package(d)))
        .collect();
    (key(inv.package(roots[0])), deps)
}

/// `name \t version \t arch` (the purl's `arch` qualifier, or empty) of a package.
pub fn nva_of(p: &Package) -> String {
    let arch = p
        .purl
        .as_ref()
        .and_then(|u| u.qualifier("arch"))
        .unwrap_or("");
    format!("{}\t{}\t{arch}", p.name, p.version.as_deref().unwrap_or(""))
}

/// [`nva_of`] of every package.
pub fn nva(inv: &Inventory) -> BTreeSet<String> {
    keys(inv, nva_of)
}

/// The inventory's only root (fails unless there is exactly one).
pub fn only_root(inv: &Inventory) -> &Package {
    let r: Vec<_> = inv.roots().collect();
    assert_eq!(r.len(), 1);
    inv.package(r[0])
}

/// `(name, version)` of every package, in the inventory's order.
pub fn name_versions(inv: &Inventory) -> Vec<(String, Option<String>)> {
    inv.packages()
        .map(|(_, p)| (p.name.clone(), p.version.clone()))
        .collect()
}
