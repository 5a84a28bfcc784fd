#![no_main]
//! Arbitrary bytes through the SBOM reader and validator, re-encoding what was read as
//! SPDX. Must never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = chainproof_sbom::decode(data, "fuzz.spdx.json") {
        let _ = chainproof_sbom::encode(
            &d.inventory,
            chainproof_sbom::Format::SpdxJson,
            &chainproof_sbom::EncodeOptions::default(),
        );
    }
    let _ = chainproof_sbom::validate(data, "fuzz.spdx.json");
});
