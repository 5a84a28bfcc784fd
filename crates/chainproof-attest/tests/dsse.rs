//! DSSE: spec vector, round trips per key type, thresholds, tampering, interop with
//! securesystemslib and in-toto.

use chainproof_attest::AttestError;
use chainproof_attest::dsse::{Envelope, INTOTO_PAYLOAD_TYPE, read_envelopes, write_jsonl};
use chainproof_attest::intoto::{Predicate, Statement};
use chainproof_crypto::{KeyAlgorithm, PrivateKey, PublicKey, Signer, hex};
use proptest::prelude::*;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{rel}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect(rel)
}

fn key(rel: &str) -> PublicKey {
    PublicKey::from_pem_or_der(&fixture(rel)).expect(rel)
}

/// Decimal string → big-endian bytes of `len`.
fn dec_to_bytes(s: &str, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    for d in s.bytes() {
        let mut carry = u32::from(d - b'0');
        for b in out.iter_mut().rev() {
            let v = u32::from(*b) * 10 + carry;
            *b = (v & 0xff) as u8;
            carry = v >> 8;
        }
        assert_eq!(carry, 0);
    }
    out
}

#[test]
fn dsse_spec_worked_example_verifies() {
    // protocol.md: ECDSA P-256/SHA-256, raw r||s signature over PAE("http://example.com/HelloWorld", "hello world").
    let x = dec_to_bytes(
        "46950820868899156662930047687818585632848591499744589407958293238635476079160",
        32,
    );
    let y = dec_to_bytes(
        "5640078356564379163099075877009565129882514886557779369047442380624545832820",
        32,
    );
    let mut spki =
        hex::decode("3059301306072a8648ce3d020106082a8648ce3d030107034200").expect("hex");
    spki.push(4);
    spki.extend(x);
    spki.extend(y);
    let pk = PublicKey::from_spki_der(&spki).expect("spki");
    let json = br#"{"payload": "aGVsbG8gd29ybGQ=",
 "payloadType": "http://example.com/HelloWorld",
 "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}"#;
    let env = Envelope::from_json(json, "protocol.md").expect("parse");
    assert_eq!(env.payload, b"hello world");
    let v = env.verify(std::slice::from_ref(&pk), 1).expect("verifies");
    assert_eq!(v.key_ids, vec![pk.key_id()]);
    let mut bad = env.clone();
    bad.payload_type = "http://example.com/HelloWorlD".into();
    assert!(bad.verify(&[pk], 1).is_err());
}

fn statement_bytes() -> Vec<u8> {
    br#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"0000000000000000000000000000000000000000000000000000000000000000"}}],"predicateType":"https://example.com/p","predicate":{"x":1}}"#.to_vec()
}

#[test]
fn round_trip_each_key_type_and_threshold() {
    let keys: Vec<PrivateKey> = [
        KeyAlgorithm::EcdsaP256,
        KeyAlgorithm::EcdsaP384,
        KeyAlgorithm::Ed25519,
    ]
    .into_iter()
    .map(|a| PrivateKey::generate(a).expect("generate"))
    .collect();
    for k in &keys {
        let env = Envelope::sign(INTOTO_PAYLOAD_TYPE, statement_bytes(), &[k]).expect("sign");
        assert_eq!(env.signatures[0].keyid, k.key_id());
        let parsed = Envelope::from_json(env.to_json().as_bytes(), "mem").expect("reparse");
        assert_eq!(parsed, env);
        let v = parsed
            .verify(std::slice::from_ref(k.public_key()), 1)
            .expect("verify");
        assert_eq!(v.payload, statement_bytes());
        // Other keys do not verify it.
        let others: Vec<PublicKey> = keys
            .iter()
            .filter(|o| o.key_id() != k.key_id())
            .map(|o| o.public_key().clone())
            .collect();
        assert!(matches!(
            parsed.verify(&others, 1),
            Err(AttestError::Threshold { verified: 0, .. })
        ));
    }
    let signers: Vec<&dyn Signer> = keys.iter().map(|k| k as &dyn Signer).collect();
    let env = Envelope::sign(INTOTO_PAYLOAD_TYPE, statement_bytes(), &signers).expect("multi");
    let publics: Vec<PublicKey> = keys.iter().map(|k| k.public_key().clone()).collect();
    assert_eq!(env.verify(&publics, 3).expect("3 of 3").key_ids.len(), 3);
    // The same key twice counts once.
    let dup = vec![publics[0].clone(), publics[0].clone()];
    assert!(matches!(
        env.verify(&dup, 2),
        Err(AttestError::Threshold {
            verified: 1,
            threshold: 2,
            ..
        })
    ));
    let unsigned = Envelope {
        signatures: vec![],
        ..env.clone()
    };
    assert!(matches!(
        unsigned.verify(&publics, 1),
        Err(AttestError::NoSignatures)
    ));
    // jsonl round trip.
    let jsonl = write_jsonl(&[env.clone(), env.clone()]);
    assert_eq!(jsonl.lines().count(), 2);
    assert_eq!(
        read_envelopes(jsonl.as_bytes(), "x.intoto.jsonl").expect("jsonl"),
        vec![env.clone(), env]
    );
    let err = read_envelopes(
        b"{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[]}\nnot json\n",
        "b.jsonl",
    )
    .expect_err("bad line");
    assert!(err.to_string().contains("b.jsonl: line 2"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn flipping_one_byte_of_payload_type_payload_or_signature_fails(
        alg in 0usize..3, which in 0usize..3, pos in any::<prop::sample::Index>(), bit in 0u8..8,
    ) {
        let k = PrivateKey::generate([KeyAlgorithm::EcdsaP256, KeyAlgorithm::EcdsaP384, KeyAlgorithm::Ed25519][alg]).expect("generate");
        let env = Envelope::sign(INTOTO_PAYLOAD_TYPE, statement_bytes(), &[&k]).expect("sign");
        let mut t = env.clone();
        match which {
            0 => { let i = pos.index(t.payload.len()); t.payload[i] ^= 1 << bit; }
            1 => { let i = pos.index(t.signatures[0].sig.len()); t.signatures[0].sig[i] ^= 1 << bit; }
            _ => { let mut b = t.payload_type.into_bytes(); let i = pos.index(b.len()); b[i] ^= 1 << bit; t.payload_type = String::from_utf8_lossy(&b).into_owned(); }
        }
        prop_assert!(env.verify(std::slice::from_ref(k.public_key()), 1).is_ok());
        prop_assert!(t.verify(std::slice::from_ref(k.public_key()), 1).is_err());
    }

    #[test]
    fn envelope_and_statement_parsers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_envelopes(&data, "fuzz");
        if let Ok(st) = Statement::from_json(&data, "fuzz") { let _ = st.typed_predicate(); }
    }
}

#[test]
fn securesystemslib_envelopes_verify_with_us() {
    for name in ["ed25519", "p256", "rsa"] {
        let env = Envelope::from_json(&fixture(&format!("interop/sslib-{name}.json")), name)
            .expect("parse");
        let k = key(&format!("interop/sslib-{name}.pub"));
        env.verify(std::slice::from_ref(&k), 1)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let st = Statement::from_json(&env.payload, name).expect("statement");
        match st.typed_predicate().expect("typed") {
            Predicate::TestResult(t) => {
                assert_eq!((t.result.as_str(), t.passed_tests.len()), ("PASSED", 1))
            }
            other => panic!("{other:?}"),
        }
    }
    let env = Envelope::from_json(&fixture("interop/sslib-two-sigs.json"), "two").expect("parse");
    let ks = [
        key("interop/sslib-ed25519.pub"),
        key("interop/sslib-p256.pub"),
        key("interop/sslib-rsa.pub"),
    ];
    assert_eq!(env.verify(&ks, 2).expect("2 of 3").key_ids.len(), 2);
    assert!(env.verify(&ks, 3).is_err());
}

#[test]
fn in_toto_dsse_links_verify_with_us() {
    // in-toto's own demo DSSE links (RSA-PSS, from tests/demo_dsse_files) ...
    let bob = key("in-toto/bob.pub");
    let carl = key("in-toto/carl.pub");
    let alice = key("in-toto/alice.pub");
    let wc = Envelope::from_json(&fixture("in-toto/write-code.776a00e2.link"), "write-code")
        .expect("parse");
    let pkg =
        Envelope::from_json(&fixture("in-toto/package.2f89b927.link"), "package").expect("parse");
    wc.verify(std::slice::from_ref(&bob), 1)
        .expect("bob signed write-code");
    pkg.verify(std::slice::from_ref(&carl), 1)
        .expect("carl signed package");
    assert!(wc.verify(&[alice.clone(), carl], 1).is_err());
    assert!(pkg.verify(&[alice, bob], 1).is_err());
    // ... and a link in-toto-run produced for us (ECDSA).
    let link = Envelope::from_json(
        &fixture("interop/in-toto-run-write-code.link"),
        "in-toto-run",
    )
    .expect("parse");
    link.verify(&[key("interop/in-toto-run.pub")], 1)
        .expect("in-toto-run link");
    let payload: serde_json::Value = serde_json::from_slice(&link.payload).expect("link json");
    assert_eq!(payload["_type"], "link");
    assert_eq!(payload["name"], "write-code");
}

#[test]
fn our_envelopes_were_accepted_by_securesystemslib() {
    let dir = format!("{}/tests/fixtures/interop", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("CHAINPROOF_WRITE_INTEROP").is_some() {
        let k1 = PrivateKey::generate(KeyAlgorithm::Ed25519).expect("k");
        let k2 = PrivateKey::generate(KeyAlgorithm::EcdsaP256).expect("k");
        let k3 = PrivateKey::generate(KeyAlgorithm::EcdsaP384).expect("k");
        for (name, ks) in [
            ("ed25519", vec![&k1]),
            ("p256", vec![&k2]),
            ("p384", vec![&k3]),
            ("multi", vec![&k1, &k2, &k3]),
        ] {
            let signers: Vec<&dyn Signer> = ks.iter().map(|k| *k as &dyn Signer).collect();
            let env =
                Envelope::sign(INTOTO_PAYLOAD_TYPE, statement_bytes(), &signers).expect("sign");
            std::fs::write(format!("{dir}/ours-{name}.json"), env.to_json()).expect("write");
            for (i, k) in ks.iter().enumerate() {
                std::fs::write(
                    format!("{dir}/ours-{name}-{i}.pub"),
                    k.public_key().to_pem(),
                )
                .expect("write");
            }
        }
        eprintln!("wrote ours-*.json; now run gen_interop.py check");
        return;
    }
    let accepted = std::fs::read_to_string(format!("{dir}/ours-accepted-by-securesystemslib.txt"))
        .expect("accepted list");
    let mut n = 0;
    for line in accepted.lines() {
        let mut parts = line.split_whitespace();
        let (digest, name) = (parts.next().expect("digest"), parts.next().expect("name"));
        let data = fixture(&format!("interop/{name}"));
        assert_eq!(
            hex::encode(&chainproof_crypto::sha256(&data)),
            digest,
            "{name} changed since securesystemslib checked it"
        );
        let env = Envelope::from_json(&data, name).expect("parse");
        let stem = name.trim_end_matches(".json");
        let keys: Vec<PublicKey> = (0..3)
            .filter_map(|i| std::fs::read(format!("{dir}/{stem}-{i}.pub")).ok())
            .map(|p| PublicKey::from_pem(&p).expect("pub"))
            .collect();
        assert_eq!(
            env.verify(&keys, keys.len())
                .expect("we verify it too")
                .key_ids
                .len(),
            keys.len()
        );
        n += 1;
    }
    assert_eq!(n, 4, "ed25519, p256, p384 and multi envelopes");
}

#[test]
fn slsa_verifier_vsa_verifies_with_its_key() {
    // A Google BCID VSA (key-signed DSSE, P-256, fixed-width r||s signature) from slsa-verifier's testdata.
    let dir = "slsa-verifier/testdata/vsa/gce/v1";
    let envs = read_envelopes(
        &fixture(&format!("{dir}/gke-gce-pre.bcid-vsa.jsonl")),
        "vsa",
    )
    .expect("parse");
    assert_eq!(envs.len(), 1);
    let k = key(&format!("{dir}/vsa_signing_public_key.pem"));
    let v = envs[0]
        .verify(std::slice::from_ref(&k), 1)
        .expect("VSA verifies");
    let st = Statement::from_json(&v.payload, "vsa").expect("statement");
    assert!(st.has_subject_digest("gce_image_id", "8970095005306000053"));
    match st.typed_predicate().expect("typed") {
        Predicate::Vsa(vsa) => {
            assert_eq!(vsa.verification_result, "PASSED");
            assert_eq!(vsa.verified_levels, ["BCID_L1", "SLSA_BUILD_LEVEL_2"]);
            assert_eq!(
                vsa.verifier["id"],
                "https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1"
            );
        }
        other => panic!("{other:?}"),
    }
    // Tampering with the payload breaks it.
    let mut bad = envs[0].clone();
    let last = bad.payload.len() - 2;
    bad.payload[last] ^= 1;
    assert!(bad.verify(&[k], 1).is_err());
}
