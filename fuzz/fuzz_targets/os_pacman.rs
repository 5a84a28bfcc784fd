#![no_main]
use chainproof_catalog::Cataloger;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let desc = "var/lib/pacman/local/p-1-1/desc";
    let r = chainproof_source::MemoryResolver::new()
        .with_file(desc, data)
        .with_file("var/lib/pacman/local/p-1-1/files", data);
    let _ = chainproof_catalog::os::PacmanCataloger.catalog(&r, desc);
});
