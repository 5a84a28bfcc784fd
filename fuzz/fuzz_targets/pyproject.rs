#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::python::PyprojectCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let resolver = MemoryResolver::new().with_file("pyproject.toml", data);
    // Errors are fine; panics are bugs.
    let _ = PyprojectCataloger.catalog(&resolver, "pyproject.toml");
});
