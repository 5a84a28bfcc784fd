//! The OS-ownership rule of a catalog run. Language packages found in files an OS package
//! installed are kept and linked to that OS package with `chainproof:os:owned-by` and an
//! edge (Debian's `python3-*` packages carry `dist-info`; apk's `py3-*` packages too). The
//! package that *is* an OS-owned binary (Go main module, cargo-auditable root crate) is
//! dropped; the modules compiled into it are kept and linked.

use chainproof_catalog::os::OwnedFiles;
use chainproof_catalog::{
    CatalogOptions, PROP_OWNED_BY, apply_os_ownership, catalog, link_os_owned, registry,
};
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
    // The OS package installed it: an edge from the deb to the pypi package.
    let id = |p: &Package| inv.find(&p.key()).unwrap();
    let deps = |p: &Package| inv.dependencies_of(id(p)).collect::<Vec<_>>();
    assert_eq!(deps(deb_six), vec![id(six)]);
    assert_eq!(deps(deb_idna), vec![id(idna)]);
    assert!(inv.edges().all(|(_, to)| to != id(requests)));
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

const GO_BIN: &[u8] = include_bytes!("fixtures/gobin/hello-linux-amd64");
const RUST_BIN: &[u8] = include_bytes!("fixtures/rustbin/rustbin-demo");

/// A Debian root whose `hello` and `rustbin-demo` packages install the two binaries at
/// `usr/bin/`; the same Go binary is also at `opt/hello` (owned by no package).
fn debian_with_binaries() -> MemoryResolver {
    let status = "\
Package: hello
Status: install ok installed
Architecture: amd64
Version: 1.0-1

Package: rustbin-demo
Status: install ok installed
Architecture: amd64
Version: 0.1.0-1

";
    MemoryResolver::new()
        .with_file("etc/os-release", b"ID=debian\nVERSION_ID=\"12\"\n".to_vec())
        .with_file("var/lib/dpkg/status", status.as_bytes().to_vec())
        .with_file("var/lib/dpkg/info/hello.list", b"/usr/bin/hello\n".to_vec())
        .with_file(
            "var/lib/dpkg/info/rustbin-demo.list",
            b"/usr/bin/rustbin-demo\n".to_vec(),
        )
        .with_file("usr/bin/hello", GO_BIN.to_vec())
        .with_file("usr/bin/rustbin-demo", RUST_BIN.to_vec())
}

fn names(inv: &Inventory, ids: impl Iterator<Item = chainproof_core::PackageId>) -> Vec<String> {
    let mut v: Vec<String> = ids
        .map(|i| {
            let p = inv.package(i);
            format!("{}@{}", p.name, p.version.as_deref().unwrap_or(""))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn os_owned_binaries_drop_their_root_and_keep_compiled_in_modules() {
    let r = debian_with_binaries();
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    // The Go main module and the Rust root crate stand for the binaries the debs install:
    // gone. Everything compiled into them stays.
    assert!(inv.packages().all(|(_, p)| p.name != "example.com/hello"));
    let cargo_root = |p: &Package| p.purl.as_ref().is_some_and(|u| u.ty() == "cargo");
    assert!(
        inv.packages()
            .all(|(_, p)| !(p.name == "rustbin-demo" && cargo_root(p)))
    );
    let hello = find(&inv, "deb", "hello");
    let rust = find(&inv, "deb", "rustbin-demo");
    let hello_id = inv.find(&hello.key()).unwrap();
    let rust_id = inv.find(&rust.key()).unwrap();
    assert_eq!(
        names(&inv, inv.dependencies_of(hello_id)),
        vec![
            "example.com/greet@v1.2.3",
            "example.com/local@",
            "stdlib@1.19.8"
        ]
    );
    assert_eq!(
        names(&inv, inv.dependencies_of(rust_id)),
        vec![
            "internal-reg@2.0.0+build.5",
            "my-git-dep@0.2.0-alpha.1",
            "proc-macro2@1.0.78",
            "serde@1.0.197",
            "serde_derive@1.0.197",
        ]
    );
    for dep in inv.dependencies_of(hello_id) {
        assert_eq!(inv.package(dep).properties[PROP_OWNED_BY], hello.key());
    }
    // The crates' own edges survive the drop (serde → serde_derive).
    let serde = inv.find(&find(&inv, "cargo", "serde").key()).unwrap();
    assert_eq!(
        names(&inv, inv.dependencies_of(serde)),
        vec!["serde_derive@1.0.197"]
    );
    // 2 debs + 3 Go + 5 Rust packages; no roots left from the binaries.
    assert_eq!(inv.len(), 10);
    assert_eq!(inv.roots().count(), 0);
}

#[test]
fn binary_not_owned_by_an_os_package_keeps_its_root() {
    // The same Go binary also at a path no package owns: the main module is kept (one of
    // its copies is not described by any OS package), still linked to the deb that
    // installed the other copy.
    let r = debian_with_binaries().with_file("opt/hello", GO_BIN.to_vec());
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    let main = find(&inv, "golang", "example.com/hello");
    let mut paths: Vec<&str> = main.locations.iter().map(|l| l.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, vec!["opt/hello", "usr/bin/hello"]);
    let hello = find(&inv, "deb", "hello");
    assert_eq!(main.properties[PROP_OWNED_BY], hello.key());
    let main_id = inv.find(&main.key()).unwrap();
    assert!(inv.roots().any(|r| r == main_id));
    assert_eq!(names(&inv, inv.dependencies_of(main_id)).len(), 3);
    // Without any OS database nothing is dropped or linked.
    let r = MemoryResolver::new().with_file("usr/bin/hello", GO_BIN.to_vec());
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    assert_eq!(inv.len(), 4);
    assert_eq!(inv.roots().count(), 1);
    // apply_os_ownership with no binary roots only links.
    let owned = OwnedFiles::collect(&debian_with_binaries());
    let linked = apply_os_ownership(inv, &owned, &[]);
    assert_eq!(linked.len(), 4);
    assert!(
        linked
            .packages()
            .all(|(_, p)| p.properties[PROP_OWNED_BY].starts_with("pkg:deb/debian/hello@1.0-1"))
    );
}

/// The real Debian root (env `CHAINPROOF_DEBIAN_ROOT`, else `/work/debian-root`), or a
/// loud skip.
fn debian_root() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("CHAINPROOF_DEBIAN_ROOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/work/debian-root".into());
    if dir.join("var/lib/dpkg/status").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: no Debian root at {} (set CHAINPROOF_DEBIAN_ROOT; scripts/debian-root.sh DIR builds one)",
            dir.display()
        );
        None
    }
}

/// What `dpkg-query -S` says owns `path` in ROOT (the oracle), if dpkg-query runs.
fn dpkg_owner(root: &std::path::Path, path: &str) -> Option<String> {
    let out = std::process::Command::new("dpkg-query")
        .arg(format!(
            "--admindir={}",
            root.join("var/lib/dpkg").display()
        ))
        .args(["-S", path])
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.split(':').next()?.trim().to_string())
}

#[test]
fn real_debian_database_owns_binaries_on_merged_usr() {
    let Some(root) = debian_root() else { return };
    let Some(owner) = dpkg_owner(&root, "/bin/ls") else {
        eprintln!("SKIPPED: dpkg-query unavailable");
        return;
    };
    // The real dpkg database (status, every info/*.list, os-release), with the Go binary
    // put where the real `ls` is: dpkg lists `/bin/ls`, merged /usr has it at `usr/bin/ls`.
    let mut r = MemoryResolver::new()
        .with_file(
            "etc/os-release",
            std::fs::read(root.join("etc/os-release")).unwrap(),
        )
        .with_file(
            "var/lib/dpkg/status",
            std::fs::read(root.join("var/lib/dpkg/status")).unwrap(),
        )
        .with_file("usr/bin/ls", GO_BIN.to_vec());
    let mut lists = 0;
    for e in std::fs::read_dir(root.join("var/lib/dpkg/info")).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".list") {
            r = r.with_file(
                &format!("var/lib/dpkg/info/{name}"),
                std::fs::read(e.path()).unwrap(),
            );
            lists += 1;
        }
    }
    assert!(lists > 50, "{lists}");
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    let debs = inv
        .packages()
        .filter(|(_, p)| p.purl.as_ref().is_some_and(|u| u.ty() == "deb"))
        .count();
    // The main module is dropped (coreutils describes that binary); the Go standard
    // library and the two modules compiled in are kept and linked to coreutils.
    assert!(inv.packages().all(|(_, p)| p.name != "example.com/hello"));
    assert_eq!(inv.len(), debs + 3);
    let coreutils = find(&inv, "deb", &owner);
    assert_eq!(owner, "coreutils");
    let id = inv.find(&coreutils.key()).unwrap();
    let linked: Vec<String> = names(&inv, inv.dependencies_of(id))
        .into_iter()
        .filter(|n| n.starts_with("example.com/") || n.starts_with("stdlib@"))
        .collect();
    assert_eq!(
        linked,
        vec![
            "example.com/greet@v1.2.3",
            "example.com/local@",
            "stdlib@1.19.8"
        ]
    );
    for (_, p) in inv
        .packages()
        .filter(|(_, p)| p.ecosystem == chainproof_core::Ecosystem::Go)
    {
        assert_eq!(p.properties[PROP_OWNED_BY], coreutils.key());
    }
}
