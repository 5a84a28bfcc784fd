#![no_main]
use chainproof_catalog::Cataloger;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let r = chainproof_source::MemoryResolver::new().with_file("bun.lock", data);
    let _ = chainproof_catalog::bun::BunLockCataloger.catalog(&r, "bun.lock");
});
