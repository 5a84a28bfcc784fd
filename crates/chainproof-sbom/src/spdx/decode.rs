//! SPDX 2.x JSON → inventory.

use std::collections::{BTreeMap, HashMap, HashSet};

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, License, Package, PackageId, PackageKind, Scope,
    SourceInfo,
};
use chainproof_purl::Purl;

use super::model::{Document, Package as SpdxPackage};
use super::split_property;
use crate::SbomError;
use crate::conventions as cv;
use crate::json;

/// Relationship types meaning "the related element depends on the element".
const REVERSED_DEPENDENCIES: &[&str] = &[
    "DEPENDENCY_OF",
    "DEV_DEPENDENCY_OF",
    "OPTIONAL_DEPENDENCY_OF",
    "BUILD_DEPENDENCY_OF",
    "TEST_DEPENDENCY_OF",
    "RUNTIME_DEPENDENCY_OF",
    "PROVIDED_DEPENDENCY_OF",
];

pub fn decode(doc: &json::Document<'_>) -> Result<Inventory, SbomError> {
    let d: Document = doc.typed()?;

    // What the document describes: one package is the inventoried thing itself.
    let mut described: Vec<&str> = d.document_describes.iter().map(String::as_str).collect();
    for r in &d.relationships {
        match r.relationship_type.as_str() {
            "DESCRIBES" if r.spdx_element_id == d.spdx_id => {
                described.push(&r.related_spdx_element)
            }
            "DESCRIBED_BY" if r.related_spdx_element == d.spdx_id => {
                described.push(&r.spdx_element_id)
            }
            _ => {}
        }
    }
    described.sort_unstable();
    described.dedup();
    let root_pkg = match described.as_slice() {
        [one] => d.packages.iter().find(|p| p.spdx_id == *one),
        _ => None,
    };

    let mut source = SourceInfo {
        kind: "sbom".into(),
        name: d.name.clone(),
        version: None,
        image: None,
    };
    if let Some(root) = root_pkg {
        source.name = root.name.clone();
        source.version = root.version_info.clone();
        if let Some((_, kind)) = properties(root).find(|(k, _)| *k == cv::SOURCE_KIND) {
            source.kind = kind.to_string();
        }
    }
    let root_id = root_pkg.map(|p| p.spdx_id.as_str());

    let extracted: HashMap<&str, &str> = d
        .has_extracted_licensing_infos
        .iter()
        .map(|e| {
            let text = e
                .name
                .as_deref()
                .filter(|n| !n.is_empty() && *n != "NOASSERTION")
                .unwrap_or(&e.extracted_text);
            (e.license_id.as_str(), text)
        })
        .collect();

    let mut inventory = Inventory::new(source);
    let mut ids: HashMap<&str, PackageId> = HashMap::new();
    for p in &d.packages {
        if Some(p.spdx_id.as_str()) == root_id {
            continue;
        }
        let id = inventory.add_package(package(p, &extracted));
        ids.entry(p.spdx_id.as_str()).or_insert(id);
    }

    let mut top: HashSet<&str> = HashSet::new();
    if root_id.is_none() {
        top.extend(described.iter().copied());
    }
    for r in &d.relationships {
        let (a, b) = (r.spdx_element_id.as_str(), r.related_spdx_element.as_str());
        let ty = r.relationship_type.as_str();
        let (from, to) = if ty == "DEPENDS_ON" {
            (a, b)
        } else if REVERSED_DEPENDENCIES.contains(&ty) {
            (b, a)
        } else if ty == "CONTAINS" && Some(a) == root_id {
            (a, b)
        } else {
            continue;
        };
        if Some(from) == root_id {
            top.insert(to);
        } else if let (Some(&f), Some(&t)) = (ids.get(from), ids.get(to)) {
            inventory.add_edge(f, t);
        }
    }
    let mut roots: Vec<PackageId> = top.iter().filter_map(|t| ids.get(t).copied()).collect();
    roots.sort_unstable();
    for r in roots {
        inventory.add_root(r);
    }

    for a in &d.annotations {
        if let Some((cv::UNPARSED, value)) = split_property(&a.comment) {
            inventory.add_unparsed(cv::parse_unparsed(value));
        }
    }
    Ok(inventory)
}

fn properties(p: &SpdxPackage) -> impl Iterator<Item = (&str, &str)> {
    p.annotations
        .iter()
        .filter_map(|a| split_property(&a.comment))
}

fn package(p: &SpdxPackage, extracted: &HashMap<&str, &str>) -> Package {
    let mut props = BTreeMap::new();
    let mut purl = None;
    for r in &p.external_refs {
        if r.reference_type == "purl" && purl.is_none() {
            match Purl::parse_lenient(&r.reference_locator) {
                Ok(parsed) => purl = Some(parsed),
                Err(e) => {
                    props.insert(
                        "chainproof:invalid-purl".to_string(),
                        format!("{} ({e})", r.reference_locator),
                    );
                }
            }
        }
    }
    let annotated: Vec<(&str, &str)> = properties(p).collect();
    let get = |name: &str| annotated.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);

    let ecosystem = match (&purl, get(cv::ECOSYSTEM)) {
        (Some(purl), _) => Ecosystem::from_purl_type(purl.ty()),
        (None, Some(e)) => cv::ecosystem_named(e),
        (None, None) => Ecosystem::Other("unknown".into()),
    };
    let version = p
        .version_info
        .as_deref()
        .filter(|v| !v.is_empty() && *v != "NOASSERTION");
    let mut pkg = Package::new(ecosystem, p.name.clone(), version);
    pkg.purl = purl;
    pkg.scope = match get(cv::SCOPE) {
        Some("dev") => Scope::Dev,
        Some("optional") => Scope::Optional,
        _ => Scope::Runtime,
    };
    pkg.kind = match (get(cv::KIND), p.primary_package_purpose.as_deref()) {
        (Some("project"), _) | (None, Some("APPLICATION")) => PackageKind::Project,
        _ => PackageKind::Library,
    };
    for c in &p.checksums {
        if let Some(h) = c
            .algorithm
            .parse::<HashAlgorithm>()
            .ok()
            .and_then(|alg| Hash::from_hex(alg, &c.checksum_value))
        {
            pkg = pkg.with_hash(h);
        }
    }
    let listed: Vec<&str> = annotated
        .iter()
        .filter(|(k, _)| *k == cv::LICENSE)
        .map(|(_, v)| *v)
        .collect();
    if listed.is_empty() {
        if let Some(l) = declared(p.license_declared.as_deref(), extracted) {
            pkg = pkg.with_license(l);
        }
    } else {
        for l in listed {
            pkg = pkg.with_license(License::parse(l));
        }
    }
    pkg.source = get(cv::SOURCE).map(str::to_string).or_else(|| {
        let d = p.download_location.as_str();
        (!d.is_empty() && d != "NOASSERTION" && d != "NONE").then(|| d.to_string())
    });
    for (k, v) in &annotated {
        if *k == cv::LOCATION {
            pkg = pkg.with_location(cv::parse_location(v));
        } else if !cv::is_reserved(k) {
            props.insert((*k).to_string(), (*v).to_string());
        }
    }
    pkg.properties = props;
    pkg
}

fn declared(expr: Option<&str>, extracted: &HashMap<&str, &str>) -> Option<License> {
    let expr = expr.map(str::trim).filter(|e| !e.is_empty())?;
    if expr == "NOASSERTION" || expr == "NONE" {
        return None;
    }
    if let Some(text) = extracted.get(expr) {
        return Some(License::Other((*text).to_string()));
    }
    Some(License::parse(expr))
}
