#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::python::InstalledCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let resolver = MemoryResolver::new()
        .with_file("sp/x-1.dist-info/METADATA", data)
        .with_file("sp/y-1.dist-info/METADATA", data)
        .with_file("sp/x-1.dist-info/direct_url.json", data);
    // Errors are fine; panics are bugs.
    let _ = InstalledCataloger.catalog(&resolver, "sp/x-1.dist-info/METADATA");
});
