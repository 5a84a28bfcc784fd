#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::python::RequirementsCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The same bytes as the file and as an include target, so `-r`/`-c` paths get exercised.
    let resolver = MemoryResolver::new()
        .with_file("requirements.txt", data)
        .with_file("sub/other.txt", data);
    // Errors are fine; panics are bugs.
    let _ = RequirementsCataloger.catalog(&resolver, "requirements.txt");
});
