//! Pub (Dart) versions, parsed and ordered like `package:pub_semver`.
//!
//! The grammar is SemVer's `MAJOR.MINOR.PATCH[-PRE][+BUILD]`, with leading
//! zeros allowed (each number must fit Dart's 64-bit `int`). Order differs
//! from SemVer in two ways: build metadata counts (a version without build
//! is below the same version with one, and builds compare like
//! prereleases), and a prerelease or build part is a number when Dart's
//! `int.tryParse` reads it, which includes a sign and `0x` hexadecimal
//! (`-1`, `0x1F`). Numbers sort below text; text compares by code units.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};

/// One prerelease or build part.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Part {
    Int(i64),
    Text(Box<str>),
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Int(n) => write!(f, "{n}"),
            Part::Text(s) => f.write_str(s),
        }
    }
}

/// Dart's `int.tryParse` on a part of `[0-9A-Za-z-]`.
fn part(s: &str) -> Part {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let value = match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            let hex = hex.trim_start_matches('0');
            if hex.len() > 20 {
                None
            } else {
                i128::from_str_radix(hex, 16).ok().or(Some(0))
            }
        }
        Some(_) => None,
        None if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = body.trim_start_matches('0');
            if digits.len() > 20 {
                None
            } else {
                digits.parse::<i128>().ok().or(Some(0))
            }
        }
        None => None,
    };
    let signed = value.map(|v| if negative { -v } else { v });
    match signed.and_then(|v| i64::try_from(v).ok()) {
        Some(n) => Part::Int(n),
        None => Part::Text(s.into()),
    }
}

/// A Pub version.
///
/// `Display` prints the numbers without leading zeros and the parts as
/// Dart reads them (`1.0.0-0x10` prints `1.0.0-16`, an equal version).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PubVersion {
    numbers: [u64; 3],
    pre: Vec<Part>,
    build: Vec<Part>,
}

fn parts(input: &str, text: &str, at: usize) -> Result<Vec<Part>, VersionError> {
    let mut offset = at;
    text.split('.')
        .map(|p| {
            let here = offset;
            offset += p.len() + 1;
            if p.is_empty() {
                return Err(VersionError::new(
                    Scheme::Pub,
                    input,
                    here,
                    ErrorReason::EmptyIdentifier,
                ));
            }
            match p.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
                Some(bad) => Err(VersionError::at(Scheme::Pub, input, here + bad)),
                None => Ok(part(p)),
            }
        })
        .collect()
}

impl PubVersion {
    /// Parses like `Version.parse`.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let b = s.as_bytes();
        let mut numbers = [0u64; 3];
        let mut pos = 0;
        for (i, slot) in numbers.iter_mut().enumerate() {
            if i > 0 {
                if b.get(pos) != Some(&b'.') {
                    return Err(VersionError::at(Scheme::Pub, s, pos));
                }
                pos += 1;
            }
            let len = b[pos..].iter().take_while(|c| c.is_ascii_digit()).count();
            if len == 0 {
                return Err(match b.get(pos) {
                    None if s.is_empty() => {
                        VersionError::new(Scheme::Pub, s, 0, ErrorReason::Empty)
                    }
                    None => VersionError::new(Scheme::Pub, s, pos, ErrorReason::ExpectedNumber),
                    Some(_) => VersionError::at(Scheme::Pub, s, pos),
                });
            }
            let digits = s[pos..pos + len].trim_start_matches('0');
            *slot = match digits.parse::<u64>() {
                Ok(n) if n <= i64::MAX as u64 => n,
                Err(_) if digits.is_empty() => 0,
                _ => {
                    return Err(VersionError::new(
                        Scheme::Pub,
                        s,
                        pos,
                        ErrorReason::ExpectedNumber,
                    ));
                }
            };
            pos += len;
        }
        let rest = &s[pos..];
        let (pre, build) = match rest.split_once('+') {
            Some((pre, build)) => (pre, Some(build)),
            None => (rest, None),
        };
        let pre = match pre.strip_prefix('-') {
            Some(p) => parts(s, p, pos + 1)?,
            None if pre.is_empty() => Vec::new(),
            None => return Err(VersionError::at(Scheme::Pub, s, pos)),
        };
        let build = match build {
            Some(text) => parts(s, text, s.len() - text.len())?,
            None => Vec::new(),
        };
        Ok(PubVersion {
            numbers,
            pre,
            build,
        })
    }

    /// Whether the version has a prerelease part.
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }
}

impl Ord for PubVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers
            .cmp(&other.numbers)
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                _ => self.pre.cmp(&other.pre),
            })
            // Builds always come after no build.
            .then_with(|| self.build.cmp(&other.build))
    }
}

impl PartialOrd for PubVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for PubVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for PubVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c] = self.numbers;
        write!(f, "{a}.{b}.{c}")?;
        for (i, p) in self.pre.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            p.fmt(f)?;
        }
        for (i, p) in self.build.iter().enumerate() {
            f.write_str(if i == 0 { "+" } else { "." })?;
            p.fmt(f)?;
        }
        Ok(())
    }
}
