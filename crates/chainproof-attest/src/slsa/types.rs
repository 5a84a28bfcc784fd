//! Serde types for SLSA provenance v0.2 and v1 (unknown fields are tolerated).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::intoto::ResourceDescriptor;

/// SLSA provenance v0.2 predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvenanceV02 {
    /// The builder.
    pub builder: BuilderV02,
    /// Build type URI.
    pub build_type: String,
    /// How the build was invoked.
    #[serde(default)]
    pub invocation: InvocationV02,
    /// Build steps / config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_config: Option<Value>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MetadataV02>,
    /// Inputs.
    #[serde(default)]
    pub materials: Vec<MaterialV02>,
}

/// `builder` of v0.2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuilderV02 {
    /// Builder id URI.
    pub id: String,
}

/// `invocation` of v0.2.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvocationV02 {
    /// Where the build configuration came from.
    #[serde(default)]
    pub config_source: ConfigSourceV02,
    /// User parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// Environment (for GitHub builders: `github_ref`, `github_event_name`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Value>,
}

/// `invocation.configSource` of v0.2.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigSourceV02 {
    /// e.g. `git+https://github.com/o/r@refs/heads/main`.
    #[serde(default)]
    pub uri: String,
    /// Digest set.
    #[serde(default)]
    pub digest: std::collections::BTreeMap<String, String>,
    /// Entry point (workflow path).
    #[serde(default)]
    pub entry_point: String,
}

/// `metadata` of v0.2.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetadataV02 {
    /// Invocation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_invocation_id: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_started_on: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_finished_on: Option<String>,
    /// Completeness claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completeness: Option<Value>,
    /// Reproducible?
    #[serde(default)]
    pub reproducible: bool,
}

/// A v0.2 material.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MaterialV02 {
    /// URI.
    #[serde(default)]
    pub uri: String,
    /// Digest set.
    #[serde(default)]
    pub digest: std::collections::BTreeMap<String, String>,
}

/// SLSA provenance v1 predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvenanceV1 {
    /// What was built and from what.
    pub build_definition: BuildDefinition,
    /// Who built it and when.
    pub run_details: RunDetails,
}

/// `buildDefinition` of v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildDefinition {
    /// Build type URI.
    pub build_type: String,
    /// Parameters under the caller's control.
    #[serde(default)]
    pub external_parameters: Value,
    /// Parameters set by the builder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_parameters: Option<Value>,
    /// Inputs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolved_dependencies: Vec<ResourceDescriptor>,
}

/// `runDetails` of v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunDetails {
    /// The builder.
    pub builder: BuilderV1,
    /// Timing and invocation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BuildMetadataV1>,
    /// Extra outputs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub byproducts: Vec<ResourceDescriptor>,
}

/// `runDetails.builder` of v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuilderV1 {
    /// Builder id URI.
    pub id: String,
    /// Version map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Value>,
    /// The builder's own dependencies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub builder_dependencies: Vec<ResourceDescriptor>,
}

/// `runDetails.metadata` of v1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildMetadataV1 {
    /// Invocation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_id: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_on: Option<String>,
}
