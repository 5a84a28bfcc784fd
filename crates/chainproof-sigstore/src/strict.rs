//! Structural checks we apply on top of sigstore-verify.

use sigstore_verify::types::Bundle;

use crate::TrustedRoot;

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

/// Checks on the typed bundle against the trusted root, before the
/// cryptographic verification.
///
/// Every transparency-log entry must name (by `logId.keyId`) a log of the
/// trusted root, and its checkpoint must come from that log (the checkpoint
/// origin is the log's host, optionally followed by ` - TREE_ID` for Rekor
/// v1). sigstore-verify finds Rekor v2 logs by the checkpoint's key hint
/// only, so without this an entry with a forged `logId` would pass.
pub fn check_bundle(bundle: &Bundle, root: &TrustedRoot) -> Result<(), String> {
    for (i, entry) in bundle.verification_material.tlog_entries.iter().enumerate() {
        let place = format!("/verificationMaterial/tlogEntries/{i}");
        let Some(log) = root
            .inner
            .tlogs
            .iter()
            .find(|t| t.log_id.key_id.as_bytes() == entry.log_id.key_id.as_bytes())
        else {
            return Err(format!(
                "{place}/logId: not a transparency log of the trusted root"
            ));
        };
        let Some((proof, checkpoint)) = entry
            .inclusion_proof
            .as_ref()
            .and_then(|p| Some((p, p.checkpoint.checkpoint()?)))
        else {
            continue;
        };
        // The proof's own root hash and tree size must be the signed ones.
        if proof.root_hash.as_bytes() != checkpoint.root_hash().as_bytes() {
            return Err(format!(
                "{place}/inclusionProof/rootHash: does not match the signed checkpoint"
            ));
        }
        if proof.tree_size != checkpoint.tree_size() {
            return Err(format!(
                "{place}/inclusionProof/treeSize: {} does not match the signed checkpoint ({})",
                proof.tree_size,
                checkpoint.tree_size()
            ));
        }
        let host = log
            .base_url
            .split_once("://")
            .map_or(log.base_url.as_str(), |(_, rest)| rest)
            .trim_end_matches('/');
        let origin = checkpoint.origin();
        let same_log = origin == host
            || origin
                .strip_prefix(host)
                .is_some_and(|rest| rest.starts_with(" - "));
        if !same_log {
            return Err(format!(
                "{place}/inclusionProof/checkpoint: origin {origin:?} is not the log {host:?} named by logId"
            ));
        }
    }
    Ok(())
}
