//! Corpus tier: runs over the full shared corpus when it is present (skips loudly when not).
//! The corpus is `../shared/corpus` from the workspace root, or `$CHAINPROOF_CORPUS`.

use std::path::{Path, PathBuf};

use chainproof_sbom::{DetectedFormat, decode, validate};

/// The corpus root, when it has its `sbom/` part (else the loud skip line).
fn corpus() -> Option<PathBuf> {
    let sbom = chainproof_testkit::corpus::dir("sbom")?;
    sbom.parent().map(Path::to_path_buf)
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.to_string_lossy().ends_with(".json")
            || p.to_string_lossy().ends_with(".json.golden")
        {
            out.push(p);
        }
    }
}

#[test]
fn cyclonedx_spec_verdicts_all_versions() {
    let Some(corpus) = corpus() else { return };
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for version in ["1.4", "1.5", "1.6", "1.7"] {
        let mut files = Vec::new();
        json_files(
            &corpus.join("sbom/cyclonedx-specification").join(version),
            &mut files,
        );
        for path in files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let bytes = std::fs::read(&path).expect("read");
            let expect_valid = name.starts_with("valid-");
            checked += 1;
            match validate(&bytes, &name) {
                Ok(v) if v.is_valid() == expect_valid => {}
                Ok(v) => mismatches.push(format!("{version}/{name}: {:?}", v.problems)),
                Err(e) => mismatches.push(format!("{version}/{name}: {e}")),
            }
        }
    }
    eprintln!(
        "checked {checked} CycloneDX spec cases, {} mismatches",
        mismatches.len()
    );
    assert!(checked > 200);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_sbom_document_in_the_corpus_decodes() {
    let Some(corpus) = corpus() else { return };
    let mut files = Vec::new();
    for d in [
        "sbom/cyclonedx-bom-examples",
        "sbom/syft",
        "sbom/trivy",
        "sbom/spdx-spec",
    ] {
        json_files(&corpus.join(d), &mut files);
    }
    let (mut cdx, mut spdx, mut other, mut packages) = (0, 0, 0, 0);
    let (mut valid, mut invalid, mut no_schema) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("read");
        let name = path.display().to_string();
        match decode(&bytes, &name) {
            Ok(d) => {
                packages += d.inventory.len();
                match d.format {
                    DetectedFormat::CycloneDx { .. } => cdx += 1,
                    DetectedFormat::Spdx { .. } => spdx += 1,
                }
                match validate(&bytes, &name) {
                    Ok(v) if v.is_valid() => valid += 1,
                    Ok(v) => {
                        invalid += 1;
                        eprintln!(
                            "  problems in {name}: {:?}",
                            v.problems.iter().take(3).collect::<Vec<_>>()
                        );
                    }
                    Err(_) => no_schema += 1,
                }
            }
            // not an SBOM (syft JSON, VEX-only documents, SPDX 3, …) or malformed on purpose
            Err(e) => {
                other += 1;
                let is_sbom_format = std::str::from_utf8(&bytes)
                    .is_ok_and(|s| s.contains("\"bomFormat\"") || s.contains("\"spdxVersion\""));
                if is_sbom_format
                    && !name.contains("bad")
                    && !name.contains("invalid")
                    && !name.contains("/schemas/")
                {
                    failures.push(format!("{e}"));
                }
            }
        }
    }
    eprintln!(
        "decoded {cdx} CycloneDX and {spdx} SPDX documents ({packages} packages); {other} others"
    );
    eprintln!(
        "of those: {valid} valid, {invalid} with problems, {no_schema} without a bundled schema"
    );
    assert!(cdx > 50 && spdx > 5, "{cdx} {spdx}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
