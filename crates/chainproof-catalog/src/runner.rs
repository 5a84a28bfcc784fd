use chainproof_core::{Inventory, Location, SourceInfo, Unparsed};
use chainproof_source::FileResolver;
use rayon::prelude::*;

use crate::Cataloger;
use crate::os::OwnedFiles;

/// Property of a language package whose location is a file installed by an OS package:
/// the key (purl) of that OS package. The package is kept (e.g. Debian's `python3-*`
/// packages carry `dist-info`: both are reported, and linked by this property).
pub const PROP_OWNED_BY: &str = "chainproof:os:owned-by";

/// Purl types of OS package databases.
const OS_PURL_TYPES: [&str; 5] = ["deb", "apk", "rpm", "alpm", "opkg"];

/// Options for one catalog run.
#[derive(Debug, Clone, Default)]
pub struct CatalogOptions {
    /// Called after each file is cataloged with (done, total); for progress display.
    pub progress: Option<fn(usize, usize)>,
    /// Run every given cataloger on every file, whatever its name (for a single file the
    /// user named together with the cataloger to read it).
    pub ignore_file_names: bool,
}

/// How many files are parsed in parallel before their results are merged.
const MERGE_CHUNK: usize = 128;

/// Runs every cataloger over every file it claims, in parallel, and merges the results in
/// path order (so output is deterministic). Files that fail to parse are recorded as
/// [`Unparsed`] and the rest of the target is still cataloged.
pub fn catalog(
    resolver: &dyn FileResolver,
    catalogers: &[Box<dyn Cataloger>],
    options: &CatalogOptions,
) -> Inventory {
    let jobs: Vec<(&str, &dyn Cataloger)> = resolver
        .files()
        .iter()
        .flat_map(|f| {
            catalogers
                .iter()
                .filter(|c| options.ignore_file_names || c.matches(&f.path))
                .map(move |c| (f.path.as_str(), c.as_ref()))
        })
        .collect();
    let total = jobs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let run = |(path, cataloger): &(&str, &dyn Cataloger)| {
        let inv = match cataloger.catalog(resolver, path) {
            Ok(inv) => inv,
            Err(err) => {
                let mut inv = Inventory::default();
                let mut location = Location::new(*path);
                location.line = err.line;
                inv.add_unparsed(Unparsed {
                    location,
                    cataloger: cataloger.name().to_string(),
                    error: err.to_string(),
                });
                inv
            }
        };
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(cb) = options.progress {
            cb(n, total);
        }
        inv
    };
    // Parse in parallel a chunk at a time and merge each chunk in path order: output stays
    // deterministic, and memory holds two chunks of per-file results, not all of them. The
    // merge of one chunk (sequential) runs while the next chunk is parsed.
    let mut out = Inventory::new(SourceInfo::default());
    let mut pending: Vec<Inventory> = Vec::new();
    for chunk in jobs.chunks(MERGE_CHUNK) {
        let ((), results) = rayon::join(
            || {
                for inv in pending.drain(..) {
                    out.merge(inv);
                }
            },
            || chunk.par_iter().map(run).collect::<Vec<Inventory>>(),
        );
        pending = results;
    }
    for inv in pending {
        out.merge(inv);
    }
    if has_os_packages(&out) {
        link_os_owned(&mut out, &OwnedFiles::collect(resolver));
    }
    out
}

fn is_os_package(p: &chainproof_core::Package) -> bool {
    p.purl
        .as_ref()
        .is_some_and(|u| OS_PURL_TYPES.contains(&u.ty()))
}

fn has_os_packages(inv: &Inventory) -> bool {
    inv.packages().any(|(_, p)| is_os_package(p))
}

/// Marks every non-OS package that has a location in a file owned by an OS package with
/// [`PROP_OWNED_BY`] (the owner's key; several owners are joined with `,`). Packages are
/// never dropped. [`catalog`] runs this itself when the inventory has OS packages.
pub fn link_os_owned(inv: &mut Inventory, owned: &OwnedFiles) {
    if owned.is_empty() {
        return;
    }
    let mut marks = Vec::new();
    for (id, p) in inv.packages() {
        if is_os_package(p) {
            continue;
        }
        let key = p.key();
        let mut owners: Vec<&str> = p
            .locations
            .iter()
            .filter_map(|l| owned.owner(l.path.trim_start_matches('/')))
            .filter(|o| *o != key)
            .collect();
        owners.sort_unstable();
        owners.dedup();
        if !owners.is_empty() {
            marks.push((id, owners.join(",")));
        }
    }
    for (id, owners) in marks {
        inv.package_mut(id)
            .properties
            .insert(PROP_OWNED_BY.to_string(), owners);
    }
}
