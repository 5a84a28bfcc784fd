//! Maven versions, ordered like `org.apache.maven.artifact.versioning.ComparableVersion`
//! (maven-artifact 3.8.7, the one Debian's `maven` ships; the rules are unchanged
//! through 3.9.9, Maven 4 reworks qualifier-number combinations).
//!
//! Maven accepts any string. It is lowercased and cut into items at `.`,
//! at `-` and at every switch between digits and letters. A `-`, a switch,
//! and a trailing `.qualifier` open a nested list, so a version is a chain
//! of lists where each list holds some items and, last, the next list
//! (`1.0-alpha-2` is `[1, 0, [alpha, [2]]]`). Trailing "null" items (`0`, the
//! release qualifiers `ga`/`final`/`release`, empty lists) are dropped from
//! each list, also before a nested list (`1.0-alpha` = `1-alpha`).
//!
//! Items compare as: numbers by value; known qualifiers in the order
//! `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp`,
//! unknown qualifiers after all known ones and among themselves by text;
//! `a1`/`b1`/`m1` (a single letter directly followed by a digit) mean
//! `alpha-1`/`beta-1`/`milestone-1`. Across kinds: number > list > qualifier,
//! and a missing item compares as null (`1.1 > 1`, `1-rc < 1`, `1-sp > 1`).
//!
//! Two quirks of 3.8.7 are kept: a number's width class (up to 9 significant
//! digits, up to 18, more) orders before its value, which matters only for
//! runs of ten or more zeros (`1.0000000000.1 > 1.5`), and only ASCII digits
//! are digits here (Java also takes other Unicode decimal digits; such input
//! is not seen in practice). The empty string, which Maven reads as `0`, is
//! rejected.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::Scheme;
use crate::error::{ErrorReason, VersionError};
use crate::num::Number;

/// One non-list item of a Maven version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Atom {
    /// A number with Maven's width class (0: `int`, 1: `long`, 2: `BigInteger`).
    Num(u8, Number),
    /// A lowercased qualifier after aliasing (`""` is the release qualifier).
    Str(Box<str>),
}

/// A Maven version: the normalized chain of item lists.
#[derive(Clone, Debug)]
pub struct MavenVersion {
    /// `lists[i + 1]` is the last item of `lists[i]`.
    lists: Vec<Vec<Atom>>,
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX: usize = 5;

/// Maven's `comparableQualifier`: known qualifiers by index, unknown ones
/// after them by text (Java compares the strings by UTF-16 code units).
fn qualifier_cmp(a: &str, b: &str) -> Ordering {
    let index = |q: &str| QUALIFIERS.iter().position(|k| *k == q);
    match (index(a), index(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.encode_utf16().cmp(b.encode_utf16()),
    }
}

impl Atom {
    fn is_null(&self) -> bool {
        match self {
            Atom::Num(_, n) => n.is_zero(),
            Atom::Str(s) => s.is_empty(),
        }
    }

    /// This item against a missing one.
    fn cmp_null(&self) -> Ordering {
        match self {
            Atom::Num(_, n) if n.is_zero() => Ordering::Equal,
            Atom::Num(..) => Ordering::Greater,
            Atom::Str(s) => match QUALIFIERS.iter().position(|k| *k == &**s) {
                Some(i) => i.cmp(&RELEASE_INDEX),
                None => Ordering::Greater,
            },
        }
    }

    fn cmp_atom(&self, other: &Atom) -> Ordering {
        match (self, other) {
            (Atom::Num(wa, a), Atom::Num(wb, b)) => wa.cmp(wb).then_with(|| a.cmp(b)),
            (Atom::Num(..), Atom::Str(_)) => Ordering::Greater,
            (Atom::Str(_), Atom::Num(..)) => Ordering::Less,
            (Atom::Str(a), Atom::Str(b)) => qualifier_cmp(a, b),
        }
    }

    /// This item against a (non-empty) list: numbers are greater, qualifiers less.
    fn cmp_list(&self) -> Ordering {
        match self {
            Atom::Num(..) => Ordering::Greater,
            Atom::Str(_) => Ordering::Less,
        }
    }
}

fn number(digits: &str) -> Atom {
    // Maven strips leading zeros but keeps an all-zero run whole, then picks
    // the item type by the remaining length.
    let stripped = match digits.trim_start_matches('0') {
        "" => digits,
        s => s,
    };
    let width = match stripped.len() {
        0..=9 => 0,
        10..=18 => 1,
        _ => 2,
    };
    Atom::Num(
        width,
        Number::from_digits(digits).expect("a non-empty run of ASCII digits"),
    )
}

fn qualifier(text: &str, followed_by_digit: bool) -> Atom {
    let text = match text {
        "a" if followed_by_digit => "alpha",
        "b" if followed_by_digit => "beta",
        "m" if followed_by_digit => "milestone",
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    Atom::Str(text.into())
}

fn item(is_digit: bool, text: &str) -> Atom {
    if is_digit {
        number(text)
    } else {
        qualifier(text, false)
    }
}

impl MavenVersion {
    /// Parses a Maven version. Every non-empty string is a version.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        if s.is_empty() {
            return Err(VersionError::new(Scheme::Maven, s, 0, ErrorReason::Empty));
        }
        let v = s.to_lowercase();
        let mut lists: Vec<Vec<Atom>> = vec![Vec::new()];
        let mut is_digit = false;
        let mut start = 0;
        for (i, c) in v.char_indices() {
            let list = lists.last_mut().expect("at least one list");
            if c == '.' || c == '-' {
                list.push(if i == start {
                    Atom::Num(0, Number::ZERO)
                } else {
                    item(is_digit, &v[start..i])
                });
                start = i + 1;
                if c == '-' {
                    lists.push(Vec::new());
                }
            } else if c.is_ascii_digit() {
                if !is_digit && i > start {
                    // `1.0.0.X1` < `1.0.0-X2`: a qualifier followed by a
                    // digit starts a list of its own.
                    if !list.is_empty() {
                        lists.push(Vec::new());
                    }
                    let list = lists.last_mut().expect("at least one list");
                    list.push(qualifier(&v[start..i], true));
                    start = i;
                    lists.push(Vec::new());
                }
                is_digit = true;
            } else {
                if is_digit && i > start {
                    list.push(number(&v[start..i]));
                    start = i;
                    lists.push(Vec::new());
                }
                is_digit = false;
            }
        }
        if v.len() > start {
            if !is_digit && !lists.last().expect("at least one list").is_empty() {
                lists.push(Vec::new());
            }
            let last = item(is_digit, &v[start..]);
            lists.last_mut().expect("at least one list").push(last);
        }
        // Normalize from the innermost list out: an empty nested list is
        // dropped, then null items at the end of the list (before its nested
        // list, if any) are dropped.
        for i in (0..lists.len()).rev() {
            if i + 2 == lists.len() && lists[i + 1].is_empty() {
                lists.truncate(i + 1);
            }
            let list = &mut lists[i];
            while list.last().is_some_and(Atom::is_null) {
                list.pop();
            }
        }
        Ok(MavenVersion { lists })
    }

    /// Compares the whole chain from `depth` on against a missing item.
    fn cmp_null_from(&self, depth: usize) -> Ordering {
        self.lists[depth..]
            .iter()
            .flatten()
            .map(Atom::cmp_null)
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

/// The `k`-th element of list `depth`: an item, the nested list, or nothing.
enum Elem<'a> {
    Atom(&'a Atom),
    List,
    None,
}

fn elem(v: &MavenVersion, depth: usize, k: usize) -> Elem<'_> {
    let list = &v.lists[depth];
    match list.get(k) {
        Some(a) => Elem::Atom(a),
        None if k == list.len() && depth + 1 < v.lists.len() => Elem::List,
        None => Elem::None,
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let mut depth = 0;
        let mut k = 0;
        loop {
            let result = match (elem(self, depth, k), elem(other, depth, k)) {
                (Elem::None, Elem::None) => return Ordering::Equal,
                (Elem::Atom(a), Elem::Atom(b)) => a.cmp_atom(b),
                (Elem::Atom(a), Elem::None) => a.cmp_null(),
                (Elem::None, Elem::Atom(b)) => b.cmp_null().reverse(),
                (Elem::Atom(a), Elem::List) => a.cmp_list(),
                (Elem::List, Elem::Atom(b)) => b.cmp_list().reverse(),
                (Elem::List, Elem::None) => return self.cmp_null_from(depth + 1),
                (Elem::None, Elem::List) => return other.cmp_null_from(depth + 1).reverse(),
                (Elem::List, Elem::List) => {
                    // The nested list is the last element of both lists, so
                    // its comparison decides.
                    depth += 1;
                    k = 0;
                    continue;
                }
            };
            if result.is_ne() {
                return result;
            }
            k += 1;
        }
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

impl Hash for MavenVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Normalized chains that compare equal are identical.
        self.lists.hash(state);
    }
}

impl FromStr for MavenVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for MavenVersion {
    /// A normalized spelling that parses back to an equal version: items
    /// joined by `.`, each nested list introduced by `-`, release qualifiers
    /// written `ga`, and `0` for the empty version.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lists.len() == 1 && self.lists[0].is_empty() {
            return f.write_str("0");
        }
        let last_depth = self.lists.len() - 1;
        for (depth, list) in self.lists.iter().enumerate() {
            if depth > 0 {
                f.write_str("-")?;
            }
            for (k, atom) in list.iter().enumerate() {
                if k > 0 {
                    f.write_str(".")?;
                }
                match atom {
                    Atom::Num(width, n) if n.is_zero() => {
                        // Keep the width class of a long run of zeros.
                        f.write_str(
                            ["0", "0000000000", "0000000000000000000"][usize::from(*width)],
                        )?
                    }
                    Atom::Num(_, n) => n.fmt(f)?,
                    Atom::Str(s) if s.is_empty() => f.write_str("ga")?,
                    Atom::Str(s) => f.write_str(s)?,
                }
            }
            // A qualifier after other items at the very end would open a
            // list of its own when read back; a trailing `.` prevents that.
            if depth == last_depth && list.len() > 1 && matches!(list.last(), Some(Atom::Str(_))) {
                f.write_str(".")?;
            }
        }
        Ok(())
    }
}
