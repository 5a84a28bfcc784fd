//! `chainproof verify attestation` and `chainproof verify provenance`.
//! Exit 0 verified, 1 not verified (reason on stderr), 2 error (unreadable or malformed input).
//!
//! `verify provenance` without `--key` verifies keylessly (GitHub / slsa-github-generator
//! provenance signed with a Fulcio certificate), offline: see [`keyless`].

#[path = "verify_keyless.rs"]
mod keyless;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chainproof_attest::dsse::{INTOTO_PAYLOAD_TYPE, envelope_in_sigstore_bundle, read_envelopes};
use chainproof_attest::intoto::Statement;
use chainproof_attest::slsa::{self, VerifyOptions};
use clap::{Args, Subcommand};

use super::attest::{resolve_type, subjects};
use super::key::load_public_keys;
use crate::ExitStatus;
use crate::printer::Printer;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(subcommand)]
    pub action: VerifyAction,
}

#[derive(Debug, Subcommand)]
pub enum VerifyAction {
    /// Verify a DSSE envelope (or each line of an .intoto.jsonl) with public keys.
    Attestation {
        /// The envelope file.
        envelope: PathBuf,
        /// Trusted public key (PEM or DER); repeatable.
        #[arg(long = "key", required = true)]
        keys: Vec<PathBuf>,
        /// How many distinct keys must have signed.
        #[arg(long, default_value_t = 1)]
        threshold: usize,
        /// Require this predicate type (URI or shorthand, see `attest --type`).
        #[arg(long = "type")]
        predicate_type: Option<String>,
        /// Require this artifact (file or sha256:HEX) to be a subject; repeatable.
        #[arg(long = "subject", value_name = "ARTIFACT")]
        subjects: Vec<String>,
    },
    /// Verify SLSA provenance (v0.2 or v1) for artifacts, as slsa-verifier does.
    Provenance(ProvenanceArgs),
    /// Verify a Sigstore bundle offline (keyless or `--key`). Exit 0 verified,
    /// 1 not verified (reason on stderr), 2 error.
    Bundle(super::verify_bundle::VerifyBundleArgs),
}

#[derive(Debug, Args)]
pub struct ProvenanceArgs {
    /// Artifacts (files, or sha256:HEX); each must be a subject.
    #[arg(required_unless_present = "batch")]
    pub artifacts: Vec<String>,
    /// The provenance: DSSE envelope, .intoto.jsonl, or a Sigstore bundle.
    #[arg(long, required_unless_present = "batch")]
    pub provenance: Option<PathBuf>,
    /// Keyless batch mode: verify every case of a JSON-lines file in one process (one JSON
    /// result per line on stdout; exit 0 when all verified). Each line: {"provenance": PATH,
    /// "artifacts": ["sha256:HEX" | PATH], "sourceUri", "sourceTag", "sourceBranch",
    /// "sourceVersionedTag", "builderId", "allowNoTlog": bool, "testing": bool}; paths are
    /// relative to the batch file.
    #[arg(long, value_name = "FILE.jsonl", conflicts_with_all = ["keys", "content_only"])]
    pub batch: Option<PathBuf>,
    /// Public key(s) that signed the envelope; repeatable.
    #[arg(long = "key")]
    pub keys: Vec<PathBuf>,
    /// Check the provenance content only, without any signature check.
    #[arg(long, conflicts_with = "keys")]
    pub content_only: bool,
    /// Keyless: use this `trusted_root.json` instead of the embedded public-good root.
    #[arg(long, value_name = "FILE")]
    pub trusted_root: Option<PathBuf>,
    /// Keyless: accept a DSSE envelope whose certificate and signature verify although its
    /// transparency-log inclusion cannot be checked offline (the `.intoto.jsonl` files of
    /// slsa-github-generator < v2.1 carry no Rekor entry).
    #[arg(long)]
    pub allow_no_tlog: bool,
    /// Keyless: accept pre-release builder tags and `refs/heads/main` of the generator's own
    /// test repositories (slsa-verifier's SLSA_VERIFIER_TESTING).
    #[arg(long, hide = true)]
    pub testing: bool,
    /// Expected source repository, e.g. github.com/org/repo.
    #[arg(long)]
    pub source_uri: Option<String>,
    /// Expected tag of the triggering ref.
    #[arg(long, conflicts_with = "source_branch")]
    pub source_tag: Option<String>,
    /// Expected branch of the triggering ref.
    #[arg(long)]
    pub source_branch: Option<String>,
    /// Expected semver tag prefix (v1 matches v1.2.3).
    #[arg(long)]
    pub source_versioned_tag: Option<String>,
    /// Expected builder id (NAME or NAME@REF).
    #[arg(long)]
    pub builder_id: Option<String>,
    /// Expected workflow_dispatch input KEY=VALUE; repeatable.
    #[arg(long = "build-workflow-input", value_name = "KEY=VALUE")]
    pub workflow_inputs: Vec<String>,
}

pub fn run(args: VerifyArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match args.action {
        VerifyAction::Attestation {
            envelope,
            keys,
            threshold,
            predicate_type,
            subjects: subs,
        } => attestation(
            &envelope,
            &keys,
            threshold,
            predicate_type.as_deref(),
            &subs,
            printer,
        ),
        VerifyAction::Provenance(p) => provenance(p, printer),
        VerifyAction::Bundle(b) => super::verify_bundle::run(b, printer),
    }
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn not_verified(printer: &Printer, why: &str) -> anyhow::Result<ExitStatus> {
    printer.error(&format!("not verified: {why}"));
    Ok(ExitStatus::Failure)
}

fn attestation(
    path: &Path,
    key_paths: &[PathBuf],
    threshold: usize,
    want_type: Option<&str>,
    want_subjects: &[String],
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let keys = load_public_keys(key_paths)?;
    let bytes = read(path)?;
    let at = path.display().to_string();
    let envelopes = match envelope_in_sigstore_bundle(&bytes) {
        Some(e) => vec![e],
        None => read_envelopes(&bytes, &at)?,
    };
    let want_type = want_type.map(resolve_type).transpose()?;
    let want = subjects(want_subjects)?;
    for (i, env) in envelopes.iter().enumerate() {
        let place = if envelopes.len() > 1 {
            format!("{at} line {}", i + 1)
        } else {
            at.clone()
        };
        let verified = match env.verify(&keys, threshold) {
            Ok(v) => v,
            Err(e) => return not_verified(printer, &format!("{place}: {e}")),
        };
        if want_type.is_some() || !want.is_empty() {
            if env.payload_type != INTOTO_PAYLOAD_TYPE {
                return not_verified(
                    printer,
                    &format!(
                        "{place}: payload type {:?} is not in-toto",
                        env.payload_type
                    ),
                );
            }
            let st = Statement::from_json(&env.payload, &place)?;
            if let Some(t) = &want_type
                && &st.predicate_type != t
            {
                return not_verified(
                    printer,
                    &format!(
                        "{place}: predicate type is {:?}, expected {t:?}",
                        st.predicate_type
                    ),
                );
            }
            for s in &want {
                let (alg, hex) = s.digest.iter().next().context("subject digest")?;
                if !st.has_subject_digest(alg, hex) {
                    return not_verified(
                        printer,
                        &format!("{place}: no subject has digest {alg}:{hex}"),
                    );
                }
            }
        }
        printer.stdout(&format!(
            "Verified {place}: signed by {}\n",
            verified.key_ids.join(", ")
        ))?;
    }
    Ok(ExitStatus::Success)
}

fn provenance(args: ProvenanceArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    if let Some(batch) = &args.batch {
        return keyless::batch(batch, args.trusted_root.as_deref(), printer);
    }
    let path = args
        .provenance
        .clone()
        .context("--provenance is required")?;
    let bytes = read(&path)?;
    let at = path.display().to_string();
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && doc.get("provenance_summary").is_some()
    {
        // Google Cloud Build: signed with GCB's keys, which are embedded.
        let [artifact] = args.artifacts.as_slice() else {
            bail!("Cloud Build provenance describes one image: give one sha256:DIGEST");
        };
        let digest = subjects(std::slice::from_ref(artifact))?
            .into_iter()
            .find_map(|s| s.digest.get("sha256").cloned())
            .context("Cloud Build provenance needs a sha256 digest")?;
        let opts = slsa::gcb::GcbOptions {
            digest,
            builder_id: args.builder_id,
            source_uri: args.source_uri,
            tag: args.source_tag,
            versioned_tag: args.source_versioned_tag,
        };
        if args.source_branch.is_some() {
            bail!("Cloud Build provenance records no branch (slsa-verifier: not supported)");
        }
        return match slsa::gcb::verify_gcb(&bytes, &opts) {
            Ok(builder) => {
                printer.stdout(&format!(
                    "PASSED: Cloud Build provenance from builder {builder}\n"
                ))?;
                Ok(ExitStatus::Success)
            }
            Err(f) => not_verified(printer, &format!("{at}: {f}")),
        };
    }
    let keyless_mode = args.keys.is_empty() && !args.content_only;
    let keys = load_public_keys(&args.keys)?;
    let mut inputs = BTreeMap::new();
    for kv in &args.workflow_inputs {
        let (k, v) = kv
            .split_once('=')
            .with_context(|| format!("--build-workflow-input {kv:?}: expected KEY=VALUE"))?;
        inputs.insert(k.to_string(), v.to_string());
    }
    let digests = subjects(&args.artifacts)?
        .into_iter()
        .filter_map(|s| s.digest.into_iter().next().map(|(a, h)| format!("{a}:{h}")))
        .collect();
    let opts = VerifyOptions {
        digests,
        builder_id: args.builder_id,
        source_uri: args.source_uri,
        source_branch: args.source_branch,
        source_tag: args.source_tag,
        source_versioned_tag: args.source_versioned_tag,
        workflow_inputs: inputs,
    };
    if keyless_mode {
        let root = match &args.trusted_root {
            Some(p) => chainproof_sigstore::TrustedRoot::from_file(p)?,
            None => chainproof_sigstore::TrustedRoot::production()?,
        };
        let id_opts = slsa::gha::IdentityOptions {
            builder_id: opts.builder_id.clone(),
            testing: args.testing,
        };
        return match keyless::verify(&bytes, &at, &opts, &id_opts, &root) {
            keyless::Outcome::Verified {
                verdict,
                identity,
                tlog,
            } => {
                if !tlog && !args.allow_no_tlog {
                    return not_verified(
                        printer,
                        &format!(
                            "{at}: tlog-not-verified: signature and certificate ({identity}) valid and the provenance matches, but transparency log inclusion cannot be checked offline (the file has no Rekor entry) — pass --allow-no-tlog to accept"
                        ),
                    );
                }
                if !tlog {
                    printer.warn("transparency log inclusion NOT checked (--allow-no-tlog)");
                }
                printer.stdout(&format!(
                    "PASSED: SLSA {} provenance from builder {}{}, signed by {identity}{}\n",
                    verdict.version,
                    verdict.builder_id,
                    verdict
                        .source_uri
                        .map(|s| format!(", source {s}"))
                        .unwrap_or_default(),
                    if tlog { ", logged in Rekor" } else { "" }
                ))?;
                Ok(ExitStatus::Success)
            }
            keyless::Outcome::Rejected(f) => not_verified(printer, &format!("{at}: {f}")),
            keyless::Outcome::CannotVerify(why) => bail!("{at}: {why}"),
        };
    }
    let envelopes = match envelope_in_sigstore_bundle(&bytes) {
        Some(e) => vec![e],
        None => read_envelopes(&bytes, &at)?,
    };
    let mut last = String::from("no provenance envelope");
    for env in &envelopes {
        if !args.content_only
            && let Err(e) = env.verify(&keys, 1)
        {
            last = e.to_string();
            continue;
        }
        if env.payload_type != INTOTO_PAYLOAD_TYPE {
            last = format!("payload type {:?} is not in-toto", env.payload_type);
            continue;
        }
        let st = Statement::from_json(&env.payload, &at)?;
        match slsa::verify(&st, &opts) {
            Ok(v) => {
                if args.content_only {
                    printer.warn("signature NOT checked (--content-only)");
                }
                printer.stdout(&format!(
                    "PASSED: SLSA {} provenance from builder {}{}\n",
                    v.version,
                    v.builder_id,
                    v.source_uri
                        .map(|s| format!(", source {s}"))
                        .unwrap_or_default()
                ))?;
                return Ok(ExitStatus::Success);
            }
            Err(f) => last = f.to_string(),
        }
    }
    not_verified(printer, &format!("{at}: {last}"))
}
