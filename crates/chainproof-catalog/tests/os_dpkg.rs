//! dpkg and opkg databases: fixtures from syft, osv-scalibr and osv-scanner, with package
//! sets counted independently (`dpkg-query -W` output committed under
//! `fixtures/os/expected/`, or `Package:` lines counted here).

mod common;

use std::collections::BTreeSet;

use chainproof_catalog::os::{
    DpkgCataloger, OpkgCataloger, OwnedFiles, PROP_OWNED_FILES, PROP_SOURCE, PROP_SOURCE_VERSION,
    PROP_STATUS, PROP_UNRESOLVED,
};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog, registry};
use chainproof_core::License;
use chainproof_source::{DirectoryResolver, MemoryResolver, WalkOptions};
use chainproof_testkit as kit;
use kit::inv::named as find;

fn walk(dir: &str) -> DirectoryResolver {
    DirectoryResolver::walk(&common::fixture_path(dir), &WalkOptions::default()).expect("walk")
}

fn one_file(rel: &str, path: &str) -> MemoryResolver {
    MemoryResolver::new().with_file(path, common::fixture(rel))
}

/// The committed `dpkg-query -W` list minus `config-files` / `not-installed` packages.
fn dpkg_query(name: &str) -> BTreeSet<String> {
    String::from_utf8(common::fixture(&format!(
        "os/expected/{name}.dpkg-query.tsv"
    )))
    .expect("utf8")
    .lines()
    .filter_map(|l| {
        let f: Vec<&str> = l.split('\t').collect();
        (f.len() == 4 && f[3] != "config-files" && f[3] != "not-installed")
            .then(|| format!("{}\t{}\t{}", f[0], f[1], f[2]))
    })
    .collect()
}

#[test]
fn status_files_match_dpkg_query() {
    for (fixture, expected) in [
        ("os/scalibr/dpkg/dpkg/valid", "scalibr-dpkg-valid"),
        (
            "os/scalibr/dpkg/dpkg/statusfield",
            "scalibr-dpkg-statusfield",
        ),
    ] {
        let r = one_file(fixture, "var/lib/dpkg/status");
        let inv = common::run(&DpkgCataloger, &r, "var/lib/dpkg/status");
        let want = dpkg_query(expected);
        assert!(!want.is_empty());
        assert_eq!(kit::inv::nva(&inv), want, "{fixture}");
    }
    // Half-installed and unpacked packages keep their status.
    let r = one_file("os/scalibr/dpkg/dpkg/statusfield", "var/lib/dpkg/status");
    let inv = common::run(&DpkgCataloger, &r, "var/lib/dpkg/status");
    assert_eq!(
        find(&inv, "wantinstall_unpacked").properties[PROP_STATUS],
        "install ok unpacked"
    );
    assert!(
        !find(&inv, "wantinstall_installed")
            .properties
            .contains_key(PROP_STATUS)
    );
}

#[test]
fn image_root_with_os_release_copyright_and_md5sums() {
    let r = walk("os/syft/debian/image-dpkg");
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    assert_eq!(inv.len(), 1);
    let p = find(&inv, "libpam-runtime");
    // Same purl as syft 1.x on this directory.
    assert_eq!(
        p.purl.as_ref().expect("purl").to_string(),
        "pkg:deb/debian/libpam-runtime@1.1.8-3.6?arch=all&distro=debian-12&upstream=pam"
    );
    assert_eq!(p.properties[PROP_SOURCE], "pam");
    let lic: Vec<&str> = p.licenses.iter().map(License::as_str).collect();
    assert!(
        lic.contains(&"GPL-2.0-only") || lic.contains(&"GPL-2"),
        "{lic:?}"
    );
    assert!(lic.iter().any(|l| l.starts_with("LGPL-2.1")), "{lic:?}");
    // Files from info/libpam-runtime.md5sums (no .list in this fixture).
    let md5 = String::from_utf8(common::fixture(
        "os/syft/debian/image-dpkg/var/lib/dpkg/info/libpam-runtime.md5sums",
    ))
    .expect("utf8");
    let n = md5.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(p.properties[PROP_OWNED_FILES], n.to_string());
    let owned = OwnedFiles::collect(&r);
    assert_eq!(owned.len(), n);
    // (syft's fixture md5sums lists zlib1g's files; ownership is what dpkg recorded.)
    assert_eq!(
        owned.owner("lib/x86_64-linux-gnu/libz.so.1.2.11"),
        Some(p.key().as_str())
    );
}

#[test]
fn distroless_status_d() {
    let r = walk("os/syft/debian/image-distroless-deb");
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    let p = find(&inv, "libsqlite3-0");
    let purl = p.purl.as_ref().expect("purl");
    assert_eq!(purl.namespace(), Some("debian"));
    assert_eq!(purl.qualifier("distro"), None);
    assert_eq!(purl.qualifier("upstream"), Some("sqlite3"));
    let lic: Vec<&str> = p.licenses.iter().map(License::as_str).collect();
    assert!(lic.contains(&"public-domain"), "{lic:?}");
    let md5 = String::from_utf8(common::fixture(
        "os/syft/debian/image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0.md5sums",
    ))
    .expect("utf8");
    assert_eq!(
        p.properties[PROP_OWNED_FILES],
        md5.lines()
            .filter(|l| !l.trim().is_empty())
            .count()
            .to_string()
    );
}

#[test]
fn status_d_relationships_resolve_to_installed_packages() {
    let r = one_file(
        "os/syft/debian/var/lib/dpkg/status.d/coreutils-relationships",
        "var/lib/dpkg/status.d/coreutils",
    );
    let inv = common::run(&DpkgCataloger, &r, "var/lib/dpkg/status.d/coreutils");
    let text = String::from_utf8(common::fixture(
        "os/syft/debian/var/lib/dpkg/status.d/coreutils-relationships",
    ))
    .expect("utf8");
    let count = text.lines().filter(|l| l.starts_with("Package:")).count();
    assert_eq!(inv.len(), count);
    let deps = |name: &str| -> BTreeSet<String> {
        let id = inv.find(&find(&inv, name).key()).expect("id");
        inv.dependencies_of(id)
            .map(|d| inv.package(d).name.clone())
            .collect()
    };
    let want: BTreeSet<String> = ["libacl1", "libattr1", "libc6", "libgmp10", "libselinux1"]
        .map(String::from)
        .into();
    assert_eq!(deps("coreutils"), want);
    assert_eq!(
        deps("libgcc-s1"),
        ["gcc-12-base", "libc6"].map(String::from).into()
    );
}

#[test]
fn alternatives_virtual_packages_and_unresolved() {
    let status = "Package: app\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\
Depends: awk | mawk, mail-transport-agent, missing-lib (>= 2)\n\n\
Package: gawk\nStatus: install ok installed\nVersion: 5\nArchitecture: amd64\nProvides: awk\n\n\
Package: postfix\nStatus: install ok installed\nVersion: 3\nArchitecture: amd64\n\
Provides: mail-transport-agent\nSource: postfix (3.7-1)\n\n\
Package: gone\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: amd64\n";
    let r = MemoryResolver::new().with_file("var/lib/dpkg/status", status);
    let inv = common::run(&DpkgCataloger, &r, "var/lib/dpkg/status");
    assert_eq!(inv.len(), 3);
    let app = find(&inv, "app");
    let id = inv.find(&app.key()).expect("id");
    let deps: BTreeSet<&str> = inv
        .dependencies_of(id)
        .map(|d| inv.package(d).name.as_str())
        .collect();
    assert_eq!(deps, ["gawk", "postfix"].into());
    assert_eq!(app.properties[PROP_UNRESOLVED], "missing-lib");
    let postfix = find(&inv, "postfix");
    assert_eq!(postfix.properties[PROP_SOURCE_VERSION], "3.7-1");
    assert_eq!(
        postfix.purl.as_ref().expect("purl").to_string(),
        "pkg:deb/debian/postfix@3?arch=amd64&upstream=postfix%403.7-1"
    );
}

#[test]
fn osv_scanner_status_files() {
    for (name, installed) in [
        ("empty_status", 0),
        ("single_status", 1),
        ("multiple_status", 4),
        ("shuffled_status", 1),
        ("source_ver_override_status", 1),
    ] {
        let rel = format!("os/osv-scanner/dpkg/{name}");
        let r = one_file(&rel, "var/lib/dpkg/status");
        let inv = common::run(&DpkgCataloger, &r, "var/lib/dpkg/status");
        // Independent count: stanzas whose Status line ends in " installed".
        let text = String::from_utf8(common::fixture(&rel)).expect("utf8");
        let counted = text
            .lines()
            .filter(|l| l.starts_with("Status:") && l.ends_with(" installed"))
            .count();
        assert_eq!(inv.len(), counted, "{name}");
        assert_eq!(inv.len(), installed, "{name}");
    }
    let r = one_file(
        "os/osv-scanner/dpkg/source_ver_override_status",
        "var/lib/dpkg/status",
    );
    let inv = common::run(&DpkgCataloger, &r, "var/lib/dpkg/status");
    let p = find(&inv, "dmeventd");
    assert_eq!(p.version.as_deref(), Some("2:1.02.145-4.1ubuntu3"));
    assert_eq!(p.properties[PROP_SOURCE], "lvm2");
    assert_eq!(p.properties[PROP_SOURCE_VERSION], "2.02.176-4.1ubuntu3");
}

#[test]
fn opkg_status() {
    let rel = "os/syft/debian/var/lib/opkg/status";
    let r = one_file(rel, "usr/lib/opkg/status");
    let inv = common::run(&OpkgCataloger, &r, "usr/lib/opkg/status");
    let text = String::from_utf8(common::fixture(rel)).expect("utf8");
    let counted = text.lines().filter(|l| l.starts_with("Package:")).count();
    assert!(counted > 0);
    assert_eq!(inv.len(), counted);
    for (_, p) in inv.packages() {
        let purl = p.purl.as_ref().expect("purl");
        assert_eq!(purl.ty(), "opkg");
        assert_eq!(purl.namespace(), Some("openwrt"));
        assert!(p.version.is_some(), "{}", p.name);
    }
    assert!(OpkgCataloger.matches("usr/lib/opkg/status"));
    assert!(!DpkgCataloger.matches("usr/lib/opkg/status"));
}

#[test]
fn matching_and_errors() {
    let c = DpkgCataloger;
    assert!(c.matches("var/lib/dpkg/status"));
    assert!(c.matches("img/var/lib/dpkg/status"));
    assert!(c.matches("var/lib/dpkg/status.d/base"));
    assert!(!c.matches("var/lib/dpkg/status.d/base.md5sums"));
    assert!(!c.matches("var/lib/dpkg/status-old"));
    assert!(!c.matches("var/lib/dpkg/xstatus"));
    let r = MemoryResolver::new().with_file("var/lib/dpkg/status", "Package: a\nnot a field\n");
    let e = c.catalog(&r, "var/lib/dpkg/status").expect_err("bad");
    assert_eq!((e.path.as_str(), e.line), ("var/lib/dpkg/status", Some(2)));
}

#[test]
fn list_files_and_merged_usr_ownership() {
    let r = MemoryResolver::new()
        .with_file(
            "img/var/lib/dpkg/status",
            "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n\
             Architecture: amd64\n\nPackage: libc6\nStatus: install ok installed\n\
             Version: 2.36-9\nArchitecture: amd64\nMulti-Arch: same\n",
        )
        .with_file(
            "img/var/lib/dpkg/info/bash.list",
            "/.\n/bin\n/bin/bash\n/usr\n/usr/share\n/usr/share/doc\n/usr/share/doc/bash\n\
             /usr/share/doc/bash/copyright\n",
        )
        .with_file(
            "img/var/lib/dpkg/info/libc6:amd64.list",
            "/.\n/usr/lib/x86_64-linux-gnu/libc.so.6\n",
        )
        .with_file("img/usr/bin/bash", "ELF")
        .with_file(
            "img/usr/share/doc/bash/copyright",
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n\
             Files: *\nLicense: GPL-3+\n",
        )
        .with_file(
            "img/etc/os-release",
            "ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\n",
        );
    let inv = common::run(&DpkgCataloger, &r, "img/var/lib/dpkg/status");
    let bash = find(&inv, "bash");
    assert_eq!(
        bash.purl.as_ref().expect("purl").to_string(),
        "pkg:deb/ubuntu/bash@5.2.15-2%2Bb2?arch=amd64&distro=ubuntu-22.04"
    );
    assert_eq!(bash.properties[PROP_OWNED_FILES], "2");
    assert_eq!(bash.licenses, vec![License::parse("GPL-3+")]);
    // libc6's list is named with its architecture (Multi-Arch: same).
    assert_eq!(find(&inv, "libc6").properties[PROP_OWNED_FILES], "1");
    let owned = OwnedFiles::collect(&r);
    assert_eq!(owned.owner("img/bin/bash"), Some(bash.key().as_str()));
    assert_eq!(owned.owner("img/usr/bin/bash"), Some(bash.key().as_str()));
    assert_eq!(owned.owner("img/usr/share/doc/bash"), None);
    assert_eq!(
        owned.owner("img/usr/lib/x86_64-linux-gnu/libc.so.6"),
        Some(find(&inv, "libc6").key().as_str())
    );
}
