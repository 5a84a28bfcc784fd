//! GitHub Actions: workflows and action metadata → the actions and images they use.
//!
//! * **Files**: `.github/workflows/*.yml|yaml` (workflows) and `action.yml|yaml` anywhere
//!   (action metadata; composite actions list `runs.steps[].uses`, Docker actions
//!   `runs.image`).
//! * **`uses:`** of steps (`jobs.<id>.steps[].uses`) and of jobs calling reusable workflows
//!   (`jobs.<id>.uses`):
//!   - `owner/repo[/path]@ref` → `pkg:githubactions/<owner>/<repo>@<ref>#<path>`
//!     (`githubactions` is the purl type OSV and chainproof's [`Ecosystem`] map to GitHub
//!     Actions; it is not in the purl-spec registry yet. Owner and repository are
//!     lower-cased, as GitHub compares them case-insensitively and the spec's `github` type
//!     does). A reusable workflow `owner/repo/.github/workflows/x.yml@ref` has the subpath
//!     `.github/workflows/x.yml`. `chainproof:actions:pinned` is `true` when the ref is a
//!     full 40-hex commit SHA, `false` for a tag or branch;
//!   - `docker://<image>` → the image's `pkg:docker`/`pkg:oci` purl (see
//!     [`crate::dockerfile::ImageRef`]);
//!   - local `./path` actions are not dependencies: they are listed on the root as
//!     `chainproof:actions:local`; a `uses:` that is none of these (no `@ref`, an
//!     expression) is listed as `chainproof:actions:invalid`.
//! * **Images**: `jobs.<id>.container` (string or `{image}`) and
//!   `jobs.<id>.services.<name>.image` are container images too.
//! * **Root and scope**: the file is a [`PackageKind::Project`] named by its path (the
//!   workflow's `name:` is `chainproof:actions:name`) with an edge to everything it uses.
//!   What a workflow uses runs in CI only: [`Scope::Dev`]. What an action's `runs` uses is
//!   part of that action: [`Scope::Runtime`].
//! * Each package is located at its `uses:`/`image:` line. A file that is not YAML, or not a
//!   mapping, is an error with the line.

use std::collections::HashMap;

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageId, PackageKind, Scope};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, parent_dir};
use yaml_serde::Value;

use crate::dockerfile::ImageRef;
use crate::haskell::yaml_error;
use crate::{CatalogError, Cataloger, CatalogerInfo};

pub const PROP_PINNED: &str = "chainproof:actions:pinned";
pub const PROP_LOCAL: &str = "chainproof:actions:local";
pub const PROP_INVALID: &str = "chainproof:actions:invalid";
pub const PROP_NAME: &str = "chainproof:actions:name";

/// Reads GitHub Actions workflows and `action.yml` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct GitHubActionsCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "github-actions",
    ecosystem: "GitHub Actions",
    files: "`.github/workflows/*.yml`, `action.yml` (`uses:`, job containers and services)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: false,
};

/// `true` for workflow files: YAML directly under `.github/workflows/`.
pub fn is_workflow(path: &str) -> bool {
    let n = file_name(path);
    let dir = parent_dir(path);
    (n.ends_with(".yml") || n.ends_with(".yaml"))
        && (dir == ".github/workflows" || dir.ends_with("/.github/workflows"))
}

impl Cataloger for GitHubActionsCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        let n = file_name(path);
        n == "action.yml" || n == "action.yaml" || is_workflow(path)
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_github_actions(path, &text)
    }
}

/// `owner/repo[/path]@ref` → purl; `None` when the string is not of that shape.
pub fn action_purl(uses: &str) -> Option<Purl> {
    let (target, reference) = uses.rsplit_once('@')?;
    if reference.is_empty() || uses.contains("${{") || uses.contains(char::is_whitespace) {
        return None;
    }
    let mut parts = target.split('/');
    let owner = parts.next().filter(|s| !s.is_empty())?;
    let repo = parts.next().filter(|s| !s.is_empty())?;
    let sub: Vec<&str> = parts.collect();
    if sub.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return None;
    }
    let mut p = Purl::new("githubactions", &repo.to_ascii_lowercase())
        .ok()?
        .with_namespace(&owner.to_ascii_lowercase())
        .ok()?
        .with_version(reference);
    if !sub.is_empty() {
        p = p.with_subpath(&sub.join("/"));
    }
    Some(p)
}

/// `true` for a full commit SHA (40 hex digits).
pub fn is_pinned(reference: &str) -> bool {
    reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Finds each value's line, in document order: the n-th lookup of a value gets its n-th
/// occurrence in the text.
struct Lines<'a> {
    text: &'a str,
    index: crate::util::LineIndex,
    next: HashMap<String, usize>,
}

impl Lines<'_> {
    fn of(&mut self, value: &str) -> Option<u32> {
        let from = self.next.get(value).copied().unwrap_or(0);
        let i = self.text.get(from..)?.find(value)? + from;
        self.next.insert(value.to_string(), i + value.len().max(1));
        Some(self.index.line(i))
    }
}

struct Collector<'a> {
    path: &'a str,
    scope: Scope,
    inv: Inventory,
    root: PackageId,
    lines: Lines<'a>,
    local: Vec<String>,
    invalid: Vec<String>,
}

impl Collector<'_> {
    fn location(&mut self, value: &str) -> Location {
        let loc = Location::new(self.path);
        match self.lines.of(value) {
            Some(l) => loc.with_line(l),
            None => loc,
        }
    }

    fn add(&mut self, pkg: Package) {
        let id = self.inv.add_package(pkg.with_scope(self.scope));
        self.inv.add_edge(self.root, id);
    }

    fn uses(&mut self, uses: &str) {
        let uses = uses.trim();
        let loc = self.location(uses);
        if uses.starts_with("./") || uses.starts_with("../") || uses == "." {
            self.local.push(uses.to_string());
            return;
        }
        if let Some(image) = uses.strip_prefix("docker://") {
            self.image(image, Some(loc));
            return;
        }
        let Some(purl) = action_purl(uses) else {
            self.invalid.push(uses.to_string());
            return;
        };
        let reference = purl.version().unwrap_or_default().to_string();
        let name = format!("{}/{}", purl.namespace().unwrap_or_default(), purl.name());
        let pkg = Package::new(Ecosystem::GitHubActions, name, Some(&reference))
            .with_purl(purl)
            .with_location(loc)
            .with_property(
                PROP_PINNED,
                if is_pinned(&reference) {
                    "true"
                } else {
                    "false"
                },
            );
        self.add(pkg);
    }

    fn image(&mut self, reference: &str, loc: Option<Location>) {
        let loc = match loc {
            Some(l) => l,
            None => self.location(reference),
        };
        match ImageRef::parse(reference).and_then(|r| r.package(reference).ok()) {
            Some(pkg) => self.add(pkg.with_location(loc)),
            None => self.invalid.push(reference.to_string()),
        }
    }

    fn steps(&mut self, steps: Option<&Value>) {
        for step in steps.and_then(Value::as_sequence).into_iter().flatten() {
            if let Some(u) = step.get("uses").and_then(Value::as_str) {
                self.uses(u);
            }
        }
    }
}

/// Parses a workflow or action file; `path` decides which (see [`is_workflow`]).
pub fn parse_github_actions(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let doc: Value = yaml_serde::from_str(text).map_err(|e| yaml_error(path, &e))?;
    if doc.is_null() {
        return Ok(Inventory::default());
    }
    if !doc.is_mapping() {
        return Err(
            CatalogError::new(path, "a workflow or action file is a YAML mapping").at_line(1),
        );
    }
    let workflow = is_workflow(path);
    let mut inv = Inventory::default();
    let mut root_pkg = Package::new(Ecosystem::GitHubActions, path, None)
        .with_kind(PackageKind::Project)
        .with_location(Location::new(path));
    if let Some(n) = doc.get("name").and_then(Value::as_str) {
        root_pkg = root_pkg.with_property(PROP_NAME, n);
    }
    let root = inv.add_package(root_pkg);
    inv.add_root(root);
    let mut c = Collector {
        path,
        scope: if workflow { Scope::Dev } else { Scope::Runtime },
        inv,
        root,
        lines: Lines {
            text,
            index: crate::util::LineIndex::new(text),
            next: HashMap::new(),
        },
        local: Vec::new(),
        invalid: Vec::new(),
    };

    if workflow {
        if let Some(jobs) = doc.get("jobs").and_then(Value::as_mapping) {
            for (_, job) in jobs {
                if let Some(u) = job.get("uses").and_then(Value::as_str) {
                    c.uses(u);
                }
                match job.get("container") {
                    Some(Value::String(s)) => c.image(s, None),
                    Some(v) => {
                        if let Some(s) = v.get("image").and_then(Value::as_str) {
                            c.image(s, None);
                        }
                    }
                    None => {}
                }
                for (_, svc) in job
                    .get("services")
                    .and_then(Value::as_mapping)
                    .into_iter()
                    .flatten()
                {
                    if let Some(s) = svc.get("image").and_then(Value::as_str) {
                        c.image(s, None);
                    }
                }
                c.steps(job.get("steps"));
            }
        }
    } else if let Some(runs) = doc.get("runs") {
        c.steps(runs.get("steps"));
        if let Some(image) = runs.get("image").and_then(Value::as_str)
            && let Some(i) = image.strip_prefix("docker://")
        {
            let loc = c.location(image);
            c.image(i, Some(loc));
        }
    }

    let Collector {
        mut inv,
        local,
        invalid,
        ..
    } = c;
    let props = &mut inv.package_mut(root).properties;
    if !local.is_empty() {
        props.insert(PROP_LOCAL.to_string(), local.join(", "));
    }
    if !invalid.is_empty() {
        props.insert(PROP_INVALID.to_string(), invalid.join(", "));
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        let p = |s: &str| action_purl(s).map(|p| p.to_string());
        assert_eq!(
            p("actions/checkout@v4").as_deref(),
            Some("pkg:githubactions/actions/checkout@v4")
        );
        assert_eq!(
            p("github/codeql-action/init@v3").as_deref(),
            Some("pkg:githubactions/github/codeql-action@v3#init")
        );
        assert_eq!(
            p("Org/Repo/.github/workflows/ci.yml@main").as_deref(),
            Some("pkg:githubactions/org/repo@main#.github/workflows/ci.yml")
        );
        assert_eq!(p("actions/checkout"), None);
        assert_eq!(p("actions@v1"), None);
        assert_eq!(p("${{ matrix.a }}@v1"), None);
        assert!(is_pinned("b4ffde65f46336ab88eb53be808477a3936bae11"));
        assert!(!is_pinned("v4.1.1"));
        assert!(is_workflow(".github/workflows/ci.yml"));
        assert!(is_workflow("sub/.github/workflows/ci.yaml"));
        assert!(!is_workflow(".github/workflows/sub/ci.yml"));
        assert!(!is_workflow("workflows/ci.yml"));
    }
}
