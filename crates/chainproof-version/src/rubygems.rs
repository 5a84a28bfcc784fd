//! RubyGems versions, ordered like `Gem::Version`.
//!
//! A version is `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`
//! with optional surrounding whitespace. Every `-` reads as `.pre.`, then the
//! string is cut into runs of digits (numbers, any size) and runs of letters
//! (strings, case kept). Trailing zeros are dropped from the numeric part (the
//! segments before the first string) and from the rest, so `1.0 == 1` and
//! `1.0.a == 1.a`. Segments compare left to right, a missing one as `0`;
//! a string is below any number (so `1.a < 1`, a prerelease), strings compare
//! by bytes (`1.A < 1.a`).
//!
//! Gem::Version reads an empty or blank string as `0`; here it is rejected.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};
use crate::num::Number;

/// One segment of a RubyGems version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Segment {
    Num(Number),
    Str(Box<str>),
}

impl Segment {
    fn cmp_seg(&self, other: &Segment) -> Ordering {
        match (self, other) {
            (Segment::Num(a), Segment::Num(b)) => a.cmp(b),
            (Segment::Num(_), Segment::Str(_)) => Ordering::Greater,
            (Segment::Str(_), Segment::Num(_)) => Ordering::Less,
            (Segment::Str(a), Segment::Str(b)) => a.as_bytes().cmp(b.as_bytes()),
        }
    }
}

const ZERO: Segment = Segment::Num(Number::ZERO);

/// A RubyGems version (`Gem::Version`), kept as its canonical segments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RubyGemsVersion {
    segments: Vec<Segment>,
}

/// Ruby's `\s`: space, tab, CR, LF, form feed, vertical tab.
fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\x0b' | '\x0c')
}

impl RubyGemsVersion {
    /// Parses a version that `Gem::Version.correct?` accepts (blank excepted).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let start = s.len() - s.trim_start_matches(is_ruby_space).len();
        let v = s.trim_matches(is_ruby_space);
        let b = v.as_bytes();
        let err = |at: usize| VersionError::at(Scheme::RubyGems, s, start + at);
        if v.is_empty() {
            return Err(VersionError::new(
                Scheme::RubyGems,
                s,
                start,
                ErrorReason::Empty,
            ));
        }
        // Validate: digits, then `.alnum+` pieces, then `-` pieces of
        // `[0-9A-Za-z-]+` separated by dots.
        let mut pos = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if pos == 0 {
            return Err(VersionError::new(
                Scheme::RubyGems,
                s,
                start,
                ErrorReason::ExpectedNumber,
            ));
        }
        while b.get(pos) == Some(&b'.') {
            let len = b[pos + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            if len == 0 {
                return Err(err(pos + 1));
            }
            pos += 1 + len;
        }
        if b.get(pos) == Some(&b'-') {
            pos += 1;
            loop {
                let len = b[pos..]
                    .iter()
                    .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'-')
                    .count();
                if len == 0 {
                    return Err(err(pos));
                }
                pos += len;
                if b.get(pos) == Some(&b'.') {
                    pos += 1;
                } else {
                    break;
                }
            }
        }
        if pos != b.len() {
            return Err(err(pos));
        }
        // Segments of `v` with every `-` read as `.pre.`.
        let mut segments = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let run = |pred: fn(&u8) -> bool| b[i..].iter().take_while(|c| pred(c)).count();
            if c.is_ascii_digit() {
                let len = run(u8::is_ascii_digit);
                let n = Number::from_digits(&v[i..i + len]).expect("ASCII digits");
                segments.push(Segment::Num(n));
                i += len;
            } else if c.is_ascii_alphabetic() {
                let len = run(u8::is_ascii_alphabetic);
                segments.push(Segment::Str(v[i..i + len].into()));
                i += len;
            } else {
                if c == b'-' {
                    segments.push(Segment::Str("pre".into()));
                }
                i += 1;
            }
        }
        // Canonical segments: drop trailing zeros of the numeric part and of
        // the part from the first string on.
        let split = segments
            .iter()
            .position(|s| matches!(s, Segment::Str(_)))
            .unwrap_or(segments.len());
        let mut rest = segments.split_off(split);
        while segments.last() == Some(&ZERO) {
            segments.pop();
        }
        while rest.last() == Some(&ZERO) {
            rest.pop();
        }
        segments.append(&mut rest);
        Ok(RubyGemsVersion { segments })
    }

    /// Whether this is a prerelease (has a letter), like `Gem::Version#prerelease?`.
    pub fn is_prerelease(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Segment::Str(_)))
    }
}

impl Ord for RubyGemsVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.segments.len().max(other.segments.len());
        (0..len)
            .map(|i| {
                let a = self.segments.get(i).unwrap_or(&ZERO);
                let b = other.segments.get(i).unwrap_or(&ZERO);
                a.cmp_seg(b)
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for RubyGemsVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for RubyGemsVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for RubyGemsVersion {
    /// The canonical segments joined by `.` (`1.0.0-rc1` prints
    /// `1.pre.rc.1`), with a leading `0.` when they do not start with a
    /// number, and `0` when there are none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.segments.first() {
            None => return f.write_str("0"),
            Some(Segment::Str(_)) => f.write_str("0.")?,
            Some(Segment::Num(_)) => {}
        }
        for (i, s) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match s {
                Segment::Num(n) => n.fmt(f)?,
                Segment::Str(t) => f.write_str(t)?,
            }
        }
        Ok(())
    }
}
