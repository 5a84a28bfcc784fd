//! The chainproof domain model: what a software artifact contains.
//!
//! * [`Package`] — one component (name, version, purl, ecosystem, scope, licenses, hashes,
//!   locations).
//! * [`Inventory`] — the packages found in a target, the dependency graph between them, and
//!   the files that were seen but could not be understood ([`Unparsed`]).
//!
//! This crate does no I/O. Catalogers build an [`Inventory`] per file; inventories are
//! merged with [`Inventory::merge`], which unifies packages by identity (purl when known).
//!
//! ```
//! use chainproof_core::{Ecosystem, Inventory, Package};
//! let mut inv = Inventory::default();
//! let app = inv.add_package(Package::new(Ecosystem::Npm, "app", Some("1.0.0")));
//! let dep = inv.add_package(Package::new(Ecosystem::Npm, "left-pad", Some("1.3.0")));
//! inv.add_root(app);
//! inv.add_edge(app, dep);
//! assert_eq!(inv.dependencies_of(app).count(), 1);
//! ```
#![forbid(unsafe_code)]

mod ecosystem;
mod inventory;
mod license;
mod package;
pub mod vuln;

pub use ecosystem::Ecosystem;
pub use inventory::{
    ImageInfo, ImageLayer, Inventory, KeyedPackage, PackageId, SourceInfo, Unparsed,
};
pub use license::License;
pub use package::{Hash, HashAlgorithm, Location, Package, PackageKind, Scope};
