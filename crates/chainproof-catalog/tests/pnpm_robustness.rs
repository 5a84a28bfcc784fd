//! Malformed pnpm lockfiles: errors that name the place, never a panic, bounded work on
//! YAML alias bombs and deep nesting.

use std::path::{Path, PathBuf};

use chainproof_catalog::{CatalogError, Cataloger, pnpm::PnpmLockCataloger};
use chainproof_core::Inventory;
use chainproof_source::MemoryResolver;

const LOCK: &str = "app/pnpm-lock.yaml";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pnpm")
}

fn parse(data: &[u8]) -> Result<Inventory, CatalogError> {
    PnpmLockCataloger.catalog(&MemoryResolver::new().with_file(LOCK, data), LOCK)
}

fn error_of(text: &str) -> CatalogError {
    parse(text.as_bytes()).expect_err("must fail")
}

#[test]
fn malformed_documents_are_errors_with_lines() {
    let e = parse(&std::fs::read(fixtures().join("scalibr/not-yaml.txt")).expect("f"))
        .expect_err("not yaml");
    assert_eq!((e.path.as_str(), e.line), (LOCK, Some(1)));
    assert!(e.message.contains("not a pnpm lockfile"), "{e}");

    let e = error_of("lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {\n  b: [\n");
    assert!(e.line.is_some_and(|l| l >= 3), "{e}");

    let e = error_of("lockfileVersion: '9.0'\n\npackages:\n  - a\n");
    assert_eq!(e.line, Some(3), "{e}");
    assert_eq!(e.pointer.as_deref(), Some("/packages"));

    let e = error_of("name: x\npackages: {}\n");
    assert!(e.message.contains("lockfileVersion"), "{e}");

    // Billion laughs: refused, quickly.
    let mut bomb = String::from("lockfileVersion: '9.0'\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9u8 {
        let (prev, cur) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        bomb.push_str(&format!(
            "{cur}: &{cur} [{}]\n",
            vec![format!("*{prev}"); 10].join(",")
        ));
    }
    let start = std::time::Instant::now();
    let e = error_of(&bomb);
    assert!(start.elapsed().as_secs() < 5, "{e}");

    // Deep nesting: refused by the depth limit, no stack overflow.
    let deep = format!(
        "lockfileVersion: '9.0'\nx: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let e = error_of(&deep);
    assert!(e.message.contains("recursion"), "{e}");
}

/// Every prefix of every fixture: an inventory or an error, never a panic.
#[test]
fn truncated_fixtures_never_panic() {
    let mut n = 0;
    for f in [
        "scalibr/mixed-groups.v9.yaml",
        "scalibr/files.yaml",
        "scalibr/exotic.yaml",
    ] {
        let data = std::fs::read(fixtures().join(f)).expect("f");
        for cut in (0..data.len()).step_by(7) {
            let _ = parse(&data[..cut]);
            n += 1;
        }
    }
    assert!(n > 100);
}
