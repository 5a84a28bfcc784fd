#![no_main]
//! Parses arbitrary strings with every version scheme: parsing must never
//! panic; when two halves of the input both parse, comparison must be
//! antisymmetric, agree with `==`, and normalization must round-trip.
use chainproof_version::Scheme;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Split at the first newline into two candidate versions.
    let (a, b) = text.split_once('\n').unwrap_or((&text, ""));
    for &scheme in Scheme::ALL {
        let va = scheme.parse(a);
        let vb = scheme.parse(b);
        if let Ok(v) = &va {
            let again = scheme
                .parse(&v.to_string())
                .expect("normalized form parses");
            assert_eq!(&again, v, "{scheme}: {a:?} -> {v}");
        }
        if let (Ok(x), Ok(y)) = (&va, &vb) {
            let xy = x.partial_cmp(y).expect("same scheme");
            let yx = y.partial_cmp(x).expect("same scheme");
            assert_eq!(xy, yx.reverse(), "{scheme}: {a:?} vs {b:?}");
            assert_eq!(x == y, xy.is_eq());
            assert_eq!(chainproof_version::compare(scheme, a, b).ok(), Some(xy));
        }
    }
});
