//! SBOM documents found inside the target (`*.cdx.json`, `*.spdx.json`, `bom.json`,
//! `sbom.json`, `*.bom.json`) → the packages they list.
//!
//! This crate does not depend on `chainproof-sbom` (the two are siblings), so decoding is
//! delegated to an [`SbomReader`] supplied by the caller: the `chainproof` binary wires in
//! `chainproof_sbom::decode`. Without a reader the cataloger is not registered (see
//! [`crate::registry::all_with`]).
//!
//! Every package read from an embedded SBOM gets `chainproof:embedded-sbom=<path>` and, when
//! the document gave it no location, the SBOM file as its location. The document's own
//! edges and roots are kept. A document the reader rejects is an error naming the file.

use std::sync::Arc;

use chainproof_core::{Inventory, Location};
use chainproof_source::{FileResolver, file_name};

use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Property naming the SBOM file a package was read from.
pub const PROP_EMBEDDED_SBOM: &str = "chainproof:embedded-sbom";

/// Decodes an SBOM document (CycloneDX or SPDX) into an inventory.
pub trait SbomReader: Send + Sync {
    /// `path` is for messages; an error is a human-readable message (with the place).
    fn read(&self, bytes: &[u8], path: &str) -> Result<Inventory, String>;
}

/// Reads SBOM documents embedded in the target through an [`SbomReader`].
#[derive(Clone)]
pub struct EmbeddedSbomCataloger {
    reader: Arc<dyn SbomReader>,
}

impl std::fmt::Debug for EmbeddedSbomCataloger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedSbomCataloger")
            .finish_non_exhaustive()
    }
}

impl EmbeddedSbomCataloger {
    pub fn new(reader: Arc<dyn SbomReader>) -> Self {
        EmbeddedSbomCataloger { reader }
    }
}

/// What the embedded-SBOM cataloger reads (for the formats table, which is built without a
/// reader).
pub static INFO: CatalogerInfo = CatalogerInfo {
    name: "embedded-sbom",
    ecosystem: "(any)",
    files: "`*.cdx.json`, `*.spdx.json`, `*.bom.json`, `bom.json`, `sbom.json` (SBOMs inside the target)",
    edges: true,
    licenses: true,
    scopes: true,
    hashes: true,
};

/// `true` for the file names that conventionally hold an SBOM.
pub fn is_sbom_file(path: &str) -> bool {
    let n = file_name(path).to_ascii_lowercase();
    n == "bom.json"
        || n == "sbom.json"
        || n.ends_with(".cdx.json")
        || n.ends_with(".spdx.json")
        || n.ends_with(".bom.json")
}

impl Cataloger for EmbeddedSbomCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        is_sbom_file(path)
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let bytes = resolver.read(path)?;
        read_embedded(self.reader.as_ref(), &bytes, path)
    }
}

/// Reads one SBOM through `reader` and marks its packages as coming from `path`.
pub fn read_embedded(
    reader: &dyn SbomReader,
    bytes: &[u8],
    path: &str,
) -> Result<Inventory, CatalogError> {
    let mut inv = reader
        .read(bytes, path)
        .map_err(|msg| CatalogError::new(path, msg))?;
    let ids: Vec<_> = inv.packages().map(|(id, _)| id).collect();
    for id in ids {
        let p = inv.package_mut(id);
        p.properties
            .insert(PROP_EMBEDDED_SBOM.to_string(), path.to_string());
        if p.locations.is_empty() {
            p.locations.push(Location::new(path));
        }
    }
    Ok(inv)
}
