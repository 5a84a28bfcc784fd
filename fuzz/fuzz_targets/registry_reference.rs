#![no_main]
use chainproof_source::registry::{Platform, Reference};
use libfuzzer_sys::fuzz_target;

// Any string: a reference or a ReferenceError, never a panic; a parsed reference prints to
// a string that parses to the same reference.
fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(r) = Reference::parse(s) {
        let again = Reference::parse(&r.to_string()).expect("a normalized reference parses");
        assert_eq!(again, r);
        let _ = r.endpoint();
        let _ = r.is_loopback();
    }
    let _ = s.parse::<Platform>();
});
