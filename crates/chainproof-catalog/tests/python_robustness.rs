//! No input makes a Python cataloger panic: every fixture, cut at many points and with
//! bytes flipped, is fed to all three parsers (a cheap, deterministic stand-in for the
//! fuzz targets in `fuzz/fuzz_targets/{requirements,poetry_lock,uv_lock}.rs`).

use std::path::Path;

use chainproof_catalog::Cataloger;
use chainproof_catalog::python::{PoetryLockCataloger, RequirementsCataloger, UvLockCataloger};
use chainproof_source::MemoryResolver;

fn inputs() -> Vec<Vec<u8>> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/python");
    let mut out = Vec::new();
    for dir in [
        "osv-scanner/pip",
        "scalibr/requirements",
        "scalibr/poetrylock",
        "scalibr/uvlock",
    ] {
        for e in std::fs::read_dir(base.join(dir)).expect("fixture dir") {
            out.push(std::fs::read(e.expect("entry").path()).expect("read"));
        }
    }
    out
}

/// Cut points: every line end and about 60 evenly spaced offsets.
fn variants(data: &[u8]) -> Vec<Vec<u8>> {
    let mut cuts: Vec<usize> = data
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let step = (data.len() / 60).max(1);
    cuts.extend((0..data.len()).step_by(step));
    let mut out: Vec<Vec<u8>> = cuts.iter().map(|&c| data[..c].to_vec()).collect();
    for &c in cuts.iter().step_by(3) {
        for b in [b'"', b'[', b'=', b'\\', b'\n', b'#', b'-', 0xff] {
            let mut v = data.to_vec();
            if c < v.len() {
                v[c] = b;
                out.push(v);
            }
        }
    }
    out
}

#[test]
fn truncated_and_mutated_fixtures_never_panic() {
    let catalogers: [(&dyn Cataloger, &str); 3] = [
        (&RequirementsCataloger, "requirements.txt"),
        (&PoetryLockCataloger, "poetry.lock"),
        (&UvLockCataloger, "uv.lock"),
    ];
    let mut runs = 0usize;
    for data in inputs() {
        for v in variants(&data) {
            for (c, file) in &catalogers {
                let r = MemoryResolver::new()
                    .with_file(file, v.clone())
                    .with_file("pyproject.toml", v.clone());
                let _ = c.catalog(&r, file);
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "only {runs} runs");
}
