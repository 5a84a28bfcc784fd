//! `pom.xml` → the project and its declared dependencies, as Maven's effective model would
//! see them without a repository.
//!
//! * **Coordinates**: `groupId` and `version` fall back to the `<parent>`'s. The project is
//!   a [`PackageKind::Project`] root (when it has an `artifactId`) with an edge to every
//!   dependency. Its `<packaging>` and `<parent>` are recorded as properties; the project
//!   purl carries no `type` qualifier, so a module depended on by a sibling unifies with it.
//! * **Parents**: the parent POM is read through the resolver at `<relativePath>` (default
//!   `../pom.xml`; a directory means its `pom.xml`; an empty element disables the lookup),
//!   and, when that file is missing or has other coordinates, from any `pom.xml` / `*.pom`
//!   of the target whose coordinates match. Up to 16 ancestors; a cycle ends the chain.
//!   A parent outside the target ends the chain too (no network, never running Maven).
//!   Properties, `<dependencyManagement>` and `<dependencies>` are inherited; the child's
//!   declarations win.
//! * **Interpolation**: `${...}` in coordinates, versions, types, classifiers and scopes,
//!   from `<properties>` (nested, cycle-guarded), `project.groupId` / `artifactId` /
//!   `version` / `packaging`, `project.parent.groupId` / `artifactId` / `version` (also
//!   spelled `pom.*`, and bare `version` etc. as Maven 2 allowed). As in Maven, a parent's
//!   `${project.version}` means the child's version.
//! * **Dependency management**: a dependency without a version (scope, optional) takes it
//!   from the first managed entry with the same groupId, artifactId, type and classifier.
//!   Imported BOMs (`<type>pom</type><scope>import</scope>`) contribute their managed
//!   versions only when the BOM's POM is in the target (with its own parents); the others are
//!   listed on the project as `chainproof:maven:unresolved-imports`.
//! * **Unresolved versions**: a dependency whose version stays unknown (undefined property,
//!   nothing declared or managed) is still a package, without a version, with
//!   `chainproof:maven:unresolved-version` = the raw text (empty when nothing was declared).
//!   A version range (`[1.0,2.0)`) is not a version either: no version,
//!   `chainproof:maven:version-range` = the range.
//! * **Scopes**: `compile` / `runtime` / none → runtime; `test` → dev; `provided` and
//!   `system` → optional (supplied by the environment, not shipped with the artifact);
//!   `<optional>true</optional>` → optional. The scope as written is kept as
//!   `chainproof:maven:scope`.
//! * **Skipped**: a dependency without groupId or artifactId, or whose coordinates stay
//!   unresolved, is not a package; it is listed on the project as
//!   `chainproof:maven:skipped-dependencies`. Profiles, plugins and their dependencies are not
//!   read.
//! * **Modules**: each `<module>` whose POM is in the target is added as a project with an
//!   edge from the aggregator.

use std::collections::{HashMap, HashSet};

use chainproof_core::{Inventory, Location, Package, PackageKind, Scope};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use super::interp::interpolate;
use super::pom_model::{ParentRef, RawDep, RawPom, parse_raw};
use super::{
    PROP_INHERITED_FROM, PROP_PACKAGING, PROP_PARENT, PROP_PARENT_PATH, PROP_SCOPE, PROP_SKIPPED,
    PROP_UNRESOLVED_IMPORTS, PROP_UNRESOLVED_VERSION, PROP_VERSION_RANGE, is_version_range,
    maven_package, xml,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

const MAX_PARENTS: usize = 16;
const MAX_IMPORT_DEPTH: usize = 8;
/// Most POM files read while looking for a parent or BOM by coordinates.
const MAX_SCANNED: usize = 4096;
/// Largest POM read while looking for a parent or BOM.
const MAX_POM_SIZE: u64 = 8 * 1024 * 1024;

/// Reads Maven `pom.xml` files (and their parents and BOMs found in the target).
#[derive(Debug, Clone, Copy, Default)]
pub struct MavenPomCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "maven-pom",
    ecosystem: "Maven",
    files: "`pom.xml` (+ parent POMs and imported BOMs found in the target)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: false,
};

impl Cataloger for MavenPomCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "pom.xml"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let bytes = resolver.read(path)?;
        parse_pom(resolver, path, &xml::decode(&bytes))
    }
}

/// Parses the POM `text` found at `path`; parents and BOMs are looked up in `resolver`.
pub fn parse_pom(
    resolver: &dyn FileResolver,
    path: &str,
    text: &str,
) -> Result<Inventory, CatalogError> {
    let raw = parse_raw(path, text)?;
    let model = Effective::load(resolver, raw);
    let mut inv = Inventory::default();
    let mut unresolved_imports = Vec::new();
    let managed = model.managed(resolver, 0, &mut unresolved_imports);
    let mut skipped = Vec::new();

    let root = model.project_package().map(|mut p| {
        if let Some(pk) = &model.leaf.packaging {
            p = p.with_property(PROP_PACKAGING, model.interp(pk).0);
        }
        if let Some(pr) = &model.leaf.parent {
            p = p.with_property(PROP_PARENT, parent_coords(pr));
        }
        if let Some(found) = model.chain.first() {
            p = p.with_property(PROP_PARENT_PATH, found.path.as_str());
        }
        if !unresolved_imports.is_empty() {
            p = p.with_property(PROP_UNRESOLVED_IMPORTS, unresolved_imports.join(", "));
        }
        let id = inv.add_package(p);
        inv.add_root(id);
        id
    });

    let mut seen: HashSet<(String, String, String, String)> = HashSet::new();
    let own = model.leaf.dependencies.iter().map(|d| (d, None));
    let inherited = model.chain.iter().flat_map(|p| {
        p.dependencies
            .iter()
            .map(move |d| (d, Some(p.path.as_str())))
    });
    for (raw, from) in own.chain(inherited) {
        let Some(dep) = model.resolve_dep(raw) else {
            skipped.push(format!(
                "line {}: {}:{}",
                raw.line,
                raw.group_id.as_deref().unwrap_or(""),
                raw.artifact_id.as_deref().unwrap_or("")
            ));
            continue;
        };
        // A child's declaration overrides the same dependency inherited from a parent.
        let key = dep.key();
        if from.is_some() && seen.contains(&key) {
            continue;
        }
        seen.insert(key);
        let mut p = dep.package(&managed);
        if let Some(f) = from {
            p = p.with_property(PROP_INHERITED_FROM, f);
        }
        let id = inv.add_package(p);
        if let Some(r) = root {
            inv.add_edge(r, id);
        }
    }

    if let Some(r) = root {
        if !skipped.is_empty() {
            let p = inv.package_mut(r);
            p.properties
                .insert(PROP_SKIPPED.to_string(), skipped.join("; "));
        }
        for (m, line) in &model.leaf.modules {
            if let Some(mp) = module_package(resolver, path, m, *line) {
                let id = inv.add_package(mp);
                inv.add_edge(r, id);
            }
        }
    }
    Ok(inv)
}

fn parent_coords(p: &ParentRef) -> String {
    format!(
        "{}:{}:{}",
        p.group_id.as_deref().unwrap_or(""),
        p.artifact_id.as_deref().unwrap_or(""),
        p.version.as_deref().unwrap_or("")
    )
}

fn module_package(resolver: &dyn FileResolver, path: &str, m: &str, line: u32) -> Option<Package> {
    let mut target = join_relative(parent_dir(path), m)?;
    if !target.ends_with(".xml") && !target.ends_with(".pom") {
        target = join_relative(&target, "pom.xml")?;
    }
    if target == path {
        return None;
    }
    let raw = read_raw(resolver, &target)?;
    let model = Effective::load(resolver, raw);
    let p = model.project_package()?;
    Some(p.with_location(Location::new(path).with_line(line)))
}

fn read_raw(resolver: &dyn FileResolver, path: &str) -> Option<RawPom> {
    let bytes = resolver.read(path).ok()?;
    parse_raw(path, &xml::decode(&bytes)).ok()
}

/// A dependency with its coordinates interpolated.
struct Dep {
    /// The version as written, the declaring file and line.
    raw_version: Option<String>,
    path: String,
    line: u32,
    group: String,
    artifact: String,
    /// The interpolated version and whether it resolved.
    version: Option<(String, bool)>,
    ty: String,
    classifier: String,
    scope: Option<String>,
    optional: Option<String>,
}

type Key = (String, String, String, String);

impl Dep {
    fn key(&self) -> Key {
        (
            self.group.clone(),
            self.artifact.clone(),
            self.ty.clone(),
            self.classifier.clone(),
        )
    }

    fn package(&self, managed: &[Dep]) -> Package {
        let m = managed.iter().find(|m| m.key() == self.key());
        let version = self
            .version
            .clone()
            .or_else(|| m.and_then(|m| m.version.clone()));
        let scope = self
            .scope
            .clone()
            .or_else(|| m.and_then(|m| m.scope.clone()));
        let optional = self
            .optional
            .clone()
            .or_else(|| m.and_then(|m| m.optional.clone()));

        let (v, prop) = match &version {
            Some((v, true)) if is_version_range(v) => (None, Some((PROP_VERSION_RANGE, v.clone()))),
            Some((v, true)) => (Some(v.as_str()), None),
            Some((_, false)) => {
                // Report what was written, before interpolation.
                let raw = self
                    .raw_version
                    .clone()
                    .or_else(|| m.and_then(|m| m.raw_version.clone()))
                    .unwrap_or_default();
                (None, Some((PROP_UNRESOLVED_VERSION, raw)))
            }
            None => (None, Some((PROP_UNRESOLVED_VERSION, String::new()))),
        };
        let mut p = maven_package(
            &self.group,
            &self.artifact,
            v,
            Some(&self.ty),
            Some(&self.classifier),
        )
        .with_location(Location::new(self.path.as_str()).with_line(self.line));
        if let Some((k, val)) = prop {
            p = p.with_property(k, val);
        }
        let mut s = match scope.as_deref() {
            Some("test") => Scope::Dev,
            Some("provided" | "system") => Scope::Optional,
            _ => Scope::Runtime,
        };
        if optional.as_deref() == Some("true") && s == Scope::Runtime {
            s = Scope::Optional;
        }
        if let Some(sc) = scope {
            p = p.with_property(PROP_SCOPE, sc);
        }
        p.with_scope(s)
    }
}

/// A POM with the parents found for it.
struct Effective {
    leaf: RawPom,
    /// Nearest parent first.
    chain: Vec<RawPom>,
    props: HashMap<String, String>,
}

impl Effective {
    fn load(resolver: &dyn FileResolver, leaf: RawPom) -> Effective {
        let mut chain: Vec<RawPom> = Vec::new();
        let mut visited: HashSet<String> = HashSet::from([leaf.path.clone()]);
        while chain.len() < MAX_PARENTS {
            let cur = chain.last().unwrap_or(&leaf);
            let Some(pref) = cur.parent.clone() else {
                break;
            };
            match find_parent(resolver, &cur.path, &pref, &visited) {
                Some(p) => {
                    visited.insert(p.path.clone());
                    chain.push(p);
                }
                None => break,
            }
        }
        let mut props = HashMap::new();
        for pom in chain.iter().rev().chain(std::iter::once(&leaf)) {
            for (k, v) in &pom.properties {
                props.insert(k.clone(), v.clone());
            }
        }
        Effective { leaf, chain, props }
    }

    fn lookup(&self, name: &str) -> Option<String> {
        let leaf = &self.leaf;
        let parent = leaf.parent.as_ref();
        let model = |field: &str| -> Option<String> {
            match field {
                "groupId" => leaf.effective_group().map(str::to_string),
                "artifactId" => leaf.artifact_id.clone(),
                "version" => leaf.effective_version().map(str::to_string),
                "packaging" => Some(leaf.packaging.clone().unwrap_or_else(|| "jar".into())),
                "parent.groupId" => parent.and_then(|p| p.group_id.clone()),
                "parent.artifactId" => parent.and_then(|p| p.artifact_id.clone()),
                "parent.version" => parent.and_then(|p| p.version.clone()),
                "basedir" => Some(parent_dir(&leaf.path).to_string()),
                _ => None,
            }
        };
        if let Some(field) = name
            .strip_prefix("project.")
            .or_else(|| name.strip_prefix("pom."))
        {
            return model(field);
        }
        self.props.get(name).cloned().or_else(|| model(name))
    }

    fn interp(&self, s: &str) -> (String, bool) {
        interpolate(s, &|n| self.lookup(n))
    }

    /// The project itself, when it has an artifactId.
    fn project_package(&self) -> Option<Package> {
        let artifact = self.interp(self.leaf.artifact_id.as_deref()?);
        let group = self.leaf.effective_group().map(|g| self.interp(g));
        let version = self
            .leaf
            .effective_version()
            .map(|v| self.interp(v))
            .filter(|(_, ok)| *ok)
            .map(|(v, _)| v);
        let location = Location::new(self.leaf.path.as_str()).with_line(self.leaf.line);
        let p = match group {
            Some((g, true)) if artifact.1 => {
                maven_package(&g, &artifact.0, version.as_deref(), None, None)
            }
            _ => Package::new(
                chainproof_core::Ecosystem::Maven,
                artifact.0,
                version.as_deref(),
            ),
        };
        Some(p.with_kind(PackageKind::Project).with_location(location))
    }

    fn resolve_dep(&self, raw: &RawDep) -> Option<Dep> {
        let (group, gok) = self.interp(raw.group_id.as_deref()?);
        let (artifact, aok) = self.interp(raw.artifact_id.as_deref()?);
        if !gok || !aok || group.is_empty() || artifact.is_empty() {
            return None;
        }
        let opt = |s: &Option<String>| s.as_deref().map(|s| self.interp(s).0);
        Some(Dep {
            raw_version: raw.version.clone(),
            path: raw.path.clone(),
            line: raw.line,
            group,
            artifact,
            version: raw.version.as_deref().map(|v| self.interp(v)),
            ty: opt(&raw.ty).unwrap_or_else(|| "jar".into()),
            classifier: opt(&raw.classifier).unwrap_or_default(),
            scope: opt(&raw.scope),
            optional: opt(&raw.optional),
        })
    }

    /// The managed dependencies, own and inherited, then those of imported BOMs found in
    /// the target (BOMs not found are pushed to `unresolved`).
    fn managed(
        &self,
        resolver: &dyn FileResolver,
        depth: usize,
        unresolved: &mut Vec<String>,
    ) -> Vec<Dep> {
        let mut out: Vec<Dep> = Vec::new();
        let mut imports = Vec::new();
        let all = std::iter::once(&self.leaf)
            .chain(self.chain.iter())
            .flat_map(|p| p.managed.iter());
        for raw in all {
            let Some(d) = self.resolve_dep(raw) else {
                continue;
            };
            if d.scope.as_deref() == Some("import") && d.ty == "pom" {
                imports.push(d);
            } else {
                out.push(d);
            }
        }
        for imp in imports {
            let version = imp.version.as_ref().filter(|(_, ok)| *ok).map(|(v, _)| v);
            let name = format!(
                "{}:{}:{}",
                imp.group,
                imp.artifact,
                version.map_or("", |v| v.as_str())
            );
            let bom = (depth < MAX_IMPORT_DEPTH)
                .then(|| {
                    find_by_coords(
                        resolver,
                        &imp.group,
                        &imp.artifact,
                        version.map(String::as_str),
                        &HashSet::new(),
                    )
                })
                .flatten();
            match bom {
                Some(raw) => {
                    let model = Effective::load(resolver, raw);
                    out.extend(model.managed(resolver, depth + 1, unresolved));
                }
                None => unresolved.push(name),
            }
        }
        out
    }
}

/// Reads the parent of the POM at `child_path`: first at `relativePath`, then anywhere in
/// the target by coordinates.
fn find_parent(
    resolver: &dyn FileResolver,
    child_path: &str,
    pref: &ParentRef,
    visited: &HashSet<String>,
) -> Option<RawPom> {
    let (group, artifact) = (pref.group_id.as_deref()?, pref.artifact_id.as_deref()?);
    let rel = pref.relative_path.as_deref().unwrap_or("../pom.xml");
    if !rel.is_empty()
        && let Some(mut candidate) = join_relative(parent_dir(child_path), rel)
    {
        if !candidate.ends_with(".xml") && !candidate.ends_with(".pom") {
            candidate = join_relative(&candidate, "pom.xml")?;
        }
        if !visited.contains(&candidate)
            && resolver.exists(&candidate)
            && let Some(p) = read_raw(resolver, &candidate)
            && coords_match(&p, group, artifact, pref.version.as_deref())
        {
            return Some(p);
        }
    }
    find_by_coords(resolver, group, artifact, pref.version.as_deref(), visited)
}

/// Whether a POM has these coordinates (version compared as written and as interpolated
/// with the POM's own properties).
fn coords_match(p: &RawPom, group: &str, artifact: &str, version: Option<&str>) -> bool {
    if p.artifact_id.as_deref() != Some(artifact) || p.effective_group() != Some(group) {
        return false;
    }
    let Some(want) = version else {
        return true;
    };
    let Some(have) = p.effective_version() else {
        return false;
    };
    if have == want {
        return true;
    }
    let props: HashMap<&str, &str> = p
        .properties
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    interpolate(have, &|n| props.get(n).map(|s| s.to_string())).0 == want
}

/// Any POM of the target (`pom.xml`, `*.pom`) with these coordinates.
fn find_by_coords(
    resolver: &dyn FileResolver,
    group: &str,
    artifact: &str,
    version: Option<&str>,
    visited: &HashSet<String>,
) -> Option<RawPom> {
    let needle = format!(">{artifact}<");
    resolver
        .files()
        .iter()
        .filter(|f| {
            (file_name(&f.path) == "pom.xml" || f.path.ends_with(".pom"))
                && f.size <= MAX_POM_SIZE
                && !visited.contains(&f.path)
        })
        .take(MAX_SCANNED)
        .find_map(|f| {
            let bytes = resolver.read(&f.path).ok()?;
            let text = xml::decode(&bytes);
            if !text.contains(&needle) {
                return None;
            }
            let p = parse_raw(&f.path, &text).ok()?;
            coords_match(&p, group, artifact, version).then_some(p)
        })
}
