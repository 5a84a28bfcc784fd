//! A rich inventory used by the writer and round-trip tests, and a comparable summary of
//! an inventory.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use chainproof_core::{
    Ecosystem, Hash, HashAlgorithm, Inventory, License, Location, Package, PackageKind, Scope,
    SourceInfo, Unparsed,
};
use chainproof_purl::Purl;
use chainproof_sbom::EncodeOptions;

pub fn purl(s: &str) -> Purl {
    s.parse().expect("test purl")
}

pub fn options() -> EncodeOptions {
    EncodeOptions {
        tool_name: "chainproof".into(),
        tool_version: "0.1.0".into(),
        timestamp: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        serial: Some("3e671687-395b-41f5-a30f-a58921a69b79".into()),
    }
}

fn hex(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

/// 9 packages (npm, cargo, generic, one without purl), every scope, both kinds, hashes of
/// several algorithms, SPDX / non-SPDX / several licenses, URL and non-URL sources,
/// locations with and without lines, properties, 6 edges, a root, an unparsed file.
pub fn rich_inventory() -> Inventory {
    let mut inv = Inventory::new(SourceInfo {
        kind: "directory".into(),
        name: "my-app".into(),
        version: None,
        image: None,
    });
    let app = inv.add_package(
        Package::new(Ecosystem::Npm, "my-app", Some("1.0.0"))
            .with_purl(purl("pkg:npm/my-app@1.0.0"))
            .with_kind(PackageKind::Project)
            .with_location(Location::new("package-lock.json").with_line(1)),
    );
    let left_pad = inv.add_package(
        Package::new(Ecosystem::Npm, "left-pad", Some("1.3.0"))
            .with_purl(purl("pkg:npm/left-pad@1.3.0"))
            .with_hash(Hash::from_hex(HashAlgorithm::Sha512, &hex('a', 128)).expect("hex"))
            .with_license(License::parse("MIT"))
            .with_source("https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz")
            .with_location(Location::new("package-lock.json").with_line(10))
            .with_property("chainproof:npm:requested", "^1.3.0"),
    );
    let babel = inv.add_package(
        Package::new(Ecosystem::Npm, "@babel/core", Some("7.24.0"))
            .with_purl(purl("pkg:npm/%40babel/core@7.24.0"))
            .with_scope(Scope::Dev)
            .with_hash(Hash::from_hex(HashAlgorithm::Sha1, &hex('b', 40)).expect("hex"))
            .with_license(License::parse("MIT OR Apache-2.0"))
            .with_location(Location::new("package-lock.json").with_line(20)),
    );
    let fsevents = inv.add_package(
        Package::new(Ecosystem::Npm, "fsevents", Some("2.3.3"))
            .with_purl(purl("pkg:npm/fsevents@2.3.3"))
            .with_scope(Scope::Optional)
            .with_license(License::parse("MIT"))
            .with_license(License::parse("Some Custom License, see LICENSE.txt"))
            .with_location(Location::new("package-lock.json").with_line(30)),
    );
    let serde = inv.add_package(
        Package::new(Ecosystem::CratesIo, "serde", Some("1.0.200"))
            .with_purl(purl("pkg:cargo/serde@1.0.200"))
            .with_hash(Hash::from_hex(HashAlgorithm::Sha256, &hex('c', 64)).expect("hex"))
            .with_hash(Hash::from_hex(HashAlgorithm::Blake3, &hex('d', 64)).expect("hex"))
            .with_license(License::parse("MIT OR Apache-2.0"))
            .with_source("registry+https://github.com/rust-lang/crates.io-index")
            .with_location(Location::new("native/Cargo.lock")),
    );
    let vendored = inv.add_package(
        Package::new(Ecosystem::Other("generic".into()), "vendored lib", None)
            .with_license(License::parse("Proprietary, all rights reserved"))
            .with_source("../vendor/lib")
            .with_location(Location::new("vendor/lib/VERSION")),
    );
    let x_under = inv.add_package(
        Package::new(Ecosystem::Other("generic".into()), "x_y", Some("1"))
            .with_purl(purl("pkg:generic/x_y@1")),
    );
    let x_plus = inv.add_package(
        Package::new(Ecosystem::Other("generic".into()), "x+y", Some("1"))
            .with_purl(purl("pkg:generic/x%2By@1"))
            .with_hash(Hash::from_hex(HashAlgorithm::Md5, &hex('e', 32)).expect("hex")),
    );
    let _orphan = inv.add_package(
        Package::new(Ecosystem::PyPI, "requests", Some("2.31.0"))
            .with_purl(purl("pkg:pypi/requests@2.31.0"))
            .with_property("chainproof:python:marker", "python_version >= \"3.8\""),
    );
    inv.add_root(app);
    inv.add_edge(app, left_pad);
    inv.add_edge(app, babel);
    inv.add_edge(babel, fsevents);
    inv.add_edge(app, serde);
    inv.add_edge(serde, vendored);
    inv.add_edge(vendored, x_under);
    let _ = x_plus;
    inv.add_unparsed(Unparsed {
        location: Location::new("web/yarn.lock").with_line(7),
        cataloger: "yarn-lock".into(),
        error: "unexpected indentation".into(),
    });
    inv
}

/// Everything the round trip must keep, in comparable form.
#[derive(Debug, PartialEq, Eq)]
pub struct Summary {
    pub source: (String, String, Option<String>),
    pub packages: BTreeSet<String>,
    pub edges: BTreeSet<(String, String)>,
    pub roots: BTreeSet<String>,
    pub unparsed: BTreeSet<String>,
}

pub fn summary(inv: &Inventory) -> Summary {
    let key = |id: chainproof_core::PackageId| inv.package(id).key();
    let packages = inv
        .packages()
        .map(|(_, p)| {
            let mut hashes: Vec<_> = p.hashes.iter().map(|h| format!("{:?}:{}", h.algorithm, h.value)).collect();
            hashes.sort();
            let mut licenses: Vec<_> = p.licenses.iter().map(|l| format!("{l:?}")).collect();
            licenses.sort();
            let mut locations: Vec<_> = p.locations.iter().map(ToString::to_string).collect();
            locations.sort();
            format!(
                "{} | {} | {:?} | {:?} | {} | {:?} | {:?} | {hashes:?} | {licenses:?} | {locations:?} | {:?} | {:?}",
                p.key(),
                p.name,
                p.version,
                p.purl.as_ref().map(ToString::to_string),
                p.ecosystem,
                p.scope,
                p.kind,
                p.source,
                p.properties,
            )
        })
        .collect();
    Summary {
        source: (
            inv.source.kind.clone(),
            inv.source.name.clone(),
            inv.source.version.clone(),
        ),
        packages,
        edges: inv.edges().map(|(a, b)| (key(a), key(b))).collect(),
        roots: inv.roots().map(key).collect(),
        unparsed: inv.unparsed().iter().map(|u| format!("{u:?}")).collect(),
    }
}
