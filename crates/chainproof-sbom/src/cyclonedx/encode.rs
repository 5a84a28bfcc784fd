//! Inventory → CycloneDX 1.5 / 1.6 JSON.

use std::collections::HashSet;

use chainproof_core::{Inventory, License, Package, PackageKind, Scope};
use serde_json::json;

use super::model::{
    Bom, Component, Dependency, Evidence, ExternalReference, HashEntry, LicenseChoice,
    LicenseObject, Metadata, Occurrence, Property,
};
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
) -> Result<String, SbomError> {
    let serial = cv::serial_uuid(options)?;
    let refs = bom_refs(inventory);
    let root_ref = {
        let used: HashSet<&str> = refs.iter().map(String::as_str).collect();
        unique_ref(format!("root:{}", non_empty(&inventory.source.name)), |r| {
            used.contains(r)
        })
    };

    let components = inventory
        .packages()
        .map(|(id, p)| {
            // The inventory's key of a package with a purl is its purl string.
            let purl = p.purl.as_ref().map(|_| inventory.key(id).to_string());
            component(p, purl, refs[id.index()].clone(), version)
        })
        .collect();

    let mut dependencies = Vec::with_capacity(inventory.len() + 1);
    dependencies.push(Dependency {
        reference: root_ref.clone(),
        depends_on: top_level(inventory)
            .into_iter()
            .map(|i| refs[i].clone())
            .collect(),
    });
    for (id, _) in inventory.packages() {
        dependencies.push(Dependency {
            reference: refs[id.index()].clone(),
            depends_on: inventory
                .dependencies_of(id)
                .map(|d| refs[d.index()].clone())
                .collect(),
        });
    }

    let source = &inventory.source;
    let mut root = Component {
        ty: root_type(&source.kind).to_string(),
        bom_ref: Some(root_ref),
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
    let bom = Bom {
        schema: Some(format!(
            "http://cyclonedx.org/schema/bom-{}.schema.json",
            version.as_str()
        )),
        bom_format: "CycloneDX".into(),
        spec_version: version.as_str().into(),
        serial_number: Some(format!("urn:uuid:{serial}")),
        version: Some(json!(1)),
        metadata: Some(Metadata {
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
        }),
        components,
        dependencies,
    };
    serde_json::to_string_pretty(&bom).map_err(|e| SbomError::Invalid {
        path: "<output>".into(),
        pointer: String::new(),
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

fn component(p: &Package, purl: Option<String>, bom_ref: String, version: CdxVersion) -> Component {
    let mut properties = Vec::new();
    if p.scope == Scope::Dev {
        properties.push(Property::new(cv::SCOPE, Scope::Dev.as_str()));
    }
    if p.purl.is_none() {
        properties.push(Property::new(cv::ECOSYSTEM, p.ecosystem.as_str()));
    }
    if let Some(s) = &p.source {
        properties.push(Property::new(cv::SOURCE, s.clone()));
    }
    properties.extend(
        p.properties
            .iter()
            .map(|(k, v)| Property::new(k, v.clone())),
    );
    properties.extend(
        cv::package_layers(p)
            .into_iter()
            .map(|l| Property::new(cv::LAYER, l.to_string())),
    );

    let occurrences = p
        .locations
        .iter()
        .map(|l| match version {
            CdxVersion::V1_5 => Occurrence {
                location: cv::format_location(l),
                line: None,
            },
            CdxVersion::V1_6 => Occurrence {
                location: l.path.clone(),
                line: l.line.map(u64::from),
            },
        })
        .collect::<Vec<_>>();

    Component {
        ty: match p.kind {
            PackageKind::Project => "application",
            PackageKind::Library => "library",
        }
        .into(),
        bom_ref: Some(bom_ref),
        group: None,
        name: p.name.clone(),
        version: p.version.clone(),
        scope: Some(
            match p.scope {
                Scope::Runtime => "required",
                Scope::Optional => "optional",
                Scope::Dev => "excluded",
            }
            .into(),
        ),
        hashes: p
            .hashes
            .iter()
            .map(|h| HashEntry {
                alg: h.algorithm.cyclonedx_name().into(),
                content: h.value.clone(),
            })
            .collect(),
        licenses: licenses(&p.licenses),
        purl,
        external_references: p
            .source
            .iter()
            .filter(|s| cv::is_url(s))
            .map(|s| ExternalReference {
                ty: if s.starts_with("git") {
                    "vcs"
                } else {
                    "distribution"
                }
                .into(),
                url: s.clone(),
            })
            .collect(),
        properties,
        evidence: (!occurrences.is_empty()).then_some(Evidence { occurrences }),
        components: Vec::new(),
    }
}

/// One SPDX expression alone as `expression`; otherwise every license by name (the schema
/// does not allow an expression beside other entries, and `id` must be on its fixed list).
fn licenses(licenses: &[License]) -> Vec<LicenseChoice> {
    match licenses {
        [License::Spdx(expr)] => vec![LicenseChoice {
            license: None,
            expression: Some(expr.clone()),
        }],
        many => many
            .iter()
            .map(|l| LicenseChoice {
                license: Some(LicenseObject {
                    id: None,
                    name: Some(l.as_str().to_string()),
                }),
                expression: None,
            })
            .collect(),
    }
}
