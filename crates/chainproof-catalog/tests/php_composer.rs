//! Golden tests of the `php-composer-lock` and `php-composer-installed` catalogers on every
//! scalibr fixture (the osv-scanner v1 ones are identical), a composer.json root, Composer 1
//! and 2 installed.json, malformed input, and firefly-iii's lock (corpus tier).

use std::collections::BTreeSet;

use chainproof_catalog::Cataloger;
use chainproof_catalog::php::{ComposerLockCataloger, InstalledJsonCataloger};
use chainproof_core::{HashAlgorithm, Inventory, License, PackageKind, Scope};
use chainproof_source::MemoryResolver;

mod common;

use chainproof_testkit as kit;
use kit::inv::{pkg, rows as s};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture(&format!("php/scalibr/{name}"))
}

fn run(r: &MemoryResolver, path: &str) -> Inventory {
    common::run(&ComposerLockCataloger, r, path)
}

fn lock(name: &str) -> Inventory {
    kit::catalog::run_bytes(&ComposerLockCataloger, "composer.lock", fixture(name))
}

/// `(purl, scope, line)` of every package, sorted.
fn summary(inv: &Inventory) -> Vec<(String, Scope, u32)> {
    kit::inv::summary_sorted(inv, kit::inv::purl)
}

fn edges(inv: &Inventory) -> Vec<String> {
    kit::inv::edge_lines(inv, kit::inv::id)
}

#[test]
fn every_fixture_is_covered() {
    assert_eq!(
        common::fixtures().names("php/scalibr"),
        vec![
            "drupal-packages.json",
            "duplicate-packages.json",
            "empty.json",
            "null.jsontest",
            "one-package-dev.json",
            "one-package.json",
            "two-packages.json",
        ],
        "a new fixture needs a golden test below"
    );
}

#[test]
fn golden_empty_and_null() {
    let inv = lock("empty.json");
    assert!(inv.is_empty());
    let r = MemoryResolver::new().with_file("composer.lock", fixture("null.jsontest"));
    let e = ComposerLockCataloger
        .catalog(&r, "composer.lock")
        .expect_err("null is not a lock");
    assert_eq!(e.line, Some(1));
}

#[test]
fn golden_one_and_two_packages() {
    let sdk = "pkg:composer/sentry/sdk@2.0.4";
    let inv = lock("one-package.json");
    assert_eq!(summary(&inv), s(&[(sdk, Scope::Runtime, 10)]));
    let p = pkg(&inv, sdk);
    assert_eq!(
        p.source.as_deref(),
        Some(
            "git+https://github.com/getsentry/sentry-php-sdk.git@4c115873c86ad5bd0ac6d962db70ca53bf8fb874"
        )
    );
    assert_eq!(
        p.properties["chainproof:composer:dist-url"],
        "https://api.github.com/repos/getsentry/sentry-php-sdk/zipball/4c115873c86ad5bd0ac6d962db70ca53bf8fb874"
    );
    assert_eq!(p.properties["chainproof:composer:type"], "metapackage");
    assert_eq!(
        p.properties["chainproof:composer:reference"],
        "4c115873c86ad5bd0ac6d962db70ca53bf8fb874"
    );
    assert!(p.hashes.is_empty(), "an empty shasum is no hash");
    assert_eq!(p.licenses, vec![License::Spdx("MIT".into())]);
    assert_eq!(
        p.properties["chainproof:composer:unresolved"],
        "http-interop/http-factory-guzzle, php-http/curl-client, sentry/sentry"
    );
    assert_eq!(inv.roots().count(), 0, "no composer.json: no root");

    let inv = lock("one-package-dev.json");
    assert_eq!(summary(&inv), s(&[(sdk, Scope::Dev, 11)]));

    let inv = lock("two-packages.json");
    assert_eq!(
        summary(&inv),
        s(&[
            (sdk, Scope::Runtime, 10),
            ("pkg:composer/theseer/tokenizer@1.1.3", Scope::Dev, 43),
        ])
    );
    let tok = pkg(&inv, "pkg:composer/theseer/tokenizer@1.1.3");
    assert_eq!(tok.licenses, vec![License::Spdx("BSD-3-Clause".into())]);
    assert!(
        !tok.properties
            .contains_key("chainproof:composer:unresolved"),
        "php and ext-* are platform requirements"
    );
    assert_eq!(inv.edges().count(), 0);
}

#[test]
fn golden_duplicates() {
    let inv = lock("duplicate-packages.json");
    assert_eq!(
        summary(&inv),
        s(&[
            ("pkg:composer/sentry/sdk@2.0.4", Scope::Runtime, 10),
            ("pkg:composer/sentry/sdk@2.0.5", Scope::Runtime, 17),
            ("pkg:composer/sentry/sdk@3.0.0-dev", Scope::Dev, 26),
        ])
    );
    let p = pkg(&inv, "pkg:composer/sentry/sdk@2.0.5");
    assert_eq!(p.source, None, "a dist without url");
    assert_eq!(
        p.properties["chainproof:composer:reference"],
        "4c115873c86ad5bd0ac6d962db70ca53bf8fb874"
    );
}

#[test]
fn golden_drupal_with_composer_json_root() {
    let manifest = r#"{
        "name": "acme/site",
        "require": {"php": ">=8.1", "ext-gd": "*", "drupal/core": "^10", "drupal/tfa": "^2@alpha",
                    "drupal/core-render": "^10", "acme/not-locked": "^1"},
        "require-dev": {"drupal/field_time": "^1@beta", "theseer/tokenizer": "^1"}
    }"#;
    let r = MemoryResolver::new()
        .with_file("web/composer.lock", fixture("drupal-packages.json"))
        .with_file("web/composer.json", manifest);
    let inv = run(&r, "web/composer.lock");
    assert_eq!(
        summary(&inv),
        s(&[
            ("pkg:composer/acme/site", Scope::Runtime, 0),
            ("pkg:composer/drupal/core@10.4.5", Scope::Runtime, 10),
            (
                "pkg:composer/drupal/field_time@1.0.0-beta5",
                Scope::Dev,
                299
            ),
            ("pkg:composer/drupal/tfa@2.0.0-alpha4", Scope::Runtime, 174),
            ("pkg:composer/theseer/tokenizer@1.1.3", Scope::Runtime, 261),
        ])
    );
    let tfa = pkg(&inv, "pkg:composer/drupal/tfa@2.0.0-alpha4");
    assert_eq!(tfa.hashes.len(), 1);
    assert_eq!(tfa.hashes[0].algorithm, HashAlgorithm::Sha1);
    assert_eq!(
        tfa.hashes[0].value,
        "70b03b6c7868ced71ed0b3ca596ad83e76c2adc0"
    );
    assert_eq!(tfa.properties["chainproof:composer:type"], "drupal-module");
    assert_eq!(tfa.licenses, vec![License::Spdx("GPL-2.0-or-later".into())]);
    assert_eq!(
        tfa.properties["chainproof:composer:unresolved"],
        "chillerlan/php-qrcode, drupal/encrypt, spomky-labs/otphp"
    );
    let root = inv.package(inv.roots().next().expect("root"));
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(root.name, "acme/site");
    assert_eq!(
        root.properties["chainproof:composer:content-hash"],
        "123abc"
    );
    assert_eq!(
        root.properties["chainproof:composer:unresolved"],
        "acme/not-locked"
    );
    assert_eq!(
        edges(&inv),
        vec![
            "acme/site@ -> drupal/core@10.4.5",
            "acme/site@ -> drupal/core@10.4.5",
            "acme/site@ -> drupal/field_time@1.0.0-beta5",
            "acme/site@ -> drupal/tfa@2.0.0-alpha4",
            "acme/site@ -> theseer/tokenizer@1.1.3",
            "drupal/field_time@1.0.0-beta5 -> drupal/core@10.4.5",
            "drupal/tfa@2.0.0-alpha4 -> drupal/core@10.4.5",
        ]
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>(),
        "drupal/core-render resolves to drupal/core, which replaces it"
    );
}

#[test]
fn bad_composer_json_is_unparsed_and_the_lock_still_read() {
    let r = MemoryResolver::new()
        .with_file("composer.lock", fixture("one-package.json"))
        .with_file("composer.json", "{\n  \"name\": \n");
    let inv = run(&r, "composer.lock");
    assert_eq!(inv.len(), 1);
    assert_eq!(inv.unparsed().len(), 1);
    assert_eq!(inv.unparsed()[0].location.path, "composer.json");
    assert_eq!(inv.unparsed()[0].location.line, Some(3));
}

#[test]
fn malformed_locks_are_errors_with_a_line() {
    let cases: [(&str, u32); 4] = [
        ("{\n \"packages\": [\n  {\"name\": \"a/b\"}\n ]\n}", 3),
        ("{\n \"packages\": {}\n}", 2),
        (
            "{\n \"packages\": [\n  {\"name\": \"a/b\", \"version\": 1}\n ]\n}",
            3,
        ),
        ("[]", 1),
    ];
    for (text, line) in cases {
        let r = MemoryResolver::new().with_file("composer.lock", text);
        let e = ComposerLockCataloger
            .catalog(&r, "composer.lock")
            .expect_err(text);
        assert_eq!(e.line, Some(line), "{text}: {e}");
    }
    let text = String::from_utf8(fixture("two-packages.json")).expect("utf-8");
    for end in (0..text.len()).step_by(7) {
        let r = MemoryResolver::new().with_file("composer.lock", &text[..end]);
        let _ = ComposerLockCataloger.catalog(&r, "composer.lock");
    }
}

const INSTALLED_V2: &str = r#"{
    "packages": [
        {
            "name": "asm89/stack-cors",
            "version": "1.3.0",
            "dist": {"type": "zip", "url": "https://x/stack-cors.zip", "reference": "b9c3", "shasum": "0123456789abcdef0123456789abcdef01234567"},
            "require": {"php": ">=5.5.9", "symfony/http-foundation": "~5.0"},
            "license": "MIT",
            "install-path": "../asm89/stack-cors"
        },
        {
            "name": "behat/mink",
            "version": "v1.8.1",
            "source": {"type": "git", "url": "https://github.com/minkphp/Mink.git", "reference": "07c6"},
            "require": {"asm89/stack-cors": "^1"},
            "license": ["MIT"]
        },
        {
            "name": "symfony/http-foundation",
            "version": "v5.0.0",
            "dist": {"type": "path", "url": "../packages/http-foundation"}
        }
    ],
    "dev": true,
    "dev-package-names": ["behat/mink"]
}"#;

#[test]
fn installed_json_v2_and_v1() {
    let c = InstalledJsonCataloger;
    assert!(c.matches("vendor/composer/installed.json"));
    assert!(!c.matches("vendor/installed.json"));
    let r = MemoryResolver::new().with_file("vendor/composer/installed.json", INSTALLED_V2);
    let inv = c
        .catalog(&r, "vendor/composer/installed.json")
        .expect("parses");
    assert_eq!(
        summary(&inv),
        s(&[
            ("pkg:composer/asm89/stack-cors@1.3.0", Scope::Runtime, 4),
            ("pkg:composer/behat/mink@v1.8.1", Scope::Dev, 12),
            (
                "pkg:composer/symfony/http-foundation@v5.0.0",
                Scope::Runtime,
                19
            ),
        ])
    );
    let cors = pkg(&inv, "pkg:composer/asm89/stack-cors@1.3.0");
    assert_eq!(
        cors.hashes[0].value,
        "0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(cors.source.as_deref(), Some("https://x/stack-cors.zip"));
    assert_eq!(cors.licenses, vec![License::Spdx("MIT".into())]);
    assert_eq!(
        cors.properties["chainproof:composer:install-path"],
        "../asm89/stack-cors"
    );
    let hf = pkg(&inv, "pkg:composer/symfony/http-foundation@v5.0.0");
    assert_eq!(hf.kind, PackageKind::Project, "a path dist is local code");
    assert_eq!(
        edges(&inv),
        vec![
            "asm89/stack-cors@1.3.0 -> symfony/http-foundation@v5.0.0",
            "behat/mink@v1.8.1 -> asm89/stack-cors@1.3.0",
        ]
    );

    // Composer 1: the bare array, no dev information.
    let v2: serde_json::Value = serde_json::from_str(INSTALLED_V2).expect("json");
    let v1 = serde_json::to_string_pretty(&v2["packages"]).expect("json");
    let r = MemoryResolver::new().with_file("vendor/composer/installed.json", v1.as_str());
    let inv = c
        .catalog(&r, "vendor/composer/installed.json")
        .expect("parses");
    assert_eq!(inv.len(), 3);
    assert!(inv.packages().all(|(_, p)| p.scope == Scope::Runtime));
    assert!(inv.packages().all(|(_, p)| p.locations[0].line.is_some()));
    assert_eq!(inv.edges().count(), 2);

    for bad in ["null", "\"x\"", "{\"packages\": 3}"] {
        let r = MemoryResolver::new().with_file("vendor/composer/installed.json", bad);
        let e = c
            .catalog(&r, "vendor/composer/installed.json")
            .expect_err(bad);
        assert_eq!(e.line, Some(1), "{bad}");
    }
}

#[test]
fn osv_scanner_v1_fixtures_equal_scalibr_ones() {
    let Some(dir) = kit::corpus::dir("lockfiles/packagist/osv-scanner-v1/composer") else {
        return;
    };
    let n = kit::fixture::assert_copies(&dir, &common::fixtures().sub("php/scalibr"));
    assert_eq!(n, 4);
}

#[test]
fn realworld_firefly_iii() {
    let (Some(lock), Some(manifest)) = (
        kit::corpus::read_to_string("realworld/firefly-iii/composer.lock"),
        kit::corpus::read_to_string("realworld/firefly-iii/composer.json"),
    ) else {
        return;
    };
    let r = MemoryResolver::new()
        .with_file("firefly/composer.lock", lock.as_str())
        .with_file("firefly/composer.json", manifest.as_str());
    let inv = run(&r, "firefly/composer.lock");

    // Independent counts straight from the JSON.
    let j: serde_json::Value = serde_json::from_str(&lock).expect("json");
    let names = |k: &str| -> BTreeSet<String> {
        j[k].as_array()
            .expect("array")
            .iter()
            .map(|p| {
                format!(
                    "{}@{}",
                    p["name"].as_str().unwrap_or(""),
                    p["version"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    let (runtime, dev) = (names("packages"), names("packages-dev"));
    assert_eq!((runtime.len(), dev.len()), (133, 51));
    let ours = |scope: Scope| -> BTreeSet<String> {
        inv.packages()
            .filter(|(_, p)| p.kind == PackageKind::Library && p.scope == scope)
            .map(|(_, p)| kit::inv::id(p))
            .collect()
    };
    assert_eq!(ours(Scope::Runtime), runtime);
    assert_eq!(ours(Scope::Dev), dev);
    assert_eq!(inv.len(), 133 + 51 + 1);
    let shasums = j["packages"]
        .as_array()
        .into_iter()
        .chain(j["packages-dev"].as_array())
        .flatten()
        .filter(|p| p["dist"]["shasum"].as_str().is_some_and(|s| !s.is_empty()))
        .count();
    assert_eq!(
        inv.packages().filter(|(_, p)| !p.hashes.is_empty()).count(),
        shasums
    );
    assert!(
        inv.packages()
            .filter(|(_, p)| p.kind == PackageKind::Library)
            .all(|(_, p)| p.locations[0].line.is_some())
    );

    let m: serde_json::Value = serde_json::from_str(&manifest).expect("json");
    let direct: usize = ["require", "require-dev"]
        .iter()
        .flat_map(|k| m[*k].as_object().into_iter().flatten())
        .filter(|(k, _)| k.contains('/'))
        .count();
    let root = inv.roots().next().expect("root");
    assert_eq!(inv.package(root).name, "grumpydictator/firefly-iii");
    let direct_names: BTreeSet<&str> = inv
        .dependencies_of(root)
        .map(|d| inv.package(d).name.as_str())
        .collect();
    assert_eq!(direct_names.len(), direct);
    assert!(
        inv.package(root).properties["chainproof:composer:platform"].starts_with("ext-bcmath *")
    );
}
