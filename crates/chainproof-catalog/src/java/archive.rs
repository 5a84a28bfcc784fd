//! Java archives: `*.jar`, `*.war`, `*.ear`, and Jenkins plugins (`*.jpi`, `*.hpi`).
//!
//! * **Identity**: from `META-INF/maven/<g>/<a>/pom.properties` (`groupId`, `artifactId`,
//!   `version`). When an archive holds several (a shaded or "uber" jar), the one whose
//!   artifactId matches the file name is the archive; the others are packages bundled inside
//!   it (`chainproof:java:shaded=true`, an edge from the archive). Without pom.properties,
//!   `META-INF/MANIFEST.MF` (main section, continuation lines joined): name from
//!   `Bundle-SymbolicName`, `Implementation-Title` or `Specification-Title`, version from
//!   `Bundle-Version`, `Implementation-Version` or `Specification-Version`, and a purl only
//!   when `Implementation-Vendor-Id` gives the groupId (the artifactId is then taken from the
//!   file name when it has one). Last, the file name `<name>-<version>.jar`. How the
//!   archive was identified is `chainproof:java:identified-by`. A manifest `Bundle-License`
//!   is the license.
//! * **Hash**: SHA-1 of the archive bytes (what Maven Central publishes beside each jar).
//! * **Nesting**: `.jar` entries under `WEB-INF/lib/`, `BOOT-INF/lib/`, `APP-INF/lib/` and
//!   `lib/`, and top-level `.jar` / `.war` modules of an `.ear`, are read recursively, up to
//!   [`MAX_NESTING`] levels; each is a package located at `outer.war!/WEB-INF/lib/x.jar`,
//!   with an edge from the archive that contains it. The outermost archive is a root.
//! * **Limits** (zip bombs): at most [`MAX_ENTRIES`] entries per archive and
//!   [`MAX_TOTAL_ENTRIES`] in all, at most [`MAX_ENTRY_SIZE`] bytes per decompressed entry
//!   (checked against the declared size, then enforced while reading), and
//!   [`MAX_TOTAL_BYTES`] decompressed in all. Going over any limit, a nesting deeper than
//!   the limit, or an unreadable zip is an error naming the inner path.

use std::io::{Cursor, Read};

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, License, Location, Package, PackageId,
};
use chainproof_source::{FileResolver, file_name};
use zip::ZipArchive;

use super::sha1::sha1;
use super::{PROP_IDENTIFIED_BY, PROP_SHADED, maven_package};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Deepest archive-in-archive nesting read (the outer archive is level 0).
pub const MAX_NESTING: usize = 4;
/// Most entries in one archive.
pub const MAX_ENTRIES: usize = 65_536;
/// Most entries over an archive and everything nested in it.
pub const MAX_TOTAL_ENTRIES: usize = 262_144;
/// Largest decompressed entry read (a nested archive).
pub const MAX_ENTRY_SIZE: u64 = 64 * 1024 * 1024;
/// Most decompressed bytes read from one archive and its nested archives.
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;
/// Largest `pom.properties` / `MANIFEST.MF` read.
const MAX_META_SIZE: u64 = 1024 * 1024;

const EXTENSIONS: [&str; 5] = ["jar", "war", "ear", "jpi", "hpi"];

/// Reads Java archives.
#[derive(Debug, Clone, Copy, Default)]
pub struct JavaArchiveCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "java-archive",
    ecosystem: "Maven",
    files: "`*.jar`, `*.war`, `*.ear`, `*.jpi`, `*.hpi` (nested `WEB-INF/lib`, `BOOT-INF/lib`, `lib` jars too)",
    edges: true,
    licenses: true,
    scopes: false,
    hashes: true,
};

fn extension(path: &str) -> String {
    file_name(path)
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

impl Cataloger for JavaArchiveCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        EXTENSIONS.contains(&extension(path).as_str())
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let bytes = resolver.read(path)?;
        parse_archive(path, &bytes)
    }
}

#[derive(Default)]
struct Budget {
    entries: usize,
    bytes: u64,
}

/// Catalogs the archive `bytes` found at `path`.
pub fn parse_archive(path: &str, bytes: &[u8]) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    let mut budget = Budget::default();
    let id = walk(&mut inv, path, path, bytes, 0, &mut budget)?;
    inv.add_root(id);
    Ok(inv)
}

type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

fn read_entry(
    zip: &mut Zip<'_>,
    index: usize,
    limit: u64,
    file: &str,
    inner: &str,
    budget: &mut Budget,
) -> Result<Vec<u8>, CatalogError> {
    let err = |m: String| CatalogError::new(file, format!("{inner}: {m}"));
    let mut f = zip
        .by_index(index)
        .map_err(|e| err(format!("cannot read entry: {e}")))?;
    if f.size() > limit {
        return Err(err(format!(
            "entry declares {} bytes uncompressed, over the limit of {limit} bytes",
            f.size()
        )));
    }
    let cap = usize::try_from(f.size().min(1024 * 1024)).unwrap_or(0);
    let mut buf = Vec::with_capacity(cap);
    (&mut f)
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| err(format!("cannot read entry: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(err(format!(
            "entry decompresses to more than the limit of {limit} bytes"
        )));
    }
    budget.bytes += buf.len() as u64;
    if budget.bytes > MAX_TOTAL_BYTES {
        return Err(err(format!(
            "over {MAX_TOTAL_BYTES} decompressed bytes read from this archive"
        )));
    }
    Ok(buf)
}

/// `(groupId, artifactId, version)` of a `pom.properties`.
struct PomProps {
    group: String,
    artifact: String,
    version: Option<String>,
}

fn parse_properties(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| {
            let i = l.find(['=', ':'])?;
            Some((l[..i].trim().to_string(), l[i + 1..].trim().to_string()))
        })
        .collect()
}

fn pom_props(entry: &str, text: &str) -> Option<PomProps> {
    let props = parse_properties(text);
    let get = |k: &str| {
        props
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    // META-INF/maven/<group>/<artifact>/pom.properties
    let segs: Vec<&str> = entry.split('/').collect();
    let (pg, pa) = match segs[..] {
        [_, _, g, a, _] => (Some(g.to_string()), Some(a.to_string())),
        _ => (None, None),
    };
    Some(PomProps {
        group: get("groupId").or(pg)?,
        artifact: get("artifactId").or(pa)?,
        version: get("version"),
    })
}

/// The main section of a manifest, continuation lines joined; keys as written.
pub(crate) fn parse_manifest(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some((_, v)) = out.last_mut() {
                v.push_str(cont);
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

/// Name and version from `name-1.2.3.jar` (the version starts at the first `-<digit>`).
fn from_file_name(name: &str) -> (String, Option<String>) {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let b = stem.as_bytes();
    for i in 0..b.len().saturating_sub(1) {
        if b[i] == b'-' && b[i + 1].is_ascii_digit() {
            return (stem[..i].to_string(), Some(stem[i + 1..].to_string()));
        }
    }
    (stem.to_string(), None)
}

fn is_nested_archive(entry: &str, outer_ext: &str) -> bool {
    let lower = entry.to_ascii_lowercase();
    let (dir, name) = lower.rsplit_once('/').unwrap_or(("", &lower));
    if name.is_empty() {
        return false;
    }
    let in_lib = matches!(dir, "web-inf/lib" | "boot-inf/lib" | "app-inf/lib" | "lib");
    (in_lib && name.ends_with(".jar"))
        || (outer_ext == "ear"
            && dir.is_empty()
            && (name.ends_with(".jar") || name.ends_with(".war")))
}

fn walk(
    inv: &mut Inventory,
    file: &str,
    location: &str,
    bytes: &[u8],
    depth: usize,
    budget: &mut Budget,
) -> Result<PackageId, CatalogError> {
    let err = |m: String| CatalogError::new(file, format!("{location}: {m}"));
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| err(format!("not a readable zip archive: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(err(format!(
            "{} entries, over the limit of {MAX_ENTRIES}",
            zip.len()
        )));
    }
    budget.entries += zip.len();
    if budget.entries > MAX_TOTAL_ENTRIES {
        return Err(err(format!(
            "over {MAX_TOTAL_ENTRIES} entries in this archive and the archives nested in it"
        )));
    }
    let names: Vec<(usize, String)> = (0..zip.len())
        .filter_map(|i| Some((i, zip.name_for_index(i)?.ok()?.into_owned())))
        .collect();

    let mut poms = Vec::new();
    let mut manifest = Vec::new();
    for (i, n) in &names {
        let inner = format!("{location}!/{n}");
        if n.starts_with("META-INF/maven/") && n.ends_with("/pom.properties") {
            let data = read_entry(&mut zip, *i, MAX_META_SIZE, file, &inner, budget)?;
            if let Some(p) = pom_props(n, &String::from_utf8_lossy(&data)) {
                poms.push(p);
            }
        } else if n.eq_ignore_ascii_case("META-INF/MANIFEST.MF") {
            let data = read_entry(&mut zip, *i, MAX_META_SIZE, file, &inner, budget)?;
            manifest = parse_manifest(&String::from_utf8_lossy(&data));
        }
    }

    let own_name = file_name(location.rsplit("!/").next().unwrap_or(location));
    let (file_artifact, file_version) = from_file_name(own_name);
    let main = if poms.len() == 1 {
        Some(0)
    } else {
        poms.iter().position(|p| {
            p.artifact == file_artifact
                || own_name.starts_with(&format!(
                    "{}-{}",
                    p.artifact,
                    p.version.as_deref().unwrap_or("")
                ))
        })
    };
    let mut pkg = match main {
        Some(m) => {
            let p = &poms[m];
            maven_package(&p.group, &p.artifact, p.version.as_deref(), None, None)
                .with_property(PROP_IDENTIFIED_BY, "pom.properties")
        }
        None => manifest_package(&manifest, &file_artifact, file_version.as_deref()),
    };
    let mf = |k: &str| {
        manifest
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    if let Some(l) = mf("Bundle-License") {
        pkg = pkg.with_license(License::parse(l));
    }
    let digest = sha1(bytes);
    if let Some(h) = Hash::from_bytes(HashAlgorithm::Sha1, &digest) {
        pkg = pkg.with_hash(h);
    }
    let id = inv.add_package(pkg.with_location(Location::new(location)));

    for (k, p) in poms.iter().enumerate() {
        if Some(k) == main {
            continue;
        }
        let shaded = maven_package(&p.group, &p.artifact, p.version.as_deref(), None, None)
            .with_property(PROP_SHADED, "true")
            .with_property(PROP_IDENTIFIED_BY, "pom.properties")
            .with_location(Location::new(location));
        let sid = inv.add_package(shaded);
        inv.add_edge(id, sid);
    }

    let outer_ext = extension(own_name);
    for (i, n) in &names {
        if !is_nested_archive(n, &outer_ext) {
            continue;
        }
        let inner = format!("{location}!/{n}");
        if depth + 1 > MAX_NESTING {
            return Err(CatalogError::new(
                file,
                format!("{inner}: archives nested deeper than {MAX_NESTING} levels"),
            ));
        }
        let data = read_entry(&mut zip, *i, MAX_ENTRY_SIZE, file, &inner, budget)?;
        let child = walk(inv, file, &inner, &data, depth + 1, budget)?;
        inv.add_edge(id, child);
    }
    Ok(id)
}

fn manifest_package(
    manifest: &[(String, String)],
    file_artifact: &str,
    file_version: Option<&str>,
) -> Package {
    let mf = |k: &str| {
        manifest
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let name = mf("Bundle-SymbolicName")
        .map(|s| s.split(';').next().unwrap_or(s).trim())
        .or_else(|| mf("Implementation-Title"))
        .or_else(|| mf("Specification-Title"));
    let version = mf("Bundle-Version")
        .or_else(|| mf("Implementation-Version"))
        .or_else(|| mf("Specification-Version"));
    if name.is_none() && version.is_none() {
        return Package::new(Ecosystem::Maven, file_artifact, file_version)
            .with_property(PROP_IDENTIFIED_BY, "filename");
    }
    let version = version.or(file_version);
    let p = match mf("Implementation-Vendor-Id") {
        Some(group) => {
            let artifact = if file_artifact.is_empty() {
                name.unwrap_or(file_artifact)
            } else {
                file_artifact
            };
            maven_package(group, artifact, version, None, None)
        }
        None => Package::new(Ecosystem::Maven, name.unwrap_or(file_artifact), version),
    };
    p.with_property(PROP_IDENTIFIED_BY, "manifest")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_continuations_and_names() {
        let m = parse_manifest(
            "Manifest-Version: 1.0\r\nBundle-SymbolicName: org.example.very.long.na\r\n me;singleton:=true\r\n\r\nName: x\r\nBundle-Version: 9\r\n",
        );
        assert_eq!(
            m,
            vec![
                ("Manifest-Version".into(), "1.0".into()),
                (
                    "Bundle-SymbolicName".into(),
                    "org.example.very.long.name;singleton:=true".into()
                )
            ]
        );
        assert_eq!(
            from_file_name("guava-32.1.3-jre.jar"),
            ("guava".into(), Some("32.1.3-jre".into()))
        );
        assert_eq!(from_file_name("app.war"), ("app".into(), None));
        assert!(is_nested_archive("WEB-INF/lib/a.jar", "war"));
        assert!(is_nested_archive("b.war", "ear"));
        assert!(!is_nested_archive("b.war", "jar"));
        assert!(!is_nested_archive("classes/a.jar", "war"));
    }
}
