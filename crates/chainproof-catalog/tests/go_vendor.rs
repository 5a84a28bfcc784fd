//! The `go-vendor` cataloger: a real `vendor/modules.txt` written by `go mod vendor` (Go
//! 1.19, from the gobin fixture sources) with its go.mod, and scalibr's vendormodules
//! fixtures (valid / invalid / empty).

use std::collections::BTreeMap;

use chainproof_catalog::Cataloger;
use chainproof_catalog::golang::vendor::{
    GoVendorCataloger, PROP_EXPLICIT, PROP_PACKAGES, parse_modules_txt,
};
use chainproof_catalog::golang::{PROP_GO_VERSION, PROP_INDIRECT, PROP_REPLACES};
use chainproof_core::{Inventory, Package, PackageKind};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;

fn fixture(rel: &str) -> String {
    kit::fixtures!("golang-extra").text(rel)
}

fn by_purl(inv: &Inventory) -> BTreeMap<String, &Package> {
    inv.packages()
        .map(|(_, p)| (p.purl.as_ref().expect("purl").to_string(), p))
        .collect()
}

#[test]
fn go_mod_vendor_output_with_root() {
    let r = MemoryResolver::new()
        .with_file("app/go.mod", fixture("go-mod-vendor/go.mod"))
        .with_file(
            "app/vendor/modules.txt",
            fixture("go-mod-vendor/vendor/modules.txt"),
        );
    let c = GoVendorCataloger;
    assert!(c.matches("app/vendor/modules.txt"));
    assert!(!c.matches("app/modules.txt") && !c.matches("vendor/modules.txt.orig"));
    let inv = c.catalog(&r, "app/vendor/modules.txt").expect("parses");
    let m = by_purl(&inv);
    assert_eq!(
        m.keys().collect::<Vec<_>>(),
        [
            "pkg:golang/example.com/greet@v1.2.3",
            "pkg:golang/example.com/hello",
            "pkg:golang/example.com/local",
        ]
    );
    let root = inv.roots().next().expect("root from go.mod");
    assert_eq!(inv.package(root).kind, PackageKind::Project);
    assert_eq!(inv.package(root).name, "example.com/hello");
    assert_eq!(inv.dependencies_of(root).count(), 2);
    let greet = m["pkg:golang/example.com/greet@v1.2.3"];
    assert_eq!(greet.properties[PROP_EXPLICIT], "true");
    assert_eq!(greet.properties[PROP_GO_VERSION], "1.19");
    assert_eq!(greet.properties[PROP_PACKAGES], "example.com/greet");
    assert_eq!(greet.locations[0].line, Some(1));
    let local = m["pkg:golang/example.com/local"];
    assert_eq!(local.source.as_deref(), Some("../greet-local"));
    assert_eq!(local.properties[PROP_REPLACES], "example.com/local@v0.0.0");
    // The trailing `# example.com/local => ../greet-local` (no packages) adds nothing.
    assert_eq!(local.locations.len(), 1);
    assert_eq!(local.locations[0].line, Some(4));

    // Without the go.mod: the same modules, no root, no edges.
    let inv = parse_modules_txt("m.txt", &fixture("go-mod-vendor/vendor/modules.txt"), None)
        .expect("parses");
    assert_eq!(inv.len(), 2);
    assert_eq!((inv.roots().count(), inv.edges().count()), (0, 0));
}

#[test]
fn scalibr_valid() {
    let inv = parse_modules_txt(
        "modules.txt",
        &fixture("scalibr-vendormodules/valid/vendor/modules.txt"),
        None,
    )
    .expect("parses");
    let m = by_purl(&inv);
    assert_eq!(
        m.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "pkg:golang/example.com/afterheaderonly@v0.3.0",
            "pkg:golang/example.com/fork/net@v1.4.5",
            "pkg:golang/example.com/headeronly@v0.1.0",
            "pkg:golang/example.com/local",
            "pkg:golang/example.com/transitive@v0.2.0",
            "pkg:golang/example.com/wildcard-fork@v0.2.0",
            "pkg:golang/github.com/BurntSushi/toml@v1.2.1",
            "pkg:golang/github.com/example/incompatible@v2.0.0%2Bincompatible",
            "pkg:golang/golang.org/x/crypto@v0.31.0",
        ]
    );
    // The repeated toml header is one module with both packages.
    let toml = m["pkg:golang/github.com/BurntSushi/toml@v1.2.1"];
    assert_eq!(
        toml.properties[PROP_PACKAGES],
        "github.com/BurntSushi/toml, github.com/BurntSushi/toml/internal"
    );
    assert_eq!(toml.properties[PROP_EXPLICIT], "true");
    let fork = m["pkg:golang/example.com/fork/net@v1.4.5"];
    assert_eq!(fork.properties[PROP_REPLACES], "golang.org/x/net@v0.5.6");
    let t = m["pkg:golang/example.com/transitive@v0.2.0"];
    assert_eq!(t.properties[PROP_INDIRECT], "true");
    assert!(!t.properties.contains_key(PROP_EXPLICIT));
    assert_eq!(t.properties[PROP_GO_VERSION], "1.21");
    let w = m["pkg:golang/example.com/wildcard-fork@v0.2.0"];
    assert_eq!(w.properties[PROP_REPLACES], "example.com/wildcard@*");
}

#[test]
fn scalibr_invalid_and_empty() {
    let inv = parse_modules_txt(
        "modules.txt",
        &fixture("scalibr-vendormodules/invalid/vendor/modules.txt"),
        None,
    )
    .expect("lenient like Go");
    let m = by_purl(&inv);
    // `no-version`, `badversion nope`, `local => ../local` (no packages) and the lines
    // before the first header are ignored; `replaced => not a local path` keeps the module.
    assert_eq!(
        m.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "pkg:golang/github.com/example/replaced@v1.0.0",
            "pkg:golang/github.com/example/unused@v1.2.3",
            "pkg:golang/github.com/example/v2@v1.0.0",
        ]
    );
    let inv = parse_modules_txt(
        "modules.txt",
        &fixture("scalibr-vendormodules/empty/vendor/modules.txt"),
        None,
    )
    .expect("empty");
    assert!(inv.is_empty());
}

#[test]
fn garbage_is_ignored_not_panicking() {
    for text in [
        "#",
        "# ",
        "## explicit",
        "# a v1 =>",
        "# a =>",
        "\u{0}\n# \u{0} v1\n",
        "# a v1 => b v2 c",
    ] {
        let _ = parse_modules_txt("m", text, Some(("go.mod", "module ")));
    }
}
