//! Reading a JSON document: syntax errors with line and column, format detection, and
//! typed deserialization whose errors name the file and the place.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{DetectedFormat, SbomError};

/// A parsed JSON document and where it came from.
pub(crate) struct Document<'a> {
    pub path: &'a str,
    /// The bytes without a leading UTF-8 byte order mark.
    pub bytes: &'a [u8],
    pub value: Value,
}

impl<'a> Document<'a> {
    pub fn parse(bytes: &'a [u8], path: &'a str) -> Result<Self, SbomError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let value = serde_json::from_slice(bytes).map_err(|e| json_error(path, &e))?;
        Ok(Document { path, bytes, value })
    }

    /// Deserializes the whole document into a typed model; type errors carry line/column.
    pub fn typed<T: DeserializeOwned>(&self) -> Result<T, SbomError> {
        serde_json::from_slice(self.bytes).map_err(|e| json_error(self.path, &e))
    }

    pub fn detect(&self) -> Result<DetectedFormat, SbomError> {
        let unknown = |reason: &str| SbomError::UnknownFormat {
            path: self.path.to_string(),
            reason: reason.to_string(),
        };
        let Some(obj) = self.value.as_object() else {
            return Err(unknown("the top-level value is not an object"));
        };
        if let Some(f) = obj.get("bomFormat") {
            // A wrong `bomFormat` beside a CycloneDX `specVersion` is still reported as a
            // CycloneDX document, so that `validate` can point at the field.
            if f.as_str() != Some("CycloneDX") && !obj.contains_key("specVersion") {
                return Err(unknown("`bomFormat` is not \"CycloneDX\""));
            }
            let version = obj
                .get("specVersion")
                .and_then(Value::as_str)
                .ok_or_else(|| SbomError::Invalid {
                    path: self.path.to_string(),
                    pointer: "/specVersion".into(),
                    message: "CycloneDX document without a `specVersion` string".into(),
                })?;
            if !version.starts_with("1.") {
                return Err(SbomError::UnsupportedVersion {
                    path: self.path.to_string(),
                    format: "CycloneDX",
                    version: version.to_string(),
                });
            }
            return Ok(DetectedFormat::CycloneDx {
                version: version.to_string(),
            });
        }
        if let Some(v) = obj.get("spdxVersion") {
            let version = v.as_str().ok_or_else(|| SbomError::Invalid {
                path: self.path.to_string(),
                pointer: "/spdxVersion".into(),
                message: "`spdxVersion` is not a string".into(),
            })?;
            if !version.starts_with("SPDX-2.") {
                return Err(SbomError::UnsupportedVersion {
                    path: self.path.to_string(),
                    format: "SPDX",
                    version: version.to_string(),
                });
            }
            return Ok(DetectedFormat::Spdx {
                version: version.to_string(),
            });
        }
        if obj.contains_key("@context") || obj.contains_key("@graph") {
            return Err(unknown("SPDX 3 JSON-LD is not supported yet"));
        }
        Err(unknown("neither `bomFormat` nor `spdxVersion` is present"))
    }
}

/// Detects the format and version of a document without reading it further.
pub fn detect(bytes: &[u8], path: &str) -> Result<DetectedFormat, SbomError> {
    Document::parse(bytes, path)?.detect()
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
