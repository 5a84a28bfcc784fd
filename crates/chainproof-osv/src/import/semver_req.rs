//! Cargo version requirements (`>= 1.2.3, < 1.3.0`, `^0.4`) of RustSec `patched` /
//! `unaffected` lists, converted to OSV `[introduced, fixed)` ranges exactly as RustSec's own
//! OSV export does (`rustsec::osv::{unaffected_range, ranges_for_advisory}`): the lists are
//! unaffected intervals, their complement is the affected ranges, an exclusive bound `> v`
//! becomes the next SemVer version `v'` (`1.2.3` → `1.2.4-0`, `1.0.0-rc.1` → `1.0.0-rc.1.0`),
//! and an unbounded start is written `0.0.0-0`.

use std::cmp::Ordering;

use chainproof_version::SemverVersion;

/// A SemVer version as a requirement names it (missing minor/patch filled with 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct V {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
}

impl V {
    fn new(major: u64, minor: u64, patch: u64) -> V {
        V {
            major,
            minor,
            patch,
            pre: String::new(),
        }
    }

    fn with_pre0(mut self) -> V {
        self.pre = "0".into();
        self
    }

    fn parsed(&self) -> Option<SemverVersion> {
        SemverVersion::parse_strict(&self.to_string()).ok()
    }

    fn cmp(&self, other: &V) -> Ordering {
        match (self.parsed(), other.parsed()) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_string().cmp(&other.to_string()),
        }
    }

    /// The lowest version above `self` in SemVer precedence.
    fn increment(&self) -> V {
        let mut v = self.clone();
        if v.pre.is_empty() {
            v.patch = v.patch.saturating_add(1);
            v.pre = "0".into();
        } else {
            v.pre.push_str(".0");
        }
        v
    }
}

impl std::fmt::Display for V {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Bound {
    Unbounded,
    Exclusive(V),
    Inclusive(V),
}

impl Bound {
    fn version(&self) -> Option<&V> {
        match self {
            Bound::Unbounded => None,
            Bound::Exclusive(v) | Bound::Inclusive(v) => Some(v),
        }
    }

    /// `self` as a start bound is ≤ `end` as an end bound.
    fn less_or_equal(&self, end: &Bound) -> bool {
        match (self.version(), end.version()) {
            (None, _) | (_, None) => true,
            (Some(a), Some(b)) => match a.cmp(b) {
                Ordering::Less => true,
                Ordering::Equal => {
                    matches!((self, end), (Bound::Inclusive(_), Bound::Inclusive(_)))
                }
                Ordering::Greater => false,
            },
        }
    }
}

#[derive(Clone, Debug)]
struct Unaffected {
    start: Bound,
    end: Bound,
}

impl Unaffected {
    fn overlaps(&self, other: &Unaffected) -> bool {
        self.start.less_or_equal(&other.end) && other.start.less_or_equal(&self.end)
    }
}

/// A parsed comparator: op and the version parts as written.
struct Comparator {
    op: &'static str,
    major: u64,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: String,
}

impl Comparator {
    fn version(&self) -> V {
        V {
            major: self.major,
            minor: self.minor.unwrap_or(0),
            patch: self.patch.unwrap_or(0),
            pre: self.pre.clone(),
        }
    }
}

fn parse_comparator(s: &str) -> Result<Comparator, String> {
    let s = s.trim();
    let (op, rest) = [">=", "<=", ">", "<", "=", "~", "^"]
        .iter()
        .find_map(|op| s.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("^", s));
    let rest = rest.trim();
    let rest = rest.split_once('+').map_or(rest, |(v, _)| v);
    let (nums, pre) = rest.split_once('-').unwrap_or((rest, ""));
    let mut parts = nums.split('.');
    let num = |p: Option<&str>| -> Result<Option<u64>, String> {
        match p {
            None => Ok(None),
            Some(p) if p == "*" || p.eq_ignore_ascii_case("x") => Err(format!(
                "wildcard in version requirement {s:?} is not supported"
            )),
            Some(p) => p
                .parse::<u64>()
                .map(Some)
                .map_err(|_| format!("bad version requirement {s:?}")),
        }
    };
    let major = num(parts.next())?.ok_or_else(|| format!("empty version requirement {s:?}"))?;
    let minor = num(parts.next())?;
    let patch = num(parts.next())?;
    if parts.next().is_some() || (patch.is_none() && !pre.is_empty()) {
        return Err(format!("bad version requirement {s:?}"));
    }
    if !pre.is_empty()
        && !pre
            .split('.')
            .all(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    {
        return Err(format!("bad pre-release in version requirement {s:?}"));
    }
    Ok(Comparator {
        op,
        major,
        minor,
        patch,
        pre: pre.to_owned(),
    })
}

fn unaffected_range(req: &str) -> Result<Unaffected, String> {
    let comparators = req
        .split(',')
        .map(parse_comparator)
        .collect::<Result<Vec<_>, _>>()?;
    if comparators.len() > 2 {
        return Err(format!(
            "too many comparators in version requirement {req:?}"
        ));
    }
    let mut start = Bound::Unbounded;
    let mut end = Bound::Unbounded;
    let alone = comparators.len() == 1;
    for c in &comparators {
        match c.op {
            ">" | ">=" => {
                if start != Bound::Unbounded {
                    return Err(format!("more than one lower bound in {req:?}"));
                }
                start = if c.op == ">" {
                    Bound::Exclusive(c.version())
                } else {
                    Bound::Inclusive(c.version())
                };
            }
            "<" | "<=" => {
                if end != Bound::Unbounded {
                    return Err(format!("more than one upper bound in {req:?}"));
                }
                end = if c.op == "<" {
                    Bound::Exclusive(c.version())
                } else {
                    Bound::Inclusive(c.version())
                };
            }
            "=" => {
                if !alone {
                    return Err(format!(
                        "an exact version must be alone in its range: {req:?}"
                    ));
                }
                start = Bound::Inclusive(c.version());
                end = Bound::Inclusive(c.version());
            }
            "^" => {
                if !alone {
                    return Err(format!(
                        "a caret requirement must be alone in its range: {req:?}"
                    ));
                }
                let v = c.version();
                let end_v = if c.major == 0 {
                    match (c.minor, c.patch) {
                        (Some(0), Some(patch)) => V::new(0, 0, patch.saturating_add(1)),
                        (Some(minor), _) => V::new(0, minor.saturating_add(1), 0),
                        (None, _) => V::new(1, 0, 0),
                    }
                } else {
                    V::new(c.major.saturating_add(1), 0, 0)
                };
                start = Bound::Inclusive(v);
                end = Bound::Exclusive(end_v.with_pre0());
            }
            _ => {
                // "~"
                if !alone {
                    return Err(format!(
                        "a tilde requirement must be alone in its range: {req:?}"
                    ));
                }
                let end_v = match c.minor {
                    None => V::new(c.major.saturating_add(1), 0, 0),
                    Some(minor) => V::new(c.major, minor.saturating_add(1), 0),
                };
                start = Bound::Inclusive(c.version());
                end = Bound::Exclusive(end_v.with_pre0());
            }
        }
    }
    if !start.less_or_equal(&end) {
        return Err(format!("invalid range {req:?}: start must be <= end"));
    }
    Ok(Unaffected { start, end })
}

/// An affected `(introduced, fixed)` pair.
pub(crate) type AffectedRange = (Option<String>, Option<String>);

/// Affected `(introduced, fixed)` pairs for RustSec `unaffected` + `patched` requirement
/// lists, `introduced` `None` meaning "from the start" and `fixed` `None` "no fix".
pub(crate) fn affected_ranges(
    unaffected: &[String],
    patched: &[String],
) -> Result<Vec<AffectedRange>, String> {
    let mut ranges = unaffected
        .iter()
        .chain(patched)
        .map(|r| unaffected_range(r))
        .collect::<Result<Vec<_>, _>>()?;
    if ranges.is_empty() {
        return Ok(vec![(None, None)]);
    }
    for (i, a) in ranges.iter().enumerate() {
        for b in &ranges[i + 1..] {
            if a.overlaps(b) {
                return Err("overlapping version ranges in patched/unaffected".into());
            }
        }
    }
    ranges.sort_by(|a, b| match (a.start.version(), b.start.version()) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(y),
    });
    let mut out = Vec::new();
    match &ranges[0].start {
        Bound::Unbounded => {}
        Bound::Exclusive(v) => out.push((None, Some(v.increment().to_string()))),
        Bound::Inclusive(v) => out.push((None, Some(v.to_string()))),
    }
    for pair in ranges.windows(2) {
        let start = match &pair[0].end {
            Bound::Unbounded => return Err("unbounded range in the middle".into()),
            Bound::Exclusive(v) => v.clone(),
            Bound::Inclusive(v) => v.increment(),
        };
        let end = match &pair[1].start {
            Bound::Unbounded => return Err("unbounded range in the middle".into()),
            Bound::Exclusive(v) => v.increment(),
            Bound::Inclusive(v) => v.clone(),
        };
        out.push((Some(start.to_string()), Some(end.to_string())));
    }
    match &ranges[ranges.len() - 1].end {
        Bound::Unbounded => {}
        Bound::Exclusive(v) => out.push((Some(v.to_string()), None)),
        Bound::Inclusive(v) => out.push((Some(v.increment().to_string()), None)),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn pairs(r: Vec<(Option<String>, Option<String>)>) -> Vec<(String, String)> {
        r.into_iter()
            .map(|(a, b)| {
                (
                    a.unwrap_or_else(|| "-".into()),
                    b.unwrap_or_else(|| "-".into()),
                )
            })
            .collect()
    }

    #[test]
    fn template_example() {
        // EXAMPLE_ADVISORY.md: patched [">= 1.2.3, < 1.3.0", ">= 1.3.4"], unaffected ["<= 0.1.2"]
        let r =
            affected_ranges(&s(&["<= 0.1.2"]), &s(&[">= 1.2.3, < 1.3.0", ">= 1.3.4"])).expect("ok");
        assert_eq!(
            pairs(r),
            vec![
                ("0.1.3-0".into(), "1.2.3".into()),
                ("1.3.0".into(), "1.3.4".into())
            ]
        );
    }

    #[test]
    fn caret_tilde_and_exclusive() {
        let r = affected_ranges(&[], &s(&["^0.4.2", "> 1.27.0"])).expect("ok");
        assert_eq!(
            pairs(r),
            vec![
                ("-".into(), "0.4.2".into()),
                ("0.5.0-0".into(), "1.27.1-0".into())
            ]
        );
        let r = affected_ranges(&[], &s(&["~1.2"])).expect("ok");
        assert_eq!(
            pairs(r),
            vec![("-".into(), "1.2.0".into()), ("1.3.0-0".into(), "-".into())]
        );
        assert_eq!(
            pairs(affected_ranges(&[], &[]).expect("ok")),
            vec![("-".into(), "-".into())]
        );
        assert!(affected_ranges(&[], &s(&[">= 1.0", ">= 1.5"])).is_err());
        assert!(affected_ranges(&[], &s(&["*"])).is_err());
    }
}
