//! Passphrases: from `CHAINPROOF_PASSWORD` / `COSIGN_PASSWORD`, or a prompt on the terminal
//! (echo turned off with `stty`, so no extra dependency and no `unsafe`).

use std::io::{BufRead, BufReader, Write};

use zeroize::Zeroizing;

use crate::CryptoError;

/// Environment variables read, in order.
pub const ENV_VARS: [&str; 2] = ["CHAINPROOF_PASSWORD", "COSIGN_PASSWORD"];

/// The passphrase from the environment, if set (an empty value counts: cosign allows it).
pub fn from_env() -> Option<Zeroizing<Vec<u8>>> {
    ENV_VARS
        .iter()
        .find_map(std::env::var_os)
        .map(|v| Zeroizing::new(v.to_string_lossy().as_bytes().to_vec()))
}

/// The environment's passphrase, else a prompt on the terminal (twice when `confirm`).
pub fn obtain(prompt: &str, confirm: bool) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if let Some(p) = from_env() {
        return Ok(p);
    }
    let first = read_tty(prompt)?;
    if confirm {
        let again = read_tty("Enter passphrase again: ")?;
        if *again != *first {
            return Err(CryptoError::Passphrase("passphrases do not match".into()));
        }
    }
    Ok(first)
}

/// Read one line from the controlling terminal with echo off.
pub fn read_tty(prompt: &str) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let no_tty = |e: std::io::Error| {
        CryptoError::Passphrase(format!(
            "no terminal to ask for a passphrase ({e}); set CHAINPROOF_PASSWORD"
        ))
    };
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(no_tty)?;
    let stty = |arg: &str| -> bool {
        tty.try_clone()
            .ok()
            .and_then(|t| {
                std::process::Command::new("stty")
                    .arg(arg)
                    .stdin(t)
                    .status()
                    .ok()
            })
            .is_some_and(|s| s.success())
    };
    let mut out = tty.try_clone().map_err(no_tty)?;
    out.write_all(prompt.as_bytes()).map_err(no_tty)?;
    out.flush().map_err(no_tty)?;
    let echo_off = stty("-echo");
    let mut line = Zeroizing::new(Vec::new());
    let res = BufReader::new(&tty).read_until(b'\n', &mut line);
    if echo_off {
        stty("echo");
    }
    let _ = out.write_all(b"\n");
    res.map_err(no_tty)?;
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Ok(line)
}
