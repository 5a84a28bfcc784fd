//! Debian package versions (`[epoch:]upstream[-revision]`), parsed and
//! ordered exactly like dpkg (`dpkg --compare-versions`, dpkg 1.21).
//!
//! Parsing follows dpkg's `parseversion`:
//! - leading and trailing blanks (space, tab) are ignored; a blank inside is
//!   an error ("embedded spaces"); other whitespace (`\n`, `\r`) is an
//!   ordinary character; a NUL byte is an error;
//! - when the string holds a `:`, the part before the first one is the epoch:
//!   a decimal number as C `strtol` reads it (an optional sign), not negative
//!   and at most `i32::MAX`; something must follow the colon;
//! - the revision is what follows the last `-`, and must not be empty; the
//!   upstream version before it must not be empty either.
//!
//! dpkg only *warns* about an upstream version that does not start with a
//! digit or about characters outside `[A-Za-z0-9.+~:-]`, and still compares
//! such versions; so do we.
//!
//! Ordering is dpkg's `dpkg_version_compare`: the epoch numerically, then the
//! upstream version and the revision with `verrevcmp`. `verrevcmp` walks
//! alternating non-digit and digit runs: non-digit runs compare character by
//! character, where `~` sorts before everything (even the end of the run),
//! then the end of the run, then letters, then all other characters; digit
//! runs compare numerically (any length, leading zeros ignored, an empty run
//! is 0). So `1.0~rc1 < 1.0 < 1.0+b1 < 1.0.1`, `1.0 == 1.00` and
//! `1.0-0 == 1.0`. A missing epoch is 0.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};
use crate::num::{Number, digit_run};

/// A Debian (dpkg) version. `Display` gives the input without the
/// surrounding blanks dpkg ignores; equality and hashing follow the
/// order (`1:1.0-1 == 01:1.00-1`).
#[derive(Clone, Debug)]
pub struct DpkgVersion {
    text: Box<str>,
    epoch: u32,
    /// Byte range of the upstream version in `text`.
    upstream: (usize, usize),
    /// Byte range of the revision in `text` (empty when there is none).
    revision: (usize, usize),
}

/// C's `isblank`.
fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl DpkgVersion {
    /// Parses a version like dpkg's `parseversion` (warnings accepted).
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let bytes = input.as_bytes();
        let err =
            |at: usize, reason: ErrorReason| VersionError::new(Scheme::Dpkg, input, at, reason);
        let start = bytes
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .unwrap_or(bytes.len());
        if start == bytes.len() {
            return Err(err(start, ErrorReason::Empty));
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| is_blank(b))
            .map_or(bytes.len(), |p| start + p);
        if let Some(p) = bytes[end..].iter().position(|&b| !is_blank(b)) {
            return Err(VersionError::at(Scheme::Dpkg, input, end + p - 1));
        }
        if let Some(p) = bytes[start..end].iter().position(|&b| b == 0) {
            return Err(VersionError::at(Scheme::Dpkg, input, start + p));
        }
        let text = &input[start..end];
        let t = text.as_bytes();
        let (epoch, version_start) = match t.iter().position(|&b| b == b':') {
            None => (0, 0),
            Some(colon) => (parse_epoch(input, start, &t[..colon])?, colon + 1),
        };
        if version_start == t.len() {
            return Err(err(end, ErrorReason::UnexpectedEnd));
        }
        let (upstream, revision) = match t[version_start..].iter().rposition(|&b| b == b'-') {
            Some(p) => {
                let hyphen = version_start + p;
                if hyphen + 1 == t.len() {
                    return Err(err(end, ErrorReason::UnexpectedEnd));
                }
                ((version_start, hyphen), (hyphen + 1, t.len()))
            }
            None => ((version_start, t.len()), (t.len(), t.len())),
        };
        if upstream.0 == upstream.1 {
            return Err(err(start + upstream.0, ErrorReason::EmptyIdentifier));
        }
        Ok(DpkgVersion {
            text: text.into(),
            epoch,
            upstream,
            revision,
        })
    }

    /// The epoch (0 when absent).
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The upstream version (between the epoch and the revision).
    pub fn upstream(&self) -> &str {
        &self.text[self.upstream.0..self.upstream.1]
    }

    /// The Debian revision, if the version has one.
    pub fn revision(&self) -> Option<&str> {
        let (a, b) = self.revision;
        (a < b).then(|| &self.text[a..b])
    }

    fn revision_or_empty(&self) -> &[u8] {
        &self.text.as_bytes()[self.revision.0..self.revision.1]
    }
}

/// The epoch as `strtol(…, 10)` followed by dpkg's checks reads it.
fn parse_epoch(input: &str, offset: usize, s: &[u8]) -> Result<u32, VersionError> {
    let err = |at: usize, reason: ErrorReason| {
        VersionError::new(Scheme::Dpkg, input, offset + at, reason)
    };
    // strtol skips leading whitespace (blanks are already gone).
    let space = s
        .iter()
        .take_while(|b| matches!(b, b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    let (negative, digits_at) = match s.get(space) {
        Some(b'-') => (true, space + 1),
        Some(b'+') => (false, space + 1),
        _ => (false, space),
    };
    let len = digit_run(&s[digits_at..]);
    if len == 0 {
        return Err(err(0, ErrorReason::ExpectedNumber));
    }
    if digits_at + len != s.len() {
        return Err(VersionError::at(
            Scheme::Dpkg,
            input,
            offset + digits_at + len,
        ));
    }
    let digits = std::str::from_utf8(&s[digits_at..]).expect("ASCII digits");
    let n = Number::from_digits(digits).expect("a run of ASCII digits");
    if negative && !n.is_zero() {
        return Err(VersionError::at(Scheme::Dpkg, input, offset));
    }
    match n.to_u64() {
        Some(v) if v <= i32::MAX as u64 => Ok(v as u32),
        _ => Err(err(digits_at, ErrorReason::NumberTooLarge)),
    }
}

/// dpkg's `order`: the weight of a non-digit character (0 for a digit or
/// the end). Bytes above 0x7f are negative `char`s in C, so `c + 256` gives
/// them their unsigned value.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) if c >= 0x80 => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`, with numbers of any length.
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (ac, bc) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let (la, lb) = (
            digit_run(&a[i.min(a.len())..]),
            digit_run(&b[j.min(b.len())..]),
        );
        let ord = la.cmp(&lb).then_with(|| a[i..i + la].cmp(&b[j..j + lb]));
        if ord != Ordering::Equal {
            return ord;
        }
        i += la;
        j += lb;
    }
    Ordering::Equal
}

/// Feeds the `verrevcmp` equivalence class of `s` to `state`: its
/// (non-digit run, number) parts, with a lone zero part dropped (`0` and the
/// empty string are equal).
fn hash_verrev<H: Hasher>(s: &[u8], state: &mut H) {
    let mut parts: Vec<(&[u8], &[u8])> = Vec::new();
    let mut k = 0;
    while k < s.len() {
        let run = s[k..].iter().take_while(|b| !b.is_ascii_digit()).count();
        let text = &s[k..k + run];
        k += run;
        let digits = digit_run(&s[k..]);
        let num = &s[k..k + digits];
        k += digits;
        let first_nonzero = num.iter().position(|&b| b != b'0').unwrap_or(num.len());
        parts.push((text, &num[first_nonzero..]));
    }
    if let [(b"", b"")] = parts.as_slice() {
        parts.clear();
    }
    parts.len().hash(state);
    for (text, num) in parts {
        text.hash(state);
        num.hash(state);
    }
}

impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(self.upstream().as_bytes(), other.upstream().as_bytes()))
            .then_with(|| verrevcmp(self.revision_or_empty(), other.revision_or_empty()))
    }
}

impl PartialOrd for DpkgVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DpkgVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DpkgVersion {}

impl Hash for DpkgVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.epoch.hash(state);
        hash_verrev(self.upstream().as_bytes(), state);
        hash_verrev(self.revision_or_empty(), state);
    }
}

impl FromStr for DpkgVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for DpkgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> DpkgVersion {
        DpkgVersion::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn parts() {
        let x = v(" 1:2.30-1ubuntu1\t ");
        assert_eq!(
            (x.epoch(), x.upstream(), x.revision()),
            (1, "2.30", Some("1ubuntu1"))
        );
        assert_eq!(x.to_string(), "1:2.30-1ubuntu1");
        // Only blanks are trimmed: a newline is part of the revision.
        assert_eq!(v("1.0-1\n").revision(), Some("1\n"));
        assert!(v("1.0-1\n") > v("1.0-1"));
        let y = v("1:2-3:4-5");
        assert_eq!(
            (y.epoch(), y.upstream(), y.revision()),
            (1, "2-3:4", Some("5"))
        );
        assert_eq!(v("+2:1").epoch(), 2);
        assert_eq!(v("-0:1").epoch(), 0);
    }

    #[test]
    fn rejects_what_dpkg_rejects() {
        for bad in [
            "",
            "  ",
            "1 2",
            "1 \n",
            ":1",
            "a:1",
            "1a:2",
            "-1:2",
            "1:",
            "1.0-",
            "1:-1",
            "-1",
            "2147483648:1",
            "1\u{0}",
        ] {
            assert!(DpkgVersion::parse(bad).is_err(), "{bad:?}");
        }
        assert!(DpkgVersion::parse("2147483647:1").is_ok());
        assert!(DpkgVersion::parse("abc").is_ok(), "dpkg only warns");
    }

    #[test]
    fn order_examples() {
        let ordered = [
            "1.0~~", "1.0~~a", "1.0~", "1.0", "1.0-0.1", "1.0a", "1.0+b1", "1.0.1", "1.1", "1.10",
            "1:0.1",
        ];
        for w in ordered.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.0"), v("1.00"));
        assert_eq!(v("1.0-0"), v("1.0"));
        assert_eq!(v("0:1.0"), v("1.0"));
        assert_eq!(v("1.0a"), v("1.0a0"));
        assert!(v("1.0a") < v("1.0a1"));
        assert!(v("99999999999999999999999") < v("100000000000000000000000"));
    }
}
