//! MSBuild project files (`*.csproj`, `*.fsproj`, `*.vbproj`), `Directory.Packages.props`
//! (central package management) and `packages.config`.
//!
//! * A project file declares `PackageReference Include="Name" Version="1.2.3"`; without a
//!   `Version` (or `VersionOverride`), the version comes from the `PackageVersion` items of
//!   the nearest `Directory.Packages.props` in the project's directory or a parent. Metadata
//!   may be attributes or child elements; `$(Property)` references are resolved from the
//!   file's `PropertyGroup`s. A floating or ranged version (`1.*`, `[1.0,2.0)`) is not a
//!   resolved version: the package has none and keeps the text in `chainproof:nuget:requested`.
//!   `PrivateAssets="all"` → dev.
//! * `Directory.Packages.props` declares `PackageVersion` items (versions only, used by the
//!   projects, not packages by themselves) and `GlobalPackageReference` items (a dependency
//!   of every project, private by default → dev); it may also hold `PackageReference`s.
//! * `packages.config`: `<package id version targetFramework developmentDependency/>`.

use std::collections::HashMap;

use chainproof_core::{Inventory, Package, Scope};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use super::xml::{Element, parse};
use super::{PROP_REQUESTED, add_framework, is_project_file, nuget_package, project_package};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// The central package management file.
pub const CENTRAL_FILE: &str = "Directory.Packages.props";

/// Reads `*.csproj`, `*.fsproj` and `*.vbproj` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProjectFileCataloger;

/// Reads `Directory.Packages.props` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct CentralPackagesCataloger;

/// Reads `packages.config` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct PackagesConfigCataloger;

static PROJECT_INFO: CatalogerInfo = CatalogerInfo {
    name: "dotnet-project-file",
    ecosystem: "NuGet",
    files: "`*.csproj`, `*.fsproj`, `*.vbproj` (`PackageReference`, central versions from `Directory.Packages.props`)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: false,
};

static CENTRAL_INFO: CatalogerInfo = CatalogerInfo {
    name: "nuget-central-packages",
    ecosystem: "NuGet",
    files: "`Directory.Packages.props` (`GlobalPackageReference`, `PackageReference`)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: false,
};

static CONFIG_INFO: CatalogerInfo = CatalogerInfo {
    name: "nuget-packages-config",
    ecosystem: "NuGet",
    files: "`packages.config`",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: false,
};

impl Cataloger for ProjectFileCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &PROJECT_INFO
    }

    fn matches(&self, path: &str) -> bool {
        is_project_file(file_name(path))
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let central = central_versions(resolver, parent_dir(path))?;
        parse_project_file(path, &text, &central)
    }
}

impl Cataloger for CentralPackagesCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &CENTRAL_INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path).eq_ignore_ascii_case(CENTRAL_FILE)
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let root = parse(path, &text)?;
        let central = package_versions(path, &root)?;
        references(
            path,
            &root,
            &central,
            &["PackageReference", "GlobalPackageReference"],
        )
    }
}

impl Cataloger for PackagesConfigCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &CONFIG_INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path).eq_ignore_ascii_case("packages.config")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let root = super::project_root(resolver, parent_dir(path), path);
        parse_packages_config(path, &text, root)
    }
}

/// Central versions (`PackageVersion` name, lower case → version) from the nearest
/// `Directory.Packages.props` in `dir` or a parent; empty when there is none.
pub fn central_versions(
    resolver: &dyn FileResolver,
    dir: &str,
) -> Result<HashMap<String, String>, CatalogError> {
    let mut d = dir.to_string();
    loop {
        let found = resolver
            .files()
            .iter()
            .map(|f| f.path.as_str())
            .find(|p| parent_dir(p) == d && file_name(p).eq_ignore_ascii_case(CENTRAL_FILE));
        if let Some(p) = found {
            let text = resolver.read_to_string(p)?;
            return package_versions(p, &parse(p, &text)?);
        }
        if d.is_empty() {
            return Ok(HashMap::new());
        }
        d = join_relative(&d, "..").unwrap_or_default();
    }
}

/// `PropertyGroup` properties of a document (name lower case → value).
fn properties(root: &Element) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for group in root
        .descendants()
        .into_iter()
        .filter(|e| e.name.eq_ignore_ascii_case("PropertyGroup"))
    {
        for p in &group.children {
            out.insert(p.name.to_lowercase(), p.text.trim().to_string());
        }
    }
    out
}

/// Replaces `$(Name)` references with known properties; `None` if one stays unresolved.
fn expand(value: &str, props: &HashMap<String, String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find("$(") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let end = after.find(')')?;
        out.push_str(props.get(&after[..end].trim().to_lowercase())?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// `PackageVersion` items of a props file.
fn package_versions(path: &str, root: &Element) -> Result<HashMap<String, String>, CatalogError> {
    let props = properties(root);
    let mut out = HashMap::new();
    for e in root.descendants() {
        if !e.name.eq_ignore_ascii_case("PackageVersion") {
            continue;
        }
        let name = e.attr("Include").or_else(|| e.attr("Update")).unwrap_or("");
        if name.trim().is_empty() {
            return Err(CatalogError::new(path, "PackageVersion without `Include`").at_line(e.line));
        }
        if let Some(v) = e.metadata("Version") {
            let v = expand(v, &props).unwrap_or_else(|| v.to_string());
            out.insert(name.trim().to_lowercase(), v);
        }
    }
    Ok(out)
}

/// A NuGet version or range → the resolved version when it names exactly one.
fn exact_version(v: &str) -> Option<&str> {
    let v = v.trim();
    if let Some(inner) = v.strip_prefix('[').and_then(|s| s.strip_suffix(']'))
        && !inner.contains(',')
    {
        return Some(inner.trim()).filter(|s| !s.is_empty());
    }
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
    plain.then_some(v)
}

/// Parses a project file; `central` holds the central package versions that apply to it.
pub fn parse_project_file(
    path: &str,
    text: &str,
    central: &HashMap<String, String>,
) -> Result<Inventory, CatalogError> {
    if text.trim().is_empty() {
        return Ok(Inventory::default());
    }
    let root = parse(path, text)?;
    references(path, &root, central, &["PackageReference"])
}

/// The project root and an edge to each item of the `kinds` element names.
fn references(
    path: &str,
    root: &Element,
    central: &HashMap<String, String>,
    kinds: &[&str],
) -> Result<Inventory, CatalogError> {
    let props = properties(root);
    let mut inv = Inventory::default();
    let mut root_id = None;
    for e in root.descendants() {
        let Some(kind) = kinds.iter().find(|k| e.name.eq_ignore_ascii_case(k)) else {
            continue;
        };
        let include = match e.attr("Include") {
            Some(i) => i,
            // `Update` changes metadata of an item included elsewhere.
            None if e.attr("Update").is_some() => continue,
            None => "",
        };
        let global = kind.eq_ignore_ascii_case("GlobalPackageReference");
        for name in include.split(';').map(str::trim) {
            if name.is_empty() {
                return Err(
                    CatalogError::new(path, format!("{kind} with an empty `Include`"))
                        .at_line(e.line),
                );
            }
            let name = expand(name, &props).unwrap_or_else(|| name.to_string());
            let requested = e
                .metadata("VersionOverride")
                .or_else(|| e.metadata("Version"))
                .map(|v| expand(v, &props).unwrap_or_else(|| v.to_string()))
                .or_else(|| central.get(&name.to_lowercase()).cloned());
            let version = requested.as_deref().and_then(exact_version);
            let mut pkg = nuget_package(path, &name, version, Some(e.line))?;
            if let Some(r) = requested.as_deref().filter(|r| Some(*r) != version) {
                pkg = pkg.with_property(PROP_REQUESTED, r);
            }
            let private = e
                .metadata("PrivateAssets")
                .is_some_and(|p| p.split(';').any(|s| s.trim().eq_ignore_ascii_case("all")));
            if private || global {
                pkg = pkg.with_scope(Scope::Dev);
            }
            let rid = *root_id.get_or_insert_with(|| {
                let r = inv.add_package(project_package(path));
                inv.add_root(r);
                r
            });
            let id = inv.add_package(pkg);
            inv.add_edge(rid, id);
        }
    }
    Ok(inv)
}

/// Parses a `packages.config`; `root` is the project it belongs to.
pub fn parse_packages_config(
    path: &str,
    text: &str,
    root: Package,
) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let doc = parse(path, text)?;
    if !doc.name.eq_ignore_ascii_case("packages") {
        return Err(CatalogError::new(
            path,
            format!("root element is <{}>, not <packages>", doc.name),
        )
        .at_line(doc.line));
    }
    let root_id = inv.add_package(root);
    inv.add_root(root_id);
    for e in doc
        .children
        .iter()
        .filter(|e| e.name.eq_ignore_ascii_case("package"))
    {
        let id = e.attr("id").map(str::trim).unwrap_or("");
        if id.is_empty() {
            return Err(CatalogError::new(path, "<package> without `id`").at_line(e.line));
        }
        let version = e.attr("version").map(str::trim).filter(|v| !v.is_empty());
        let mut pkg = nuget_package(path, id, version, Some(e.line))?;
        if e.attr("developmentDependency")
            .is_some_and(|d| d.trim().eq_ignore_ascii_case("true"))
        {
            pkg = pkg.with_scope(Scope::Dev);
        }
        if let Some(fw) = e.attr("targetFramework").filter(|f| !f.is_empty()) {
            add_framework(&mut pkg, fw);
        }
        let pid = inv.add_package(pkg);
        inv.add_edge(root_id, pid);
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(exact_version("1.2.3"), Some("1.2.3"));
        assert_eq!(exact_version("[1.2.3]"), Some("1.2.3"));
        assert_eq!(exact_version("[1.0,2.0)"), None);
        assert_eq!(exact_version("1.*"), None);
        let props = HashMap::from([("v".to_string(), "9.0".to_string())]);
        assert_eq!(expand("$(V).1", &props).as_deref(), Some("9.0.1"));
        assert_eq!(expand("$(W)", &props), None);
        assert_eq!(expand("$(V", &props), None);
    }
}
