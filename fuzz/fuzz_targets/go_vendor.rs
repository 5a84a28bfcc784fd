#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::golang::vendor::GoVendorCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes as vendor/modules.txt, and the same bytes as the go.mod beside vendor/.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new()
        .with_file("m/vendor/modules.txt", data)
        .with_file("m/go.mod", data);
    let _ = GoVendorCataloger.catalog(&r, "m/vendor/modules.txt");
});
