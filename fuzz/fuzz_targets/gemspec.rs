#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::ruby::GemspecCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes as an installed gemspec: an inventory or a CatalogError, never a panic.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new()
        .with_file("specifications/a-1.0.gemspec", data)
        .with_file("specifications/rack-2.2.3.gemspec", "")
        .with_file("specifications/default/json-2.6.1.gemspec", "");
    let _ = GemspecCataloger.catalog(&r, "specifications/a-1.0.gemspec");
});
