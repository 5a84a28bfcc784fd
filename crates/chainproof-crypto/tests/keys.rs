//! Key generation, loading, sign/verify round trips and tamper checks.

use chainproof_crypto::{
    CryptoError, KeyAlgorithm, PrivateKey, PublicKey, SignatureAlgorithm, Signer, cosign,
};
use proptest::prelude::*;
use zeroize::Zeroizing;

const ALGS: [KeyAlgorithm; 3] = [
    KeyAlgorithm::EcdsaP256,
    KeyAlgorithm::EcdsaP384,
    KeyAlgorithm::Ed25519,
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn pass(p: &'static [u8]) -> impl FnMut() -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    move || Ok(Zeroizing::new(p.to_vec()))
}

fn no_pass() -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    panic!("the passphrase must not be asked for an unencrypted key")
}

#[test]
fn sign_verify_round_trip_each_key_type() {
    for alg in ALGS {
        let key = PrivateKey::generate(alg).expect("generate");
        let msg = b"hello chainproof";
        let sig = key.sign(msg).expect("sign");
        let public_pem = key.public_key().to_pem();
        assert!(
            public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"),
            "{alg}"
        );
        let public = PublicKey::from_pem(public_pem.as_bytes()).expect("public PEM");
        assert_eq!(public.key_id(), key.key_id());
        assert_eq!(public.key_id().len(), 64);
        public.verify(key.algorithm(), msg, &sig).expect("verifies");
        assert_eq!(
            public.verify_default(msg, &sig).expect("default"),
            key.algorithm()
        );
        assert!(
            public
                .verify(key.algorithm(), b"hello chainproog", &sig)
                .is_err(),
            "{alg}"
        );
        // The PKCS#8 PEM reloads to the same key.
        let pem = key.to_pkcs8_pem().expect("pem");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        let again = PrivateKey::from_pem_or_der(pem.as_bytes(), &mut no_pass).expect("reload");
        assert_eq!(again.key_id(), key.key_id());
        let der = key.to_pkcs8_der().expect("der");
        let again = PrivateKey::from_pem_or_der(&der, &mut no_pass).expect("reload DER");
        assert_eq!(again.key_id(), key.key_id());
        // Debug never shows key material.
        let dbg = format!("{key:?}");
        assert!(
            dbg.contains(&key.key_id()) && !dbg.contains("BEGIN"),
            "{dbg}"
        );
    }
}

#[test]
fn wrong_key_and_wrong_algorithm_are_rejected() {
    let a = PrivateKey::generate(KeyAlgorithm::EcdsaP256).expect("a");
    let b = PrivateKey::generate(KeyAlgorithm::EcdsaP256).expect("b");
    let sig = a.sign(b"m").expect("sign");
    assert!(matches!(
        b.public_key()
            .verify(SignatureAlgorithm::EcdsaP256Sha256, b"m", &sig),
        Err(CryptoError::BadSignature)
    ));
    assert!(matches!(
        a.public_key()
            .verify(SignatureAlgorithm::Ed25519, b"m", &sig),
        Err(CryptoError::AlgorithmMismatch { .. })
    ));
}

#[test]
fn encrypted_pkcs8_round_trip() {
    for alg in ALGS {
        let key = PrivateKey::generate(alg).expect("generate");
        let pem = key
            .to_encrypted_pkcs8_pem(b"correct horse")
            .expect("encrypt");
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        let again = PrivateKey::from_pem_or_der(pem.as_bytes(), &mut pass(b"correct horse"))
            .expect("decrypt");
        assert_eq!(again.key_id(), key.key_id());
        let err = PrivateKey::from_pem_or_der(pem.as_bytes(), &mut pass(b"wrong"))
            .expect_err("wrong passphrase");
        assert!(matches!(err, CryptoError::Passphrase(_)), "{err}");
    }
}

#[test]
fn cosign_key_round_trip() {
    let key = PrivateKey::generate(KeyAlgorithm::EcdsaP256).expect("generate");
    let pem = key.to_cosign_pem(b"pw").expect("cosign");
    assert!(pem.starts_with("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
    let again = PrivateKey::from_pem_or_der(pem.as_bytes(), &mut pass(b"pw")).expect("decrypt");
    assert_eq!(again.key_id(), key.key_id());
    assert!(PrivateKey::from_pem_or_der(pem.as_bytes(), &mut pass(b"pw2")).is_err());
    // Hostile parameters are refused before any work is done.
    let json = br#"{"kdf":{"name":"scrypt","params":{"N":1099511627776,"r":8,"p":1},"salt":"AAAA"},"cipher":{"name":"nacl/secretbox","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},"ciphertext":"AAAA"}"#;
    assert!(matches!(
        cosign::decrypt(json, b"x"),
        Err(CryptoError::Unsupported(_))
    ));
}

#[test]
fn loads_corpus_public_keys() {
    // in-toto demo keys: RSA 3072 SPKI PEM.
    for name in ["alice.pub", "bob.pub", "carl.pub"] {
        let k = PublicKey::from_pem_or_der(&fixture(name)).expect(name);
        assert_eq!(k.kind().as_str(), "rsa", "{name}");
    }
    let k = PublicKey::from_pem_or_der(&fixture("conformance-managed-key.pub"))
        .expect("conformance key");
    assert_eq!(k.kind().as_str(), "ecdsa-p256");
    // Re-encoding is stable.
    let again = PublicKey::from_pem(k.to_pem().as_bytes()).expect("re-read");
    assert_eq!(again.spki_der(), k.spki_der());
    // danny.pub is a securesystemslib JSON key, not PEM.
    assert!(PublicKey::from_pem_or_der(&fixture("danny.pub")).is_err());
}

#[test]
fn cosign_fixture_from_python_if_present() {
    // Generated by tests/interop/gen_interop.py with hashlib.scrypt + PyNaCl (independent code).
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let Ok(pem) = std::fs::read(format!("{dir}/cosign-p256.key")) else {
        panic!("cosign-p256.key fixture missing (run tests/interop/gen_interop.py)");
    };
    let key =
        PrivateKey::from_pem_or_der(&pem, &mut pass(b"interop-passphrase")).expect("cosign key");
    let public = PublicKey::from_pem(&fixture("cosign-p256.pub")).expect("pub");
    assert_eq!(key.key_id(), public.key_id());
    let sig = key.sign(b"x").expect("sign");
    public.verify_default(b"x", &sig).expect("verify");
    let enc = fixture("pkcs8-encrypted-p384.pem");
    let key = PrivateKey::from_pem_or_der(&enc, &mut pass(b"interop-passphrase"))
        .expect("PBES2 from cryptography");
    assert_eq!(key.public_key().kind().as_str(), "ecdsa-p384");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn flipping_any_byte_breaks_the_signature(
        alg_ix in 0usize..3, msg in proptest::collection::vec(any::<u8>(), 1..200),
        pos in any::<prop::sample::Index>(), bit in 0u8..8, in_sig in any::<bool>(),
    ) {
        let key = PrivateKey::generate(ALGS[alg_ix]).expect("generate");
        let sig = key.sign(&msg).expect("sign");
        let (mut m, mut s) = (msg.clone(), sig.clone());
        if in_sig { let i = pos.index(s.len()); s[i] ^= 1 << bit; } else { let i = pos.index(m.len()); m[i] ^= 1 << bit; }
        prop_assert!(key.public_key().verify(key.algorithm(), &msg, &sig).is_ok());
        prop_assert!(key.public_key().verify(key.algorithm(), &m, &s).is_err());
    }

    #[test]
    fn public_key_parsers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = PublicKey::from_pem_or_der(&data);
        let _ = PrivateKey::from_pem_or_der(&data, &mut || Ok(Zeroizing::new(b"x".to_vec())));
    }
}
