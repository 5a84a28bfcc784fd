//! Structural checks we apply on top of sigstore-verify.

use sigstore_verify::types::Bundle;

use crate::Policy;

/// Checks on the raw bundle JSON before typed parsing.
pub fn check_bundle_json(value: &serde_json::Value) -> Result<(), String> {
    let Some(obj) = value.as_object() else {
        return Err("bundle is not a JSON object".into());
    };
    match obj.get("mediaType").and_then(|m| m.as_str()) {
        Some(
            "application/vnd.dev.sigstore.bundle+json;version=0.1"
            | "application/vnd.dev.sigstore.bundle+json;version=0.2"
            | "application/vnd.dev.sigstore.bundle+json;version=0.3"
            | "application/vnd.dev.sigstore.bundle.v0.3+json",
        ) => Ok(()),
        Some(other) => Err(format!("/mediaType: unsupported bundle media type {other:?}")),
        None => Err("/mediaType: missing".into()),
    }
}

/// Checks on the typed bundle before cryptographic verification.
pub fn check_bundle(_bundle: &Bundle, _policy: &Policy) -> Result<(), String> {
    Ok(())
}
