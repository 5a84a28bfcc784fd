//! RPM databases (sqlite, Berkeley DB, NDB) against the package lists `rpm -qa` printed
//! for them (committed as `tests/fixtures/os/rpm/*.rpm-qa.tsv`; see SOURCES.md).

mod common;

use std::collections::BTreeSet;

use chainproof_catalog::os::rpm::database_blobs;
use chainproof_catalog::os::rpm::header::{Header, tag};
use chainproof_catalog::os::{OwnedFiles, PROP_OWNED_FILES, PROP_SOURCE, RpmDbCataloger};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog};
use chainproof_core::{Inventory, License};
use chainproof_source::{DirectoryResolver, FileResolver, MemoryResolver, WalkOptions};
use chainproof_testkit as kit;

/// `name \t epoch \t version \t release \t arch` rows of an expected list.
fn expected(name: &str) -> BTreeSet<String> {
    String::from_utf8(common::fixture(&format!("os/rpm/{name}.rpm-qa.tsv")))
        .expect("utf8")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The same rows from the inventory's purls.
fn rows(inv: &Inventory) -> BTreeSet<String> {
    inv.packages()
        .map(|(_, p)| {
            let purl = p.purl.as_ref().expect("purl");
            let v = purl.version().expect("version");
            let (ver, rel) = v.rsplit_once('-').expect("version-release");
            format!(
                "{}\t{}\t{ver}\t{rel}\t{}",
                p.name,
                purl.qualifier("epoch").unwrap_or(""),
                purl.qualifier("arch").unwrap_or("")
            )
        })
        .collect()
}

fn scan(dir: &str) -> (DirectoryResolver, Inventory) {
    let r =
        DirectoryResolver::walk(&common::fixture_path(dir), &WalkOptions::default()).expect("walk");
    let cats: Vec<Box<dyn Cataloger>> = vec![Box::new(RpmDbCataloger)];
    let inv = catalog(&r, &cats, &CatalogOptions::default());
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    (r, inv)
}

#[test]
fn sqlite_matches_rpm_qa() {
    let (r, inv) = scan("os/rpm/cbl-mariner-2.0");
    let want = expected("cbl-mariner-2.0");
    assert_eq!(want.len(), 129);
    assert_eq!(rows(&inv), want);
    let curl = inv
        .packages()
        .map(|(_, p)| p)
        .find(|p| p.name == "curl")
        .expect("curl");
    let purl = curl.purl.as_ref().expect("purl").to_string();
    // No os-release in the fixture: namespace from the vendor, no distro qualifier.
    assert!(
        purl.starts_with("pkg:rpm/mariner/curl@7.") && purl.contains("arch=x86_64"),
        "{purl}"
    );
    assert!(purl.contains("upstream=curl-7."), "{purl}");
    assert_eq!(curl.licenses, vec![License::parse("MIT")]);
    assert!(curl.properties[PROP_SOURCE].ends_with(".src.rpm"));
    // `rpm -ql curl` lists 6 paths, one of them the directory /usr/share/licenses/curl.
    assert_eq!(curl.properties[PROP_OWNED_FILES], "5");
    // Edges: curl needs libcurl (by soname provide), bash needs glibc.
    let id = inv.find(&curl.key()).expect("id");
    let deps: BTreeSet<&str> = inv
        .dependencies_of(id)
        .map(|d| inv.package(d).name.as_str())
        .collect();
    assert!(
        deps.contains("curl-libs") && deps.contains("glibc"),
        "{deps:?}"
    );
    assert!(inv.edges().len() > 200, "{}", inv.edges().len());
    // File ownership side table.
    let owned = OwnedFiles::collect(&r);
    assert_eq!(owned.owner("usr/bin/curl"), Some(curl.key().as_str()));
    assert_eq!(
        owned.owner("usr/share/man/man1/curl.1.gz"),
        Some(curl.key().as_str())
    );
    assert_eq!(owned.owner("usr/share/licenses/curl"), None);
    assert!(owned.len() > 1000, "{}", owned.len());
    // `/bin/sh` requirements resolve through bash's files.
    let sh_users = inv
        .edges()
        .filter(|(_, to)| inv.package(*to).name == "bash")
        .count();
    assert!(sh_users > 0);
}

#[test]
fn ndb_matches_rpm_qa() {
    let (_, inv) = scan("os/rpm/sle15-bci");
    let want = expected("sle15-bci");
    assert_eq!(want.len(), 35);
    assert_eq!(rows(&inv), want);
    let bash = inv
        .packages()
        .map(|(_, p)| p)
        .find(|p| p.name == "bash")
        .expect("bash");
    assert_eq!(
        bash.purl.as_ref().expect("purl").to_string(),
        "pkg:rpm/suse/bash@4.4-19.6.1?arch=x86_64&upstream=bash-4.4-19.6.1.src.rpm"
    );
    assert_eq!(bash.version.as_deref(), Some("4.4-19.6.1"));
}

#[test]
fn berkeley_db_matches_rpm_qa() {
    let (_, inv) = scan("os/rpm/libuuid");
    assert_eq!(rows(&inv), expected("libuuid"));
    let p = inv.packages().next().expect("one").1;
    assert_eq!(
        p.purl.as_ref().expect("purl").to_string(),
        "pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64&upstream=util-linux-2.32.1-42.el8_8.src.rpm"
    );
}

#[test]
fn distro_from_os_release() {
    let db = common::fixture("os/rpm/libuuid/var/lib/rpm/Packages");
    let r = MemoryResolver::new()
        .with_file("var/lib/rpm/Packages", db)
        .with_file(
            "etc/os-release",
            "ID=\"rhel\"\nVERSION_ID=\"8.8\"\nID_LIKE=\"fedora\"\n",
        );
    let inv = RpmDbCataloger
        .catalog(&r, "var/lib/rpm/Packages")
        .expect("parse");
    let purl = inv
        .packages()
        .next()
        .expect("one")
        .1
        .purl
        .clone()
        .expect("purl");
    assert_eq!(purl.namespace(), Some("redhat"));
    assert_eq!(purl.qualifier("distro"), Some("rhel-8.8"));
    assert!(r.exists("etc/os-release"));
}

#[test]
fn hostile_databases_are_errors_not_panics() {
    let c = RpmDbCataloger;
    for (name, bytes) in [
        ("empty", Vec::new()),
        ("junk", b"hello world, not a database".to_vec()),
        (
            "truncated-sqlite",
            common::fixture("os/rpm/cbl-mariner-2.0/var/lib/rpm/rpmdb.sqlite")[..5000].to_vec(),
        ),
        (
            "truncated-ndb",
            common::fixture("os/rpm/sle15-bci/usr/lib/sysimage/rpm/Packages.db")[..3000].to_vec(),
        ),
    ] {
        let r = MemoryResolver::new().with_file("var/lib/rpm/Packages", bytes);
        // Either an error naming the file or a (possibly empty) inventory: never a panic.
        if let Err(e) = c.catalog(&r, "var/lib/rpm/Packages") {
            assert_eq!(e.path, "var/lib/rpm/Packages", "{name}");
        }
    }
    // Single-byte corruptions of the BDB and NDB files are survived.
    for rel in [
        "os/rpm/libuuid/var/lib/rpm/Packages",
        "os/rpm/sle15-bci/usr/lib/sysimage/rpm/Packages.db",
    ] {
        let db = common::fixture(rel);
        // The metadata / slot page closely, the rest sparsely (each run parses it all).
        // (Debug builds parse the NDB file in ~0.1 s: keep the sample small.)
        let spots = (0..db.len().min(4096))
            .step_by(131)
            .chain((4096..db.len()).step_by(db.len() / 16 + 1));
        for i in spots {
            let mut bad = db.clone();
            bad[i] ^= 0xff;
            let r = MemoryResolver::new().with_file("var/lib/rpm/Packages", bad);
            let _ = c.catalog(&r, "var/lib/rpm/Packages");
        }
    }
    // Every header blob of the SQLite database, corrupted at every 4th byte of its index
    // and truncated at many lengths: errors or partial reads, never a panic.
    let db = common::fixture("os/rpm/cbl-mariner-2.0/var/lib/rpm/rpmdb.sqlite");
    let blobs = database_blobs(&db).expect("blobs");
    assert_eq!(blobs.len(), 129);
    for b in blobs.iter().take(10) {
        let index_end =
            (8 + 16 * u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize).min(b.len());
        for i in (0..index_end).step_by(4) {
            let mut bad = b.clone();
            bad[i] ^= 0x80;
            if let Ok(h) = Header::parse(&bad) {
                let _ = (h.string(tag::NAME), h.files(), h.strings(tag::REQUIRENAME));
            }
        }
        for len in (0..b.len()).step_by(b.len() / 50 + 1) {
            assert!(Header::parse(&b[..len]).is_err() || len >= 8);
        }
    }
}

/// Runs Debian's `rpm -qa` on a copy of the fixture database (rpm may create lock files
/// beside it) with the query format the committed lists were made with.
fn live_rpm_qa(dir: &str, db_dir: &str, backend: &str) -> Option<BTreeSet<String>> {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = common::fixture_path(&format!("os/rpm/{dir}/{db_dir}"));
    for e in std::fs::read_dir(&src).expect("db dir") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), tmp.path().join(e.file_name())).expect("copy");
    }
    let out = std::process::Command::new("rpm")
        .arg("--define")
        .arg(format!("_db_backend {backend}"))
        .arg("--dbpath")
        .arg(tmp.path())
        .args([
            "-qa",
            "--qf",
            "%{NAME}\\t%|EPOCH?{%{EPOCH}}:{}|\\t%{VERSION}\\t%{RELEASE}\\t%|ARCH?{%{ARCH}}:{}|\\n",
        ])
        .output()
        .ok()?;
    assert!(out.status.success(), "rpm -qa failed: {out:?}");
    Some(
        String::from_utf8(out.stdout)
            .expect("utf8")
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// The oracle itself, when Debian's `rpm` is installed: `rpm -qa --dbpath` on the
/// Berkeley DB and sqlite fixtures gives exactly the packages chainproof reads (and the
/// committed lists). Debian's rpm has no NDB backend, so `sle15-bci` stays on its list.
#[test]
fn live_rpm_qa_agrees() {
    if std::process::Command::new("rpm")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: rpm is not installed (apt-get install -y rpm)");
        return;
    }
    for (dir, db, backend, count) in [
        ("libuuid", "var/lib/rpm", "bdb_ro", 1),
        ("cbl-mariner-2.0", "var/lib/rpm", "sqlite", 129),
    ] {
        let live = live_rpm_qa(dir, db, backend).expect("rpm runs");
        assert_eq!(live.len(), count, "{dir}");
        let (_, inv) = scan(&format!("os/rpm/{dir}"));
        assert_eq!(rows(&inv), live, "{dir}: chainproof vs rpm -qa");
        assert_eq!(expected(dir), live, "{dir}: committed list vs rpm -qa");
    }
    // The fixtures are the corpus's go-rpmdb databases, byte for byte.
    let Some(testdata) = kit::corpus::dir("images/rpm/go-rpmdb/pkg/testdata") else {
        return;
    };
    for (fixture, original) in [
        ("libuuid/var/lib/rpm/Packages", "libuuid/Packages"),
        (
            "cbl-mariner-2.0/var/lib/rpm/rpmdb.sqlite",
            "cbl-mariner-2.0/rpmdb.sqlite",
        ),
        (
            "sle15-bci/usr/lib/sysimage/rpm/Packages.db",
            "sle15-bci/Packages.db",
        ),
    ] {
        let ours = common::fixture(&format!("os/rpm/{fixture}"));
        let theirs = std::fs::read(testdata.join(original)).expect("corpus database");
        assert!(ours == theirs, "{fixture} differs from the corpus");
    }
}
