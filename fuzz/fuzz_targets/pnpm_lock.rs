#![no_main]
use chainproof_catalog::{Cataloger, pnpm::PnpmLockCataloger};
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Arbitrary bytes as a pnpm-lock.yaml (with the same bytes as the root package.json, so the
// project-name path is exercised too): any result is fine, a panic is not.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new()
        .with_file("p/pnpm-lock.yaml", data)
        .with_file("p/package.json", data);
    if let Ok(inv) = PnpmLockCataloger.catalog(&r, "p/pnpm-lock.yaml") {
        for (from, to) in inv.edges() {
            assert!(from.index() < inv.len() && to.index() < inv.len());
        }
    }
});
