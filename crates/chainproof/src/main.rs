//! The `chainproof` command line.
#![forbid(unsafe_code)]

mod cli;
mod commands;
mod output;
mod printer;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: parsing thousands of lockfiles is allocation-bound (many small strings);
/// it cut the CPU time of `chainproof sbom` on the synthetic benchmark tree (bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Documented exit codes (see the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// The command did what was asked (and the document is valid, for `validate`).
    Success = 0,
    /// The command ran, and its answer is "no": the document is invalid.
    Failure = 1,
    /// The command could not run: bad arguments, unreadable input, I/O error.
    Error = 2,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> Self {
        ExitCode::from(s as u8)
    }
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap: --help/--version are successes, usage errors are ours to map to 2.
            return if e.use_stderr() {
                ExitStatus::Error.into()
            } else {
                ExitStatus::Success.into()
            };
        }
    };
    let printer = printer::Printer::new(cli.quiet);
    match commands::run(cli, &printer) {
        Ok(status) => status.into(),
        Err(err) => {
            printer.error(&format!("{err:#}"));
            ExitStatus::Error.into()
        }
    }
}
