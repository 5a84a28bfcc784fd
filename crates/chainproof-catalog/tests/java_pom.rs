//! Golden tests for the `maven-pom` cataloger: every pom fixture of the corpus (copied under
//! `tests/fixtures/java/`, see SOURCES.md there) and a synthetic multi-module project with
//! parents, BOM imports, property interpolation and cycles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chainproof_catalog::java::{
    MavenPomCataloger, PROP_INHERITED_FROM, PROP_PACKAGING, PROP_PARENT, PROP_PARENT_PATH,
    PROP_SCOPE, PROP_SKIPPED, PROP_UNRESOLVED_IMPORTS, PROP_UNRESOLVED_VERSION, PROP_VERSION_RANGE,
    parse_pom,
};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog};
use chainproof_core::{Inventory, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::purl;
use kit::inv::{pkg, set};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/java")
}

/// Every file under `fixtures/java/<dir>`, at its path relative to that directory.
fn tree(dir: &str) -> MemoryResolver {
    fn walk(base: &Path, d: &Path, r: MemoryResolver) -> MemoryResolver {
        let mut r = r;
        let mut entries: Vec<_> = std::fs::read_dir(d)
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                r = walk(base, &p, r);
            } else {
                let rel = p.strip_prefix(base).expect("under base");
                let rel = rel.to_string_lossy().replace('\\', "/");
                r = r.with_file(&rel, std::fs::read(&p).expect("read"));
            }
        }
        r
    }
    let base = fixtures().join(dir);
    walk(&base, &base, MemoryResolver::new())
}

fn pom(dir: &str, path: &str) -> Inventory {
    let r = tree(dir);
    MavenPomCataloger
        .catalog(&r, path)
        .unwrap_or_else(|e| panic!("{dir}/{path}: {e}"))
}

/// purl → (version, scope, line)
fn table(inv: &Inventory) -> BTreeMap<String, (Option<String>, Scope, Option<u32>)> {
    inv.packages()
        .map(|(_, p)| {
            (
                purl(p),
                (
                    p.version.clone(),
                    p.scope,
                    p.locations.first().and_then(|l| l.line),
                ),
            )
        })
        .collect()
}

fn purls(inv: &Inventory) -> BTreeSet<String> {
    kit::inv::keys(inv, purl)
}

fn root_deps(inv: &Inventory) -> (String, BTreeSet<String>) {
    kit::inv::root_deps(inv, purl)
}

/// The same fixture under both corpus sources gives the same inventory.
#[test]
fn osv_scanner_and_scalibr_copies_agree() {
    for name in [
        "one-package.xml",
        "two-packages.xml",
        "with-dependency-management.xml",
        "with-scope.xml",
    ] {
        let a = pom("osv-scanner-v1/maven", name);
        let b = pom("scalibr/java-pomxml", name);
        assert_eq!(table(&a), table(&b), "{name}");
    }
}

#[test]
fn simple_poms() {
    let inv = pom("scalibr/java-pomxml", "one-package.xml");
    assert_eq!(
        table(&inv),
        BTreeMap::from([(
            "pkg:maven/org.apache.maven/maven-artifact@1.0.0".to_string(),
            (Some("1.0.0".to_string()), Scope::Runtime, Some(7))
        )])
    );
    // no artifactId: no project root, no edges
    assert_eq!(inv.roots().count(), 0);
    assert_eq!(inv.edges().count(), 0);

    let inv = pom("scalibr/java-pomxml", "two-packages.xml");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:maven/io.netty/netty-all@4.1.42.Final",
            "pkg:maven/org.slf4j/slf4j-log4j12@1.7.25",
        ])
    );

    // declared version wins over the managed one; managed-only entries are not packages
    let inv = pom("scalibr/java-pomxml", "with-dependency-management.xml");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:maven/io.netty/netty-all@4.1.9",
            "pkg:maven/org.slf4j/slf4j-log4j12@1.7.25",
        ])
    );

    let inv = pom("scalibr/java-pomxml", "with-scope.xml");
    let t = table(&inv);
    assert_eq!(t["pkg:maven/abc/xyz@1.2.3"].1, Scope::Runtime);
    assert_eq!(t["pkg:maven/junit/junit@4.12"].1, Scope::Dev);
    assert_eq!(
        pkg(&inv, "pkg:maven/junit/junit@4.12").properties[PROP_SCOPE],
        "test"
    );

    // both declarations of a duplicated dependency are kept
    let inv = pom("scalibr/java-pomxml", "multi-version.xml");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:maven/abc/example.com@1.0.0",
            "pkg:maven/abc/example.com@1.1.1"
        ])
    );
}

#[test]
fn project_root_and_latin1_encoding() {
    let inv = pom("scalibr/java-pomxml", "encoding.xml");
    let (root, deps) = root_deps(&inv);
    assert_eq!(root, "pkg:maven/com.mycompany.app/my-app@1.0.0");
    assert_eq!(deps, set(&["pkg:maven/junit/junit@4.12"]));
    let r = pkg(&inv, &root);
    assert_eq!(r.kind, PackageKind::Project);
    assert_eq!(r.name, "com.mycompany.app:my-app");
    assert_eq!(r.locations[0].line, Some(3));

    let inv = pom("scalibr/java-pomxml", "transitive.xml");
    let (root, deps) = root_deps(&inv);
    assert_eq!(root, "pkg:maven/com.mycompany.app/my-app@1.0");
    assert_eq!(
        deps,
        set(&[
            "pkg:maven/org.direct/alice@1.0.0",
            "pkg:maven/org.direct/bob@2.0.0",
            "pkg:maven/org.direct/chris@3.0.0",
        ])
    );
    assert_eq!(inv.len(), 4);
}

#[test]
fn interpolation() {
    let inv = pom("scalibr/java-pomxml", "interpolation.xml");
    let (root, deps) = root_deps(&inv);
    assert_eq!(root, "pkg:maven/io.library/my-library@1.0-SNAPSHOT");
    assert_eq!(pkg(&inv, &root).properties[PROP_PACKAGING], "jar");
    assert!(deps.contains("pkg:maven/org.mine/mypackage@1.0.0"));
    assert!(deps.contains("pkg:maven/org.mine/my.package@2.3.4"));
    // a range is not a version
    let ranged = pkg(&inv, "pkg:maven/org.mine/ranged-package");
    assert_eq!(ranged.version, None);
    assert_eq!(
        ranged.properties[PROP_VERSION_RANGE],
        "[9.4.35.v20201120,9.5)"
    );
    assert_eq!(ranged.locations[0].line, Some(30));

    // properties in artifactId; two properties resolving to the same coordinates unify
    let inv = pom("scalibr/java-pomxml", "ambiguous-interpolation.xml");
    assert_eq!(
        purls(&inv),
        set(&["pkg:maven/com.example/common-lib@1.0.0"])
    );
    let lines: Vec<_> = inv
        .packages()
        .next()
        .expect("one")
        .1
        .locations
        .iter()
        .map(|l| l.line)
        .collect();
    assert_eq!(lines, vec![Some(8), Some(13)]);

    // a dependency without groupId is not a package (no project root to record it on)
    let inv = pom("scalibr/java-pomxml", "interpolate-drop.xml");
    assert_eq!(
        purls(&inv),
        set(&["pkg:maven/com.example/actual-artifact@1.0.0"])
    );
}

#[test]
fn types_and_classifiers() {
    let inv = pom("scalibr/java-pomxml", "with-type-classifier.xml");
    assert_eq!(
        purls(&inv),
        set(&["pkg:maven/abc/xyz@1.0.0?classifier=sources&type=pom"])
    );
    let inv = pom("scalibr/java-pomxml", "with-multiple-classifiers.xml");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:maven/com.example/my-lib@1.0.0",
            "pkg:maven/com.example/my-lib@1.0.0?classifier=sources",
        ])
    );
    // explicit <type>jar</type> is the default type: one package with the implicit-jar one
    let inv = pom("scalibr/java-pomxml", "explicit-jar.xml");
    assert_eq!(
        purls(&inv),
        set(&[
            "pkg:maven/org.different/my-lib@1.0.0",
            "pkg:maven/com.example/my-lib@1.0.0?type=pom",
            "pkg:maven/com.example/my-lib@1.0.0",
        ])
    );
}

#[test]
fn parent_in_tree_at_relative_path() {
    let inv = pom("scalibr/java-pomxml", "with-parent.xml");
    let (root, deps) = root_deps(&inv);
    assert_eq!(root, "pkg:maven/com.mycompany.app/my-app@1.0");
    let r = pkg(&inv, &root);
    assert_eq!(r.properties[PROP_PARENT], "org.local:parent-pom:1.0");
    assert_eq!(r.properties[PROP_PARENT_PATH], "parent/pom.xml");
    // the import BOM is not in the tree
    assert_eq!(
        r.properties[PROP_UNRESOLVED_IMPORTS],
        "org.import:import:1.2.3"
    );
    assert_eq!(
        deps,
        set(&[
            "pkg:maven/org.alice/alice@1.0.0",
            "pkg:maven/org.bob/bob@2.0.0",
            "pkg:maven/org.chuck/chuck@3.0.0",
            "pkg:maven/org.frank/frank",
            // inherited from parent/pom.xml
            "pkg:maven/org.dave/dave@4.0.0",
        ])
    );
    let frank = pkg(&inv, "pkg:maven/org.frank/frank");
    assert_eq!(frank.version, None);
    assert_eq!(frank.properties[PROP_UNRESOLVED_VERSION], "");
    let dave = pkg(&inv, "pkg:maven/org.dave/dave@4.0.0");
    assert_eq!(dave.properties[PROP_INHERITED_FROM], "parent/pom.xml");
    assert_eq!(dave.locations[0].path, "parent/pom.xml");
    assert_eq!(dave.locations[0].line, Some(15));
}

#[test]
fn multi_module_project() {
    let core = pom("synthetic/multi", "core/pom.xml");
    let (root, deps) = root_deps(&core);
    assert_eq!(root, "pkg:maven/com.acme/acme-core@2.1.0");
    let r = pkg(&core, &root);
    assert_eq!(r.properties[PROP_PARENT_PATH], "pom.xml");
    assert_eq!(
        r.properties[PROP_UNRESOLVED_IMPORTS],
        "org.junit:junit-bom:5.10.2"
    );
    assert_eq!(r.properties[PROP_SKIPPED], "line 52: org.example:${cyc.a}");
    assert_eq!(
        deps,
        set(&[
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1",
            "pkg:maven/org.springframework/spring-core@6.1.8",
            "pkg:maven/org.slf4j/slf4j-api@2.0.13",
            "pkg:maven/org.junit.jupiter/junit-jupiter",
            "pkg:maven/com.google.guava/guava",
            "pkg:maven/commons-io/commons-io@2.16.1",
            "pkg:maven/org.example/native@1.0?classifier=linux-x86_64&type=zip",
            "pkg:maven/org.example/ranged",
            // the child's lombok overrides the inherited one
            "pkg:maven/org.projectlombok/lombok@1.18.30",
        ])
    );
    assert_eq!(core.len(), 10);
    let t = table(&core);
    assert_eq!(t["pkg:maven/org.slf4j/slf4j-api@2.0.13"].1, Scope::Optional); // managed scope provided
    assert_eq!(t["pkg:maven/org.junit.jupiter/junit-jupiter"].1, Scope::Dev);
    assert_eq!(
        t["pkg:maven/commons-io/commons-io@2.16.1"].1,
        Scope::Optional
    );
    assert_eq!(t["pkg:maven/com.google.guava/guava"].1, Scope::Runtime);
    assert_eq!(
        pkg(&core, "pkg:maven/com.google.guava/guava").properties[PROP_UNRESOLVED_VERSION],
        "${guava.version}"
    );
    assert_eq!(
        pkg(&core, "pkg:maven/org.junit.jupiter/junit-jupiter").properties[PROP_UNRESOLVED_VERSION],
        ""
    );

    // parent found by coordinates although relativePath points nowhere; the parent's
    // `${project.version}` in dependencyManagement is the child's version (3.0.0)
    let app = pom("synthetic/multi", "app/pom.xml");
    let (root, deps) = root_deps(&app);
    assert_eq!(root, "pkg:maven/com.acme/acme-app@3.0.0");
    assert_eq!(pkg(&app, &root).properties[PROP_PACKAGING], "war");
    assert_eq!(pkg(&app, &root).properties[PROP_PARENT_PATH], "pom.xml");
    assert_eq!(
        deps,
        set(&[
            "pkg:maven/com.acme/acme-core@3.0.0",
            "pkg:maven/org.springframework/spring-context@6.1.8",
            "pkg:maven/jakarta.servlet/jakarta.servlet-api@6.0.0",
            "pkg:maven/org.projectlombok/lombok@1.18.32",
        ])
    );
    let lombok = pkg(&app, "pkg:maven/org.projectlombok/lombok@1.18.32");
    assert_eq!(lombok.scope, Scope::Optional);
    assert_eq!(lombok.properties[PROP_INHERITED_FROM], "pom.xml");

    // the aggregator: its own inherited-by-nobody deps and its modules (missing/ is absent)
    let parent = pom("synthetic/multi", "pom.xml");
    let (root, deps) = root_deps(&parent);
    assert_eq!(root, "pkg:maven/com.acme/acme-parent@2.1.0");
    assert_eq!(
        deps,
        set(&[
            "pkg:maven/org.projectlombok/lombok@1.18.32",
            "pkg:maven/com.acme/acme-core@2.1.0",
            "pkg:maven/com.acme/acme-app@3.0.0",
        ])
    );
    let core_module = pkg(&parent, "pkg:maven/com.acme/acme-core@2.1.0");
    assert_eq!(core_module.kind, PackageKind::Project);
    let locs: Vec<String> = core_module
        .locations
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(locs, vec!["core/pom.xml:2", "pom.xml:10"]);
}

#[test]
fn whole_tree_through_the_registry() {
    let r = tree("synthetic/multi");
    let inv = catalog(
        &r,
        &[Box::new(MavenPomCataloger)],
        &CatalogOptions::default(),
    );
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    // three projects, unified across files
    let projects: BTreeSet<String> = inv
        .packages()
        .filter(|(_, p)| p.kind == PackageKind::Project)
        .map(|(_, p)| purl(p))
        .collect();
    assert_eq!(
        projects,
        set(&[
            "pkg:maven/com.acme/acme-parent@2.1.0",
            "pkg:maven/com.acme/acme-core@2.1.0",
            "pkg:maven/com.acme/acme-app@3.0.0",
        ])
    );
    assert_eq!(inv.roots().count(), 3);
}

#[test]
fn parent_cycles_end() {
    let inv = pom("synthetic/cycle", "a/pom.xml");
    let (root, deps) = root_deps(&inv);
    assert_eq!(root, "pkg:maven/org.cycle/a@1");
    assert_eq!(deps, set(&["pkg:maven/org.x/x@1.5", "pkg:maven/org.y/y"]),);
}

#[test]
fn malformed_and_foreign_files_are_errors_with_lines() {
    let r = tree("scalibr/java-pomxml");
    let e = MavenPomCataloger
        .catalog(&r, "invalid-syntax.xml")
        .expect_err("invalid");
    assert_eq!(e.path, "invalid-syntax.xml");
    assert_eq!(e.line, Some(3), "{e}");
    let e = MavenPomCataloger
        .catalog(&r, "not-pom.txt")
        .expect_err("not xml");
    assert!(e.to_string().contains("not-pom.txt"), "{e}");

    let r = MemoryResolver::new();
    let e = parse_pom(&r, "pom.xml", "<settings>\n</settings>").expect_err("root");
    assert!(e.message.contains("not a Maven POM"), "{e}");
    let e = parse_pom(
        &r,
        "pom.xml",
        "<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>",
    )
    .expect_err("mismatched");
    assert_eq!(e.line, Some(4), "{e}");
    assert!(MavenPomCataloger.matches("a/b/pom.xml"));
    assert!(!MavenPomCataloger.matches("a/b/pom.xml.bak"));
}
