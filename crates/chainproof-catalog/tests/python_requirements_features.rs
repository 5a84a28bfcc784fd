//! Feature tests of the pip requirements cataloger: hashes, extras, markers, URLs,
//! includes, constraints, editables, runner integration and malformed input.

use chainproof_catalog::python::RequirementsCataloger;
use chainproof_catalog::{CatalogOptions, Cataloger, catalog, registry};
use chainproof_core::{HashAlgorithm, Inventory, Package};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::pkg;

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

#[test]
fn hashes_and_options() {
    let (r, _) = load("osv-scanner/pip", "pip");
    let inv = run(&r, "pip/with-per-requirement-options.txt");
    let boto = pkg(&inv, "pkg:pypi/boto3@1.26.121");
    assert_eq!(boto.hashes.len(), 1);
    assert_eq!(boto.hashes[0].algorithm, HashAlgorithm::Sha256);
    assert_eq!(
        boto.hashes[0].value,
        "f87d694c351eba1dfd19b5bef5892a1047e7adb09c57c2c00049de209a8ab55d"
    );
    // two hashes on continuation lines
    let foo = pkg(&inv, "pkg:pypi/fooproject@1.2");
    let values: Vec<&str> = foo.hashes.iter().map(|h| h.value.as_str()).collect();
    assert_eq!(
        values,
        vec![
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7"
        ]
    );
    assert_eq!(locs(foo), vec!["pip/with-per-requirement-options.txt:6"]);
    let bar = pkg(&inv, "pkg:pypi/barproject");
    assert_eq!(bar.properties["chainproof:python:requirement"], ">=1.2");

    let (r, _) = load("scalibr/requirements", "s");
    let inv = run(&r, "s/per_req_options.txt");
    let foo9 = pkg(&inv, "pkg:pypi/foo9@1.0");
    assert!(foo9.hashes.is_empty());
    assert_eq!(
        foo9.properties["chainproof:python:invalid-hash"],
        "sha256:123 sha256:456"
    );
    let foo5 = pkg(&inv, "pkg:pypi/foo5@1.0");
    assert_eq!(
        foo5.properties["chainproof:python:marker"],
        r#"python_version < "2.7""#
    );
    assert_eq!(
        pkg(&inv, "pkg:pypi/foo17-hash@1.0").name,
        "foo17--hash",
        "name kept as declared, purl normalized"
    );
    let lines: Vec<Option<u32>> = inv.unparsed().iter().map(|u| u.location.line).collect();
    assert_eq!(lines, vec![Some(13), Some(20), Some(30)]);
    assert!(
        inv.unparsed()[0]
            .error
            .contains("unexpected_text_before_options")
    );
}

#[test]
fn extras_markers_urls_and_locations() {
    let (r, _) = load("scalibr/requirements", "s");
    let inv = run(&r, "s/example.txt");
    let req = pkg(&inv, "pkg:pypi/requests");
    assert_eq!(req.properties["chainproof:python:extras"], "security");
    assert_eq!(
        req.properties["chainproof:python:marker"],
        r#"python_version < "2.7""#
    );
    assert_eq!(
        req.properties["chainproof:python:requirement"],
        ">=2.8.1,==2.8.*"
    );
    assert_eq!(locs(req), vec!["s/example.txt:9"]);
    let urllib3 = pkg(&inv, "pkg:pypi/urllib3");
    assert_eq!(
        urllib3.source.as_deref(),
        Some("https://github.com/urllib3/urllib3/archive/refs/tags/1.26.8.zip")
    );
    assert!(
        !urllib3
            .properties
            .contains_key("chainproof:python:requirement")
    );
    let numpy = pkg(&inv, "pkg:pypi/numpy@1.9.2");
    assert_eq!(
        numpy.source.as_deref(),
        Some("./downloads/numpy-1.9.2-cp34-none-win32.whl")
    );
    assert_eq!(locs(numpy), vec!["s/example.txt:25"]);
    // the included file's package carries the included file's location
    assert_eq!(
        locs(pkg(&inv, "pkg:pypi/pandas@2.2.3")),
        vec!["s/other-requirements.txt:1"]
    );
    let u = &inv.unparsed()[0];
    assert_eq!(u.location.to_string(), "s/example.txt:22");
    assert!(u.error.contains("constraints.txt"), "{}", u.error);

    let inv = run(&r, "s/extras.txt");
    let celery = pkg(&inv, "pkg:pypi/celery@4.4.7");
    assert_eq!(
        celery.properties["chainproof:python:extras"],
        "redis,pytest"
    );
    assert!(
        !celery
            .properties
            .contains_key("chainproof:python:requirement")
    );
}

#[test]
fn includes_resolve_relative_and_handle_cycles() {
    let r = MemoryResolver::new()
        .with_file(
            "app/requirements.txt",
            "-r reqs/base.txt\n--requirement=../shared/common.txt\nflask==2.0\n",
        )
        .with_file("app/reqs/base.txt", "-r ../requirements.txt\nclick==8.0\n")
        .with_file("shared/common.txt", "-rcommon.txt\nsix==1.16\n");
    let inv = run(&r, "app/requirements.txt");
    assert_eq!(
        summary(&inv),
        vec![
            ("click".to_string(), Some("8.0".to_string())),
            ("six".to_string(), Some("1.16".to_string())),
            ("flask".to_string(), Some("2.0".to_string())),
        ]
    );
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    assert_eq!(
        locs(pkg(&inv, "pkg:pypi/click@8.0")),
        vec!["app/reqs/base.txt:2"]
    );
    assert_eq!(
        locs(pkg(&inv, "pkg:pypi/six@1.16")),
        vec!["shared/common.txt:2"]
    );
}

#[test]
fn bad_includes_are_reported_not_fatal() {
    let r = MemoryResolver::new().with_file(
        "requirements.txt",
        "-r ../../etc/passwd\n-r https://example.com/r.txt\n-r missing.txt\n-r\nok==1\n--bogus-option\n",
    );
    let inv = run(&r, "requirements.txt");
    assert_eq!(
        summary(&inv),
        vec![("ok".to_string(), Some("1".to_string()))]
    );
    let errors: Vec<(Option<u32>, &str)> = inv
        .unparsed()
        .iter()
        .map(|u| (u.location.line, u.error.as_str()))
        .collect();
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(errors[0].1.contains("leaves the target"));
    assert!(errors[1].1.contains("remote include"));
    assert!(errors[2].1.contains("not found"));
    assert_eq!(errors[3].0, Some(4));
    assert!(errors[4].1.contains("unknown option `--bogus-option`"));
    assert!(
        inv.unparsed()
            .iter()
            .all(|u| u.cataloger == "python-requirements")
    );
}

#[test]
fn constraints_give_versions_but_add_no_packages() {
    let r = MemoryResolver::new()
        .with_file(
            "requirements.txt",
            "-c constraints.txt\nrequests>=2\nflask\nclick==7.0\n",
        )
        .with_file(
            "constraints.txt",
            "requests==2.31.0\nclick==8.0\nurllib3==2.0.0\n",
        );
    let inv = run(&r, "requirements.txt");
    assert_eq!(
        summary(&inv),
        vec![
            ("requests".to_string(), Some("2.31.0".to_string())),
            ("flask".to_string(), None),
            ("click".to_string(), Some("7.0".to_string())),
        ]
    );
    let req = pkg(&inv, "pkg:pypi/requests@2.31.0");
    assert_eq!(
        req.properties["chainproof:python:constraint"],
        "constraints.txt:1"
    );
    assert_eq!(req.properties["chainproof:python:requirement"], ">=2");
    assert_eq!(locs(req), vec!["requirements.txt:2", "constraints.txt:1"]);
}

#[test]
fn editables_vcs_and_paths() {
    let r = MemoryResolver::new().with_file(
        "proj/requirements.txt",
        "-i https://pypi.example/simple\n--extra-index-url https://x\n-f ./wheels\n\
         -e git+https://github.com/org/tool.git@v1.2#egg=Tool_X\n\
         -e .\n\
         git+https://github.com/org/other.git@abc123\n\
         ./libs/mylib ; python_version > '3'\n\
         pkg @ https://files.example/pkg-2.0-py3-none-any.whl\n\
         --editable=./plugins/plug\n",
    );
    let inv = run(&r, "proj/requirements.txt");
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    let tool = pkg(&inv, "pkg:pypi/tool-x");
    assert_eq!(tool.name, "Tool_X");
    assert_eq!(
        tool.source.as_deref(),
        Some("git+https://github.com/org/tool.git@v1.2#egg=Tool_X")
    );
    assert_eq!(tool.properties["chainproof:python:editable"], "true");
    assert_eq!(locs(tool), vec!["proj/requirements.txt:4"]);

    let names: Vec<(&str, Option<&str>, bool)> = inv
        .packages()
        .map(|(_, p)| {
            (
                p.name.as_str(),
                p.source.as_deref(),
                p.properties.contains_key("chainproof:python:name-guessed"),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            (
                "Tool_X",
                Some("git+https://github.com/org/tool.git@v1.2#egg=Tool_X"),
                false
            ),
            ("proj", Some("."), true),
            (
                "other",
                Some("git+https://github.com/org/other.git@abc123"),
                true
            ),
            ("mylib", Some("./libs/mylib"), true),
            (
                "pkg",
                Some("https://files.example/pkg-2.0-py3-none-any.whl"),
                false
            ),
            ("plug", Some("./plugins/plug"), true),
        ]
    );
    // guessed names get no purl; a wheel URL gives the version
    assert!(inv.packages().filter(|(_, p)| p.purl.is_none()).count() == 4);
    assert_eq!(
        pkg(&inv, "pkg:pypi/pkg@2.0").version.as_deref(),
        Some("2.0")
    );
    let mylib = inv
        .packages()
        .find(|(_, p)| p.name == "mylib")
        .map(|(_, p)| p)
        .expect("mylib");
    assert_eq!(
        mylib.properties["chainproof:python:marker"],
        "python_version > '3'"
    );
}

#[test]
fn runner_matches_and_reports_include_errors_once() {
    let r = MemoryResolver::new()
        .with_file("requirements.txt", "-r requirements-dev.txt\nflask==2.0\n")
        .with_file("requirements-dev.txt", "pytest==8.0\nnot a requirement\n")
        .with_file("requirements/base.txt", "six==1.0\n")
        .with_file("requirements.in", "flask\n")
        .with_file("notes.txt", "garbage ==\n");
    let c = RequirementsCataloger;
    assert!(c.matches("requirements.txt"));
    assert!(c.matches("requirements/base.txt"));
    assert!(!c.matches("requirements.in"));
    assert!(!c.matches("notes.txt"));
    let inv = catalog(&r, &registry::all(), &CatalogOptions::default());
    let mut got: Vec<String> = inv
        .packages()
        .filter_map(|(_, p)| p.purl.as_ref().map(ToString::to_string))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            "pkg:pypi/flask@2.0",
            "pkg:pypi/pytest@8.0",
            "pkg:pypi/six@1.0"
        ]
    );
    assert_eq!(inv.unparsed().len(), 1, "{:?}", inv.unparsed());
    assert_eq!(
        inv.unparsed()[0].location.to_string(),
        "requirements-dev.txt:2"
    );
}

#[test]
fn non_utf8_is_an_error_not_a_panic() {
    let r = MemoryResolver::new().with_file("requirements.txt", vec![0xff, 0xfe, b'a']);
    let err = RequirementsCataloger
        .catalog(&r, "requirements.txt")
        .expect_err("not UTF-8");
    assert_eq!(err.path, "requirements.txt");
    // arbitrary junk never panics
    for junk in [
        "\\",
        "-",
        "-e",
        "[",
        "a[",
        "a @",
        "a;",
        "#",
        "-r\\\n",
        "x==1 --hash",
        "--hash=sha256:00",
    ] {
        let r = MemoryResolver::new().with_file("requirements.txt", junk);
        RequirementsCataloger
            .catalog(&r, "requirements.txt")
            .expect("line errors are not fatal");
    }
}
