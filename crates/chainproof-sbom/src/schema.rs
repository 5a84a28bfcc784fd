//! The official JSON schemas, bundled into the crate and compiled once on first use.
//! References between them (`spdx.schema.json`, `jsf-0.82.schema.json`,
//! `cryptography-defs.schema.json`) resolve to the bundled copies; nothing is fetched.

use std::sync::OnceLock;

use jsonschema::{Registry, Validator};
use serde_json::Value;

/// A schema we can validate against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schema {
    CycloneDx14,
    CycloneDx15,
    CycloneDx16,
    CycloneDx17,
    Spdx22,
    Spdx23,
}

const CDX_BASE: &str = "http://cyclonedx.org/schema/";

/// Schemas that the CycloneDX schemas reference, by file name.
const CDX_SHARED: &[(&str, &str)] = &[
    (
        "spdx.schema.json",
        include_str!("../schemas/spdx.schema.json"),
    ),
    (
        "jsf-0.82.schema.json",
        include_str!("../schemas/jsf-0.82.schema.json"),
    ),
    (
        "cryptography-defs.schema.json",
        include_str!("../schemas/cryptography-defs.schema.json"),
    ),
];

impl Schema {
    /// The schema for a detected format version, if one is bundled.
    pub fn for_cyclonedx(version: &str) -> Option<Schema> {
        Some(match version {
            "1.4" => Schema::CycloneDx14,
            "1.5" => Schema::CycloneDx15,
            "1.6" => Schema::CycloneDx16,
            "1.7" => Schema::CycloneDx17,
            _ => return None,
        })
    }

    pub fn for_spdx(version: &str) -> Option<Schema> {
        Some(match version {
            "SPDX-2.2" => Schema::Spdx22,
            "SPDX-2.3" => Schema::Spdx23,
            _ => return None,
        })
    }

    fn text(self) -> &'static str {
        match self {
            Schema::CycloneDx14 => include_str!("../schemas/bom-1.4.schema.json"),
            Schema::CycloneDx15 => include_str!("../schemas/bom-1.5.schema.json"),
            Schema::CycloneDx16 => include_str!("../schemas/bom-1.6.schema.json"),
            Schema::CycloneDx17 => include_str!("../schemas/bom-1.7.schema.json"),
            Schema::Spdx22 => include_str!("../schemas/spdx-2.2.schema.json"),
            Schema::Spdx23 => include_str!("../schemas/spdx-2.3.schema.json"),
        }
    }

    fn slot(self) -> &'static OnceLock<Result<Validator, String>> {
        static SLOTS: [OnceLock<Result<Validator, String>>; 6] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        &SLOTS[self as usize]
    }

    /// The compiled validator (compiled on first use). `Err` means a bundled schema is
    /// broken, which is a bug of this crate, reported rather than panicking.
    pub fn validator(self) -> Result<&'static Validator, String> {
        self.slot()
            .get_or_init(|| self.compile())
            .as_ref()
            .map_err(Clone::clone)
    }

    fn compile(self) -> Result<Validator, String> {
        let parse = |name: &str, text: &str| -> Result<Value, String> {
            serde_json::from_str(text).map_err(|e| format!("bundled schema {name}: {e}"))
        };
        let schema = parse("main", self.text())?;
        let is_cdx = !matches!(self, Schema::Spdx22 | Schema::Spdx23);
        let options = jsonschema::options()
            .should_validate_formats(true)
            .offline();
        if !is_cdx {
            return options.build(&schema).map_err(|e| e.to_string());
        }
        let mut builder = Registry::new();
        for (name, text) in CDX_SHARED {
            builder = builder
                .add(format!("{CDX_BASE}{name}"), parse(name, text)?)
                .map_err(|e| e.to_string())?;
        }
        let registry = builder.prepare().map_err(|e| e.to_string())?;
        options
            .with_registry(&registry)
            .build(&schema)
            .map_err(|e| e.to_string())
    }
}
