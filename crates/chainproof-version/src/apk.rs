//! Alpine (apk) package versions, validated and ordered exactly like
//! apk-tools' `apk_version_validate` and `apk_version_compare` (apk-tools 3).
//!
//! Grammar: `N{.N}...{letter}{_suffix{N}}...{~hash}{-rN}` where
//! - the first number is compared numerically;
//! - later `.N` components compare numerically, except when either side
//!   starts with `0`: then both compare as strings (`1.01 < 1.1`,
//!   `1.0 < 1.00`), as in Gentoo;
//! - one lowercase letter may follow the numbers (`1.2a`);
//! - suffixes are `_alpha`, `_beta`, `_pre`, `_rc` (pre-releases, sorting
//!   below the bare version, in this order), then `_cvs`, `_svn`, `_git`,
//!   `_hg`, `_p` (sorting above it), each with an optional number;
//! - `~hash` is a lowercase hex commit id, compared as a string;
//! - `-rN` is the package revision.
//!
//! Where two versions first differ in the kind of component, a pre-release
//! suffix is lowest, then the end of the version, then `-r`, `~hash`, a
//! suffix number, another suffix, a letter and finally a `.N` component
//! (`1.2_rc1 < 1.2 < 1.2-r1 < 1.2_p1 < 1.2a < 1.2.1`).
//!
//! apk compares invalid versions too (up to the first bad character); we
//! reject them, which is what `apk_version_validate` says. apk reads numbers
//! into a `u64` that silently wraps; ours have no size limit.
//!
//! apk-tools 2.x (Alpine up to 3.22) agrees except for components with
//! leading zeros, which it splits differently, and `~hash`, which it lacks.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};
use crate::num::{Number, digit_run};

/// An Alpine package version. `Display` gives the input unchanged; equality
/// and hashing follow the order (`01.2 == 1.2`, `1.2-r0 != 1.2`).
#[derive(Clone, Debug)]
pub struct ApkVersion {
    text: Box<str>,
    tokens: Vec<Token>,
}

/// A `.N` component: a number, or a digit string when it starts with `0`.
/// All of the latter sort below all of the former, as strings would.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Digits {
    Zero(Box<str>),
    Number(Number),
}

/// One component. The derived order is apk's: the variant order is the
/// order between components of different kinds at the first difference.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Token {
    PreSuffix(Suffix),
    End,
    Revision(Number),
    CommitHash(Box<str>),
    SuffixNumber(Number),
    PostSuffix(Suffix),
    Letter(u8),
    Digits(Digits),
    Initial(Number),
}

/// A `_suffix`, in apk's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Suffix {
    Alpha,
    Beta,
    Pre,
    Rc,
    Cvs,
    Svn,
    Git,
    Hg,
    P,
}

impl Suffix {
    fn from_name(name: &str) -> Option<Suffix> {
        Some(match name {
            "alpha" => Suffix::Alpha,
            "beta" => Suffix::Beta,
            "pre" => Suffix::Pre,
            "rc" => Suffix::Rc,
            "cvs" => Suffix::Cvs,
            "svn" => Suffix::Svn,
            "git" => Suffix::Git,
            "hg" => Suffix::Hg,
            "p" => Suffix::P,
            _ => return None,
        })
    }

    fn is_pre(self) -> bool {
        self <= Suffix::Rc
    }
}

/// Where the tokenizer is, as apk's `token_next` uses it to decide which
/// token may follow (apk's `TOKEN_*` order).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum State {
    Digit,
    Letter,
    Suffix,
    SuffixNumber,
    CommitHash,
    Revision,
}

fn number(s: &str) -> Number {
    Number::from_digits(s).expect("a non-empty run of ASCII digits")
}

impl ApkVersion {
    /// Parses a version that `apk_version_validate` accepts.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let b = input.as_bytes();
        let bad = |at: usize| VersionError::at(Scheme::Apk, input, at);
        let first = digit_run(b);
        if first == 0 {
            return Err(if b.is_empty() {
                VersionError::new(Scheme::Apk, input, 0, ErrorReason::Empty)
            } else {
                VersionError::new(Scheme::Apk, input, 0, ErrorReason::ExpectedNumber)
            });
        }
        let mut tokens = vec![Token::Initial(number(&input[..first]))];
        let mut state = State::Digit;
        let mut i = first;
        while i < b.len() {
            match b[i] {
                b'a'..=b'z' if state <= State::Digit => {
                    tokens.push(Token::Letter(b[i]));
                    state = State::Letter;
                    i += 1;
                }
                b'.' if state <= State::Digit => {
                    let len = digit_run(&b[i + 1..]);
                    if len == 0 {
                        return Err(bad(i + 1));
                    }
                    let digits = &input[i + 1..i + 1 + len];
                    tokens.push(Token::Digits(if digits.starts_with('0') {
                        Digits::Zero(digits.into())
                    } else {
                        Digits::Number(number(digits))
                    }));
                    i += 1 + len;
                }
                b'0'..=b'9' if state == State::Suffix => {
                    let len = digit_run(&b[i..]);
                    tokens.push(Token::SuffixNumber(number(&input[i..i + len])));
                    state = State::SuffixNumber;
                    i += len;
                }
                b'_' if state <= State::SuffixNumber => {
                    let len = b[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_lowercase())
                        .count();
                    let suffix =
                        Suffix::from_name(&input[i + 1..i + 1 + len]).ok_or_else(|| {
                            VersionError::new(
                                Scheme::Apk,
                                input,
                                i + 1,
                                ErrorReason::EmptyIdentifier,
                            )
                        })?;
                    tokens.push(if suffix.is_pre() {
                        Token::PreSuffix(suffix)
                    } else {
                        Token::PostSuffix(suffix)
                    });
                    state = State::Suffix;
                    i += 1 + len;
                }
                b'~' if state < State::CommitHash => {
                    let len = b[i + 1..]
                        .iter()
                        .take_while(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
                        .count();
                    if len == 0 {
                        return Err(bad(i + 1));
                    }
                    tokens.push(Token::CommitHash(input[i + 1..i + 1 + len].into()));
                    state = State::CommitHash;
                    i += 1 + len;
                }
                b'-' if state < State::Revision => {
                    if b.get(i + 1) != Some(&b'r') {
                        return Err(bad(i + 1));
                    }
                    let len = digit_run(&b[i + 2..]);
                    if len == 0 {
                        return Err(bad(i + 2));
                    }
                    tokens.push(Token::Revision(number(&input[i + 2..i + 2 + len])));
                    state = State::Revision;
                    i += 2 + len;
                }
                _ => return Err(bad(i)),
            }
        }
        tokens.push(Token::End);
        Ok(ApkVersion {
            text: input.into(),
            tokens,
        })
    }
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.tokens.cmp(&other.tokens)
    }
}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.tokens == other.tokens
    }
}

impl Eq for ApkVersion {}

impl Hash for ApkVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.tokens.hash(state);
    }
}

impl FromStr for ApkVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for ApkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> ApkVersion {
        ApkVersion::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn validity() {
        for ok in [
            "1",
            "1.2.3",
            "1.2a",
            "1.2_rc1_p2",
            "1.2_alpha",
            "1.0~ab12-r3",
            "1-r0",
            "01",
        ] {
            assert!(ApkVersion::parse(ok).is_ok(), "{ok:?}");
        }
        for bad in [
            "", "a", "1.", "1..2", "1ab", "1a.2", "1a1", "1_foo", "1_", "1_rc.1", "1~", "1~A",
            "1-r", "1-1", "1-r1-r2", "1-r1_p", "1~a_p", "1 ", "1.2-r1a", "1_p1a",
        ] {
            assert!(ApkVersion::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn order_examples() {
        let ordered = [
            "1.2_alpha",
            "1.2_alpha1",
            "1.2_beta",
            "1.2_pre2",
            "1.2_rc1",
            "1.2",
            "1.2-r1",
            "1.2~abc",
            "1.2_cvs",
            "1.2_p1",
            "1.2a",
            "1.2b",
            "1.2.0",
            "1.2.01",
            "1.2.1",
            "1.10",
        ];
        for w in ordered.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("01.2"), v("1.2"));
        assert!(v("1.0") < v("1.00"));
        assert!(v("1.05") < v("1.5"));
        assert!(v("1.5") < v("1.10"));
        assert!(v("1.2-r0") > v("1.2"));
    }
}
