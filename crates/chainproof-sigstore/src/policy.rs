//! Who must have signed: a certificate identity (SAN + OIDC issuer, exact or
//! regular expression, plus optional Fulcio CI claims), or a managed public key.

use regex::Regex;
use sigstore_verify::crypto::CertificateInfo;

use crate::Error;

/// How one certificate value is matched.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// The value equals this string.
    Exact(String),
    /// The value matches this regular expression. Like cosign (Go's
    /// `regexp.MatchString`), the match is unanchored: write `^…$` to pin it.
    Regex(Regex),
}

impl Matcher {
    /// An exact matcher.
    pub fn exact(value: impl Into<String>) -> Self {
        Matcher::Exact(value.into())
    }

    /// A regular-expression matcher; `what` names the option for the error.
    pub fn regex(pattern: &str, what: &str) -> Result<Self, Error> {
        Regex::new(pattern)
            .map(Matcher::Regex)
            .map_err(|e| Error::Usage(format!("{what}: invalid regular expression: {e}")))
    }

    /// Whether `value` satisfies this matcher.
    pub fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Exact(expected) => expected == value,
            Matcher::Regex(re) => re.is_match(value),
        }
    }
}

impl std::fmt::Display for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Matcher::Exact(s) => write!(f, "{s:?}"),
            Matcher::Regex(re) => write!(f, "/{}/", re.as_str()),
        }
    }
}

/// A Fulcio certificate claim a policy can pin (OID arc `1.3.6.1.4.1.57264.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// `.1.2` (deprecated) or `.1.20`: the event that triggered the workflow.
    GithubWorkflowTrigger,
    /// `.1.3` (deprecated) or `.1.13`: the commit the workflow ran on.
    GithubWorkflowSha,
    /// `.1.4` (deprecated, no successor): the workflow's display name.
    GithubWorkflowName,
    /// `.1.5` (deprecated): `owner/repo`; falls back to `.1.12` with the
    /// `https://github.com/` prefix removed.
    GithubWorkflowRepository,
    /// `.1.6` (deprecated) or `.1.14`: the git ref, e.g. `refs/heads/main`.
    GithubWorkflowRef,
    /// `.1.12`: the source repository URI.
    SourceRepositoryUri,
    /// `.1.14`: the source repository ref.
    SourceRepositoryRef,
    /// `.1.13`: the source repository digest.
    SourceRepositoryDigest,
    /// `.1.9`: the build signer URI.
    BuildSignerUri,
    /// `.1.11`: `github-hosted` or `self-hosted`.
    RunnerEnvironment,
}

impl Claim {
    /// The claim's value in the certificate, if present.
    pub fn value(self, info: &CertificateInfo) -> Option<String> {
        let ci = &info.ci_claims;
        let gh = &ci.deprecated_github;
        match self {
            Claim::GithubWorkflowTrigger => {
                gh.workflow_trigger.clone().or(ci.build_trigger.clone())
            }
            Claim::GithubWorkflowSha => gh
                .workflow_sha
                .clone()
                .or(ci.source_repository_digest.clone()),
            Claim::GithubWorkflowName => gh.workflow_name.clone(),
            Claim::GithubWorkflowRepository => gh.workflow_repository.clone().or_else(|| {
                ci.source_repository_uri
                    .as_deref()
                    .and_then(|u| u.strip_prefix("https://github.com/"))
                    .map(str::to_string)
            }),
            Claim::GithubWorkflowRef => {
                gh.workflow_ref.clone().or(ci.source_repository_ref.clone())
            }
            Claim::SourceRepositoryUri => ci.source_repository_uri.clone(),
            Claim::SourceRepositoryRef => ci.source_repository_ref.clone(),
            Claim::SourceRepositoryDigest => ci.source_repository_digest.clone(),
            Claim::BuildSignerUri => ci.build_signer_uri.clone(),
            Claim::RunnerEnvironment => ci.runner_environment.clone(),
        }
    }

    /// A human name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Claim::GithubWorkflowTrigger => "GitHub workflow trigger",
            Claim::GithubWorkflowSha => "GitHub workflow SHA",
            Claim::GithubWorkflowName => "GitHub workflow name",
            Claim::GithubWorkflowRepository => "GitHub workflow repository",
            Claim::GithubWorkflowRef => "GitHub workflow ref",
            Claim::SourceRepositoryUri => "source repository URI",
            Claim::SourceRepositoryRef => "source repository ref",
            Claim::SourceRepositoryDigest => "source repository digest",
            Claim::BuildSignerUri => "build signer URI",
            Claim::RunnerEnvironment => "runner environment",
        }
    }
}

/// Keyless policy: the signing certificate's SAN and OIDC issuer (and any
/// pinned CI claims) must match.
#[derive(Debug, Clone)]
pub struct IdentityPolicy {
    /// The SAN (URI or email) of the signing certificate.
    pub identity: Matcher,
    /// The OIDC issuer (Fulcio extension `.1.8`, or legacy `.1.1`).
    pub issuer: Matcher,
    /// Extra claims that must match.
    pub claims: Vec<(Claim, Matcher)>,
}

impl IdentityPolicy {
    /// Exact SAN and exact issuer.
    pub fn exact(identity: impl Into<String>, issuer: impl Into<String>) -> Self {
        IdentityPolicy {
            identity: Matcher::exact(identity),
            issuer: Matcher::exact(issuer),
            claims: Vec::new(),
        }
    }

    /// Also require `claim` to match.
    pub fn with_claim(mut self, claim: Claim, matcher: Matcher) -> Self {
        self.claims.push((claim, matcher));
        self
    }

    /// Check the certificate against this policy; `Err` carries the reason.
    pub fn check(&self, info: &CertificateInfo) -> Result<(), String> {
        let san = info.identity.as_ref().map(|s| s.as_str().to_string());
        match &san {
            Some(san) if self.identity.matches(san) => {}
            Some(san) => {
                return Err(format!(
                    "certificate identity {san:?} does not match {}",
                    self.identity
                ));
            }
            None => return Err("certificate has no SAN identity".into()),
        }
        match &info.issuer {
            Some(iss) if self.issuer.matches(iss) => {}
            Some(iss) => {
                return Err(format!(
                    "certificate OIDC issuer {iss:?} does not match {}",
                    self.issuer
                ));
            }
            None => return Err("certificate has no OIDC issuer extension".into()),
        }
        for (claim, matcher) in &self.claims {
            match claim.value(info) {
                Some(v) if matcher.matches(&v) => {}
                Some(v) => {
                    return Err(format!(
                        "certificate {} {v:?} does not match {matcher}",
                        claim.name()
                    ));
                }
                None => return Err(format!("certificate has no {} claim", claim.name())),
            }
        }
        Ok(())
    }
}

/// Who must have signed the bundle.
#[derive(Debug, Clone)]
pub enum Policy {
    /// Keyless: a Fulcio certificate for this identity.
    Identity(IdentityPolicy),
    /// Managed key: the bundle's signature must verify with this public key
    /// (SubjectPublicKeyInfo DER).
    Key(Vec<u8>),
}
