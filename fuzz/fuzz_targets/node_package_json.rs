#![no_main]
use chainproof_catalog::Cataloger;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let r = chainproof_source::MemoryResolver::new().with_file("node_modules/x/package.json", data);
    let _ = chainproof_catalog::node_modules::InstalledPackageCataloger
        .catalog(&r, "node_modules/x/package.json");
});
