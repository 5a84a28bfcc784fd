#![no_main]
use chainproof_catalog::golang::buildinfo::parse_go_binary;
use libfuzzer_sys::fuzz_target;

// Any bytes as an executable; also behind each binary magic so the object parsers and the
// build-info decoder see them. Seed the corpus with tests/fixtures/gobin/hello-*.
fuzz_target!(|data: &[u8]| {
    let _ = parse_go_binary("bin", data);
    for magic in [&b"\x7fELF\x02\x01\x01"[..], b"MZ", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"] {
        let mut d = magic.to_vec();
        d.extend_from_slice(data);
        let _ = parse_go_binary("bin", &d);
    }
});
