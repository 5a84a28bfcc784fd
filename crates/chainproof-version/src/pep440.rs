//! PEP 440 versions, parsed and ordered exactly like Python's
//! `packaging.version.Version` (packaging 26).
//!
//! The parser is a hand-written equivalent of packaging's `VERSION_PATTERN`
//! (compiled with `re.VERBOSE | re.IGNORECASE`, possessive quantifiers,
//! surrounded by `\s*`): every optional part is taken greedily and never given
//! back, which is what the possessive pattern does. So:
//! - surrounding whitespace (Python's `str.isspace`) and a leading `v` are
//!   ignored; letters are case-insensitive (ASCII only);
//! - `N!` epoch, then a release `N(.N)*` of any length;
//! - pre-release: optional `.`/`-`/`_`, one of `alpha a beta b preview pre c
//!   rc`, optional separator, optional number (implicit 0);
//! - post-release: `-N`, or optional separator, `post`/`rev`/`r`, optional
//!   separator, optional number;
//! - dev release: optional separator, `dev`, optional separator, optional
//!   number;
//! - local version: `+` then alphanumeric segments separated by `.`, `-`, `_`.
//!
//! Ordering is packaging's `_cmpkey`: epoch; release with trailing zeros
//! ignored; then `X.devN` (no pre/post) < `aN` < `bN` < `rcN` < release; a
//! post-release above its base; a dev release below its base; finally no local
//! < local, local segments compared pairwise with numbers above strings,
//! strings in ASCII order, numbers by value, and a shorter prefix first.
//! Numbers have no size limit (packaging uses Python integers).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};
use crate::num::{Number, digit_run};

/// A PEP 440 version. `Display` gives packaging's normalized form
/// (`str(Version(s))`); equality is by order (`1.0 == 1.0.0`).
#[derive(Clone, Debug)]
pub struct Pep440Version {
    epoch: Number,
    release: Vec<Number>,
    pre: Option<(PreKind, Number)>,
    post: Option<Number>,
    dev: Option<Number>,
    local: Vec<LocalSegment>,
}

/// The kind of a pre-release, in ascending order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PreKind {
    /// `a` (also spelled `alpha`).
    Alpha,
    /// `b` (also spelled `beta`).
    Beta,
    /// `rc` (also spelled `c`, `pre`, `preview`).
    Rc,
}

impl PreKind {
    /// The normalized spelling: `a`, `b` or `rc`.
    pub fn as_str(self) -> &'static str {
        match self {
            PreKind::Alpha => "a",
            PreKind::Beta => "b",
            PreKind::Rc => "rc",
        }
    }
}

/// One segment of a local version label. The derived order is PEP 440's:
/// strings sort below numbers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LocalSegment {
    /// A segment with a letter, lowercased.
    Alpha(Box<str>),
    /// An all-digit segment, by value.
    Numeric(Number),
}

impl fmt::Display for LocalSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocalSegment::Alpha(s) => f.write_str(s),
            LocalSegment::Numeric(n) => n.fmt(f),
        }
    }
}

static ZERO: Number = Number::ZERO;

/// Labels in the order of the pattern's alternation (first match wins).
const PRE_LABELS: [(&str, PreKind); 8] = [
    ("alpha", PreKind::Alpha),
    ("a", PreKind::Alpha),
    ("beta", PreKind::Beta),
    ("b", PreKind::Beta),
    ("preview", PreKind::Rc),
    ("pre", PreKind::Rc),
    ("c", PreKind::Rc),
    ("rc", PreKind::Rc),
];
const POST_LABELS: [(&str, ()); 3] = [("post", ()), ("rev", ()), ("r", ())];
const DEV_LABELS: [(&str, ()); 1] = [("dev", ())];

/// Python's `str.isspace`, which is what `\s` matches in a `str` pattern.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn is_sep(b: Option<&u8>) -> bool {
    matches!(b, Some(b'.' | b'-' | b'_'))
}

fn label<T: Copy>(rest: &[u8], labels: &[(&str, T)]) -> Option<(usize, T)> {
    labels.iter().find_map(|&(word, value)| {
        let w = word.as_bytes();
        (rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w))
            .then_some((w.len(), value))
    })
}

/// A scanner over the input with whitespace already cut off the end.
struct Scanner<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }
    fn peek_at(&self, at: usize) -> Option<&'a u8> {
        self.bytes().get(at)
    }
    fn number_at(&self, at: usize) -> (usize, Number) {
        let len = digit_run(&self.bytes()[at.min(self.s.len())..]);
        if len == 0 {
            return (0, Number::ZERO);
        }
        let n = Number::from_digits(&self.s[at..at + len]).expect("a run of ASCII digits");
        (len, n)
    }

    /// `[._-]? LABEL [._-]? N?` at the cursor; moves past it on a match.
    fn lettered<T: Copy>(&mut self, labels: &[(&str, T)]) -> Option<(T, Number)> {
        let mut q = self.pos;
        if is_sep(self.peek_at(q)) {
            q += 1;
        }
        let (len, value) = label(&self.bytes()[q..], labels)?;
        q += len;
        if is_sep(self.peek_at(q)) {
            q += 1;
        }
        let (len, n) = self.number_at(q);
        self.pos = q + len;
        Some((value, n))
    }
}

impl Pep440Version {
    /// Parses `s` like `packaging.version.Version(s)`; an error is its
    /// `InvalidVersion`.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let err = |at: usize| VersionError::at(Scheme::Pep440, input, at);
        let start = input.len() - input.trim_start_matches(is_py_space).len();
        let end = input.trim_end_matches(is_py_space).len();
        if start >= end {
            return Err(VersionError::new(
                Scheme::Pep440,
                input,
                start,
                ErrorReason::Empty,
            ));
        }
        let mut sc = Scanner {
            s: &input[..end],
            pos: start,
        };
        if matches!(sc.peek_at(sc.pos), Some(b'v' | b'V')) {
            sc.pos += 1;
        }
        let expect_number = |sc: &mut Scanner<'_>| -> Result<Number, VersionError> {
            let (len, n) = sc.number_at(sc.pos);
            if len == 0 {
                return Err(match sc.peek_at(sc.pos) {
                    None => VersionError::new(
                        Scheme::Pep440,
                        input,
                        sc.pos,
                        ErrorReason::ExpectedNumber,
                    ),
                    Some(_) => err(sc.pos),
                });
            }
            sc.pos += len;
            Ok(n)
        };
        let mut epoch = Number::ZERO;
        let first = expect_number(&mut sc)?;
        let mut release = vec![first];
        if sc.peek_at(sc.pos) == Some(&b'!') {
            epoch = release.pop().expect("the first number was just pushed");
            sc.pos += 1;
            release.push(expect_number(&mut sc)?);
        }
        while sc.peek_at(sc.pos) == Some(&b'.')
            && sc.peek_at(sc.pos + 1).is_some_and(u8::is_ascii_digit)
        {
            sc.pos += 1;
            release.push(expect_number(&mut sc)?);
        }
        let pre = sc.lettered(&PRE_LABELS);
        let post = if sc.peek_at(sc.pos) == Some(&b'-')
            && sc.peek_at(sc.pos + 1).is_some_and(u8::is_ascii_digit)
        {
            sc.pos += 1;
            Some(expect_number(&mut sc)?)
        } else {
            sc.lettered(&POST_LABELS).map(|((), n)| n)
        };
        let dev = sc.lettered(&DEV_LABELS).map(|((), n)| n);
        let mut local = Vec::new();
        if sc.peek_at(sc.pos) == Some(&b'+') {
            sc.pos += 1;
            loop {
                let rest = &sc.bytes()[sc.pos..];
                let len = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                if len == 0 {
                    return Err(match rest.first() {
                        None => VersionError::new(
                            Scheme::Pep440,
                            input,
                            sc.pos,
                            ErrorReason::EmptyIdentifier,
                        ),
                        Some(_) => err(sc.pos),
                    });
                }
                let text = &sc.s[sc.pos..sc.pos + len];
                local.push(match Number::from_digits(text) {
                    Some(n) => LocalSegment::Numeric(n),
                    None => LocalSegment::Alpha(text.to_ascii_lowercase().into()),
                });
                sc.pos += len;
                if !is_sep(sc.peek_at(sc.pos)) {
                    break;
                }
                sc.pos += 1;
            }
        }
        if sc.pos != end {
            return Err(err(sc.pos));
        }
        Ok(Pep440Version {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    /// The epoch (0 when absent).
    pub fn epoch(&self) -> &Number {
        &self.epoch
    }
    /// The release segment as written (trailing zeros kept).
    pub fn release(&self) -> &[Number] {
        &self.release
    }
    /// The pre-release kind and number.
    pub fn pre(&self) -> Option<(PreKind, &Number)> {
        self.pre.as_ref().map(|(k, n)| (*k, n))
    }
    /// The post-release number.
    pub fn post(&self) -> Option<&Number> {
        self.post.as_ref()
    }
    /// The development release number.
    pub fn dev(&self) -> Option<&Number> {
        self.dev.as_ref()
    }
    /// The local version label segments (empty when there is none).
    pub fn local(&self) -> &[LocalSegment] {
        &self.local
    }
    /// packaging's `is_prerelease`: a pre-release or a dev release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }
    /// packaging's `public`: the normalized form without the local label.
    pub fn public(&self) -> String {
        let mut v = self.clone();
        v.local.clear();
        v.to_string()
    }

    fn trimmed_release(&self) -> &[Number] {
        let keep = self
            .release
            .iter()
            .rposition(|n| !n.is_zero())
            .map_or(0, |i| i + 1);
        &self.release[..keep]
    }

    /// packaging's `(pre_rank, pre_n, post_rank, post_n, dev_rank, dev_n)`.
    fn suffix_key(&self) -> (i8, &Number, u8, &Number, u8, &Number) {
        let (pre_rank, pre_n) = match (&self.pre, &self.post, &self.dev) {
            (None, None, Some(_)) => (-1, &ZERO),
            (None, _, _) => (3, &ZERO),
            (Some((kind, n)), _, _) => (*kind as i8, n),
        };
        let (post_rank, post_n) = self.post.as_ref().map_or((0, &ZERO), |n| (1, n));
        let (dev_rank, dev_n) = self.dev.as_ref().map_or((1, &ZERO), |n| (0, n));
        (pre_rank, pre_n, post_rank, post_n, dev_rank, dev_n)
    }
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.trimmed_release().cmp(other.trimmed_release()))
            .then_with(|| self.suffix_key().cmp(&other.suffix_key()))
            // An empty list (no local label) sorts first, as `None` does.
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl PartialOrd for Pep440Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pep440Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pep440Version {}

impl Hash for Pep440Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.epoch.hash(state);
        self.trimmed_release().hash(state);
        self.suffix_key().hash(state);
        self.local.hash(state);
    }
}

impl FromStr for Pep440Version {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.epoch.is_zero() {
            write!(f, "{}!", self.epoch)?;
        }
        for (i, n) in self.release.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            n.fmt(f)?;
        }
        if let Some((kind, n)) = &self.pre {
            write!(f, "{}{n}", kind.as_str())?;
        }
        if let Some(n) = &self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = &self.dev {
            write!(f, ".dev{n}")?;
        }
        for (i, seg) in self.local.iter().enumerate() {
            f.write_str(if i == 0 { "+" } else { "." })?;
            seg.fmt(f)?;
        }
        Ok(())
    }
}
