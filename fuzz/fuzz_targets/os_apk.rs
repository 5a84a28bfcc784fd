#![no_main]
use chainproof_catalog::Cataloger;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let r = chainproof_source::MemoryResolver::new().with_file("lib/apk/db/installed", data);
    let _ = chainproof_catalog::os::ApkDbCataloger.catalog(&r, "lib/apk/db/installed");
});
