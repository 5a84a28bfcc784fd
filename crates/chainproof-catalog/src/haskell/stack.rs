//! `stack.yaml.lock` → the extra-deps Stack pinned, from Hackage, git or archives.
//!
//! Each `packages[].completed` entry is one package:
//!
//! * `hackage: <name>-<version>@sha256:<hex>,<size>` → `pkg:hackage/<name>@<version>`. The
//!   SHA-256 there is the digest of the package's `.cabal` file revision, not of its
//!   source archive, so it is kept as `chainproof:stack:cabal-sha256` (and the size as
//!   `chainproof:stack:cabal-size`) rather than as a [`Hash`];
//! * `git` + `commit` (+ `name`, `version`) → `vcs_url=git+<repo>@<commit>`;
//! * `url` (+ `name`, `version`, `sha256`, `size`) → `download_url=<url>`, and the archive's
//!   `sha256` is a real [`Hash`].
//!
//! `pantry-tree.sha256` (a digest of Pantry's file-tree listing) is kept as
//! `chainproof:stack:pantry-tree`. The resolver snapshot (`snapshots[].original`, e.g.
//! `lts-22.41`) is recorded on every package as `chainproof:stack:snapshot`; its packages
//! are not listed in the lock. Stack records no graph: no edges. A file that is not YAML,
//! or a `hackage:` value that is not `name-version`, is an error with the line.

use chainproof_core::{Ecosystem, Hash, HashAlgorithm, Inventory, Location, Package};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name};
use yaml_serde::Value;

use super::yaml_error;
use crate::util::{LineIndex, line_of};
use crate::{CatalogError, Cataloger, CatalogerInfo};

pub const PROP_CABAL_SHA256: &str = "chainproof:stack:cabal-sha256";
pub const PROP_CABAL_SIZE: &str = "chainproof:stack:cabal-size";
pub const PROP_PANTRY_TREE: &str = "chainproof:stack:pantry-tree";
pub const PROP_SNAPSHOT: &str = "chainproof:stack:snapshot";

/// Reads `stack.yaml.lock` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct StackLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "stack-lock",
    ecosystem: "Hackage",
    files: "`stack.yaml.lock`",
    edges: false,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for StackLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "stack.yaml.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_stack_lock(path, &text)
    }
}

/// `aeson-2.1.2.1` → (`aeson`, `2.1.2.1`).
pub fn split_name_version(s: &str) -> Option<(&str, &str)> {
    let (name, version) = s.rsplit_once('-')?;
    let ok = !name.is_empty()
        && !version.is_empty()
        && version.chars().all(|c| c.is_ascii_digit() || c == '.');
    ok.then_some((name, version))
}

/// The line of the first occurrence of `needle` at or after `*from`; moves `*from` past it.
fn line_after(text: &str, lines: &LineIndex, needle: &str, from: &mut usize) -> Option<u32> {
    let i = text.get(*from..)?.find(needle)? + *from;
    *from = i + needle.len();
    Some(lines.line(i))
}

/// Parses the text of a `stack.yaml.lock`; `path` is used for locations and errors.
pub fn parse_stack_lock(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let lines = LineIndex::new(text);
    let doc: Value = yaml_serde::from_str(text).map_err(|e| yaml_error(path, &e))?;
    let mut inv = Inventory::default();
    if doc.is_null() {
        return Ok(inv);
    }
    if !doc.is_mapping() {
        return Err(CatalogError::new(path, "a stack.yaml.lock is a YAML mapping").at_line(1));
    }
    let snapshot = doc
        .get("snapshots")
        .and_then(Value::as_sequence)
        .and_then(|s| s.first())
        .and_then(|s| s.get("original"))
        .and_then(|o| o.as_str().or_else(|| o.get("url").and_then(Value::as_str)));
    let packages = match doc.get("packages") {
        None | Some(Value::Null) => return Ok(inv),
        Some(Value::Sequence(s)) => s,
        Some(_) => {
            let line = text.find("packages:").map_or(1, |i| line_of(text, i));
            return Err(CatalogError::new(path, "`packages` is not a list").at_line(line));
        }
    };
    let mut cursor = 0usize;
    for (i, entry) in packages.iter().enumerate() {
        let pointer = format!("/packages/{i}/completed");
        let Some(done) = entry.get("completed") else {
            continue;
        };
        let s = |k: &str| done.get(k).and_then(Value::as_str);
        let mut pkg;
        if let Some(h) = s("hackage") {
            let line = line_after(text, &lines, h, &mut cursor).unwrap_or(1);
            let (nv, rest) = h.split_once('@').unwrap_or((h, ""));
            let (name, version) = split_name_version(nv).ok_or_else(|| {
                CatalogError::new(path, format!("`{h}` is not <name>-<version>"))
                    .at_line(line)
                    .at_pointer(format!("{pointer}/hackage"))
            })?;
            let purl = Purl::new("hackage", name)
                .map_err(|e| CatalogError::new(path, e.to_string()).at_line(line))?
                .with_version(version);
            pkg = Package::new(Ecosystem::Hackage, name, Some(version))
                .with_purl(purl)
                .with_location(Location::new(path).with_line(line));
            if let Some(sum) = rest.strip_prefix("sha256:") {
                let (hex, size) = sum.split_once(',').unwrap_or((sum, ""));
                pkg = pkg.with_property(PROP_CABAL_SHA256, hex);
                if !size.is_empty() {
                    pkg = pkg.with_property(PROP_CABAL_SIZE, size);
                }
            }
        } else if let (Some(name), Some(version)) = (s("name"), s("version")) {
            let (qualifier, value, anchor) = match (s("git"), s("commit"), s("url")) {
                (Some(repo), Some(commit), _) => {
                    ("vcs_url", format!("git+{repo}@{commit}"), commit)
                }
                (Some(repo), None, _) => ("vcs_url", format!("git+{repo}"), repo),
                (None, _, Some(url)) => ("download_url", url.to_string(), url),
                _ => ("", String::new(), name),
            };
            let line = line_after(text, &lines, anchor, &mut cursor).unwrap_or(1);
            let mut purl = Purl::new("hackage", name)
                .map_err(|e| CatalogError::new(path, e.to_string()).at_line(line))?
                .with_version(version);
            if !qualifier.is_empty() {
                purl = purl
                    .with_qualifier(qualifier, &value)
                    .map_err(|e| CatalogError::new(path, e.to_string()).at_line(line))?;
            }
            pkg = Package::new(Ecosystem::Hackage, name, Some(version))
                .with_purl(purl)
                .with_location(Location::new(path).with_line(line));
            if !value.is_empty() {
                pkg = pkg.with_source(value.trim_start_matches("git+"));
            }
            if let Some(h) = s("sha256").and_then(|h| Hash::from_hex(HashAlgorithm::Sha256, h)) {
                pkg = pkg.with_hash(h);
            }
        } else {
            let line = text.find("completed:").map_or(1, |i| line_of(text, i));
            return Err(CatalogError::new(
                path,
                "an entry is neither `hackage:` nor a named git/url package",
            )
            .at_line(line)
            .at_pointer(pointer));
        }
        if let Some(t) = done
            .get("pantry-tree")
            .and_then(|t| t.get("sha256"))
            .and_then(Value::as_str)
        {
            pkg = pkg.with_property(PROP_PANTRY_TREE, t);
        }
        if let Some(snap) = snapshot {
            pkg = pkg.with_property(PROP_SNAPSHOT, snap);
        }
        inv.add_package(pkg);
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            split_name_version("hasql-pool-1.0.1"),
            Some(("hasql-pool", "1.0.1"))
        );
        assert_eq!(split_name_version("a-b"), None);
        assert_eq!(split_name_version("-1.0"), None);
    }
}
