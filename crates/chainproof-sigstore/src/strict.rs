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
        Some(other) => Err(format!(
            "/mediaType: unsupported bundle media type {other:?}"
        )),
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
    check_embedded_tsa_certificates(bundle, root)?;
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

/// Certificates embedded in an RFC 3161 token are not covered by its
/// signature, and sigstore-verify takes the TSA certificate from the trusted
/// root. So that nothing unauthenticated rides along, every embedded
/// certificate must be byte-identical to one of the trusted root's TSA
/// certificates.
fn check_embedded_tsa_certificates(bundle: &Bundle, root: &TrustedRoot) -> Result<(), String> {
    use der::Encode;
    let trusted: Vec<&[u8]> = root
        .inner
        .timestamp_authorities
        .iter()
        .flat_map(|tsa| tsa.cert_chain.certificates.iter())
        .map(|c| c.raw_bytes.as_bytes())
        .collect();
    let stamps = &bundle
        .verification_material
        .timestamp_verification_data
        .rfc3161_timestamps;
    for (i, stamp) in stamps.iter().enumerate() {
        let place =
            format!("/verificationMaterial/timestampVerificationData/rfc3161Timestamps/{i}");
        let info = timestamp_token(stamp.signed_timestamp.as_bytes())
            .map_err(|e| format!("{place}: not an RFC 3161 timestamp token: {e}"))?;
        let signed = info
            .content
            .decode_as::<cms::signed_data::SignedData>()
            .map_err(|e| format!("{place}: not a CMS SignedData: {e}"))?;
        // SignedData.digestAlgorithms is not signed either: it must list
        // exactly the signers' digest algorithms.
        let mut listed: Vec<String> = signed
            .digest_algorithms
            .iter()
            .map(|a| a.oid.to_string())
            .collect();
        let mut used: Vec<String> = signed
            .signer_infos
            .0
            .iter()
            .map(|si| si.digest_alg.oid.to_string())
            .collect();
        listed.sort();
        listed.dedup();
        used.sort();
        used.dedup();
        if listed != used {
            return Err(format!(
                "{place}: SignedData digestAlgorithms {listed:?} do not match the signers' {used:?}"
            ));
        }
        for signer in signed.signer_infos.0.iter() {
            check_signer_algorithms(
                &signer.digest_alg.oid.to_string(),
                &signer.signature_algorithm.oid.to_string(),
            )
            .map_err(|e| format!("{place}: {e}"))?;
        }
        let Some(certs) = signed.certificates else {
            continue;
        };
        for choice in certs.0.iter() {
            let der = choice
                .to_der()
                .map_err(|e| format!("{place}: embedded certificate: {e}"))?;
            let cms::cert::CertificateChoices::Certificate(_) = choice else {
                return Err(format!("{place}: unsupported embedded certificate kind"));
            };
            if !trusted.contains(&der.as_slice()) {
                return Err(format!(
                    "{place}: embedded certificate is not a TSA certificate of the trusted root"
                ));
            }
        }
    }
    Ok(())
}

/// The token of an RFC 3161 `TimeStampResp` (SEQUENCE { status, token }),
/// or the bytes themselves when they are a bare token (`ContentInfo`).
fn timestamp_token(bytes: &[u8]) -> der::Result<cms::content_info::ContentInfo> {
    use der::{Decode, Encode, Reader};
    if let Ok(info) = cms::content_info::ContentInfo::from_der(bytes) {
        return Ok(info);
    }
    let mut reader = der::SliceReader::new(bytes)?;
    let token: der::Any = reader.sequence(|r| {
        let _status: der::Any = r.decode()?;
        r.decode()
    })?;
    reader.finish(())?;
    cms::content_info::ContentInfo::from_der(&token.to_der()?)
}

/// The SignerInfo's `signatureAlgorithm` is not covered by the signature:
/// require a known algorithm whose hash, when it names one, is the
/// SignerInfo's `digestAlgorithm`.
fn check_signer_algorithms(digest: &str, signature: &str) -> Result<(), String> {
    const SHA256: &str = "2.16.840.1.101.3.4.2.1";
    const SHA384: &str = "2.16.840.1.101.3.4.2.2";
    const SHA512: &str = "2.16.840.1.101.3.4.2.3";
    let implied = match signature {
        "1.2.840.10045.4.3.2" | "1.2.840.113549.1.1.11" => Some(SHA256),
        "1.2.840.10045.4.3.3" | "1.2.840.113549.1.1.12" => Some(SHA384),
        "1.2.840.10045.4.3.4" | "1.2.840.113549.1.1.13" => Some(SHA512),
        // id-ecPublicKey, rsaEncryption, RSASSA-PSS, Ed25519: hash from digestAlgorithm.
        "1.2.840.10045.2.1" | "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" | "1.3.101.112" => {
            None
        }
        other => return Err(format!("unknown CMS signature algorithm {other}")),
    };
    if !matches!(digest, SHA256 | SHA384 | SHA512) {
        return Err(format!("unsupported CMS digest algorithm {digest}"));
    }
    match implied {
        Some(hash) if hash != digest => Err(format!(
            "CMS signature algorithm {signature} does not use the digest algorithm {digest}"
        )),
        _ => Ok(()),
    }
}
