#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::python::PdmLockCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let resolver = MemoryResolver::new()
        .with_file("pdm.lock", data)
        .with_file("pyproject.toml", data);
    // Errors are fine; panics are bugs.
    let _ = PdmLockCataloger.catalog(&resolver, "pdm.lock");
});
