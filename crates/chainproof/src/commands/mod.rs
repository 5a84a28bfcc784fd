//! One module per subcommand.

pub mod attest;
pub mod db;
pub mod key;
pub(crate) mod sbom;
pub mod scan;
pub mod sign;
pub mod verify;
pub(crate) mod verify_batch;
pub mod verify_bundle;
mod vex;

use crate::ExitStatus;
use crate::cli::{Cli, Command};
use crate::printer::Printer;

pub fn run(cli: Cli, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Sbom(args) => sbom::run(args, printer),
        Command::Vex(args) => vex::run(args, printer),
        Command::Db(args) => db::run(args, printer),
        Command::Scan(args) => scan::run(args, printer),
        Command::Key(args) => key::run(args, printer),
        Command::Sign(args) => sign::run(args, printer),
        Command::Attest(args) => attest::run(args, printer),
        Command::Verify(args) => verify::run(args, printer),
    }
}
