//! Golden tests for the .NET / NuGet catalogers on the fixtures under
//! `tests/fixtures/dotnet/` (see SOURCES.md there). Expected values were read off the
//! fixture files by hand (hashes: base64 → hex with Python's `base64`).

use std::collections::{BTreeMap, BTreeSet};

use chainproof_catalog::Cataloger;
use chainproof_catalog::dotnet::{
    CentralPackagesCataloger, DepsJsonCataloger, PROP_FRAMEWORKS, PROP_REQUESTED, PROP_TYPE,
    PROP_UNRESOLVED, PackagesConfigCataloger, PackagesLockCataloger, ProjectAssetsCataloger,
    ProjectFileCataloger,
};
use chainproof_core::{HashAlgorithm, Inventory, Package, PackageKind, Scope};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;
use kit::inv::label;
use kit::inv::{pairs, set};

/// A resolver holding fixtures at the given target paths.
fn resolver(files: &[(&str, &str)]) -> MemoryResolver {
    kit::fixtures!("dotnet").resolver(files)
}

fn labels(inv: &Inventory) -> BTreeSet<String> {
    kit::inv::keys(inv, label)
}

fn edges(inv: &Inventory) -> BTreeSet<(String, String)> {
    kit::inv::edges_by(inv, label)
}

fn get<'a>(inv: &'a Inventory, l: &str) -> &'a Package {
    kit::inv::find_by(inv, label, l)
}

fn roots(inv: &Inventory) -> Vec<String> {
    kit::inv::roots_by(inv, label)
}

fn sha512(p: &Package) -> String {
    assert_eq!(p.hashes.len(), 1, "{}", p.name);
    assert_eq!(p.hashes[0].algorithm, HashAlgorithm::Sha512);
    p.hashes[0].value.clone()
}

fn lock(rel: &str, project: Option<&str>) -> Inventory {
    let mut files = vec![("app/packages.lock.json", rel)];
    if let Some(p) = project {
        files.push(("app/App.csproj", p));
    }
    PackagesLockCataloger
        .catalog(&resolver(&files), "app/packages.lock.json")
        .expect("parses")
}

#[test]
fn packages_lock_two_frameworks_mixed() {
    let inv = lock("osv-scanner-v1/two-frameworks-mixed-packages.v1.json", None);
    assert_eq!(
        labels(&inv),
        set(&[
            "app@",
            "pkg:nuget/Test.Core@6.0.5",
            "pkg:nuget/Test.System@0.13.0-beta4",
            "pkg:nuget/Test.System@2.15.0",
        ])
    );
    assert_eq!(roots(&inv), vec!["app@"]);
    assert_eq!(get(&inv, "app@").kind, PackageKind::Project);
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("app@", "pkg:nuget/Test.Core@6.0.5"),
            ("app@", "pkg:nuget/Test.System@0.13.0-beta4"),
            ("app@", "pkg:nuget/Test.System@2.15.0"),
            (
                "pkg:nuget/Test.System@0.13.0-beta4",
                "pkg:nuget/Test.Core@6.0.5"
            ),
            ("pkg:nuget/Test.System@2.15.0", "pkg:nuget/Test.Core@6.0.5"),
        ])
    );
    let core = get(&inv, "pkg:nuget/Test.Core@6.0.5");
    assert_eq!(core.properties[PROP_FRAMEWORKS], "net6.0;net7.0");
    assert_eq!(core.properties[PROP_REQUESTED], "[6.0.5, )");
    assert_eq!(core.properties[PROP_TYPE], "Direct");
    assert_eq!(
        sha512(core),
        "17075056da63df8c6df2f2b215451e3484bea1b5a51274ab496ef2d62bd156db3f66cad4b0ac8e7746d97a180585676707f341b1af43096bcd14c4ced170c572"
    );
    // The first sighting is the net6.0 entry at line 5.
    assert_eq!(core.locations[0].line, Some(5));
    assert_eq!(
        get(&inv, "pkg:nuget/Test.System@2.15.0").properties[PROP_FRAMEWORKS],
        "net7.0"
    );
    assert!(inv.packages().all(|(_, p)| p.scope == Scope::Runtime));
}

#[test]
fn packages_lock_other_osv_fixtures() {
    let one = lock("osv-scanner-v1/one-framework-two-packages.v1.json", None);
    assert_eq!(one.len(), 3);
    let dup = lock(
        "osv-scanner-v1/two-frameworks-duplicate-packages.v1.json",
        None,
    );
    assert_eq!(labels(&dup), set(&["app@", "pkg:nuget/Test.Core@6.0.5"]));
    let diff = lock(
        "osv-scanner-v1/two-frameworks-different-packages.v1.json",
        None,
    );
    assert_eq!(diff.len(), 3);
    for empty in ["empty.v0.json", "empty.v1.json"] {
        let inv = lock(&format!("osv-scanner-v1/{empty}"), None);
        assert_eq!(labels(&inv), set(&["app@"]), "{empty}");
        assert_eq!(inv.edges().count(), 0);
    }
}

#[test]
fn packages_lock_scalibr_with_project_file() {
    let inv = lock(
        "scalibr/lock-valid/packages.lock.json",
        Some("scalibr/csproj-valid/App.csproj"),
    );
    // The root is the project file next to the lockfile.
    let root = get(&inv, "App@");
    assert_eq!(root.locations[0].path, "app/App.csproj");
    assert_eq!(roots(&inv), vec!["App@"]);
    assert_eq!(inv.len(), 1 + 8);
    let e = edges(&inv);
    // root → the one Direct; Core.Dep → its 7 dependencies; Some.Dep.Three → 2.
    assert_eq!(e.len(), 1 + 7 + 2);
    assert!(e.contains(&("App@".into(), "pkg:nuget/Core.Dep@1.24.0".into())));
    assert!(e.contains(&(
        "pkg:nuget/Some.Dep.Three@1.0.2".into(),
        "pkg:nuget/Some.Dep.Five@4.7.2".into()
    )));
    assert_eq!(
        sha512(get(&inv, "pkg:nuget/Core.Dep@1.24.0")),
        "fbfa88d63da85354b8fe7bf16f693fc03b28974d2219fd40c895f98377a957b78ea5010fff6c5c821fdcc6028c785827dd4d9f9a04a206741976457e979cb453"
    );
    assert!(
        inv.packages()
            .all(|(_, p)| p.hashes.len() == usize::from(p.kind == PackageKind::Library))
    );
}

#[test]
fn packages_lock_v2_central_and_project_entries() {
    let r = resolver(&[
        (
            "src/App/packages.lock.json",
            "chainproof/cpm/src/App/packages.lock.json",
        ),
        ("src/App/App.csproj", "chainproof/cpm/src/App/App.csproj"),
    ]);
    let inv = PackagesLockCataloger
        .catalog(&r, "src/App/packages.lock.json")
        .expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "App@",
            "lib@",
            "pkg:nuget/Newtonsoft.Json@13.0.3",
            "pkg:nuget/Polly.Core@8.2.0",
            "pkg:nuget/Polly@8.2.0",
            "pkg:nuget/Serilog@3.0.1",
            "pkg:nuget/System.Text.Json@8.0.0",
        ])
    );
    assert_eq!(
        edges(&inv),
        pairs(&[
            ("App@", "lib@"),
            ("App@", "pkg:nuget/Newtonsoft.Json@13.0.3"),
            ("App@", "pkg:nuget/Polly@8.2.0"),
            ("App@", "pkg:nuget/Serilog@3.0.1"),
            ("pkg:nuget/Polly@8.2.0", "pkg:nuget/Polly.Core@8.2.0"),
            // case-insensitive reference from the project entry
            ("lib@", "pkg:nuget/Polly.Core@8.2.0"),
        ])
    );
    assert_eq!(get(&inv, "lib@").kind, PackageKind::Project);
    let stj = get(&inv, "pkg:nuget/System.Text.Json@8.0.0");
    assert_eq!(stj.properties[PROP_TYPE], "CentralTransitive");
    assert_eq!(stj.properties[PROP_UNRESOLVED], "Missing.Package");
    assert_eq!(stj.locations[0].line, Some(31));
}

#[test]
fn packages_lock_errors() {
    let bad = |text: &str| {
        let r = MemoryResolver::new().with_file("packages.lock.json", text);
        PackagesLockCataloger
            .catalog(&r, "packages.lock.json")
            .expect_err("must fail")
    };
    let e = bad(
        "{\n \"version\": 1,\n \"dependencies\": {\n  \"net6.0\": {\n   \"A\": {\"type\": \"Direct\"}\n  }\n }\n}",
    );
    assert_eq!(e.line, Some(5));
    assert!(e.message.contains("resolved"), "{e}");
    let e = bad("{\"version\": 1, \"dependencies\": [\n1]}");
    assert_eq!(e.line, Some(1));
    let e = bad("{\n\"dependencies\": {\"x\": {\"A\": {\"resolved\": 3}}}}");
    assert_eq!(e.line, Some(2));
}

#[test]
fn packages_config() {
    let r = resolver(&[(
        "web/packages.config",
        "scalibr/config-valid/packages.config",
    )]);
    let inv = PackagesConfigCataloger
        .catalog(&r, "web/packages.config")
        .expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "web@",
            "pkg:nuget/Microsoft.CodeDom.Providers.DotNetCompilerPlatform@1.0.0",
            "pkg:nuget/Microsoft.Net.Compilers@1.0.0",
        ])
    );
    assert_eq!(inv.edges().count(), 2);
    let compilers = get(&inv, "pkg:nuget/Microsoft.Net.Compilers@1.0.0");
    assert_eq!(compilers.scope, Scope::Dev);
    assert_eq!(compilers.locations[0].line, Some(4));
    assert_eq!(compilers.properties[PROP_FRAMEWORKS], "net46");
    assert_eq!(
        get(
            &inv,
            "pkg:nuget/Microsoft.CodeDom.Providers.DotNetCompilerPlatform@1.0.0"
        )
        .scope,
        Scope::Runtime
    );
    // A package without a version is kept, without a version.
    let r = resolver(&[(
        "packages.config",
        "scalibr/config-noversion/packages.config",
    )]);
    let inv = PackagesConfigCataloger
        .catalog(&r, "packages.config")
        .expect("parses");
    let nov = get(&inv, "pkg:nuget/Microsoft.Net.Compilers");
    assert_eq!(nov.version, None);
    assert_eq!(nov.scope, Scope::Dev);
    // Errors
    let bad = |t: &str| {
        let r = MemoryResolver::new().with_file("packages.config", t);
        PackagesConfigCataloger
            .catalog(&r, "packages.config")
            .expect_err("must fail")
    };
    assert_eq!(
        bad("<packages>\n<package version=\"1\"/>\n</packages>").line,
        Some(2)
    );
    assert_eq!(
        bad("<packages>\n<package id=\"a\">\n</packages>").line,
        Some(3)
    );
    assert!(bad("<project/>").message.contains("<packages>"));
}

#[test]
fn project_files_scalibr() {
    let cat = |rel: &str| {
        let r = resolver(&[("App.csproj", rel)]);
        ProjectFileCataloger.catalog(&r, "App.csproj")
    };
    let inv = cat("scalibr/csproj-valid/App.csproj").expect("parses");
    assert_eq!(labels(&inv), set(&["App@", "pkg:nuget/LiteDB@5.0.12"]));
    assert_eq!(edges(&inv), pairs(&[("App@", "pkg:nuget/LiteDB@5.0.12")]));
    assert_eq!(
        get(&inv, "pkg:nuget/LiteDB@5.0.12").locations[0].line,
        Some(3)
    );
    let inv = cat("scalibr/csproj-noversion/App.csproj").expect("parses");
    assert_eq!(labels(&inv), set(&["App@", "pkg:nuget/LiteDB"]));
    let e = cat("scalibr/csproj-emptyinclude/App.csproj").expect_err("empty Include");
    assert_eq!(e.line, Some(3));
    // Central props with a PackageReference.
    let r = resolver(&[(
        "Directory.Packages.props",
        "scalibr/cpm-valid/Directory.Packages.props",
    )]);
    let inv = CentralPackagesCataloger
        .catalog(&r, "Directory.Packages.props")
        .expect("parses");
    assert_eq!(
        labels(&inv),
        set(&["Directory.Packages@", "pkg:nuget/LiteDB@5.0.12"])
    );
    let r = resolver(&[(
        "Directory.Packages.props",
        "scalibr/cpm-noversion/Directory.Packages.props",
    )]);
    let inv = CentralPackagesCataloger
        .catalog(&r, "Directory.Packages.props")
        .expect("parses");
    assert_eq!(
        labels(&inv),
        set(&["Directory.Packages@", "pkg:nuget/LiteDB"])
    );
}

#[test]
fn project_file_with_central_versions() {
    let r = resolver(&[
        (
            "Directory.Packages.props",
            "chainproof/cpm/Directory.Packages.props",
        ),
        ("src/App/App.csproj", "chainproof/cpm/src/App/App.csproj"),
    ]);
    let inv = ProjectFileCataloger
        .catalog(&r, "src/App/App.csproj")
        .expect("parses");
    let scopes: BTreeMap<String, Scope> =
        inv.packages().map(|(_, p)| (label(p), p.scope)).collect();
    assert_eq!(
        scopes,
        BTreeMap::from([
            ("App@".to_string(), Scope::Runtime),
            (
                "pkg:nuget/Newtonsoft.Json@13.0.3".to_string(),
                Scope::Runtime
            ),
            // VersionOverride wins over the central version
            ("pkg:nuget/Serilog@3.0.1".to_string(), Scope::Runtime),
            // PrivateAssets as a child element
            ("pkg:nuget/xunit@2.6.2".to_string(), Scope::Dev),
            // a range is not a version
            ("pkg:nuget/Polly".to_string(), Scope::Runtime),
        ])
    );
    assert_eq!(
        get(&inv, "pkg:nuget/Polly").properties[PROP_REQUESTED],
        "[8.2.0, 9.0)"
    );
    assert_eq!(edges(&inv).len(), 4);
    assert_eq!(roots(&inv), vec!["App@"]);
    assert_eq!(get(&inv, "App@").locations[0].path, "src/App/App.csproj");

    // The props file alone: the global reference (dev), versions are not packages.
    let inv = CentralPackagesCataloger
        .catalog(&r, "Directory.Packages.props")
        .expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "Directory.Packages@",
            "pkg:nuget/Nerdbank.GitVersioning@3.6.133"
        ])
    );
    assert_eq!(
        get(&inv, "pkg:nuget/Nerdbank.GitVersioning@3.6.133").scope,
        Scope::Dev
    );
}

#[test]
fn deps_json() {
    let r = resolver(&[(
        "bin/TestLibrary.deps.json",
        "scalibr/deps-valid/TestLibrary.deps.json",
    )]);
    let inv = DepsJsonCataloger
        .catalog(&r, "bin/TestLibrary.deps.json")
        .expect("parses");
    assert_eq!(
        labels(&inv),
        set(&[
            "TestLibrary@1.0.0",
            "pkg:nuget/AWSSDK.Core@3.7.10.6",
            "pkg:nuget/Microsoft.Extensions.DependencyInjection@6.0.0",
        ])
    );
    assert_eq!(roots(&inv), vec!["TestLibrary@1.0.0"]);
    assert_eq!(
        edges(&inv),
        pairs(&[(
            "TestLibrary@1.0.0",
            "pkg:nuget/Microsoft.Extensions.DependencyInjection@6.0.0"
        )])
    );
    let root = get(&inv, "TestLibrary@1.0.0");
    assert_eq!(root.kind, PackageKind::Project);
    assert_eq!(
        root.properties[PROP_UNRESOLVED],
        "Microsoft.Extensions.Logging/6.0.0, Newtonsoft.Json/13.0.1, Serilog.Sinks.Console/4.0.1, Serilog/2.10.0, TestCommon/1.0.0"
    );
    let aws = get(&inv, "pkg:nuget/AWSSDK.Core@3.7.10.6");
    assert_eq!(
        sha512(aws),
        "907041f909a8b15686e83a6781743c3a52d554d33396d3484dfb11afaf19f74a8eedd4aa27610735df1db41535bb701040baaa147398d257e66e97b1787e8f7b"
    );
    assert_eq!(aws.locations[0].line, Some(50));
    assert_eq!(aws.properties[PROP_FRAMEWORKS], ".NETCoreApp,Version=v6.0");
    assert!(inv.unparsed().is_empty());

    // A key without a version is reported, the rest is kept.
    let r = resolver(&[(
        "x.deps.json",
        "scalibr/deps-nopackagename/TestLibrary.deps.json",
    )]);
    let inv = DepsJsonCataloger
        .catalog(&r, "x.deps.json")
        .expect("parses");
    assert_eq!(
        labels(&inv),
        set(&["TestLibrary@1.0.0", "pkg:nuget/AWSSDK.Core@3.7.10.6"])
    );
    assert_eq!(inv.unparsed().len(), 1);
    assert_eq!(inv.unparsed()[0].location.line, Some(57));
    assert!(DepsJsonCataloger.matches("a/b/App.deps.json"));
    assert!(!DepsJsonCataloger.matches("a/.deps.json"));
}

#[test]
fn project_assets_json() {
    let r = resolver(&[
        (
            "NuGet.Common/obj/project.assets.json",
            "scalibr/assets-valid/obj/project.assets.json",
        ),
        (
            "NuGet.Common/NuGet.Common.csproj",
            "scalibr/csproj-valid/App.csproj",
        ),
    ]);
    let inv = ProjectAssetsCataloger
        .catalog(&r, "NuGet.Common/obj/project.assets.json")
        .expect("parses");
    // 30 libraries plus the project.
    assert_eq!(inv.len(), 31);
    assert_eq!(roots(&inv), vec!["NuGet.Common@"]);
    // 102 distinct dependency edges in `targets`, 5 direct dependencies.
    assert_eq!(inv.edges().count(), 107);
    let direct: BTreeSet<String> = edges(&inv)
        .into_iter()
        .filter(|(a, _)| a == "NuGet.Common@")
        .map(|(_, b)| b)
        .collect();
    assert_eq!(
        direct,
        set(&[
            "NuGet.Frameworks@5.5.0",
            "pkg:nuget/Microsoft.SourceLink.GitHub@1.0.0-beta2-19351-01",
            "pkg:nuget/NETStandard.Library@2.0.3",
            "pkg:nuget/System.Diagnostics.Process@4.3.0",
            "pkg:nuget/System.Threading.Thread@4.3.0",
        ])
    );
    assert_eq!(
        get(&inv, "NuGet.Frameworks@5.5.0").kind,
        PackageKind::Project
    );
    // suppressParent: All, and what only they pull in → dev.
    let dev: BTreeSet<String> = inv
        .packages()
        .filter(|(_, p)| p.scope == Scope::Dev)
        .map(|(_, p)| label(p))
        .collect();
    assert_eq!(
        dev,
        set(&[
            "pkg:nuget/Microsoft.Build.Tasks.Git@1.0.0-beta2-19351-01",
            "pkg:nuget/Microsoft.SourceLink.Common@1.0.0-beta2-19351-01",
            "pkg:nuget/Microsoft.SourceLink.GitHub@1.0.0-beta2-19351-01",
            "pkg:nuget/NETStandard.Library@2.0.3",
        ])
    );
    assert_eq!(
        sha512(get(
            &inv,
            "pkg:nuget/Microsoft.Build.Tasks.Git@1.0.0-beta2-19351-01"
        )),
        "52c3b1c619d288c9e90b0bb44a50e6ea683a0b4392b5c95b6f4fe9725bc0b7971325e36123b5b38e7aae9fa281185bacd8bbbfc3b97f6c80afe81c1dfaca9df1"
    );
    assert_eq!(
        get(
            &inv,
            "pkg:nuget/Microsoft.Build.Tasks.Git@1.0.0-beta2-19351-01"
        )
        .properties[PROP_FRAMEWORKS],
        ".NETFramework,Version=v4.7.2;.NETStandard,Version=v2.0"
    );
}

#[test]
fn garbage_never_panics() {
    let cats: Vec<(Box<dyn Cataloger>, &str)> = vec![
        (Box::new(PackagesLockCataloger), "packages.lock.json"),
        (Box::new(PackagesConfigCataloger), "packages.config"),
        (Box::new(DepsJsonCataloger), "a.deps.json"),
        (Box::new(ProjectAssetsCataloger), "project.assets.json"),
        (Box::new(ProjectFileCataloger), "a.csproj"),
        (
            Box::new(CentralPackagesCataloger),
            "Directory.Packages.props",
        ),
    ];
    let inputs: [&[u8]; 9] = [
        b"",
        b"{",
        b"<",
        b"<a",
        b"\xff\xfe",
        b"{\"dependencies\": {\"a\": {\"b\": {\"resolved\": \"\"}}}}",
        b"<Project><PackageReference Include=\"\" /></Project>",
        b"<packages><package id=\"\xc3\xa9\" version=\"1\"/></packages>",
        b"{\"libraries\": {\"/\": {}}, \"targets\": {\"x\": {\"a/1\": {\"dependencies\": {\"a\": \"1\"}}}}}",
    ];
    for (c, name) in &cats {
        for input in inputs {
            let r = MemoryResolver::new().with_file(name, input);
            let _ = c.catalog(&r, name);
        }
    }
}
