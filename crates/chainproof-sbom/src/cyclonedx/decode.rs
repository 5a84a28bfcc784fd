//! CycloneDX JSON (any 1.x) → inventory.

use std::collections::HashMap;

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, KeyedPackage, License, Location, Package, PackageId,
    PackageKind, Scope, SourceInfo,
};
use chainproof_purl::Purl;
use rayon::prelude::*;

use serde_json::value::RawValue;

use super::model::{Bom, Component, LicenseChoice};
use crate::SbomError;
use crate::conventions as cv;
use crate::json::Document;

pub fn decode(doc: &Document<'_>) -> Result<Inventory, SbomError> {
    // The document with each component left as its text: the components are parsed on all
    // cores, each into its packages.
    let mut bom: Bom<Option<Vec<&RawValue>>> = doc.typed()?;
    if bom.bom_format != "CycloneDX" {
        return Err(SbomError::Invalid {
            path: doc.path.to_string(),
            pointer: "/bomFormat".into(),
            message: format!("`bomFormat` is `{}`, not `CycloneDX`", bom.bom_format),
        });
    }
    let modern_occurrences = version_at_least(&bom.spec_version, 1, 6);
    let metadata = bom.metadata.unwrap_or_default();

    let mut source = SourceInfo {
        kind: "sbom".into(),
        ..SourceInfo::default()
    };
    let mut root_ref: Option<&str> = None;
    if let Some(root) = &metadata.component {
        source.name = full_name(root, None);
        source.version = root.version.clone();
        if let Some(kind) = property(root, cv::SOURCE_KIND) {
            source.kind = kind.to_string();
        }
        root_ref = root.bom_ref.as_deref();
    }

    let mut inventory = Inventory::new(source);
    // Components in document order (depth first); each becomes its packages independently
    // (JSON and purl parsing are most of the work; the component's strings move into its
    // package), then they join the inventory in order. Should a component not parse, the
    // whole document is parsed in one piece, for the error with its line and column.
    let texts = bom.components.take().unwrap_or_default();
    let parsed: Result<Vec<_>, _> = texts
        .par_iter()
        .with_min_len(64)
        .map(|t| serde_json::from_str(t.get()).map(|c| packages_of(c, modern_occurrences)))
        .collect();
    let packages: Vec<Vec<(Option<String>, KeyedPackage)>> = match parsed {
        Ok(p) => p,
        Err(_) => doc
            .typed::<Bom>()?
            .components
            .into_par_iter()
            .map(|c| packages_of(c, modern_occurrences))
            .collect(),
    };
    inventory.reserve(packages.iter().map(Vec::len).sum());
    let mut refs: Vec<(Option<String>, PackageId)> = Vec::with_capacity(inventory.len());
    for (bom_ref, pkg) in packages.into_iter().flatten() {
        refs.push((bom_ref, inventory.add_keyed_package(pkg)));
    }
    let mut ids: HashMap<&str, PackageId> = HashMap::with_capacity(refs.len());
    for (bom_ref, id) in &refs {
        if let Some(r) = bom_ref {
            ids.entry(r.as_str()).or_insert(*id);
        }
    }
    for dep in &bom.dependencies {
        let is_root = root_ref == Some(dep.reference.as_str());
        let from = ids.get(dep.reference.as_str()).copied();
        for target in &dep.depends_on {
            let Some(&to) = ids.get(target.as_str()) else {
                continue;
            };
            if let Some(from) = from {
                inventory.add_edge(from, to);
            }
            if is_root {
                inventory.add_root(to);
            }
        }
    }

    for p in &metadata.properties {
        if p.name == cv::UNPARSED {
            inventory.add_unparsed(cv::parse_unparsed(p.value.as_deref().unwrap_or("")));
        }
    }
    Ok(inventory)
}

/// A component and the components nested in it, depth first, as `(bom-ref, package)`.
fn packages_of(mut c: Component, modern_occurrences: bool) -> Vec<(Option<String>, KeyedPackage)> {
    if c.components.is_empty() {
        return vec![(c.bom_ref.take(), package(c, modern_occurrences).keyed())];
    }
    let mut out = Vec::new();
    let mut stack = vec![c];
    while let Some(mut c) = stack.pop() {
        let nested = std::mem::take(&mut c.components);
        out.push((c.bom_ref.take(), package(c, modern_occurrences).keyed()));
        stack.extend(nested.into_iter().rev());
    }
    out
}

fn version_at_least(spec: &str, major: u32, minor: u32) -> bool {
    let mut parts = spec.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (a, b) >= (major, minor)
}

fn property<'c>(c: &'c Component, name: &str) -> Option<&'c str> {
    c.properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

/// The name with its group: `group:name` for Maven, `group/name` otherwise (npm scopes, Go).
fn full_name(c: &Component, ecosystem: Option<&Ecosystem>) -> String {
    match c.group.as_deref() {
        Some(g) if !g.is_empty() => {
            let sep = if ecosystem == Some(&Ecosystem::Maven) {
                ':'
            } else {
                '/'
            };
            format!("{g}{sep}{}", c.name)
        }
        _ => c.name.clone(),
    }
}

fn package(mut c: Component, modern_occurrences: bool) -> Package {
    let mut properties = std::collections::BTreeMap::new();
    let purl = match c.purl.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => match Purl::parse_lenient(raw) {
            Ok(p) => Some(p),
            Err(e) => {
                properties.insert(
                    "chainproof:invalid-purl".to_string(),
                    format!("{raw} ({e})"),
                );
                None
            }
        },
        None => None,
    };
    let ecosystem = match (&purl, property(&c, cv::ECOSYSTEM)) {
        (Some(p), _) => Ecosystem::from_purl_type(p.ty()),
        (None, Some(e)) => cv::ecosystem_named(e),
        (None, None) => Ecosystem::Other("unknown".into()),
    };
    let name = match c.group.as_deref() {
        Some(g) if !g.is_empty() => full_name(&c, Some(&ecosystem)),
        _ => std::mem::take(&mut c.name),
    };
    let mut pkg = Package::new(ecosystem, name, None);
    pkg.version = c.version.take().filter(|v| !v.is_empty());
    pkg.purl = purl;
    pkg.scope = match (property(&c, cv::SCOPE), c.scope.as_deref()) {
        (Some("dev"), _) | (None, Some("excluded")) => Scope::Dev,
        (Some("optional"), _) | (None, Some("optional")) => Scope::Optional,
        _ => Scope::Runtime,
    };
    pkg.kind = match c.ty.as_str() {
        "application" => PackageKind::Project,
        _ => PackageKind::Library,
    };
    for h in &c.hashes {
        if let Some(hash) = h
            .alg
            .parse::<HashAlgorithm>()
            .ok()
            .and_then(|alg| Hash::from_hex(alg, &h.content))
        {
            pkg = pkg.with_hash(hash);
        }
    }
    for l in &c.licenses {
        if let Some(license) = license(l) {
            pkg = pkg.with_license(license);
        }
    }
    for o in c.evidence.take().into_iter().flat_map(|e| e.occurrences) {
        let loc = match o.line.and_then(|l| u32::try_from(l).ok()) {
            Some(line) => Location::new(o.location).with_line(line),
            None if !modern_occurrences => cv::parse_location(&o.location),
            None => Location::new(o.location),
        };
        pkg = pkg.with_location(loc);
    }
    pkg.source = property(&c, cv::SOURCE).map(str::to_string).or_else(|| {
        c.external_references
            .iter()
            .find(|r| r.ty == "distribution" || r.ty == "vcs")
            .map(|r| r.url.clone())
    });
    for p in c.properties {
        if p.name == cv::LOCATION {
            pkg = pkg.with_location(cv::parse_location(p.value.as_deref().unwrap_or("")));
        } else if !cv::is_reserved(&p.name) {
            properties.insert(p.name, p.value.unwrap_or_default());
        }
    }
    pkg.properties = properties;
    pkg
}

fn license(l: &LicenseChoice) -> Option<License> {
    if let Some(expr) = l.expression.as_deref().filter(|e| !e.trim().is_empty()) {
        return Some(License::parse(expr));
    }
    let obj = l.license.as_ref()?;
    if let Some(id) = obj.id.as_deref().filter(|s| !s.is_empty()) {
        return Some(match License::parse(id) {
            License::Other(_) => License::Spdx(id.to_string()),
            spdx => spdx,
        });
    }
    obj.name
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(License::parse)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bad_component_is_reported_with_its_line_and_column() {
        let text = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\",\n\"components\": [\n{\"type\": \"library\", \"name\": \"a\"},\n{\"type\": \"library\", \"name\": 7}]}";
        let doc = crate::json::Document::new(text.as_bytes(), "bad.cdx.json");
        let err = super::decode(&doc)
            .expect_err("name is not a string")
            .to_string();
        assert!(err.starts_with("bad.cdx.json:4:29: "), "{err}");
    }
}
