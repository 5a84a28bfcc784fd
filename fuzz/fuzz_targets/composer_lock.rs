#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::php::{ComposerLockCataloger, InstalledJsonCataloger};
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes as a composer.lock (with the same bytes as composer.json) and as an
// installed.json: an inventory or a CatalogError, never a panic.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new()
        .with_file("composer.lock", data)
        .with_file("composer.json", data)
        .with_file("vendor/composer/installed.json", data);
    let _ = ComposerLockCataloger.catalog(&r, "composer.lock");
    let _ = InstalledJsonCataloger.catalog(&r, "vendor/composer/installed.json");
});
