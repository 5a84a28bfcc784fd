#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::os::rpm::header::{Header, tag};
use libfuzzer_sys::fuzz_target;

// RPM: the bytes as a whole database (SQLite / NDB / Berkeley DB by magic) and as one
// header blob with every accessor the cataloger uses.
fuzz_target!(|data: &[u8]| {
    let r = chainproof_source::MemoryResolver::new().with_file("var/lib/rpm/Packages", data);
    let _ = chainproof_catalog::os::RpmDbCataloger.catalog(&r, "var/lib/rpm/Packages");
    if let Ok(h) = Header::parse(data) {
        let _ = h.string(tag::NAME);
        let _ = h.strings(tag::REQUIRENAME);
        let _ = h.int(tag::EPOCH);
        let _ = h.files();
    }
});
