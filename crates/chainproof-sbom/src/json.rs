//! Reading a JSON document: syntax errors with line and column, format detection, and
//! typed deserialization whose errors name the file and the place.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::{DetectedFormat, SbomError};

/// A parsed JSON document and where it came from.
pub(crate) struct Document<'a> {
    pub path: &'a str,
    /// The bytes without a leading UTF-8 byte order mark.
    pub bytes: &'a [u8],
}

impl<'a> Document<'a> {
    pub fn new(bytes: &'a [u8], path: &'a str) -> Self {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        Document { path, bytes }
    }

    /// The whole document as a `Value` tree (for schema validation).
    pub fn value(&self) -> Result<Value, SbomError> {
        serde_json::from_slice(self.bytes).map_err(|e| json_error(self.path, &e))
    }

    /// Reads only the format fields; the rest is checked for syntax and skipped.
    pub fn head(&self) -> Result<Head, SbomError> {
        let is_object = self.bytes.trim_ascii_start().first() == Some(&b'{');
        serde_json::from_slice(self.bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Data if !is_object => {
                unknown(self.path, "the top-level value is not an object")
            }
            _ => json_error(self.path, &e),
        })
    }

    /// Deserializes the whole document into a typed model; type errors carry line/column.
    pub fn typed<T: Deserialize<'a>>(&self) -> Result<T, SbomError> {
        serde_json::from_slice(self.bytes).map_err(|e| json_error(self.path, &e))
    }
}

impl Head {
    /// The format fields of a document already parsed into a `Value`.
    pub fn of_value(value: &Value, path: &str) -> Result<Self, SbomError> {
        let Some(obj) = value.as_object() else {
            return Err(unknown(path, "the top-level value is not an object"));
        };
        Ok(Head {
            bom_format: obj.get("bomFormat").cloned(),
            spec_version: obj.get("specVersion").cloned(),
            spdx_version: obj.get("spdxVersion").cloned(),
            context: obj.get("@context").map(|_| IgnoredAny),
            graph: obj.get("@graph").map(|_| IgnoredAny),
        })
    }
}

/// The top-level fields that tell the format, read without building the rest of the
/// document: `decode` parses a large SBOM once, into its typed model, not into a `Value`
/// tree first.
#[derive(Deserialize)]
pub(crate) struct Head {
    #[serde(rename = "bomFormat")]
    bom_format: Option<Value>,
    #[serde(rename = "specVersion")]
    spec_version: Option<Value>,
    #[serde(rename = "spdxVersion")]
    spdx_version: Option<Value>,
    #[serde(rename = "@context")]
    context: Option<IgnoredAny>,
    #[serde(rename = "@graph")]
    graph: Option<IgnoredAny>,
}

fn unknown(path: &str, reason: &str) -> SbomError {
    SbomError::UnknownFormat {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

impl Head {
    pub fn detect(&self, path: &str) -> Result<DetectedFormat, SbomError> {
        if let Some(f) = &self.bom_format {
            // A wrong `bomFormat` beside a CycloneDX `specVersion` is still reported as a
            // CycloneDX document, so that `validate` can point at the field.
            if f.as_str() != Some("CycloneDX") && self.spec_version.is_none() {
                return Err(unknown(path, "`bomFormat` is not \"CycloneDX\""));
            }
            let version = self
                .spec_version
                .as_ref()
                .and_then(Value::as_str)
                .ok_or_else(|| SbomError::Invalid {
                    path: path.to_string(),
                    pointer: "/specVersion".into(),
                    message: "CycloneDX document without a `specVersion` string".into(),
                })?;
            if !version.starts_with("1.") {
                return Err(SbomError::UnsupportedVersion {
                    path: path.to_string(),
                    format: "CycloneDX",
                    version: version.to_string(),
                });
            }
            return Ok(DetectedFormat::CycloneDx {
                version: version.to_string(),
            });
        }
        if let Some(v) = &self.spdx_version {
            let version = v.as_str().ok_or_else(|| SbomError::Invalid {
                path: path.to_string(),
                pointer: "/spdxVersion".into(),
                message: "`spdxVersion` is not a string".into(),
            })?;
            if !version.starts_with("SPDX-2.") {
                return Err(SbomError::UnsupportedVersion {
                    path: path.to_string(),
                    format: "SPDX",
                    version: version.to_string(),
                });
            }
            return Ok(DetectedFormat::Spdx {
                version: version.to_string(),
            });
        }
        if self.context.is_some() || self.graph.is_some() {
            return Err(unknown(path, "SPDX 3 JSON-LD is not supported yet"));
        }
        Err(unknown(
            path,
            "neither `bomFormat` nor `spdxVersion` is present",
        ))
    }
}

/// Detects the format and version of a document without reading it further.
pub fn detect(bytes: &[u8], path: &str) -> Result<DetectedFormat, SbomError> {
    Document::new(bytes, path).head()?.detect(path)
}

pub(crate) fn json_error(path: &str, e: &serde_json::Error) -> SbomError {
    SbomError::Json {
        path: path.to_string(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    }
}

/// serde_json appends " at line L column C" to its messages; the error already says where.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Escapes one JSON-pointer reference token (RFC 6901).
pub(crate) fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}
