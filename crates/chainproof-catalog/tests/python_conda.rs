//! Golden tests of the conda-meta cataloger on the scalibr condameta fixtures, placed in a
//! `conda-meta/` directory, plus edges between packages of one environment.

use chainproof_catalog::Cataloger;
use chainproof_catalog::python::CondaMetaCataloger;
use chainproof_core::{HashAlgorithm, Inventory, License};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::purls;

const DIR: &str = "opt/env/conda-meta";

fn fixture(name: &str) -> String {
    kit::fixtures!("python/scalibr/condameta").text(name)
}

fn run(r: &MemoryResolver, path: &str) -> Inventory {
    kit::catalog::run(&CondaMetaCataloger, r, path)
}

const JUPYTERLAB: &str =
    "pkg:conda/jupyterlab@3.1.12?build=py39hf3db000&channel=main&subdir=linux-64";

#[test]
fn matches_conda_meta_json() {
    assert!(CondaMetaCataloger.matches("env/conda-meta/x-1-0.json"));
    assert!(CondaMetaCataloger.matches("conda-meta/x-1-0.json"));
    assert!(!CondaMetaCataloger.matches("env/conda-meta/history"));
    assert!(!CondaMetaCataloger.matches("env/meta/x-1-0.json"));
}

#[test]
fn valid() {
    let path = format!("{DIR}/jupyterlab-3.1.12-py39hf3db000_1.json");
    let r = MemoryResolver::new().with_file(&path, fixture("valid"));
    let inv = run(&r, &path);
    assert_eq!(purls(&inv), [JUPYTERLAB.to_string()].into_iter().collect());
    let (_, p) = inv.packages().next().expect("one");
    assert_eq!(p.name, "jupyterlab");
    assert_eq!(p.version.as_deref(), Some("3.1.12"));
    assert_eq!(p.ecosystem.as_str(), "conda");
    assert_eq!(p.licenses, vec![License::Spdx("BSD-3-Clause".into())]);
    assert_eq!(p.hashes.len(), 1);
    assert_eq!(p.hashes[0].algorithm, HashAlgorithm::Md5);
    assert_eq!(p.hashes[0].value, "d3f84c3f9b3e0db65cb2ed8c9b50c2b1");
    assert_eq!(
        p.source.as_deref(),
        Some("https://repo.anaconda.com/pkgs/main")
    );
    assert_eq!(
        p.properties["chainproof:conda:depends"],
        "jupyterlab_server >=2.3.0,<3.0a0; nbclassic >=0.2.8; python >=3.9,<3.10.0a0; tornado >=6.1"
    );
    assert_eq!(inv.edges().count(), 0, "no dependency installed beside it");
}

#[test]
fn no_version() {
    let path = format!("{DIR}/jupyterlab.json");
    let r = MemoryResolver::new().with_file(&path, fixture("noversion"));
    let inv = run(&r, &path);
    assert_eq!(
        purls(&inv),
        ["pkg:conda/jupyterlab?build=py39hf3db000&channel=main&subdir=linux-64".to_string()]
            .into_iter()
            .collect()
    );
}

#[test]
fn edges_to_installed_dependencies() {
    let path = format!("{DIR}/jupyterlab-3.1.12-py39hf3db000_1.json");
    let r = MemoryResolver::new()
        .with_file(&path, fixture("valid"))
        .with_file(
            &format!("{DIR}/tornado-6.1-py39h27cfd23_0.json"),
            r#"{"name": "tornado", "version": "6.1", "build": "py39h27cfd23_0", "channel": "https://conda.anaconda.org/conda-forge/linux-64", "subdir": "linux-64", "fn": "tornado-6.1-py39h27cfd23_0.conda", "license": "Apache-2.0", "sha256": "0ea1e5c8e4a4d8b2b4b4e0a3c1c7b2b1f9c8f7e6d5c4b3a2918070605040302a"}"#,
        )
        .with_file(
            &format!("{DIR}/jupyterlab_server-2.8.2-pyhd3eb1b0_0.json"),
            r#"{"name": "jupyterlab_server", "version": "2.8.2", "build_string": "pyhd3eb1b0_0", "subdir": "noarch"}"#,
        )
        // Not a dependency of jupyterlab.
        .with_file(
            &format!("{DIR}/zlib-1.2.13-h5eee18b_0.json"),
            r#"{"name": "zlib", "version": "1.2.13"}"#,
        )
        // Broken sibling: skipped here, reported by its own cataloging.
        .with_file(&format!("{DIR}/nbclassic-0.2.8-py_0.json"), fixture("invalid"))
        .with_file(&format!("{DIR}/history"), "==> 2021 <==\n");
    let inv = run(&r, &path);
    assert_eq!(
        purls(&inv),
        [
            JUPYTERLAB,
            "pkg:conda/tornado@6.1?build=py39h27cfd23_0&channel=conda-forge&subdir=linux-64&type=conda",
            "pkg:conda/jupyterlab_server@2.8.2?build=pyhd3eb1b0_0&subdir=noarch",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    );
    let edges = kit::inv::name_edges(&inv);
    assert_eq!(
        edges,
        kit::inv::pairs(&[
            ("jupyterlab", "jupyterlab_server"),
            ("jupyterlab", "tornado"),
        ])
    );
    let bad = CondaMetaCataloger
        .catalog(&r, &format!("{DIR}/nbclassic-0.2.8-py_0.json"))
        .expect_err("invalid");
    assert_eq!(bad.line, Some(1));
}

#[test]
fn malformed_is_an_error_with_line() {
    let path = format!("{DIR}/x-1-0.json");
    for (text, line) in [
        (fixture("invalid"), 1),
        ("{\n\"version\": \"1\"\n}".to_string(), 1),
        (
            "{\n\"name\": \"x\",\n\"depends\": \"notalist\"\n}".to_string(),
            3,
        ),
        (String::new(), 1),
    ] {
        let r = MemoryResolver::new().with_file(&path, text.as_str());
        let e = CondaMetaCataloger.catalog(&r, &path).expect_err(&text);
        assert_eq!(e.path, path);
        assert_eq!(e.line, Some(line), "{text:?}: {e}");
    }
}
