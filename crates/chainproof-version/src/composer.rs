//! Packagist versions, normalized and ordered like Composer.
//!
//! Composer first normalizes a version (`composer/semver`
//! `VersionParser::normalize`, 3.3): surrounding whitespace, an `as` alias
//! and a `@stability` flag are dropped, build metadata (`+…`) is dropped,
//! then either the classical form `v?N(.N)?(.N)?(.N)?` (padded to four
//! numbers) or a date form (`2010-01-02`, `20100102.1`) is read, followed by
//! an optional stability (`stable`, `beta`/`b`, `RC`, `alpha`/`a`,
//! `patch`/`pl`/`p`) with numbers, and an optional `dev`: `1.0-b2` becomes
//! `1.0.0.0-beta2`, `v2.1.x-dev` becomes `2.1.9999999.9999999-dev`.
//! Branch names (`dev-master`, `master`) are not versions Composer orders;
//! they are rejected here.
//!
//! Normalized versions are then ordered by PHP's `version_compare` (as
//! Composer's `Constraint::versionCompare` does): cut at `.`, `-`, `_`, `+`
//! and digit/letter switches; numbers compare by value (saturating at
//! `i64::MAX`, like PHP's `strtol`), words by their prefix class
//! `dev < alpha = a < beta = b < RC = rc < number < pl = p` with any other word
//! below `dev`; when one version runs out, the other's next part decides
//! (a number or `patch` makes it greater, `dev`/`alpha`/`beta`/`RC` lower).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};
use crate::num::Number;

/// A Packagist (Composer) version.
///
/// `Display` prints Composer's normalized form (`1.0.0.0-beta2`); date
/// versions print with `-` between their numbers so that they read back as
/// dates.
#[derive(Clone, Debug)]
pub struct ComposerVersion {
    normalized: Box<str>,
    /// Whether `normalized` came from the date form.
    date: bool,
    key: Vec<Part>,
}

/// A part of the canonical form: its class (`version_compare`'s special
/// form order, numbers are 4) and, for numbers, the value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Part(i8, Number);

const NUMBER_CLASS: i8 = 4;

/// PHP `trim`'s default set.
fn is_php_trim(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\x0b')
}

/// PCRE `\s`.
fn is_pcre_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// The captures of Composer's modifier regex
/// `[._-]?(?:(STABILITY)((?:[.-]?\d+)*+)?)?([.-]?dev)?$` (case-insensitive).
struct Modifier<'a> {
    stability: Option<(&'a str, &'a str)>,
    dev: bool,
}

const STABILITIES: [&str; 9] = [
    "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p",
];

fn modifier(rest: &str) -> Option<Modifier<'_>> {
    let dev_tail = |s: &str| -> Option<bool> {
        if s.is_empty() {
            return Some(false);
        }
        let s = s.strip_prefix(['.', '-']).unwrap_or(s);
        s.eq_ignore_ascii_case("dev").then_some(true)
    };
    let seps: &[bool] = if rest.starts_with(['.', '_', '-']) {
        &[true, false]
    } else {
        &[false]
    };
    for &sep in seps {
        let s = if sep { &rest[1..] } else { rest };
        for word in STABILITIES {
            let Some(after) = strip_prefix_ci(s, word) else {
                continue;
            };
            // The possessive `(?:[.-]?\d+)*+`.
            let mut end = 0;
            loop {
                let t = &after[end..];
                let skip = usize::from(t.starts_with(['.', '-']));
                let n = digits(&t[skip..]);
                if n == 0 {
                    break;
                }
                end += skip + n;
            }
            if let Some(dev) = dev_tail(&after[end..]) {
                return Some(Modifier {
                    stability: Some((&s[..word.len()], &after[..end])),
                    dev,
                });
            }
        }
        if let Some(dev) = dev_tail(s) {
            return Some(Modifier {
                stability: None,
                dev,
            });
        }
    }
    None
}

fn expand_stability(word: &str) -> String {
    match word.to_ascii_lowercase().as_str() {
        "a" => "alpha".into(),
        "b" => "beta".into(),
        "p" | "pl" => "patch".into(),
        "rc" => "RC".into(),
        other => other.into(),
    }
}

/// Appends the stability and dev suffixes as `normalize` does; `None` for
/// an exact `stable`, which ends the version.
fn with_modifier(mut version: String, m: &Modifier<'_>) -> String {
    if let Some((word, nums)) = m.stability {
        if word == "stable" {
            return version;
        }
        version.push('-');
        version.push_str(&expand_stability(word));
        version.push_str(nums.trim_start_matches(['.', '-']));
    }
    if m.dev {
        version.push_str("-dev");
    }
    version
}

fn strip_v(s: &str) -> &str {
    s.strip_prefix(['v', 'V']).unwrap_or(s)
}

/// `^v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)?MODIFIER$`
fn classical(s: &str) -> Option<String> {
    let s = strip_v(s);
    let n = digits(s);
    if n == 0 || n > 5 {
        return None;
    }
    let mut version = s[..n].to_owned();
    let mut pos = n;
    let mut parts = 1;
    while parts < 4 && s[pos..].starts_with('.') && digits(&s[pos + 1..]) > 0 {
        let len = 1 + digits(&s[pos + 1..]);
        version.push_str(&s[pos..pos + len]);
        pos += len;
        parts += 1;
    }
    for _ in parts..4 {
        version.push_str(".0");
    }
    Some(with_modifier(version, &modifier(&s[pos..])?))
}

/// `^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?)MODIFIER$`, trying the
/// ways to split the date in the regex's (greedy, backtracking) order.
fn date(s: &str) -> Option<String> {
    fn groups<'a>(s: &'a str, pos: usize, count: usize) -> Option<(usize, Modifier<'a>)> {
        let b = s.as_bytes();
        if count < 6 {
            let sep = usize::from(b.get(pos).is_some_and(|c| b".:-".contains(c)));
            for skip in if sep == 1 { vec![1, 0] } else { vec![0] } {
                if digits(&s[pos + skip..]) >= 2
                    && let Some(found) = groups(s, pos + skip + 2, count + 1)
                {
                    return Some(found);
                }
            }
        }
        if count == 0 {
            return None;
        }
        let sep = usize::from(b.get(pos).is_some_and(|c| b".:-".contains(c)));
        for skip in if sep == 1 { vec![1, 0] } else { vec![0] } {
            let available = digits(&s[pos + skip..]).min(3);
            for len in (1..=available).rev() {
                let end = pos + skip + len;
                if let Some(m) = modifier(&s[end..]) {
                    return Some((end, m));
                }
            }
        }
        modifier(&s[pos..]).map(|m| (pos, m))
    }
    let s = strip_v(s);
    if digits(s) < 4 {
        return None;
    }
    let (end, m) = groups(s, 4, 0)?;
    let version: String = s[..end]
        .chars()
        .map(|c| if c.is_ascii_digit() { c } else { '.' })
        .collect();
    Some(with_modifier(version, &m))
}

/// `normalizeBranch` for a `…-dev` version: numbers or `x`/`X`/`*` wildcards.
fn branch(name: &str) -> Option<String> {
    let name = strip_v(name.trim_matches(is_php_trim));
    let n = digits(name);
    if n == 0 {
        return None;
    }
    let mut version = name[..n].to_owned();
    let mut rest = &name[n..];
    let mut parts = 1;
    while parts < 4 && rest.starts_with('.') {
        let t = &rest[1..];
        let len = match t.as_bytes().first() {
            Some(b'x' | b'X' | b'*') => 1,
            _ => digits(t),
        };
        if len == 0 {
            break;
        }
        let piece = &t[..len];
        version.push('.');
        version.push_str(if len == 1 && !piece.as_bytes()[0].is_ascii_digit() {
            "9999999"
        } else {
            piece
        });
        rest = &t[len..];
        parts += 1;
    }
    if !rest.is_empty() {
        return None;
    }
    for _ in parts..4 {
        version.push_str(".9999999");
    }
    version.push_str("-dev");
    Some(version)
}

/// `VersionParser::normalize`; `Err(offset)` when it throws or the result is
/// a branch.
fn normalize(input: &str) -> Result<(String, bool), ErrorReason> {
    let mut v = input.trim_matches(is_php_trim);
    if v.is_empty() {
        return Err(ErrorReason::Empty);
    }
    // `^([^,\s]++) ++as ++([^,\s]++)$`
    if let Some((left, right)) = v.split_once(' ') {
        let after = right.trim_start_matches(' ');
        let ok_word = |w: &str| !w.is_empty() && !w.contains(|c| c == ',' || is_pcre_space(c));
        if let Some(alias) = after.strip_prefix("as ") {
            let alias = alias.trim_start_matches(' ');
            if ok_word(left) && ok_word(alias) {
                v = left;
            }
        }
    }
    // `@(?:stable|RC|beta|alpha|dev)$`
    if let Some(at) = v.rfind('@') {
        let flag = &v[at + 1..];
        if ["stable", "RC", "beta", "alpha", "dev"]
            .iter()
            .any(|f| f.eq_ignore_ascii_case(flag))
        {
            v = &v[..at];
        }
    }
    let branch_err = Err(ErrorReason::UnexpectedChar('d'));
    if ["master", "trunk", "default"].contains(&v) || strip_prefix_ci(v, "dev-").is_some() {
        return branch_err;
    }
    // `^([^,\s+]++)\+[^\s]++$`
    if let Some((head, build)) = v.split_once('+')
        && !head.is_empty()
        && !head.contains(|c| c == ',' || is_pcre_space(c))
        && !build.is_empty()
        && !build.contains(is_pcre_space)
    {
        v = head;
    }
    if let Some(n) = classical(v) {
        return Ok((n, false));
    }
    if let Some(n) = date(v) {
        return Ok((n, true));
    }
    // `(.*?)[.-]?dev$` (case-insensitive, `.` stops at a newline).
    let line = v.rsplit('\n').next().unwrap_or(v);
    let split = line.len().saturating_sub(3);
    if let (Some(head), Some(tail)) = (line.get(..split), line.get(split..))
        && tail.eq_ignore_ascii_case("dev")
    {
        // The lazy group leaves the separator, if any, outside the name;
        // a name normalizeBranch does not take is not retried.
        let name = head.strip_suffix(['.', '-']).unwrap_or(head);
        if let Some(n) = branch(name) {
            return Ok((n, false));
        }
    }
    Err(ErrorReason::UnexpectedChar(v.chars().next().unwrap_or(' ')))
}

/// The class of a word in `version_compare`: prefix matches, in PHP's order.
fn word_class(word: &str) -> i8 {
    const FORMS: [(&str, i8); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", 4),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| word.starts_with(name))
        .map_or(-1, |&(_, class)| class)
}

/// PHP's canonical parts of a normalized version.
fn key(normalized: &str) -> Vec<Part> {
    let max = Number::from(i64::MAX as u64);
    let mut parts = Vec::new();
    let b = normalized.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let len = digits(&normalized[i..]);
            let n = Number::from_digits(&normalized[i..i + len]).expect("ASCII digits");
            parts.push(Part(NUMBER_CLASS, n.min(max.clone())));
            i += len;
        } else if c.is_ascii_alphanumeric() {
            let len = normalized[i..]
                .bytes()
                .take_while(u8::is_ascii_alphabetic)
                .count();
            parts.push(Part(word_class(&normalized[i..i + len]), Number::ZERO));
            i += len;
        } else {
            i += 1;
        }
    }
    parts
}

impl ComposerVersion {
    /// Normalizes `s` like Composer; branch names are rejected.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        match normalize(s) {
            Ok((normalized, date)) => Ok(ComposerVersion {
                key: key(&normalized),
                normalized: normalized.into(),
                date,
            }),
            Err(reason) => {
                let offset = s.len() - s.trim_start_matches(is_php_trim).len();
                Err(VersionError::new(Scheme::Composer, s, offset, reason))
            }
        }
    }

    /// Composer's normalized form (`1.0.0.0-beta2`).
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        // When one side runs out, the other's next part is compared with a
        // number class that sorts below every number.
        fn end(p: Option<&Part>) -> (i8, Option<&Number>) {
            match p {
                None => (NUMBER_CLASS, None),
                Some(Part(class, n)) => (*class, Some(n)),
            }
        }
        let len = self.key.len().max(other.key.len());
        (0..len)
            .map(|i| end(self.key.get(i)).cmp(&end(other.key.get(i))))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ComposerVersion {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for ComposerVersion {}

impl Hash for ComposerVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl FromStr for ComposerVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for ComposerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `-stable` only survives normalization when spelled with capitals.
        let text = self.normalized.replacen("-stable", "-Stable", 1);
        if !self.date {
            return f.write_str(&text);
        }
        // Date numbers joined by `-` so that they are not read as classical.
        let split = text
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(text.len());
        let (numbers, rest) = text.split_at(split);
        write!(f, "{}{rest}", numbers.replace('.', "-"))
    }
}
