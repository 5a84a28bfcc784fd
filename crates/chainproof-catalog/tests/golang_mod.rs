//! Golden tests for the `go-mod` cataloger on every go.mod of the corpus (copied under
//! `tests/fixtures/golang/`, see SOURCES.md there), plus prometheus' go.mod and go.sum when
//! the shared corpus is present.

use std::collections::BTreeSet;
use std::path::Path;

use chainproof_catalog::golang::{
    GoModCataloger, PROP_EXCLUDED, PROP_GO_VERSION, PROP_H1, PROP_INDIRECT, PROP_REPLACES,
    PROP_TOOLCHAIN, golang_purl, parse_go_mod,
};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog};
use chainproof_core::{Inventory, Package, PackageKind};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::{lines, pkg, set};

fn fixture(rel: &str) -> String {
    kit::fixtures!("golang").text(rel)
}

/// Parses a fixture found under both corpus sources (osv-scanner v1 and scalibr copies are
/// identical) and checks both give the same result.
fn both(name: &str) -> Inventory {
    let a =
        parse_go_mod("go.mod", &fixture(&format!("osv-scanner-v1/{name}")), None).expect("parses");
    let b = parse_go_mod("go.mod", &fixture(&format!("scalibr/{name}")), None).expect("parses");
    assert_eq!(summary(&a), summary(&b), "{name}");
    a
}

type Summary = BTreeSet<(String, Vec<u32>, Option<String>, Vec<(String, String)>)>;

/// Every package: purl, lines, source, properties.
fn summary(inv: &Inventory) -> Summary {
    inv.packages()
        .map(|(_, p)| {
            (
                purl(p),
                lines(p),
                p.source.clone(),
                p.properties.clone().into_iter().collect(),
            )
        })
        .collect()
}

fn purl(p: &Package) -> String {
    p.purl.as_ref().expect("go packages have purls").to_string()
}

fn purls(inv: &Inventory) -> BTreeSet<String> {
    kit::inv::keys(inv, purl)
}

/// The root and the purls it has edges to.
fn root_deps(inv: &Inventory) -> (String, BTreeSet<String>) {
    kit::inv::root_deps(inv, purl)
}

const TOML: &str = "pkg:golang/github.com/BurntSushi/toml@v1.0.0";
const YAML: &str = "pkg:golang/gopkg.in/yaml.v2@v2.4.0";

#[test]
fn one_and_two_packages() {
    let inv = both("one-package.mod");
    assert_eq!(purls(&inv), set(&["pkg:golang/my-library", TOML]));
    let (root, deps) = root_deps(&inv);
    assert_eq!(root, "pkg:golang/my-library");
    assert_eq!(deps, set(&[TOML]));
    let r = pkg(&inv, "pkg:golang/my-library");
    assert_eq!(
        (r.kind, r.version.as_deref(), lines(r)),
        (PackageKind::Project, None, vec![1])
    );
    let t = pkg(&inv, TOML);
    assert_eq!(
        t.purl.as_ref().and_then(|p| p.namespace()),
        Some("github.com/BurntSushi")
    );
    assert_eq!(t.purl.as_ref().map(|p| p.name()), Some("toml"));
    assert_eq!(lines(t), vec![4]);
    assert!(t.properties.is_empty());

    let inv = both("two-packages.mod");
    let stdlib = "pkg:golang/stdlib@1.17";
    assert_eq!(
        purls(&inv),
        set(&["pkg:golang/my-library", stdlib, TOML, YAML])
    );
    assert_eq!(root_deps(&inv).1, set(&[stdlib, TOML, YAML]));
    assert_eq!(
        pkg(&inv, "pkg:golang/my-library")
            .properties
            .get(PROP_GO_VERSION)
            .map(String::as_str),
        Some("1.17")
    );
    assert_eq!(lines(pkg(&inv, stdlib)), vec![3]);
    assert_eq!(lines(pkg(&inv, YAML)), vec![7]);
}

#[test]
fn indirect_requirements() {
    let inv = both("indirect-packages.mod");
    let indirect = [
        "pkg:golang/github.com/mattn/go-colorable@v0.1.9",
        "pkg:golang/github.com/mattn/go-isatty@v0.0.14",
        "pkg:golang/golang.org/x/sys@v0.0.0-20210630005230-0f9fa26af87c",
    ];
    let mut all = vec!["pkg:golang/stdlib@1.17", TOML, YAML];
    all.extend(indirect);
    assert_eq!(root_deps(&inv).1, set(&all));
    for p in indirect {
        assert_eq!(
            pkg(&inv, p)
                .properties
                .get(PROP_INDIRECT)
                .map(String::as_str),
            Some("true")
        );
    }
    for p in [TOML, YAML] {
        assert_eq!(pkg(&inv, p).properties.get(PROP_INDIRECT), None);
    }
    assert_eq!(lines(pkg(&inv, indirect[2])), vec![13]);
}

#[test]
fn replacements() {
    let net = |v: &str| format!("golang.org/x/net@{v}");
    // both requirements of x/net replaced, per version
    let inv = both("replace-different.mod");
    assert_eq!(
        summary(&inv),
        [
            (
                "pkg:golang/example.com/fork/foe@v1.4.5",
                vec![2, 7],
                net("v1.2.3")
            ),
            (
                "pkg:golang/example.com/fork/foe@v1.4.2",
                vec![3, 8],
                net("v0.5.6")
            ),
        ]
        .into_iter()
        .map(|(p, l, o)| (p.to_string(), l, None, vec![(PROP_REPLACES.to_string(), o)]))
        .collect::<Summary>()
    );
    assert_eq!(inv.roots().count(), 0, "no module line, no root");

    // a directory replacement keeps the module path, drops the version, records the dir
    let inv = both("replace-local.mod");
    assert_eq!(purls(&inv), set(&["pkg:golang/golang.org/x/net", TOML]));
    let local = pkg(&inv, "pkg:golang/golang.org/x/net");
    assert_eq!(local.version, None);
    assert_eq!(local.source.as_deref(), Some("./fork/net"));
    assert_eq!(local.properties.get(PROP_REPLACES), Some(&net("v1.2.3")));
    assert_eq!(lines(local), vec![2, 7]);

    // only the v1.2.3 requirement is replaced
    let inv = both("replace-mixed.mod");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:golang/example.com/fork/net@v1.4.5",
            "pkg:golang/golang.org/x/net@v0.5.6"
        ])
    );

    // a versionless replace applies to every version: both become one module
    let inv = both("replace-no-version.mod");
    assert_eq!(
        purls(&inv),
        set(&["pkg:golang/example.com/fork/net@v1.4.5"])
    );
    let p = pkg(&inv, "pkg:golang/example.com/fork/net@v1.4.5");
    assert_eq!(
        p.properties.get(PROP_REPLACES).map(String::as_str),
        Some("golang.org/x/net@v1.2.3, golang.org/x/net@v0.5.6")
    );
    assert_eq!(lines(p), vec![2, 7, 3]);
}

#[test]
fn toolchain_gives_the_stdlib_version() {
    let src = fixture("scalibr/toolchain-with-suffix.mod");
    let inv = parse_go_mod("go.mod", &src, None).expect("parses");
    let root = pkg(&inv, "pkg:golang/my-library");
    assert_eq!(
        root.properties.get(PROP_GO_VERSION).map(String::as_str),
        Some("1.23.5")
    );
    assert_eq!(
        root.properties.get(PROP_TOOLCHAIN).map(String::as_str),
        Some("go1.23.6-xyz")
    );
    assert_eq!(root_deps(&inv).1, set(&["pkg:golang/stdlib@1.23.6", TOML]));
    assert_eq!(lines(pkg(&inv, "pkg:golang/stdlib@1.23.6")), vec![5]);
}

#[test]
fn go_sum_h1_lines_are_attached() {
    let r = MemoryResolver::new()
        .with_file("svc/go.mod", fixture("scalibr/indirect-1.16.mod"))
        .with_file("svc/go.sum", fixture("scalibr/indirect-1.16.sum"))
        .with_file("bad/go.mod", fixture("scalibr/one-package.mod"))
        .with_file("bad/go.sum", fixture("scalibr/indirect-1.23.sum"));
    let inv = GoModCataloger.catalog(&r, "svc/go.mod").expect("parses");
    let logrus = pkg(&inv, "pkg:golang/github.com/sirupsen/logrus@v1.9.3");
    assert_eq!(
        logrus.properties.get(PROP_H1).map(String::as_str),
        Some("h1:dueUQJ1C2q9oE3F7wvmSGAaVtTmUizReu6fjN8uqzbQ=")
    );
    assert_eq!(logrus.locations[0].to_string(), "svc/go.mod:5");
    assert!(logrus.hashes.is_empty(), "h1 is not an artifact digest");
    // a go.sum that is not one is ignored, not fatal
    let inv = GoModCataloger.catalog(&r, "bad/go.mod").expect("parses");
    assert_eq!(purls(&inv), set(&["pkg:golang/my-library", TOML]));
    assert!(!pkg(&inv, TOML).properties.contains_key(PROP_H1));
}

#[test]
fn syntax_corners() {
    let src = r#"// leading comment
module "example.com/quoted//path/v2" // deprecated comment

go 1.22.1
godebug default=go1.21
tool example.com/tool/cmd

require (
	"example.com/a" v1.0.0 // indirect; used by tests
	`example.com/b` v1.1.0 //indirect
	example.com/c v1.2.0 // not indirect
	example.com/gone v0.1.0
)
require example.com/single v0.0.1

exclude example.com/gone v0.1.0
exclude (
	example.com/never v9.9.9
)
replace example.com/c v1.2.0 => C:\src\c
retract [v2.0.0, v2.0.5] // bad release
retract v2.1.0
"#;
    let inv = parse_go_mod("m/go.mod", src, None).expect("parses");
    let (root, deps) = root_deps(&inv);
    assert_eq!(root, "pkg:golang/example.com/quoted/path/v2");
    let root_pkg = pkg(&inv, &root);
    assert_eq!(root_pkg.name, "example.com/quoted//path/v2");
    assert_eq!(
        root_pkg.properties.get(PROP_EXCLUDED).map(String::as_str),
        Some("example.com/gone@v0.1.0, example.com/never@v9.9.9")
    );
    assert_eq!(
        deps,
        set(&[
            "pkg:golang/stdlib@1.22.1",
            "pkg:golang/example.com/a@v1.0.0",
            "pkg:golang/example.com/b@v1.1.0",
            "pkg:golang/example.com/c",
            "pkg:golang/example.com/single@v0.0.1",
        ])
    );
    let ind = |p: &str| pkg(&inv, p).properties.get(PROP_INDIRECT).cloned();
    assert_eq!(
        ind("pkg:golang/example.com/a@v1.0.0").as_deref(),
        Some("true")
    );
    assert_eq!(
        ind("pkg:golang/example.com/b@v1.1.0").as_deref(),
        Some("true")
    );
    assert_eq!(ind("pkg:golang/example.com/c"), None);
    assert_eq!(
        pkg(&inv, "pkg:golang/example.com/c").source.as_deref(),
        Some(r"C:\src\c")
    );
    assert_eq!(
        lines(pkg(&inv, "pkg:golang/example.com/single@v0.0.1")),
        vec![14]
    );
}

#[test]
fn malformed_input_is_an_error_with_a_line() {
    let cases: &[(&str, u32, &str)] = &[
        ("this is not a go.mod file!\n", 1, "unknown directive: this"),
        ("module a\nrequire example.com/x\n", 2, "require"),
        ("module a\n\nrequire (\n\tx v1\n", 3, "unterminated"),
        ("module a\nmodule b\n", 2, "repeated"),
        ("module a\nreplace x => y\n", 2, "replace"),
        ("module a\nreplace x v1 v2 => y v3\n", 2, "replace"),
        ("module a\nreplace x => ./y extra\n", 2, "replace"),
        ("module \"unterminated\n", 1, "unterminated"),
        ("module a\ngo\n", 2, "go"),
        ("module a\nrequire x v1 (\n)\n", 2, "("),
        ("module /\n", 1, "module path"),
        ("require / v1\n", 1, "module path"),
    ];
    for (src, line, text) in cases {
        let e = parse_go_mod("go.mod", src, None).expect_err(src);
        assert_eq!(
            (e.path.as_str(), e.line),
            ("go.mod", Some(*line)),
            "{src:?}: {e}"
        );
        assert!(e.to_string().contains(text), "{src:?}: {e}");
    }
    for name in ["osv-scanner-v1/not-go-mod.txt", "scalibr/not-go-mod.mod"] {
        let e = parse_go_mod("go.mod", &fixture(name), None).expect_err(name);
        assert_eq!(e.line, Some(1));
    }
    // an empty go.mod names nothing; it is not an error
    let inv = parse_go_mod("go.mod", &fixture("scalibr/empty.mod"), None).expect("empty");
    assert!(inv.is_empty());
}

#[test]
fn cataloger_and_runner() {
    let c = GoModCataloger;
    assert_eq!(c.name(), "go-mod");
    assert!(c.matches("go.mod") && c.matches("a/go.mod"));
    assert!(!c.matches("go.sum") && !c.matches("ago.mod") && !c.matches("x.mod"));
    let r = MemoryResolver::new()
        .with_file("ok/go.mod", fixture("scalibr/two-packages.mod"))
        .with_file("bad/go.mod", fixture("scalibr/not-go-mod.mod"));
    let inv = catalog(&r, &[Box::new(GoModCataloger)], &CatalogOptions::default());
    assert_eq!(inv.len(), 4);
    let bad: Vec<_> = inv
        .unparsed()
        .iter()
        .map(|u| u.location.to_string())
        .collect();
    assert_eq!(bad, vec!["bad/go.mod:1"]);
}

#[test]
fn realworld_prometheus() {
    let Some(gomod) = kit::corpus::read_to_string("realworld/prometheus/go.mod") else {
        return;
    };
    let dir = kit::corpus::location();
    let gosum = std::fs::read_to_string(dir.join("realworld/prometheus/go.sum")).expect("go.sum");

    // Independent line scan: require lines, indirect ones, exclusions.
    let (mut requires, mut indirect, mut excluded) = (Vec::new(), 0, Vec::new());
    let mut replaced: Vec<(String, String, String)> = Vec::new();
    let mut block: Option<&str> = None;
    for line in gomod.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        if t == ")" {
            block = None;
            continue;
        }
        if let Some(verb) = t.strip_suffix(" (") {
            block = Some(verb);
            continue;
        }
        let (verb, rest) = match block {
            Some(v) => (v, t),
            None => t.split_once(' ').unwrap_or((t, "")),
        };
        let fields: Vec<&str> = rest.split_whitespace().take(2).collect();
        match verb {
            "require" => {
                requires.push((fields[0].to_string(), fields[1].to_string()));
                if t.ends_with("// indirect") {
                    indirect += 1;
                }
            }
            "exclude" => excluded.push((fields[0].to_string(), fields[1].to_string())),
            "replace" => {
                // the only form prometheus uses: `old => new version`
                let f: Vec<&str> = rest.split_whitespace().collect();
                assert_eq!((f.len(), f[1]), (4, "=>"), "unexpected replace form: {t}");
                replaced.push((f[0].to_string(), f[2].to_string(), f[3].to_string()));
            }
            _ => {}
        }
    }
    let kept: Vec<(String, String)> = requires
        .iter()
        .filter(|r| !excluded.contains(r))
        .map(
            |(m, v)| match replaced.iter().find(|(old, _, _)| old == m) {
                Some((_, new, nv)) => (new.clone(), nv.clone()),
                None => (m.clone(), v.clone()),
            },
        )
        .collect();
    let replaced_requires = requires
        .iter()
        .filter(|(m, _)| replaced.iter().any(|(old, _, _)| old == m))
        .count();
    let in_sum = kept
        .iter()
        .filter(|(m, v)| {
            gosum.lines().any(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                f.len() == 3 && f[0] == m && f[1] == v && f[2].starts_with("h1:")
            })
        })
        .count();

    let r = MemoryResolver::new()
        .with_file("go.mod", gomod.clone())
        .with_file("go.sum", gosum);
    let inv = GoModCataloger
        .catalog(&r, "go.mod")
        .expect("prometheus go.mod parses");
    eprintln!(
        "prometheus go.mod: {} require lines ({} indirect, {} excluded), {} packages, {} with h1",
        requires.len(),
        indirect,
        requires.len() - kept.len(),
        inv.len(),
        inv.packages()
            .filter(|(_, p)| p.properties.contains_key(PROP_H1))
            .count()
    );
    // root + stdlib + one per kept requirement
    assert_eq!(inv.len(), kept.len() + 2);
    let (root, deps) = root_deps(&inv);
    assert_eq!(root, "pkg:golang/github.com/prometheus/prometheus");
    assert_eq!(deps.len(), kept.len() + 1);
    assert!(deps.contains("pkg:golang/stdlib@1.25.10"));
    let marked = inv
        .packages()
        .filter(|(_, p)| p.properties.contains_key(PROP_INDIRECT))
        .count();
    assert_eq!(marked, indirect);
    let hashed = inv
        .packages()
        .filter(|(_, p)| p.properties.contains_key(PROP_H1))
        .count();
    assert_eq!(hashed, in_sum);
    for (m, v) in &kept {
        let p = pkg(&inv, &golang_purl(m, Some(v)).expect("purl").to_string());
        let line = lines(p)[0] as usize;
        let text = gomod.lines().nth(line - 1).unwrap_or("");
        assert!(
            text.trim_start().starts_with(m.as_str()),
            "{m} at line {line}"
        );
    }
    let with_replaces = inv
        .packages()
        .filter(|(_, p)| p.properties.contains_key(PROP_REPLACES))
        .count();
    assert_eq!(with_replaces, replaced_requires);
}

#[test]
fn every_prefix_of_every_fixture_parses_or_fails_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golang/scalibr");
    let sum = fixture("scalibr/indirect-1.16.sum");
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("fixture");
        for (i, _) in text.char_indices() {
            if let Err(e) = parse_go_mod("go.mod", &text[..i], Some(&sum[..i.min(sum.len())])) {
                assert!(e.line.is_some(), "{}[..{i}]: {e}", path.display());
            }
        }
    }
}
