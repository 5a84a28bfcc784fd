//! Hackage (Haskell) package versions, as Cabal's `Version` parses and
//! orders them (the PVP's dotted numeric lists).
//!
//! A version is one or more integers separated by `.`; each has at most 9
//! digits and no leading zero (Cabal 3 rejects both). Deprecated tags
//! (`1.0-beta`) are accepted and ignored, as Cabal does. Versions compare as
//! lists of integers, so a longer version is greater than its prefix:
//! `1 < 1.0 < 1.0.0 < 1.0.1`.

use std::fmt;
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};

/// A Hackage version: its list of numbers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HackageVersion {
    parts: Vec<u32>,
}

impl HackageVersion {
    /// Parses like Cabal's `Parsec Version` instance (no surrounding whitespace).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let b = s.as_bytes();
        let err = |at, reason| VersionError::new(Scheme::Hackage, s, at, reason);
        if s.is_empty() {
            return Err(err(0, ErrorReason::Empty));
        }
        let mut parts = Vec::new();
        let mut pos = 0;
        loop {
            let len = b[pos..].iter().take_while(|c| c.is_ascii_digit()).count();
            if len == 0 {
                return Err(match b.get(pos) {
                    None => err(pos, ErrorReason::ExpectedNumber),
                    Some(_) => VersionError::at(Scheme::Hackage, s, pos),
                });
            }
            let digits = &s[pos..pos + len];
            if len > 1 && digits.starts_with('0') {
                return Err(err(pos, ErrorReason::LeadingZero));
            }
            if len > 9 {
                return Err(err(pos, ErrorReason::ExpectedNumber));
            }
            parts.push(digits.parse().expect("at most nine ASCII digits"));
            pos += len;
            if b.get(pos) == Some(&b'.') {
                pos += 1;
            } else {
                break;
            }
        }
        // Tags: (`-` alphanumerics)*, ignored.
        while b.get(pos) == Some(&b'-') {
            let len = s[pos + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .map(char::len_utf8)
                .sum::<usize>();
            if len == 0 {
                return Err(VersionError::at(Scheme::Hackage, s, pos + 1));
            }
            pos += 1 + len;
        }
        if pos != b.len() {
            return Err(VersionError::at(Scheme::Hackage, s, pos));
        }
        Ok(HackageVersion { parts })
    }

    /// The numbers.
    pub fn parts(&self) -> &[u32] {
        &self.parts
    }
}

impl FromStr for HackageVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for HackageVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}
