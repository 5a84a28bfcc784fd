//! The merged file tree of all layers: for every path, its versions layer by layer (with
//! deletions), so any layer's view of the filesystem can be looked up without copying.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::layer::{EntryKind, FileData, LayerEntry, normalize};

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Dir,
    File(Arc<FileData>),
    Symlink(String),
    Other,
    Deleted,
}

#[derive(Debug, Clone)]
pub(crate) struct Version {
    pub layer: u32,
    pub node: Node,
}

#[derive(Debug, Default)]
pub(crate) struct Tree {
    paths: BTreeMap<String, Vec<Version>>,
    pub warnings: Vec<String>,
}

/// Why a path could not be resolved.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ResolveError {
    Loop,
}

impl Tree {
    /// Applies one layer on top of the layers applied so far: its whiteouts first (they only
    /// hide lower layers), then its entries in archive order.
    pub(crate) fn apply(&mut self, layer: u32, entries: Vec<LayerEntry>) {
        for e in &entries {
            match e.kind {
                EntryKind::Whiteout => self.delete(&e.path, layer, true),
                EntryKind::Opaque => self.delete(&e.path, layer, false),
                _ => {}
            }
        }
        for e in entries {
            let node = match e.kind {
                EntryKind::Whiteout | EntryKind::Opaque => continue,
                EntryKind::File(f) => Node::File(f),
                EntryKind::Dir => Node::Dir,
                EntryKind::Symlink(t) => Node::Symlink(t),
                EntryKind::Other => Node::Other,
                EntryKind::Hardlink(target) => match self.visible(&target, layer) {
                    Some(v) => v.node.clone(),
                    None => {
                        self.warnings.push(format!(
                            "layer {}: {}: hard link to missing `{target}` ignored",
                            layer + 1,
                            e.path
                        ));
                        Node::Other
                    }
                },
            };
            if !matches!(node, Node::Dir) {
                // A file or link replaces a directory and everything below it.
                self.delete(&e.path, layer, false);
            }
            self.set(e.path, layer, node);
        }
    }

    fn set(&mut self, path: String, layer: u32, node: Node) {
        let versions = self.paths.entry(path).or_default();
        match versions.last_mut() {
            Some(v) if v.layer == layer => v.node = node,
            _ => versions.push(Version { layer, node }),
        }
    }

    /// Marks `path` (when `include_self`) and everything below it deleted as of `layer`.
    fn delete(&mut self, path: &str, layer: u32, include_self: bool) {
        let prefix = if path.is_empty() {
            String::new()
        } else {
            format!("{path}/")
        };
        let mut doomed: Vec<String> = self
            .paths
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(_, v)| is_live(v, layer))
            .map(|(k, _)| k.clone())
            .collect();
        if include_self && self.paths.get(path).is_some_and(|v| is_live(v, layer)) {
            doomed.push(path.to_string());
        }
        for k in doomed {
            self.set(k, layer, Node::Deleted);
        }
    }

    /// The version of `path` seen from `view` (layers `0..=view`), unless deleted.
    pub(crate) fn visible(&self, path: &str, view: u32) -> Option<&Version> {
        let v = self
            .paths
            .get(path)?
            .iter()
            .rev()
            .find(|v| v.layer <= view)?;
        (!matches!(v.node, Node::Deleted)).then_some(v)
    }

    /// Resolves symbolic links in every component of `path` as seen from `view`, never
    /// leaving the image root (`..` at the root stays there, absolute targets start at the
    /// image root). Returns the final path and its version, `None` when absent.
    pub(crate) fn resolve(
        &self,
        path: &str,
        view: u32,
        max_hops: u32,
    ) -> Result<Option<(String, &Version)>, ResolveError> {
        let mut pending: Vec<String> = normalize(path).split('/').rev().map(String::from).collect();
        let mut cur: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(seg) = pending.pop() {
            match seg.as_str() {
                "" | "." => continue,
                ".." => {
                    cur.pop();
                    continue;
                }
                _ => {}
            }
            cur.push(seg);
            let p = cur.join("/");
            match self.visible(&p, view).map(|v| &v.node) {
                Some(Node::Symlink(target)) => {
                    hops += 1;
                    if hops > max_hops {
                        return Err(ResolveError::Loop);
                    }
                    cur.pop();
                    if target.starts_with('/') {
                        cur.clear();
                    }
                    pending.extend(target.split('/').rev().map(String::from));
                }
                Some(Node::File(_) | Node::Other) if !pending.is_empty() => return Ok(None),
                _ => {}
            }
        }
        let p = cur.join("/");
        Ok(self.visible(&p, view).map(|v| (p, v)))
    }

    /// Regular files seen from `view`; only those written by layer `view` itself when
    /// `own_only`.
    pub(crate) fn files(
        &self,
        view: u32,
        own_only: bool,
    ) -> impl Iterator<Item = (&str, &Version)> {
        self.paths.iter().filter_map(move |(k, versions)| {
            let v = versions.iter().rev().find(|v| v.layer <= view)?;
            (matches!(v.node, Node::File(_)) && (!own_only || v.layer == view))
                .then_some((k.as_str(), v))
        })
    }
}

fn is_live(versions: &[Version], view: u32) -> bool {
    versions
        .iter()
        .rev()
        .find(|v| v.layer <= view)
        .is_some_and(|v| !matches!(v.node, Node::Deleted))
}
