//! Golden tests of the pip requirements cataloger on every osv-scanner and scalibr fixture,
//! checking names, versions, line counts of problems, and the absence of edges and roots.

use chainproof_catalog::python::RequirementsCataloger;
use chainproof_core::{Inventory, Package};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;

mod common;

/// Every file of `tests/fixtures/python/<dir>`, under `prefix/` in a memory resolver.
fn load(dir: &str, prefix: &str) -> (MemoryResolver, Vec<String>) {
    common::load_dir(&format!("python/{dir}"), prefix)
}

fn run(r: &MemoryResolver, path: &str) -> Inventory {
    common::run(&RequirementsCataloger, r, path)
}

fn summary(inv: &Inventory) -> Vec<(String, Option<String>)> {
    kit::inv::name_versions(inv)
}

fn locs(p: &Package) -> Vec<String> {
    p.locations.iter().map(ToString::to_string).collect()
}

type Golden = (
    &'static str,
    &'static [(&'static str, Option<&'static str>)],
    usize,
);

fn check_golden(dir: &str, golden: &[Golden]) {
    let (r, names) = load(dir, "d");
    let mut covered: Vec<String> = golden.iter().map(|g| g.0.to_string()).collect();
    covered.sort();
    assert_eq!(covered, names, "every fixture in {dir} has a golden entry");
    for (file, want, unparsed) in golden {
        let inv = run(&r, &format!("d/{file}"));
        let want: Vec<(String, Option<String>)> = want
            .iter()
            .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
            .collect();
        assert_eq!(summary(&inv), want, "{file}");
        assert_eq!(
            inv.unparsed().len(),
            *unparsed,
            "{file}: {:?}",
            inv.unparsed()
        );
        assert_eq!(inv.edges().count(), 0, "{file}: requirements have no edges");
        assert_eq!(inv.roots().count(), 0, "{file}: requirements have no roots");
        for (_, p) in inv.packages() {
            // every package has a `file:line` location, and a purl of its normalized name
            assert!(
                locs(p)
                    .iter()
                    .all(|l| l.starts_with("d/") && l.contains(".txt:")),
                "{file}: {:?}",
                p.locations
            );
            let purl = p.purl.as_ref().map(ToString::to_string).unwrap_or_default();
            let norm = p
                .name
                .to_ascii_lowercase()
                .replace(['_', '.'], "-")
                .replace("--", "-");
            let want = match &p.version {
                Some(v) => format!("pkg:pypi/{norm}@{}", v.replace('+', "%2B")),
                None => format!("pkg:pypi/{norm}"),
            };
            if !p.name.contains("-._") {
                assert_eq!(purl, want, "{file}");
            }
        }
    }
}

const MIXED: &[(&str, Option<&str>)] = &[
    ("flask", None),
    ("flask-cors", None),
    ("pandas", Some("0.23.4")),
    ("numpy", Some("1.16.0")),
    ("scikit-learn", Some("0.20.1")),
    ("sklearn", None),
    ("requests", None),
    ("gevent", None),
];

#[test]
fn golden_osv_scanner_pip() {
    check_golden(
        "osv-scanner/pip",
        &[
            (
                "cyclic-r-complex-1.txt",
                &[("cyclic-r-complex", Some("1"))],
                1,
            ),
            (
                "cyclic-r-self.txt",
                &[("requests", Some("1.2.3")), ("pandas", Some("0.23.4"))],
                0,
            ),
            ("duplicate-r-base.txt", &[("django", Some("0.1.0"))], 0),
            (
                "duplicate-r-dev.txt",
                &[
                    ("django", Some("0.1.0")),
                    ("requests", Some("1.2.3")),
                    ("unittest", Some("1.0.0")),
                    ("pandas", Some("0.23.4")),
                ],
                0,
            ),
            (
                "duplicate-r-test.txt",
                &[
                    ("django", Some("0.1.0")),
                    ("requests", Some("1.2.3")),
                    ("unittest", Some("1.0.0")),
                ],
                0,
            ),
            ("empty.txt", &[], 0),
            (
                "file-format-example.txt",
                &[
                    ("pytest", None),
                    ("pytest-cov", None),
                    ("beautifulsoup4", None),
                    ("docopt", Some("0.6.1")),
                    ("keyring", None),
                    ("coverage", None),
                    ("Mopidy-Dirble", None),
                    ("django", Some("2.2.24")),
                    ("numpy", Some("1.9.2")),
                    ("wxPython_Phoenix", Some("3.0.3.dev1820+49a8884")),
                    ("rejected", None),
                    ("green", None),
                ],
                0,
            ),
            (
                "line-continuation.txt",
                &[
                    ("foo", Some("1.2.3")),
                    // pip strips every trailing backslash and joins: `4.5\\` + `.6`
                    // (osv-scanner reports `4.5\\` instead).
                    ("bar", Some("4.5.6")),
                    ("baz", Some("7.8.9")),
                    ("qux", Some("10.11.12")),
                ],
                0,
            ),
            (
                "multiple-packages-constrained.txt",
                &[
                    ("astroid", Some("2.5.1")),
                    ("beautifulsoup4", Some("4.9.3")),
                    ("boto3", Some("1.17.19")),
                    ("botocore", Some("1.20.19")),
                    ("certifi", Some("2020.12.5")),
                    ("chardet", Some("4.0.0")),
                    ("circus", Some("0.17.1")),
                    ("click", Some("7.1.2")),
                    ("django-debug-toolbar", Some("3.2.1")),
                    ("django-filter", Some("2.4.0")),
                    ("django-nose", Some("1.4.7")),
                    ("django-storages", Some("1.11.1")),
                    ("django", Some("2.2.24")),
                ],
                0,
            ),
            ("multiple-packages-mixed.txt", MIXED, 0),
            (
                "one-package-constrained.txt",
                &[("django", Some("2.2.24"))],
                0,
            ),
            ("one-package-unconstrained.txt", &[("flask", None)], 0),
            ("other-file.txt", &[("django", Some("2.2.24"))], 0),
            ("with-added-support.txt", &[("twisted", Some("20.3.0"))], 0),
            ("with-bad-r-option.txt", &[("requests", Some("1.2.3"))], 1),
            (
                "with-multiple-r-options.txt",
                &[
                    ("django", Some("2.2.24")),
                    ("flask", None),
                    ("flask-cors", None),
                    ("pandas", Some("0.23.4")),
                    ("numpy", Some("1.16.0")),
                    ("scikit-learn", Some("0.20.1")),
                    ("sklearn", None),
                    ("requests", None),
                    ("gevent", None),
                    ("requests", Some("1.2.3")),
                ],
                0,
            ),
            (
                "with-per-requirement-options.txt",
                &[
                    ("boto3", Some("1.26.121")),
                    ("foo", Some("1.0.0")),
                    ("FooProject", Some("1.2")),
                    ("BarProject", None),
                ],
                0,
            ),
        ],
    );
}

#[test]
fn golden_scalibr_requirements() {
    check_golden(
        "scalibr/requirements",
        &[
            (
                "comments.txt",
                &[
                    ("PyCrypto", Some("1.2-alpha")),
                    ("GMPY2", Some("1")),
                    ("SymPy", Some("1.2")),
                    ("requests", Some("1.0")),
                    ("six", Some("1.2")),
                ],
                0,
            ),
            (
                "example.txt",
                &[
                    ("pytest", None),
                    ("pytest-cov", None),
                    ("beautifulsoup4", None),
                    ("docopt", Some("0.6.1")),
                    ("requests", None),
                    ("urllib3", None),
                    ("keyring", None),
                    ("coverage", None),
                    ("Mopidy-Dirble", None),
                    ("pandas", Some("2.2.3")),
                    ("numpy", Some("1.9.2")),
                    ("wxPython_Phoenix", Some("3.0.3.dev1820+49a8884")),
                ],
                1, // -c constraints.txt is not in the fixture set
            ),
            (
                "extras.txt",
                &[("pyjwt", Some("2.1.0")), ("celery", Some("4.4.7"))],
                0,
            ),
            ("invalid.txt", &[("urllib3", None)], 3),
            (
                "no_version.txt",
                &[("PyCrypto", None), ("GMPY2", None), ("SymPy", None)],
                0,
            ),
            ("other-requirements.txt", &[("pandas", Some("2.2.3"))], 0),
            (
                "per_req_options.txt",
                &[
                    ("foo1", Some("1.0")),
                    ("foo2", Some("1.0")),
                    ("foo3", Some("1.0")),
                    ("foo4", Some("1.0")),
                    ("foo5", Some("1.0")),
                    ("foo6", Some("1.0")),
                    ("foo8", Some("1.0")),
                    ("foo9", Some("1.0")),
                    ("foo11", Some("1.0")),
                    ("foo12", Some("1.0")),
                    ("foo13", Some("1.0")),
                    ("foo14", Some("1.0")),
                    ("foo16-Client", Some("1.0")),
                    ("foo17--hash", Some("1.0")),
                    ("foo18-Client", Some("1.0")),
                ],
                3, // foo7 (text before options), foo10 and foo15 (`==` without version)
            ),
            ("trailing_backslash.txt", &[("pkg1", Some("1.0"))], 0),
            (
                "with_versions.txt",
                &[
                    ("nltk", Some("3.2.2")),
                    ("tabulate", Some("0.7.7")),
                    ("newspaper3k", None),
                    ("asdf", None),
                    ("qwerty", Some("0.1")),
                    ("hy-phen", Some("1.2")),
                    ("under_score", Some("1.3")),
                    ("pkg.dot.name", Some("5.0.0")),
                    ("combination-._-.also_-._valid", None),
                    ("yolo", Some("1.0")),
                    ("pkg", None),
                ],
                0,
            ),
        ],
    );
}
