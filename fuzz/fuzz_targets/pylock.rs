#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::python::PylockCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let resolver = MemoryResolver::new().with_file("pylock.toml", data);
    // Errors are fine; panics are bugs.
    let _ = PylockCataloger.catalog(&resolver, "pylock.toml");
});
