#![no_main]
use chainproof_catalog::Cataloger;
use chainproof_catalog::java::MavenPomCataloger;
use chainproof_source::MemoryResolver;
use libfuzzer_sys::fuzz_target;

// Any bytes as a pom.xml, as its parent (../pom.xml) and as a BOM found by coordinates:
// an inventory or a CatalogError, never a panic or a hang.
fuzz_target!(|data: &[u8]| {
    let r = MemoryResolver::new()
        .with_file("pom.xml", data)
        .with_file("m/pom.xml", data)
        .with_file("repo/bom-1.pom", data);
    let _ = MavenPomCataloger.catalog(&r, "m/pom.xml");
});
