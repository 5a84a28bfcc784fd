#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::hex::gleam::GleamCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes as `manifest.toml` (with a `gleam.toml` of the same bytes next to it) and as a
// lone `gleam.toml`: an inventory or a CatalogError, never a panic.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new()
        .with_file("p/manifest.toml", data)
        .with_file("p/gleam.toml", data)
        .with_file("q/gleam.toml", data);
    let _ = GleamCataloger.catalog(&r, "p/manifest.toml");
    let _ = GleamCataloger.catalog(&r, "q/gleam.toml");
});
