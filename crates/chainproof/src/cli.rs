//! clap types only; behaviour lives in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "chainproof",
    version,
    about = "Software supply chain security: SBOMs, vulnerabilities, signatures, policy",
    propagate_version = true
)]
pub struct Cli {
    /// Print nothing on stderr but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inventory a target into an SBOM (CycloneDX / SPDX), or validate / convert SBOMs.
    Sbom(SbomArgs),
    /// Verify signatures: Sigstore bundles (offline).
    Verify {
        #[command(subcommand)]
        what: VerifyCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum VerifyCommand {
    /// Verify a Sigstore bundle offline (keyless or `--key`). Exit 0 verified,
    /// 1 not verified (reason on stderr), 2 error.
    Bundle(crate::commands::verify_bundle::VerifyBundleArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SbomArgs {
    #[command(subcommand)]
    pub action: Option<SbomAction>,

    /// The directory (or single lockfile) to inventory.
    #[arg(required = true)]
    pub target: Option<PathBuf>,

    #[command(flatten)]
    pub generate: GenerateArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Output as FORMAT, to stdout or to FILE; repeatable. FORMAT: table (default),
    /// cyclonedx-json (1.6; `cyclonedx-json@1.5` for 1.5), spdx-json (2.3).
    #[arg(short, long = "output", value_name = "FORMAT[=FILE]")]
    pub outputs: Vec<String>,

    /// Leave out paths matching GLOB (relative to the target, e.g. `**/test/**` or
    /// `node_modules`); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Follow symbolic links while walking (off by default).
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Run only these catalogers (comma-separated names; see `chainproof sbom catalogers`).
    /// With a single-file target, these catalogers read the file whatever its name.
    #[arg(long, value_delimiter = ',', value_name = "NAME")]
    pub catalogers: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum SbomAction {
    /// Check an SBOM against the official JSON schema and semantic rules.
    /// Exit 0 valid, 1 invalid, 2 could not read.
    Validate {
        /// CycloneDX or SPDX JSON document.
        file: PathBuf,
    },
    /// Convert an SBOM between CycloneDX and SPDX, keeping packages and edges.
    Convert {
        /// CycloneDX or SPDX JSON document.
        file: PathBuf,
        /// Output as FORMAT[=FILE]; repeatable (see `chainproof sbom --help`).
        #[arg(short, long = "output", value_name = "FORMAT[=FILE]", required = true)]
        outputs: Vec<String>,
    },
    /// List the catalogers: the files each one reads and what it records (Markdown table).
    Catalogers,
}
