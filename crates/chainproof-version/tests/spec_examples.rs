//! Examples taken from the specifications themselves (semver.org, PEP 440,
//! the Go module reference) plus regression cases for the lenient parses.

use std::cmp::Ordering;

use chainproof_version::{
    ErrorReason, GoVersion, Pep440Version, Scheme, SemverVersion, Version, compare,
};

fn assert_ascending(scheme: Scheme, list: &[&str]) {
    for (i, a) in list.iter().enumerate() {
        for (j, b) in list.iter().enumerate() {
            let got = compare(scheme, a, b).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(got, i.cmp(&j), "{scheme}: {a} vs {b}");
        }
    }
}

#[test]
fn semver_spec_11_precedence() {
    // semver.org §11.2 and §11.4.
    assert_ascending(Scheme::Semver, &["1.0.0", "2.0.0", "2.1.0", "2.1.1"]);
    assert_ascending(
        Scheme::Semver,
        &[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ],
    );
}

#[test]
fn semver_build_metadata_is_ignored_for_ordering_but_displayed() {
    let a = SemverVersion::parse_strict("1.0.0+20130313144700").expect("valid");
    let b = SemverVersion::parse_strict("1.0.0+exp.sha.5114f85").expect("valid");
    assert_eq!(a, b);
    assert_eq!(a.to_string(), "1.0.0+20130313144700");
    assert_eq!(b.build(), ["exp".into(), "sha".into(), "5114f85".into()]);
    assert_eq!(
        compare(Scheme::Semver, "1.0.0-beta+exp.sha.5114f85", "1.0.0-beta").ok(),
        Some(Ordering::Equal)
    );
}

#[test]
fn semver_numbers_of_any_size() {
    assert_ascending(
        Scheme::Semver,
        &[
            "18446744073709551615.0.0",
            "18446744073709551616.0.0",
            "100000000000000000000000.0.0",
        ],
    );
    assert_ascending(
        Scheme::Semver,
        &[
            "1.0.0-18446744073709551616",
            "1.0.0-99999999999999999999999",
            "1.0.0-a",
        ],
    );
}

#[test]
fn semver_strict_grammar() {
    for bad in [
        "1.2",
        "v1.2.3",
        "01.2.3",
        "1.02.3",
        "1.2.03",
        "1.2.3-01",
        "1.2.3-",
        "1.2.3+",
        "1.2.3-a..b",
        "1.2.3-a_b",
        " 1.2.3",
        "",
    ] {
        assert!(SemverVersion::parse_strict(bad).is_err(), "{bad:?}");
    }
    for good in [
        "0.0.0",
        "1.2.3-0",
        "1.2.3-0a",
        "1.2.3--",
        "1.2.3-x-y.z",
        "1.2.3+001",
        "1.2.3-rc.1+b.2",
    ] {
        assert!(SemverVersion::parse_strict(good).is_ok(), "{good:?}");
    }
    let err = SemverVersion::parse_strict("1.2.3-a$b").expect_err("invalid char");
    assert_eq!(
        (err.offset(), err.reason()),
        (7, &ErrorReason::UnexpectedChar('$'))
    );
}

#[test]
fn semver_lenient_forms() {
    for (input, normalized) in [
        ("v1.2.3", "1.2.3"),
        ("=1.2.3", "1.2.3"),
        (" = v1.2.3 ", "1.2.3"),
        ("1.2", "1.2.0"),
        ("1", "1.0.0"),
        ("1.2-beta.1", "1.2.0-beta.1"),
        ("01.002.3", "1.2.3"),
        ("1.0.0-rc.01", "1.0.0-rc.1"),
        ("1.2.3beta.1", "1.2.3-beta.1"),
        ("1.2.3+build.007", "1.2.3+build.007"),
    ] {
        let v: SemverVersion = input.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.to_string(), normalized, "{input:?}");
    }
    for bad in [
        "",
        "v",
        "1.",
        "1.2.3-",
        "1.2.3.4",
        "1.x",
        "*",
        "^1.2.3",
        ">=1.0.0",
        "1.2.3 - 2",
    ] {
        assert!(SemverVersion::parse_lenient(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn go_shorthands_incompatible_and_pseudo_versions() {
    // Go module reference: a pseudo-version sorts below the release it precedes
    // and above the one it is derived from.
    assert_ascending(
        Scheme::Go,
        &[
            "v0.0.0-20191109021931-daa7c04131f5",
            "v1.2.3-pre",
            "v1.2.3-pre.0.20191109021931-daa7c04131f5",
            "v1.2.3",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.4",
            "v2.0.0+incompatible",
            "v2.0.1",
        ],
    );
    assert_eq!(
        compare(Scheme::Go, "v1", "v1.0.0").ok(),
        Some(Ordering::Equal)
    );
    assert_eq!(
        compare(Scheme::Go, "1.2", "v1.2.0").ok(),
        Some(Ordering::Equal)
    );
    assert_eq!(
        compare(Scheme::Go, "0", "v0.0.0").ok(),
        Some(Ordering::Equal)
    );
    for bad in [
        "v1.2-pre",
        "v1+meta",
        "v01.2.3",
        "v1.2.3-01",
        "V1.2.3",
        " v1.2.3",
        "vv1",
        "v1.2.3.4",
        "",
    ] {
        assert!(GoVersion::parse(bad).is_err(), "{bad:?}");
    }
    let v = GoVersion::parse("v1.2.4-0.20191109021931-daa7c04131f5").expect("valid");
    let p = v.pseudo().expect("a pseudo-version");
    assert_eq!(
        (p.timestamp, p.revision),
        ("20191109021931", "daa7c04131f5")
    );
    assert!(
        GoVersion::parse("v1.2.3-pre")
            .expect("valid")
            .pseudo()
            .is_none()
    );
    let inc = GoVersion::parse("2.0.0+incompatible").expect("valid");
    assert!(inc.is_incompatible());
    assert_eq!(inc.to_string(), "v2.0.0+incompatible");
    assert_eq!(inc.canonical(), "v2.0.0");
}

#[test]
fn pep440_summary_of_permitted_suffixes_and_relative_ordering() {
    // PEP 440, "Summary of permitted suffixes and relative ordering".
    assert_ascending(
        Scheme::Pep440,
        &[
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
        ],
    );
    // The chain from the issue, in the order packaging 26.3 actually gives:
    // a local label only ranks a version among those with the same public
    // part, so `1.0+local` sits right above `1.0`, below `1.0.post0.dev0`.
    assert_ascending(
        Scheme::Pep440,
        &[
            "1.0.dev0",
            "1.0a1.dev0",
            "1.0a1",
            "1.0a1.post0.dev0",
            "1.0",
            "1.0+local",
            "1.0.post0.dev0",
            "1.0.post0",
        ],
    );
    assert_ascending(
        Scheme::Pep440,
        &["2013.10", "2014.04", "1!1.0", "1!1.1", "2!0.1"],
    );
}

#[test]
fn pep440_normalization() {
    for (input, normalized) in [
        ("1.0", "1.0"),
        ("1.0.0", "1.0.0"),
        ("v1.0", "1.0"),
        ("0!1.0", "1.0"),
        ("1.1RC1", "1.1rc1"),
        ("1.0alpha1", "1.0a1"),
        ("1.0-beta.2", "1.0b2"),
        ("1.0c1", "1.0rc1"),
        ("1.0pre", "1.0rc0"),
        ("1.0-preview_2", "1.0rc2"),
        ("1.0a", "1.0a0"),
        ("1.0-1", "1.0.post1"),
        ("1.0-r4", "1.0.post4"),
        ("1.0rev", "1.0.post0"),
        ("1.0.post", "1.0.post0"),
        ("1.0dev", "1.0.dev0"),
        ("1.0-dev-3", "1.0.dev3"),
        ("1.0+Ubuntu-1", "1.0+ubuntu.1"),
        ("1.0+abc_007", "1.0+abc.7"),
        ("01.002", "1.2"),
        ("  1.0\n", "1.0"),
        ("1.0a-1", "1.0a1"),
    ] {
        let v = Pep440Version::parse(input).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.to_string(), normalized, "{input:?}");
    }
    assert_eq!(
        compare(Scheme::Pep440, "1.0", "1.0.0.0").ok(),
        Some(Ordering::Equal)
    );
    assert_eq!(
        compare(Scheme::Pep440, "1.0+007", "1.0+7").ok(),
        Some(Ordering::Equal)
    );
}

#[test]
fn pep440_invalid() {
    for bad in [
        "",
        " ",
        "1.0-",
        "1..0",
        ".1",
        "1.0+",
        "1.0+a..b",
        "1.0_",
        "1!",
        "!1",
        "a1",
        "1.0.x",
        "1.0a1b1",
        "1.0 a1",
        "vv1",
        "1.0-post-dev-1.0",
        "1,0",
        "١.٠",
    ] {
        assert!(Pep440Version::parse(bad).is_err(), "{bad:?}");
    }
    let err = Pep440Version::parse("1.0.x").expect_err("invalid");
    assert_eq!(err.scheme(), Scheme::Pep440);
    assert_eq!(err.offset(), 3);
    assert_eq!(
        err.to_string(),
        "invalid pep440 version \"1.0.x\" at byte 3: unexpected character '.'"
    );
}

#[test]
fn scheme_dispatch() {
    assert_eq!(Scheme::for_osv_ecosystem("PyPI"), Some(Scheme::Pep440));
    assert_eq!(Scheme::for_osv_ecosystem("crates.io"), Some(Scheme::Semver));
    assert_eq!(Scheme::for_osv_ecosystem("npm"), Some(Scheme::Semver));
    assert_eq!(Scheme::for_osv_ecosystem("Go"), Some(Scheme::Go));
    assert_eq!(Scheme::for_osv_ecosystem("Debian:11"), Some(Scheme::Dpkg));
    assert_eq!(Scheme::for_osv_ecosystem("Linux"), None);
    assert_eq!("pep440".parse::<Scheme>().ok(), Some(Scheme::Pep440));
    assert!("gradle".parse::<Scheme>().is_err());
    assert_eq!("maven".parse::<Scheme>().ok(), Some(Scheme::Maven));
    let a = Scheme::Go.parse("1.2").expect("valid");
    let b = Scheme::Semver.parse("1.2").expect("valid");
    assert_eq!(a.to_string(), "v1.2.0");
    assert_eq!(a.partial_cmp(&b), None);
    assert_ne!(a, b);
    assert!(matches!(b, Version::Semver(_)));
    assert_eq!(
        Scheme::Semver.parse("1.2").ok(),
        Scheme::Semver.parse("v1.2.0").ok()
    );
}

#[test]
fn distro_scheme_dispatch() {
    for (ecosystem, scheme) in [
        ("Debian", Scheme::Dpkg),
        ("Ubuntu:22.04:LTS", Scheme::Dpkg),
        ("Red Hat:enterprise_linux:9::appstream", Scheme::Rpm),
        ("AlmaLinux:9", Scheme::Rpm),
        ("Rocky Linux:8", Scheme::Rpm),
        ("openSUSE:Tumbleweed", Scheme::Rpm),
        ("SUSE:SLES 15 SP5", Scheme::Rpm),
        ("Mageia:9", Scheme::Rpm),
        ("Photon OS:5.0", Scheme::Rpm),
        ("Azure Linux:3", Scheme::Rpm),
        ("openEuler:24.03-LTS", Scheme::Rpm),
        ("Alpine:v3.20", Scheme::Apk),
        ("Wolfi", Scheme::Apk),
        ("Chainguard", Scheme::Apk),
        ("Alpaquita:stream", Scheme::Apk),
        ("BellSoft Hardened Containers:23", Scheme::Apk),
        ("MinimOS", Scheme::Apk),
    ] {
        assert_eq!(
            Scheme::for_osv_ecosystem(ecosystem),
            Some(scheme),
            "{ecosystem}"
        );
    }
    for name in ["dpkg", "rpm", "apk"] {
        let scheme: Scheme = name.parse().expect("known scheme");
        assert_eq!(scheme.name(), name);
        assert!(Scheme::ALL.contains(&scheme));
    }
    // Distro versions print as written; equality follows each reference.
    let d = Scheme::Dpkg.parse("1:2.30-1").expect("valid");
    assert_eq!(d.to_string(), "1:2.30-1");
    assert_eq!(Some(&d), Scheme::Dpkg.parse("01:2.030-1").ok().as_ref());
    assert!(matches!(d, Version::Dpkg(_)));
    let r = Scheme::Rpm.parse("1.0^git1-1.fc40").expect("valid");
    assert_eq!(r.partial_cmp(&d), None);
    assert!(Scheme::Rpm.parse("1.0-1.fc40").ok().as_ref() < Some(&r));
    let err = Scheme::Apk.parse("1.0_foo").expect_err("invalid suffix");
    assert_eq!((err.scheme(), err.offset()), (Scheme::Apk, 4));
    assert!(Scheme::Dpkg.parse("1.0 1").is_err());
    assert!(Scheme::Rpm.parse("").is_err());
}
