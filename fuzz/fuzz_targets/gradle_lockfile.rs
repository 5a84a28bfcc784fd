#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::java::{
    GradleLockfileCataloger, GradleVerificationCataloger, GradleVersionCatalogCataloger,
};
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes as a Gradle lockfile, verification metadata and version catalog: an inventory
// or a CatalogError, never a panic.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new()
        .with_file("gradle.lockfile", data)
        .with_file("gradle/verification-metadata.xml", data)
        .with_file("gradle/libs.versions.toml", data);
    let _ = GradleLockfileCataloger.catalog(&r, "gradle.lockfile");
    let _ = GradleVerificationCataloger.catalog(&r, "gradle/verification-metadata.xml");
    let _ = GradleVersionCatalogCataloger.catalog(&r, "gradle/libs.versions.toml");
});
