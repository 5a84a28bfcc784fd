//! Golden tests of the installed-distribution cataloger (dist-info / egg-info) on the scalibr
//! wheelegg fixtures, placed in a site-packages layout, plus sibling files and edges.

use chainproof_catalog::Cataloger;
use chainproof_catalog::python::InstalledCataloger;
use chainproof_core::{HashAlgorithm, Inventory, License};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::{purls, set};

const SP: &str = "venv/lib/python3.12/site-packages";

fn fixture(name: &str) -> String {
    kit::fixtures!("python/scalibr/wheelegg").text(name)
}

fn run(r: &MemoryResolver, path: &str) -> Inventory {
    kit::catalog::run(&InstalledCataloger, r, path)
}

#[test]
fn matches_metadata_files_only() {
    for p in [
        "sp/pip-22.2.2.dist-info/METADATA",
        "sp/httplib2-0.20.4.egg-info/PKG-INFO",
        "sp/setuptools-57.4.0-py3.9.egg/EGG-INFO/PKG-INFO",
        "sp/pycups-2.0.1.egg-info",
    ] {
        assert!(InstalledCataloger.matches(p), "{p}");
    }
    for p in [
        "sp/pip-22.2.2.dist-info/RECORD",
        "sp/pip/METADATA",
        "PKG-INFO",
        "sp/x.egg",
    ] {
        assert!(!InstalledCataloger.matches(p), "{p}");
    }
}

#[test]
fn dist_info_metadata_with_siblings() {
    let path = format!("{SP}/pip-22.2.2.dist-info/METADATA");
    let r = MemoryResolver::new()
        .with_file(&path, fixture("distinfo_meta"))
        .with_file(&format!("{SP}/pip-22.2.2.dist-info/INSTALLER"), "uv\n")
        .with_file(
            &format!("{SP}/pip-22.2.2.dist-info/RECORD"),
            "pip/__init__.py,sha256=abc,100\npip/__main__.py,sha256=def,200\npip-22.2.2.dist-info/RECORD,,\n",
        )
        .with_file(
            &format!("{SP}/pip-22.2.2.dist-info/direct_url.json"),
            r#"{"url": "https://files.example/pip-22.2.2-py3-none-any.whl", "archive_info": {"hashes": {"sha256": "b61a374b5bc40a6e982426aede40c9b5a08ff20e640f5b56977f4f91fed1e39a"}}}"#,
        );
    let inv = run(&r, &path);
    assert_eq!(purls(&inv), set(&["pkg:pypi/pip@22.2.2"]));
    let (_, p) = inv.packages().next().expect("pip");
    assert_eq!(p.licenses, vec![License::Spdx("MIT".into())]);
    assert_eq!(p.locations[0].line, Some(2));
    assert_eq!(p.properties["chainproof:python:installer"], "uv");
    assert_eq!(p.properties["chainproof:python:record-files"], "3");
    assert_eq!(
        p.source.as_deref(),
        Some("https://files.example/pip-22.2.2-py3-none-any.whl")
    );
    assert_eq!(p.hashes.len(), 1);
    assert_eq!(p.hashes[0].algorithm, HashAlgorithm::Sha256);
}

#[test]
fn egg_info_unknown_license_uses_classifier() {
    let path = format!("{SP}/setuptools-57.4.0-py3.9.egg/EGG-INFO/PKG-INFO");
    let r = MemoryResolver::new().with_file(&path, fixture("egginfo_pkginfo"));
    let inv = run(&r, &path);
    assert_eq!(purls(&inv), set(&["pkg:pypi/setuptools@57.4.0"]));
    let (_, p) = inv.packages().next().expect("setuptools");
    // `License: UNKNOWN` is dropped; the MIT classifier maps unambiguously.
    assert_eq!(p.licenses, vec![License::Spdx("MIT".into())]);
}

#[test]
fn mixed_case_headers_and_repeated_fields() {
    let path = format!("{SP}/httplib2-1.0.egg-info/PKG-INFO");
    let r = MemoryResolver::new().with_file(&path, fixture("mixed_case"));
    let inv = run(&r, &path);
    assert_eq!(purls(&inv), set(&["pkg:pypi/httplib2@1.0"]));
    assert!(inv.packages().next().expect("one").1.licenses.is_empty());

    let path = format!("{SP}/root-1.0.0.egg-info");
    let r = MemoryResolver::new().with_file(&path, fixture("repeated_pkginfo"));
    let inv = run(&r, &path);
    assert_eq!(
        purls(&inv),
        set(&["pkg:pypi/root@1.0.0"]),
        "first Version wins"
    );
}

#[test]
fn requires_dist_edges_within_site_packages() {
    let path = format!("{SP}/pyOpenSSL-26.0.0.dist-info/METADATA");
    let r = MemoryResolver::new()
        .with_file(&path, fixture("pyopenssl-26.0.0.dist-info"))
        .with_file(
            &format!("{SP}/cryptography-46.0.1.dist-info/METADATA"),
            "Metadata-Version: 2.4\nName: cryptography\nVersion: 46.0.1\nLicense-Expression: Apache-2.0 OR BSD-3-Clause\n",
        )
        .with_file(
            &format!("{SP}/typing_extensions-4.15.0.dist-info/METADATA"),
            "Metadata-Version: 2.4\nName: typing_extensions\nVersion: 4.15.0\n",
        )
        // pytest is only an extra ("test") of pyOpenSSL: no edge.
        .with_file(
            &format!("{SP}/pytest-8.4.0.dist-info/METADATA"),
            "Metadata-Version: 2.4\nName: pytest\nVersion: 8.4.0\n",
        )
        // Same name in another environment: not linked.
        .with_file(
            "other/site-packages/cryptography-1.0.dist-info/METADATA",
            "Name: cryptography\nVersion: 1.0\n",
        );
    let inv = run(&r, &path);
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:pypi/pyopenssl@26.0.0",
            "pkg:pypi/cryptography@46.0.1",
            "pkg:pypi/typing-extensions@4.15.0",
        ])
    );
    let edges = kit::inv::name_edges(&inv);
    assert_eq!(
        edges,
        kit::inv::pairs(&[
            ("pyOpenSSL", "cryptography"),
            ("pyOpenSSL", "typing_extensions"),
        ])
    );
    let get = |n: &str| inv.packages().find(|(_, p)| p.name == n).expect(n).1;
    // Free-text License, Apache classifier ambiguous: kept verbatim.
    assert_eq!(
        get("pyOpenSSL").licenses,
        vec![License::Other("Apache License, Version 2.0".into())]
    );
    assert_eq!(
        get("cryptography").licenses,
        vec![License::Spdx("Apache-2.0 OR BSD-3-Clause".into())]
    );
    assert_eq!(
        get("cryptography").locations[0].path,
        format!("{SP}/cryptography-46.0.1.dist-info/METADATA")
    );
}

#[test]
fn vcs_direct_url_and_editable() {
    let path = "sp/mylib-0.1.dist-info/METADATA";
    let r = MemoryResolver::new()
        .with_file(path, "Name: mylib\nVersion: 0.1\n")
        .with_file(
            "sp/mylib-0.1.dist-info/direct_url.json",
            r#"{"url": "https://github.com/o/mylib.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}"#,
        )
        .with_file("sp/other-1.dist-info/METADATA", "Name: other\nVersion: 1\n")
        .with_file(
            "sp/other-1.dist-info/direct_url.json",
            r#"{"url": "file:///src/other", "dir_info": {"editable": true}}"#,
        );
    let inv = run(&r, path);
    let (_, p) = inv.packages().next().expect("mylib");
    assert_eq!(
        p.source.as_deref(),
        Some("git+https://github.com/o/mylib.git@abc123")
    );
    assert_eq!(p.properties["chainproof:python:source-type"], "vcs");
    let inv = run(&r, "sp/other-1.dist-info/METADATA");
    let (_, p) = inv.packages().next().expect("other");
    assert_eq!(p.properties["chainproof:python:editable"], "true");
    assert_eq!(p.source.as_deref(), Some("file:///src/other"));
}

#[test]
fn malformed_is_an_error_with_line() {
    let path = "sp/x-1.dist-info/METADATA";
    for (text, line) in [
        (fixture("empty"), 1),
        ("Metadata-Version: 2.1\nVersion: 1\n".to_string(), 1),
        ("Name: ok\nthis is not a header\n".to_string(), 2),
        ("Metadata-Version: 2.1\nName: -bad-\n".to_string(), 2),
        ("  leading continuation\n".to_string(), 1),
    ] {
        let r = MemoryResolver::new().with_file(path, text.as_str());
        let e = InstalledCataloger.catalog(&r, path).expect_err(&text);
        assert_eq!(e.path, path);
        assert_eq!(e.line, Some(line), "{text:?}: {e}");
    }
}
