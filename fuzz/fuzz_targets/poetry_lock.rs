#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::python::PoetryLockCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The same bytes also as pyproject.toml, so the root-project reader is exercised.
    let resolver = MemoryResolver::new()
        .with_file("poetry.lock", data)
        .with_file("pyproject.toml", data);
    // Errors are fine; panics are bugs.
    let _ = PoetryLockCataloger.catalog(&resolver, "poetry.lock");
});
