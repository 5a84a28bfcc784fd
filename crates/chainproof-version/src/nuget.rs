//! NuGet versions, parsed and ordered like `NuGet.Versioning` (`NuGetVersion`
//! with the default `VersionComparer`).
//!
//! A version is one to four numbers (`1`, `1.2`, `1.2.3`, `1.2.3.4`; leading
//! zeros allowed, each at most `2^31 - 1`, whitespace allowed around them),
//! then optional `-` release labels separated by `.` (letters, digits and
//! `-`; a numeric label has no leading zero) and optional `+` metadata.
//! Missing numbers are zero (`1.0 == 1.0.0.0`). Order: the four numbers;
//! then a version with labels is below one without; labels compare left to
//! right, those `int.TryParse` reads (`5`, `-1`) as integers and below the
//! others, which compare ASCII case-insensitively; fewer labels first when
//! one list prefixes the other. Metadata is ignored.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};

/// A NuGet version.
///
/// `Display` prints NuGet's normalized string: three numbers, the fourth
/// only when it is not zero, then labels and metadata as written.
#[derive(Clone, Debug)]
pub struct NuGetVersion {
    numbers: [u32; 4],
    labels: Vec<Box<str>>,
    metadata: Option<Box<str>>,
}

/// A label as the comparer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum LabelKey {
    Int(i32),
    Text(Box<str>),
}

fn label_key(label: &str) -> LabelKey {
    // Labels only hold `[A-Za-z0-9-]`, so `int.TryParse` accepts exactly an
    // optional `-` and digits within `i32`.
    match label.parse::<i32>() {
        Ok(n) if !label.starts_with('+') => LabelKey::Int(n),
        _ => LabelKey::Text(label.to_ascii_uppercase().into()),
    }
}

fn valid_part(s: &str, allow_leading_zeros: bool) -> bool {
    if s.is_empty() {
        return false;
    }
    if !allow_leading_zeros
        && s.len() > 1
        && s.starts_with('0')
        && s.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `TryGetNormalizedVersion`: up to four dot-separated numbers, whitespace
/// allowed around each.
fn numbers(s: &str) -> Option<[u32; 4]> {
    if s.chars().all(char::is_whitespace) {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = [0u32; 4];
    let mut pos = 0;
    for slot in &mut out {
        if pos == chars.len() {
            continue;
        }
        while pos < chars.len() && chars[pos].is_whitespace() {
            pos += 1;
        }
        let mut value: u64 = 0;
        let mut digit_found = false;
        let mut done = false;
        while pos < chars.len() {
            let c = chars[pos];
            if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
                digit_found = true;
                value = value * 10 + u64::from(d);
                if value > i32::MAX as u64 {
                    return None;
                }
            } else if c == '.' {
                pos += 1;
                if pos == chars.len() {
                    return None;
                }
                done = true;
                break;
            } else if c.is_whitespace() {
                break;
            } else {
                return None;
            }
            pos += 1;
        }
        if !digit_found {
            return None;
        }
        if pos == chars.len() {
            done = true;
        }
        if !done {
            while pos < chars.len() {
                let c = chars[pos];
                pos += 1;
                if c == '.' {
                    if pos == chars.len() {
                        return None;
                    }
                    break;
                } else if !c.is_whitespace() {
                    return None;
                }
            }
        }
        *slot = u32::try_from(value).expect("at most i32::MAX");
    }
    (pos == chars.len()).then_some(out)
}

impl NuGetVersion {
    /// Parses like `NuGetVersion.TryParse`.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let offset = s.len() - s.trim_start().len();
        let fail = |reason| Err(VersionError::new(Scheme::NuGet, s, offset, reason));
        let v = s.trim();
        if v.is_empty() {
            return fail(ErrorReason::Empty);
        }
        let (version, rest) = match v.find(['-', '+']) {
            Some(i) if i + 1 < v.len() => (&v[..i], Some(&v[i..])),
            _ => (v, None),
        };
        let Some(numbers) = numbers(version) else {
            return fail(ErrorReason::ExpectedNumber);
        };
        let (labels, metadata) = match rest {
            None => (None, None),
            Some(r) if r.starts_with('+') => (None, Some(&r[1..])),
            Some(r) => match r[1..].split_once('+') {
                Some((l, m)) => (Some(l), Some(m)),
                None => (Some(&r[1..]), None),
            },
        };
        let labels: Vec<Box<str>> = labels
            .map(|l| l.split('.').map(Into::into).collect())
            .unwrap_or_default();
        if !labels.iter().all(|l| valid_part(l, false))
            || metadata.is_some_and(|m| !m.split('.').all(|p| valid_part(p, true)))
        {
            return fail(ErrorReason::EmptyIdentifier);
        }
        Ok(NuGetVersion {
            numbers,
            labels,
            metadata: metadata.map(Into::into),
        })
    }

    /// Whether the version has release labels.
    pub fn is_prerelease(&self) -> bool {
        !self.labels.is_empty()
    }

    fn keys(&self) -> impl Iterator<Item = LabelKey> + '_ {
        self.labels.iter().map(|l| label_key(l))
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| {
            match (self.labels.is_empty(), other.labels.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.keys().cmp(other.keys()),
            }
        })
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for NuGetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for NuGetVersion {}

impl Hash for NuGetVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.numbers.hash(state);
        for key in self.keys() {
            key.hash(state);
        }
    }
}

impl FromStr for NuGetVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for NuGetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.numbers;
        write!(f, "{a}.{b}.{c}")?;
        if d != 0 {
            write!(f, ".{d}")?;
        }
        if !self.labels.is_empty() {
            write!(f, "-{}", self.labels.join("."))?;
        }
        if let Some(m) = &self.metadata {
            write!(f, "+{m}")?;
        }
        Ok(())
    }
}
