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
    // The document with its components as text, split into elements that are parsed on all
    // cores; should anything in them not parse, the whole document is parsed in one piece,
    // for the error with its line and column.
    let bom: Bom<Option<&RawValue>> = doc.typed_borrowed()?;
    let components = bom
        .components
        .and_then(|raw| array_elements(raw.get()))
        .map(|elements| {
            elements
                .par_iter()
                .with_min_len(64)
                .map(|e| serde_json::from_str::<Component>(e))
                .collect::<Result<Vec<_>, _>>()
        });
    let mut bom = match components {
        Some(Ok(components)) => bom.with_components(components),
        None if bom.components.is_none() => bom.with_components(Vec::new()),
        _ => doc.typed::<Bom>()?,
    };
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
    // Components in document order (depth first), taken out of the document; each becomes a
    // package independently (purl parsing is most of the work, done in parallel, and the
    // component's strings move into its package), then they join the inventory in order.
    let components = std::mem::take(&mut bom.components);
    let ordered = if components.iter().all(|c| c.components.is_empty()) {
        components
    } else {
        let mut ordered = Vec::with_capacity(components.len());
        let mut stack: Vec<Component> = components.into_iter().rev().collect();
        while let Some(mut c) = stack.pop() {
            stack.extend(std::mem::take(&mut c.components).into_iter().rev());
            ordered.push(c);
        }
        ordered
    };
    let packages: Vec<(Option<String>, KeyedPackage)> = ordered
        .into_par_iter()
        .with_min_len(256)
        .map(|mut c| (c.bom_ref.take(), package(c, modern_occurrences).keyed()))
        .collect();
    inventory.reserve(packages.len());
    let mut refs: Vec<(Option<String>, PackageId)> = Vec::with_capacity(packages.len());
    for (bom_ref, pkg) in packages {
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

/// The elements of a JSON array (its text, already checked to be valid JSON), as slices;
/// `None` when the text is not an array.
fn array_elements(text: &str) -> Option<Vec<&str>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut elements = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0usize, false, false, 0usize);
    for (i, b) in inner.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.checked_sub(1)?,
            b',' if depth == 0 => {
                elements.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = inner[start..].trim();
    if !last.is_empty() || !elements.is_empty() {
        elements.push(last);
    }
    Some(elements)
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
    use super::array_elements;

    #[test]
    fn array_elements_split_at_top_level_commas_only() {
        let text = r#" [ {"a": "x,]}\"[", "b": [1, {"c": 2}]} , {} ,[3,4], "s\\", 5 ] "#;
        assert_eq!(
            array_elements(text),
            Some(vec![
                r#"{"a": "x,]}\"[", "b": [1, {"c": 2}]}"#,
                "{}",
                "[3,4]",
                r#""s\\""#,
                "5"
            ])
        );
        assert_eq!(array_elements("[]"), Some(vec![]));
        assert_eq!(array_elements(" [ ] "), Some(vec![]));
        assert_eq!(array_elements(r#"{"a": 1}"#), None);
        assert_eq!(array_elements("null"), None);
    }

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
