//! All printing goes through here: stdout carries only the requested output; progress,
//! summaries and errors go to stderr.

use std::io::{IsTerminal, Write};

pub struct Printer {
    quiet: bool,
    stderr_tty: bool,
}

impl Printer {
    pub fn new(quiet: bool) -> Self {
        Printer {
            quiet,
            stderr_tty: std::io::stderr().is_terminal(),
        }
    }

    /// Whether live progress should be drawn (stderr is a terminal and not `-q`).
    pub fn wants_progress(&self) -> bool {
        !self.quiet && self.stderr_tty
    }

    /// The requested output, to stdout.
    pub fn stdout(&self, text: &str) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }

    /// A summary or note on stderr (suppressed by `-q`).
    pub fn info(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// A warning on stderr (suppressed by `-q`).
    pub fn warn(&self, text: &str) {
        if !self.quiet {
            eprintln!("warning: {text}");
        }
    }

    /// An error on stderr, always shown.
    pub fn error(&self, text: &str) {
        eprintln!("error: {text}");
    }
}

/// Draws `cataloging N/M files` in place on stderr. Called from worker threads.
pub fn progress(done: usize, total: usize) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[2Kcataloging {done}/{total} files");
    if done == total {
        let _ = write!(err, "\r\x1b[2K");
    }
    let _ = err.flush();
}
