//! Keyless GitHub provenance: which signing identity (Fulcio certificate) is trusted to have
//! produced a provenance, modelled on slsa-verifier's `verifiers/internal/gha/builder.go`
//! (`VerifyBuilderIdentity`, `verifyTrustedBuilderID`, `verifyTrustedBuilderRef`) and
//! `provenance.go` (`VerifyProvenance`: exact builder match, or a BYOB delegator).
//!
//! The certificate itself is verified elsewhere (chainproof-sigstore); this module takes its
//! claims as plain strings in [`CertIdentity`], decides the trusted builder, and turns the
//! caller's options into the [`VerifyOptions`] that [`super::verify`] checks the statement
//! with. It also checks that the certificate's source repository, ref and trigger agree with
//! the provenance's own invocation (`invocation.configSource` / `externalParameters.workflow`
//! and the GitHub environment).

use super::Provenance;
use super::verify::{Failure, FailureKind, VerifyOptions, normalize_git_uri};
use crate::intoto::Statement;

/// The OIDC issuer of GitHub Actions workload identities.
pub const GITHUB_ACTIONS_ISSUER: &str = "https://token.actions.githubusercontent.com";

const GENERATOR: &str =
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/";

/// Reusable workflows trusted without `--builder-id` (slsa-verifier's
/// `defaultArtifactTrustedReusableWorkflows`, the container generator, and the BYOB delegators).
pub const DEFAULT_TRUSTED_WORKFLOWS: &[&str] = &[
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_container-based_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml",
];

const DELEGATORS: &[&str] = &[
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml",
];

/// The claims of a verified Fulcio certificate that matter for GitHub provenance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertIdentity {
    /// The SAN: the reusable workflow that signed, `https://github.com/o/r/.github/workflows/x.yml@REF`.
    pub san: String,
    /// OIDC issuer (`.1.8` or legacy `.1.1`).
    pub issuer: Option<String>,
    /// Source repository, `owner/repo` (`.1.5`, or `.1.12` without `https://github.com/`).
    pub source_repository: Option<String>,
    /// Source ref, e.g. `refs/heads/main` (`.1.6` / `.1.14`).
    pub source_ref: Option<String>,
    /// Event that triggered the workflow (`.1.2` / `.1.20`).
    pub trigger: Option<String>,
}

/// How to judge the certificate.
#[derive(Debug, Clone, Default)]
pub struct IdentityOptions {
    /// The caller's `--builder-id` (`NAME` or `NAME@REF`).
    pub builder_id: Option<String>,
    /// Accept pre-release builder tags and `refs/heads/main` of the generator and
    /// example-package repositories (slsa-verifier's `SLSA_VERIFIER_TESTING`).
    pub testing: bool,
}

/// The builder the certificate vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedBuilder {
    /// `NAME@REF` of the signing workflow.
    pub id: String,
    /// Whether it is a BYOB delegator (the provenance names the real builder).
    pub delegator: bool,
}

fn fail<T>(kind: FailureKind, message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        kind,
        message: message.into(),
    })
}

/// `name@ref` → (name, ref).
fn split_at_ref(s: &str) -> (&str, &str) {
    s.rsplit_once('@').unwrap_or((s, ""))
}

/// Loose builder match (slsa-verifier `MatchesLoose`): same name, and when `expected` has a
/// ref, the same ref (`vX` also matches `refs/tags/vX`).
fn matches_loose(actual: &str, expected: &str) -> bool {
    let (an, ar) = split_at_ref(actual);
    let (en, er) = split_at_ref(expected);
    an == en && (er.is_empty() || er == ar || format!("refs/tags/{er}") == ar)
}

/// `refs/tags/vX.Y.Z` (slsa-verifier `IsValidBuilderTag`).
fn check_builder_tag(r: &str, testing: bool) -> Result<(), Failure> {
    let Some(pin) = r.strip_prefix("refs/tags/") else {
        return fail(
            FailureKind::InvalidRef,
            format!("builder ref {r:?} is not a tag"),
        );
    };
    let (core, pre) = pin.split_once('-').unwrap_or((pin, ""));
    let ok = pin.starts_with('v')
        && !pin.contains('+')
        && core[1..].split('.').count() == 3
        && core[1..]
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && (pre.is_empty() || testing);
    if ok {
        Ok(())
    } else {
        fail(
            FailureKind::InvalidRef,
            format!("builder tag {pin:?} is not of the form vX.Y.Z"),
        )
    }
}

/// Decide whether the signing certificate belongs to a trusted builder.
pub fn verify_builder_identity(
    id: &CertIdentity,
    opts: &IdentityOptions,
) -> Result<TrustedBuilder, Failure> {
    match id.issuer.as_deref() {
        Some(GITHUB_ACTIONS_ISSUER) => {}
        other => {
            return fail(
                FailureKind::InvalidOidcIssuer,
                format!("certificate OIDC issuer is {other:?}, expected {GITHUB_ACTIONS_ISSUER:?}"),
            );
        }
    }
    let (name, r#ref) = split_at_ref(&id.san);
    if r#ref.is_empty() || !name.starts_with("https://github.com/") {
        return fail(
            FailureKind::MalformedUri,
            format!(
                "certificate SAN {:?} is not a GitHub workflow at a ref",
                id.san
            ),
        );
    }
    let delegator = DELEGATORS.contains(&name);
    match opts.builder_id.as_deref().filter(|b| !b.is_empty()) {
        None if !DEFAULT_TRUSTED_WORKFLOWS.contains(&name) => {
            return fail(
                FailureKind::UntrustedReusableWorkflow,
                format!(
                    "certificate was issued to {name:?}, not a trusted builder; pass --builder-id to trust it"
                ),
            );
        }
        Some(expected) if !delegator && !matches_loose(&id.san, expected) => {
            return fail(
                FailureKind::UntrustedReusableWorkflow,
                format!(
                    "certificate was issued to {:?}, expected builder {expected:?}",
                    id.san
                ),
            );
        }
        _ => {}
    }
    let test_repo = name.starts_with(GENERATOR)
        || name.starts_with("https://github.com/slsa-framework/example-package/");
    if !(opts.testing && test_repo && r#ref == "refs/heads/main") {
        check_builder_tag(r#ref, opts.testing)?;
    }
    Ok(TrustedBuilder {
        id: id.san.clone(),
        delegator,
    })
}

/// The builder id the provenance must carry (what slsa-verifier's `VerifyProvenance` checks):
/// the certificate's workflow exactly, or for a delegator the caller's `--builder-id` (or,
/// without one, the provenance's own builder if it is a slsa-github-generator workflow at a
/// valid tag).
pub fn expected_builder(
    builder: &TrustedBuilder,
    statement: &Statement,
    opts: &IdentityOptions,
) -> Result<String, Failure> {
    if !builder.delegator {
        return Ok(builder.id.clone());
    }
    let prov = provenance(statement)?;
    let pid = prov.builder_id();
    let (pname, pref) = split_at_ref(pid);
    if pref.is_empty() {
        return fail(
            FailureKind::InvalidBuilderId,
            format!("provenance builder id {pid:?} has no ref"),
        );
    }
    let source = match &prov {
        Provenance::V02(p) => p.materials.first().map(|m| m.uri.clone()),
        Provenance::V1(p) => p
            .build_definition
            .resolved_dependencies
            .first()
            .and_then(|d| d.uri.clone()),
    }
    .unwrap_or_default();
    let e2e = split_at_ref(&source).0 == "git+https://github.com/slsa-framework/example-package";
    if !(opts.testing && e2e && pref == "refs/heads/main") {
        check_builder_tag(pref, opts.testing)?;
    }
    match opts.builder_id.as_deref().filter(|b| !b.is_empty()) {
        Some(b) => Ok(b.to_string()),
        None if pname.starts_with(GENERATOR) => Ok(pname.to_string()),
        None => fail(
            FailureKind::InvalidBuilderId,
            format!("provenance builder {pname:?} is not under {GENERATOR:?}; pass --builder-id"),
        ),
    }
}

fn provenance(statement: &Statement) -> Result<Provenance, Failure> {
    match Provenance::from_statement(statement) {
        Ok(Some(p)) => Ok(p),
        Ok(None) => fail(
            FailureKind::InvalidPayload,
            format!(
                "predicate type {:?} is not SLSA provenance",
                statement.predicate_type
            ),
        ),
        Err(e) => fail(FailureKind::InvalidPayload, e.to_string()),
    }
}

/// The certificate's source repository, ref and trigger must be those of the provenance's
/// invocation, and the repository must be the expected `--source-uri` (slsa-verifier's
/// `VerifyCertficateSourceRepository`).
pub fn check_certificate_matches(
    id: &CertIdentity,
    statement: &Statement,
    source_uri: Option<&str>,
) -> Result<(), Failure> {
    let cert_repo = id.source_repository.as_deref().unwrap_or_default();
    if let Some(src) = source_uri {
        let want = normalize_git_uri(src);
        let want = want
            .trim_start_matches("git+https://github.com/")
            .trim_end_matches('/');
        if cert_repo != want {
            return fail(
                FailureKind::MismatchSource,
                format!("expected source {want:?}, certificate was issued for {cert_repo:?}"),
            );
        }
    }
    let prov = provenance(statement)?;
    let (trigger, event) = match &prov {
        Provenance::V02(p) => (
            Some(p.invocation.config_source.uri.clone()),
            p.invocation
                .environment
                .as_ref()
                .and_then(|e| e.get("github_event_name"))
                .and_then(|v| v.as_str())
                .map(str::to_string),
        ),
        Provenance::V1(p) => {
            let wf = p.build_definition.external_parameters.get("workflow");
            let trigger = wf.and_then(|w| {
                let repo = w.get("repository")?.as_str()?;
                let r = w.get("ref")?.as_str()?;
                Some(format!("{}@{r}", normalize_git_uri(repo)))
            });
            let event = p
                .build_definition
                .internal_parameters
                .as_ref()
                .and_then(|e| e.get("GITHUB_EVENT_NAME"))
                .and_then(|v| v.as_str())
                .map(str::to_string);
            (trigger, event)
        }
    };
    if let Some(t) = trigger.filter(|t| !t.is_empty()) {
        let (uri, r) = split_at_ref(&t);
        let prov_repo = uri
            .trim_start_matches("git+https://github.com/")
            .trim_end_matches(".git");
        if prov_repo != cert_repo {
            return fail(
                FailureKind::MismatchCertificate,
                format!(
                    "provenance was triggered in {prov_repo:?}, certificate was issued for {cert_repo:?}"
                ),
            );
        }
        if let Some(cref) = &id.source_ref
            && !r.is_empty()
            && r != cref
        {
            return fail(
                FailureKind::MismatchCertificate,
                format!("provenance ref {r:?} differs from the certificate's {cref:?}"),
            );
        }
    }
    if let (Some(pe), Some(ce)) = (event, &id.trigger)
        && &pe != ce
    {
        return fail(
            FailureKind::MismatchCertificate,
            format!("provenance event {pe:?} differs from the certificate's trigger {ce:?}"),
        );
    }
    Ok(())
}

/// [`VerifyOptions`] for the statement check, with the builder fixed by the certificate.
pub fn options_for(base: &VerifyOptions, expected_builder: String) -> VerifyOptions {
    VerifyOptions {
        builder_id: Some(expected_builder),
        ..base.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ident(san: &str) -> CertIdentity {
        CertIdentity {
            san: san.into(),
            issuer: Some(GITHUB_ACTIONS_ISSUER.into()),
            source_repository: Some("o/r".into()),
            source_ref: Some("refs/heads/main".into()),
            trigger: Some("push".into()),
        }
    }

    #[test]
    fn builder_tags() {
        assert!(check_builder_tag("refs/tags/v1.2.3", false).is_ok());
        for bad in [
            "refs/tags/v1.2",
            "refs/tags/1.2.3",
            "refs/heads/v1.2.3",
            "refs/tags/v1.2.3-rc.0",
            "refs/tags/v1.2.3+b",
            "refs/tags/v1.x.3",
        ] {
            let e = check_builder_tag(bad, false).expect_err(bad);
            assert_eq!(e.kind, FailureKind::InvalidRef, "{bad}");
        }
        assert!(check_builder_tag("refs/tags/v1.2.3-rc.0", true).is_ok());
    }

    #[test]
    fn identity_decisions() {
        let go = format!("{GENERATOR}builder_go_slsa3.yml@refs/tags/v1.9.0");
        let opts = IdentityOptions::default();
        let b = verify_builder_identity(&ident(&go), &opts).expect("trusted");
        assert_eq!((b.id.as_str(), b.delegator), (go.as_str(), false));

        let mut other_issuer = ident(&go);
        other_issuer.issuer = Some("https://accounts.google.com".into());
        let e = verify_builder_identity(&other_issuer, &opts).expect_err("issuer");
        assert_eq!(e.kind, FailureKind::InvalidOidcIssuer);

        let fork = "https://github.com/fork/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@refs/tags/v1.9.0";
        let e = verify_builder_identity(&ident(fork), &opts).expect_err("fork");
        assert_eq!(e.kind, FailureKind::UntrustedReusableWorkflow);
        // Trusted when asked for explicitly, also by bare tag.
        let explicit = IdentityOptions {
            builder_id: Some(
                "https://github.com/fork/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@v1.9.0"
                    .into(),
            ),
            testing: false,
        };
        assert!(verify_builder_identity(&ident(fork), &explicit).is_ok());
        // A different expected builder than the certificate's.
        let e = verify_builder_identity(&ident(&go), &explicit).expect_err("other");
        assert_eq!(e.kind, FailureKind::UntrustedReusableWorkflow);

        let head = format!("{GENERATOR}builder_go_slsa3.yml@refs/heads/main");
        assert_eq!(
            verify_builder_identity(&ident(&head), &opts)
                .expect_err("head")
                .kind,
            FailureKind::InvalidRef
        );
        let testing = IdentityOptions {
            testing: true,
            ..IdentityOptions::default()
        };
        assert!(verify_builder_identity(&ident(&head), &testing).is_ok());

        let delegator = format!("{GENERATOR}delegator_generic_slsa3.yml@refs/tags/v2.0.0");
        assert!(
            verify_builder_identity(&ident(&delegator), &explicit)
                .expect("delegator")
                .delegator
        );
        let no_ref = format!("{GENERATOR}builder_go_slsa3.yml");
        assert_eq!(
            verify_builder_identity(&ident(&no_ref), &opts)
                .expect_err("no ref")
                .kind,
            FailureKind::MalformedUri
        );
    }

    #[test]
    fn certificate_must_match_the_invocation() {
        let st = |uri: &str, event: &str| {
            let json = serde_json::json!({
                "_type": "https://in-toto.io/Statement/v0.1",
                "predicateType": "https://slsa.dev/provenance/v0.2",
                "subject": [{"name": "a", "digest": {"sha256": "00".repeat(32)}}],
                "predicate": {
                    "builder": {"id": "b"},
                    "buildType": "t",
                    "invocation": {
                        "configSource": {"uri": uri, "digest": {"sha1": "aa"}},
                        "environment": {"github_event_name": event}
                    },
                    "materials": [{"uri": uri}]
                }
            });
            Statement::from_json(json.to_string().as_bytes(), "t").expect("statement")
        };
        let id = ident("x");
        let good = st("git+https://github.com/o/r@refs/heads/main", "push");
        assert!(check_certificate_matches(&id, &good, Some("github.com/o/r")).is_ok());
        let e = check_certificate_matches(&id, &good, Some("github.com/o/other")).expect_err("src");
        assert_eq!(e.kind, FailureKind::MismatchSource);
        for (bad, why) in [
            (
                st("git+https://github.com/o/x@refs/heads/main", "push"),
                "repo",
            ),
            (
                st("git+https://github.com/o/r@refs/heads/dev", "push"),
                "ref",
            ),
            (
                st(
                    "git+https://github.com/o/r@refs/heads/main",
                    "workflow_dispatch",
                ),
                "event",
            ),
        ] {
            let e = check_certificate_matches(&id, &bad, None).expect_err(why);
            assert_eq!(e.kind, FailureKind::MismatchCertificate, "{why}: {e}");
        }
    }
}
