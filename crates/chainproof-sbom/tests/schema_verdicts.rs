//! The CycloneDX specification's own test BOMs: `valid-*` must validate, `invalid-*` must not.

use std::path::{Path, PathBuf};

use chainproof_sbom::{DetectedFormat, ProblemKind, validate};

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Checks every file and returns (valid count, invalid count); reports all mismatches at once.
fn check_verdicts(dir: &str, version: &str) -> (usize, usize) {
    let mut mismatches = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for path in fixtures(dir) {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name")
            .to_string();
        let bytes = std::fs::read(&path).expect("read fixture");
        let v = match validate(&bytes, &name) {
            Ok(v) => v,
            Err(e) => {
                mismatches.push(format!("{name}: unreadable: {e}"));
                continue;
            }
        };
        assert_eq!(
            v.format,
            DetectedFormat::CycloneDx {
                version: version.into()
            },
            "{name}"
        );
        if name.starts_with("valid-") {
            valid += 1;
            if !v.is_valid() {
                mismatches.push(format!("{name}: expected valid, got {:?}", v.problems));
            }
        } else if name.starts_with("invalid-") {
            invalid += 1;
            if v.is_valid() {
                mismatches.push(format!("{name}: expected invalid, found no problem"));
            }
            let kinds: Vec<_> = v
                .problems
                .iter()
                .map(|p| (p.kind, p.pointer.as_str()))
                .collect();
            eprintln!("{name}: {kinds:?}");
            for p in &v.problems {
                assert!(
                    p.pointer.is_empty() || p.pointer.starts_with('/'),
                    "{name}: {p:?}"
                );
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    (valid, invalid)
}

#[test]
fn cyclonedx_1_5_spec_cases() {
    let (valid, invalid) = check_verdicts("cyclonedx-1.5", "1.5");
    // counted with `ls tests/fixtures/cyclonedx-1.5 | grep -c ^valid-` / `^invalid-`
    assert_eq!((valid, invalid), (36, 22));
}

#[test]
fn cyclonedx_1_6_spec_cases() {
    let (valid, invalid) = check_verdicts("cyclonedx-1.6", "1.6");
    assert_eq!((valid, invalid), (34, 19));
}

#[test]
fn schema_errors_carry_instance_pointers() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/cyclonedx-1.6/invalid-scope-1.6.json"),
    )
    .expect("fixture");
    let v = validate(&bytes, "invalid-scope-1.6.json").expect("readable");
    let schema: Vec<_> = v
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Schema)
        .collect();
    assert!(
        schema.iter().any(|p| p.pointer == "/components/0/scope"),
        "{schema:?}"
    );
}
