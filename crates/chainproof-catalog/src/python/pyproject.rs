//! The parts of `pyproject.toml` a lockfile cataloger needs: the project's name and version
//! (PEP 621 `[project]`, else `[tool.poetry]`) and its declared direct dependencies with
//! the scope they are declared in.

use std::collections::BTreeMap;

use chainproof_core::Scope;
use serde::Deserialize;
use toml::Spanned;

use super::normalize_name;
use super::pep508;

/// The project a `pyproject.toml` declares.
#[derive(Debug)]
pub(crate) struct Project {
    pub name: String,
    pub version: Option<String>,
    /// Byte offset of the name value in the file.
    pub name_offset: usize,
    /// `(normalized name, scope)` of each declared dependency.
    pub dependencies: Vec<(String, Scope)>,
    /// Names of the `[project.optional-dependencies]` extras.
    pub optional_groups: Vec<String>,
    /// Names of development groups: `[dependency-groups]`, `[tool.pdm.dev-dependencies]`,
    /// Poetry groups other than `main`.
    pub dev_groups: Vec<String>,
}

#[derive(Deserialize)]
struct PyProject {
    project: Option<ProjectTable>,
    tool: Option<Tool>,
    #[serde(rename = "dependency-groups", default)]
    dependency_groups: BTreeMap<String, Vec<toml::Value>>,
}

#[derive(Deserialize)]
struct ProjectTable {
    name: Option<Spanned<String>>,
    version: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
    #[serde(rename = "optional-dependencies", default)]
    optional_dependencies: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct Tool {
    poetry: Option<PoetryTool>,
    pdm: Option<PdmTool>,
}

#[derive(Deserialize)]
struct PdmTool {
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: BTreeMap<String, Vec<toml::Value>>,
}

#[derive(Deserialize)]
struct PoetryTool {
    name: Option<Spanned<String>>,
    version: Option<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: BTreeMap<String, toml::Value>,
    #[serde(default)]
    group: BTreeMap<String, PoetryGroup>,
}

#[derive(Deserialize)]
struct PoetryGroup {
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
}

/// The leading distribution name of a PEP 508 string (also accepted when the rest is odd).
pub(crate) fn requirement_name(s: &str) -> Option<String> {
    if let Ok(r) = pep508::parse(s) {
        return Some(normalize_name(&r.name));
    }
    let s = s.trim();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(s.len());
    pep508::is_valid_name(&s[..end]).then(|| normalize_name(&s[..end]))
}

fn poetry_optional(v: &toml::Value) -> bool {
    v.get("optional").and_then(toml::Value::as_bool) == Some(true)
}

/// Parses a `pyproject.toml`; `Ok(None)` when it declares no project name.
pub(crate) fn parse(text: &str) -> Result<Option<Project>, toml::de::Error> {
    let doc: PyProject = toml::from_str(text)?;
    let (poetry, pdm) = match doc.tool {
        Some(t) => (t.poetry, t.pdm),
        None => (None, None),
    };
    let (name, version) = match (&doc.project, &poetry) {
        (
            Some(ProjectTable {
                name: Some(n),
                version,
                ..
            }),
            _,
        ) => (n.clone(), version.clone()),
        (
            _,
            Some(PoetryTool {
                name: Some(n),
                version,
                ..
            }),
        ) => (n.clone(), version.clone()),
        _ => return Ok(None),
    };
    let mut deps: Vec<(String, Scope)> = Vec::new();
    let mut optional_groups: Vec<String> = Vec::new();
    let mut dev_groups: Vec<String> = doc.dependency_groups.keys().cloned().collect();
    if let Some(p) = &doc.project {
        optional_groups.extend(p.optional_dependencies.keys().cloned());
        deps.extend(
            p.dependencies
                .iter()
                .filter_map(|d| requirement_name(d))
                .map(|n| (n, Scope::Runtime)),
        );
        for list in p.optional_dependencies.values() {
            deps.extend(
                list.iter()
                    .filter_map(|d| requirement_name(d))
                    .map(|n| (n, Scope::Optional)),
            );
        }
    }
    for list in doc.dependency_groups.values() {
        deps.extend(
            list.iter()
                .filter_map(toml::Value::as_str)
                .filter_map(requirement_name)
                .map(|n| (n, Scope::Dev)),
        );
    }
    if let Some(pdm) = &pdm {
        for (g, list) in &pdm.dev_dependencies {
            dev_groups.push(g.clone());
            deps.extend(
                list.iter()
                    .filter_map(toml::Value::as_str)
                    .filter_map(requirement_name)
                    .map(|n| (n, Scope::Dev)),
            );
        }
    }
    if let Some(p) = &poetry {
        dev_groups.extend(p.group.keys().filter(|g| *g != "main").cloned());
        for (n, v) in &p.dependencies {
            if n != "python" {
                let scope = if poetry_optional(v) {
                    Scope::Optional
                } else {
                    Scope::Runtime
                };
                deps.push((normalize_name(n), scope));
            }
        }
        for n in p.dev_dependencies.keys() {
            deps.push((normalize_name(n), Scope::Dev));
        }
        for (g, group) in &p.group {
            let scope = if g == "main" {
                Scope::Runtime
            } else {
                Scope::Dev
            };
            for n in group.dependencies.keys() {
                deps.push((normalize_name(n), scope));
            }
        }
    }
    Ok(Some(Project {
        name: name.get_ref().clone(),
        version,
        name_offset: name.span().start,
        dependencies: deps,
        optional_groups,
        dev_groups,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pep621_and_poetry() {
        let p = parse(
            r#"
[project]
name = "App"
version = "1.0"
dependencies = ["Requests[socks]>=2", "weird thing"]
[project.optional-dependencies]
x = ["redis"]
[dependency-groups]
test = ["pytest", {include-group = "x"}]
"#,
        )
        .expect("valid")
        .expect("has project");
        assert_eq!(p.name, "App");
        assert_eq!(p.version.as_deref(), Some("1.0"));
        assert_eq!(
            p.dependencies,
            vec![
                ("requests".to_string(), Scope::Runtime),
                ("weird".to_string(), Scope::Runtime),
                ("redis".to_string(), Scope::Optional),
                ("pytest".to_string(), Scope::Dev),
            ]
        );

        let p = parse(
            r#"
[tool.poetry]
name = "svc"
version = "0.1.0"
[tool.poetry.dependencies]
python = "^3.10"
Django = "^4"
redis = { version = "*", optional = true }
[tool.poetry.group.test.dependencies]
pytest = "*"
[tool.poetry.dev-dependencies]
black = "*"
"#,
        )
        .expect("valid")
        .expect("has project");
        assert_eq!(p.name, "svc");
        assert_eq!(
            p.dependencies,
            vec![
                ("django".to_string(), Scope::Runtime),
                ("redis".to_string(), Scope::Optional),
                ("black".to_string(), Scope::Dev),
                ("pytest".to_string(), Scope::Dev),
            ]
        );
        assert_eq!(p.dev_groups, vec!["test"]);
        assert!(parse("[tool.black]\nx = 1").expect("valid").is_none());

        let p = parse(
            "[project]\nname = \"a\"\n[project.optional-dependencies]\nfast = [\"orjson\"]\n\
             [tool.pdm.dev-dependencies]\nlint = [\"ruff>=0.1\"]\n",
        )
        .expect("valid")
        .expect("has project");
        assert_eq!(p.optional_groups, vec!["fast"]);
        assert_eq!(p.dev_groups, vec!["lint"]);
        assert!(p.dependencies.contains(&("ruff".to_string(), Scope::Dev)));
        assert!(parse("[project\n").is_err());
    }
}
