//! RPM versions (`[epoch:]version[-release]`, an "EVR"), parsed and ordered
//! exactly like rpm's `rpmverParse` + `rpmverCmp` (what `rpm.vercmp` in
//! rpm's Lua and `rpmdev-vercmp` use), with `rpmvercmp` for each part.
//!
//! Parsing (rpm's `parseEVR`): leading ASCII digits followed by `:` are the
//! epoch (an empty epoch, `:1.0`, is 0); the release is what follows the last
//! `-`; the rest is the version. Every non-empty string is an EVR to rpm; we
//! only reject the empty string and NUL bytes (which a C string cannot hold).
//!
//! Ordering: epoch numerically (missing = 0); then the versions with
//! `rpmvercmp`; then the releases, where a missing release sorts below any
//! release, even an empty one (`1.0 < 1.0-`).
//!
//! `rpmvercmp` splits a string into segments: runs of ASCII digits, runs of
//! ASCII letters, and the single characters `~` and `^`; everything else only
//! separates segments. Segments compare pairwise: `~` sorts before anything,
//! even the end of the string (`1.0~rc1 < 1.0`); `^` sorts after the end but
//! before anything else (`1.0 < 1.0^git1 < 1.0.1`); a number is newer than
//! letters; numbers compare by value (any length); letters by byte. When one
//! string runs out first it is older. So `1.0 == 1_0 == 1.0.` and
//! `1.01 == 1.1`.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};
use crate::num::{Number, digit_run};

/// An RPM EVR. `Display` gives the input unchanged; equality and hashing
/// follow the order (`0:1.01-1 == 1.1-1`).
#[derive(Clone, Debug)]
pub struct RpmVersion {
    text: Box<str>,
    epoch: Option<Number>,
    /// Byte range of the version in `text`.
    version: (usize, usize),
    /// Byte range of the release in `text`, when there is a `-`.
    release: Option<(usize, usize)>,
}

/// One `rpmvercmp` segment; the derived order is rpm's at a position where
/// the two strings differ (`End` is the end of the string).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Segment<'a> {
    Tilde,
    End,
    Caret,
    Alpha(&'a [u8]),
    /// Digits without leading zeros, compared by length then bytes.
    Numeric(Digits<'a>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Digits<'a>(&'a [u8]);

impl Ord for Digits<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(other.0))
    }
}

impl PartialOrd for Digits<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The segments of `s` as `rpmvercmp` reads them, ending with `End`.
struct Segments<'a> {
    s: &'a [u8],
    done: bool,
}

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;
    fn next(&mut self) -> Option<Segment<'a>> {
        if self.done {
            return None;
        }
        let skip = self
            .s
            .iter()
            .take_while(|&&b| !b.is_ascii_alphanumeric() && b != b'~' && b != b'^')
            .count();
        self.s = &self.s[skip..];
        let (segment, len) = match self.s.first() {
            None => {
                self.done = true;
                return Some(Segment::End);
            }
            Some(b'~') => (Segment::Tilde, 1),
            Some(b'^') => (Segment::Caret, 1),
            Some(b) if b.is_ascii_digit() => {
                let len = digit_run(self.s);
                let digits = &self.s[..len];
                let zeros = digits.iter().take_while(|&&b| b == b'0').count();
                (Segment::Numeric(Digits(&digits[zeros..])), len)
            }
            Some(_) => {
                let len = self
                    .s
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                (Segment::Alpha(&self.s[..len]), len)
            }
        };
        self.s = &self.s[len..];
        Some(segment)
    }
}

fn segments(s: &str) -> Segments<'_> {
    Segments {
        s: s.as_bytes(),
        done: false,
    }
}

/// rpm's `rpmvercmp`, for one version or release string.
pub(crate) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    segments(a).cmp(segments(b))
}

impl RpmVersion {
    /// Parses an EVR like rpm's `rpmverParse`.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        if input.is_empty() {
            return Err(VersionError::new(Scheme::Rpm, input, 0, ErrorReason::Empty));
        }
        if let Some(p) = input.bytes().position(|b| b == 0) {
            return Err(VersionError::at(Scheme::Rpm, input, p));
        }
        let bytes = input.as_bytes();
        let digits = digit_run(bytes);
        let (epoch, version_start) = if bytes.get(digits) == Some(&b':') {
            let epoch = Number::from_digits(&input[..digits]).unwrap_or(Number::ZERO);
            (Some(epoch), digits + 1)
        } else {
            (None, 0)
        };
        let (version, release) = match bytes[digits..].iter().rposition(|&b| b == b'-') {
            // The last `-` after the epoch's digits; it cannot be the `:`.
            Some(p) if digits + p >= version_start => {
                let hyphen = digits + p;
                ((version_start, hyphen), Some((hyphen + 1, bytes.len())))
            }
            _ => ((version_start, bytes.len()), None),
        };
        Ok(RpmVersion {
            text: input.into(),
            epoch,
            version,
            release,
        })
    }

    /// The epoch, when the EVR has one (`:1.0` has epoch 0).
    pub fn epoch(&self) -> Option<&Number> {
        self.epoch.as_ref()
    }

    /// The version part.
    pub fn version(&self) -> &str {
        &self.text[self.version.0..self.version.1]
    }

    /// The release part, when there is a `-`.
    pub fn release(&self) -> Option<&str> {
        self.release.map(|(a, b)| &self.text[a..b])
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Number::ZERO;
        let (ea, eb) = (
            self.epoch.as_ref().unwrap_or(&zero),
            other.epoch.as_ref().unwrap_or(&zero),
        );
        ea.cmp(eb)
            .then_with(|| rpmvercmp(self.version(), other.version()))
            .then_with(|| match (self.release(), other.release()) {
                (Some(a), Some(b)) => rpmvercmp(a, b),
                (a, b) => a.is_some().cmp(&b.is_some()),
            })
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RpmVersion {}

impl Hash for RpmVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.epoch.as_ref().unwrap_or(&Number::ZERO).hash(state);
        segments(self.version()).for_each(|s| s.hash(state));
        match self.release() {
            Some(r) => {
                state.write_u8(1);
                segments(r).for_each(|s| s.hash(state));
            }
            None => state.write_u8(0),
        }
    }
}

impl FromStr for RpmVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for RpmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> RpmVersion {
        RpmVersion::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn parts() {
        let x = v("2:1.2.3-4.el9");
        assert_eq!(x.epoch(), Some(&Number::from(2)));
        assert_eq!((x.version(), x.release()), ("1.2.3", Some("4.el9")));
        let y = v("1.0-rc-1");
        assert_eq!(
            (y.epoch(), y.version(), y.release()),
            (None, "1.0-rc", Some("1"))
        );
        assert_eq!(v(":1").epoch(), Some(&Number::ZERO));
        assert_eq!(v("1:").version(), "");
        assert!(RpmVersion::parse("").is_err());
    }

    #[test]
    fn rpmvercmp_examples() {
        use Ordering::*;
        // From rpm's tests/rpmvercmp.at (reworded, not copied).
        for (a, b, want) in [
            ("1.0", "1.0", Equal),
            ("2.0.1a", "2.0.1", Greater),
            ("5.5p1", "5.5p10", Less),
            ("10xyz", "10.1xyz", Less),
            ("xyz.4", "8", Less),
            ("6.0.rc1", "6.0", Greater),
            ("10.0001", "10.1", Equal),
            ("2_0", "2.0", Equal),
            ("1.0~rc1", "1.0", Less),
            ("1.0~rc1", "1.0~rc1~git1", Greater),
            ("1.0^", "1.0", Greater),
            ("1.0^git1", "1.0.1", Less),
            ("1.0^git1~pre", "1.0^git1", Less),
            ("1.0^20160101", "1.0~rc1", Greater),
            ("a+", "a_", Equal),
        ] {
            assert_eq!(rpmvercmp(a, b), want, "{a} vs {b}");
            assert_eq!(rpmvercmp(b, a), want.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn evr_order() {
        assert!(v("1.0") < v("1.0-1"));
        assert!(v("1.0") < v("1.0-"));
        assert_eq!(v("1.0-"), v("1.0-."));
        assert_eq!(v("0:1.0-1"), v("1.0-1"));
        assert!(v("1:0.1") > v("9.9"));
        assert!(v("99999999999999999999999:1") > v("18446744073709551616:1"));
    }
}
