//! DSSE (Dead Simple Signing Envelope) v1: PAE, envelope JSON, signing, threshold verification,
//! and `.intoto.jsonl` bundles (one envelope per line).
//!
//! Per the spec, `payload` and `sig` are base64 (standard or URL-safe, padded or not, accepted;
//! standard padded written) and `keyid` is an unauthenticated hint: verification tries every
//! trusted key against every signature and counts distinct keys.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use chainproof_crypto::{PublicKey, Signer};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::AttestError;

/// The in-toto payload type.
pub const INTOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// Pre-Authentication Encoding: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + payload_type.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(payload_type.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

/// Decode base64 in any of the spellings the DSSE spec allows.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .iter()
        .find_map(|e| e.decode(s).ok())
}

mod b64 {
    use super::*;
    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(v))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        decode_base64(&s).ok_or_else(|| serde::de::Error::custom("invalid base64"))
    }
}

/// A DSSE envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Raw payload bytes (base64 in JSON).
    #[serde(with = "b64")]
    pub payload: Vec<u8>,
    /// The payload's media type, e.g. [`INTOTO_PAYLOAD_TYPE`].
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// Signatures over `PAE(payloadType, payload)`.
    #[serde(default)]
    pub signatures: Vec<Signature>,
}

/// One DSSE signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// Unauthenticated key hint (ours: hex SHA-256 of the SPKI DER).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub keyid: String,
    /// Signature bytes (base64 in JSON).
    #[serde(with = "b64")]
    pub sig: Vec<u8>,
    /// A PEM certificate some producers (slsa-github-generator) attach; kept for keyless
    /// verification, which happens elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert: Option<String>,
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The payload type (authenticated by PAE).
    pub payload_type: String,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// Key ids (our hint format) of the distinct keys that verified a signature.
    pub key_ids: Vec<String>,
}

impl Envelope {
    /// Sign `payload` with every signer (one signature each).
    pub fn sign(
        payload_type: &str,
        payload: Vec<u8>,
        signers: &[&dyn Signer],
    ) -> Result<Self, AttestError> {
        let pae = pae(payload_type, &payload);
        let signatures = signers
            .iter()
            .map(|s| {
                Ok(Signature {
                    keyid: s.key_id(),
                    sig: s.sign(&pae)?,
                    cert: None,
                })
            })
            .collect::<Result<Vec<_>, AttestError>>()?;
        Ok(Self {
            payload,
            payload_type: payload_type.to_string(),
            signatures,
        })
    }

    /// Parse envelope JSON; `at` names the source for error messages.
    pub fn from_json(bytes: &[u8], at: &str) -> Result<Self, AttestError> {
        let env: Self = serde_json::from_slice(bytes).map_err(|e| {
            AttestError::malformed(
                format!("{at}:{}:{}", e.line(), e.column()),
                format!("DSSE envelope: {e}"),
            )
        })?;
        if env.payload_type.is_empty() {
            return Err(AttestError::malformed(
                format!("{at}#/payloadType"),
                "empty payloadType",
            ));
        }
        Ok(env)
    }

    /// Compact JSON (one line, fit for `.intoto.jsonl`).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an envelope always serialises")
    }

    /// The bytes that are signed.
    pub fn pae(&self) -> Vec<u8> {
        pae(&self.payload_type, &self.payload)
    }

    /// Verify: at least `threshold` distinct keys among `keys` must each verify at least one
    /// signature (with the key type's usual scheme). `threshold` 0 is treated as 1.
    pub fn verify(&self, keys: &[PublicKey], threshold: usize) -> Result<Verified, AttestError> {
        let threshold = threshold.max(1);
        if self.signatures.is_empty() {
            return Err(AttestError::NoSignatures);
        }
        let pae = self.pae();
        let mut key_ids: Vec<String> = Vec::new();
        for key in keys {
            let id = key.key_id();
            if key_ids.contains(&id) {
                continue;
            }
            if self
                .signatures
                .iter()
                .any(|s| key.verify_default(&pae, &s.sig).is_ok())
            {
                key_ids.push(id);
            }
        }
        if key_ids.len() < threshold {
            return Err(AttestError::Threshold {
                verified: key_ids.len(),
                threshold,
                signatures: self.signatures.len(),
                keys: keys.len(),
            });
        }
        Ok(Verified {
            payload_type: self.payload_type.clone(),
            payload: self.payload.clone(),
            key_ids,
        })
    }
}

/// Read envelopes: a single JSON envelope, or `.intoto.jsonl` (one envelope per non-empty line).
/// Errors name `at` and the line.
pub fn read_envelopes(text: &[u8], at: &str) -> Result<Vec<Envelope>, AttestError> {
    let trimmed = text.trim_ascii();
    if let Ok(env) = serde_json::from_slice::<Envelope>(trimmed) {
        return Ok(vec![env]);
    }
    let mut out = Vec::new();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        out.push(Envelope::from_json(line, &format!("{at}: line {}", i + 1))?);
    }
    if out.is_empty() {
        return Err(AttestError::malformed(at, "no DSSE envelope found"));
    }
    Ok(out)
}

/// The DSSE envelope inside a Sigstore bundle (`dsseEnvelope`), **unverified**: the bundle's
/// certificate and transparency-log proofs are the Sigstore verifier's job. `None` when the JSON
/// is not a bundle with a DSSE envelope.
pub fn envelope_in_sigstore_bundle(bytes: &[u8]) -> Option<Envelope> {
    let v: serde_json::Value = serde_json::from_slice(bytes.trim_ascii()).ok()?;
    let media = v.get("mediaType")?.as_str()?;
    if !media.starts_with("application/vnd.dev.sigstore.bundle") {
        return None;
    }
    serde_json::from_value(v.get("dsseEnvelope")?.clone()).ok()
}

/// Write envelopes as `.intoto.jsonl`.
pub fn write_jsonl(envelopes: &[Envelope]) -> String {
    let mut s = String::new();
    for e in envelopes {
        s.push_str(&e.to_json());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_spec_example() {
        // From the DSSE protocol.md worked example.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
        // Lengths are byte lengths, not characters.
        assert_eq!(pae("t", "é".as_bytes()), b"DSSEv1 1 t 2 \xc3\xa9".to_vec());
    }

    #[test]
    fn base64_spellings() {
        assert_eq!(decode_base64("-_8="), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64("+/8"), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64("+/8="), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64("*"), None);
    }
}
