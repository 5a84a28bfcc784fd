//! The `go-sum` cataloger: osv-scanner's `call-analysis-go-project/go.sum` and the go.sum
//! of the Go binary fixtures (`tests/fixtures/gobin/src/hello/go.sum`, written by `go mod
//! tidy`), checked against counts taken independently from the text; plus the sibling
//! go.mod rule and malformed lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chainproof_catalog::Cataloger;
use chainproof_catalog::golang::PROP_H1;
use chainproof_catalog::golang::gosum::{GoSumCataloger, PROP_H1_GO_MOD, parse_go_sum_file};
use chainproof_source::MemoryResolver;

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read_to_string(p).expect("fixture exists")
}

#[test]
fn osv_scanner_go_sum() {
    let text = fixture("golang-extra/osv-scanner/go.sum");
    let inv = parse_go_sum_file("go.sum", &text).expect("parses");
    // Independently: module → versions with a full line / with a go.mod line.
    let mut full: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut gomod: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        match f[1].strip_suffix("/go.mod") {
            Some(v) => gomod.entry(f[0]).or_default().insert(v),
            None => full.entry(f[0]).or_default().insert(f[1]),
        };
    }
    let expected_full: usize = full.values().map(BTreeSet::len).sum();
    let expected_gomod_only: usize = gomod
        .iter()
        .filter(|(m, _)| !full.contains_key(*m))
        .map(|(_, v)| v.len())
        .sum();
    assert_eq!(expected_full, 3); // gogo/protobuf, go-bitfield, x/image
    assert_eq!(inv.len(), expected_full + expected_gomod_only);
    assert!(inv.roots().next().is_none());
    assert_eq!(inv.edges().len(), 0);

    let by_purl: BTreeMap<String, _> = inv
        .packages()
        .map(|(_, p)| (p.purl.as_ref().expect("purl").to_string(), p))
        .collect();
    let p = &by_purl["pkg:golang/github.com/gogo/protobuf@v1.3.1"];
    assert_eq!(
        p.properties[PROP_H1],
        "h1:DqDEcV5aeaTmdFBePNpYsp3FlcVH/2ISVVM9Qf8PSls="
    );
    assert_eq!(p.locations[0].line, Some(1));
    // x/image v0.4.0 has a full line: its go.mod line adds nothing.
    assert!(
        !by_purl["pkg:golang/golang.org/x/image@v0.4.0"]
            .properties
            .contains_key(PROP_H1_GO_MOD)
    );
    // Only go.mod lines: listed with the go.mod hash.
    let e = &by_purl["pkg:golang/github.com/kisielk/errcheck@v1.2.0"];
    assert_eq!(
        e.properties[PROP_H1_GO_MOD],
        "h1:/BMXB+zMLi60iA8Vv6Ksmxu/1UDYcXs4uQLJ+jE2L00="
    );
    assert!(!e.properties.contains_key(PROP_H1));
    // Every x/sys version is go.mod-only (5 of them).
    assert_eq!(by_purl.keys().filter(|k| k.contains("x/sys@")).count(), 5);
}

#[test]
fn skips_go_mod_only_versions_of_modules_with_full_entries() {
    let text =
        "a.com/m v1.0.0/go.mod h1:old=\na.com/m v1.1.0 h1:new=\na.com/m v1.1.0/go.mod h1:newmod=\n";
    let inv = parse_go_sum_file("go.sum", text).expect("parses");
    let purls: Vec<String> = inv
        .packages()
        .map(|(_, p)| p.purl.as_ref().expect("purl").to_string())
        .collect();
    assert_eq!(purls, ["pkg:golang/a.com/m@v1.1.0"]);
    assert_eq!(
        inv.packages().next().expect("one").1.locations[0].line,
        Some(2)
    );
}

#[test]
fn generated_go_sum_and_sibling_rule() {
    let text = fixture("gobin/src/hello/go.sum");
    let r = MemoryResolver::new()
        .with_file("alone/go.sum", text.clone())
        .with_file("mod/go.sum", text)
        .with_file("mod/go.mod", "module x\n");
    let c = GoSumCataloger;
    assert!(c.matches("a/b/go.sum") && !c.matches("go.sum.bak"));
    let inv = c.catalog(&r, "alone/go.sum").expect("parses");
    assert_eq!(inv.len(), 1);
    let (_, p) = inv.packages().next().expect("greet");
    assert_eq!(p.name, "example.com/greet");
    assert_eq!(
        p.properties[PROP_H1],
        "h1:UJCmaMQHj8SKcaI65WhbmcSgo9Lm8yhIxGf+Vj82Ms4="
    );
    // With a go.mod beside it, the go-mod cataloger owns it.
    assert!(c.catalog(&r, "mod/go.sum").expect("ok").is_empty());
}

#[test]
fn malformed_lines_name_the_line() {
    let e = parse_go_sum_file("go.sum", "a.com/m v1.0.0 h1:x=\n\nbroken line\n").expect_err("bad");
    assert_eq!((e.path.as_str(), e.line), ("go.sum", Some(3)));
    let e = parse_go_sum_file("go.sum", "a v1 h1:x extra\n").expect_err("bad");
    assert_eq!(e.line, Some(1));
    assert!(parse_go_sum_file("go.sum", "").expect("empty").is_empty());
}
