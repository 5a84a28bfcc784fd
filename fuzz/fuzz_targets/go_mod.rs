#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::golang::GoModCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes as go.mod, and the same bytes as its go.sum: an inventory or a CatalogError,
// never a panic.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new()
        .with_file("m/go.mod", data)
        .with_file("m/go.sum", data);
    let _ = GoModCataloger.catalog(&r, "m/go.mod");
});
