//! CRAN (R) package versions, ordered like R's `package_version`.
//!
//! A version is at least two non-negative integers separated by `.` or `-`
//! (`1.0`, `1.2-3`, `0.9.8.1`); R reads each with `as.integer`, so a
//! component above `2^31 - 1` is not a valid version here (R turns it into
//! `NA`). Leading zeros are ignored (`1.01 == 1.1`). Versions compare
//! component by component, a missing component counting as `0`, so
//! `1.0 == 1.0-0 == 1.0.0` (R compares zero-padded encodings).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};

/// An R package version.
///
/// `Display` prints the components joined by `.` (R prints `1.2-3` as
/// `1.2.3`).
#[derive(Clone, Debug)]
pub struct CranVersion {
    parts: Vec<u32>,
}

impl CranVersion {
    /// Parses like `package_version(s)`; the string is not trimmed.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let err = |at, reason| VersionError::new(Scheme::Cran, s, at, reason);
        if s.is_empty() {
            return Err(err(0, ErrorReason::Empty));
        }
        let mut parts = Vec::new();
        let mut start = 0;
        for piece in s.split(['.', '-']) {
            if piece.is_empty() {
                return Err(err(start, ErrorReason::EmptyIdentifier));
            }
            if let Some(bad) = piece.find(|c: char| !c.is_ascii_digit()) {
                return Err(VersionError::at(Scheme::Cran, s, start + bad));
            }
            let n = piece.trim_start_matches('0');
            match n.parse::<u32>() {
                Ok(v) if v <= i32::MAX as u32 => parts.push(v),
                Err(_) if n.is_empty() => parts.push(0),
                _ => return Err(err(start, ErrorReason::ExpectedNumber)),
            }
            start += piece.len() + 1;
        }
        if parts.len() < 2 {
            return Err(err(s.len(), ErrorReason::UnexpectedEnd));
        }
        Ok(CranVersion { parts })
    }

    /// The components.
    pub fn parts(&self) -> &[u32] {
        &self.parts
    }

    /// The components without trailing zeros: equal versions have equal keys.
    fn key(&self) -> &[u32] {
        let len = self
            .parts
            .iter()
            .rposition(|&p| p != 0)
            .map_or(0, |i| i + 1);
        &self.parts[..len]
    }
}

impl Ord for CranVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.key(), other.key());
        let len = a.len().max(b.len());
        (0..len)
            .map(|i| a.get(i).unwrap_or(&0).cmp(b.get(i).unwrap_or(&0)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for CranVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for CranVersion {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for CranVersion {}

impl Hash for CranVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl FromStr for CranVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for CranVersion {
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
