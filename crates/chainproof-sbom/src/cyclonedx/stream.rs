//! Serialize-only views of the CycloneDX document we write, borrowing from the inventory.
//!
//! They mirror `model::{Bom, Component, Dependency, ...}` field by field (same names, order
//! and skip rules, so the JSON is byte-identical) but are built one component at a time
//! while the serializer writes: the encoder never holds a second copy of every package.

use std::borrow::Cow;

use chainproof_core::{Inventory, License, Package, PackageId, PackageKind, Scope};
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use super::model::Metadata;
use crate::CdxVersion;
use crate::conventions as cv;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Bom<'a> {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub bom_format: &'static str,
    pub spec_version: &'static str,
    pub serial_number: String,
    pub version: u32,
    pub metadata: Metadata,
    pub components: Components<'a>,
    pub dependencies: Dependencies<'a>,
}

/// Every package of the inventory as a component, in inventory order.
pub(super) struct Components<'a> {
    pub inventory: &'a Inventory,
    /// bom-refs, indexed like the inventory.
    pub refs: &'a [String],
    pub version: CdxVersion,
}

impl Serialize for Components<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.inventory.len()))?;
        for (id, p) in self.inventory.packages() {
            seq.serialize_element(&component(self.inventory, id, p, self.refs, self.version))?;
        }
        seq.end()
    }
}

/// The root's dependency entry, then one per package (in inventory order).
pub(super) struct Dependencies<'a> {
    pub inventory: &'a Inventory,
    pub refs: &'a [String],
    pub root_ref: &'a str,
    /// What the root depends on (inventory indexes).
    pub top: &'a [usize],
}

impl Serialize for Dependencies<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.inventory.len() + 1))?;
        seq.serialize_element(&Dependency {
            reference: self.root_ref,
            depends_on: Refs::Indexes(self.top, self.refs),
        })?;
        for (id, _) in self.inventory.packages() {
            seq.serialize_element(&Dependency {
                reference: &self.refs[id.index()],
                depends_on: Refs::Of(self.inventory, id, self.refs),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    depends_on: Refs<'a>,
}

/// A list of bom-refs: given by index, or the direct dependencies of a package.
enum Refs<'a> {
    Indexes(&'a [usize], &'a [String]),
    Of(&'a Inventory, PackageId, &'a [String]),
}

impl Serialize for Refs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Refs::Indexes(ix, refs) => serializer.collect_seq(ix.iter().map(|&i| &refs[i])),
            Refs::Of(inv, id, refs) => {
                serializer.collect_seq(inv.dependencies_of(id).map(|d| &refs[d.index()]))
            }
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component<'a> {
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    scope: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<HashEntry<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExternalReference<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Evidence<'a>>,
}

#[derive(Serialize)]
struct HashEntry<'a> {
    alg: &'static str,
    content: &'a str,
}

#[derive(Serialize)]
struct LicenseChoice<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<LicenseObject<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expression: Option<&'a str>,
}

#[derive(Serialize)]
struct LicenseObject<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct ExternalReference<'a> {
    #[serde(rename = "type")]
    ty: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Property<'a> {
    name: &'a str,
    value: Cow<'a, str>,
}

#[derive(Serialize)]
struct Evidence<'a> {
    occurrences: Vec<Occurrence<'a>>,
}

#[derive(Serialize)]
struct Occurrence<'a> {
    location: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
}

fn component<'a>(
    inventory: &'a Inventory,
    id: PackageId,
    p: &'a Package,
    refs: &'a [String],
    version: CdxVersion,
) -> Component<'a> {
    let mut properties = Vec::new();
    let prop = |name: &'a str, value: Cow<'a, str>| Property { name, value };
    if p.scope == Scope::Dev {
        properties.push(prop(cv::SCOPE, Scope::Dev.as_str().into()));
    }
    if p.purl.is_none() {
        properties.push(prop(cv::ECOSYSTEM, p.ecosystem.as_str().into()));
    }
    if let Some(s) = &p.source {
        properties.push(prop(cv::SOURCE, s.as_str().into()));
    }
    properties.extend(
        p.properties
            .iter()
            .map(|(k, v)| prop(k.as_str(), v.as_str().into())),
    );
    properties.extend(
        cv::package_layers(p)
            .into_iter()
            .map(|l| prop(cv::LAYER, l.into())),
    );

    let occurrences: Vec<Occurrence> = p
        .locations
        .iter()
        .map(|l| match version {
            CdxVersion::V1_5 => Occurrence {
                location: cv::format_location(l).into(),
                line: None,
            },
            CdxVersion::V1_6 => Occurrence {
                location: l.path.as_str().into(),
                line: l.line.map(u64::from),
            },
        })
        .collect();

    Component {
        ty: match p.kind {
            PackageKind::Project => "application",
            PackageKind::Library => "library",
        },
        bom_ref: &refs[id.index()],
        name: &p.name,
        version: p.version.as_deref(),
        scope: match p.scope {
            Scope::Runtime => "required",
            Scope::Optional => "optional",
            Scope::Dev => "excluded",
        },
        hashes: p
            .hashes
            .iter()
            .map(|h| HashEntry {
                alg: h.algorithm.cyclonedx_name(),
                content: &h.value,
            })
            .collect(),
        licenses: licenses(&p.licenses),
        // The inventory's key of a package with a purl is its purl string.
        purl: p.purl.as_ref().map(|_| inventory.key(id)),
        external_references: p
            .source
            .iter()
            .filter(|s| cv::is_url(s))
            .map(|s| ExternalReference {
                ty: if s.starts_with("git") {
                    "vcs"
                } else {
                    "distribution"
                },
                url: s,
            })
            .collect(),
        properties,
        evidence: (!occurrences.is_empty()).then_some(Evidence { occurrences }),
    }
}

/// One SPDX expression alone as `expression`; otherwise every license by name (the schema
/// does not allow an expression beside other entries, and `id` must be on its fixed list).
fn licenses(licenses: &[License]) -> Vec<LicenseChoice<'_>> {
    match licenses {
        [License::Spdx(expr)] => vec![LicenseChoice {
            license: None,
            expression: Some(expr),
        }],
        many => many
            .iter()
            .map(|l| LicenseChoice {
                license: Some(LicenseObject { name: l.as_str() }),
                expression: None,
            })
            .collect(),
    }
}
