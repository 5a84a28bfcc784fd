//! Google Cloud Build provenance (`gcloud artifacts docker images describe --show-provenance`
//! JSON), verified as slsa-verifier's `verifiers/internal/gcb` does: DSSE signatures with the
//! embedded GCB keys (regional keys sign the raw payload, the global keys sign the PAE), then
//! builder, subject digest, source, metadata (`kind`, `resourceUri`), image summary, and the
//! unsigned text copy of the statement, which must equal the signed one.

use chainproof_crypto::{PublicKey, SignatureAlgorithm};
use serde_json::Value;

use super::verify::{Failure, FailureKind};
use crate::dsse::{Envelope, INTOTO_PAYLOAD_TYPE};

/// Embedded GCB public keys: (name, PEM).
pub const GCB_KEYS: &[(&str, &str)] = &[
    ("asia-east1", include_str!("gcb_keys/asia-east1.pem")),
    (
        "asia-northeast1",
        include_str!("gcb_keys/asia-northeast1.pem"),
    ),
    (
        "asia-southeast1",
        include_str!("gcb_keys/asia-southeast1.pem"),
    ),
    (
        "australia-southeast1",
        include_str!("gcb_keys/australia-southeast1.pem"),
    ),
    ("europe-north1", include_str!("gcb_keys/europe-north1.pem")),
    ("europe-west1", include_str!("gcb_keys/europe-west1.pem")),
    ("europe-west2", include_str!("gcb_keys/europe-west2.pem")),
    ("europe-west3", include_str!("gcb_keys/europe-west3.pem")),
    ("europe-west4", include_str!("gcb_keys/europe-west4.pem")),
    ("global", include_str!("gcb_keys/global.pem")),
    ("global-pae", include_str!("gcb_keys/global-pae.pem")),
    (
        "global-pae-google-hosted-worker_1",
        include_str!("gcb_keys/global-pae-google-hosted-worker_1.pem"),
    ),
    (
        "global-pae-provenanceSigner_1",
        include_str!("gcb_keys/global-pae-provenanceSigner_1.pem"),
    ),
    (
        "southamerica-west1",
        include_str!("gcb_keys/southamerica-west1.pem"),
    ),
    ("us-central1", include_str!("gcb_keys/us-central1.pem")),
    ("us-central2", include_str!("gcb_keys/us-central2.pem")),
    ("us-east1", include_str!("gcb_keys/us-east1.pem")),
    ("us-east4", include_str!("gcb_keys/us-east4.pem")),
    ("us-west1", include_str!("gcb_keys/us-west1.pem")),
    ("us-west2", include_str!("gcb_keys/us-west2.pem")),
    ("us-west3", include_str!("gcb_keys/us-west3.pem")),
    ("us-west4", include_str!("gcb_keys/us-west4.pem")),
];

const V10_GLOBAL_PAE: &str = "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/google-hosted-worker/cryptoKeyVersions/1";
const V01_GLOBAL_PAE: &str = "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/provenanceSigner/cryptoKeyVersions/1";
const BUILDER: &str = "https://cloudbuild.googleapis.com/GoogleHostedWorker";

/// What the caller expects of a GCB image provenance.
#[derive(Debug, Clone, Default)]
pub struct GcbOptions {
    /// Image digest, hex (with or without `sha256:`).
    pub digest: String,
    /// Expected builder id (`NAME` or `NAME@vX.Y`).
    pub builder_id: Option<String>,
    /// Expected source (`github.com/o/r`, `gs://...`).
    pub source_uri: Option<String>,
    /// Expected tag (the build's `TAG_NAME` substitution), exact.
    pub tag: Option<String>,
    /// Expected semver-prefix tag (`v33` matches `v33.0.4`).
    pub versioned_tag: Option<String>,
}

fn fail<T>(kind: FailureKind, message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        kind,
        message: message.into(),
    })
}

fn key(name: &str) -> Option<PublicKey> {
    GCB_KEYS
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, pem)| PublicKey::from_pem(pem.as_bytes()).ok())
}

fn regional(keyid: &str) -> Option<&str> {
    keyid
        .strip_prefix("projects/verified-builder/locations/")?
        .strip_suffix("/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1")
}

/// The signed statement of the first provenance entry with a valid signature.
fn verified_entry(doc: &Value) -> Result<(&Value, Value), Failure> {
    let entries = doc
        .pointer("/provenance_summary/provenance")
        .and_then(Value::as_array);
    let entries = match entries {
        Some(e) if !e.is_empty() => e,
        _ => {
            return fail(
                FailureKind::InvalidPayload,
                "no provenance in provenance_summary",
            );
        }
    };
    let mut errors = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let env: Envelope = match entry.get("envelope").cloned().map(serde_json::from_value) {
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                errors.push(format!("provenance {i}: envelope: {e}"));
                continue;
            }
            None => {
                errors.push(format!("provenance {i}: no envelope"));
                continue;
            }
        };
        if env.payload_type != INTOTO_PAYLOAD_TYPE {
            errors.push(format!(
                "provenance {i}: payload type {:?}",
                env.payload_type
            ));
            continue;
        }
        if env.signatures.is_empty() {
            if entries.len() == 1 {
                return fail(FailureKind::InvalidPayload, "no signatures in the envelope");
            }
            errors.push(format!("provenance {i}: no signatures"));
            continue;
        }
        for sig in &env.signatures {
            let ok = if sig.keyid == V10_GLOBAL_PAE || sig.keyid == V01_GLOBAL_PAE {
                let name = if sig.keyid == V10_GLOBAL_PAE {
                    "global-pae-google-hosted-worker_1"
                } else {
                    "global-pae-provenanceSigner_1"
                };
                key(name).is_some_and(|k| {
                    k.verify(SignatureAlgorithm::EcdsaP256Sha256, &env.pae(), &sig.sig)
                        .is_ok()
                })
            } else if let Some(region) = regional(&sig.keyid) {
                match key(region) {
                    Some(k) => k
                        .verify(SignatureAlgorithm::EcdsaP256Sha256, &env.payload, &sig.sig)
                        .is_ok(),
                    None => {
                        errors.push(format!("provenance {i}: no key for region {region:?}"));
                        false
                    }
                }
            } else {
                errors.push(format!("provenance {i}: unknown key id {:?}", sig.keyid));
                false
            };
            if ok {
                return match serde_json::from_slice(&env.payload) {
                    Ok(st) => Ok((entry, st)),
                    Err(e) => fail(
                        FailureKind::InvalidPayload,
                        format!("signed payload is not JSON: {e}"),
                    ),
                };
            }
            errors.push(format!(
                "provenance {i}: signature by {:?} does not verify",
                sig.keyid
            ));
        }
    }
    fail(FailureKind::NoValidSignature, errors.join("; "))
}

/// Verify GCB provenance JSON against `opts`, in slsa-verifier's order.
pub fn verify_gcb(bytes: &[u8], opts: &GcbOptions) -> Result<String, Failure> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| Failure {
        kind: FailureKind::InvalidPayload,
        message: format!("not JSON: {e}"),
    })?;
    let digest = opts
        .digest
        .trim_start_matches("sha256:")
        .to_ascii_lowercase();
    let (entry, st) = verified_entry(&doc)?;
    let ptype = st
        .get("predicateType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if ptype != "https://slsa.dev/provenance/v0.1" {
        return fail(
            FailureKind::InvalidFormat,
            format!("unsupported GCB predicate type {ptype:?}"),
        );
    }
    let pred = st
        .get("predicate")
        .or_else(|| st.get("slsaProvenance"))
        .cloned()
        .unwrap_or(Value::Null);
    // Builder.
    let bid = pred
        .pointer("/builder/id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let (bname, bver) = bid.split_once('@').unwrap_or((bid, ""));
    if bname != BUILDER || !matches!(bver, "v0.2" | "v0.3") {
        return fail(
            FailureKind::InvalidBuilderId,
            format!("builder {bid:?} is not a GCB builder"),
        );
    }
    if let Some(want) = &opts.builder_id {
        let (wname, wver) = want.split_once('@').unwrap_or((want, ""));
        if wname != bname {
            return fail(
                FailureKind::MismatchBuilderId,
                format!("expected builder {wname:?}, provenance has {bname:?}"),
            );
        }
        if !wver.is_empty() && wver != bver {
            return fail(
                FailureKind::MismatchBuilderId,
                format!("expected builder version {wver:?}, provenance has {bver:?}"),
            );
        }
    }
    let recipe = pred
        .pointer("/recipe/type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let recipe_ok = match bver {
        "v0.2" => recipe == bid,
        _ => [
            "https://cloudbuild.googleapis.com/CloudBuildYaml@",
            "https://cloudbuild.googleapis.com/CloudBuildSteps@",
        ]
        .iter()
        .any(|p| recipe.starts_with(p)),
    };
    if !recipe_ok {
        return fail(
            FailureKind::InvalidRecipe,
            format!("recipe type {recipe:?} does not fit builder {bid:?}"),
        );
    }
    let at = pred
        .pointer("/recipe/arguments/@type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if at != "type.googleapis.com/google.devtools.cloudbuild.v1.Build" {
        return fail(
            FailureKind::MismatchBuilderId,
            format!("recipe arguments @type is {at:?}"),
        );
    }
    // Subject digest.
    let subjects = st
        .get("subject")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !subjects
        .iter()
        .any(|s| s.pointer("/digest/sha256").and_then(Value::as_str) == Some(digest.as_str()))
    {
        return fail(
            FailureKind::MismatchHash,
            format!("no subject has digest sha256:{digest}"),
        );
    }
    // Source.
    if let Some(want) = &opts.source_uri {
        let uri = pred
            .pointer("/materials/0/uri")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let uri = uri.trim_start_matches("git+");
        let want = if uri.starts_with("https://") && !want.starts_with("https://") {
            format!("https://{want}")
        } else {
            want.clone()
        };
        let ok = match bver {
            "v0.2" => {
                uri.starts_with(&format!("{want}/commit/")) || uri.starts_with(&format!("{want}#"))
            }
            _ => uri == want || uri.starts_with(&format!("{want}#")),
        };
        if !ok {
            return fail(
                FailureKind::MismatchSource,
                format!("expected source {want:?}, provenance has {uri:?}"),
            );
        }
    }
    // Metadata.
    let kind = entry
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind != "BUILD" {
        return fail(
            FailureKind::InvalidFormat,
            format!("expected kind BUILD, got {kind:?}"),
        );
    }
    let ruri = entry
        .get("resourceUri")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !ruri.ends_with(&format!("@sha256:{digest}")) {
        return fail(
            FailureKind::MismatchHash,
            format!("resourceUri {ruri:?} does not name sha256:{digest}"),
        );
    }
    // Image summary.
    let sd = doc
        .pointer("/image_summary/digest")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let fq = doc
        .pointer("/image_summary/fully_qualified_digest")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if sd != format!("sha256:{digest}") || !fq.ends_with(&format!("sha256:{digest}")) {
        return fail(
            FailureKind::MismatchHash,
            format!("image summary digest {sd:?} / {fq:?} is not sha256:{digest}"),
        );
    }
    // The unsigned text copy must equal the signed statement.
    let text = entry
        .pointer("/build/intotoStatement")
        .cloned()
        .unwrap_or(Value::Null);
    let same = text.get("_type") == st.get("_type")
        && text.get("predicateType") == st.get("predicateType")
        && text.get("subject") == st.get("subject")
        && text.get("slsaProvenance") == Some(&pred);
    if !same {
        return fail(
            FailureKind::MismatchIntoto,
            "the text statement (build.intotoStatement) differs from the signed one",
        );
    }
    if opts.tag.is_some() || opts.versioned_tag.is_some() {
        let tag = pred
            .pointer("/recipe/arguments/substitutions/TAG_NAME")
            .and_then(Value::as_str);
        if let Some(want) = &opts.tag {
            match tag {
                Some(t) if t == want => {}
                Some(t) => {
                    return fail(
                        FailureKind::MismatchTag,
                        format!("expected tag {want:?}, got {t:?}"),
                    );
                }
                None => {
                    return fail(
                        FailureKind::MismatchTag,
                        "no TAG_NAME substitution in the build",
                    );
                }
            }
        }
        if let Some(want) = &opts.versioned_tag {
            let Some(t) = tag else {
                return fail(
                    FailureKind::MismatchVersionedTag,
                    "no TAG_NAME substitution in the build",
                );
            };
            super::verify::check_versioned_tag(t, want)?;
        }
    }
    Ok(bid.to_string())
}
