//! C and C++ package managers: Conan lockfiles and vcpkg manifests.

pub mod conan;
pub mod vcpkg;

pub use conan::{ConanLockCataloger, conan_purl, parse_conan_lock};
pub use vcpkg::{VcpkgManifestCataloger, parse_vcpkg_json};
