use std::collections::{BTreeSet, HashSet};
use std::hash::BuildHasher as _;

use hashbrown::hash_table::{Entry, HashTable};

/// The hasher of the inventory's maps: foldhash (several times faster than SipHash on
/// purl-sized keys; per-process random seeds keep it resistant to crafted collisions).
/// Nothing iterates these maps, so the seed never shows in the output.
type Fast = foldhash::fast::RandomState;

use crate::{Location, Package};

/// A package with its [`Package::key`] computed, made by [`Package::keyed`]: the key can be
/// formatted wherever the package is built (in parallel), then [`Inventory::add_keyed_package`]
/// only hashes it.
#[derive(Debug, Clone)]
pub struct KeyedPackage {
    key: String,
    package: Package,
}

impl Package {
    /// This package with its key computed.
    pub fn keyed(self) -> KeyedPackage {
        KeyedPackage {
            key: self.key(),
            package: self,
        }
    }
}

/// Index of a package inside one [`Inventory`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackageId(u32);

impl PackageId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A file that was claimed by a cataloger (or an SBOM reader) but could not be understood.
/// Kept in the inventory so that output can say what was *not* audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparsed {
    /// Where the problem is: the file, and the line when known.
    pub location: Location,
    /// The cataloger that claimed the file (`cargo-lock`, `npm-package-lock`, ...).
    pub cataloger: String,
    /// What went wrong, including the place inside the file (line, JSON pointer).
    pub error: String,
}

/// What was inventoried: shown as the root component of an SBOM.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceInfo {
    /// `directory`, `file`, `sbom`, later `image`.
    pub kind: String,
    /// A human name: the directory's name, the image reference.
    pub name: String,
    /// A version when one is known (an image digest, a project version).
    pub version: Option<String>,
    /// What is known about the container image, when the target is one.
    pub image: Option<ImageInfo>,
}

/// A container image that was inventoried (shown on the SBOM's root component).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageInfo {
    /// `pkg:oci/NAME@sha256:…?repository_url=…&tag=…`, when built.
    pub purl: Option<String>,
    /// Digest of the image manifest (`sha256:…`), when the storage has one.
    pub manifest_digest: Option<String>,
    /// Digest of the config blob (the "image ID").
    pub config_digest: String,
    pub media_type: Option<String>,
    /// `repo:tag` names.
    pub repo_tags: Vec<String>,
    pub os: Option<String>,
    pub architecture: Option<String>,
    pub variant: Option<String>,
    /// Bottom layer first.
    pub layers: Vec<ImageLayer>,
}

/// One layer of an [`ImageInfo`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageLayer {
    /// Digest of the blob as stored (compressed).
    pub digest: String,
    /// Digest of the uncompressed tar (what [`Location::layer`](crate::Location::layer) names).
    pub diff_id: String,
    pub media_type: Option<String>,
    /// Bytes of the blob.
    pub size: u64,
}

/// Packages, the dependency graph between them, and what could not be parsed.
///
/// Packages are unified by [`Package::key`]: adding a package already present merges the
/// two sightings (scope, locations, hashes, licenses) and returns the existing id.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub source: SourceInfo,
    packages: Vec<Package>,
    /// `keys[i]` is `packages[i].key()`, computed once when the package was added (in the
    /// cataloger's thread) so merging never formats purls again.
    keys: Vec<String>,
    /// Package numbers by the hash of their key (`keys[i]`): each key is held once.
    index: HashTable<u32>,
    hasher: Fast,
    /// `(package, hash of a location)` for the locations of `packages[i]` up to `located[i]`:
    /// lets [`Inventory::add_package`] skip a location a package already has without a
    /// linear scan (a package found in thousands of lockfiles has thousands of locations).
    /// Built lazily, only for packages whose location list grew long.
    location_hashes: HashSet<(u32, u64), Fast>,
    located: Vec<u32>,
    edges: BTreeSet<(PackageId, PackageId)>,
    roots: BTreeSet<PackageId>,
    unparsed: Vec<Unparsed>,
}

impl Inventory {
    pub fn new(source: SourceInfo) -> Self {
        Inventory {
            source,
            ..Inventory::default()
        }
    }

    /// Adds a package, or merges it into the one with the same key.
    pub fn add_package(&mut self, package: Package) -> PackageId {
        let key = package.key();
        self.add_keyed(key, package)
    }

    /// [`Inventory::add_package`] for a package whose key was computed beforehand (e.g. on
    /// another thread, with [`Package::keyed`]).
    pub fn add_keyed_package(&mut self, package: KeyedPackage) -> PackageId {
        self.add_keyed(package.key, package.package)
    }

    /// Room for `additional` more packages without re-allocating.
    pub fn reserve(&mut self, additional: usize) {
        self.packages.reserve(additional);
        self.keys.reserve(additional);
        self.located.reserve(additional);
        self.reserve_index(additional);
    }

    fn reserve_index(&mut self, additional: usize) {
        let (keys, hasher) = (&self.keys, &self.hasher);
        self.index
            .reserve(additional, |&i| hasher.hash_one(keys[i as usize].as_str()));
    }

    fn add_keyed(&mut self, key: String, package: Package) -> PackageId {
        let id = PackageId(u32::try_from(self.packages.len()).expect("fewer than 2^32 packages"));
        // One hash of the key, whether it is new or not.
        let (keys, hasher) = (&self.keys, &self.hasher);
        let entry = self.index.entry(
            hasher.hash_one(key.as_str()),
            |&i| keys[i as usize] == key,
            |&i| hasher.hash_one(keys[i as usize].as_str()),
        );
        match entry {
            Entry::Occupied(e) => {
                let id = PackageId(*e.get());
                self.absorb_into(id, package);
                id
            }
            Entry::Vacant(e) => {
                e.insert(id.0);
                self.keys.push(key);
                self.packages.push(package);
                self.located.push(0);
                id
            }
        }
    }

    /// [`Package::absorb`], with the location de-duplication done through
    /// `location_hashes` once a package has many locations (same result, same order).
    fn absorb_into(&mut self, id: PackageId, mut package: Package) {
        const LINEAR: usize = 16;
        let i = id.index();
        let incoming = std::mem::take(&mut package.locations);
        let target = &mut self.packages[i];
        target.absorb(package);
        for l in incoming {
            if target.locations.len() < LINEAR {
                if !target.locations.contains(&l) {
                    target.locations.push(l);
                }
                continue;
            }
            let done = (self.located[i] as usize).min(target.locations.len());
            for old in &target.locations[done..] {
                self.location_hashes.insert((id.0, location_hash(old)));
            }
            // A hash seen before is checked against the list (collisions, or a location
            // changed through `package_mut`); a new hash is a new location.
            if self.location_hashes.insert((id.0, location_hash(&l)))
                || !target.locations.contains(&l)
            {
                target.locations.push(l);
            }
            self.located[i] = u32::try_from(target.locations.len()).unwrap_or(u32::MAX);
        }
    }

    /// Records that `from` depends on `to`. Self-edges are ignored.
    pub fn add_edge(&mut self, from: PackageId, to: PackageId) {
        if from != to {
            self.edges.insert((from, to));
        }
    }

    /// Marks a package as a root of the graph (a project, a workspace member).
    pub fn add_root(&mut self, id: PackageId) {
        self.roots.insert(id);
    }

    pub fn add_unparsed(&mut self, unparsed: Unparsed) {
        self.unparsed.push(unparsed);
    }

    pub fn package(&self, id: PackageId) -> &Package {
        &self.packages[id.index()]
    }

    /// A package to amend (scope, properties, locations, ...). Its identity — purl, ecosystem,
    /// name, version — must not change: packages are unified by the key they were added with.
    pub fn package_mut(&mut self, id: PackageId) -> &mut Package {
        // Its locations may change: index them again when next needed.
        self.located[id.index()] = 0;
        &mut self.packages[id.index()]
    }

    /// The id of the package with this key ([`Package::key`]), if present.
    pub fn find(&self, key: &str) -> Option<PackageId> {
        let hash = self.hasher.hash_one(key);
        self.index
            .find(hash, |&i| self.keys[i as usize] == key)
            .map(|&i| PackageId(i))
    }

    /// The key a package was added with ([`Package::key`], computed once): its purl string
    /// when it has a purl.
    pub fn key(&self, id: PackageId) -> &str {
        &self.keys[id.index()]
    }

    /// All packages with their ids, in insertion order.
    pub fn packages(&self) -> impl ExactSizeIterator<Item = (PackageId, &Package)> {
        self.packages
            .iter()
            .enumerate()
            .map(|(i, p)| (PackageId(i as u32), p))
    }

    pub fn len(&self) -> usize {
        self.packages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packages.is_empty()
    }

    /// Every dependency edge `(from, to)`, sorted.
    pub fn edges(&self) -> impl ExactSizeIterator<Item = (PackageId, PackageId)> + '_ {
        self.edges.iter().copied()
    }

    /// The direct dependencies of a package.
    pub fn dependencies_of(&self, id: PackageId) -> impl Iterator<Item = PackageId> + '_ {
        self.edges
            .range((id, PackageId(0))..=(id, PackageId(u32::MAX)))
            .map(|&(_, to)| to)
    }

    pub fn roots(&self) -> impl ExactSizeIterator<Item = PackageId> + '_ {
        self.roots.iter().copied()
    }

    pub fn unparsed(&self) -> &[Unparsed] {
        &self.unparsed
    }

    /// Merges another inventory into this one, unifying packages by key.
    pub fn merge(&mut self, other: Inventory) {
        let Inventory {
            packages,
            keys,
            edges,
            roots,
            unparsed,
            ..
        } = other;
        self.reserve_index(packages.len());
        let map: Vec<PackageId> = packages
            .into_iter()
            .zip(keys)
            .map(|(p, k)| self.add_keyed(k, p))
            .collect();
        for (a, b) in edges {
            self.add_edge(map[a.index()], map[b.index()]);
        }
        for r in roots {
            self.add_root(map[r.index()]);
        }
        self.unparsed.extend(unparsed);
    }
}

fn location_hash(l: &crate::Location) -> u64 {
    // Fixed seed: a collision only costs a linear `contains` check.
    foldhash::fast::FixedState::default().hash_one(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Ecosystem, Scope};

    fn pkg(name: &str, v: &str) -> Package {
        Package::new(Ecosystem::CratesIo, name, Some(v))
    }

    #[test]
    fn merge_unifies_by_key_and_keeps_edges() {
        let mut a = Inventory::default();
        let x = a.add_package(pkg("x", "1").with_scope(Scope::Dev));
        let y = a.add_package(pkg("y", "1"));
        a.add_edge(x, y);
        a.add_root(x);

        let mut b = Inventory::default();
        let y2 = b.add_package(pkg("y", "1"));
        let z = b.add_package(pkg("z", "2"));
        let x2 = b.add_package(pkg("x", "1"));
        b.add_edge(y2, z);
        b.add_edge(x2, y2);

        a.merge(b);
        assert_eq!(a.len(), 3);
        assert_eq!(a.edges().count(), 2);
        // runtime in one file and dev in another: runtime wins
        assert_eq!(a.package(x).scope, Scope::Runtime);
        let deps: Vec<_> = a
            .dependencies_of(y)
            .map(|d| a.package(d).name.clone())
            .collect();
        assert_eq!(deps, vec!["z"]);
    }

    #[test]
    fn many_locations_deduplicated_in_order() {
        let mut a = Inventory::default();
        let mut expected = Vec::new();
        let mut id = None;
        for round in 0..3 {
            for f in 0..40 {
                let loc = Location::new(format!("dir{f}/Cargo.lock")).with_line(f + 1);
                if round == 0 {
                    expected.push(loc.clone());
                }
                id = Some(a.add_package(pkg("x", "1").with_location(loc)));
            }
        }
        let id = id.expect("x added");
        assert_eq!(a.package(id).locations, expected);
        // a location added through package_mut is still seen as present
        let extra = Location::new("extra/Cargo.lock");
        a.package_mut(id).locations.push(extra.clone());
        a.add_package(pkg("x", "1").with_location(extra));
        assert_eq!(a.package(id).locations.len(), 41);
        assert_eq!(a.key(id), a.package(id).key());
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn self_edges_ignored() {
        let mut a = Inventory::default();
        let x = a.add_package(pkg("x", "1"));
        a.add_edge(x, x);
        assert_eq!(a.edges().count(), 0);
    }
}
