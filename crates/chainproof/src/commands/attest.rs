//! `chainproof attest`: sign an in-toto statement into a DSSE envelope (or, with `--bundle`, a
//! Sigstore bundle v0.3 holding it, see [`chainproof_attest::bundle`]);
//! `chainproof attest provenance`: build (and sign) a SLSA v1 provenance for a local build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chainproof_attest::dsse::{Envelope, INTOTO_PAYLOAD_TYPE};
use chainproof_attest::intoto::{ResourceDescriptor, Statement, predicate_types};
use chainproof_attest::slsa::ProvenanceBuilder;
use chainproof_crypto::{Signer, hex};
use clap::{Args, Subcommand};
use serde_json::Value;

use super::key::load_private_key;
use crate::ExitStatus;
use crate::printer::Printer;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct AttestArgs {
    #[command(subcommand)]
    pub action: Option<AttestAction>,
    /// The predicate (JSON file).
    #[arg(long, required = true)]
    pub predicate: Option<PathBuf>,
    /// Predicate type: a URI, or slsaprovenance (v0.2), slsaprovenance1, spdx, cyclonedx, vuln,
    /// openvex, test-result, vsa, custom.
    #[arg(long = "type", required = true)]
    pub predicate_type: Option<String>,
    #[command(flatten)]
    pub common: SignArgs,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Artifacts the statement is about (files, or sha256:HEX); repeatable.
    #[arg(long = "subject", value_name = "ARTIFACT", required = true)]
    pub subjects: Vec<String>,
    /// Private key (PKCS#8 PEM, encrypted PKCS#8, SEC1, or a cosign key).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// Write here instead of stdout.
    #[arg(short, long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a Sigstore bundle v0.3 (the DSSE envelope + the key's hint, no transparency-log
    /// entry) instead of a bare DSSE envelope.
    #[arg(long, conflicts_with = "unsigned")]
    pub bundle: bool,
    /// Print the unsigned statement instead of signing it.
    #[arg(long, conflicts_with = "key")]
    pub unsigned: bool,
}

#[derive(Debug, Subcommand)]
pub enum AttestAction {
    /// Build a SLSA v1 provenance for a local build and sign it.
    Provenance(ProvenanceArgs),
}

#[derive(Debug, Args)]
pub struct ProvenanceArgs {
    #[command(flatten)]
    pub common: SignArgs,
    /// runDetails.builder.id (a URI naming who built it).
    #[arg(long)]
    pub builder_id: String,
    /// buildDefinition.buildType (default: chainproof's local-build type).
    #[arg(long)]
    pub build_type: Option<String>,
    /// externalParameters entry KEY=VALUE (VALUE as JSON if it parses, else a string); repeatable.
    #[arg(long = "external-parameter", value_name = "KEY=VALUE")]
    pub external_parameters: Vec<String>,
    /// A resolved dependency URI[=ALG:HEX] (e.g. a purl or git+https://...@ref); repeatable.
    #[arg(long = "dependency", value_name = "URI[=ALG:HEX]")]
    pub dependencies: Vec<String>,
    /// Take resolved dependencies from an SBOM (CycloneDX or SPDX JSON: purls with hashes).
    #[arg(long)]
    pub sbom: Option<PathBuf>,
    /// runDetails.metadata.invocationId.
    #[arg(long)]
    pub invocation_id: Option<String>,
    /// Build start (RFC 3339).
    #[arg(long)]
    pub started_on: Option<String>,
    /// Build end (RFC 3339; default: now).
    #[arg(long)]
    pub finished_on: Option<String>,
}

pub fn run(args: AttestArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match args.action {
        Some(AttestAction::Provenance(p)) => provenance(p, printer),
        None => {
            let predicate_path = args.predicate.context("--predicate is required")?;
            let ty = resolve_type(args.predicate_type.as_deref().unwrap_or_default())?;
            let text = std::fs::read(&predicate_path)
                .with_context(|| format!("reading {}", predicate_path.display()))?;
            let predicate: Value = serde_json::from_slice(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}:{}:{}: predicate is not JSON: {e}",
                    predicate_path.display(),
                    e.line(),
                    e.column()
                )
            })?;
            let statement = Statement::new(subjects(&args.common.subjects)?, &ty, predicate);
            emit(&statement, &args.common, printer)
        }
    }
}

/// cosign's shorthands, plus in-toto's.
pub fn resolve_type(t: &str) -> anyhow::Result<String> {
    Ok(match t {
        "slsaprovenance" | "slsaprovenance02" => predicate_types::SLSA_PROVENANCE_V02.into(),
        "slsaprovenance1" => predicate_types::SLSA_PROVENANCE_V1.into(),
        "spdx" | "spdxjson" => predicate_types::SPDX.into(),
        "cyclonedx" => predicate_types::CYCLONEDX.into(),
        "vuln" => "https://cosign.sigstore.dev/attestation/vuln/v1".into(),
        "vulns" => predicate_types::VULNS.into(),
        "openvex" => predicate_types::OPENVEX.into(),
        "test-result" => predicate_types::TEST_RESULT.into(),
        "vsa" => predicate_types::VSA_V1.into(),
        "custom" => "https://cosign.sigstore.dev/attestation/v1".into(),
        uri if uri.contains("://") => uri.into(),
        other => bail!(
            "unknown predicate type {other:?}: give a URI or one of slsaprovenance, slsaprovenance1, spdx, cyclonedx, vuln, vulns, openvex, test-result, vsa, custom"
        ),
    })
}

/// `sha256:HEX` or a file (hashed, named by its file name).
pub fn subjects(args: &[String]) -> anyhow::Result<Vec<ResourceDescriptor>> {
    args.iter()
        .map(|a| {
            if let Some((alg, h)) = a.split_once(':')
                && matches!(alg, "sha256" | "sha384" | "sha512")
                && hex::decode(h).is_some()
            {
                return Ok(ResourceDescriptor::with_digest(a.clone(), alg, h));
            }
            let path = Path::new(a);
            let bytes = std::fs::read(path).with_context(|| format!("reading subject {a}"))?;
            let name = path
                .file_name()
                .map_or_else(|| a.clone(), |n| n.to_string_lossy().into_owned());
            Ok(ResourceDescriptor::with_digest(
                name,
                "sha256",
                &hex::encode(&chainproof_crypto::sha256(&bytes)),
            ))
        })
        .collect()
}

fn emit(statement: &Statement, args: &SignArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let out = if args.unsigned {
        serde_json::to_string_pretty(statement)? + "\n"
    } else {
        let key_path = args
            .key
            .as_ref()
            .context("--key is required (or --unsigned)")?;
        let key = if args.bundle {
            super::sign::load_bundle_signer(key_path)?
        } else {
            load_private_key(key_path)?
        };
        let env = Envelope::sign(
            INTOTO_PAYLOAD_TYPE,
            statement.to_json().into_bytes(),
            &[&key],
        )?;
        printer.info(&format!(
            "signed with key {} ({})",
            key.key_id(),
            key.algorithm()
        ));
        if args.bundle {
            chainproof_attest::bundle::to_pretty_json(&chainproof_attest::bundle::dsse_bundle(
                &env, &key,
            )?)
        } else {
            env.to_json() + "\n"
        }
    };
    match &args.output {
        Some(p) => std::fs::write(p, out).with_context(|| format!("writing {}", p.display()))?,
        None => printer.stdout(&out)?,
    }
    Ok(ExitStatus::Success)
}

fn provenance(args: ProvenanceArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let mut external_parameters = BTreeMap::new();
    for kv in &args.external_parameters {
        let (k, v) = kv
            .split_once('=')
            .with_context(|| format!("--external-parameter {kv:?}: expected KEY=VALUE"))?;
        let value = serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_string()));
        external_parameters.insert(k.to_string(), value);
    }
    let mut deps = Vec::new();
    for d in &args.dependencies {
        let (uri, digest) = match d.rsplit_once('=') {
            Some((u, dg)) if dg.contains(':') => (u, Some(dg)),
            _ => (d.as_str(), None),
        };
        let mut rd = ResourceDescriptor {
            uri: Some(uri.to_string()),
            ..ResourceDescriptor::default()
        };
        if let Some(dg) = digest {
            let (alg, h) = dg.split_once(':').context("digest")?;
            if hex::decode(h).is_none() {
                bail!("--dependency {d:?}: digest is not hex");
            }
            rd.digest.insert(alg.to_string(), h.to_ascii_lowercase());
        }
        deps.push(rd);
    }
    if let Some(sbom) = &args.sbom {
        let text = std::fs::read(sbom).with_context(|| format!("reading {}", sbom.display()))?;
        let doc: Value = serde_json::from_slice(&text)
            .with_context(|| format!("{} is not JSON", sbom.display()))?;
        let found = sbom_dependencies(&doc);
        printer.info(&format!(
            "{} resolved dependencies from {}",
            found.len(),
            sbom.display()
        ));
        deps.extend(found);
    }
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    for t in [&args.started_on, &args.finished_on].into_iter().flatten() {
        humantime::parse_rfc3339_weak(t)
            .with_context(|| format!("{t:?} is not an RFC 3339 time"))?;
    }
    let builder = ProvenanceBuilder {
        subjects: subjects(&args.common.subjects)?,
        builder_id: args.builder_id,
        build_type: args.build_type.unwrap_or_default(),
        external_parameters,
        internal_parameters: None,
        resolved_dependencies: deps,
        invocation_id: args.invocation_id,
        started_on: args.started_on,
        finished_on: Some(args.finished_on.unwrap_or(now)),
    };
    emit(&builder.statement(), &args.common, printer)
}

/// Purls with hashes from CycloneDX (`components`) or SPDX 2.x (`packages`).
fn sbom_dependencies(doc: &Value) -> Vec<ResourceDescriptor> {
    let mut out = Vec::new();
    let norm = |alg: &str| alg.to_ascii_lowercase().replace('-', "");
    if let Some(comps) = doc.get("components").and_then(Value::as_array) {
        let mut stack: Vec<&Value> = comps.iter().collect();
        while let Some(c) = stack.pop() {
            if let Some(nested) = c.get("components").and_then(Value::as_array) {
                stack.extend(nested);
            }
            let Some(purl) = c.get("purl").and_then(Value::as_str) else {
                continue;
            };
            let mut rd = ResourceDescriptor {
                uri: Some(purl.to_string()),
                ..ResourceDescriptor::default()
            };
            for h in c
                .get("hashes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (Some(a), Some(v)) = (
                    h.get("alg").and_then(Value::as_str),
                    h.get("content").and_then(Value::as_str),
                ) {
                    rd.digest.insert(norm(a), v.to_ascii_lowercase());
                }
            }
            out.push(rd);
        }
    }
    for p in doc
        .get("packages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let purl = p
            .get("externalRefs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|r| {
                (r.get("referenceType").and_then(Value::as_str) == Some("purl"))
                    .then(|| r.get("referenceLocator").and_then(Value::as_str))
                    .flatten()
            });
        let Some(purl) = purl else { continue };
        let mut rd = ResourceDescriptor {
            uri: Some(purl.to_string()),
            ..ResourceDescriptor::default()
        };
        for c in p
            .get("checksums")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(a), Some(v)) = (
                c.get("algorithm").and_then(Value::as_str),
                c.get("checksumValue").and_then(Value::as_str),
            ) {
                rd.digest.insert(norm(a), v.to_ascii_lowercase());
            }
        }
        out.push(rd);
    }
    out.sort_by(|a, b| a.uri.cmp(&b.uri));
    out.dedup();
    out
}
