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
    /// Create and merge VEX documents (OpenVEX v0.2.0, CycloneDX 1.6 VEX).
    Vex(VexArgs),
    /// Build, update and inspect the offline vulnerability database (OSV).
    Db(DbArgs),
    /// Find known vulnerabilities in a directory, image, SBOM or purl (offline OSV database).
    /// Exit 0 no finding at or above --fail-on, 1 such a finding, 2 error.
    Scan(crate::commands::scan::ScanArgs),
    /// Generate signing keys.
    Key(crate::commands::key::KeyArgs),
    /// Sign a file into a Sigstore bundle v0.3 with a managed key (`sign blob`).
    Sign(crate::commands::sign::SignCmdArgs),
    /// Sign an in-toto statement into a DSSE envelope or a Sigstore bundle (`attest provenance` builds SLSA v1 provenance).
    Attest(crate::commands::attest::AttestArgs),
    /// Verify attestations and provenance. Exit 0 verified, 1 not verified, 2 error.
    Verify(crate::commands::verify::VerifyArgs),
}

#[derive(Debug, Args)]
pub struct VexArgs {
    #[command(subcommand)]
    pub action: VexAction,
}

#[derive(Debug, Subcommand)]
pub enum VexAction {
    /// Write a VEX document with one statement.
    Create {
        /// The vulnerability id (CVE-…, GHSA-…).
        #[arg(long = "vuln", value_name = "ID")]
        vulnerability: String,
        /// Another id of the same vulnerability; repeatable.
        #[arg(long = "alias", value_name = "ID")]
        aliases: Vec<String>,
        /// The product (a purl, or another identifier); repeatable.
        #[arg(long = "product", value_name = "PURL", required = true)]
        products: Vec<String>,
        /// A component inside the product the statement is about; repeatable.
        #[arg(long = "subcomponent", value_name = "PURL")]
        subcomponents: Vec<String>,
        /// not_affected, affected, fixed or under_investigation.
        #[arg(long)]
        status: String,
        /// Why not affected: component_not_present, vulnerable_code_not_present,
        /// vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary,
        /// inline_mitigations_already_exist.
        #[arg(long)]
        justification: Option<String>,
        /// Impact statement (why not affected), free text.
        #[arg(long, value_name = "TEXT")]
        impact: Option<String>,
        /// Action statement (what to do when affected), free text.
        #[arg(long, value_name = "TEXT")]
        action: Option<String>,
        /// The document author.
        #[arg(long, default_value = "chainproof")]
        author: String,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// openvex (v0.2.0) or cyclonedx (1.6).
        #[arg(long, default_value = "openvex")]
        format: String,
    },
    /// Combine VEX documents (OpenVEX, CycloneDX VEX, CSAF): for each vulnerability and
    /// product the newest statement wins.
    Merge {
        /// The documents to merge, in any of the three formats.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The document author.
        #[arg(long, default_value = "chainproof")]
        author: String,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// openvex (v0.2.0) or cyclonedx (1.6).
        #[arg(long, default_value = "openvex")]
        format: String,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SbomArgs {
    #[command(subcommand)]
    pub action: Option<SbomAction>,

    /// The directory (or single lockfile) to inventory, or a container image:
    /// `docker-archive:PATH`, `oci-archive:PATH`, `oci-dir:PATH`, or a path to such a
    /// tarball / layout (detected), or `registry:REF` / a reference with a tag or digest
    /// (`alpine:3.20`, `ghcr.io/org/app@sha256:…`) pulled from an OCI registry.
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

    #[command(flatten)]
    pub inventory: InventoryArgs,
}

/// How a target is inventoried (shared by `sbom` and `scan`).
#[derive(Debug, Args)]
pub struct InventoryArgs {
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

    /// For an image: `squashed` (the final filesystem, default) or `all-layers` (every file
    /// version of every layer, including files deleted or overwritten later).
    #[arg(long, default_value = "squashed", value_name = "SCOPE")]
    pub scope: chainproof_source::image::Scope,

    /// For a multi-platform image: the platform to inventory, `os/arch[/variant]`
    /// (default: the only one, else linux/amd64).
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,

    /// For `registry:` images: allow plain HTTP to a registry that is not on loopback
    /// (loopback registries may always use HTTP).
    #[arg(long)]
    pub insecure_registry: bool,

    #[command(flatten)]
    pub image_limits: crate::commands::sbom::limits::ImageLimitArgs,
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

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub action: DbAction,
}

#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// Build a database from OSV JSON/YAML directories, OSV `all.zip` exports and RustSec /
    /// HSEC advisory checkouts. Exit 1 when some records could not be read (the others are in).
    Build {
        /// Directories, `all.zip` files or single records.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// The database file to write.
        #[arg(short, long, value_name = "DB")]
        output: PathBuf,
    },
    /// Show a database's sources, record counts per ecosystem, build time and age.
    Status {
        /// The database (default: $CHAINPROOF_DB, else <cache dir>/chainproof/osv.db).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Refuse (exit 2) a database older than this (e.g. `7d`, `12h`).
        #[arg(long, value_name = "DURATION")]
        max_db_age: Option<humantime::Duration>,
    },
    /// Download OSV `all.zip` exports (HTTPS) and merge them into the database by `modified`.
    Update {
        /// The database (default: $CHAINPROOF_DB, else <cache dir>/chainproof/osv.db).
        #[arg(long)]
        db: Option<PathBuf>,
        /// An `all.zip` URL; repeatable (default: the public OSV bucket, one per ecosystem).
        #[arg(long = "source", value_name = "URL")]
        sources: Vec<String>,
    },
}
