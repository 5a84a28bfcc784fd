//! Golden tests for the `renv-lock` cataloger on the osv-scanner renv fixtures and a
//! hand-written renv 1.x lockfile (`tests/fixtures/renv/`, see SOURCES.md).

use std::collections::BTreeSet;
use std::path::Path;

use chainproof_catalog::Cataloger;
use chainproof_catalog::r::{
    PROP_BIOCONDUCTOR, PROP_RENV_HASH, PROP_UNRESOLVED, RenvLockCataloger, parse_renv_lock,
};
use chainproof_core::{Inventory, Package};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::set;

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/renv")
            .join(rel),
    )
    .expect("fixture exists")
}

fn parse(rel: &str) -> Inventory {
    parse_renv_lock("renv.lock", &fixture(rel)).expect("parses")
}

fn purls(inv: &Inventory) -> BTreeSet<String> {
    inv.packages()
        .map(|(_, p)| p.purl.as_ref().expect("purl").to_string())
        .collect()
}

fn get<'a>(inv: &'a Inventory, name: &str) -> &'a Package {
    inv.packages()
        .map(|(_, p)| p)
        .find(|p| p.name == name)
        .expect("present")
}

#[test]
fn osv_scanner_fixtures() {
    let inv = parse("osv-scanner-v1/two-packages.lock");
    assert_eq!(
        purls(&inv),
        set(&["pkg:cran/markdown@1.0", "pkg:cran/mime@0.7"])
    );
    let md = get(&inv, "markdown");
    assert_eq!(
        md.properties.get(PROP_RENV_HASH).map(String::as_str),
        Some("4584a57f565dd7987d59dda3a02cfb41")
    );
    assert!(md.hashes.is_empty());
    assert_eq!(md.locations[0].line, Some(12));

    // requirements not in the lockfile are listed, not dropped
    for f in [
        "osv-scanner-v1/one-package.lock",
        "osv-scanner-v1/without-repository.lock",
    ] {
        let inv = parse(f);
        assert_eq!(purls(&inv), set(&["pkg:cran/morning@0.1.0"]));
        assert_eq!(
            get(&inv, "morning")
                .properties
                .get(PROP_UNRESOLVED)
                .map(String::as_str),
            Some("coffee, toast")
        );
    }

    let inv = parse("osv-scanner-v1/with-bioconductor.lock");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:cran/BH@1.75.0-0",
            "pkg:cran/BSgenome@1.60.0?repository_url=https:%2F%2Fbioconductor.org"
        ])
    );
    assert_eq!(
        get(&inv, "BSgenome")
            .properties
            .get(PROP_BIOCONDUCTOR)
            .map(String::as_str),
        Some("3.13")
    );

    let inv = parse("osv-scanner-v1/with-mixed-sources.lock");
    let mime = get(&inv, "mime");
    assert_eq!(
        mime.purl.as_ref().map(|p| p.to_string()).as_deref(),
        Some(
            "pkg:cran/mime@0.12.1?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fyihui%2Fmime%401763e0dcb72fb58d97bab97bb834fc71f1e012bc"
        )
    );
    // `tools` is a base package: neither an edge nor unresolved
    assert!(!mime.properties.contains_key(PROP_UNRESOLVED));
    assert_eq!(inv.edges().count(), 0);
}

#[test]
fn renv_1x_lockfile_edges_and_sources() {
    let inv = parse("chainproof/renv.lock");
    assert_eq!(inv.len(), 7);
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:cran/cli@3.6.3",
            "pkg:cran/glue@1.7.0",
            "pkg:cran/rlang@1.1.4",
            "pkg:cran/lifecycle@1.0.4",
            "pkg:cran/S4Vectors@0.42.1?repository_url=https:%2F%2Fbioconductor.org",
            "pkg:cran/jsonlite@1.8.8.9000?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fjeroen%2Fjsonlite%40f3ad2e1b2ae6bd11a7e10d9b7d73da7b4c2c8e7a",
            "pkg:cran/magick@2.8.4?repository_url=https:%2F%2Fropensci.r-universe.dev",
        ])
    );
    let edges = kit::inv::name_edges(&inv);
    let want: BTreeSet<(String, String)> = [
        ("lifecycle", "cli"),
        ("lifecycle", "glue"),
        ("lifecycle", "rlang"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(edges, want);
    assert_eq!(
        get(&inv, "lifecycle")
            .properties
            .get(PROP_UNRESOLVED)
            .map(String::as_str),
        Some("missingpkg")
    );
    assert_eq!(
        get(&inv, "magick")
            .properties
            .get(PROP_UNRESOLVED)
            .map(String::as_str),
        Some("Rcpp")
    );
    assert_eq!(
        get(&inv, "magick").source.as_deref(),
        Some("https://ropensci.r-universe.dev")
    );
    assert_eq!(
        get(&inv, "S4Vectors")
            .properties
            .get(PROP_BIOCONDUCTOR)
            .map(String::as_str),
        Some("3.19")
    );
}

#[test]
fn malformed() {
    let e = parse_renv_lock("renv.lock", "{\"Packages\": {\n\"a\": []}}").expect_err("entry");
    assert_eq!(e.line, Some(2));
    let e = parse_renv_lock("renv.lock", "{\"Packages\": {\n\"a\": {\"Version\": 1}}}")
        .expect_err("type");
    assert_eq!(e.pointer.as_deref(), Some("/Packages/a/Version"));
    assert!(
        parse_renv_lock("renv.lock", "{\"Packages\": {")
            .expect_err("eof")
            .line
            .is_some()
    );
    assert!(parse_renv_lock("renv.lock", "null").is_err());
    let c = RenvLockCataloger;
    assert!(c.matches("proj/renv.lock") && !c.matches("renv/activate.R"));
    let r =
        MemoryResolver::new().with_file("renv.lock", fixture("osv-scanner-v1/two-packages.lock"));
    assert_eq!(c.catalog(&r, "renv.lock").expect("parses").len(), 2);
}
