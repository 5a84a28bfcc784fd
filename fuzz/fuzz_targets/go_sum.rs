#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::golang::gosum::GoSumCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes as a go.sum without a go.mod beside it: an inventory or a CatalogError.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new().with_file("m/go.sum", data);
    let _ = GoSumCataloger.catalog(&r, "m/go.sum");
});
