//! Rust binaries built with [`cargo auditable`](https://github.com/rust-secure-code/cargo-auditable):
//! the `.dep-v0` section (ELF, PE; `__DATA,.dep-v0` in Mach-O) holds zlib-compressed JSON
//! listing every crate of the build. Decoded with `auditable-info` (which checks there is
//! one root and no cycle) within [`MAX_JSON`] bytes of JSON. The binary is never run.
//!
//! * **Which files**: the same path rule as Go binaries
//!   ([`crate::golang::buildinfo::is_binary_candidate`]: `*.exe` or no extension), then the
//!   magic bytes; a file that is not an executable, or has no `.dep-v0` section, is an empty
//!   inventory. A section that does not decompress or parse is an error, and so is a
//!   binary that does not parse but contains the name `.dep-v0`.
//! * **Packages**: one per JSON package, `pkg:cargo/<name>@<version>`; `source` is the
//!   JSON's (`crates.io`, `git`, `local`, `registry` or another string); `kind: build` →
//!   `chainproof:cargo:kind=build` (build-time only: build scripts, proc-macros).
//!   The `root: true` package is a [`PackageKind::Project`] and the inventory root.
//! * **Edges**: from each package to the packages its `dependencies` indices name.
//! * The JSON `format` revision is kept on the root as `chainproof:cargo:auditable-format`.

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageKind};
use chainproof_purl::Purl;
use chainproof_source::FileResolver;

use crate::golang::buildinfo::{has_binary_magic, is_binary_candidate};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// `build` for build-time-only crates.
pub const PROP_KIND: &str = "chainproof:cargo:kind";
/// The audit data's format revision (0, 1, 8...).
pub const PROP_FORMAT: &str = "chainproof:cargo:auditable-format";
/// Largest decompressed JSON accepted.
pub const MAX_JSON: usize = 8 * 1024 * 1024;

/// Reads the dependency list `cargo auditable` embeds in Rust binaries.
#[derive(Debug, Clone, Copy, Default)]
pub struct CargoAuditableCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "rust-cargo-auditable",
    ecosystem: "crates.io",
    files: "Rust executables built with `cargo auditable` (`.dep-v0` section; files named \
            `*.exe` or without extension)",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: false,
};

impl Cataloger for CargoAuditableCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        is_binary_candidate(path)
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        // Most extension-less files are not binaries: look at the magic number first.
        if !has_binary_magic(&resolver.read_prefix(path, 4)?) {
            return Ok(Inventory::default());
        }
        let data = resolver.read(path)?;
        parse_auditable_binary(path, &data)
    }
}

/// Parses the audit data of a binary (see the module docs).
pub fn parse_auditable_binary(path: &str, data: &[u8]) -> Result<Inventory, CatalogError> {
    use auditable_info::Error;
    if !has_binary_magic(data) {
        return Ok(Inventory::default());
    }
    let info = match auditable_info::audit_info_from_slice(data, MAX_JSON) {
        Ok(info) => info,
        Err(Error::NoAuditData) => return Ok(Inventory::default()),
        // A binary the library cannot parse is not ours, unless it names the section.
        Err(Error::BinaryParsing(_)) if !data.windows(7).any(|w| w == b".dep-v0") => {
            return Ok(Inventory::default());
        }
        Err(e) => {
            return Err(CatalogError::new(
                path,
                format!("cargo-auditable data (.dep-v0): {e}"),
            ));
        }
    };
    let mut inv = Inventory::default();
    let mut ids = Vec::with_capacity(info.packages.len());
    for (i, p) in info.packages.iter().enumerate() {
        let version = p.version.to_string();
        let purl = Purl::new("cargo", &p.name)
            .map(|u| u.with_version(&version))
            .map_err(|e| {
                CatalogError::new(path, format!("invalid crate name: {e}"))
                    .at_pointer(format!("/packages/{i}/name"))
            })?;
        let mut pkg = Package::new(Ecosystem::CratesIo, p.name.as_str(), Some(&version))
            .with_purl(purl)
            .with_source(String::from(p.source.clone()))
            .with_location(Location::new(path));
        // `kind` serialises as "build" / "runtime" (the serde crate is not a direct dep).
        if serde_json::to_value(p.kind)
            .ok()
            .as_ref()
            .and_then(|v| v.as_str())
            == Some("build")
        {
            pkg = pkg.with_property(PROP_KIND, "build");
        }
        if p.root {
            pkg = pkg
                .with_kind(PackageKind::Project)
                .with_property(PROP_FORMAT, info.format.to_string());
        }
        let id = inv.add_package(pkg);
        if p.root {
            inv.add_root(id);
        }
        ids.push(id);
    }
    for (i, p) in info.packages.iter().enumerate() {
        for &d in &p.dependencies {
            let to = ids.get(d).ok_or_else(|| {
                CatalogError::new(path, format!("dependency index {d} out of range"))
                    .at_pointer(format!("/packages/{i}/dependencies"))
            })?;
            inv.add_edge(ids[i], *to);
        }
    }
    Ok(inv)
}
