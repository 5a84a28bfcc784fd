//! One module per subcommand.

mod sbom;

use crate::ExitStatus;
use crate::cli::{Cli, Command};
use crate::printer::Printer;

pub fn run(cli: Cli, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Sbom(args) => sbom::run(args, printer),
    }
}
