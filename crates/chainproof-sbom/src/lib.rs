//! SBOM formats: CycloneDX 1.5/1.6 JSON and SPDX 2.3 JSON — our own serde models,
//! writers from and readers into the core [`Inventory`], and offline validation against the
//! bundled official JSON schemas plus semantic checks.
//!
//! - [`encode`] writes an inventory in a format ([`encode_to_writer`] streams it).
//! - [`decode`] detects the format of a document and reads it into an inventory.
//! - [`validate`] checks a document against its schema and semantic rules.
//! - [`detect`] only tells the format and version.
//!
//! Readers are lenient (unknown fields are ignored, optional fields may be missing) and
//! accept CycloneDX 1.0–1.7 and SPDX 2.x JSON. Writers produce CycloneDX 1.5/1.6 and SPDX 2.3
//! that validate against the official schemas, which are bundled ([`validate`] works offline).
//!
//! Facts that a format has no field for are kept as `chainproof:*` properties (CycloneDX
//! `properties`, SPDX `annotations`), so that CycloneDX → inventory → SPDX → inventory keeps
//! packages, purls, hashes, licenses, scopes, locations and edges.
//!
//! ```
//! use chainproof_core::{Ecosystem, Inventory, Package, SourceInfo};
//! use chainproof_sbom::{decode, encode, CdxVersion, EncodeOptions, Format};
//! let mut inv = Inventory::new(SourceInfo { kind: "directory".into(), name: "app".into(), version: None, image: None });
//! let purl = "pkg:npm/left-pad@1.3.0".parse().unwrap();
//! let dep = inv.add_package(Package::new(Ecosystem::Npm, "left-pad", Some("1.3.0")).with_purl(purl));
//! inv.add_root(dep);
//! let json = encode(&inv, Format::CycloneDxJson(CdxVersion::V1_6), &EncodeOptions::default()).unwrap();
//! let back = decode(json.as_bytes(), "bom.json").unwrap();
//! assert_eq!(back.inventory.len(), 1);
//! assert_eq!(chainproof_sbom::validate(json.as_bytes(), "bom.json").unwrap().problems, vec![]);
//! ```
#![forbid(unsafe_code)]

mod conventions;
mod cyclonedx;
mod json;
mod schema;
mod spdx;
mod validate;

use std::time::SystemTime;

use chainproof_core::Inventory;

pub use json::detect;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    CycloneDxJson(CdxVersion),
    SpdxJson,
}

/// CycloneDX specification versions we write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CdxVersion {
    V1_5,
    #[default]
    V1_6,
}

/// A format detected when reading, with its version string (`1.6`, `SPDX-2.3`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetectedFormat {
    CycloneDx { version: String },
    Spdx { version: String },
}

/// Document metadata that does not come from the inventory.
#[derive(Debug, Clone)]
pub struct EncodeOptions {
    pub tool_name: String,
    pub tool_version: String,
    /// Creation time written into the document.
    pub timestamp: SystemTime,
    /// A fixed serial number / document namespace suffix (a random UUID when `None`).
    pub serial: Option<String>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            tool_name: "chainproof".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            timestamp: SystemTime::now(),
            serial: None,
        }
    }
}

/// A document read back into the model.
#[derive(Debug)]
pub struct Decoded {
    pub format: DetectedFormat,
    pub inventory: Inventory,
}

/// One problem found by [`validate`], located by a JSON pointer into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: String,
    pub message: String,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The document does not match the official JSON schema.
    Schema,
    /// Schema-valid but inconsistent: dangling reference, duplicate bom-ref / SPDXID, ...
    Semantic,
}

/// The outcome of [`validate`]: valid when `problems` is empty.
#[derive(Debug, Clone)]
pub struct Validation {
    pub format: DetectedFormat,
    pub problems: Vec<Problem>,
}

impl Validation {
    /// No schema or semantic problem was found.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Errors: the document could not be read at all (not JSON, unknown format, ...).
#[derive(Debug, thiserror::Error)]
pub enum SbomError {
    #[error("{path}:{line}:{column}: invalid JSON: {message}")]
    Json {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: not a CycloneDX or SPDX JSON document ({reason})")]
    UnknownFormat { path: String, reason: String },
    #[error("{path}: unsupported {format} version `{version}`")]
    UnsupportedVersion {
        path: String,
        format: &'static str,
        version: String,
    },
    #[error("{path} (at {pointer}): {message}")]
    Invalid {
        path: String,
        pointer: String,
        message: String,
    },
    /// The document could not be written (an I/O error of the writer given to
    /// [`encode_to_writer`]).
    #[error("writing the SBOM: {message}")]
    Write { message: String },
}

/// Writes an inventory in `format` (pretty-printed JSON).
pub fn encode(
    inventory: &Inventory,
    format: Format,
    options: &EncodeOptions,
) -> Result<String, SbomError> {
    let mut out = Vec::new();
    encode_to_writer(inventory, format, options, &mut out)?;
    String::from_utf8(out).map_err(|e| SbomError::Write {
        message: format!("the serializer wrote invalid UTF-8: {e}"),
    })
}

/// Writes an inventory in `format` (pretty-printed JSON, the same bytes as [`encode`])
/// to `out` while it is serialized: no copy of the document is built in memory. Give it a
/// buffered writer (`std::io::BufWriter`); it does not flush.
pub fn encode_to_writer(
    inventory: &Inventory,
    format: Format,
    options: &EncodeOptions,
    out: &mut dyn std::io::Write,
) -> Result<(), SbomError> {
    match format {
        Format::CycloneDxJson(version) => cyclonedx::encode(inventory, version, options, out),
        Format::SpdxJson => spdx::encode(inventory, options, out),
    }
}

/// Detects the format of a JSON document and reads it. `path` is used in errors only.
pub fn decode(bytes: &[u8], path: &str) -> Result<Decoded, SbomError> {
    let doc = json::Document::new(bytes, path);
    let format = doc.head()?.detect(path)?;
    let inventory = match &format {
        DetectedFormat::CycloneDx { .. } => cyclonedx::decode(&doc)?,
        DetectedFormat::Spdx { .. } => spdx::decode(&doc)?,
    };
    Ok(Decoded { format, inventory })
}

/// Validates a document against the bundled schema of its format and version, then
/// semantic rules. `Err` only when the document cannot be read at all (not JSON, not an
/// SBOM, or a version without a bundled schema: CycloneDX 1.4–1.7 and SPDX 2.2/2.3 are known).
pub fn validate(bytes: &[u8], path: &str) -> Result<Validation, SbomError> {
    let doc = json::Document::new(bytes, path);
    let value = doc.value()?;
    let format = json::Head::of_value(&value, path)?.detect(path)?;
    let problems = validate::problems(&doc, &value, &format)?;
    Ok(Validation { format, problems })
}
