#![no_main]
use chainproof_catalog::Cataloger;
use libfuzzer_sys::fuzz_target;

// dpkg status (and the same bytes as an opkg status and a distroless status.d entry).
fuzz_target!(|data: &[u8]| {
    let r = chainproof_source::MemoryResolver::new()
        .with_file("var/lib/dpkg/status", data)
        .with_file("var/lib/dpkg/status.d/pkg", data)
        .with_file("usr/lib/opkg/status", data);
    let _ = chainproof_catalog::os::DpkgCataloger.catalog(&r, "var/lib/dpkg/status");
    let _ = chainproof_catalog::os::DpkgCataloger.catalog(&r, "var/lib/dpkg/status.d/pkg");
    let _ = chainproof_catalog::os::OpkgCataloger.catalog(&r, "usr/lib/opkg/status");
});
