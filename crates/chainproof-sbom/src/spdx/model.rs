//! Serde model of the SPDX 2.x JSON subset we write and read. Unknown fields are ignored
//! and every optional field may be missing.

use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    #[serde(default)]
    pub spdx_version: String,
    #[serde(default)]
    pub data_license: String,
    #[serde(rename = "SPDXID", default)]
    pub spdx_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub document_namespace: String,
    #[serde(default)]
    pub creation_info: CreationInfo,
    /// Deprecated in 2.3 in favour of DESCRIBES relationships; read, never written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_describes: Vec<String>,
    #[serde(default)]
    pub packages: Vec<Package>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub has_extracted_licensing_infos: Vec<ExtractedLicense>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
    #[serde(default)]
    pub relationships: Vec<Relationship>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreationInfo {
    #[serde(default)]
    pub created: String,
    #[serde(default)]
    pub creators: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Package {
    #[serde(rename = "SPDXID", default)]
    pub spdx_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_info: Option<String>,
    #[serde(default)]
    pub download_location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_analyzed: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checksums: Vec<Checksum>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_concluded: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_declared: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copyright_text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_package_purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checksum {
    #[serde(default)]
    pub algorithm: String,
    #[serde(default)]
    pub checksum_value: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalRef {
    #[serde(default)]
    pub reference_category: String,
    #[serde(default)]
    pub reference_type: String,
    #[serde(default)]
    pub reference_locator: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Relationship {
    #[serde(default)]
    pub spdx_element_id: String,
    #[serde(default)]
    pub relationship_type: String,
    #[serde(default)]
    pub related_spdx_element: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtractedLicense {
    #[serde(default)]
    pub license_id: String,
    #[serde(default)]
    pub extracted_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotation {
    #[serde(default)]
    pub annotator: String,
    #[serde(default)]
    pub annotation_date: String,
    #[serde(default)]
    pub annotation_type: String,
    #[serde(default)]
    pub comment: String,
}
