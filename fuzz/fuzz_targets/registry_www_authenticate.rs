#![no_main]
use chainproof_source::registry::auth::{base64_decode, credentials_from_config, parse_www_authenticate};
use libfuzzer_sys::fuzz_target;

// Any header value: a list of challenges, never a panic. Any docker config.json bytes:
// credentials or an error message.
fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let _ = parse_www_authenticate(&s);
    let _ = base64_decode(&s);
    let _ = credentials_from_config(data, "localhost:5000");
    let _ = credentials_from_config(data, "docker.io");
});
