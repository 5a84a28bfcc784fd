//! Arbitrary-size non-negative integers, as version schemes need them.
//!
//! Version components are decimal digit strings of any length: SemVer, Go and
//! PEP 440 put no bound on them and real data holds 14-digit timestamps and
//! longer. [`Number`] keeps values that fit a `u64` inline and larger ones as
//! their canonical digit string, so comparison never overflows.

use std::cmp::Ordering;
use std::fmt;

/// A non-negative integer of unbounded size, compared numerically.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Number(Repr);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Repr {
    /// Any value that fits in a `u64`.
    Small(u64),
    /// Canonical digits (no leading zero) of a value larger than `u64::MAX`.
    Big(Box<str>),
}

impl Number {
    /// Zero.
    pub const ZERO: Number = Number(Repr::Small(0));

    /// Builds a number from ASCII decimal digits; leading zeros are ignored.
    ///
    /// Returns `None` when `digits` is empty or holds anything but `0-9`.
    pub fn from_digits(digits: &str) -> Option<Number> {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let trimmed = digits.trim_start_matches('0');
        if trimmed.is_empty() {
            return Some(Number::ZERO);
        }
        Some(match trimmed.parse::<u64>() {
            Ok(n) => Number(Repr::Small(n)),
            Err(_) => Number(Repr::Big(trimmed.into())),
        })
    }

    /// The value as a `u64`, when it fits.
    pub fn to_u64(&self) -> Option<u64> {
        match &self.0 {
            Repr::Small(n) => Some(*n),
            Repr::Big(_) => None,
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        matches!(self.0, Repr::Small(0))
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number(Repr::Small(n))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a.cmp(b),
            (Repr::Small(_), Repr::Big(_)) => Ordering::Less,
            (Repr::Big(_), Repr::Small(_)) => Ordering::Greater,
            // Canonical digit strings: the longer one is larger, equal lengths
            // compare digit by digit.
            (Repr::Big(a), Repr::Big(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small(n) => write!(f, "{n}"),
            Repr::Big(s) => f.write_str(s),
        }
    }
}

/// Length of the run of ASCII digits at the start of `s`.
pub(crate) fn digit_run(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::from_digits(s).expect("digits")
    }

    #[test]
    fn leading_zeros_are_ignored() {
        assert_eq!(n("007"), n("7"));
        assert_eq!(n("000"), Number::ZERO);
        assert_eq!(n("0000000000000000000000000000001").to_string(), "1");
    }

    #[test]
    fn big_values_compare_without_overflow() {
        let max = n("18446744073709551615");
        let above = n("18446744073709551616");
        let huge = n("99999999999999999999999999999999999");
        assert_eq!(max.to_u64(), Some(u64::MAX));
        assert_eq!(above.to_u64(), None);
        assert!(max < above);
        assert!(above < huge);
        assert!(n("20000000000000000000") > n("19999999999999999999"));
        assert_eq!(n("000018446744073709551616"), above);
        assert_eq!(above.to_string(), "18446744073709551616");
    }

    #[test]
    fn rejects_non_digits() {
        assert_eq!(Number::from_digits(""), None);
        assert_eq!(Number::from_digits("1a"), None);
        assert_eq!(Number::from_digits("-1"), None);
        assert_eq!(Number::from_digits("١"), None);
    }
}
