//! Public and private key loading (PEM and DER, SPKI/PKCS#1/PKCS#8/SEC1, encrypted PKCS#8)
//! on arbitrary bytes. The passphrase callback returns a fixed value.
#![no_main]
use chainproof_crypto::{PrivateKey, PublicKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(k) = PublicKey::from_pem_or_der(data) {
        let again = PublicKey::from_pem(k.to_pem().as_bytes()).expect("re-read");
        assert_eq!(again.spki_der(), k.spki_der());
        let _ = k.verify_default(b"m", b"s");
    }
    let _ = PrivateKey::from_pem_or_der(data, &mut || Ok(zeroize::Zeroizing::new(b"x".to_vec())));
});
