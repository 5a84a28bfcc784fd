#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::python::CondaMetaCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let resolver = MemoryResolver::new()
        .with_file("env/conda-meta/x-1-0.json", data)
        .with_file("env/conda-meta/y-1-0.json", data);
    // Errors are fine; panics are bugs.
    let _ = CondaMetaCataloger.catalog(&resolver, "env/conda-meta/x-1-0.json");
});
