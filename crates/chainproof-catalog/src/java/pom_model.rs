//! The raw content of one POM, as written (no inheritance, no interpolation).

use crate::CatalogError;

use super::xml::{self, Element};

/// A `<dependency>` (in `<dependencies>` or `<dependencyManagement>`), raw strings.
#[derive(Debug, Clone, Default)]
pub struct RawDep {
    pub group_id: Option<String>,
    pub artifact_id: Option<String>,
    pub version: Option<String>,
    pub ty: Option<String>,
    pub classifier: Option<String>,
    pub scope: Option<String>,
    pub optional: Option<String>,
    /// The POM file that declares it, and the line of `<dependency>`.
    pub path: String,
    pub line: u32,
}

/// `<parent>`.
#[derive(Debug, Clone, Default)]
pub struct ParentRef {
    pub group_id: Option<String>,
    pub artifact_id: Option<String>,
    pub version: Option<String>,
    /// `None`: absent (default `../pom.xml`); `Some("")`: explicitly no lookup.
    pub relative_path: Option<String>,
}

/// One POM file.
#[derive(Debug, Clone, Default)]
pub struct RawPom {
    pub path: String,
    pub line: u32,
    pub group_id: Option<String>,
    pub artifact_id: Option<String>,
    pub version: Option<String>,
    pub packaging: Option<String>,
    pub parent: Option<ParentRef>,
    /// `<properties>` in document order (a later duplicate wins).
    pub properties: Vec<(String, String)>,
    pub dependencies: Vec<RawDep>,
    pub managed: Vec<RawDep>,
    /// `<modules>`: the module directory (or POM file) and its line.
    pub modules: Vec<(String, u32)>,
}

impl RawPom {
    /// The project's own groupId, or its parent's.
    pub fn effective_group(&self) -> Option<&str> {
        self.group_id
            .as_deref()
            .or_else(|| self.parent.as_ref().and_then(|p| p.group_id.as_deref()))
    }

    /// The project's own version, or its parent's.
    pub fn effective_version(&self) -> Option<&str> {
        self.version
            .as_deref()
            .or_else(|| self.parent.as_ref().and_then(|p| p.version.as_deref()))
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

fn dep(path: &str, e: &Element) -> RawDep {
    RawDep {
        group_id: non_empty(e.child_text("groupId")),
        artifact_id: non_empty(e.child_text("artifactId")),
        version: non_empty(e.child_text("version")),
        ty: non_empty(e.child_text("type")),
        classifier: non_empty(e.child_text("classifier")),
        scope: non_empty(e.child_text("scope")),
        optional: non_empty(e.child_text("optional")),
        path: path.to_string(),
        line: e.line,
    }
}

fn deps(path: &str, list: Option<&Element>) -> Vec<RawDep> {
    list.map(|l| {
        l.children_named("dependency")
            .map(|d| dep(path, d))
            .collect()
    })
    .unwrap_or_default()
}

/// Parses POM text. The root element must be `<project>`.
pub fn parse_raw(path: &str, text: &str) -> Result<RawPom, CatalogError> {
    let root = xml::parse(path, text)?;
    if root.name != "project" {
        return Err(CatalogError::new(
            path,
            format!("not a Maven POM: the root element is <{}>", root.name),
        )
        .at_line(root.line));
    }
    let parent = root.child("parent").map(|p| ParentRef {
        group_id: non_empty(p.child_text("groupId")),
        artifact_id: non_empty(p.child_text("artifactId")),
        version: non_empty(p.child_text("version")),
        relative_path: p.child_text("relativePath"),
    });
    let properties = root
        .child("properties")
        .map(|ps| {
            ps.children
                .iter()
                .map(|c| (c.name.clone(), c.text.trim().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let modules = root
        .child("modules")
        .map(|m| {
            m.children_named("module")
                .map(|c| (c.text.trim().to_string(), c.line))
                .filter(|(m, _)| !m.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Ok(RawPom {
        path: path.to_string(),
        line: root.line,
        group_id: non_empty(root.child_text("groupId")),
        artifact_id: non_empty(root.child_text("artifactId")),
        version: non_empty(root.child_text("version")),
        packaging: non_empty(root.child_text("packaging")),
        parent,
        properties,
        dependencies: deps(path, root.child("dependencies")),
        managed: deps(
            path,
            root.child("dependencyManagement")
                .and_then(|m| m.child("dependencies")),
        ),
        modules,
    })
}
