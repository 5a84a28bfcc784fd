//! Catalogers: one module per ecosystem/format, each reading files through a
//! [`FileResolver`] and returning an [`Inventory`] with packages, edges and roots.
//!
//! [`registry::all`] is the single list of catalogers; [`catalog`] runs them over a target
//! in parallel and merges the results. A file a cataloger claims but cannot parse is recorded
//! in the inventory as [`chainproof_core::Unparsed`] — never skipped silently.
//!
//! ```no_run
//! use chainproof_catalog::{catalog, registry, CatalogOptions};
//! use chainproof_source::{DirectoryResolver, WalkOptions};
//! let dir = DirectoryResolver::walk(".".as_ref(), &WalkOptions::default()).unwrap();
//! let inv = catalog(&dir, &registry::all(), &CatalogOptions::default());
//! println!("{} packages", inv.len());
//! ```
#![forbid(unsafe_code)]

mod error;
pub mod jsonpos;
pub mod registry;
mod runner;
mod util;

pub mod bun;
pub mod cargo;
pub mod cpp;
pub mod dart;
pub mod dockerfile;
pub mod dotnet;
pub mod embedded_sbom;
pub mod github_actions;
pub mod golang;
pub mod haskell;
pub mod hex;
pub mod java;
pub mod julia;
pub mod node_modules;
pub mod npm;
pub mod os;
pub mod php;
pub mod pnpm;
pub mod python;
pub mod r;
pub mod ruby;
pub mod rust_binary;
pub mod swift;
pub mod yarn;

pub use error::CatalogError;
pub use runner::{
    BINARY_CATALOGERS, CatalogOptions, PROP_OWNED_BY, apply_os_ownership, catalog, link_os_owned,
};

use chainproof_core::Inventory;
use chainproof_source::FileResolver;

/// What a cataloger reads and what it can tell; the source of the supported-formats table
/// in `docs/formats.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogerInfo {
    /// Stable kebab-case name (`cargo-lock`, `npm-package-lock`, ...).
    pub name: &'static str,
    /// The ecosystem, as OSV names it (`crates.io`, `npm`, `PyPI`, `Go`, ...).
    pub ecosystem: &'static str,
    /// The files it claims, for people (Markdown).
    pub files: &'static str,
    /// Records dependency edges.
    pub edges: bool,
    /// Records licenses.
    pub licenses: bool,
    /// Tells dev / optional from runtime.
    pub scopes: bool,
    /// Records content hashes.
    pub hashes: bool,
}

/// Reads one kind of file into packages and their dependency graph.
///
/// Implementations never touch `std::fs`: every read goes through the resolver, so the
/// same cataloger runs on a directory, an archive or an image.
pub trait Cataloger: Send + Sync {
    /// What it reads and records.
    fn info(&self) -> &'static CatalogerInfo;

    /// Stable kebab-case name (`cargo-lock`, `npm-package-lock`, ...).
    fn name(&self) -> &'static str {
        self.info().name
    }

    /// Cheap check on the path alone: is this file mine?
    fn matches(&self, path: &str) -> bool;

    /// Parses one matched file (reading sibling files through `resolver` if the format needs
    /// them). Errors name the file and the place.
    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError>;
}
