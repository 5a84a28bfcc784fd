//! Golden tests for the Gradle catalogers (lockfile, verification metadata, version catalog)
//! on the corpus fixtures copied under `tests/fixtures/java/` (see SOURCES.md there).

use std::collections::{BTreeMap, BTreeSet};

use chainproof_catalog::Cataloger;
use chainproof_catalog::java::{
    GradleLockfileCataloger, GradleVerificationCataloger, GradleVersionCatalogCataloger,
    PROP_CATALOG_ALIAS, PROP_CONFIGURATIONS, PROP_GRADLE_PLUGIN, PROP_UNRESOLVED_VERSION,
    PROP_VERSION_CONSTRAINT, parse_gradle_lockfile, parse_verification_metadata,
    parse_version_catalog,
};
use chainproof_core::{HashAlgorithm, Inventory, Package, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::{pkg, set};

fn fixture(rel: &str) -> String {
    kit::fixtures!("java").text(rel)
}

fn purl(p: &Package) -> String {
    p.purl.as_ref().expect("maven purl").to_string()
}

fn purls(inv: &Inventory) -> BTreeSet<String> {
    inv.packages().map(|(_, p)| purl(p)).collect()
}

/// Lockfile: purl → (line, scope)
fn lock_table(inv: &Inventory) -> BTreeMap<String, (u32, Scope)> {
    inv.packages()
        .map(|(_, p)| (purl(p), (p.locations[0].line.expect("line"), p.scope)))
        .collect()
}

#[test]
fn gradle_lockfile_five_packages() {
    for src in ["osv-scanner-v1/gradle", "scalibr/java-gradlelockfile"] {
        let text = fixture(&format!("{src}/5-pkg"));
        let inv = parse_gradle_lockfile("gradle.lockfile", &text);
        let sb = "pkg:maven/org.springframework.boot";
        assert_eq!(
            lock_table(&inv),
            BTreeMap::from([
                (
                    format!("{sb}/spring-boot-autoconfigure@2.7.4"),
                    (5, Scope::Runtime)
                ),
                (
                    format!("{sb}/spring-boot-configuration-processor@2.7.5"),
                    (6, Scope::Runtime)
                ),
                (
                    format!("{sb}/spring-boot-devtools@2.7.6"),
                    (7, Scope::Runtime)
                ),
                (
                    format!("{sb}/spring-boot-starter-aop@2.7.7"),
                    (8, Scope::Runtime)
                ),
                (
                    format!("{sb}/spring-boot-starter-data-jpa@2.7.8"),
                    (9, Scope::Runtime)
                ),
            ]),
            "{src}"
        );
        let p = pkg(&inv, &format!("{sb}/spring-boot-devtools@2.7.6"));
        assert_eq!(p.name, "org.springframework.boot:spring-boot-devtools");
        assert_eq!(
            p.properties[PROP_CONFIGURATIONS],
            "developmentOnly,runtimeClasspath"
        );
        assert_eq!(inv.edges().count(), 0);
    }
}

#[test]
fn gradle_lockfile_edge_cases() {
    for src in ["osv-scanner-v1/gradle", "scalibr/java-gradlelockfile"] {
        for empty in ["only-comments", "only-empty"] {
            let inv = parse_gradle_lockfile("gradle.lockfile", &fixture(&format!("{src}/{empty}")));
            assert!(inv.is_empty(), "{src}/{empty}");
        }
        // junk lines are skipped, the two modules kept
        let inv =
            parse_gradle_lockfile("gradle.lockfile", &fixture(&format!("{src}/with-bad-pkg")));
        assert_eq!(
            purls(&inv),
            set(&[
                "pkg:maven/org.springframework.boot/spring-boot-autoconfigure@2.7.4",
                "pkg:maven/org.springframework.boot/spring-boot-configuration-processor@2.7.5",
            ])
        );
    }

    // test-only configurations are dev; buildscript lockfiles are dev
    let text = "a:b:1=testCompileClasspath,testRuntimeClasspath\n\
                a:c:2=runtimeClasspath,testRuntimeClasspath\n\
                a:d:3=androidTestRuntimeClasspath\n\
                empty=annotationProcessor\n";
    let t = lock_table(&parse_gradle_lockfile("app/gradle.lockfile", text));
    assert_eq!(t["pkg:maven/a/b@1"].1, Scope::Dev);
    assert_eq!(t["pkg:maven/a/c@2"].1, Scope::Runtime);
    assert_eq!(t["pkg:maven/a/d@3"].1, Scope::Dev);
    assert_eq!(t.len(), 3);
    let t = lock_table(&parse_gradle_lockfile(
        "buildscript-gradle.lockfile",
        "a:c:2=classpath\n",
    ));
    assert_eq!(t["pkg:maven/a/c@2"], (1, Scope::Dev));

    let c = GradleLockfileCataloger;
    assert!(c.matches("gradle.lockfile"));
    assert!(c.matches("sub/buildscript-gradle.lockfile"));
    assert!(c.matches("gradle/dependency-locks/compileClasspath.lockfile"));
    assert!(!c.matches("yarn.lock"));
    let r = MemoryResolver::new().with_file(
        "m/gradle.lockfile",
        fixture("scalibr/java-gradlelockfile/5-pkg"),
    );
    assert_eq!(c.catalog(&r, "m/gradle.lockfile").expect("ok").len(), 5);
}

const PDFBOX: &str = "pkg:maven/org.apache.pdfbox/pdfbox@2.0.17";
const PDFBOX_SHA512: &str = "7e11e54a21c395d461e59552e88b0de0ebaf1bf9d9bcacadf17b240d9bbc29bf6beb8e36896c186fe405d287f5d517b02c89381aa0fcc5e0aa5814e44f0ab331";

#[test]
fn verification_metadata_small_fixtures() {
    for (name, line) in [
        ("attribute-order.xml", 6),
        ("multi-line.xml", 5),
        ("single-quotes.xml", 5),
        ("duplicates.xml", 5),
    ] {
        let text = fixture(&format!(
            "scalibr/java-gradleverificationmetadataxml/{name}"
        ));
        let inv = parse_verification_metadata("gradle/verification-metadata.xml", &text)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(purls(&inv), set(&[PDFBOX]), "{name}");
        let p = pkg(&inv, PDFBOX);
        assert_eq!(p.locations[0].line, Some(line), "{name}");
        assert_eq!(p.hashes.len(), 1);
        assert_eq!(p.hashes[0].algorithm, HashAlgorithm::Sha512);
        assert_eq!(p.hashes[0].value, PDFBOX_SHA512);
    }
    // duplicates unify into one package seen at two lines
    let inv = parse_verification_metadata(
        "v.xml",
        &fixture("scalibr/java-gradleverificationmetadataxml/duplicates.xml"),
    )
    .expect("ok");
    assert_eq!(pkg(&inv, PDFBOX).locations.len(), 2);

    for src in [
        "scalibr/java-gradleverificationmetadataxml/empty.xml",
        "osv-scanner-v1/gradle-verification-metadata/empty.xml",
    ] {
        assert!(
            parse_verification_metadata("v.xml", &fixture(src))
                .expect("ok")
                .is_empty()
        );
    }

    let e = parse_verification_metadata(
        "v.xml",
        &fixture("scalibr/java-gradleverificationmetadataxml/missing-attribute.xml"),
    )
    .expect_err("missing group");
    assert_eq!(e.line, Some(6), "{e}");
    assert!(e.message.contains("`group`"), "{e}");
}

#[test]
fn verification_metadata_multiple_versions() {
    let a = parse_verification_metadata(
        "v.xml",
        &fixture("scalibr/java-gradleverificationmetadataxml/multiple-versions.xml"),
    )
    .expect("ok");
    let b = parse_verification_metadata(
        "v.xml",
        &fixture("osv-scanner-v1/gradle-verification-metadata/multiple-versions.xml"),
    )
    .expect("ok");
    assert_eq!(purls(&a), purls(&b));
    // counted independently: 18 <component> elements, all distinct
    assert_eq!(a.len(), 18);
    // main artifact hash (the .aar), not the .module one
    let p = pkg(&a, "pkg:maven/androidx.activity/activity@1.2.3");
    let hashes: Vec<_> = p.hashes.iter().map(|h| h.value.as_str()).collect();
    assert_eq!(
        hashes,
        vec!["1dce0705c334a6b2ef03382418dc7586f4e57ee23817267b403ea8cfc36c824e"]
    );
    // only a .module artifact: no hash
    assert!(
        pkg(&a, "pkg:maven/androidx.activity/activity@1.2.1")
            .hashes
            .is_empty()
    );
    // the .jar, not the .pom
    let p = pkg(&a, "pkg:maven/com.google.auto.service/auto-service@1.0-rc4");
    assert_eq!(
        p.hashes[0].value,
        "e422d49c312fd2031222e7306e8108c1b4118eb9c049f1b51eca280bed87e924"
    );
    assert_eq!(p.hashes.len(), 1);
}

#[test]
fn verification_metadata_complex() {
    let text = fixture("osv-scanner-v1/gradle-verification-metadata/complex.xml");
    let components = text.matches("<component ").count();
    let inv = parse_verification_metadata("gradle/verification-metadata.xml", &text).expect("ok");
    assert_eq!(inv.len(), components);
    let p = pkg(&inv, "pkg:maven/com.google.guava/guava@32.1.3-jre");
    assert_eq!(
        p.hashes[0].value,
        "6d4e2b5a118aab62e6e5e29d185a0224eed82c85c40ac3d33cf04a270c3b3744"
    );
    // a parent POM: no artifact hash
    assert!(
        pkg(&inv, "pkg:maven/org.apache/apache@13")
            .hashes
            .is_empty()
    );

    let c = GradleVerificationCataloger;
    assert!(c.matches("gradle/verification-metadata.xml"));
    assert!(c.matches("sub/gradle/verification-metadata.xml"));
    assert!(!c.matches("verification-metadata.xml"));
    let e = parse_verification_metadata("v.xml", "<project/>").expect_err("foreign root");
    assert!(
        e.message.contains("not Gradle verification metadata"),
        "{e}"
    );
    let e = parse_verification_metadata(
        "v.xml",
        "<verification-metadata>\n<components>\n</verification-metadata>",
    )
    .expect_err("malformed");
    assert_eq!(e.line, Some(3), "{e}");
}

#[test]
fn version_catalog() {
    let text = fixture("scalibr/java-gradleversioncatalog/libs.versions.toml");
    let inv = parse_version_catalog("gradle/libs.versions.toml", &text).expect("ok");
    let table: BTreeMap<String, (Option<String>, u32, String)> = inv
        .packages()
        .map(|(_, p)| {
            (
                purl(p),
                (
                    p.version.clone(),
                    p.locations[0].line.expect("line"),
                    p.properties[PROP_CATALOG_ALIAS].clone(),
                ),
            )
        })
        .collect();
    let row =
        |v: Option<&str>, line: u32, alias: &str| (v.map(str::to_string), line, alias.to_string());
    assert_eq!(
        table,
        BTreeMap::from([
            ("pkg:maven/com.google.guava/guava@30.1.1-jre".to_string(), row(Some("30.1.1-jre"), 7, "guava")),
            ("pkg:maven/com.puppycrawl.tools/checkstyle@8.37".to_string(), row(Some("8.37"), 10, "checkstyle")),
            ("pkg:maven/org.codehaus.groovy/groovy@3.0.5".to_string(), row(Some("3.0.5"), 13, "groovy-core")),
            ("pkg:maven/org.apache.commons/commons-lang3@3.12.0".to_string(), row(Some("3.12.0"), 16, "commons-lang3")),
            ("pkg:maven/org.example/strict@2.0".to_string(), row(Some("2.0"), 19, "rich-strictly")),
            ("pkg:maven/org.example/req@1.5".to_string(), row(Some("1.5"), 22, "rich-require")),
            ("pkg:maven/org.example/pref@1.0".to_string(), row(Some("1.0"), 25, "rich-prefer")),
            ("pkg:maven/org.codehaus.groovy/groovy-json@3.0.5".to_string(), row(Some("3.0.5"), 28, "groovy-json")),
            ("pkg:maven/org.example/noversion".to_string(), row(None, 31, "unversioned")),
            (
                "pkg:maven/com.github.ben-manes.versions/com.github.ben-manes.versions.gradle.plugin@0.45.0".to_string(),
                row(Some("0.45.0"), 39, "versions-plugin"),
            ),
        ])
    );
    assert_eq!(
        pkg(&inv, "pkg:maven/org.example/strict@2.0").properties[PROP_VERSION_CONSTRAINT],
        "strictly=2.0"
    );
    assert_eq!(
        pkg(&inv, "pkg:maven/org.example/noversion").properties[PROP_UNRESOLVED_VERSION],
        ""
    );
    let plugin = pkg(
        &inv,
        "pkg:maven/com.github.ben-manes.versions/com.github.ben-manes.versions.gradle.plugin@0.45.0",
    );
    assert_eq!(plugin.scope, Scope::Dev);
    assert_eq!(
        plugin.properties[PROP_GRADLE_PLUGIN],
        "com.github.ben-manes.versions"
    );

    let empty = fixture("scalibr/java-gradleversioncatalog/empty.versions.toml");
    assert!(
        parse_version_catalog("e.versions.toml", &empty)
            .expect("ok")
            .is_empty()
    );

    let e = parse_version_catalog(
        "x.versions.toml",
        &fixture("scalibr/java-gradleversioncatalog/not-toml.txt"),
    )
    .expect_err("not toml");
    assert_eq!(e.line, Some(1), "{e}");

    // dynamic versions and undefined refs have no version
    let inv = parse_version_catalog(
        "libs.versions.toml",
        "[versions]\n\n[libraries]\na = \"g:a:1.+\"\nb = { module = \"g:b\", version.ref = \"nope\" }\nc = { group = \"g\", name = \"c\", version = { require = \"[1,2)\", prefer = \"1.5\" } }\n",
    )
    .expect("ok");
    assert_eq!(
        pkg(&inv, "pkg:maven/g/a").properties[PROP_VERSION_CONSTRAINT],
        "1.+"
    );
    assert_eq!(
        pkg(&inv, "pkg:maven/g/b").properties[PROP_UNRESOLVED_VERSION],
        "nope"
    );
    assert_eq!(pkg(&inv, "pkg:maven/g/c").version, None);

    let e = parse_version_catalog(
        "libs.versions.toml",
        "[libraries]\n\nbad = \"only-one-part\"\n",
    )
    .expect_err("bad coordinates");
    assert_eq!(e.line, Some(3), "{e}");
    assert!(GradleVersionCatalogCataloger.matches("gradle/libs.versions.toml"));
    assert!(!GradleVersionCatalogCataloger.matches("Cargo.toml"));
}
