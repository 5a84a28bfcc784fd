//! pnpm `pnpm-lock.yaml`, lockfileVersion 5.x, 6.x and 9.x (pnpm 7 writes 5.4/6.0, pnpm 8
//! writes 6.0, pnpm 9 and 10 write 9.0).
//!
//! * Instances: v5/v6 `packages` entries (`/name/1.0.0_peer@1`, `/name@1.0.0(peer@1)`)
//!   carry their own dependencies; v9 keeps metadata in `packages` (by `name@version`) and
//!   resolved instances in `snapshots` (`name@1.0.0(react@18.2.0)`). Peer suffixes are
//!   dropped from the version, so every instance of one `name@version` is one package whose
//!   edges are the union of its instances' edges; edges are resolved by instance key.
//! * Projects: each `importers` entry (v5/v6 files without `importers`: the top-level
//!   `dependencies` maps) is a [`PackageKind::Project`] root; its name and version come from
//!   its `package.json` when the resolver has it, else from its folder's name.
//!   `link:<path>` references point at the project at that path; a linked folder that is no
//!   importer becomes a library with source `link:<path>`.
//! * Scope by reachability from the projects over the instance graph (so a package used by
//!   a peer instance that only a dev dependency reaches stays dev, although its merged
//!   package also has runtime edges): a package reached through runtime edges only is
//!   runtime; through an optional edge (`optionalDependencies`) optional; through a project's
//!   `devDependencies` dev. The most significant way wins. v5/v6 `dev: false` / `dev: true` /
//!   `optional: true` and v9 snapshot `optional: true` count as one more way; a package no
//!   project reaches is scoped by those flags alone (runtime without flags).
//! * Non-registry packages: `name`/`version` fields of the entry win over the key;
//!   `resolution.tarball` / `{repo, commit}` / `{directory}` give the source
//!   (`https://...`, `git+<repo>#<commit>`, `file:<dir>`); a git package without a version
//!   takes the commit as version; a local folder whose `package.json` the resolver does not
//!   have takes its `file:` reference as version (as Snyk does), so two folders of one name
//!   stay two packages. `resolution.integrity` gives the hashes.
//! * Properties: `chainproof:npm:alias` (the name a package is installed under when that
//!   differs: `lodash1: npm:lodash@1`), `chainproof:npm:unresolved` (references with no
//!   entry; a reference pinned to a registry version without an entry still gives that
//!   `name@version`, marked `chainproof:pnpm:no-entry`), `chainproof:pnpm:importer` (a project's importer path),
//!   `chainproof:pnpm:patch-hash` (patched dependencies),
//!   `chainproof:npm:bundled-dependencies` (the names in `bundledDependencies`; pnpm
//!   records no versions for bundled packages, so they are not packages here).
//! * Robustness: input over 64 MiB, YAML nested deeper than 128, or expanding (through
//!   aliases) to more nodes than it has bytes is refused with an error; so are documents
//!   that are not a mapping with a `lockfileVersion`.

mod build;
mod fastyaml;
mod keys;
mod lines;
mod model;
mod yaml;

use chainproof_core::Inventory;
use chainproof_source::{FileResolver, file_name};

use crate::{CatalogError, Cataloger, CatalogerInfo};
use yaml::Yaml;

/// Reads `pnpm-lock.yaml` (lockfileVersion 5.x, 6.x, 9.x).
pub struct PnpmLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "pnpm-lock",
    ecosystem: "npm",
    files: "`pnpm-lock.yaml` v5.x, v6, v9",
    edges: true,
    licenses: false,
    scopes: true,
    hashes: true,
};

/// The largest lockfile read (bytes).
const MAX_BYTES: usize = 64 << 20;

impl Cataloger for PnpmLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "pnpm-lock.yaml"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        catalog_text(resolver, path, &text)
    }
}

/// Parses lockfile text (read from `path`; `resolver` supplies the projects'
/// `package.json` files when it has them).
pub fn catalog_text(
    resolver: &dyn FileResolver,
    path: &str,
    text: &str,
) -> Result<Inventory, CatalogError> {
    if text.len() > MAX_BYTES {
        return Err(CatalogError::new(
            path,
            format!("lockfile is larger than {MAX_BYTES} bytes"),
        ));
    }
    let doc = yaml::parse(text).map_err(|e| {
        let mut err = CatalogError::new(path, e.message);
        if let Some(l) = e.line {
            err = err.at_line(l);
        }
        if let Some(c) = e.column {
            err = err.at_column(c);
        }
        err
    })?;
    let first_line = || {
        let at = text.len() - text.trim_start().len();
        crate::util::line_col(text, at)
    };
    match &doc {
        // An empty document (or comments only) has no packages.
        Yaml::Null => return Ok(Inventory::default()),
        Yaml::Map(_) => {}
        _ => {
            let (line, col) = first_line();
            return Err(CatalogError::new(
                path,
                "not a pnpm lockfile: the document is not a mapping",
            )
            .at_line(line)
            .at_column(col));
        }
    }
    let version = doc
        .get("lockfileVersion")
        .or_else(|| doc.get("shrinkwrapVersion"))
        .and_then(Yaml::as_str);
    let Some(major) = version.and_then(model::major_of) else {
        let (line, col) = first_line();
        let what = match version {
            Some(v) => format!("not a pnpm lockfile: unreadable lockfileVersion {v:?}"),
            None => "not a pnpm lockfile: no lockfileVersion".to_string(),
        };
        return Err(CatalogError::new(path, what)
            .at_line(line)
            .at_column(col)
            .at_pointer("/lockfileVersion"));
    };
    for section in [
        "importers",
        "packages",
        "snapshots",
        "dependencies",
        "devDependencies",
        "optionalDependencies",
    ] {
        if let Some(v) = doc.get(section)
            && !matches!(v, Yaml::Map(_) | Yaml::Null)
        {
            let line = section_line(text, section).unwrap_or(1);
            return Err(
                CatalogError::new(path, format!("`{section}` is not a mapping"))
                    .at_line(line)
                    .at_pointer(format!("/{section}")),
            );
        }
    }
    let key_lines = lines::key_lines(text);
    let line_of = |section: &str, key: &str| {
        key_lines
            .get(&(section.to_string(), key.to_string()))
            .copied()
    };
    let lock = model::read(&doc, major, &line_of);
    Ok(build::build(resolver, path, &lock, &line_of))
}

/// The line of a top-level `section:` key.
fn section_line(text: &str, section: &str) -> Option<u32> {
    text.lines()
        .position(|l| {
            l.strip_prefix(section)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .and_then(|i| u32::try_from(i + 1).ok())
}
