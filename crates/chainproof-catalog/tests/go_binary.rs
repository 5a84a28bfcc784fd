//! The `go-binary` cataloger on real Go 1.19 binaries (linux/amd64 and linux/386 ELF,
//! windows/amd64 PE, darwin/arm64 Mach-O; built by `tests/fixtures/gobin/build.sh`),
//! compared field by field with the `go version -m` output committed beside each; plus a
//! synthetic ELF with the pre-1.18 pointer layout, a universal Mach-O wrapper, and
//! truncated / corrupted binaries (which must give an error or nothing, never a panic).

use std::collections::BTreeMap;

use chainproof_catalog::golang::buildinfo::{
    GoBinaryCataloger, PROP_BUILD_PREFIX, PROP_MODULE_VERSION, PROP_PATH, is_binary_candidate,
    parse_go_binary, read_build_info,
};
use chainproof_catalog::golang::{PROP_H1, PROP_REPLACES, PROP_TOOLCHAIN};
use chainproof_catalog::{CatalogOptions, Cataloger, catalog};
use chainproof_core::{Inventory, PackageKind};
use chainproof_source::MemoryResolver;
use chainproof_testkit as kit;

const BINARIES: [&str; 4] = [
    "hello-linux-amd64",
    "hello-linux-386",
    "hello-windows-amd64.exe",
    "hello-darwin-arm64",
];

fn fixture(name: &str) -> Vec<u8> {
    kit::fixtures!("gobin").read(name)
}

/// path, version, sum
type Triple = (String, String, String);

/// What `go version -m` printed, parsed independently of the library.
#[derive(Debug, Default)]
struct GoVersionM {
    go: String,
    path: String,
    main: (String, String, String),
    /// path, version, sum, replacement (path, version, sum)
    deps: Vec<(String, String, String, Option<Triple>)>,
    build: BTreeMap<String, String>,
}

fn go_version_m(name: &str) -> GoVersionM {
    let text = String::from_utf8(fixture(&format!("{name}.go-version-m.txt"))).expect("utf8");
    let mut out = GoVersionM::default();
    let mut lines = text.lines();
    let first = lines.next().expect("first line");
    out.go = first
        .strip_prefix(&format!("{name}: "))
        .expect("binary name")
        .to_string();
    for l in lines {
        let cols: Vec<&str> = l.trim_start_matches('\t').split('\t').collect();
        let s = |i: usize| cols.get(i).copied().unwrap_or("").to_string();
        match cols[0] {
            "path" => out.path = s(1),
            "mod" => out.main = (s(1), s(2), s(3)),
            "dep" => out.deps.push((s(1), s(2), s(3), None)),
            "=>" => out.deps.last_mut().expect("dep before =>").3 = Some((s(1), s(2), s(3))),
            "build" => {
                let (k, v) = cols[1].split_once('=').expect("key=value");
                out.build.insert(k.to_string(), v.to_string());
            }
            "" => {}
            other => panic!("unexpected go version -m line {other:?}"),
        }
    }
    out
}

fn purl_of(inv: &Inventory, id: chainproof_core::PackageId) -> String {
    inv.package(id).purl.as_ref().expect("purl").to_string()
}

#[test]
fn matches_go_version_m_field_by_field() {
    for name in BINARIES {
        let want = go_version_m(name);
        let inv = parse_go_binary(name, &fixture(name)).expect(name);

        // Root: the main module.
        let roots: Vec<_> = inv.roots().collect();
        assert_eq!(roots.len(), 1, "{name}");
        let root = inv.package(roots[0]);
        assert_eq!(root.kind, PackageKind::Project);
        assert_eq!(root.name, want.main.0, "{name}");
        assert_eq!(want.main.1, "(devel)");
        assert_eq!(root.version, None, "(devel) is no version");
        assert_eq!(root.properties[PROP_MODULE_VERSION], want.main.1);
        assert_eq!(root.properties[PROP_TOOLCHAIN], want.go);
        assert_eq!(root.properties[PROP_PATH], want.path);
        assert_eq!(purl_of(&inv, roots[0]), "pkg:golang/example.com/hello");

        // Build settings: exactly those go version -m shows.
        let build: BTreeMap<String, String> = root
            .properties
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(PROP_BUILD_PREFIX)?.to_string(), v.clone())))
            .collect();
        assert_eq!(build, want.build, "{name}");
        assert!(build.contains_key("GOOS") && build.contains_key("vcs.revision"));

        // stdlib + one package per dep; every one an edge from the root.
        assert_eq!(inv.len(), 2 + want.deps.len(), "{name}");
        let deps: Vec<_> = inv.dependencies_of(roots[0]).collect();
        assert_eq!(deps.len(), 1 + want.deps.len(), "{name}");
        assert_eq!(inv.edges().len(), deps.len());
        let stdlib = format!("pkg:golang/stdlib@{}", want.go.trim_start_matches("go"));
        assert!(
            deps.iter().any(|&d| purl_of(&inv, d) == stdlib),
            "{name}: {stdlib}"
        );

        for (path, version, sum, rep) in &want.deps {
            let (id, p) = inv
                .packages()
                .find(|(_, p)| p.name == *path)
                .unwrap_or_else(|| panic!("{name}: dep {path}"));
            assert!(deps.contains(&id));
            match rep {
                None => {
                    assert_eq!(p.version.as_deref(), Some(version.as_str()));
                    assert_eq!(purl_of(&inv, id), format!("pkg:golang/{path}@{version}"));
                    assert_eq!(p.properties.get(PROP_H1), Some(sum));
                    assert!(sum.starts_with("h1:"));
                }
                Some((dir, rv, _)) => {
                    // A directory replacement in this fixture.
                    assert_eq!(rv, "(devel)");
                    assert_eq!(p.version, None);
                    assert_eq!(p.source.as_deref(), Some(dir.as_str()));
                    assert_eq!(p.properties[PROP_REPLACES], format!("{path}@{version}"));
                    assert!(!p.properties.contains_key(PROP_H1));
                }
            }
        }
    }
}

#[test]
fn fixture_facts() {
    // Counted by hand from the committed `go version -m` outputs.
    let inv = parse_go_binary("b", &fixture("hello-linux-amd64")).expect("parses");
    let mut purls: Vec<String> = inv.packages().map(|(id, _)| purl_of(&inv, id)).collect();
    purls.sort();
    assert_eq!(
        purls,
        [
            "pkg:golang/example.com/greet@v1.2.3",
            "pkg:golang/example.com/hello",
            "pkg:golang/example.com/local",
            "pkg:golang/stdlib@1.19.8",
        ]
    );
    let root = inv.package(inv.roots().next().expect("root"));
    assert_eq!(root.properties["chainproof:go:build:GOARCH"], "amd64");
    assert_eq!(root.properties["chainproof:go:build:CGO_ENABLED"], "0");
    assert_eq!(
        root.properties["chainproof:go:build:vcs.revision"],
        "fef433c733395602e0b221855dfdabc93d117e38"
    );
    let raw = read_build_info("b", &fixture("hello-darwin-arm64"))
        .expect("ok")
        .expect("Go binary");
    assert_eq!(raw.go_version, "go1.19.8");
    assert!(raw.modinfo.starts_with("path\texample.com/hello\n"));
}

#[test]
fn cataloger_through_the_runner() {
    let mut r = MemoryResolver::new();
    for name in BINARIES {
        r = r.with_file(&format!("dist/{name}"), fixture(name));
    }
    let r = r
        .with_file("README", "not a binary")
        .with_file("bin/empty", Vec::new())
        .with_file("bin/script", "#!/bin/sh\necho hi\n");
    let c = GoBinaryCataloger;
    assert!(c.catalog(&r, "README").expect("ok").is_empty());
    assert!(c.catalog(&r, "bin/empty").expect("ok").is_empty());
    assert!(c.catalog(&r, "bin/script").expect("ok").is_empty());
    let inv = catalog(
        &r,
        &[Box::new(GoBinaryCataloger)],
        &CatalogOptions::default(),
    );
    assert!(inv.unparsed().is_empty(), "{:?}", inv.unparsed());
    // The four binaries (same modules, different platforms) unify into the same four packages.
    assert_eq!(inv.len(), 4);
}

#[test]
fn path_rule() {
    for yes in [
        "hello",
        "usr/local/bin/kubectl",
        "app.exe",
        "X.EXE",
        ".hidden",
    ] {
        assert!(is_binary_candidate(yes), "{yes}");
    }
    for no in [
        "go.mod",
        "lib/libfoo.so",
        "a/b.txt",
        ".git/objects/ab",
        "x/.git/HEAD",
        "v1.2",
    ] {
        assert!(!is_binary_candidate(no), "{no}");
    }
}

#[test]
fn non_go_binaries_are_empty() {
    // Our own test executable: a real ELF/PE/Mach-O without Go build information.
    let exe = std::env::current_exe().expect("current exe");
    let data = std::fs::read(exe).expect("read self");
    assert!(parse_go_binary("self", &data).expect("no error").is_empty());
    assert!(parse_go_binary("x", b"\x7fELF").expect("ok").is_empty());
    assert!(parse_go_binary("x", b"MZ garbage").expect("ok").is_empty());
    assert!(
        parse_go_binary("x", b"\xca\xfe\xba\xbe\x00\x00\x00\x34")
            .expect("ok")
            .is_empty()
    );
}

#[test]
fn truncated_and_corrupted_never_panic() {
    for name in BINARIES {
        let data = fixture(name);
        let mut results = (0, 0, 0);
        let mut len = 0;
        while len < data.len() {
            match parse_go_binary(name, &data[..len]) {
                Ok(inv) if inv.is_empty() => results.0 += 1,
                Ok(_) => results.1 += 1,
                Err(e) => {
                    assert_eq!(e.path, name);
                    results.2 += 1;
                }
            }
            len += 16381;
        }
        assert!(results.0 > 0, "{name}: short prefixes are not Go binaries");
        // Corrupt bytes around the blob: header, pointer size, flags, varints.
        let off = data
            .windows(14)
            .position(|w| w == b"\xff Go buildinf:")
            .expect("magic");
        for i in 14..96 {
            for v in [0u8, 0x7f, 0x80, 0xff] {
                let mut d = data.clone();
                d[off + i] = v;
                let _ = parse_go_binary(name, &d);
            }
        }
        // A malformed module-information line is an error that names the line.
        let mut d = data.clone();
        // (after the blob: the runtime keeps another copy of the text elsewhere)
        let m = off
            + d[off..]
                .windows(11)
                .position(|w| w == b"build\tGOOS=")
                .expect("GOOS line");
        d[m + 6] = b'=';
        let e = parse_go_binary(name, &d).expect_err("missing key");
        assert!(e.line.is_some_and(|l| l > 5), "{e}");
        assert!(e.message.contains("missing key"), "{e}");
    }
}

/// A minimal little-endian ELF64 with one RW `PT_LOAD` covering the whole file, holding a
/// pre-Go-1.18 build-info blob: two pointers to Go string headers (pointer, length).
fn synthetic_old_elf(big_endian: bool) -> Vec<u8> {
    const BASE: u64 = 0x40_0000;
    let modinfo = format!(
        "{}path\tex.com/old\nmod\tex.com/old\tv1.0.0\th1:main=\ndep\tgolang.org/x/text\tv0.3.7\th1:text=\n{}",
        "0123456789abcdef", "\n123456789abcdef"
    );
    let version = "go1.16.15";
    let mut f = vec![0u8; 0x200];
    let put16 = |f: &mut Vec<u8>, at: usize, v: u16| {
        let b = if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        f[at..at + 2].copy_from_slice(&b);
    };
    let put32 = |f: &mut Vec<u8>, at: usize, v: u32| {
        let b = if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        f[at..at + 4].copy_from_slice(&b);
    };
    let put64 = |f: &mut Vec<u8>, at: usize, v: u64| {
        let b = if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        f[at..at + 8].copy_from_slice(&b);
    };
    f[..4].copy_from_slice(b"\x7fELF");
    f[4] = 2; // 64-bit
    f[5] = if big_endian { 2 } else { 1 };
    f[6] = 1;
    put16(&mut f, 16, 2); // ET_EXEC
    put16(&mut f, 18, if big_endian { 43 } else { 62 }); // sparcv9 / x86-64
    put32(&mut f, 20, 1);
    put64(&mut f, 32, 64); // e_phoff
    put16(&mut f, 52, 64); // e_ehsize
    put16(&mut f, 54, 56); // e_phentsize
    put16(&mut f, 56, 1); // e_phnum
    put16(&mut f, 58, 64); // e_shentsize
    // Blob at 0x100, string headers at 0x120 / 0x130, strings from 0x200.
    let blob = 0x100;
    f[blob..blob + 14].copy_from_slice(b"\xff Go buildinf:");
    f[blob + 14] = 8;
    f[blob + 15] = u8::from(big_endian);
    put64(&mut f, blob + 16, BASE + 0x120);
    put64(&mut f, blob + 24, BASE + 0x130);
    put64(&mut f, 0x120, BASE + 0x200);
    put64(&mut f, 0x128, version.len() as u64);
    put64(&mut f, 0x130, BASE + 0x200 + version.len() as u64);
    put64(&mut f, 0x138, modinfo.len() as u64);
    f.extend_from_slice(version.as_bytes());
    f.extend_from_slice(modinfo.as_bytes());
    let total = f.len() as u64;
    // Program header: PT_LOAD, flags R|W, offset 0, vaddr BASE, filesz = memsz = total.
    put32(&mut f, 64, 1);
    put32(&mut f, 68, 6);
    put64(&mut f, 72, 0);
    put64(&mut f, 80, BASE);
    put64(&mut f, 88, BASE);
    put64(&mut f, 96, total);
    put64(&mut f, 104, total);
    put64(&mut f, 112, 0x1000);
    f
}

#[test]
fn pre_go_1_18_pointer_layout() {
    for big in [false, true] {
        let elf = synthetic_old_elf(big);
        let raw = read_build_info("old", &elf)
            .expect("ok")
            .expect("Go binary");
        assert_eq!(raw.go_version, "go1.16.15");
        let inv = parse_go_binary("old", &elf).expect("parses");
        let root = inv.roots().next().expect("root");
        assert_eq!(purl_of(&inv, root), "pkg:golang/ex.com/old@v1.0.0");
        assert_eq!(inv.package(root).properties[PROP_H1], "h1:main=");
        let mut purls: Vec<String> = inv
            .dependencies_of(root)
            .map(|d| purl_of(&inv, d))
            .collect();
        purls.sort();
        assert_eq!(
            purls,
            [
                "pkg:golang/golang.org/x/text@v0.3.7",
                "pkg:golang/stdlib@1.16.15"
            ]
        );
        // Pointers into nowhere: the version string cannot be read → an error, no panic.
        let mut bad = elf.clone();
        bad[0x120..0x128].copy_from_slice(&[0xff; 8]);
        assert!(parse_go_binary("old", &bad).is_err());
        // A huge length is refused, not allocated.
        let mut bad = elf.clone();
        bad[0x138..0x140].copy_from_slice(&[0x7f; 8]);
        let _ = parse_go_binary("old", &bad);
    }
}

#[test]
fn universal_macho() {
    // A fat (universal) header with one arm64 slice at offset 0x4000 around the Mach-O.
    let thin = fixture("hello-darwin-arm64");
    let mut fat = Vec::new();
    for v in [
        0xcafe_babe_u32,
        1,
        0x0100_000c,
        0,
        0x4000,
        thin.len() as u32,
        14,
    ] {
        fat.extend_from_slice(&v.to_be_bytes());
    }
    fat.resize(0x4000, 0);
    fat.extend_from_slice(&thin);
    let a = parse_go_binary("fat", &fat).expect("parses");
    let b = parse_go_binary("thin", &thin).expect("parses");
    assert_eq!(a.len(), 4);
    let purls = |inv: &Inventory| {
        let mut v: Vec<String> = inv.packages().map(|(id, _)| purl_of(inv, id)).collect();
        v.sort();
        v
    };
    assert_eq!(purls(&a), purls(&b));
}
