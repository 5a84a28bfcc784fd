//! Language packages found in files an OS package installed are kept and linked to that
//! OS package with `chainproof:os:owned-by` (Debian's `python3-*` packages carry
//! `dist-info`; apk's `py3-*` packages too).

use chainproof_catalog::os::OwnedFiles;
use chainproof_catalog::{CatalogOptions, PROP_OWNED_BY, catalog, link_os_owned, registry};
use chainproof_core::{Inventory, Package};
use chainproof_source::MemoryResolver;

const STATUS: &str = "\
Package: python3-six
Status: install ok installed
Architecture: all
Version: 1.16.0-4
Source: six

Package: python3-idna
Status: install ok installed
Architecture: all
Version: 3.3-1

";

fn metadata(name: &str, version: &str) -> Vec<u8> {
    format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\n").into_bytes()
}

fn debian() -> MemoryResolver {
    MemoryResolver::new()
        .with_file("etc/os-release", b"ID=debian\nVERSION_ID=\"12\"\n".to_vec())
        .with_file("var/lib/dpkg/status", STATUS.as_bytes().to_vec())
        .with_file(
            "var/lib/dpkg/info/python3-six.list",
            b"/.\n/usr\n/usr/lib/python3/dist-packages\n\
              /usr/lib/python3/dist-packages/six-1.16.0.dist-info\n\
              /usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA\n\
              /usr/lib/python3/dist-packages/six.py\n"
                .to_vec(),
        )
        .with_file(
            "var/lib/dpkg/info/python3-idna.list",
            b"/usr/lib/python3/dist-packages/idna-3.3.dist-info/METADATA\n".to_vec(),
        )
        .with_file(
            "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
            metadata("six", "1.16.0"),
        )
        .with_file(
            "usr/lib/python3/dist-packages/idna-3.3.dist-info/METADATA",
            metadata("idna", "3.3"),
        )
        // pip-installed, owned by no OS package.
        .with_file(
            "usr/local/lib/python3.11/dist-packages/requests-2.31.0.dist-info/METADATA",
            metadata("requests", "2.31.0"),
        )
}

fn find<'a>(inv: &'a Inventory, ty: &str, name: &str) -> &'a Package {
    inv.packages()
        .map(|(_, p)| p)
        .find(|p| p.name == name && p.purl.as_ref().is_some_and(|u| u.ty() == ty))
        .unwrap_or_else(|| panic!("no {ty} package {name}"))
}

#[test]
fn python_dist_info_owned_by_deb_package() {
    let r = debian();
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    let deb_six = find(&inv, "deb", "python3-six");
    let deb_idna = find(&inv, "deb", "python3-idna");
    // Both the OS package and the language package are reported.
    let six = find(&inv, "pypi", "six");
    assert_eq!(six.version.as_deref(), Some("1.16.0"));
    assert_eq!(six.properties[PROP_OWNED_BY], deb_six.key());
    assert!(
        deb_six
            .key()
            .starts_with("pkg:deb/debian/python3-six@1.16.0-4?arch=all")
    );
    let idna = find(&inv, "pypi", "idna");
    assert_eq!(idna.properties[PROP_OWNED_BY], deb_idna.key());
    // Not owned: no property; OS packages themselves carry none.
    let requests = find(&inv, "pypi", "requests");
    assert!(!requests.properties.contains_key(PROP_OWNED_BY));
    assert!(!deb_six.properties.contains_key(PROP_OWNED_BY));
    let marked = inv
        .packages()
        .filter(|(_, p)| p.properties.contains_key(PROP_OWNED_BY))
        .count();
    assert_eq!(marked, 2);
}

#[test]
fn apk_owned_py3_package() {
    let db = "\
P:py3-six
V:1.16.0-r3
A:x86_64
o:py3-six
F:usr/lib/python3.11/site-packages/six-1.16.0.dist-info
R:METADATA
R:RECORD

";
    let r = MemoryResolver::new()
        .with_file("etc/alpine-release", b"3.18.4\n".to_vec())
        .with_file("lib/apk/db/installed", db.as_bytes().to_vec())
        .with_file(
            "usr/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA",
            metadata("six", "1.16.0"),
        );
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    let apk = find(&inv, "apk", "py3-six");
    let six = find(&inv, "pypi", "six");
    assert_eq!(six.properties[PROP_OWNED_BY], apk.key());
}

#[test]
fn no_os_database_no_marks_and_explicit_link() {
    // Without an OS database nothing is marked.
    let r = MemoryResolver::new().with_file(
        "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
        metadata("six", "1.16.0"),
    );
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    assert!(
        inv.packages()
            .all(|(_, p)| !p.properties.contains_key(PROP_OWNED_BY))
    );
    // link_os_owned with ownership from another resolver (e.g. a previous layer) marks it;
    // locations with a leading `/` match too.
    let owned = OwnedFiles::collect(&debian());
    let mut inv = inv;
    let mut p = Package::new(chainproof_core::Ecosystem::Npm, "x", Some("1.0.0"));
    p.locations.push(chainproof_core::Location::new(
        "/usr/lib/python3/dist-packages/six.py",
    ));
    let id = inv.add_package(p);
    link_os_owned(&mut inv, &owned);
    let six = find(&inv, "pypi", "six");
    assert!(six.properties[PROP_OWNED_BY].starts_with("pkg:deb/debian/python3-six@"));
    assert!(inv.package(id).properties[PROP_OWNED_BY].starts_with("pkg:deb/debian/python3-six@"));
}
