use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Condvar, Mutex, PoisonError};

use chainproof_core::{Inventory, Location, PackageId, SourceInfo, Unparsed};
use chainproof_source::FileResolver;

use crate::Cataloger;
use crate::os::OwnedFiles;

/// Property of a language package whose location is a file installed by an OS package:
/// the key (purl) of that OS package. The package is kept (e.g. Debian's `python3-*`
/// packages carry `dist-info`: both are reported, linked by this property and by an edge
/// from the OS package); see [`apply_os_ownership`].
pub const PROP_OWNED_BY: &str = "chainproof:os:owned-by";

/// Catalogers that read packages out of compiled binaries: the root package they make
/// stands for the binary itself (see [`apply_os_ownership`]).
pub const BINARY_CATALOGERS: [&str; 2] = ["go-binary", "rust-cargo-auditable"];

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

/// How far parsing may run ahead of the merge (in files): bounds the per-file results
/// held in memory while one slow file holds up the merge.
const MERGE_WINDOW: usize = 256;

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
    // Keys of the root packages binary catalogers made (one per binary), for the OS rule.
    let binary_roots: Mutex<Vec<String>> = Mutex::new(Vec::new());
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
        if BINARY_CATALOGERS.contains(&cataloger.name()) && inv.roots().len() > 0 {
            let keys = inv.roots().map(|r| inv.package(r).key());
            binary_roots
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(keys);
        }
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(cb) = options.progress {
            cb(n, total);
        }
        inv
    };
    let mut out = Inventory::new(SourceInfo::default());
    ordered_merge(&jobs, &run, &mut out);
    if has_os_packages(&out) {
        let roots = binary_roots
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        out = apply_os_ownership(out, &OwnedFiles::collect(resolver), &roots);
    }
    out
}

/// Runs `run` on every job on worker threads and merges the results into `out` in job
/// order (so output is deterministic) as soon as each next one is ready: the merge runs
/// while later files are still parsed, not after all of them. Workers take jobs in order,
/// at most [`MERGE_WINDOW`] ahead of the merge.
fn ordered_merge<J: Sync>(jobs: &[J], run: &(dyn Fn(&J) -> Inventory + Sync), out: &mut Inventory) {
    let workers = rayon::current_num_threads().clamp(1, jobs.len().max(1));
    if workers == 1 || jobs.len() < 2 {
        for job in jobs {
            out.merge(run(job));
        }
        return;
    }
    // `next`: the first job no worker has taken; `merged`: how many results are merged.
    let state = Mutex::new((0usize, 0usize));
    let advanced = Condvar::new();
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Inventory)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (state, advanced) = (&state, &advanced);
            scope.spawn(move || {
                // A panicking cataloger stops the others from taking jobs (instead of
                // leaving them waiting for a result that never comes); the scope then
                // re-raises the panic.
                let _stop = StopOnPanic(state, advanced, jobs.len());
                loop {
                    let i = {
                        let mut st = state.lock().unwrap_or_else(PoisonError::into_inner);
                        while st.0 < jobs.len() && st.0 >= st.1 + MERGE_WINDOW {
                            st = advanced.wait(st).unwrap_or_else(PoisonError::into_inner);
                        }
                        if st.0 >= jobs.len() {
                            return;
                        }
                        st.0 += 1;
                        st.0 - 1
                    };
                    if tx.send((i, run(&jobs[i]))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, Inventory> = BTreeMap::new();
        let mut merged = 0;
        for (i, inv) in rx {
            waiting.insert(i, inv);
            while let Some(inv) = waiting.remove(&merged) {
                out.merge(inv);
                merged += 1;
            }
            state.lock().unwrap_or_else(PoisonError::into_inner).1 = merged;
            advanced.notify_all();
        }
    });
}

struct StopOnPanic<'a>(&'a Mutex<(usize, usize)>, &'a Condvar, usize);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().unwrap_or_else(PoisonError::into_inner).0 = self.2;
            self.1.notify_all();
        }
    }
}

fn is_os_package(p: &chainproof_core::Package) -> bool {
    p.purl
        .as_ref()
        .is_some_and(|u| OS_PURL_TYPES.contains(&u.ty()))
}

fn has_os_packages(inv: &Inventory) -> bool {
    inv.packages().any(|(_, p)| is_os_package(p))
}

/// The OS packages (keys) that own a location of `p`, sorted, without `p` itself.
fn owners_of<'a>(p: &chainproof_core::Package, key: &str, owned: &'a OwnedFiles) -> Vec<&'a str> {
    let mut owners: Vec<&str> = p
        .locations
        .iter()
        .filter_map(|l| owned.owner(l.path.trim_start_matches('/')))
        .filter(|o| *o != key)
        .collect();
    owners.sort_unstable();
    owners.dedup();
    owners
}

/// Links every non-OS package that has a location in a file owned by an OS package to
/// that OS package: the package gets [`PROP_OWNED_BY`] (the owner's key; several owners
/// are joined with `,`) and the owner gets an edge to it (the OS package installed it).
/// Nothing is dropped here; see [`apply_os_ownership`].
pub fn link_os_owned(inv: &mut Inventory, owned: &OwnedFiles) {
    if owned.is_empty() {
        return;
    }
    let mut marks = Vec::new();
    for (id, p) in inv.packages() {
        if is_os_package(p) {
            continue;
        }
        let owners = owners_of(p, &p.key(), owned);
        if !owners.is_empty() {
            let ids: Vec<PackageId> = owners.iter().filter_map(|o| inv.find(o)).collect();
            marks.push((id, owners.join(","), ids));
        }
    }
    for (id, owners, owner_ids) in marks {
        inv.package_mut(id)
            .properties
            .insert(PROP_OWNED_BY.to_string(), owners);
        for o in owner_ids {
            inv.add_edge(o, id);
        }
    }
}

/// The OS-ownership rule of a catalog run (syft's "file ownership overlap"):
///
/// * Language packages in files an OS package installed (Debian's `python3-*` dist-info,
///   node modules, JARs, and the modules compiled into an OS-owned binary) are **kept** and
///   linked to their OS package ([`link_os_owned`]).
/// * The package that *is* an OS-owned binary — the root a binary cataloger
///   ([`BINARY_CATALOGERS`]) made for it (Go main module, cargo-auditable root crate) — is
///   **dropped**: the OS package already describes that binary. `binary_roots` are the
///   keys of those roots; one is dropped only when every location it has is OS-owned (the
///   same module found in a binary no OS package owns keeps it). Its dependencies (the
///   compiled-in modules and the Go standard library) stay, linked to the OS package.
///
/// [`catalog`] runs this itself when the inventory has OS packages.
pub fn apply_os_ownership(
    mut inv: Inventory,
    owned: &OwnedFiles,
    binary_roots: &[String],
) -> Inventory {
    if owned.is_empty() {
        return inv;
    }
    link_os_owned(&mut inv, owned);
    let drop: HashSet<PackageId> = binary_roots
        .iter()
        .filter_map(|k| inv.find(k))
        .filter(|&id| {
            let p = inv.package(id);
            !is_os_package(p)
                && !p.locations.is_empty()
                && p.locations
                    .iter()
                    .all(|l| owned.owner(l.path.trim_start_matches('/')).is_some())
        })
        .collect();
    if drop.is_empty() {
        return inv;
    }
    without(inv, &drop)
}

/// A copy of `inv` without the packages in `drop` (and their edges and roots).
fn without(inv: Inventory, drop: &HashSet<PackageId>) -> Inventory {
    let mut out = Inventory::new(inv.source.clone());
    let mut map: HashMap<PackageId, PackageId> = HashMap::with_capacity(inv.len());
    for (id, p) in inv.packages() {
        if !drop.contains(&id) {
            map.insert(id, out.add_package(p.clone()));
        }
    }
    for (a, b) in inv.edges() {
        if let (Some(&a), Some(&b)) = (map.get(&a), map.get(&b)) {
            out.add_edge(a, b);
        }
    }
    for r in inv.roots() {
        if let Some(&r) = map.get(&r) {
            out.add_root(r);
        }
    }
    for u in inv.unparsed() {
        out.add_unparsed(u.clone());
    }
    out
}
