//! pacman local databases (`var/lib/pacman/local/*/desc` + `files`), from osv-scalibr's
//! fixtures laid out as a database.

mod common;

use std::collections::BTreeSet;

use chainproof_catalog::os::{OwnedFiles, PROP_OWNED_FILES, PROP_UNRESOLVED, PacmanCataloger};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog, registry};
use chainproof_core::License;
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::named as find;

const LOCAL: &str = "var/lib/pacman/local";

fn db() -> MemoryResolver {
    MemoryResolver::new()
        .with_file(
            &format!("{LOCAL}/gawk-5.3.1-1/desc"),
            common::fixture("os/scalibr/pacman/valid"),
        )
        .with_file(
            &format!("{LOCAL}/gawk-5.3.1-1/files"),
            "%FILES%\nusr/\nusr/bin/\nusr/bin/gawk\nusr/bin/awk\n\n%BACKUP%\n",
        )
        .with_file(
            &format!("{LOCAL}/filesystem-2024.11.21-1/desc"),
            common::fixture("os/scalibr/pacman/valid_one_dep"),
        )
        .with_file(
            &format!("{LOCAL}/libxml2-2.13.5-1/desc"),
            common::fixture("os/scalibr/pacman/valid_no_dep"),
        )
        .with_file(
            &format!("{LOCAL}/bash-5.2-1/desc"),
            "%NAME%\nbash\n\n%VERSION%\n5.2-1\n\n%ARCH%\nx86_64\n\n%PROVIDES%\nsh\n\n%LICENSE%\nGPL-3.0-or-later\n",
        )
        .with_file(&format!("{LOCAL}/ALPM_DB_VERSION"), "9\n")
        .with_file("etc/os-release", "NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n")
}

#[test]
fn local_database() {
    let r = db();
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    // One package per desc file.
    let descs = chainproof_source::FileResolver::files(&r)
        .iter()
        .filter(|f| f.path.ends_with("/desc"))
        .count();
    assert_eq!(inv.len(), descs);
    let gawk = find(&inv, "gawk");
    assert_eq!(
        gawk.purl.as_ref().expect("purl").to_string(),
        "pkg:alpm/arch/gawk@5.3.1-1?arch=x86_64&distro=arch"
    );
    assert_eq!(gawk.licenses, vec![License::parse("GPL-3.0-or-later")]);
    assert_eq!(gawk.properties[PROP_OWNED_FILES], "2");
    // gawk depends on sh (provided by bash), glibc and mpfr (not installed here).
    let id = inv.find(&gawk.key()).expect("id");
    let deps: BTreeSet<&str> = inv
        .dependencies_of(id)
        .map(|d| inv.package(d).name.as_str())
        .collect();
    assert_eq!(deps, ["bash"].into());
    assert_eq!(gawk.properties[PROP_UNRESOLVED], "glibc, mpfr");
    assert_eq!(
        find(&inv, "filesystem").properties[PROP_UNRESOLVED],
        "iana-etc"
    );
    let owned = OwnedFiles::collect(&r);
    assert_eq!(owned.owner("usr/bin/gawk"), Some(gawk.key().as_str()));
    assert_eq!(owned.owner("usr/bin"), None);
}

#[test]
fn broken_desc_files() {
    let c = PacmanCataloger;
    let path = format!("{LOCAL}/gawk-5.3.1-1/desc");
    assert!(c.matches(&path));
    assert!(!c.matches("var/lib/pacman/sync/core.db"));
    // A truncated value: the package without a version, no panic.
    let r = MemoryResolver::new().with_file(
        &path,
        common::fixture("os/scalibr/pacman/invalid_value_eof"),
    );
    let inv = common::run(&c, &r, &path);
    assert_eq!(find(&inv, "gawk").version, None);
    let r = MemoryResolver::new().with_file(
        &path,
        common::fixture("os/scalibr/pacman/eof_after_dependencies"),
    );
    let inv = common::run(&c, &r, &path);
    assert_eq!(
        find(&inv, "gawk").properties[PROP_UNRESOLVED],
        "sh, glibc, mpfr"
    );
    let r = MemoryResolver::new().with_file(&path, "%VERSION%\n1\n");
    assert!(c.catalog(&r, &path).is_err());
}
