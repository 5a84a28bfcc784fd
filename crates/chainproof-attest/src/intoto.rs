//! in-toto Statement v1 (and v0.1 for reading), ResourceDescriptor, and predicates:
//! typed for SLSA provenance v0.2/v1, VSA, test-result, vulns and OpenVEX; SPDX and
//! CycloneDX predicates are whole SBOM documents and stay JSON (tagged by kind); anything
//! else is kept as JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::AttestError;
use crate::slsa::{ProvenanceV1, ProvenanceV02};

/// `_type` of Statement v1.
pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";
/// `_type` of Statement v0.1 (read only).
pub const STATEMENT_V01: &str = "https://in-toto.io/Statement/v0.1";

/// Predicate type URIs.
pub mod predicate_types {
    /// SLSA provenance v0.2.
    pub const SLSA_PROVENANCE_V02: &str = "https://slsa.dev/provenance/v0.2";
    /// SLSA provenance v1.
    pub const SLSA_PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
    /// SLSA verification summary v1.
    pub const VSA_V1: &str = "https://slsa.dev/verification_summary/v1";
    /// SLSA verification summary v0.2.
    pub const VSA_V02: &str = "https://slsa.dev/verification_summary/v0.2";
    /// SPDX document (any 2.x version suffix also accepted).
    pub const SPDX: &str = "https://spdx.dev/Document";
    /// CycloneDX BOM (any version suffix also accepted).
    pub const CYCLONEDX: &str = "https://cyclonedx.org/bom";
    /// in-toto vulnerability scan.
    pub const VULNS: &str = "https://in-toto.io/attestation/vulns/v0.1";
    /// OpenVEX.
    pub const OPENVEX: &str = "https://openvex.dev/ns";
    /// in-toto test result.
    pub const TEST_RESULT: &str = "https://in-toto.io/attestation/test-result/v0.1";
}

/// A subject or dependency: name/uri plus a digest set (`sha256` → lowercase hex, ...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceDescriptor {
    /// Name (file name, image name, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Digest set.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub digest: BTreeMap<String, String>,
    /// Inline content (base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Download location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_location: Option<String>,
    /// Media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Free-form annotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Value>,
}

impl ResourceDescriptor {
    /// A subject named `name` with one digest.
    pub fn with_digest(name: impl Into<String>, alg: &str, hex: &str) -> Self {
        let mut digest = BTreeMap::new();
        digest.insert(alg.to_string(), hex.to_ascii_lowercase());
        Self {
            name: Some(name.into()),
            digest,
            ..Self::default()
        }
    }
}

/// An in-toto Statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// [`STATEMENT_V1`] or [`STATEMENT_V01`].
    #[serde(rename = "_type")]
    pub type_: String,
    /// What the statement is about.
    pub subject: Vec<ResourceDescriptor>,
    /// Predicate type URI.
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// The predicate, as JSON (see [`Statement::typed_predicate`]).
    #[serde(default)]
    pub predicate: Value,
}

/// A predicate, typed where the format is vetted.
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    /// SLSA provenance v0.2.
    SlsaProvenanceV02(Box<ProvenanceV02>),
    /// SLSA provenance v1.
    SlsaProvenanceV1(Box<ProvenanceV1>),
    /// SLSA verification summary (v0.2 or v1).
    Vsa(Box<Vsa>),
    /// in-toto test result.
    TestResult(Box<TestResult>),
    /// in-toto vulnerability scan.
    Vulns(Box<Vulns>),
    /// OpenVEX document.
    OpenVex(Box<OpenVex>),
    /// SPDX document (kept as JSON; read it with chainproof-sbom).
    Spdx(Value),
    /// CycloneDX BOM (kept as JSON; read it with chainproof-sbom).
    CycloneDx(Value),
    /// Anything else.
    Other(Value),
}

/// SLSA VSA (fields common to v0.2 and v1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vsa {
    /// Who verified (`{"id": ...}`).
    pub verifier: Value,
    /// When (RFC 3339).
    #[serde(default, alias = "time_verified")]
    pub time_verified: Option<String>,
    /// The resource verified.
    #[serde(default, alias = "resource_uri")]
    pub resource_uri: Option<String>,
    /// Policy.
    #[serde(default)]
    pub policy: Value,
    /// `PASSED` or `FAILED`.
    #[serde(alias = "verification_result")]
    pub verification_result: String,
    /// e.g. `["SLSA_BUILD_LEVEL_3"]` (v1).
    #[serde(default)]
    pub verified_levels: Vec<String>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// in-toto test-result predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TestResult {
    /// `PASSED`, `WARNED` or `FAILED`.
    pub result: String,
    /// Configuration descriptors.
    #[serde(default)]
    pub configuration: Vec<ResourceDescriptor>,
    /// Test URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Passed test names.
    #[serde(default)]
    pub passed_tests: Vec<String>,
    /// Warned test names.
    #[serde(default)]
    pub warned_tests: Vec<String>,
    /// Failed test names.
    #[serde(default)]
    pub failed_tests: Vec<String>,
}

/// in-toto vulns predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vulns {
    /// Scanner `{uri, version, db, result: [...]}`.
    pub scanner: Value,
    /// Scan metadata.
    #[serde(default)]
    pub metadata: Value,
}

/// OpenVEX document (the parts needed to read statements).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenVex {
    /// Context URI.
    #[serde(rename = "@context")]
    pub context: String,
    /// Document id.
    #[serde(rename = "@id", default)]
    pub id: Option<String>,
    /// Author.
    #[serde(default)]
    pub author: Option<String>,
    /// VEX statements.
    #[serde(default)]
    pub statements: Vec<Value>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Statement {
    /// A v1 statement.
    pub fn new(subject: Vec<ResourceDescriptor>, predicate_type: &str, predicate: Value) -> Self {
        Self {
            type_: STATEMENT_V1.into(),
            subject,
            predicate_type: predicate_type.into(),
            predicate,
        }
    }

    /// Parse statement JSON (v1 or v0.1); `at` names the source.
    pub fn from_json(bytes: &[u8], at: &str) -> Result<Self, AttestError> {
        let st: Self = serde_json::from_slice(bytes).map_err(|e| {
            AttestError::malformed(
                format!("{at}:{}:{}", e.line(), e.column()),
                format!("in-toto statement: {e}"),
            )
        })?;
        if st.type_ != STATEMENT_V1 && st.type_ != STATEMENT_V01 {
            return Err(AttestError::malformed(
                format!("{at}#/_type"),
                format!("not an in-toto statement: _type {:?}", st.type_),
            ));
        }
        for (i, s) in st.subject.iter().enumerate() {
            if s.digest.is_empty() && st.type_ == STATEMENT_V01 {
                return Err(AttestError::malformed(
                    format!("{at}#/subject/{i}/digest"),
                    "subject without digest",
                ));
            }
        }
        Ok(st)
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a statement always serialises")
    }

    /// The predicate, typed by `predicateType`. Errors point into `#/predicate`.
    pub fn typed_predicate(&self) -> Result<Predicate, AttestError> {
        use predicate_types as t;
        let pt = self.predicate_type.as_str();
        let p = self.predicate.clone();
        fn de<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Result<Box<T>, AttestError> {
            serde_json::from_value(v)
                .map(Box::new)
                .map_err(|e| AttestError::malformed("#/predicate", format!("{what}: {e}")))
        }
        Ok(match pt {
            t::SLSA_PROVENANCE_V02 => Predicate::SlsaProvenanceV02(de(p, "SLSA provenance v0.2")?),
            t::SLSA_PROVENANCE_V1 => Predicate::SlsaProvenanceV1(de(p, "SLSA provenance v1")?),
            t::VSA_V1 | t::VSA_V02 => Predicate::Vsa(de(p, "SLSA VSA")?),
            t::TEST_RESULT => Predicate::TestResult(de(p, "test result")?),
            t::VULNS | "https://cosign.sigstore.dev/attestation/vuln/v1" => {
                Predicate::Vulns(de(p, "vulns")?)
            }
            _ if pt.starts_with(t::OPENVEX) => Predicate::OpenVex(de(p, "OpenVEX")?),
            _ if pt.starts_with(t::SPDX) => Predicate::Spdx(p),
            _ if pt.starts_with(t::CYCLONEDX) => Predicate::CycloneDx(p),
            _ => Predicate::Other(p),
        })
    }

    /// Does some subject carry digest `alg:hex` (hex compared case-insensitively)?
    pub fn has_subject_digest(&self, alg: &str, hex: &str) -> bool {
        self.subject.iter().any(|s| {
            s.digest
                .get(alg)
                .is_some_and(|h| h.eq_ignore_ascii_case(hex))
        })
    }
}
