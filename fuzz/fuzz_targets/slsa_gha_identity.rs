#![no_main]
//! Keyless GitHub provenance identity checks on arbitrary input. The input is split into a
//! certificate (the first `u16` little-endian length bytes after the prefix, PEM or DER)
//! and a provenance (the rest: an in-toto statement, or a DSSE envelope / `.intoto.jsonl`
//! line whose payload is one). The certificate's claims become a `CertIdentity`, which
//! `verify_builder_identity`, `expected_builder` and `check_certificate_matches` judge with
//! fixed options. Must never panic.
use chainproof_attest::intoto::Statement;
use chainproof_attest::slsa::gha::{self, CertIdentity, IdentityOptions};
use chainproof_sigstore::Claim;
use libfuzzer_sys::fuzz_target;

fn identity(cert: &[u8]) -> CertIdentity {
    match chainproof_sigstore::keyless::certificate_info(cert, "<fuzz>") {
        Ok(info) => CertIdentity {
            san: info
                .identity
                .as_ref()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            issuer: info.issuer.clone(),
            source_repository: Claim::GithubWorkflowRepository.value(&info),
            source_ref: Claim::GithubWorkflowRef.value(&info),
            trigger: Claim::GithubWorkflowTrigger.value(&info),
        },
        // Still exercise the checks: a certificate-shaped identity from the raw text.
        Err(_) => {
            let text = String::from_utf8_lossy(cert);
            let mut parts = text.splitn(5, '\n').map(str::to_string);
            CertIdentity {
                san: parts.next().unwrap_or_default(),
                issuer: parts.next(),
                source_repository: parts.next(),
                source_ref: parts.next(),
                trigger: parts.next(),
            }
        }
    }
}

fn statement(prov: &[u8]) -> Option<Statement> {
    if let Ok(st) = Statement::from_json(prov, "<fuzz>") {
        return Some(st);
    }
    let line = prov.split(|b| *b == b'\n').next().unwrap_or(prov);
    let env = chainproof_attest::dsse::Envelope::from_json(line, "<fuzz>").ok()?;
    Statement::from_json(&env.payload, "<fuzz>").ok()
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let n = usize::from(u16::from_le_bytes([data[0], data[1]]));
    let rest = &data[2..];
    let (cert, prov) = rest.split_at(n.min(rest.len()));
    let id = identity(cert);
    let st = statement(prov);
    let trusting = [
        IdentityOptions::default(),
        IdentityOptions {
            builder_id: None,
            testing: true,
        },
        IdentityOptions {
            builder_id: Some(
                "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v1.2.3"
                    .into(),
            ),
            testing: false,
        },
        IdentityOptions {
            builder_id: Some(id.san.clone()),
            testing: true,
        },
    ];
    for opts in &trusting {
        let builder = gha::verify_builder_identity(&id, opts);
        if let Some(st) = &st {
            let forced = gha::TrustedBuilder {
                id: id.san.clone(),
                delegator: true,
            };
            let _ = gha::expected_builder(&forced, st, opts);
            if let Ok(b) = &builder {
                let _ = gha::expected_builder(b, st, opts);
            }
        }
    }
    if let Some(st) = &st {
        for src in [
            None,
            Some("github.com/slsa-framework/example-package"),
            Some("git+https://github.com/o/r.git"),
        ] {
            let _ = gha::check_certificate_matches(&id, st, src);
        }
    }
});
