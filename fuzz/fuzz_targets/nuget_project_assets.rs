#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::dotnet::ProjectAssetsCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes: an inventory or a CatalogError, never a panic.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new().with_file("project.assets.json", data);
    let _ = ProjectAssetsCataloger.catalog(&r, "project.assets.json");
});
