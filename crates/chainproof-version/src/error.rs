//! The error returned when a string is not a version of a scheme.

use crate::Scheme;

/// A string that is not a valid version in a [`Scheme`].
///
/// Carries the scheme, the rejected input and the byte offset in the input
/// where parsing failed, so callers can point at the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {scheme} version {input:?} at byte {offset}: {reason}")]
pub struct VersionError {
    scheme: Scheme,
    input: String,
    offset: usize,
    reason: ErrorReason,
}

/// Why a version string was rejected.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorReason {
    /// The input is empty (or only whitespace where the scheme trims it).
    #[error("empty version")]
    Empty,
    /// A number was expected here.
    #[error("expected a number")]
    ExpectedNumber,
    /// A number has a leading zero the scheme forbids.
    #[error("number with a leading zero")]
    LeadingZero,
    /// A dot-separated identifier is empty.
    #[error("empty identifier")]
    EmptyIdentifier,
    /// A character the grammar does not allow here.
    #[error("unexpected character {0:?}")]
    UnexpectedChar(char),
    /// The input ended where more was required.
    #[error("unexpected end of input")]
    UnexpectedEnd,
    /// A short form (`v1`, `v1.2`) followed by a prerelease or build suffix.
    #[error("a short version (missing minor or patch) cannot carry a suffix")]
    ShortWithSuffix,
    /// A number is larger than the scheme allows (a dpkg epoch above `i32::MAX`).
    #[error("number too large")]
    NumberTooLarge,
}

impl VersionError {
    pub(crate) fn new(scheme: Scheme, input: &str, offset: usize, reason: ErrorReason) -> Self {
        VersionError {
            scheme,
            input: input.to_owned(),
            offset,
            reason,
        }
    }

    /// Builds the error for `input` at byte `offset`, naming the character
    /// found there (or the end of input).
    pub(crate) fn at(scheme: Scheme, input: &str, offset: usize) -> Self {
        let reason = match input.get(offset..).and_then(|rest| rest.chars().next()) {
            Some(c) => ErrorReason::UnexpectedChar(c),
            None if input.is_empty() => ErrorReason::Empty,
            None => ErrorReason::UnexpectedEnd,
        };
        VersionError::new(scheme, input, offset, reason)
    }

    /// The scheme the input was parsed with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The rejected input, unchanged.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Byte offset in [`input`](Self::input) where parsing failed.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Why parsing failed.
    pub fn reason(&self) -> &ErrorReason {
        &self.reason
    }
}
