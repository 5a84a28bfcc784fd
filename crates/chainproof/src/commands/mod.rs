//! One module per subcommand.

mod sbom;
mod verify_batch;
pub mod verify_bundle;

use crate::ExitStatus;
use crate::cli::{Cli, Command, VerifyCommand};
use crate::printer::Printer;

pub fn run(cli: Cli, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Sbom(args) => sbom::run(args, printer),
        Command::Verify {
            what: VerifyCommand::Bundle(args),
        } => verify_bundle::run(args, printer),
    }
}
