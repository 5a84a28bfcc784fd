//! Ordering laws for every scheme over generated versions: antisymmetry,
//! transitivity, `Eq`/`Hash` consistent with `Ord`, and normalization
//! (`Display`) that parses back to an equal version and is idempotent.

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::fmt::Display;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chainproof_version::{
    ApkVersion, ComposerVersion, CranVersion, DpkgVersion, GoVersion, HackageVersion, MavenVersion,
    NuGetVersion, Pep440Version, PubVersion, RpmVersion, RubyGemsVersion, SemverVersion,
};
use proptest::prelude::*;

fn num() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0u64..4).prop_map(|n| n.to_string()),
        2 => (0u64..30).prop_map(|n| n.to_string()),
        1 => "[1-9][0-9]{18,24}",
    ]
}

fn sep() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(""), Just("."), Just("-"), Just("_")]
}

fn semver_ident() -> impl Strategy<Value = String> {
    prop_oneof![num(), "[a-zA-Z-][0-9a-zA-Z-]{0,4}", "[0-9]{1,2}[a-z-]"]
}

/// Strict SemVer strings, optionally with prerelease and build.
fn semver() -> impl Strategy<Value = String> {
    (
        num(),
        num(),
        num(),
        prop::collection::vec(semver_ident(), 0..4),
        prop::collection::vec("[0-9a-zA-Z-]{1,4}", 0..3),
    )
        .prop_map(|(a, b, c, pre, build)| {
            let mut s = format!("{a}.{b}.{c}");
            if !pre.is_empty() {
                s = format!("{s}-{}", pre.join("."));
            }
            if !build.is_empty() {
                s = format!("{s}+{}", build.join("."));
            }
            s
        })
}

/// Go versions: semver with `v`, short forms, `+incompatible`, pseudo-versions.
fn go() -> impl Strategy<Value = String> {
    prop_oneof![
        semver().prop_map(|s| format!("v{s}")),
        semver(),
        (num(), prop::option::of(num())).prop_map(|(a, b)| match b {
            Some(b) => format!("v{a}.{b}"),
            None => format!("v{a}"),
        }),
        (
            num(),
            num(),
            "[0-9]{14}",
            "[0-9a-f]{12}",
            prop::option::of("[a-z]{1,3}"),
            any::<bool>()
        )
            .prop_map(|(a, b, t, r, pre, inc)| {
                let base = match pre {
                    Some(p) => format!("v{a}.{b}.0-{p}.0.{t}-{r}"),
                    None => format!("v{a}.{b}.1-0.{t}-{r}"),
                };
                if inc {
                    format!("{base}+incompatible")
                } else {
                    base
                }
            }),
    ]
}

fn pep440() -> impl Strategy<Value = String> {
    let pre = prop::option::of((
        sep(),
        prop_oneof![
            Just("a"),
            Just("alpha"),
            Just("B"),
            Just("rc"),
            Just("c"),
            Just("pre")
        ],
        sep(),
        prop::option::of(num()),
    ));
    let post = prop::option::of(prop_oneof![
        num().prop_map(|n| format!("-{n}")),
        (
            sep(),
            prop_oneof![Just("post"), Just("rev"), Just("r")],
            sep(),
            prop::option::of(num())
        )
            .prop_map(|(a, l, b, n)| format!(
                "{a}{l}{}",
                n.map(|n| format!("{b}{n}")).unwrap_or_default()
            )),
    ]);
    let dev = prop::option::of((sep(), prop::option::of(num())));
    let local = prop::option::of(prop::collection::vec(
        prop_oneof![num(), "[a-zA-Z][a-zA-Z0-9]{0,3}"],
        1..4,
    ));
    (
        prop::option::of(num()),
        prop::collection::vec(num(), 1..5),
        pre,
        post,
        dev,
        local,
    )
        .prop_map(|(epoch, release, pre, post, dev, local)| {
            let mut s = epoch.map(|e| format!("{e}!")).unwrap_or_default();
            s += &release.join(".");
            if let Some((a, l, b, n)) = pre {
                s += &format!("{a}{l}{}", n.map(|n| format!("{b}{n}")).unwrap_or_default());
            }
            s += &post.unwrap_or_default();
            if let Some((a, n)) = dev {
                s += &format!("{a}dev{}", n.unwrap_or_default());
            }
            if let Some(l) = local {
                s += &format!("+{}", l.join("."));
            }
            s
        })
}

/// `epoch:version-release`, each optional part left out when absent.
fn evr(epoch: Option<&str>, version: &str, release: Option<String>) -> String {
    let mut s = epoch.map(|e| format!("{e}:")).unwrap_or_default();
    s += version;
    if let Some(r) = release {
        s = format!("{s}-{r}");
    }
    s
}

/// Debian versions: optional epoch, upstream, optional revision, with the
/// characters dpkg weighs specially (`~`, `+`, `.`, letters, leading zeros).
fn dpkg() -> impl Strategy<Value = String> {
    (
        prop::option::of(prop_oneof![Just("0"), Just("1"), Just("01"), Just("2")]),
        "[0-9]([0-9]{0,2}|[.+~a-zA-Z]){0,5}",
        prop::option::of("[0-9a-z.+~]{1,5}"),
    )
        .prop_map(|(epoch, upstream, revision)| evr(epoch, &upstream, revision))
}

/// RPM EVRs: any mix of segments and separators, `~`, `^`, epochs, releases.
fn rpm() -> impl Strategy<Value = String> {
    (
        prop::option::of(prop_oneof![Just(""), Just("0"), Just("1"), Just("007")]),
        "([0-9]{1,3}|[a-zA-Z]{1,2}|[.~^_+]){1,6}",
        prop::option::of("([0-9]{1,2}|[a-z]{1,2}|[.~^_]){0,4}"),
    )
        .prop_map(|(epoch, version, release)| evr(epoch, &version, release))
}

/// Alpine versions from apk's grammar.
fn apk() -> impl Strategy<Value = String> {
    let digits = prop_oneof![
        num(),
        Just("0".to_owned()),
        Just("00".to_owned()),
        Just("012".to_owned())
    ];
    let suffix = (
        prop_oneof![
            Just("alpha"),
            Just("beta"),
            Just("pre"),
            Just("rc"),
            Just("cvs"),
            Just("svn"),
            Just("git"),
            Just("hg"),
            Just("p")
        ],
        prop::option::of(num()),
    )
        .prop_map(|(s, n)| format!("_{s}{}", n.unwrap_or_default()));
    (
        num(),
        prop::collection::vec(digits, 0..4),
        prop::option::of("[a-z]"),
        prop::collection::vec(suffix, 0..3),
        prop::option::of("[0-9a-f]{1,6}"),
        prop::option::of(num()),
    )
        .prop_map(|(first, rest, letter, suffixes, hash, rev)| {
            let mut s = first;
            for d in rest {
                s = format!("{s}.{d}");
            }
            s += &letter.unwrap_or_default();
            s += &suffixes.concat();
            if let Some(h) = hash {
                s = format!("{s}~{h}");
            }
            if let Some(r) = rev {
                s = format!("{s}-r{r}");
            }
            s
        })
}

/// Free-form strings from version-like pieces (Maven accepts any string).
fn pieces(
    words: &'static [&'static str],
    seps: &'static [&'static str],
) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop_oneof![
                3 => num(),
                2 => prop::sample::select(words).prop_map(str::to_owned),
            ],
            prop::sample::select(seps),
        ),
        1..6,
    )
    .prop_map(|parts| parts.into_iter().map(|(p, s)| format!("{p}{s}")).collect())
}

fn maven() -> impl Strategy<Value = String> {
    pieces(
        &[
            "alpha",
            "a",
            "b",
            "beta",
            "m",
            "milestone",
            "rc",
            "cr",
            "SNAPSHOT",
            "ga",
            "final",
            "sp",
            "x",
            "abc",
            "Z",
        ],
        &["", ".", "-", "", "_"],
    )
}

/// Versions as Maven projects write them: numbers, then `-`-introduced
/// qualifiers, each qualifier followed by an optional number.
fn maven_conventional() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((1u32..30).prop_map(|n| n.to_string()), 1..4),
        prop::collection::vec(
            (
                prop::sample::select(
                    &[
                        "alpha",
                        "beta",
                        "milestone",
                        "rc",
                        "SNAPSHOT",
                        "sp",
                        "jre",
                        "android",
                        "Final",
                    ][..],
                ),
                prop::option::of(1u32..12),
            ),
            0..3,
        ),
    )
        .prop_map(|(nums, quals)| {
            let mut s = nums.join(".");
            for (q, n) in quals {
                s += &format!("-{q}");
                if let Some(n) = n {
                    s += &format!("-{n}");
                }
            }
            s
        })
}

fn rubygems() -> impl Strategy<Value = String> {
    (
        num(),
        prop::collection::vec(prop_oneof![num(), "[a-zA-Z]{1,3}"], 0..4),
        prop::option::of(prop::collection::vec("[0-9a-zA-Z-]{1,3}", 1..3)),
    )
        .prop_map(|(first, rest, pre)| {
            let mut s = first;
            for r in rest {
                s = format!("{s}.{r}");
            }
            if let Some(p) = pre {
                s = format!("{s}-{}", p.join("."));
            }
            s
        })
}

fn composer() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["", "v"][..]),
        prop_oneof![
            prop::collection::vec((0u32..20).prop_map(|n| n.to_string()), 1..5)
                .prop_map(|v| v.join(".")),
            (2000u32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
            (2000u32..2030, 1u32..13).prop_map(|(y, m)| format!("{y}{m:02}")),
        ],
        prop::option::of((
            prop::sample::select(&["-", ".", "", "_"][..]),
            prop::sample::select(
                &[
                    "alpha", "a", "beta", "b", "RC", "rc", "patch", "pl", "p", "stable", "Stable",
                ][..],
            ),
            prop::option::of(0u32..12),
        )),
        prop::option::of(prop::sample::select(&["-dev", ".dev", "dev"][..])),
        prop::option::of(prop::sample::select(&["+build", "@beta", " as 9.9"][..])),
    )
        .prop_map(|(v, base, stab, dev, extra)| {
            let mut s = format!("{v}{base}");
            if let Some((sep, word, n)) = stab {
                s += &format!(
                    "{sep}{word}{}",
                    n.map(|n| n.to_string()).unwrap_or_default()
                );
            }
            s += dev.unwrap_or_default();
            s += extra.unwrap_or_default();
            s
        })
}

fn nuget() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(0u32..2_000_000, 1..5),
        prop::option::of(prop::collection::vec(
            prop_oneof![
                (0u32..30).prop_map(|n| n.to_string()),
                "-[1-9]",
                "[a-zA-Z][a-zA-Z0-9-]{0,4}"
            ],
            1..4,
        )),
        prop::option::of("[0-9a-zA-Z-]{1,4}"),
    )
        .prop_map(|(nums, labels, meta)| {
            let mut s = nums
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(".");
            if let Some(l) = labels {
                s = format!("{s}-{}", l.join("."));
            }
            if let Some(m) = meta {
                s = format!("{s}+{m}");
            }
            s
        })
}

fn pub_semver() -> impl Strategy<Value = String> {
    let part = || {
        prop_oneof![
            num(),
            "-[0-9]{1,2}",
            "0x[0-9a-fA-F]{1,3}",
            "[a-zA-Z-][0-9a-zA-Z-]{0,3}"
        ]
    };
    (
        num(),
        num(),
        num(),
        prop::collection::vec(part(), 0..3),
        prop::collection::vec(part(), 0..3),
    )
        .prop_map(|(a, b, c, pre, build)| {
            let mut s = format!("{a}.{b}.{c}");
            if !pre.is_empty() {
                s = format!("{s}-{}", pre.join("."));
            }
            if !build.is_empty() {
                s = format!("{s}+{}", build.join("."));
            }
            s
        })
        .prop_filter("Dart ints are 64-bit", |s| PubVersion::parse(s).is_ok())
}

fn dotted(
    min: usize,
    seps: &'static [&'static str],
    max_digits: u32,
) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            0u32..10u32.pow(max_digits.min(4)),
            prop::sample::select(seps),
        ),
        min..6,
    )
    .prop_map(|parts| {
        let n = parts.len();
        parts
            .into_iter()
            .enumerate()
            .map(|(i, (p, s))| {
                if i + 1 < n {
                    format!("{p}{s}")
                } else {
                    p.to_string()
                }
            })
            .collect()
    })
}

fn hash_of<T: Hash>(v: &T) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn laws<V>(a: &str, b: &str, c: &str) -> Result<(), TestCaseError>
where
    V: FromStr + Ord + Hash + Display + std::fmt::Debug,
    V::Err: std::fmt::Debug,
{
    laws_with::<V>(a, b, c, true)
}

/// The laws; `transitive: false` skips transitivity (Maven's reference
/// order is not transitive, see `maven_order_is_not_transitive`).
fn laws_with<V>(a: &str, b: &str, c: &str, transitive: bool) -> Result<(), TestCaseError>
where
    V: FromStr + Ord + Hash + Display + std::fmt::Debug,
    V::Err: std::fmt::Debug,
{
    let parse = |s: &str| {
        s.parse::<V>()
            .map_err(|e| TestCaseError::fail(format!("{s:?}: {e:?}")))
    };
    let (x, y, z) = (parse(a)?, parse(b)?, parse(c)?);
    // Antisymmetry and reflexivity.
    prop_assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
    prop_assert_eq!(x.cmp(&x), Ordering::Equal);
    // Eq and Hash agree with Ord.
    prop_assert_eq!(x == y, x.cmp(&y) == Ordering::Equal);
    if x == y {
        prop_assert_eq!(hash_of(&x), hash_of(&y));
    }
    // Transitivity.
    if transitive && x <= y && y <= z {
        prop_assert!(x <= z, "{a} <= {b} <= {c} but not {a} <= {c}");
    }
    if transitive && x < y && y < z {
        prop_assert!(x < z);
    }
    // Normalization round-trips and is idempotent.
    let shown = x.to_string();
    let again = parse(&shown)?;
    prop_assert_eq!(&again, &x);
    prop_assert_eq!(again.to_string(), shown);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn semver_laws(a in semver(), b in semver(), c in semver()) {
        laws::<SemverVersion>(&a, &b, &c)?;
        // The strict grammar accepts what the generator makes, with the same result.
        let strict = SemverVersion::parse_strict(&a).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(strict.to_string(), a);
    }

    #[test]
    fn semver_transitivity_on_close_versions(pre in prop::collection::vec(prop::collection::vec(semver_ident(), 0..3), 3)) {
        // Same major.minor.patch so prerelease comparison does all the work.
        let [a, b, c] = [0, 1, 2].map(|i| if pre[i].is_empty() { "1.0.0".to_owned() } else { format!("1.0.0-{}", pre[i].join(".")) });
        laws::<SemverVersion>(&a, &b, &c)?;
    }

    #[test]
    fn go_laws(a in go(), b in go(), c in go()) {
        laws::<GoVersion>(&a, &b, &c)?;
    }

    #[test]
    fn pep440_laws(a in pep440(), b in pep440(), c in pep440()) {
        laws::<Pep440Version>(&a, &b, &c)?;
    }

    #[test]
    fn maven_laws(a in maven(), b in maven(), c in maven()) {
        laws_with::<MavenVersion>(&a, &b, &c, false)?;
    }

    #[test]
    fn maven_transitivity_on_conventional_versions(a in maven_conventional(), b in maven_conventional(), c in maven_conventional()) {
        laws::<MavenVersion>(&a, &b, &c)?;
    }

    #[test]
    fn rubygems_laws(a in rubygems(), b in rubygems(), c in rubygems()) {
        laws::<RubyGemsVersion>(&a, &b, &c)?;
    }

    #[test]
    fn composer_laws(a in composer(), b in composer(), c in composer()) {
        laws::<ComposerVersion>(&a, &b, &c)?;
    }

    #[test]
    fn nuget_laws(a in nuget(), b in nuget(), c in nuget()) {
        laws::<NuGetVersion>(&a, &b, &c)?;
    }

    #[test]
    fn pub_laws(a in pub_semver(), b in pub_semver(), c in pub_semver()) {
        laws::<PubVersion>(&a, &b, &c)?;
    }

    #[test]
    fn cran_laws(a in dotted(2, &[".", "-"], 3), b in dotted(2, &[".", "-"], 3), c in dotted(2, &[".", "-"], 3)) {
        laws::<CranVersion>(&a, &b, &c)?;
    }

    #[test]
    fn hackage_laws(a in dotted(1, &["."], 2), b in dotted(1, &["."], 2), c in dotted(1, &["."], 2)) {
        laws::<HackageVersion>(&a, &b, &c)?;
    }

    #[test]
    fn pep440_transitivity_on_close_versions(parts in prop::collection::vec(pep440().prop_map(|s| {
        // Keep only the suffixes: same epoch and release for all three.
        let tail = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '!');
        format!("1.0{tail}")
    }), 3)) {
        laws::<Pep440Version>(&parts[0], &parts[1], &parts[2])?;
    }
}

fn check_equal<V>(a: &str, b: &str) -> Result<(), TestCaseError>
where
    V: FromStr + Ord + Hash + std::fmt::Debug,
    V::Err: std::fmt::Debug,
{
    let parse = |s: &str| {
        s.parse::<V>()
            .map_err(|e| TestCaseError::fail(format!("{s:?}: {e:?}")))
    };
    let (x, y) = (parse(a)?, parse(b)?);
    prop_assert_eq!(&x, &y, "{:?} vs {:?}", a, b);
    prop_assert_eq!(hash_of(&x), hash_of(&y), "{:?} vs {:?}", a, b);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn dpkg_laws(a in dpkg(), b in dpkg(), c in dpkg()) {
        laws::<DpkgVersion>(&a, &b, &c)?;
    }

    #[test]
    fn dpkg_transitivity_on_close_versions(tails in prop::collection::vec("[0-9.~+a]{0,4}(-[0-9.~+a]{1,3})?", 3)) {
        let [a, b, c] = [0, 1, 2].map(|i| format!("1.0{}", tails[i]));
        laws::<DpkgVersion>(&a, &b, &c)?;
    }

    /// Spellings each reference treats as equal must be `==` and hash alike.
    #[test]
    fn distro_respellings_are_equal(d in dpkg(), r in rpm(), a in apk(), zeros in "0{1,3}") {
        // dpkg: numbers with leading zeros, an explicit zero epoch, a `-0` revision.
        let pad = |s: &str| {
            let mut out = String::new();
            let mut prev_digit = false;
            for ch in s.chars() {
                if ch.is_ascii_digit() && !prev_digit {
                    out.push_str(&zeros);
                }
                prev_digit = ch.is_ascii_digit();
                out.push(ch);
            }
            out
        };
        let respelled = if d.contains(':') { pad(&d) } else { format!("0:{}", pad(&d)) };
        check_equal::<DpkgVersion>(&d, &respelled)?;
        if !d.contains('-') && !d.contains(':') {
            check_equal::<DpkgVersion>(&d, &format!("{d}-{zeros}"))?;
        }
        // rpm: leading zeros and a different separator between segments.
        let rpm_respelled = pad(&r).replace('.', "_");
        check_equal::<RpmVersion>(&r, &rpm_respelled)?;
        // apk: leading zeros on the first number only.
        check_equal::<ApkVersion>(&a, &format!("{zeros}{a}"))?;
    }

    #[test]
    fn rpm_laws(a in rpm(), b in rpm(), c in rpm()) {
        laws::<RpmVersion>(&a, &b, &c)?;
    }

    #[test]
    fn rpm_transitivity_on_close_versions(tails in prop::collection::vec("([0-9]|[a-b]|[.~^]){0,5}(-[0-9~^a]{0,3})?", 3)) {
        let [a, b, c] = [0, 1, 2].map(|i| format!("1.0{}", tails[i]));
        laws::<RpmVersion>(&a, &b, &c)?;
    }

    #[test]
    fn apk_laws(a in apk(), b in apk(), c in apk()) {
        laws::<ApkVersion>(&a, &b, &c)?;
    }

    #[test]
    fn apk_transitivity_on_close_versions(v in prop::collection::vec(apk(), 3)) {
        // Same first number so the tails do the work.
        let [a, b, c] = [0, 1, 2].map(|i| {
            let tail = v[i].trim_start_matches(|c: char| c.is_ascii_digit());
            format!("1{tail}")
        });
        laws::<ApkVersion>(&a, &b, &c)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The fuzz target's property, run in CI: any string, any scheme, no
    /// panic; parsed pairs compare antisymmetrically; normal forms round-trip.
    #[test]
    fn arbitrary_strings(a in prop_oneof![".{0,24}", "[0-9a-zA-Z.+!_ =-]{0,20}"], b in "[0-9vV.+!_ a-z-]{0,20}") {
        for &scheme in chainproof_version::Scheme::ALL {
            let (va, vb) = (scheme.parse(&a), scheme.parse(&b));
            if let Ok(v) = &va {
                let again = scheme.parse(&v.to_string());
                prop_assert_eq!(again.as_ref().ok(), Some(v));
            }
            if let (Ok(x), Ok(y)) = (&va, &vb) {
                prop_assert_eq!(x.partial_cmp(y).map(Ordering::reverse), y.partial_cmp(x));
            }
        }
    }
}

/// ComparableVersion (3.8.7 and later) is not a total order: these three
/// versions form a cycle in the reference too (checked with the jar), and
/// the port keeps it. Callers should compare versions, not sort mixed sets
/// of such odd strings.
#[test]
fn maven_order_is_not_transitive() {
    let v = |s: &str| {
        s.parse::<MavenVersion>()
            .expect("any string is a Maven version")
    };
    for [a, b, c] in [["0", "sp", "0milestone"], ["1", "1-sp", "1-0milestone"]] {
        assert!(v(a) < v(b), "{a} < {b}");
        assert!(v(b) < v(c), "{b} < {c}");
        assert!(v(c) < v(a), "{c} < {a}");
    }
}

/// Long and deeply nested inputs: no stack overflow, no quadratic blow-up.
#[test]
fn long_inputs_parse_quickly() {
    let long: Vec<String> = vec![
        "-".repeat(200_000),
        "1-".repeat(100_000),
        "a1".repeat(100_000),
        format!("{}-dev", "1.".repeat(50_000)),
        format!("2010{}", "-01".repeat(50_000)),
        "9".repeat(200_000),
        format!("1.0.0-{}", "a.".repeat(50_000)),
        format!("1.0.0+{}", "0x1.".repeat(50_000)),
    ];
    let start = std::time::Instant::now();
    for s in &long {
        for &scheme in chainproof_version::Scheme::ALL {
            if let Ok(v) = scheme.parse(s) {
                assert_eq!(v.partial_cmp(&v), Some(Ordering::Equal));
                let _ = v.to_string();
            }
        }
    }
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}
