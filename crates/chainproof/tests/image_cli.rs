//! `chainproof sbom` on container images built in the test (with `chainproof_source::image::pack`)
//! from the lockfile fixtures, and on trivy's alpine `docker save` tarball.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chainproof_source::image::pack::{self, Compression, PackEntry};
use chainproof_testkit::cli::bin as chainproof;
use serde_json::Value;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/tree")
            .join(rel),
    )
    .unwrap()
}

fn alpine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../chainproof-source/tests/fixtures/image/trivy/alpine-310.tar.gz")
}

/// Layer 1: an npm project; layer 2: a Rust project; layer 3: deletes the npm lockfile.
fn layers() -> Vec<Vec<u8>> {
    vec![
        pack::layer_tar(&[
            ("srv/web", PackEntry::Dir),
            (
                "srv/web/package-lock.json",
                PackEntry::File(fixture("node/package-lock.json")),
            ),
            ("etc/alpine-release", PackEntry::File(b"3.20.0\n".to_vec())),
        ])
        .unwrap(),
        pack::layer_tar(&[(
            "srv/rust/Cargo.lock",
            PackEntry::File(fixture("rust/Cargo.lock")),
        )])
        .unwrap(),
        pack::layer_tar(&[("srv/web/package-lock.json", PackEntry::Whiteout)]).unwrap(),
    ]
}

fn sbom(target: &str, extra: &[&str], dir: &Path) -> Value {
    let out = dir.join("out.cdx.json");
    let mut cmd = chainproof();
    cmd.args(["sbom", target, "-o"])
        .arg(format!("cyclonedx-json={}", out.display()))
        .args(extra);
    cmd.assert().success();
    chainproof()
        .args(["sbom", "validate"])
        .arg(&out)
        .assert()
        .success();
    serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap()
}

fn props<'a>(c: &'a Value, name: &str) -> Vec<&'a str> {
    c["properties"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|p| p["name"] == name)
                .filter_map(|p| p["value"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

fn purls(doc: &Value) -> BTreeSet<String> {
    doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["purl"].as_str().map(String::from))
        .collect()
}

fn diff_ids(doc: &Value) -> Vec<String> {
    props(
        &doc["metadata"]["component"],
        "chainproof:image:layer-diff-id",
    )
    .into_iter()
    .map(String::from)
    .collect()
}

fn layer_of<'a>(doc: &'a Value, purl: &str) -> Vec<&'a str> {
    let c = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["purl"] == purl)
        .unwrap();
    props(c, "chainproof:layer")
}

const BYTEORDER: &str = "pkg:cargo/byteorder@1.3.1";
const POSTCSS: &str = "pkg:npm/postcss@7.0.16";

#[test]
fn oci_dir_squashed_and_all_layers() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = tmp.path().join("layout");
    let digest = pack::write_oci_dir(
        &layout,
        &layers(),
        Compression::Gzip,
        "registry.example/team/app:1.2",
    )
    .unwrap();
    let doc = sbom(&format!("oci-dir:{}", layout.display()), &[], tmp.path());
    let root = &doc["metadata"]["component"];
    assert_eq!(root["type"], "container");
    assert_eq!(root["name"], "registry.example/team/app");
    assert_eq!(root["version"], digest.as_str());
    assert_eq!(
        root["purl"].as_str().unwrap(),
        format!(
            "pkg:oci/app@{digest}?arch=amd64&repository_url=registry.example%2Fteam%2Fapp&tag=1.2"
        )
    );
    assert_eq!(root["hashes"][0]["content"], digest.hex());
    assert_eq!(
        props(root, "chainproof:image:manifest-digest"),
        [digest.as_str()]
    );
    assert_eq!(
        props(root, "chainproof:image:tag"),
        ["registry.example/team/app:1.2"]
    );
    assert_eq!(props(root, "chainproof:image:os"), ["linux"]);
    assert_eq!(props(root, "chainproof:image:layer-digest").len(), 3);
    let ids = diff_ids(&doc);
    assert_eq!(ids.len(), 3);
    // Squashed: the npm lockfile was deleted by layer 3.
    let got = purls(&doc);
    assert!(
        got.contains(BYTEORDER) && got.contains("pkg:cargo/base64@0.5.1"),
        "{got:?}"
    );
    assert!(!got.iter().any(|p| p.starts_with("pkg:npm/")), "{got:?}");
    assert_eq!(layer_of(&doc, BYTEORDER), [ids[1].as_str()]);

    // All layers: the deleted lockfile's packages are back, from layer 1.
    let doc = sbom(
        &format!("oci-dir:{}", layout.display()),
        &["--scope", "all-layers"],
        tmp.path(),
    );
    let got = purls(&doc);
    assert!(got.contains(POSTCSS), "{got:?}");
    assert!(got.contains(BYTEORDER));
    assert_eq!(layer_of(&doc, POSTCSS), [ids[0].as_str()]);
    assert_eq!(layer_of(&doc, BYTEORDER), [ids[1].as_str()]);
}

#[test]
fn docker_archive_prefixed_and_detected() {
    let tmp = tempfile::tempdir().unwrap();
    let tar = tmp.path().join("app.tar");
    pack::write_docker_archive(&tar, &layers()[..2], "app:dev", false).unwrap();
    for target in [
        format!("docker-archive:{}", tar.display()),
        tar.display().to_string(),
    ] {
        let doc = sbom(&target, &[], tmp.path());
        let root = &doc["metadata"]["component"];
        assert_eq!(root["type"], "container");
        assert_eq!(root["name"], "app");
        assert!(
            root["purl"]
                .as_str()
                .unwrap()
                .contains("repository_url=docker.io%2Flibrary%2Fapp&tag=dev")
        );
        let got = purls(&doc);
        assert!(got.contains(POSTCSS) && got.contains(BYTEORDER), "{got:?}");
    }
    // SPDX: the root package is a container with the image purl.
    let out = tmp.path().join("out.spdx.json");
    chainproof()
        .args(["sbom"])
        .arg(&tar)
        .arg("-o")
        .arg(format!("spdx-json={}", out.display()))
        .assert()
        .success();
    chainproof()
        .args(["sbom", "validate"])
        .arg(&out)
        .assert()
        .success();
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let root = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["SPDXID"] == "SPDXRef-RootPackage")
        .unwrap();
    assert_eq!(root["primaryPackagePurpose"], "CONTAINER");
    assert!(
        root["externalRefs"][0]["referenceLocator"]
            .as_str()
            .unwrap()
            .starts_with("pkg:oci/app@sha256:")
    );
}

#[test]
fn alpine_archive_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = sbom(alpine().to_str().unwrap(), &[], tmp.path());
    let root = &doc["metadata"]["component"];
    assert_eq!(root["name"], "alpine");
    assert_eq!(
        root["version"],
        "sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e"
    );
    assert_eq!(props(root, "chainproof:image:tag"), ["alpine:3.10"]);
    assert_eq!(props(root, "chainproof:image:architecture"), ["amd64"]);
    assert_eq!(
        diff_ids(&doc),
        ["sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028"]
    );
}

#[test]
fn lying_image_fails_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = tmp.path().join("layout");
    pack::write_oci_dir(&layout, &layers(), Compression::None, "x:1").unwrap();
    let config = std::fs::read_dir(layout.join("blobs/sha256"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|s| s.contains("diff_ids")))
        .unwrap();
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("amd64", "arm64");
    std::fs::write(&config, text).unwrap();
    let out = chainproof()
        .args(["sbom"])
        .arg(format!("oci-dir:{}", layout.display()))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("digest mismatch") && stderr.contains("config"),
        "{stderr}"
    );
}

#[test]
fn unknown_platform_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = tmp.path().join("layout");
    pack::write_oci_dir(&layout, &layers(), Compression::None, "x:1").unwrap();
    let out = chainproof()
        .args([
            "sbom",
            &format!("oci-dir:{}", layout.display()),
            "--platform",
            "linux/riscv64",
        ])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("no image for platform linux/riscv64"),
        "{stderr}"
    );
    chainproof()
        .args([
            "sbom",
            &format!("oci-dir:{}", layout.display()),
            "--platform",
            "linux",
        ])
        .assert()
        .failure();
}

#[test]
fn image_limit_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let alpine = alpine();
    let alpine = alpine.to_str().unwrap();
    // trivy's alpine 3.10 layer has 500-odd tar entries: 100 is too few, for sbom and scan
    // (scan with an empty database).
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let db = tmp.path().join("osv.db");
    chainproof()
        .args(["db", "build", "-q"])
        .arg(&empty)
        .arg("-o")
        .arg(&db)
        .assert()
        .success();
    let db = db.to_str().unwrap();
    for args in [vec!["sbom"], vec!["scan", "--db", db]] {
        let cmd = args[0];
        let out = chainproof()
            .args(&args)
            .args([alpine, "--max-files", "100"])
            .assert()
            .failure();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains("more than 100 tar entries in all layers"),
            "{cmd}: {stderr}"
        );
    }
    // Enough entries: the 14 apk packages.
    let doc = sbom(alpine, &["--max-files", "2000"], tmp.path());
    let apk = purls(&doc)
        .iter()
        .filter(|p| p.starts_with("pkg:apk/"))
        .count();
    assert_eq!(apk, 14);
    // Sizes take units; a 1 KiB per-file cap leaves the apk database (tens of KiB) unread.
    let out = chainproof()
        .args(["sbom", alpine, "--max-file-size", "1KiB"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("lib/apk/db/installed") && stderr.contains("per-file size cap"),
        "{stderr}"
    );
    let out = chainproof()
        .args(["sbom", alpine, "--max-image-size", "1MiB"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("more than 1048576 decompressed bytes"),
        "{stderr}"
    );
    // A bad size is a usage error (exit 2) naming the flag.
    let out = chainproof()
        .args(["sbom", alpine, "--max-image-size", "8 parsecs"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("--max-image-size"), "{stderr}");
    // The defaults are shown in --help.
    let out = chainproof().args(["sbom", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for d in [
        "[default: 64GiB]",
        "[default: 4000000]",
        "[default: 256MiB]",
    ] {
        assert!(help.contains(d), "{d} missing from --help");
    }
}

#[test]
fn all_layers_links_os_owned_files_across_layers() {
    // Layer 1 installs the deb database (python3-six owns the dist-info); layer 2 writes
    // the dist-info itself. Each layer is cataloged alone under --scope all-layers, and
    // the link still holds.
    let status = b"Package: python3-six\nStatus: install ok installed\nArchitecture: all\n\
Version: 1.16.0-4\n\n";
    let layers = vec![
        pack::layer_tar(&[
            (
                "etc/os-release",
                PackEntry::File(b"ID=debian\nVERSION_ID=\"12\"\n".to_vec()),
            ),
            ("var/lib/dpkg/status", PackEntry::File(status.to_vec())),
            (
                "var/lib/dpkg/info/python3-six.list",
                PackEntry::File(
                    b"/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA\n".to_vec(),
                ),
            ),
        ])
        .unwrap(),
        pack::layer_tar(&[(
            "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
            PackEntry::File(b"Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n\n".to_vec()),
        )])
        .unwrap(),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let layout = tmp.path().join("layout");
    pack::write_oci_dir(&layout, &layers, Compression::Gzip, "six:1").unwrap();
    let target = format!("oci-dir:{}", layout.display());
    for scope in ["squashed", "all-layers"] {
        let doc = sbom(&target, &["--scope", scope], tmp.path());
        let comps = doc["components"].as_array().unwrap();
        let by = |prefix: &str| {
            comps
                .iter()
                .find(|c| c["purl"].as_str().unwrap_or("").starts_with(prefix))
                .unwrap_or_else(|| panic!("{scope}: no {prefix}"))
        };
        let deb = by("pkg:deb/debian/python3-six@1.16.0-4");
        let six = by("pkg:pypi/six@1.16.0");
        assert_eq!(
            props(six, "chainproof:os:owned-by"),
            [deb["purl"].as_str().unwrap()],
            "{scope}"
        );
        let deps: Vec<&str> = doc["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["ref"] == deb["bom-ref"])
            .and_then(|d| d["dependsOn"].as_array())
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(deps, [six["bom-ref"].as_str().unwrap()], "{scope}");
    }
}
