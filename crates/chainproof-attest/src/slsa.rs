//! SLSA provenance v0.2 and v1: types, a v1 builder for local builds, and verification of
//! provenance content the way slsa-verifier checks it (subject digest, builder id, source
//! repository, branch / tag / versioned tag of the trigger, workflow inputs).
//!
//! Signature checks are separate: a DSSE envelope is verified with keys by
//! [`crate::dsse::Envelope::verify`]; keyless (Fulcio/Rekor) signatures are verified by
//! chainproof-sigstore, and [`gha`] decides which certificate identities are trusted GitHub
//! builders. [`verify`] only looks at the statement it is given.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::intoto::{Predicate, ResourceDescriptor, Statement, predicate_types};

pub mod gcb;
pub mod gha;
mod types;
mod verify;

pub use types::*;
pub use verify::{
    Failure, FailureKind, TRUSTED_GITHUB_BUILDERS, Verdict, VerifyOptions, normalize_git_uri,
    verify,
};

/// Builds a SLSA v1 provenance statement for a local build.
#[derive(Debug, Clone, Default)]
pub struct ProvenanceBuilder {
    /// Artifacts produced.
    pub subjects: Vec<ResourceDescriptor>,
    /// `runDetails.builder.id`.
    pub builder_id: String,
    /// `buildDefinition.buildType`.
    pub build_type: String,
    /// `buildDefinition.externalParameters` (JSON object).
    pub external_parameters: BTreeMap<String, Value>,
    /// `buildDefinition.internalParameters`.
    pub internal_parameters: Option<Value>,
    /// `buildDefinition.resolvedDependencies`.
    pub resolved_dependencies: Vec<ResourceDescriptor>,
    /// `runDetails.metadata.invocationId`.
    pub invocation_id: Option<String>,
    /// RFC 3339.
    pub started_on: Option<String>,
    /// RFC 3339.
    pub finished_on: Option<String>,
}

/// The default build type for `chainproof attest provenance`.
pub const LOCAL_BUILD_TYPE: &str = "https://chainproof.dev/provenance/local-build/v1";

impl ProvenanceBuilder {
    /// The predicate.
    pub fn predicate(&self) -> ProvenanceV1 {
        ProvenanceV1 {
            build_definition: BuildDefinition {
                build_type: if self.build_type.is_empty() {
                    LOCAL_BUILD_TYPE.into()
                } else {
                    self.build_type.clone()
                },
                external_parameters: Value::Object(
                    self.external_parameters.clone().into_iter().collect(),
                ),
                internal_parameters: self.internal_parameters.clone(),
                resolved_dependencies: self.resolved_dependencies.clone(),
            },
            run_details: RunDetails {
                builder: BuilderV1 {
                    id: self.builder_id.clone(),
                    version: None,
                    builder_dependencies: Vec::new(),
                },
                metadata: Some(BuildMetadataV1 {
                    invocation_id: self.invocation_id.clone(),
                    started_on: self.started_on.clone(),
                    finished_on: self.finished_on.clone(),
                }),
                byproducts: Vec::new(),
            },
        }
    }

    /// The full in-toto v1 statement.
    pub fn statement(&self) -> Statement {
        let predicate = serde_json::to_value(self.predicate()).expect("provenance serialises");
        Statement::new(
            self.subjects.clone(),
            predicate_types::SLSA_PROVENANCE_V1,
            predicate,
        )
    }
}

/// Either provenance version, read from a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Provenance {
    /// v0.2.
    V02(Box<ProvenanceV02>),
    /// v1.
    V1(Box<ProvenanceV1>),
}

impl Provenance {
    /// The provenance in `statement`, or `None` when the predicate is something else.
    pub fn from_statement(statement: &Statement) -> Result<Option<Self>, crate::AttestError> {
        Ok(match statement.typed_predicate()? {
            Predicate::SlsaProvenanceV02(p) => Some(Self::V02(p)),
            Predicate::SlsaProvenanceV1(p) => Some(Self::V1(p)),
            _ => None,
        })
    }

    /// The builder id.
    pub fn builder_id(&self) -> &str {
        match self {
            Self::V02(p) => &p.builder.id,
            Self::V1(p) => &p.run_details.builder.id,
        }
    }

    /// The build type.
    pub fn build_type(&self) -> &str {
        match self {
            Self::V02(p) => &p.build_type,
            Self::V1(p) => &p.build_definition.build_type,
        }
    }
}
