#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::ruby::GemfileLockCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes (after a NUL byte, if any: a Gemfile beside the lock): an inventory or a
// CatalogError, never a panic.
fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (lock, gemfile) = data.split_at(split);
    let r = MemoryResolver::new()
        .with_file("app/Gemfile.lock", lock)
        .with_file("app/Gemfile", gemfile);
    let _ = GemfileLockCataloger.catalog(&r, "app/Gemfile.lock");
});
