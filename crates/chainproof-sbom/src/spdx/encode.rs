//! Inventory → SPDX 2.3 JSON.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;

use chainproof_core::{Inventory, License, Package, PackageKind, Scope};

use super::model::{
    Annotation, Checksum, CreationInfo, Document, ExternalRef, ExtractedLicense,
    Package as SpdxPackage, Relationship,
};
use crate::conventions as cv;
use crate::{EncodeOptions, SbomError};

const NOASSERTION: &str = "NOASSERTION";

struct Writer {
    annotator: String,
    date: String,
    /// Non-SPDX license text → its `LicenseRef-…` id.
    extracted: BTreeMap<String, String>,
}

impl Writer {
    fn annotation(&self, name: &str, value: &str) -> Annotation {
        Annotation {
            annotator: self.annotator.clone(),
            annotation_date: self.date.clone(),
            annotation_type: "OTHER".into(),
            comment: format!("{name}={value}"),
        }
    }

    fn license_ref(&mut self, text: &str) -> String {
        let n = self.extracted.len() + 1;
        self.extracted
            .entry(text.to_string())
            .or_insert_with(|| format!("LicenseRef-chainproof-{n}"))
            .clone()
    }

    /// The declared license expression; several licenses are joined with AND.
    fn declared(&mut self, licenses: &[License]) -> String {
        let parts: Vec<String> = licenses
            .iter()
            .map(|l| match l {
                License::Spdx(e) => e.clone(),
                License::Other(t) => self.license_ref(t),
            })
            .collect();
        match parts.as_slice() {
            [] => NOASSERTION.into(),
            [one] => one.clone(),
            many => many
                .iter()
                .map(|p| {
                    if p.contains(' ') {
                        format!("({p})")
                    } else {
                        p.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        }
    }

    fn package(&mut self, p: &Package, spdx_id: String) -> SpdxPackage {
        let mut annotations = Vec::new();
        if p.scope != Scope::Runtime {
            annotations.push(self.annotation(cv::SCOPE, p.scope.as_str()));
        }
        if p.purl.is_none() {
            annotations.push(self.annotation(cv::ECOSYSTEM, p.ecosystem.as_str()));
        }
        if p.kind == PackageKind::Project {
            annotations.push(self.annotation(cv::KIND, "project"));
        }
        let download = p.source.as_deref().filter(|s| cv::is_url(s));
        if let (Some(s), None) = (&p.source, download) {
            annotations.push(self.annotation(cv::SOURCE, s));
        }
        for l in &p.locations {
            annotations.push(self.annotation(cv::LOCATION, &cv::format_location(l)));
        }
        if p.licenses.len() > 1 {
            for l in &p.licenses {
                annotations.push(self.annotation(cv::LICENSE, l.as_str()));
            }
        }
        for (k, v) in &p.properties {
            annotations.push(self.annotation(k, v));
        }
        for l in cv::package_layers(p) {
            annotations.push(self.annotation(cv::LAYER, l));
        }
        SpdxPackage {
            spdx_id,
            name: p.name.clone(),
            version_info: p.version.clone(),
            download_location: download.unwrap_or(NOASSERTION).to_string(),
            files_analyzed: Some(false),
            checksums: p
                .hashes
                .iter()
                .map(|h| Checksum {
                    algorithm: h.algorithm.spdx_name().into(),
                    checksum_value: h.value.clone(),
                })
                .collect(),
            license_concluded: Some(NOASSERTION.into()),
            license_declared: Some(self.declared(&p.licenses)),
            copyright_text: Some(NOASSERTION.into()),
            external_refs: p
                .purl
                .iter()
                .map(|purl| ExternalRef {
                    reference_category: "PACKAGE-MANAGER".into(),
                    reference_type: "purl".into(),
                    reference_locator: purl.to_string(),
                })
                .collect(),
            primary_package_purpose: Some(
                match p.kind {
                    PackageKind::Project => "APPLICATION",
                    PackageKind::Library => "LIBRARY",
                }
                .into(),
            ),
            comment: (p.scope != Scope::Runtime).then(|| format!("scope: {}", p.scope)),
            annotations,
        }
    }
}

pub fn encode(
    inventory: &Inventory,
    options: &EncodeOptions,
    out: &mut dyn Write,
) -> Result<(), SbomError> {
    let serial = cv::serial_uuid(options)?;
    let tool = format!("{}-{}", options.tool_name, options.tool_version);
    let mut w = Writer {
        annotator: format!("Tool: {tool}"),
        date: cv::timestamp(options.timestamp),
        extracted: BTreeMap::new(),
    };
    let source = &inventory.source;
    let doc_name = if source.name.is_empty() {
        "chainproof-sbom".to_string()
    } else {
        source.name.clone()
    };

    let mut used = HashSet::from(["SPDXRef-DOCUMENT".to_string()]);
    let root_id = unique_id("SPDXRef-RootPackage".into(), &mut used);
    let ids: Vec<String> = inventory
        .packages()
        .map(|(_, p)| {
            let base = match &p.version {
                Some(v) => format!("SPDXRef-Package-{}-{}", id_chars(&p.name), id_chars(v)),
                None => format!("SPDXRef-Package-{}", id_chars(&p.name)),
            };
            unique_id(base, &mut used)
        })
        .collect();

    let mut root = SpdxPackage {
        spdx_id: root_id.clone(),
        name: doc_name.clone(),
        version_info: source.version.clone(),
        download_location: NOASSERTION.into(),
        files_analyzed: Some(false),
        license_concluded: Some(NOASSERTION.into()),
        license_declared: Some(NOASSERTION.into()),
        copyright_text: Some(NOASSERTION.into()),
        primary_package_purpose: Some(
            match source.kind.as_str() {
                "directory" => "SOURCE",
                "file" => "FILE",
                "image" => "CONTAINER",
                _ => "OTHER",
            }
            .into(),
        ),
        ..SpdxPackage::default()
    };
    if !source.kind.is_empty() {
        root.annotations
            .push(w.annotation(cv::SOURCE_KIND, &source.kind));
    }
    if let Some(image) = &source.image {
        root.external_refs = image
            .purl
            .iter()
            .map(|purl| ExternalRef {
                reference_category: "PACKAGE-MANAGER".into(),
                reference_type: "purl".into(),
                reference_locator: purl.clone(),
            })
            .collect();
        root.checksums = image
            .manifest_digest
            .as_deref()
            .and_then(cv::sha256_hex)
            .map(|h| Checksum {
                algorithm: "SHA256".into(),
                checksum_value: h.to_string(),
            })
            .into_iter()
            .collect();
        for (k, v) in cv::image_properties(image) {
            root.annotations.push(w.annotation(k, &v));
        }
    }

    let mut packages = vec![root];
    for (id, p) in inventory.packages() {
        packages.push(w.package(p, ids[id.index()].clone()));
    }

    let rel = |a: &str, ty: &str, b: &str| Relationship {
        spdx_element_id: a.to_string(),
        relationship_type: ty.to_string(),
        related_spdx_element: b.to_string(),
    };
    let mut relationships = vec![rel("SPDXRef-DOCUMENT", "DESCRIBES", &root_id)];
    for i in crate::cyclonedx::top_level(inventory) {
        relationships.push(rel(&root_id, "DEPENDS_ON", &ids[i]));
    }
    for (a, b) in inventory.edges() {
        relationships.push(rel(&ids[a.index()], "DEPENDS_ON", &ids[b.index()]));
    }

    let annotations = inventory
        .unparsed()
        .iter()
        .map(|u| w.annotation(cv::UNPARSED, &cv::format_unparsed(u)))
        .collect();
    let mut extracted: Vec<ExtractedLicense> = w
        .extracted
        .iter()
        .map(|(text, id)| ExtractedLicense {
            license_id: id.clone(),
            extracted_text: text.clone(),
            name: Some(text.clone()),
        })
        .collect();
    extracted.sort_by(|a, b| a.license_id.cmp(&b.license_id));

    let doc = Document {
        spdx_version: "SPDX-2.3".into(),
        data_license: "CC0-1.0".into(),
        spdx_id: "SPDXRef-DOCUMENT".into(),
        name: doc_name.clone(),
        document_namespace: format!(
            "https://chainproof.dev/spdxdocs/{}-{serial}",
            id_chars(&doc_name)
        ),
        creation_info: CreationInfo {
            created: cv::timestamp(options.timestamp),
            creators: vec![format!("Tool: {tool}")],
        },
        document_describes: Vec::new(),
        packages,
        has_extracted_licensing_infos: extracted,
        annotations,
        relationships,
    };
    serde_json::to_writer_pretty(out, &doc).map_err(|e| SbomError::Write {
        message: format!("cannot serialize the SPDX document: {e}"),
    })
}

/// Keeps the characters an SPDX idstring allows (`[A-Za-z0-9.-]`), others become `-`.
fn id_chars(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if mapped.is_empty() {
        "unnamed".into()
    } else {
        mapped
    }
}

fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let id = if used.contains(&base) {
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| !used.contains(c))
            .expect("an unused suffix exists")
    } else {
        base
    };
    used.insert(id.clone());
    id
}
