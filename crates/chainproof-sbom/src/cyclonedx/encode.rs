//! Inventory → CycloneDX 1.5 / 1.6 JSON.

use std::collections::HashSet;

use std::io::Write;

use chainproof_core::Inventory;
use serde_json::json;

use super::model::{Component, HashEntry, Metadata, Property};
use super::stream;
use crate::conventions as cv;
use crate::{CdxVersion, EncodeOptions, SbomError};

impl CdxVersion {
    /// The `specVersion` string (`1.6`).
    pub fn as_str(self) -> &'static str {
        match self {
            CdxVersion::V1_5 => "1.5",
            CdxVersion::V1_6 => "1.6",
        }
    }
}

pub fn encode(
    inventory: &Inventory,
    version: CdxVersion,
    options: &EncodeOptions,
    out: &mut dyn Write,
) -> Result<(), SbomError> {
    let serial = cv::serial_uuid(options)?;
    let refs = bom_refs(inventory);
    let root_ref = {
        let used: HashSet<&str> = refs.iter().map(String::as_str).collect();
        unique_ref(format!("root:{}", non_empty(&inventory.source.name)), |r| {
            used.contains(r)
        })
    };
    let top = top_level(inventory);

    let source = &inventory.source;
    let mut root = Component {
        ty: root_type(&source.kind).to_string(),
        bom_ref: Some(root_ref.clone()),
        name: non_empty(&source.name).to_string(),
        version: source.version.clone(),
        properties: (!source.kind.is_empty())
            .then(|| Property::new(cv::SOURCE_KIND, source.kind.clone()))
            .into_iter()
            .collect(),
        ..Component::default()
    };
    if let Some(image) = &source.image {
        root.purl = image.purl.clone();
        root.hashes = image
            .manifest_digest
            .as_deref()
            .and_then(cv::sha256_hex)
            .map(|h| HashEntry {
                alg: "SHA-256".into(),
                content: h.to_string(),
            })
            .into_iter()
            .collect();
        root.properties.extend(
            cv::image_properties(image)
                .into_iter()
                .map(|(k, v)| Property::new(k, v)),
        );
    }
    // Same fields, order and skip rules as `model::Bom`, but components and dependencies
    // are serialized straight from the inventory (borrowed), without building them first.
    let bom = stream::Bom {
        schema: format!(
            "http://cyclonedx.org/schema/bom-{}.schema.json",
            version.as_str()
        ),
        bom_format: "CycloneDX",
        spec_version: version.as_str(),
        serial_number: format!("urn:uuid:{serial}"),
        version: 1,
        metadata: Metadata {
            timestamp: Some(cv::timestamp(options.timestamp)),
            tools: Some(json!({ "components": [{
                "type": "application",
                "name": options.tool_name,
                "version": options.tool_version,
            }]})),
            component: Some(root),
            properties: inventory
                .unparsed()
                .iter()
                .map(|u| Property::new(cv::UNPARSED, cv::format_unparsed(u)))
                .collect(),
        },
        components: stream::Components {
            inventory,
            refs: &refs,
            version,
        },
        dependencies: stream::Dependencies {
            inventory,
            refs: &refs,
            root_ref: &root_ref,
            top: &top,
        },
    };
    serde_json::to_writer_pretty(out, &bom).map_err(|e| SbomError::Write {
        message: format!("cannot serialize the BOM: {e}"),
    })
}

/// The packages the root component depends on: the inventory's roots, or every package
/// nothing depends on when no root is marked. Indexes in inventory order.
pub(crate) fn top_level(inventory: &Inventory) -> Vec<usize> {
    let roots: Vec<usize> = inventory.roots().map(|r| r.index()).collect();
    if !roots.is_empty() {
        return roots;
    }
    let targets: HashSet<usize> = inventory.edges().map(|(_, to)| to.index()).collect();
    (0..inventory.len())
        .filter(|i| !targets.contains(i))
        .collect()
}

fn non_empty(name: &str) -> &str {
    if name.is_empty() { "unnamed" } else { name }
}

fn root_type(kind: &str) -> &'static str {
    match kind {
        "file" => "file",
        "image" => "container",
        _ => "application",
    }
}

/// One bom-ref per package: the purl when present, else a ref built from the package key;
/// duplicates get a `#<n>` suffix. Indexed like the inventory.
fn bom_refs(inventory: &Inventory) -> Vec<String> {
    let mut used = HashSet::with_capacity(inventory.len());
    inventory
        .packages()
        .map(|(id, p)| {
            // The key is the purl string when there is a purl (computed once, when added).
            let base = match &p.purl {
                Some(_) => inventory.key(id).to_string(),
                None => format!("chainproof:{}", p.key()),
            };
            let r = unique_ref(base, |r| used.contains(r));
            used.insert(r.clone());
            r
        })
        .collect()
}

fn unique_ref(base: String, used: impl Fn(&str) -> bool) -> String {
    if !used(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}#{n}"))
        .find(|r| !used(r))
        .expect("an unused suffix exists")
}
