//! Differential tests against the reference comparators, replayed from the
//! committed fixtures in `tests/data/` (generated once by the scripts in
//! `tests/differential/`; see the README there). Hermetic: no Python, node or
//! Go at test time. Every fixture line must agree.

use std::cmp::Ordering;
use std::path::Path;

use chainproof_version::{GoVersion, Pep440Version, Scheme, SemverVersion, compare};

fn data(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Lines of a fixture: tab-separated fields, each a JSON value; `#` lines are comments.
fn rows(name: &str) -> Vec<(usize, Vec<serde_json::Value>)> {
    data(name)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.is_empty())
        .map(|(i, l)| {
            let fields =
                l.split('\t')
                    .map(|f| match f {
                        "<" | "=" | ">" => serde_json::Value::String(f.to_owned()),
                        _ => serde_json::from_str(f)
                            .unwrap_or_else(|e| panic!("{name}:{}: {e}", i + 1)),
                    })
                    .collect();
            (i + 1, fields)
        })
        .collect()
}

fn verdict(field: &serde_json::Value) -> Ordering {
    match field.as_str() {
        Some("<") => Ordering::Less,
        Some("=") => Ordering::Equal,
        Some(">") => Ordering::Greater,
        other => panic!("bad verdict {other:?}"),
    }
}

fn text(field: &serde_json::Value) -> &str {
    field.as_str().expect("a JSON string")
}

/// Fails with the count and the first 40 disagreements unless `failures` is empty; the
/// message reads `<n> <of>disagree:`.
fn assert_all_agree(failures: &[String], of: &str) {
    assert!(
        failures.is_empty(),
        "{} {of}disagree:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
}

/// Checks every pair; returns (agreements, total) after asserting there is no
/// disagreement.
fn check_pairs(name: &str, scheme: Scheme) -> usize {
    let rows = rows(name);
    let mut failures = Vec::new();
    for (line, f) in &rows {
        let (a, b, want) = (text(&f[0]), text(&f[1]), verdict(&f[2]));
        match compare(scheme, a, b) {
            Ok(got) if got == want => {}
            got => failures.push(format!(
                "{name}:{line}: {a:?} vs {b:?}: want {want:?}, got {got:?}"
            )),
        }
    }
    assert_all_agree(&failures, &format!("of {} pairs ", rows.len()));
    eprintln!("{name}: {} of {} pairs agree", rows.len(), rows.len());
    rows.len()
}

/// Every pair of `file` agrees, and there are at least 10 000 of them.
fn order_agrees(file: &str, scheme: Scheme) {
    let n = check_pairs(file, scheme);
    assert!(n >= 10_000, "only {n} pairs");
}

/// `<eco>_pairs.tsv` agrees ([`order_agrees`]) and more than 1 000 strings of
/// `<eco>_invalid.tsv` are all rejected.
fn order_and_validity_agree(eco: &str, scheme: Scheme) {
    order_agrees(&format!("{eco}_pairs.tsv"), scheme);
    assert!(check_invalid(&format!("{eco}_invalid.tsv"), scheme) > 1_000);
}

#[test]
fn pep440_order_matches_packaging() {
    order_agrees("pep440_pairs.tsv", Scheme::Pep440);
}

#[test]
fn pep440_validity_and_normalization_match_packaging() {
    let rows = rows("pep440_normalize.tsv");
    let mut failures = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for (line, f) in &rows {
        let input = text(&f[0]);
        let got = Pep440Version::parse(input).map(|v| v.to_string()).ok();
        let want = f[1].as_str().map(str::to_owned);
        if want.is_some() {
            valid += 1
        } else {
            invalid += 1
        }
        if got != want {
            failures.push(format!(
                "line {line}: {input:?}: want {want:?}, got {got:?}"
            ));
        }
    }
    assert_all_agree(&failures, &format!("of {} ", rows.len()));
    eprintln!(
        "pep440_normalize.tsv: {} agree ({valid} valid, {invalid} invalid)",
        rows.len()
    );
    assert!(valid > 10_000 && invalid > 1_000);
}

#[test]
fn semver_order_matches_node_semver() {
    order_agrees("semver_pairs.tsv", Scheme::Semver);
    // Every reference-valid string is also valid under the strict grammar.
    for (line, f) in rows("semver_pairs.tsv") {
        for s in [text(&f[0]), text(&f[1])] {
            assert!(
                SemverVersion::parse_strict(s).is_ok(),
                "line {line}: strict parse of {s:?}"
            );
        }
    }
}

/// node-semver's `version` property: the normalized form without build metadata.
fn without_build(v: &SemverVersion) -> String {
    let s = v.to_string();
    s.split('+').next().unwrap_or(&s).to_owned()
}

#[test]
fn semver_lenient_parse_extends_node_loose() {
    let rows = rows("semver_lenient.tsv");
    let mut failures = Vec::new();
    let (mut both, mut only_ours, mut neither, mut trailing_hyphen) = (0, 0, 0, 0);
    for (line, f) in &rows {
        let input = text(&f[0]);
        let ours = SemverVersion::parse_lenient(input).ok();
        match (f[1].as_str(), &ours) {
            (Some(want), Some(got)) if without_build(got) == want => both += 1,
            // Deliberate deviation: node's loose grammar makes the `-` of a
            // trailing hyphen the prerelease itself (`1.2.3-` -> `1.2.3--`);
            // we reject such truncated versions.
            (Some(want), None) if input.trim_end().ends_with('-') && want.ends_with("--") => {
                trailing_hyphen += 1
            }
            (Some(want), got) => failures.push(format!(
                "line {line}: {input:?}: node {want:?}, ours {got:?}"
            )),
            (None, Some(_)) => only_ours += 1,
            (None, None) => neither += 1,
        }
    }
    assert_all_agree(&failures, "");
    eprintln!(
        "semver_lenient.tsv: {both} accepted by node loose and equal here, {only_ours} accepted only here \
         (short forms, ...), {neither} rejected by both, {trailing_hyphen} trailing-hyphen \
         inputs rejected here on purpose"
    );
    assert!(both > 1_000 && neither > 1_000);
}

#[test]
fn go_order_matches_x_mod_semver() {
    order_agrees("go_pairs.tsv", Scheme::Go);
}

#[test]
fn go_validity_canonical_and_pseudo_match_x_mod() {
    let rows = rows("go_valid.tsv");
    let mut failures = Vec::new();
    let (mut valid, mut pseudo, mut incompatible) = (0, 0, 0);
    for (line, f) in &rows {
        let input = text(&f[0]);
        let parsed = GoVersion::parse(input).ok();
        let got = (
            parsed.as_ref().map(GoVersion::canonical),
            parsed.as_ref().is_some_and(|v| v.pseudo().is_some()),
            parsed.as_ref().is_some_and(GoVersion::is_incompatible),
        );
        let want = (
            f[1].as_str().map(str::to_owned),
            f[2].as_bool() == Some(true),
            f[3].as_bool() == Some(true),
        );
        valid += usize::from(want.0.is_some());
        pseudo += usize::from(want.1);
        incompatible += usize::from(want.2);
        if got != want {
            failures.push(format!(
                "line {line}: {input:?}: want {want:?}, got {got:?}"
            ));
        }
    }
    assert_all_agree(&failures, "");
    eprintln!(
        "go_valid.tsv: {} agree ({valid} valid, {pseudo} pseudo, {incompatible} +incompatible)",
        rows.len()
    );
    assert!(valid > 2_000 && pseudo > 100 && incompatible > 10);
}

/// Checks a `input<TAB>accepted` fixture against `parse`; returns (accepted, rejected).
fn check_validity(name: &str, parse: impl Fn(&str) -> bool) -> (usize, usize) {
    let rows = rows(name);
    let mut failures = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for (line, f) in &rows {
        let input = text(&f[0]);
        let want = f[1].as_bool().expect("a JSON boolean");
        if want {
            accepted += 1
        } else {
            rejected += 1
        }
        let got = parse(input);
        if got != want {
            failures.push(format!(
                "line {line}: {input:?}: reference accepts: {want}, we accept: {got}"
            ));
        }
    }
    assert_all_agree(&failures, &format!("of {} ", rows.len()));
    eprintln!(
        "{name}: {} agree ({accepted} accepted, {rejected} rejected)",
        rows.len()
    );
    (accepted, rejected)
}

#[test]
fn dpkg_order_matches_dpkg_compare_versions() {
    order_agrees("dpkg_pairs.tsv", Scheme::Dpkg);
}

#[test]
fn dpkg_validity_matches_dpkg() {
    let (accepted, rejected) = check_validity("dpkg_valid.tsv", |s| {
        chainproof_version::DpkgVersion::parse(s).is_ok()
    });
    assert!(accepted > 5_000 && rejected > 100);
}

#[test]
fn apk_order_matches_apk_tools() {
    order_agrees("apk_pairs.tsv", Scheme::Apk);
}

#[test]
fn apk_validity_matches_apk_tools() {
    let (accepted, rejected) = check_validity("apk_valid.tsv", |s| {
        chainproof_version::ApkVersion::parse(s).is_ok()
    });
    assert!(accepted > 3_000 && rejected > 500);
}

#[test]
fn rpm_order_matches_rpm_vercmp() {
    order_agrees("rpm_pairs.tsv", Scheme::Rpm);
}

#[test]
fn maven_order_matches_comparable_version() {
    order_agrees("maven_pairs.tsv", Scheme::Maven);
}

/// Every string of an `<eco>_invalid.tsv` fixture (rejected by the reference)
/// must be rejected here too.
fn check_invalid(name: &str, scheme: Scheme) -> usize {
    let rows = rows(name);
    let accepted: Vec<String> = rows
        .iter()
        .filter(|(_, f)| scheme.parse(text(&f[0])).is_ok())
        .map(|(line, f)| format!("{name}:{line}: {:?} accepted", text(&f[0])))
        .collect();
    assert!(
        accepted.is_empty(),
        "{} of {} invalid strings accepted:\n{}",
        accepted.len(),
        rows.len(),
        accepted[..accepted.len().min(40)].join("\n")
    );
    eprintln!("{name}: all {} rejected", rows.len());
    rows.len()
}

#[test]
fn rubygems_order_and_validity_match_gem_version() {
    order_and_validity_agree("rubygems", Scheme::RubyGems);
}

#[test]
fn composer_order_and_validity_match_composer_semver() {
    order_and_validity_agree("composer", Scheme::Composer);
}

#[test]
fn cran_order_and_validity_match_r_package_version() {
    order_and_validity_agree("cran", Scheme::Cran);
}
