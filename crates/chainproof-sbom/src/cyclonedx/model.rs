//! Serde model of the CycloneDX JSON subset we write and read (1.0–1.7 on read).
//! Unknown fields are ignored and every optional field may be missing.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A CycloneDX document; `C` is how `components` is held: parsed (`Vec<Component>`), or
/// each component's borrowed text (`Option<Vec<&RawValue>>`), to be parsed in parallel.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bom<C = Vec<Component>> {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(default)]
    pub bom_format: String,
    #[serde(default)]
    pub spec_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// An integer per the schema; kept as a value so a foreign spelling does not fail a read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    #[serde(default)]
    pub components: C,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// 1.4: an array of tools; 1.5+: `{ components, services }`. Not read back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<Component>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    #[serde(rename = "type", default)]
    pub ty: String,
    #[serde(rename = "bom-ref", default, skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<HashEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<LicenseChoice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_references: Vec<ExternalReference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// Nested components (flattened on read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct HashEntry {
    #[serde(default)]
    pub alg: String,
    #[serde(default)]
    pub content: String,
}

/// One entry of `licenses`: a license object or an SPDX expression.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct LicenseChoice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<LicenseObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct LicenseObject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ExternalReference {
    #[serde(rename = "type", default)]
    pub ty: String,
    #[serde(default)]
    pub url: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Property {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Property {
    pub fn new(name: &str, value: impl Into<String>) -> Self {
        Property {
            name: name.to_string(),
            value: Some(value.into()),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub occurrences: Vec<Occurrence>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Occurrence {
    #[serde(default)]
    pub location: String,
    /// 1.6+ only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dependency {
    #[serde(rename = "ref", default)]
    pub reference: String,
    #[serde(default)]
    pub depends_on: Vec<String>,
}
