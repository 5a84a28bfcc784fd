//! Test vectors taken from the reference implementations' own test suites,
//! for the schemes whose reference does not run here (NuGet, Pub, Hackage)
//! and as a second check of the ported rules for Maven and Composer. The
//! cases are restated as data (see `tests/data/SOURCES.md` for repository,
//! path, commit and license).

use std::cmp::Ordering;

use chainproof_version::{ComposerVersion, Scheme, Version, compare};

fn parse(scheme: Scheme, s: &str) -> Version {
    scheme
        .parse(s)
        .unwrap_or_else(|e| panic!("{scheme}: {s:?} should parse: {e}"))
}

/// Every pair in a list sorted ascending (ties not allowed) compares by index.
fn assert_sorted(scheme: Scheme, sorted: &[&str]) {
    for (i, a) in sorted.iter().enumerate() {
        for (j, b) in sorted.iter().enumerate() {
            assert_eq!(
                compare(scheme, a, b).expect("valid"),
                i.cmp(&j),
                "{scheme}: {a:?} vs {b:?}"
            );
        }
    }
}

fn assert_equal(scheme: Scheme, pairs: &[(&str, &str)]) {
    for (a, b) in pairs {
        let (x, y) = (parse(scheme, a), parse(scheme, b));
        assert_eq!(x, y, "{scheme}: {a:?} == {b:?}");
        assert_eq!(x.partial_cmp(&y), Some(Ordering::Equal));
    }
}

fn assert_less(scheme: Scheme, pairs: &[(&str, &str)]) {
    for (a, b) in pairs {
        assert_eq!(
            compare(scheme, a, b).expect("valid"),
            Ordering::Less,
            "{scheme}: {a:?} < {b:?}"
        );
        assert_eq!(compare(scheme, b, a).expect("valid"), Ordering::Greater);
    }
}

fn assert_invalid(scheme: Scheme, inputs: &[&str]) {
    for s in inputs {
        assert!(
            scheme.parse(s).is_err(),
            "{scheme}: {s:?} should be rejected"
        );
    }
}

// NuGet/NuGet.Client test/NuGet.Core.Tests/NuGet.Versioning.Test
// (VersionComparerTests.cs, NuGetVersionTest.cs).
#[test]
fn nuget_versioning_tests() {
    let s = Scheme::NuGet;
    assert_equal(
        s,
        &[
            ("1.0.0", "1.0.0"),
            ("1.0.0-BETA", "1.0.0-beta"),
            ("1.0.0-BETA+AA", "1.0.0-beta+aa"),
            ("1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.77.0+aa"),
            ("1.0.0", "1.0.0+beta"),
            ("1.0", "1.0.0.0"),
            ("1.0+test", "1.0.0.0"),
            ("1.0.0.1-1.2.A", "1.0.0.1-1.2.a+A"),
            ("1.0.01", "1.0.1.0"),
            ("1.23.01", "1.23.1"),
            ("1.45.6", "1.45.6.0"),
            ("1.6.2-BeTa", "1.6.02-beta"),
            ("22.3.07     ", "22.3.07"),
            ("1.0.0.0+beta.2", "1.0.0.0+beta.1"),
            ("  1.022-Beta", "1.22.0.0-Beta"),
            ("    1.3.42.10133-PreRelease  ", "1.3.42.10133-PreRelease"),
        ],
    );
    assert_less(
        s,
        &[
            ("0.0.0", "1.0.0"),
            ("1.0.0", "1.1.0"),
            ("1.0.0", "1.0.1"),
            ("1.999.9999", "2.1.1"),
            ("1.0.0-BETA", "1.0.0-beta2"),
            ("1.0.0-beta+AA", "1.0.0+aa"),
            ("1.0.0-BETA", "1.0.0-beta.1+AA"),
            ("1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.79.0+aa"),
            ("1.0.0-BETA.X.y.5.79.0+AA", "1.0.0-beta.x.y.5.790.0+abc"),
            ("1.0", "1.0.0.1"),
            ("1.0.01", "1.0.1.2"),
            ("1.0.0.1-1.2.A", "1.0.0.1-1.2.a.A+A"),
            ("1.0", "1.0.1"),
            ("1.23", "1.231"),
            ("1.4.5.6", "1.45.6"),
            ("1.4.5.6", "1.4.5.60"),
            ("1.01", "1.10"),
            ("1.01-alpha", "1.10-beta"),
            ("1.01.0-RC-1", "1.10.0-rc-2"),
            ("1.01-RC-1", "1.01"),
            ("1.01", "1.2-preview"),
        ],
    );
    assert_invalid(
        s,
        &[
            "",
            "         ",
            "1beta",
            "1.2Av^c",
            "1.2..",
            "1.2.3.4.5",
            "1.2.3.Beta",
            "1.2.3.4This version is full of awesomeness!!",
            "So.is.this",
            "1.34.2Alpha",
            "1.34.2Release Candidate",
            "1.4.7-",
            "1.4.7-*",
            "1.4.7+*",
            "1.4.7-AA.01^",
            "1.4.7-AA.0A^",
            "1.4.7-A^A",
            "1.4.7+AA.01^",
            "1.2147483648",
            "1.1.2147483648",
            "1.1.1.2147483648",
            "1.1.1.1.2147483648",
            "10000000000000000000",
            "1.10000000000000000000",
            "1..2",
            "....",
            "..1",
            "-1.1.1.1",
            "1.-1.1.1",
            "1.1.-1.1",
            "1.1.1.-1",
            "1.",
            "1.1.",
            "1.1.1.",
            "1.1.1.1.",
            "1.1.1.1.1.",
            "1     1.1.1.1",
            "1.1     1.1.1",
            "1.1.1     1.1",
            "1.1.1.1     1",
            " .1.1.1",
            "1. .1.1",
            "1.1. .1",
            "1.1.1. ",
            "1 .",
            "1.1 .",
            "1.1.1 .",
            "1.1.1.1 .",
            "2147483648.2.3.4",
            "1.2.3.2147483648",
            "..1.2",
            "   1 9",
            "   19.   1 9",
            "   19.   19.   19.   1 9",
            "1 9   ",
            "19   .19   .19   .1 9   ",
            "   19   .   19   .   19   .   1 9   ",
        ],
    );
    // ToNormalizedString.
    for (input, normalized) in [
        ("1.0+A", "1.0.0+A"),
        ("1.0-1.1", "1.0.0-1.1"),
        ("1.0-1.1+B.B", "1.0.0-1.1+B.B"),
        ("1.0.0009.01-1.1+A", "1.0.9.1-1.1+A"),
        ("3.4.0.3-RC-3", "3.4.0.3-RC-3"),
    ] {
        assert_eq!(parse(s, input).to_string(), normalized, "{input:?}");
    }
}

// dart-lang/pub_semver test/version_test.dart.
#[test]
fn pub_semver_tests() {
    let s = Scheme::Pub;
    assert_sorted(
        s,
        &[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0-rc.1+build.1",
            "1.0.0",
            "1.0.0+0.3.7",
            "1.3.7+build",
            "1.3.7+build.2.b8f12d7",
            "1.3.7+build.11.e0f985a",
            "2.0.0",
            "2.1.0",
            "2.2.0",
            "2.11.0",
            "2.11.1",
        ],
    );
    assert_equal(
        s,
        &[
            ("01.2.3", "1.2.3"),
            ("1.02.3", "1.2.3"),
            ("1.2.03", "1.2.3"),
            ("1.2.3-01", "1.2.3-1"),
            ("1.2.3+01", "1.2.3+1"),
            // Dart's int.tryParse reads hexadecimal and signs.
            ("1.2.3-0x10", "1.2.3-16"),
        ],
    );
    assert_less(s, &[("1.2.3-1", "1.2.3-a"), ("1.2.3-1", "1.2.3-0x1F")]);
    assert_less(s, &[("1.2.3-0x1F", "1.2.3-32"), ("1.2.3--1", "1.2.3-0")]);
    for ok in [
        "0.0.0",
        "12.34.56",
        "1.2.3-alpha.1",
        "1.2.3-x.7.z-92",
        "1.2.3+build.1",
        "1.2.3+x.7.z-92",
        "1.0.0-rc-1+build-1",
    ] {
        parse(s, ok);
    }
    assert_invalid(
        s,
        &[
            "1.0",
            "1a2b3",
            "1.2.3.4",
            "1234",
            "-2.3.4",
            "1.3-pre",
            "1.3+build",
            "1.3+bu?!3ild",
            "9223372036854775808.0.0",
            " 1.0.0",
        ],
    );
}

// Cabal's `Version`: dotted lists of integers, lexicographic, no leading
// zeros, at most nine digits (Distribution.Types.Version.Parsec).
#[test]
fn hackage_cabal_version_rules() {
    let s = Scheme::Hackage;
    assert_sorted(
        s,
        &[
            "0",
            "0.0",
            "0.1",
            "0.1.0",
            "0.1.0.1",
            "0.2",
            "1",
            "1.0",
            "1.0.0",
            "1.0.1",
            "1.9",
            "1.10",
            "2",
            "999999999",
        ],
    );
    assert_equal(s, &[("1.0-beta", "1.0"), ("2.1-a-b2", "2.1")]);
    assert_invalid(
        s,
        &[
            "",
            "01",
            "1.01",
            "1.",
            ".1",
            "1..2",
            "1234567890",
            "v1",
            "1.0-",
            "1.0-b.c",
            " 1",
            "1-",
        ],
    );
}

// apache/maven maven-3.8.7
// maven-artifact/src/test/java/org/apache/maven/artifact/versioning/ComparableVersionTest.java.
#[test]
fn maven_comparable_version_tests() {
    let s = Scheme::Maven;
    assert_sorted(
        s,
        &[
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ],
    );
    assert_sorted(
        s,
        &[
            "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
            "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11",
            "11", "11.a", "11b", "11c", "11m",
        ],
    );
    assert_equal(
        s,
        &[
            ("1", "1.0"),
            ("1", "1.0.0"),
            ("1.0", "1.0.0"),
            ("1", "1-0"),
            ("1", "1.0-0"),
            ("1.0", "1.0-0"),
            ("1a", "1-a"),
            ("1a", "1.0-a"),
            ("1a", "1.0.0-a"),
            ("1.0a", "1-a"),
            ("1.0.0a", "1-a"),
            ("1x", "1-x"),
            ("1x", "1.0-x"),
            ("1x", "1.0.0-x"),
            ("1ga", "1"),
            ("1release", "1"),
            ("1final", "1"),
            ("1cr", "1rc"),
            ("1a1", "1-alpha-1"),
            ("1b2", "1-beta-2"),
            ("1m3", "1-milestone-3"),
            ("1X", "1x"),
            ("1A", "1a"),
            ("1GA", "1"),
            ("1RELeaSE", "1"),
            ("1FinaL", "1"),
            ("1Cr", "1Rc"),
            ("1m3", "1MILESTONE3"),
            (
                "1-abcdefghijklmnopqrstuvwxyz",
                "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            ),
            ("0000000000000000001", "1"),
            ("000000001", "01"),
            ("0000000000000000000", "0"),
        ],
    );
    assert_less(
        s,
        &[
            ("1", "2"),
            ("1.5", "2"),
            ("1", "2.5"),
            ("1.0", "1.1"),
            ("1.0.0", "1.1"),
            ("1.1", "1.2.0"),
            ("1.0-alpha-1", "1.0"),
            ("1.0-alpha-1", "1.0-alpha-2"),
            ("1.0-alpha-1", "1.0-beta-1"),
            ("1.0-beta-1", "1.0-SNAPSHOT"),
            ("1.0-SNAPSHOT", "1.0"),
            ("1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"),
            ("1.0", "1.0-1"),
            ("1.0-1", "1.0-2"),
            ("1.0.0", "1.0-1"),
            ("2.0-1", "2.0.1"),
            ("2.0.1-klm", "2.0.1-lmn"),
            ("2.0.1", "2.0.1-xyz"),
            ("2.0.1", "2.0.1-123"),
            ("2.0.1-xyz", "2.0.1-123"),
            // MNG-5568: 6.1.0rc3 < 6.1.0 < 6.1H.5-beta.
            ("6.1.0rc3", "6.1.0"),
            ("6.1.0", "6.1H.5-beta"),
            // MNG-6572: numbers of 10, 15 and 20 digits.
            ("20190126.230843", "1234567890.12345"),
            ("1234567890.12345", "123456789012345.1H.5-beta"),
            (
                "123456789012345.1H.5-beta",
                "12345678901234567890.1H.5-beta",
            ),
            // MNG-6964.
            ("1-0.alpha", "1"),
            ("1-0.beta", "1"),
            ("1-0.alpha", "1-0.beta"),
        ],
    );
}

// composer/semver tests/VersionParserTest.php (successfulNormalizedVersions,
// failingNormalizedVersions) and tests/ComparatorTest.php; every expectation
// here was also checked against composer/semver 3.3.2 with PHP 8.2.
#[test]
fn composer_normalize_and_compare_tests() {
    for (input, normalized) in [
        ("1.0.0", "1.0.0.0"),
        ("1.2.3.4", "1.2.3.4"),
        ("1.0.0RC1dev", "1.0.0.0-RC1-dev"),
        ("1.0.0-rC15-dev", "1.0.0.0-RC15-dev"),
        ("1.0.0.RC.15-dev", "1.0.0.0-RC15-dev"),
        ("1.0.0-rc1", "1.0.0.0-RC1"),
        ("1.0.0.pl3-dev", "1.0.0.0-patch3-dev"),
        ("1.0-dev", "1.0.0.0-dev"),
        ("0", "0.0.0.0"),
        ("10.4.13-beta", "10.4.13.0-beta"),
        ("10.4.13beta2", "10.4.13.0-beta2"),
        ("10.4.13beta.2", "10.4.13.0-beta2"),
        ("v1.13.11-beta.0", "1.13.11.0-beta0"),
        ("1.13.11.0-beta0", "1.13.11.0-beta0"),
        ("10.4.13-b", "10.4.13.0-beta"),
        ("10.4.13-b5", "10.4.13.0-beta5"),
        ("v1.0.0", "1.0.0.0"),
        ("v20100102", "20100102"),
        ("2010.01", "2010.01.0.0"),
        ("2010.01.02", "2010.01.02.0"),
        ("2010-01-02", "2010.01.02"),
        ("2010-01-02.5", "2010.01.02.5"),
        ("2010.1.555", "2010.1.555.0"),
        ("2010.10.200", "2010.10.200.0"),
        ("20100102-203040", "20100102.203040"),
        ("20100102203040-10", "20100102203040.10"),
        ("20100102-203040-p1", "20100102.203040-patch1"),
        ("201903.0", "201903.0"),
        ("201903.0-p2", "201903.0-patch2"),
        ("1.0.0-beta.5+foo", "1.0.0.0-beta5"),
        ("1.0.0+foo", "1.0.0.0"),
        ("1.0.0-alpha.3.1+foo", "1.0.0.0-alpha3.1"),
        ("1.0.0-alpha2.1+foo", "1.0.0.0-alpha2.1"),
        ("1.0.0-alpha-2.1-3+foo", "1.0.0.0-alpha2.1-3"),
        ("1.0.0+foo as 2.0", "1.0.0.0"),
        ("1.0.0-stable", "1.0.0.0"),
        ("1.x-dev", "1.9999999.9999999.9999999-dev"),
        ("1.0.x-dev", "1.0.9999999.9999999-dev"),
        ("1.0.3.x-dev", "1.0.3.9999999-dev"),
        ("  1.0.0", "1.0.0.0"),
        ("00.01.03.04", "00.01.03.04"),
        ("000.001.003.004", "000.001.003.004"),
        ("1.0.0@dev", "1.0.0.0"),
        ("1.0.0-beta@beta", "1.0.0.0-beta"),
    ] {
        let v = ComposerVersion::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(v.normalized(), normalized, "{input:?}");
    }
    assert_invalid(
        Scheme::Composer,
        &[
            "",
            "a",
            "1.0.0-meh",
            "1.0.0.0.0",
            "feature-foo",
            "1.0 .2",
            "1.0.0+foo bar",
            "dev-master",
            "master",
            "1.0.0-dev<1.0.5-dev",
            "1.0.0-dev*",
            "1.0.0 as 2.0 as 3.0",
        ],
    );
    let s = Scheme::Composer;
    assert_less(
        s,
        &[
            ("1.25.0-beta2.1", "1.25.0-b.3"),
            ("1.0.0-dev", "1.0.0-alpha"),
            ("1.0.0-alpha", "1.0.0-beta"),
            ("1.0.0-beta", "1.0.0-RC1"),
            ("1.0.0-RC1", "1.0.0"),
            ("1.0.0", "1.0.0-patch1"),
            ("1.0.0-p1", "1.0.1"),
            ("1.0.0-beta", "1.0.0-beta2"),
            ("1.0.0-beta2", "1.0.0-beta.10"),
        ],
    );
    assert_equal(
        s,
        &[
            ("1.0.0", "v1.0"),
            ("1.0.0-b2", "1.0-beta.2"),
            ("1.0-pl1", "1.0.0-patch1"),
        ],
    );
}

#[test]
fn osv_ecosystems_map_to_schemes() {
    for (ecosystem, scheme) in [
        ("crates.io", Scheme::Semver),
        ("npm", Scheme::Semver),
        ("Hex", Scheme::Semver),
        ("SwiftURL", Scheme::Semver),
        ("Bitnami", Scheme::Semver),
        ("Go", Scheme::Go),
        ("PyPI", Scheme::Pep440),
        ("Maven", Scheme::Maven),
        ("RubyGems", Scheme::RubyGems),
        ("Packagist", Scheme::Composer),
        ("NuGet", Scheme::NuGet),
        ("Pub", Scheme::Pub),
        ("CRAN", Scheme::Cran),
        ("Hackage", Scheme::Hackage),
        ("GHC", Scheme::Hackage),
    ] {
        assert_eq!(
            Scheme::for_osv_ecosystem(ecosystem),
            Some(scheme),
            "{ecosystem}"
        );
        assert_eq!(scheme.name().parse::<Scheme>(), Ok(scheme));
    }
}
