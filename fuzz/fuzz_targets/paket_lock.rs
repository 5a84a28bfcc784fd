#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::dotnet::PaketLockCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes: an inventory or a CatalogError, never a panic.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new().with_file("paket.lock", data);
    let _ = PaketLockCataloger.catalog(&r, "paket.lock");
});
