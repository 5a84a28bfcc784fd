//! Every Sigstore conformance `bundle-verify` case through the real CLI:
//! `_fail` cases must exit 1 (not verified), all others exit 0. Each case
//! runs twice, with the artifact file and with its `sha256:` digest, as the
//! upstream suite does. Fixtures: tests/fixtures/sigstore-conformance
//! (Apache-2.0, see SOURCES.md there).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const DEFAULT_IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const DEFAULT_ISSUER: &str = "https://token.actions.githubusercontent.com";

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigstore-conformance/bundle-verify")
}

fn read_trimmed(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap().trim().to_string()
}

/// The CLI arguments for one case, as the conformance harness builds them.
fn args_for(case: &Path, digest_mode: bool) -> Vec<String> {
    let mut args: Vec<String> = vec!["verify".into(), "bundle".into()];
    args.push("--bundle".into());
    args.push(case.join("bundle.sigstore.json").display().to_string());
    if case.join("key.pub").exists() {
        args.push("--key".into());
        args.push(case.join("key.pub").display().to_string());
    } else {
        let identity = if case.join("identity").exists() {
            read_trimmed(&case.join("identity"))
        } else {
            DEFAULT_IDENTITY.to_string()
        };
        let issuer = if case.join("issuer").exists() {
            read_trimmed(&case.join("issuer"))
        } else {
            DEFAULT_ISSUER.to_string()
        };
        args.extend(["--certificate-identity".into(), identity]);
        args.extend(["--certificate-oidc-issuer".into(), issuer]);
    }
    if case.join("trusted_root.json").exists() {
        args.push("--trusted-root".into());
        args.push(case.join("trusted_root.json").display().to_string());
    }
    let artifact = if case.join("artifact").exists() {
        case.join("artifact")
    } else {
        cases_dir().join("a.txt")
    };
    if digest_mode {
        let bytes = std::fs::read(&artifact).unwrap();
        args.push(format!(
            "sha256:{}",
            chainproof_sigstore::to_hex(&chainproof_sigstore::sha256(&bytes))
        ));
    } else {
        args.push(artifact.display().to_string());
    }
    args
}

#[test]
fn every_conformance_case_gets_the_right_verdict() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 53, "cases copied from the corpus");
    let mut wrong = Vec::new();
    let mut expected_fail = 0;
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let should_fail = name.ends_with("_fail");
        expected_fail += usize::from(should_fail);
        for digest_mode in [false, true] {
            let out = Command::cargo_bin("chainproof")
                .unwrap()
                .args(args_for(case, digest_mode))
                .output()
                .unwrap();
            let code = out.status.code();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let ok = if should_fail {
                // Rejected with a verdict and a reason, not an error or a crash.
                code == Some(1) && stderr.contains("not verified")
            } else {
                code == Some(0)
            };
            if !ok {
                wrong.push(format!(
                    "{name} [{}]: exit {code:?}: {}",
                    if digest_mode { "digest" } else { "file" },
                    stderr.trim()
                ));
            }
        }
    }
    assert_eq!(expected_fail, 37, "independently counted _fail cases");
    assert!(
        wrong.is_empty(),
        "{} of {} runs got the wrong verdict:\n{}",
        wrong.len(),
        cases.len() * 2,
        wrong.join("\n")
    );
}

#[test]
fn batch_mode_gives_the_same_verdicts_in_one_process() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    let mut expected = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    for case in &cases {
        let args = args_for(case, false);
        let mut obj = serde_json::Map::new();
        let mut it = args.iter().skip(2);
        while let Some(a) = it.next() {
            let key = match a.as_str() {
                "--bundle" => "bundle",
                "--key" => "key",
                "--certificate-identity" => "identity",
                "--certificate-oidc-issuer" => "issuer",
                "--trusted-root" => "trustedRoot",
                _ => {
                    obj.insert("subject".into(), a.clone().into());
                    continue;
                }
            };
            obj.insert(key.into(), it.next().unwrap().clone().into());
        }
        lines.push_str(&serde_json::Value::Object(obj).to_string());
        lines.push('\n');
        expected.push(!case.to_string_lossy().ends_with("_fail"));
    }
    let batch = tmp.path().join("cases.jsonl");
    std::fs::write(&batch, lines).unwrap();
    let out = Command::cargo_bin("chainproof")
        .unwrap()
        .args(["verify", "bundle", "--batch"])
        .arg(&batch)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "some cases must be rejected");
    let verdicts: Vec<bool> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["verified"] == true)
        .collect();
    assert_eq!(verdicts, expected);
}

fn happy() -> PathBuf {
    cases_dir().join("happy-path-v0.3")
}

#[test]
fn identity_regexp_and_claims() {
    let bundle = happy().join("bundle.sigstore.json");
    let artifact = cases_dir().join("a.txt");
    let run = |extra: &[&str]| {
        Command::cargo_bin("chainproof")
            .unwrap()
            .args(["verify", "bundle", "--bundle"])
            .arg(&bundle)
            .args(extra)
            .arg(&artifact)
            .output()
            .unwrap()
    };
    let ok = run(&[
        "--certificate-identity-regexp",
        "^https://github\\.com/sigstore-conformance/",
        "--certificate-oidc-issuer-regexp",
        "githubusercontent",
        "--certificate-github-workflow-repository",
        "sigstore-conformance/extremely-dangerous-public-oidc-beacon",
        "--certificate-github-workflow-ref",
        "refs/heads/main",
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let wrong_repo = run(&[
        "--certificate-identity",
        DEFAULT_IDENTITY,
        "--certificate-oidc-issuer",
        DEFAULT_ISSUER,
        "--certificate-github-workflow-repository",
        "evil/fork",
    ]);
    assert_eq!(wrong_repo.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong_repo.stderr).contains("GitHub workflow repository"));
    let wrong_re = run(&[
        "--certificate-identity-regexp",
        "^https://github\\.com/someone-else/",
        "--certificate-oidc-issuer",
        DEFAULT_ISSUER,
    ]);
    assert_eq!(wrong_re.status.code(), Some(1));
    let bad_re = run(&[
        "--certificate-identity-regexp",
        "(",
        "--certificate-oidc-issuer",
        DEFAULT_ISSUER,
    ]);
    assert_eq!(
        bad_re.status.code(),
        Some(2),
        "an invalid regexp is a usage error"
    );
}

#[test]
fn unreadable_inputs_are_errors_not_verdicts() {
    let out = Command::cargo_bin("chainproof")
        .unwrap()
        .args(["verify", "bundle", "--bundle", "/nonexistent/b.json"])
        .args([
            "--certificate-identity",
            "x",
            "--certificate-oidc-issuer",
            "y",
        ])
        .arg(cases_dir().join("a.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::cargo_bin("chainproof")
        .unwrap()
        .args(["verify", "bundle", "--bundle"])
        .arg(happy().join("bundle.sigstore.json"))
        .args([
            "--certificate-identity",
            "x",
            "--certificate-oidc-issuer",
            "y",
        ])
        .args(["--trusted-root", "/nonexistent/root.json"])
        .arg(cases_dir().join("a.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
