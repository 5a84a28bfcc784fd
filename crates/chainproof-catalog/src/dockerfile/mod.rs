//! Dockerfiles and Containerfiles → the base images they build on.
//!
//! * **Files**: `Dockerfile`, `Containerfile`, `*.Dockerfile` / `*.dockerfile`,
//!   `Dockerfile.*` / `Containerfile.*` (but not `*.dockerignore`).
//! * **Syntax**: parser directives at the top (`# escape=` changes the line-continuation
//!   character; `# syntax=<image>` names the BuildKit frontend image, recorded as a
//!   [`Scope::Dev`] package with `chainproof:docker:syntax=true`), comment lines (also inside
//!   continuations), line continuations.
//! * **Images**: every `FROM [--platform=..] <image> [AS <name>]` and every
//!   `COPY`/`ADD --from=<image>` whose image is not an earlier stage name or index, and is
//!   not `scratch`. `ARG`s declared before the first `FROM` are substituted (`$V`, `${V}`,
//!   `${V:-default}`, `${V:+alt}`); a reference that still cannot be parsed (an `ARG` with no
//!   default) is listed on the root as `chainproof:docker:unresolved`.
//! * **Package URLs** (see [`ImageRef::purl`]): `pkg:oci/<name>@sha256:..?repository_url=..&tag=..`
//!   when a digest pins the image, else `pkg:docker/<namespace>/<name>@<tag>`. Every image
//!   carries `chainproof:docker:pinned` (`true` iff a digest is given) and
//!   `chainproof:docker:reference`; `--platform` is kept as `chainproof:docker:platform`.
//! * **Scope**: images the final stage is built from (directly, or through the stages it
//!   derives from) and images it copies from are [`Scope::Runtime`]; those only used by
//!   other (build) stages are [`Scope::Dev`].
//! * **Root**: the Dockerfile itself, a [`PackageKind::Project`] named by its path, with an
//!   edge to each image. A `FROM` without an image is an error with the line.

mod image;

pub use image::{ImageRef, PROP_PINNED, PROP_REFERENCE};

use std::collections::BTreeMap;

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageKind, Scope};
use chainproof_source::{FileResolver, file_name};

use crate::{CatalogError, Cataloger, CatalogerInfo};

pub const PROP_PLATFORM: &str = "chainproof:docker:platform";
pub const PROP_SYNTAX: &str = "chainproof:docker:syntax";
pub const PROP_UNRESOLVED: &str = "chainproof:docker:unresolved";
pub const PROP_STAGE: &str = "chainproof:docker:stage";

/// Reads Dockerfiles and Containerfiles.
#[derive(Debug, Clone, Copy, Default)]
pub struct DockerfileCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "dockerfile",
    ecosystem: "Docker",
    files: "`Dockerfile`, `Containerfile`, `*.Dockerfile`, `Dockerfile.*` (base images)",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: false,
};

impl Cataloger for DockerfileCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        let n = file_name(path);
        let lower = n.to_ascii_lowercase();
        if lower.ends_with(".dockerignore") {
            return false;
        }
        lower == "dockerfile"
            || lower == "containerfile"
            || lower.ends_with(".dockerfile")
            || lower.ends_with(".containerfile")
            || lower.starts_with("dockerfile.")
            || lower.starts_with("containerfile.")
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_dockerfile(path, &text)
    }
}

/// One logical instruction: its first line and its text with continuations joined.
struct Instruction {
    line: u32,
    keyword: String,
    args: String,
}

/// Directives, then instructions.
fn instructions(text: &str) -> (BTreeMap<String, (u32, String)>, Vec<Instruction>) {
    let mut directives = BTreeMap::new();
    let mut escape = '\\';
    let mut in_directives = true;
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = raw.trim();
        if in_directives {
            let directive = t
                .strip_prefix('#')
                .and_then(|d| d.split_once('='))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .filter(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphabetic()));
            match directive {
                Some((k, v)) => {
                    if k == "escape" && v == "`" {
                        escape = '`';
                    }
                    directives.insert(k, (line, v));
                    continue;
                }
                None => in_directives = false,
            }
        }
        if t.starts_with('#') || (t.is_empty() && current.is_none()) {
            continue;
        }
        let (body, continues) = match t.strip_suffix(escape) {
            Some(b) => (b, true),
            None => (t, false),
        };
        let entry = current.get_or_insert_with(|| (line, String::new()));
        if !entry.1.is_empty() {
            entry.1.push(' ');
        }
        entry.1.push_str(body.trim());
        if !continues && let Some((l, s)) = current.take() {
            let (kw, args) = s.split_once(char::is_whitespace).unwrap_or((&s, ""));
            out.push(Instruction {
                line: l,
                keyword: kw.to_ascii_uppercase(),
                args: args.trim().to_string(),
            });
        }
    }
    if let Some((l, s)) = current {
        let (kw, args) = s.split_once(char::is_whitespace).unwrap_or((&s, ""));
        out.push(Instruction {
            line: l,
            keyword: kw.to_ascii_uppercase(),
            args: args.trim().to_string(),
        });
    }
    (directives, out)
}

/// `NAME=value` pairs of an `ARG` (quotes removed); no default → `None`.
fn arg_pairs(args: &str) -> Vec<(String, Option<String>)> {
    args.split_whitespace()
        .map(|a| match a.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.trim_matches(['"', '\'']).to_string())),
            None => (a.to_string(), None),
        })
        .collect()
}

/// Substitutes `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:+a}`; unknown variables become empty.
pub fn substitute(s: &str, vars: &BTreeMap<String, Option<String>>) -> String {
    let get = |k: &str| vars.get(k).cloned().flatten();
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let Some(end) = inner.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let expr = &inner[..end];
            let value = if let Some((k, d)) = expr.split_once(":-") {
                get(k)
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| d.to_string())
            } else if let Some((k, a)) = expr.split_once(":+") {
                if get(k).is_some_and(|v| !v.is_empty()) {
                    a.to_string()
                } else {
                    String::new()
                }
            } else if let Some((k, d)) = expr.split_once('-') {
                get(k).unwrap_or_else(|| d.to_string())
            } else {
                get(expr).unwrap_or_default()
            };
            out.push_str(&value);
            rest = &inner[end + 1..];
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if end == 0 {
                out.push('$');
            } else {
                out.push_str(&get(&after[..end]).unwrap_or_default());
            }
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    out
}

enum Base {
    Stage(usize),
    Image(String),
    Scratch,
}

struct Stage {
    alias: Option<String>,
    base: Base,
    line: u32,
    platform: Option<String>,
    /// External images copied from, with their lines.
    copies: Vec<(String, u32)>,
}

/// Parses the text of a Dockerfile; `path` is used for locations and errors.
pub fn parse_dockerfile(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let (directives, instrs) = instructions(text);
    let mut globals: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut stages: Vec<Stage> = Vec::new();
    let stage_index = |stages: &[Stage], r: &str| -> Option<usize> {
        let lower = r.to_ascii_lowercase();
        stages
            .iter()
            .position(|s| s.alias.as_deref() == Some(lower.as_str()))
            .or_else(|| r.parse::<usize>().ok().filter(|i| *i < stages.len()))
    };
    for ins in &instrs {
        match ins.keyword.as_str() {
            "ARG" if stages.is_empty() => globals.extend(arg_pairs(&ins.args)),
            "FROM" => {
                let mut platform = None;
                let mut words = Vec::new();
                for w in ins.args.split_whitespace() {
                    match w.strip_prefix("--platform=") {
                        Some(p) => platform = Some(substitute(p, &globals)),
                        None if w.starts_with("--") => {}
                        None => words.push(w),
                    }
                }
                let Some(reference) = words.first() else {
                    return Err(CatalogError::new(path, "FROM without an image").at_line(ins.line));
                };
                let alias = match (words.get(1), words.get(2)) {
                    (Some(a), Some(n)) if a.eq_ignore_ascii_case("as") => {
                        Some(n.to_ascii_lowercase())
                    }
                    _ => None,
                };
                let reference = substitute(reference, &globals);
                let base = if reference.eq_ignore_ascii_case("scratch") {
                    Base::Scratch
                } else if let Some(i) = stage_index(&stages, &reference)
                    .filter(|_| !reference.contains([':', '@', '/']))
                {
                    Base::Stage(i)
                } else {
                    Base::Image(reference)
                };
                stages.push(Stage {
                    alias,
                    base,
                    line: ins.line,
                    platform,
                    copies: Vec::new(),
                });
            }
            "COPY" | "ADD" => {
                let from = ins
                    .args
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("--from="))
                    .map(|f| f.trim_matches(['"', '\'']).to_string());
                if let Some(from) = from {
                    let known = stage_index(&stages, &from).is_some();
                    if let (false, Some(stage)) = (known, stages.last_mut()) {
                        stage.copies.push((from, ins.line));
                    }
                }
            }
            _ => {}
        }
    }

    // Stages the final stage derives from.
    let mut chain = vec![false; stages.len()];
    let mut at = stages.len().checked_sub(1);
    while let Some(i) = at {
        if chain[i] {
            break;
        }
        chain[i] = true;
        at = match stages[i].base {
            Base::Stage(j) => Some(j),
            _ => None,
        };
    }

    let mut inv = Inventory::default();
    let root = inv.add_package(
        Package::new(Ecosystem::Docker, path, None)
            .with_kind(PackageKind::Project)
            .with_location(Location::new(path)),
    );
    inv.add_root(root);
    let mut unresolved: Vec<String> = Vec::new();
    let mut add = |inv: &mut Inventory,
                   reference: &str,
                   line: u32,
                   scope: Scope,
                   extra: &[(&str, String)]| {
        let Some(img) = ImageRef::parse(reference) else {
            unresolved.push(format!("{reference} (line {line})"));
            return;
        };
        let Ok(mut pkg) = img.package(reference) else {
            unresolved.push(format!("{reference} (line {line})"));
            return;
        };
        pkg = pkg
            .with_scope(scope)
            .with_location(Location::new(path).with_line(line));
        for (k, v) in extra {
            pkg = pkg.with_property(*k, v.as_str());
        }
        let id = inv.add_package(pkg);
        inv.add_edge(root, id);
    };
    if let Some((line, syntax)) = directives.get("syntax") {
        add(
            &mut inv,
            syntax,
            *line,
            Scope::Dev,
            &[(PROP_SYNTAX, "true".to_string())],
        );
    }
    for (i, stage) in stages.iter().enumerate() {
        let scope = if chain[i] { Scope::Runtime } else { Scope::Dev };
        if let Base::Image(reference) = &stage.base {
            let mut extra = Vec::new();
            if let Some(p) = &stage.platform {
                extra.push((PROP_PLATFORM, p.clone()));
            }
            if let Some(a) = &stage.alias {
                extra.push((PROP_STAGE, a.clone()));
            }
            add(&mut inv, reference, stage.line, scope, &extra);
        }
        for (reference, line) in &stage.copies {
            let reference = substitute(reference, &globals);
            add(&mut inv, &reference, *line, scope, &[]);
        }
    }
    if !unresolved.is_empty() {
        inv.package_mut(root)
            .properties
            .insert(PROP_UNRESOLVED.to_string(), unresolved.join(", "));
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitution() {
        let mut v = BTreeMap::new();
        v.insert("A".to_string(), Some("1".to_string()));
        v.insert("E".to_string(), None);
        assert_eq!(substitute("x:$A-${A}", &v), "x:1-1");
        assert_eq!(substitute("${E:-d}${Z:-z}${A:+y}${E:+n}", &v), "dzy");
        assert_eq!(substitute("$ ${unterminated", &v), "$ ${unterminated");
    }
}
