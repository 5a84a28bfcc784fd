#![no_main]
use chainproof_catalog::{Cataloger, npm::PackageLockCataloger};
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Arbitrary bytes as a package-lock.json (with the same bytes as a sibling package.json, so
// the v1 root-dependency path is exercised too): any result is fine, a panic is not.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new()
        .with_file("p/package-lock.json", data)
        .with_file("p/package.json", data);
    if let Ok(inv) = PackageLockCataloger.catalog(&r, "p/package-lock.json") {
        for (from, to) in inv.edges() {
            assert!(from.index() < inv.len() && to.index() < inv.len());
        }
    }
});
