//! `chainproof sbom` on a real Debian image: the root filesystem made by
//! `scripts/debian-root.sh` (env `CHAINPROOF_DEBIAN_ROOT`) is packed with
//! `chainproof_source::image::pack` as an OCI layout directory and a docker-archive, and the
//! `pkg:deb` purls of the SBOM must be exactly what `dpkg-query -W` lists in that root.
//! A Go binary layered over `usr/bin/ls` checks the OS-ownership rule on that image.
//! Also (hermetic): trivy's alpine 3.10 `docker save` tarball gives exactly its 14 apk packages.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chainproof_purl::Purl;
use chainproof_source::image::pack::{self, Compression};
use chainproof_testkit::cli::bin as chainproof;
use serde_json::Value;

type Nva = BTreeSet<(String, String, String)>;

/// Runs `chainproof sbom TARGET -o cyclonedx-json=…` and returns every component purl.
fn sbom_purls(target: &str, dir: &Path) -> Vec<Purl> {
    let out = dir.join("out.cdx.json");
    chainproof()
        .args(["sbom", target, "-q", "-o"])
        .arg(format!("cyclonedx-json={}", out.display()))
        .assert()
        .success();
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let mut purls = Vec::new();
    collect(&doc["components"], &mut purls);
    purls
}

fn collect(components: &Value, out: &mut Vec<Purl>) {
    for c in components.as_array().into_iter().flatten() {
        if let Some(p) = c["purl"].as_str() {
            out.push(Purl::parse(p).unwrap_or_else(|e| panic!("bad purl {p}: {e}")));
        }
        collect(&c["components"], out);
    }
}

/// (name, version, arch) of the purls of type `ty`, checking each has `distro=DISTRO`.
fn os_packages(purls: &[Purl], ty: &str, distro: &str) -> Nva {
    let mut set = BTreeSet::new();
    for p in purls.iter().filter(|p| p.ty() == ty) {
        assert_eq!(p.qualifier("distro"), Some(distro), "distro of {p}");
        let fresh = set.insert((
            p.name().to_string(),
            p.version().unwrap_or_default().to_string(),
            p.qualifier("arch").unwrap_or_default().to_string(),
        ));
        assert!(fresh, "duplicate {p}");
    }
    set
}

/// What dpkg itself says is installed in ROOT.
fn dpkg_query(root: &Path) -> Nva {
    let out = std::process::Command::new("dpkg-query")
        .arg(format!(
            "--admindir={}",
            root.join("var/lib/dpkg").display()
        ))
        .args([
            "-W",
            "-f",
            "${db:Status-Status} ${Package} ${Version} ${Architecture}\n",
        ])
        .output()
        .expect("dpkg-query runs");
    assert!(out.status.success(), "dpkg-query failed: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 4 && f[0] == "installed")
                .then(|| (f[1].to_string(), f[2].to_string(), f[3].to_string()))
        })
        .collect()
}

fn debian_root() -> Option<PathBuf> {
    let Some(root) = std::env::var_os("CHAINPROOF_DEBIAN_ROOT").map(PathBuf::from) else {
        eprintln!(
            "SKIPPED: CHAINPROOF_DEBIAN_ROOT not set (make one with scripts/debian-root.sh DIR)"
        );
        return None;
    };
    if !root.join("var/lib/dpkg/status").is_file() {
        eprintln!(
            "SKIPPED: no var/lib/dpkg/status under CHAINPROOF_DEBIAN_ROOT={}",
            root.display()
        );
        return None;
    }
    if std::process::Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: dpkg-query not installed");
        return None;
    }
    Some(root)
}

#[test]
fn debian_root_as_oci_dir_and_docker_archive() {
    let Some(root) = debian_root() else { return };
    let expected = dpkg_query(&root);
    assert!(expected.len() > 50, "too few packages: {}", expected.len());
    assert!(expected.iter().any(|(n, _, _)| n == "dpkg"));

    let layer = pack::layer_from_dir(&root).unwrap();
    let tmp = tempfile::tempdir().unwrap();

    let oci = tmp.path().join("oci");
    pack::write_oci_dir(
        &oci,
        std::slice::from_ref(&layer),
        Compression::Gzip,
        "debian:bookworm",
    )
    .unwrap();
    let purls = sbom_purls(&format!("oci-dir:{}", oci.display()), tmp.path());
    let got = os_packages(&purls, "deb", "debian-12");
    assert_eq!(
        got, expected,
        "oci-dir: deb packages differ from dpkg-query"
    );

    let archive = tmp.path().join("debian.tar");
    pack::write_docker_archive(&archive, &[layer], "debian:bookworm", false).unwrap();
    drop(purls);
    let purls = sbom_purls(&format!("docker-archive:{}", archive.display()), tmp.path());
    let got = os_packages(&purls, "deb", "debian-12");
    assert_eq!(
        got, expected,
        "docker-archive: deb packages differ from dpkg-query"
    );
    // Every purl of an OS package names the distro (checked in os_packages), and there is
    // no package of another OS type.
    assert!(
        purls
            .iter()
            .all(|p| !matches!(p.ty(), "apk" | "rpm" | "alpm"))
    );
}

/// The Debian root plus a layer that puts a Go binary where dpkg's `/bin/ls` (coreutils) is
/// (`usr/bin/ls` on merged /usr): the OS-ownership rule on a real image. The Go main module
/// is dropped (coreutils describes that binary); the modules compiled in are kept, marked
/// `chainproof:os:owned-by` coreutils and linked by an edge from coreutils. The deb
/// packages carry the files and licenses their `.list` and copyright files give.
#[test]
fn debian_image_os_owned_binary() {
    let Some(root) = debian_root() else { return };
    let go = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../chainproof-catalog/tests/fixtures/gobin/hello-linux-amd64"),
    )
    .unwrap();
    let layers = [
        pack::layer_from_dir(&root).unwrap(),
        pack::layer_tar(&[("usr/bin/ls", pack::PackEntry::File(go))]).unwrap(),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let oci = tmp.path().join("oci");
    pack::write_oci_dir(&oci, &layers, Compression::Gzip, "debian:go").unwrap();
    let out = tmp.path().join("out.cdx.json");
    chainproof()
        .args(["sbom", &format!("oci-dir:{}", oci.display()), "-q", "-o"])
        .arg(format!("cyclonedx-json={}", out.display()))
        .assert()
        .success();
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let comps: Vec<&Value> = doc["components"].as_array().unwrap().iter().collect();
    let purl = |c: &Value| c["purl"].as_str().unwrap_or_default().to_string();
    let prop = |c: &Value, k: &str| {
        c["properties"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == k)
            .and_then(|p| p["value"].as_str())
            .map(str::to_string)
    };
    let coreutils = comps
        .iter()
        .find(|c| purl(c).starts_with("pkg:deb/debian/coreutils@"))
        .expect("coreutils");
    assert!(
        comps.iter().all(|c| !purl(c).contains("example.com/hello")),
        "the main module of an OS-owned binary is dropped"
    );
    let golang: Vec<&&Value> = comps
        .iter()
        .filter(|c| purl(c).starts_with("pkg:golang/"))
        .collect();
    let mut names: Vec<String> = golang.iter().map(|c| purl(c)).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "pkg:golang/example.com/greet@v1.2.3",
            "pkg:golang/example.com/local",
            "pkg:golang/stdlib@1.19.8"
        ]
    );
    for c in &golang {
        assert_eq!(prop(c, "chainproof:os:owned-by"), Some(purl(coreutils)));
    }
    // coreutils → each compiled-in module in the dependency graph.
    let core_ref = coreutils["bom-ref"].as_str().unwrap();
    let deps: BTreeSet<&str> = doc["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["ref"] == core_ref)
        .and_then(|d| d["dependsOn"].as_array())
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for c in &golang {
        assert!(deps.contains(c["bom-ref"].as_str().unwrap()), "{}", purl(c));
    }
    // The `.list` and copyright files reached the catalogers inside the image.
    let files: usize = prop(coreutils, "chainproof:os:owned-files")
        .expect("owned-files")
        .parse()
        .unwrap();
    let listed = std::fs::read_to_string(root.join("var/lib/dpkg/info/coreutils.list")).unwrap();
    assert!(files > 50 && files < listed.lines().count(), "{files}");
    assert!(
        coreutils["licenses"]
            .as_array()
            .is_some_and(|l| !l.is_empty()),
        "coreutils has no license: {coreutils}"
    );
}

/// The apk database of the alpine fixture, parsed independently of the cataloger (`P:`,
/// `V:`, `A:` lines of each paragraph of `lib/apk/db/installed` inside the image's layer).
fn apk_db_of_fixture(path: &Path) -> Nva {
    use std::io::Read;
    let gz = std::fs::File::open(path).unwrap();
    let mut outer = tar::Archive::new(flate2::read::GzDecoder::new(gz));
    let mut layers: Vec<Vec<u8>> = Vec::new();
    for e in outer.entries().unwrap() {
        let mut e = e.unwrap();
        if e.path().unwrap().to_string_lossy().ends_with("layer.tar") {
            let mut buf = Vec::new();
            e.read_to_end(&mut buf).unwrap();
            layers.push(buf);
        }
    }
    let mut db = None;
    for l in &layers {
        let mut a = tar::Archive::new(&l[..]);
        for e in a.entries().unwrap() {
            let mut e = e.unwrap();
            if e.path().unwrap().to_string_lossy() == "lib/apk/db/installed" {
                let mut s = String::new();
                e.read_to_string(&mut s).unwrap();
                db = Some(s);
            }
        }
    }
    let db = db.expect("apk database in the fixture");
    let mut set = BTreeSet::new();
    for para in db.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let field = |k: &str| {
            para.lines()
                .find_map(|l| l.strip_prefix(k))
                .unwrap_or_default()
                .to_string()
        };
        set.insert((field("P:"), field("V:"), field("A:")));
    }
    set
}

#[test]
fn alpine_archive_gives_exactly_its_apk_packages() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../chainproof-source/tests/fixtures/image/trivy/alpine-310.tar.gz");
    let expected = apk_db_of_fixture(&fixture);
    assert_eq!(expected.len(), 14);
    assert!(expected.contains(&(
        "musl".to_string(),
        "1.1.22-r3".to_string(),
        "x86_64".to_string()
    )));
    let tmp = tempfile::tempdir().unwrap();
    for target in [
        format!("docker-archive:{}", fixture.display()),
        fixture.display().to_string(),
    ] {
        let purls = sbom_purls(&target, tmp.path());
        let got = os_packages(&purls, "apk", "alpine-3.10.4");
        assert_eq!(got, expected, "{target}");
        assert!(purls.iter().all(|p| p.ty() != "deb"));
    }
}
