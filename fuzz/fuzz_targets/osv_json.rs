#![no_main]
use libfuzzer_sys::fuzz_target;

// The lenient OSV model, then range evaluation of every affected entry: must never panic.
fuzz_target!(|data: &[u8]| {
    let _ = chainproof_osv::import::parse_yaml(data, "fuzz.yaml");
    if let Ok(r) = chainproof_osv::import::parse_json(data, "fuzz.json") {
        for a in &r.record.affected {
            for scheme in chainproof_version::Scheme::ALL {
                for v in ["0", "1.0.0", "v1.2.3", "2.0.0rc1"] {
                    let _ = chainproof_osv::match_affected(*scheme, v, a);
                }
            }
        }
        let _ = chainproof_osv::severity::record_severity(&r.record, r.record.affected.first());
    }
});
