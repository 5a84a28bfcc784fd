#![no_main]
use std::sync::Arc;

use chainproof_catalog::Cataloger;
use chainproof_catalog::embedded_sbom::{EmbeddedSbomCataloger, SbomReader};
use chainproof_core::Inventory;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

/// The reader the binary wires in: chainproof-sbom's decoder.
struct Decode;

impl SbomReader for Decode {
    fn read(&self, bytes: &[u8], path: &str) -> Result<Inventory, String> {
        chainproof_sbom::decode(bytes, path)
            .map(|d| d.inventory)
            .map_err(|e| e.to_string())
    }
}

// Any bytes: an inventory or a CatalogError, never a panic.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new().with_file("bom.json", data);
    let _ = EmbeddedSbomCataloger::new(Arc::new(Decode)).catalog(&r, "bom.json");
});
