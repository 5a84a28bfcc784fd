//! Provenance checks modelled on slsa-verifier (`verifiers/internal/gha/provenance.go`,
//! `verifiers/utils/{builder,git}.go`): the same inputs and the same error classes.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::Provenance;
use crate::intoto::Statement;

/// Builder workflows slsa-verifier trusts by default (name without `@ref`).
pub const TRUSTED_GITHUB_BUILDERS: &[&str] = &[
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_container-based_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_maven_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_gradle_slsa3.yml",
];

/// What the caller expects of the provenance.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Artifact digests: `sha256:HEX`, `sha512:HEX` or bare hex (algorithm from the length).
    /// Each must be a subject.
    pub digests: Vec<String>,
    /// Expected builder id, `NAME` or `NAME@REF` (loose match: a bare `vX` also matches
    /// `refs/tags/vX`). Without it the builder must be one of [`TRUSTED_GITHUB_BUILDERS`].
    pub builder_id: Option<String>,
    /// Expected source repository (`github.com/o/r`, `https://...` or `git+https://...`).
    pub source_uri: Option<String>,
    /// Expected branch of the trigger.
    pub source_branch: Option<String>,
    /// Expected tag (exact).
    pub source_tag: Option<String>,
    /// Expected semver-prefix tag (`v1` matches `v1.2.3`).
    pub source_versioned_tag: Option<String>,
    /// Expected `workflow_dispatch` inputs.
    pub workflow_inputs: BTreeMap<String, String>,
}

/// Why provenance was rejected (slsa-verifier's error classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Not SLSA provenance, or a required field is missing/ill-typed.
    InvalidPayload,
    /// No subject carries the artifact digest.
    MismatchHash,
    /// A digest argument is malformed or too short.
    InvalidHash,
    /// The builder id differs from the expected one.
    MismatchBuilderId,
    /// No builder id was given and the provenance's builder is not a trusted one.
    UntrustedBuilder,
    /// The source repository differs.
    MismatchSource,
    /// A source/trigger URI is malformed or has no ref.
    MalformedUri,
    /// The branch differs.
    MismatchBranch,
    /// The tag differs.
    MismatchTag,
    /// The versioned tag does not match.
    MismatchVersionedTag,
    /// A ref is not of the needed type (e.g. a tag was asked for a branch build).
    InvalidRef,
    /// Workflow inputs differ.
    MismatchWorkflowInputs,
    /// No signature verified with a trusted key.
    NoValidSignature,
    /// The unsigned copy of the statement differs from the signed one (GCB).
    MismatchIntoto,
    /// A structural field has the wrong value (GCB `kind`, predicate type).
    InvalidFormat,
    /// The builder id is not one this verifier knows (GCB).
    InvalidBuilderId,
    /// The build recipe does not fit the builder (GCB).
    InvalidRecipe,
    /// The signing certificate was not issued by GitHub Actions' OIDC issuer.
    InvalidOidcIssuer,
    /// The signing certificate was issued to a workflow that is not a trusted builder.
    UntrustedReusableWorkflow,
    /// The signing certificate's source repository / ref / trigger differ from the provenance.
    MismatchCertificate,
    /// Signature and certificate verified, but transparency-log inclusion could not be
    /// established offline (the file carries no Rekor entry).
    TlogNotVerified,
}

impl FailureKind {
    /// Stable kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidPayload => "invalid-payload",
            Self::MismatchHash => "mismatch-hash",
            Self::InvalidHash => "invalid-hash",
            Self::MismatchBuilderId => "mismatch-builder-id",
            Self::UntrustedBuilder => "untrusted-builder",
            Self::MismatchSource => "mismatch-source",
            Self::MalformedUri => "malformed-uri",
            Self::MismatchBranch => "mismatch-branch",
            Self::MismatchTag => "mismatch-tag",
            Self::MismatchVersionedTag => "mismatch-versioned-tag",
            Self::InvalidRef => "invalid-ref",
            Self::MismatchWorkflowInputs => "mismatch-workflow-inputs",
            Self::NoValidSignature => "no-valid-signature",
            Self::MismatchIntoto => "mismatch-intoto",
            Self::InvalidFormat => "invalid-format",
            Self::InvalidBuilderId => "invalid-builder-id",
            Self::InvalidRecipe => "invalid-recipe",
            Self::InvalidOidcIssuer => "invalid-oidc-issuer",
            Self::UntrustedReusableWorkflow => "untrusted-reusable-workflow",
            Self::MismatchCertificate => "mismatch-certificate",
            Self::TlogNotVerified => "tlog-not-verified",
        }
    }
}

/// A rejection with its class and a precise message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The class.
    pub kind: FailureKind,
    /// What differed, with both values.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl std::error::Error for Failure {}

fn fail<T>(kind: FailureKind, message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        kind,
        message: message.into(),
    })
}

/// What verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The provenance's builder id (full, with ref).
    pub builder_id: String,
    /// The source URI (from materials / resolvedDependencies).
    pub source_uri: Option<String>,
    /// `v0.2` or `v1`.
    pub version: &'static str,
}

/// Check `statement` (an in-toto statement with a SLSA v0.2 or v1 predicate) against `opts`,
/// in slsa-verifier's order: builder, source, digest, branch, tag, versioned tag, inputs.
pub fn verify(statement: &Statement, opts: &VerifyOptions) -> Result<Verdict, Failure> {
    let prov = match Provenance::from_statement(statement) {
        Ok(Some(p)) => p,
        Ok(None) => {
            return fail(
                FailureKind::InvalidPayload,
                format!(
                    "predicate type {:?} is not SLSA provenance v0.2 or v1",
                    statement.predicate_type
                ),
            );
        }
        Err(e) => return fail(FailureKind::InvalidPayload, e.to_string()),
    };
    let facts = Facts::of(&prov);
    check_builder(prov.builder_id(), opts.builder_id.as_deref())?;
    if let Some(src) = &opts.source_uri {
        check_source(&facts, src)?;
    }
    if opts.digests.is_empty() {
        return fail(FailureKind::InvalidHash, "no artifact digest given");
    }
    for d in &opts.digests {
        check_digest(statement, d)?;
    }
    if let Some(b) = &opts.source_branch {
        let got = facts.branch()?;
        let name = ref_name("heads", &got)?;
        if &name != b {
            return fail(
                FailureKind::MismatchBranch,
                format!("expected branch {b:?}, got {name:?}"),
            );
        }
    }
    if let Some(t) = &opts.source_tag {
        let name = ref_name("tags", &facts.tag()?)?;
        if &name != t {
            return fail(
                FailureKind::MismatchTag,
                format!("expected tag {t:?}, got {name:?}"),
            );
        }
    }
    if let Some(t) = &opts.source_versioned_tag {
        let name = ref_name("tags", &facts.tag()?)?;
        check_versioned_tag(&name, t)?;
    }
    if !opts.workflow_inputs.is_empty() {
        check_inputs(&facts, &opts.workflow_inputs)?;
    }
    Ok(Verdict {
        builder_id: prov.builder_id().to_string(),
        source_uri: facts.source.clone(),
        version: match prov {
            Provenance::V02(_) => "v0.2",
            Provenance::V1(_) => "v1",
        },
    })
}

/// The facts the checks need, from either version.
struct Facts {
    source: Option<String>,
    trigger: Option<String>,
    /// GitHub environment; keys lowercased (v0.2 uses lower case, v1 `GITHUB_*`).
    env: Option<BTreeMap<String, Value>>,
}

impl Facts {
    fn of(prov: &Provenance) -> Self {
        let lower = |v: &Value| -> Option<BTreeMap<String, Value>> {
            v.as_object().map(|m| {
                m.iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                    .collect()
            })
        };
        match prov {
            Provenance::V02(p) => Self {
                source: p
                    .materials
                    .first()
                    .map(|m| m.uri.clone())
                    .filter(|u| !u.is_empty()),
                trigger: Some(p.invocation.config_source.uri.clone()).filter(|u| !u.is_empty()),
                env: p.invocation.environment.as_ref().and_then(lower),
            },
            Provenance::V1(p) => {
                let wf = p.build_definition.external_parameters.get("workflow");
                let trigger = wf.and_then(|w| {
                    let repo = w.get("repository")?.as_str()?;
                    let r#ref = w.get("ref")?.as_str()?;
                    Some(format!("{}@{}", normalize_git_uri(repo), r#ref))
                });
                let source = p
                    .build_definition
                    .resolved_dependencies
                    .first()
                    .and_then(|d| d.uri.clone());
                Self {
                    trigger: trigger.or_else(|| source.clone()),
                    source,
                    env: p
                        .build_definition
                        .internal_parameters
                        .as_ref()
                        .and_then(lower),
                }
            }
        }
    }

    fn env_str(&self, key: &str) -> Result<Option<String>, Failure> {
        match self.env.as_ref().and_then(|e| e.get(key)) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => fail(
                FailureKind::InvalidPayload,
                format!("environment field {key} is not a string"),
            ),
        }
    }

    /// The trigger's ref from the URI (`...@refs/heads/main`).
    fn trigger_ref(&self) -> Option<String> {
        self.trigger
            .as_deref()
            .and_then(|t| t.split_once('@'))
            .map(|(_, r)| r.to_string())
    }

    fn ref_type(&self) -> Result<Option<String>, Failure> {
        self.env_str("github_ref_type")
    }

    fn branch(&self) -> Result<String, Failure> {
        match self.ref_type()?.as_deref() {
            Some("branch") => Ok(self.env_str("github_ref")?.unwrap_or_default()),
            Some("tag") => {
                if let Some(b) = self.env_str("github_base_ref")?.filter(|b| !b.is_empty()) {
                    return Ok(b);
                }
                let event = self.env_str("github_event_name")?.unwrap_or_default();
                let payload = self.event_payload();
                Ok(match event.as_str() {
                    "push" => payload
                        .and_then(|p| {
                            p.get("base_ref")
                                .and_then(Value::as_str)
                                .map(str::to_string)
                        })
                        .unwrap_or_default(),
                    "release" => payload
                        .and_then(|p| {
                            p.pointer("/release/target_commitish")
                                .and_then(Value::as_str)
                        })
                        .map(|b| format!("refs/heads/{b}"))
                        .unwrap_or_default(),
                    _ => String::new(),
                })
            }
            Some(other) => fail(
                FailureKind::InvalidPayload,
                format!("unknown github_ref_type {other:?}"),
            ),
            None => Ok(self.trigger_ref().unwrap_or_default()),
        }
    }

    fn tag(&self) -> Result<String, Failure> {
        match self.ref_type()?.as_deref() {
            Some("branch") => Ok(String::new()),
            Some("tag") => Ok(self.env_str("github_ref")?.unwrap_or_default()),
            Some(other) => fail(
                FailureKind::InvalidPayload,
                format!("unknown github_ref_type {other:?}"),
            ),
            None => Ok(self.trigger_ref().unwrap_or_default()),
        }
    }

    fn event_payload(&self) -> Option<&Value> {
        self.env
            .as_ref()
            .and_then(|e| e.get("github_event_payload"))
    }
}

/// `github.com/o/r` → `git+https://github.com/o/r`; `https://...` → `git+https://...`.
pub fn normalize_git_uri(s: &str) -> String {
    if s.starts_with("git+") {
        s.to_string()
    } else if s.contains("://") {
        format!("git+{s}")
    } else {
        format!("git+https://{s}")
    }
}

fn split_builder(id: &str) -> Result<(&str, Option<&str>), Failure> {
    let mut parts = id.split('@');
    let name = parts.next().unwrap_or_default();
    match (parts.next(), parts.next()) {
        (None, _) => Ok((name, None)),
        (Some(v), None) if !v.is_empty() => Ok((name, Some(v))),
        _ => fail(
            FailureKind::InvalidPayload,
            format!("malformed builder id {id:?}"),
        ),
    }
}

fn check_builder(prov_id: &str, expected: Option<&str>) -> Result<(), Failure> {
    let (name, version) = split_builder(prov_id)?;
    let Some(expected) = expected else {
        if TRUSTED_GITHUB_BUILDERS.contains(&name) {
            return Ok(());
        }
        return fail(
            FailureKind::UntrustedBuilder,
            format!("builder {prov_id:?} is not a trusted builder; pass --builder-id to trust it"),
        );
    };
    let (ename, eversion) = split_builder(expected).map_err(|f| Failure {
        kind: FailureKind::MismatchBuilderId,
        ..f
    })?;
    if ename != name {
        let kind = if ename.starts_with("https://github.com/slsa-framework/slsa-github-generator/")
            && !TRUSTED_GITHUB_BUILDERS.contains(&ename)
        {
            FailureKind::UntrustedBuilder
        } else {
            FailureKind::MismatchBuilderId
        };
        return fail(
            kind,
            format!("expected builder {ename:?}, provenance has {name:?}"),
        );
    }
    if let Some(ev) = eversion {
        let pv = version.unwrap_or_default();
        if ev != pv && format!("refs/tags/{ev}") != pv {
            return fail(
                FailureKind::MismatchBuilderId,
                format!("expected builder version {ev:?}, provenance has {pv:?}"),
            );
        }
    }
    Ok(())
}

fn strip_ref(uri: &str) -> (&str, &str) {
    uri.split_once('@').unwrap_or((uri, ""))
}

fn check_source(f: &Facts, expected: &str) -> Result<(), Failure> {
    let want = normalize_git_uri(expected);
    let want = want.trim_end_matches('/');
    let trigger = f.trigger.as_deref().ok_or(Failure {
        kind: FailureKind::MalformedUri,
        message: "provenance has no trigger URI (invocation.configSource.uri / externalParameters.workflow)".into(),
    })?;
    let (turi, tref) = strip_ref(trigger);
    if !turi.starts_with("git+") {
        return fail(
            FailureKind::MalformedUri,
            format!("trigger {trigger:?} is not a git URI"),
        );
    }
    if turi != want {
        return fail(
            FailureKind::MismatchSource,
            format!("expected source {want:?}, trigger is {trigger:?}"),
        );
    }
    if tref.is_empty() {
        return fail(
            FailureKind::MalformedUri,
            format!("trigger {trigger:?} has no ref"),
        );
    }
    let source = f.source.as_deref().ok_or(Failure {
        kind: FailureKind::InvalidPayload,
        message: "provenance has no source material".into(),
    })?;
    let (suri, _) = strip_ref(source);
    if suri != want {
        return fail(
            FailureKind::MismatchSource,
            format!("expected source {want:?}, material is {source:?}"),
        );
    }
    Ok(())
}

fn check_digest(statement: &Statement, d: &str) -> Result<(), Failure> {
    let (alg, hex) = match d.split_once(':') {
        Some((a, h)) => (a.to_ascii_lowercase(), h),
        None => (format!("sha{}", d.len() * 4), d),
    };
    if hex.len() < 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return fail(
            FailureKind::InvalidHash,
            format!("digest {d:?} is not hex of at least 256 bits"),
        );
    }
    if statement.subject.is_empty() {
        return fail(FailureKind::InvalidPayload, "provenance has no subjects");
    }
    if statement.has_subject_digest(&alg, hex) {
        return Ok(());
    }
    fail(
        FailureKind::MismatchHash,
        format!("no subject has digest {alg}:{}", hex.to_ascii_lowercase()),
    )
}

fn ref_name(kind: &str, r: &str) -> Result<String, Failure> {
    let mut parts = r.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("refs"), Some(k), Some(name)) if k == kind && !name.is_empty() => {
            Ok(name.to_string())
        }
        _ => fail(
            FailureKind::InvalidRef,
            format!(
                "{r:?} is not a {} ref",
                if kind == "tags" { "tag" } else { "branch" }
            ),
        ),
    }
}

/// `v1.2.3` → `[1, 2, 3]` (missing parts are absent); prerelease/build dropped.
fn semver_parts(s: &str) -> Option<Vec<u64>> {
    let core = s.strip_prefix('v')?.split(['-', '+']).next()?;
    let parts: Option<Vec<u64>> = core.split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty() && p.len() <= 3)
}

pub(crate) fn check_versioned_tag(tag: &str, expected: &str) -> Result<(), Failure> {
    let Some(want) = semver_parts(expected) else {
        return fail(
            FailureKind::InvalidRef,
            format!("{expected:?} is not a semver tag"),
        );
    };
    let Some(got) = semver_parts(tag) else {
        return fail(
            FailureKind::InvalidRef,
            format!("tag {tag:?} is not a semver tag"),
        );
    };
    for (i, w) in want.iter().enumerate() {
        if got.get(i).copied().unwrap_or(0) != *w {
            return fail(
                FailureKind::MismatchVersionedTag,
                format!("expected version {expected:?}, tag is {tag:?}"),
            );
        }
    }
    Ok(())
}

fn check_inputs(f: &Facts, inputs: &BTreeMap<String, String>) -> Result<(), Failure> {
    let event = f.env_str("github_event_name")?.unwrap_or_default();
    if event != "workflow_dispatch" {
        return fail(
            FailureKind::MismatchWorkflowInputs,
            format!("expected a workflow_dispatch trigger, got {event:?}"),
        );
    }
    let got = f
        .event_payload()
        .and_then(|p| p.get("inputs"))
        .and_then(Value::as_object)
        .ok_or(Failure {
            kind: FailureKind::InvalidPayload,
            message: "event payload has no inputs".into(),
        })?;
    for (k, v) in inputs {
        match got.get(k).and_then(Value::as_str) {
            Some(g) if g == v => {}
            Some(g) => {
                return fail(
                    FailureKind::MismatchWorkflowInputs,
                    format!("expected {k}={v:?}, got {k}={g:?}"),
                );
            }
            None => {
                return fail(
                    FailureKind::MismatchWorkflowInputs,
                    format!("input {k:?} is missing"),
                );
            }
        }
    }
    Ok(())
}
