//! Interop with sigstore-js: key-based Sigstore bundles written by `chainproof sign blob` and
//! `chainproof attest --bundle` verify with sigstore-js's library (@sigstore/verify).
//!
//! Fixtures: `tests/fixtures/interop/sigstore-js/` — the bundles (made by `gen.sh`), the
//! cases (`cases.json`: what chainproof and sigstore-js should answer, and why they differ
//! where they do), the node script, and the verdicts it recorded (`verdicts.json`).
//!
//! * Always: every case gets the expected verdict from `chainproof verify bundle`, and the
//!   recorded sigstore-js verdicts are for these very bundle files (SHA-256) and say what
//!   `cases.json` expects — sigstore-js accepted every valid bundle except the two documented
//!   sigstore-js limitations (Ed25519 message signatures, P-384 DSSE).
//! * Live, when `SIGSTORE_JS_NODE_MODULES` names a `node_modules` with `@sigstore/verify` and
//!   `@sigstore/bundle` (and `node`, or `$NODE`, runs): re-run the script on the committed
//!   cases, and on bundles freshly signed by this build; otherwise print a SKIPPED line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use chainproof_testkit::cli::read_json;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/interop/sigstore-js")
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{k} missing in {v}"))
}

fn chainproof_verdict(d: &Path, case: &Value) -> (i32, String) {
    let out = Command::cargo_bin("chainproof")
        .expect("binary")
        .current_dir(d)
        .args([
            "verify",
            "bundle",
            "--insecure-ignore-tlog",
            "--bundle",
            s(case, "bundle"),
            "--key",
            s(case, "key"),
            s(case, "artifact"),
        ])
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn verdicts_by_name(v: &Value) -> BTreeMap<String, Value> {
    v["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .map(|x| (s(x, "name").to_string(), x.clone()))
        .collect()
}

#[test]
fn committed_bundles_verify_with_chainproof_and_were_accepted_by_sigstore_js() {
    let d = dir();
    let cases = read_json(&d.join("cases.json"));
    let cases = cases.as_array().expect("cases");
    let recorded = read_json(&d.join("verdicts.json"));
    assert!(s(&recorded, "tool").contains("@sigstore/verify"));
    let recorded = verdicts_by_name(&recorded);
    assert_eq!(recorded.len(), cases.len(), "a verdict per case");
    let mut js_accepted_valid = 0;
    for case in cases {
        let name = s(case, "name");
        let (rc, err) = chainproof_verdict(&d, case);
        match s(case, "expect") {
            "verified" => assert_eq!(rc, 0, "{name}: chainproof: {err}"),
            "rejected" => assert_eq!(rc, 1, "{name}: chainproof: {err}"),
            other => panic!("{name}: expect {other:?}"),
        }
        let v = &recorded[name];
        // The verdict is about the committed bytes.
        let bytes = std::fs::read(d.join(s(case, "bundle"))).expect("bundle");
        assert_eq!(
            s(v, "bundleSha256"),
            chainproof_sigstore::to_hex(&chainproof_sigstore::sha256(&bytes)),
            "{name}: verdicts.json is stale (re-run the script)"
        );
        let js = if v["verified"] == Value::Bool(true) {
            "verified"
        } else {
            "rejected"
        };
        assert_eq!(js, s(case, "sigstoreJs"), "{name}: {v}");
        if s(case, "expect") != js {
            assert!(
                case["why"].as_str().is_some_and(|w| w.len() > 20),
                "{name}: chainproof and sigstore-js differ without an explanation"
            );
        }
        if s(case, "expect") == "verified" && js == "verified" {
            js_accepted_valid += 1;
        }
    }
    // p256 and rsa, message and DSSE; p384 message; ed25519 DSSE.
    assert_eq!(js_accepted_valid, 6);
}

/// `node` (or `$NODE`) and the sigstore-js modules, if available.
fn live_setup() -> Option<(String, PathBuf)> {
    let Some(modules) = std::env::var_os("SIGSTORE_JS_NODE_MODULES").map(PathBuf::from) else {
        eprintln!(
            "SKIPPED: sigstore-js live interop: set SIGSTORE_JS_NODE_MODULES to a node_modules \
             holding @sigstore/verify and @sigstore/bundle (npm install sigstore)"
        );
        return None;
    };
    let node = std::env::var("NODE").unwrap_or_else(|_| "node".into());
    for m in ["@sigstore/verify", "@sigstore/bundle"] {
        if !modules.join(m).join("package.json").is_file() {
            eprintln!(
                "SKIPPED: sigstore-js live interop: {m} not found under {}",
                modules.display()
            );
            return None;
        }
    }
    if Process::new(&node).arg("--version").output().is_err() {
        eprintln!("SKIPPED: sigstore-js live interop: cannot run {node:?}");
        return None;
    }
    Some((node, modules))
}

fn run_script(node: &str, modules: &Path, cases: &Path) -> Value {
    let out = Process::new(node)
        .arg(dir().join("verify_with_sigstore_js.js"))
        .arg(cases)
        .env("SIGSTORE_JS_NODE_MODULES", modules)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("verdict JSON")
}

#[test]
fn live_sigstore_js_verdicts() {
    let Some((node, modules)) = live_setup() else {
        return;
    };
    // 1. The committed cases: the same verdicts as recorded.
    let live = verdicts_by_name(&run_script(&node, &modules, &dir().join("cases.json")));
    let recorded = verdicts_by_name(&read_json(&dir().join("verdicts.json")));
    for (name, v) in &recorded {
        assert_eq!(
            live[name]["verified"], v["verified"],
            "{name}: {}",
            live[name]
        );
    }
    // 2. Bundles signed now, by this build.
    let tmp = tempfile::tempdir().expect("tmp");
    let t = tmp.path();
    std::fs::write(t.join("artifact.txt"), b"fresh artifact\n").expect("write");
    std::fs::write(t.join("pred.json"), br#"{"fresh":true}"#).expect("write");
    let cp = |args: &[&str]| {
        let out = Command::cargo_bin("chainproof")
            .expect("binary")
            .current_dir(t)
            .args(args)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let mut cases = Vec::new();
    for alg in ["p256", "ed25519"] {
        cp(&["key", "generate", "-a", alg, "-o", alg]);
    }
    let rsa = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys");
    std::fs::copy(rsa.join("rsa2048.key"), t.join("rsa.key")).expect("copy");
    std::fs::copy(rsa.join("rsa2048.pub"), t.join("rsa.pub")).expect("copy");
    for (alg, msg) in [
        ("p256", true),
        ("rsa", true),
        ("p256", false),
        ("ed25519", false),
        ("rsa", false),
    ] {
        let key = format!("{alg}.key");
        let out = format!("{alg}-{}.json", if msg { "msg" } else { "dsse" });
        if msg {
            cp(&[
                "sign",
                "blob",
                "artifact.txt",
                "--key",
                &key,
                "--bundle",
                &out,
            ]);
        } else {
            cp(&[
                "attest",
                "--predicate",
                "pred.json",
                "--type",
                "custom",
                "--subject",
                "artifact.txt",
                "--key",
                &key,
                "--bundle",
                "-o",
                &out,
            ]);
        }
        cases.push(serde_json::json!({
            "name": out, "bundle": out, "artifact": "artifact.txt", "key": format!("{alg}.pub"),
        }));
    }
    std::fs::write(t.join("cases.json"), Value::Array(cases).to_string()).expect("write");
    let fresh = run_script(&node, &modules, &t.join("cases.json"));
    for v in fresh["verdicts"].as_array().expect("verdicts") {
        assert_eq!(v["verified"], Value::Bool(true), "sigstore-js rejected {v}");
    }
    eprintln!(
        "sigstore-js ({}) verified {} fresh bundles",
        s(&fresh, "tool"),
        5
    );
}
