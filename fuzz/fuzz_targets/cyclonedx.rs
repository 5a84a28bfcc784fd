#![no_main]
//! Arbitrary bytes through the SBOM reader and validator (CycloneDX-shaped input is the
//! interesting part; detection routes it). Must never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = chainproof_sbom::decode(data, "fuzz.cdx.json") {
        // whatever was read must be writable again
        let _ = chainproof_sbom::encode(
            &d.inventory,
            chainproof_sbom::Format::CycloneDxJson(chainproof_sbom::CdxVersion::V1_6),
            &chainproof_sbom::EncodeOptions::default(),
        );
    }
    let _ = chainproof_sbom::validate(data, "fuzz.cdx.json");
});
