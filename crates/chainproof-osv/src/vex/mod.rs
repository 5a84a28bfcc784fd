//! VEX: statements that a vulnerability does (not) affect a product, read from OpenVEX
//! (v0.0.1 and v0.2.0), CycloneDX VEX and CSAF 2.0 VEX documents, applied to findings, and
//! written as OpenVEX v0.2.0 or CycloneDX 1.6.
//!
//! Every format is mapped onto one [`VexStatement`]. A statement applies to a finding only
//! when the vulnerability matches (its id or any alias equals one of the finding's ids) *and*
//! one of its products matches the finding's package (see [`ProductId::matches`]). When
//! several statements apply, the newest (by timestamp) wins; statements without a timestamp
//! are older than any dated one, and between equals the one loaded last wins.
//!
//! ```
//! use chainproof_core::vuln::{Finding, Severity, VexStatus};
//! use chainproof_core::{Ecosystem, Inventory, Package};
//! use chainproof_osv::vex::VexSet;
//! let doc = br#"{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "me",
//!   "timestamp": "2024-01-01T00:00:00Z", "version": 1, "statements": [{
//!   "vulnerability": {"name": "CVE-2021-44228"},
//!   "products": [{"@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
//!   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}"#;
//! let vex = VexSet::parse(doc, "app.openvex.json").unwrap();
//! let mut inv = Inventory::default();
//! let purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1".parse().unwrap();
//! let pkg = inv.add_package(Package::new(Ecosystem::Maven, "log4j-core", Some("2.14.1")).with_purl(purl));
//! let mut findings = vec![Finding { id: "GHSA-jfh8-c2jp-5v3q".into(), aliases: vec!["CVE-2021-44228".into()],
//!   summary: None, package: pkg, affected: vec![], fixed_versions: vec![], severity: Severity::unknown(),
//!   references: vec![], sources: vec![], vex: None }];
//! vex.apply(&inv, &mut findings);
//! assert_eq!(findings[0].vex.as_ref().unwrap().status, VexStatus::NotAffected);
//! assert!(findings[0].is_suppressed());
//! ```

mod apply;
pub mod csaf;
pub mod cyclonedx;
mod merge;
pub mod openvex;
mod time;

use std::fmt;
use std::path::Path;

use chainproof_core::vuln::VexStatus;
use chainproof_purl::Purl;
use serde_json::Value;

pub use merge::merge;
pub use time::{Timestamp, civil_from_days, days_from_civil, parse_date};

/// One VEX statement, whatever format it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct VexStatement {
    /// The vulnerability's main id (`CVE-…`, `GHSA-…`).
    pub vulnerability: String,
    /// Other ids of the same vulnerability.
    pub aliases: Vec<String>,
    /// The products the statement is about.
    pub products: Vec<VexProduct>,
    /// The status.
    pub status: VexStatus,
    /// The justification for `not_affected`, as an OpenVEX name when the source used a
    /// known CycloneDX name (`code_not_reachable` → `vulnerable_code_not_in_execute_path`),
    /// verbatim otherwise.
    pub justification: Option<String>,
    /// Why the product is (not) affected, free text.
    pub impact: Option<String>,
    /// What to do about it, free text.
    pub action: Option<String>,
    /// When the statement was made (statement time, else document time).
    pub timestamp: Option<Timestamp>,
    /// The document it came from (a path).
    pub origin: String,
}

impl VexStatement {
    /// The vulnerability id followed by its aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.vulnerability.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The free text shown with the status: the action for `affected`, else the impact
    /// (falling back to the other one).
    pub fn note(&self) -> Option<String> {
        let (first, second) = match self.status {
            VexStatus::Affected => (&self.action, &self.impact),
            _ => (&self.impact, &self.action),
        };
        first.clone().or_else(|| second.clone())
    }
}

/// A product a statement is about, optionally narrowed to some of its subcomponents.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VexProduct {
    /// The product (an application, an image, a package).
    pub id: ProductId,
    /// When not empty: the statement is about these components *inside* the product.
    pub subcomponents: Vec<ProductId>,
}

impl VexProduct {
    /// A product without subcomponents.
    pub fn new(id: ProductId) -> Self {
        VexProduct {
            id,
            subcomponents: Vec::new(),
        }
    }
}

/// How a product is identified.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProductId {
    /// A package URL.
    Purl(Purl),
    /// Anything else (a CPE, an IRI, a CycloneDX bom-ref that names no purl, a CSAF
    /// product name).
    Other(String),
}

impl ProductId {
    /// A purl when `s` parses as one (leniently), else [`ProductId::Other`].
    pub fn parse(s: &str) -> ProductId {
        let s = s.trim();
        if s.starts_with("pkg:")
            && let Ok(p) = Purl::parse_lenient(s)
        {
            return ProductId::Purl(p);
        }
        ProductId::Other(s.to_string())
    }

    /// Whether this identifier names `purl`: same type, namespace and name; the same
    /// version when this one has a version; and the same value for every qualifier this one
    /// gives (other qualifiers and subpaths are ignored).
    pub fn matches_purl(&self, purl: &Purl) -> bool {
        match self {
            ProductId::Purl(p) => purl_matches(p, purl),
            ProductId::Other(s) => *s == purl.to_string(),
        }
    }
}

impl fmt::Display for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProductId::Purl(p) => write!(f, "{p}"),
            ProductId::Other(s) => f.write_str(s),
        }
    }
}

/// `pattern` (from a statement) names `purl` (of a package); see [`ProductId::matches_purl`].
pub fn purl_matches(pattern: &Purl, purl: &Purl) -> bool {
    pattern.ty().eq_ignore_ascii_case(purl.ty())
        && pattern.namespace() == purl.namespace()
        && pattern.name() == purl.name()
        && pattern.version().is_none_or(|v| Some(v) == purl.version())
        && pattern
            .qualifiers()
            .iter()
            .all(|(k, v)| purl.qualifier(k) == Some(v.as_str()))
}

/// Why VEX documents could not be read. Each names the file, and the JSON pointer when the
/// problem is inside the document.
#[derive(Debug, thiserror::Error)]
pub enum VexError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: invalid JSON: {message}")]
    Json {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: not a VEX document (OpenVEX, CycloneDX or CSAF): {reason}")]
    UnknownFormat { path: String, reason: String },
    #[error("{path} (at {pointer}): {message}")]
    Invalid {
        path: String,
        pointer: String,
        message: String,
    },
}

impl VexError {
    pub(crate) fn invalid(path: &str, pointer: &str, message: impl Into<String>) -> Self {
        VexError::Invalid {
            path: path.into(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// The VEX formats we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VexFormat {
    OpenVex,
    CycloneDx,
    Csaf,
}

impl VexFormat {
    /// Recognizes a parsed document: `@context` on openvex.dev, `bomFormat: CycloneDX`,
    /// or `document.csaf_version`.
    pub fn detect(doc: &Value) -> Option<VexFormat> {
        if doc
            .get("@context")
            .and_then(Value::as_str)
            .is_some_and(|c| c.contains("openvex"))
        {
            Some(VexFormat::OpenVex)
        } else if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
            Some(VexFormat::CycloneDx)
        } else if doc.pointer("/document/csaf_version").is_some() {
            Some(VexFormat::Csaf)
        } else {
            None
        }
    }
}

/// Statements loaded from VEX documents, in load order; see the module docs.
#[derive(Clone, Debug, Default)]
pub struct VexSet {
    statements: Vec<VexStatement>,
    target: Option<Purl>,
}

impl VexSet {
    /// Reads every file (any of the three formats, detected from content).
    pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<VexSet, VexError> {
        let mut set = VexSet::default();
        for p in paths {
            let path = p.as_ref();
            let shown = path.display().to_string();
            let bytes = std::fs::read(path).map_err(|source| VexError::Io {
                path: shown.clone(),
                source,
            })?;
            set.statements.extend(parse_document(&bytes, &shown)?);
        }
        Ok(set)
    }

    /// Reads one document from memory; `path` names it in errors and origins.
    pub fn parse(bytes: &[u8], path: &str) -> Result<VexSet, VexError> {
        Ok(VexSet {
            statements: parse_document(bytes, path)?,
            target: None,
        })
    }

    /// A set holding these statements.
    pub fn from_statements(statements: Vec<VexStatement>) -> VexSet {
        VexSet {
            statements,
            target: None,
        }
    }

    /// Adds the statements of another set after these (they win ties).
    pub fn extend(&mut self, other: VexSet) {
        self.statements.extend(other.statements);
    }

    /// The purl of the scanned artifact itself (e.g. `pkg:oci/app@sha256:…`), so statements
    /// about it with subcomponents can apply to the packages inside.
    pub fn with_target(mut self, target: Option<Purl>) -> VexSet {
        self.target = target;
        self
    }

    /// The statements, in load order.
    pub fn statements(&self) -> &[VexStatement] {
        &self.statements
    }

    /// Whether no statement was loaded.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }
}

/// Parses one document of any supported format into statements.
pub fn parse_document(bytes: &[u8], path: &str) -> Result<Vec<VexStatement>, VexError> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| VexError::Json {
        path: path.into(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let Some(format) = VexFormat::detect(&doc) else {
        let reason = if doc.is_object() {
            "no openvex @context, CycloneDX bomFormat or CSAF document.csaf_version"
        } else {
            "the document is not a JSON object"
        };
        return Err(VexError::UnknownFormat {
            path: path.into(),
            reason: reason.into(),
        });
    };
    match format {
        VexFormat::OpenVex => openvex::read(&doc, path),
        VexFormat::CycloneDx => cyclonedx::read(&doc, path),
        VexFormat::Csaf => csaf::read(&doc, path),
    }
}

/// Parses a status name in any of the formats' vocabularies.
pub fn parse_status(s: &str) -> Option<VexStatus> {
    Some(
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "not_affected" | "known_not_affected" | "false_positive" => VexStatus::NotAffected,
            "affected" | "known_affected" | "exploitable" => VexStatus::Affected,
            "fixed" | "resolved" | "resolved_with_pedigree" => VexStatus::Fixed,
            "under_investigation" | "in_triage" => VexStatus::UnderInvestigation,
            _ => return None,
        },
    )
}

/// The OpenVEX justification names.
pub const OPENVEX_JUSTIFICATIONS: [&str; 5] = [
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
];

/// JSON pointer of `key` under `base`.
pub(crate) fn ptr(base: &str, key: impl fmt::Display) -> String {
    format!(
        "{base}/{}",
        key.to_string().replace('~', "~0").replace('/', "~1")
    )
}

/// A non-empty string field.
pub(crate) fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// An array field (empty when absent or not an array).
pub(crate) fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}
