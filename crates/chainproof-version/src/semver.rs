//! SemVer 2.0.0 versions, as crates.io and npm use them.
//!
//! Precedence follows [semver.org §11](https://semver.org/#spec-item-11):
//! major, minor and patch compare numerically; a version with a prerelease is
//! lower than the same version without; prerelease identifiers compare left to
//! right, numeric ones numerically (any size), alphanumeric ones in ASCII
//! order, numeric below alphanumeric, and a shorter list below a longer one it
//! prefixes. Build metadata is kept for display but ignored by ordering, so
//! `1.0.0+a == 1.0.0+b` (and they hash alike).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};
use crate::num::{Number, digit_run};

/// A SemVer 2.0.0 version.
///
/// [`FromStr`] is the **lenient** parse used for real-world strings (see
/// [`SemverVersion::parse_lenient`]); [`SemverVersion::parse_strict`] accepts
/// exactly the semver.org grammar. `Display` prints the normalized form
/// `MAJOR.MINOR.PATCH[-PRE][+BUILD]`.
#[derive(Clone, Debug)]
pub struct SemverVersion {
    major: Number,
    minor: Number,
    patch: Number,
    pre: Vec<Identifier>,
    build: Vec<Box<str>>,
}

/// One dot-separated prerelease identifier.
///
/// The derived order is the SemVer one: numeric identifiers sort below
/// alphanumeric ones, numbers compare by value, text by ASCII bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Identifier {
    /// Only digits.
    Numeric(Number),
    /// Letters, digits and hyphens, at least one non-digit.
    AlphaNumeric(Box<str>),
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identifier::Numeric(n) => n.fmt(f),
            Identifier::AlphaNumeric(s) => f.write_str(s),
        }
    }
}

/// Which variations of the grammar a parse accepts.
#[derive(Clone, Copy)]
pub(crate) struct Grammar {
    pub scheme: Scheme,
    /// Allow leading zeros in numbers (their value is kept).
    pub leading_zeros: bool,
    /// Allow `1` and `1.2`; `with_suffix` also allows `1.2-pre`.
    pub short: bool,
    pub short_with_suffix: bool,
    /// Allow a prerelease to start without `-` (`1.2.3beta`).
    pub bare_prerelease: bool,
}

impl Grammar {
    const STRICT: Grammar = Grammar {
        scheme: Scheme::Semver,
        leading_zeros: false,
        short: false,
        short_with_suffix: false,
        bare_prerelease: false,
    };
    const LENIENT: Grammar = Grammar {
        scheme: Scheme::Semver,
        leading_zeros: true,
        short: true,
        short_with_suffix: true,
        bare_prerelease: true,
    };
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Parses `s[start..]` as `MAJOR[.MINOR[.PATCH]][-PRE][+BUILD]` under `g`;
/// offsets in errors refer to `input` (the full, original string).
pub(crate) fn parse_core(
    input: &str,
    start: usize,
    g: Grammar,
) -> Result<SemverVersion, VersionError> {
    let b = input.as_bytes();
    let err = |at: usize, reason: ErrorReason| VersionError::new(g.scheme, input, at, reason);
    let mut pos = start;
    let number = |pos: &mut usize| -> Result<Number, VersionError> {
        let len = digit_run(&b[*pos..]);
        if len == 0 {
            return Err(match b.get(*pos) {
                None if input.is_empty() => err(*pos, ErrorReason::Empty),
                None => err(*pos, ErrorReason::ExpectedNumber),
                Some(_) => VersionError::at(g.scheme, input, *pos),
            });
        }
        let digits = &input[*pos..*pos + len];
        if !g.leading_zeros && len > 1 && digits.starts_with('0') {
            return Err(err(*pos, ErrorReason::LeadingZero));
        }
        *pos += len;
        Ok(Number::from_digits(digits).expect("a non-empty run of ASCII digits"))
    };
    let major = number(&mut pos)?;
    let mut short = false;
    let mut parts = [Number::ZERO, Number::ZERO];
    for part in &mut parts {
        if b.get(pos) == Some(&b'.') {
            pos += 1;
            *part = number(&mut pos)?;
        } else if g.short {
            short = true;
            break;
        } else {
            return Err(VersionError::at(g.scheme, input, pos));
        }
    }
    let [minor, patch] = parts;
    let suffix_at = pos;
    let mut pre = Vec::new();
    let bare = g.bare_prerelease && b.get(pos).is_some_and(|c| c.is_ascii_alphabetic());
    if b.get(pos) == Some(&b'-') || bare {
        if !bare {
            pos += 1;
        }
        for ident in identifiers(input, &mut pos, g.scheme, |c| c != b'+')? {
            pre.push(prerelease_identifier(input, ident, g)?);
        }
    }
    let mut build = Vec::new();
    if b.get(pos) == Some(&b'+') {
        pos += 1;
        for (_, text) in identifiers(input, &mut pos, g.scheme, |_| true)? {
            build.push(text.into());
        }
    }
    if pos != b.len() {
        return Err(VersionError::at(g.scheme, input, pos));
    }
    if short && !g.short_with_suffix && pos != suffix_at {
        return Err(err(suffix_at, ErrorReason::ShortWithSuffix));
    }
    Ok(SemverVersion {
        major,
        minor,
        patch,
        pre,
        build,
    })
}

/// Reads dot-separated identifiers of `[0-9A-Za-z-]` from `pos` while `more`
/// accepts the next byte; returns (offset, text) pairs.
fn identifiers<'a>(
    input: &'a str,
    pos: &mut usize,
    scheme: Scheme,
    more: impl Fn(u8) -> bool,
) -> Result<Vec<(usize, &'a str)>, VersionError> {
    let b = input.as_bytes();
    let mut out = Vec::new();
    loop {
        let start = *pos;
        while b.get(*pos).is_some_and(|&c| is_ident_byte(c)) {
            *pos += 1;
        }
        if *pos == start {
            let reason = match b.get(*pos) {
                Some(b'.') | Some(b'+') | None => ErrorReason::EmptyIdentifier,
                Some(_) => return Err(VersionError::at(scheme, input, *pos)),
            };
            return Err(VersionError::new(scheme, input, *pos, reason));
        }
        out.push((start, &input[start..*pos]));
        match b.get(*pos) {
            Some(b'.') => *pos += 1,
            Some(&c) if more(c) => return Err(VersionError::at(scheme, input, *pos)),
            _ => return Ok(out),
        }
    }
}

fn prerelease_identifier(
    input: &str,
    (at, text): (usize, &str),
    g: Grammar,
) -> Result<Identifier, VersionError> {
    if !text.bytes().all(|c| c.is_ascii_digit()) {
        return Ok(Identifier::AlphaNumeric(text.into()));
    }
    if !g.leading_zeros && text.len() > 1 && text.starts_with('0') {
        return Err(VersionError::new(
            g.scheme,
            input,
            at,
            ErrorReason::LeadingZero,
        ));
    }
    Ok(Identifier::Numeric(
        Number::from_digits(text).expect("an all-digit identifier"),
    ))
}

impl SemverVersion {
    /// Parses exactly the SemVer 2.0.0 grammar: `MAJOR.MINOR.PATCH`, no
    /// leading zeros in numbers or numeric prerelease identifiers, no prefix,
    /// no surrounding whitespace.
    pub fn parse_strict(s: &str) -> Result<Self, VersionError> {
        parse_core(s, 0, Grammar::STRICT)
    }

    /// Parses real-world version strings. On top of the strict grammar this
    /// accepts, as npm's loose mode and OSV data need:
    /// - surrounding whitespace, and a leading run of `=`, `v`, `V` and
    ///   whitespace (`v1.2.3`, `=1.2.3`, `= v1.2.3`);
    /// - missing minor or patch, read as zero (`1` = `1.0.0`, `1.2` = `1.2.0`),
    ///   also before a suffix (`1.2-beta`);
    /// - leading zeros in numbers and numeric identifiers, read by value
    ///   (`01.002.3` = `1.2.3`, `1.0.0-rc.01` = `1.0.0-rc.1`);
    /// - a prerelease that starts without `-` when it begins with a letter
    ///   (`1.2.3beta.1` = `1.2.3-beta.1`).
    ///
    /// Identifiers must still be non-empty and use only `[0-9A-Za-z-]`.
    pub fn parse_lenient(s: &str) -> Result<Self, VersionError> {
        let trimmed_end = s.trim_end();
        let start = trimmed_end.len()
            - trimmed_end
                .trim_start_matches(|c: char| c == '=' || c == 'v' || c == 'V' || c.is_whitespace())
                .len();
        if start == trimmed_end.len() {
            let reason = if trimmed_end.is_empty() {
                ErrorReason::Empty
            } else {
                ErrorReason::ExpectedNumber
            };
            return Err(VersionError::new(Scheme::Semver, s, start, reason));
        }
        // Parse the trimmed text, but report offsets into `s`.
        parse_core(trimmed_end, start, Grammar::LENIENT)
            .map_err(|e| VersionError::new(Scheme::Semver, s, e.offset(), e.reason().clone()))
    }

    /// The major version.
    pub fn major(&self) -> &Number {
        &self.major
    }
    /// The minor version.
    pub fn minor(&self) -> &Number {
        &self.minor
    }
    /// The patch version.
    pub fn patch(&self) -> &Number {
        &self.patch
    }
    /// Prerelease identifiers (empty for a release).
    pub fn pre(&self) -> &[Identifier] {
        &self.pre
    }
    /// Build metadata identifiers (ignored by ordering).
    pub fn build(&self) -> &[Box<str>] {
        &self.build
    }
    /// Whether the version has a prerelease part.
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }
}

impl Ord for SemverVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.major
            .cmp(&other.major)
            .then_with(|| self.minor.cmp(&other.minor))
            .then_with(|| self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                // Vec's order is lexicographic with a shorter prefix first,
                // exactly §11.4.4.
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl PartialOrd for SemverVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for SemverVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SemverVersion {}

impl Hash for SemverVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Everything `cmp` looks at, nothing else (build metadata is ignored).
        self.major.hash(state);
        self.minor.hash(state);
        self.patch.hash(state);
        self.pre.hash(state);
    }
}

impl FromStr for SemverVersion {
    type Err = VersionError;
    /// The lenient parse, see [`SemverVersion::parse_lenient`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_lenient(s)
    }
}

impl fmt::Display for SemverVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        for (i, id) in self.pre.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            id.fmt(f)?;
        }
        for (i, id) in self.build.iter().enumerate() {
            f.write_str(if i == 0 { "+" } else { "." })?;
            f.write_str(id)?;
        }
        Ok(())
    }
}
