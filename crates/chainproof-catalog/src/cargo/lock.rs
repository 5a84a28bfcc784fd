//! The raw `Cargo.lock` model (all format versions) and the resolution of dependency
//! strings to packages.
//!
//! Format history, as written by Cargo:
//! * **v1** (no `version` key): dependencies are always `name version (source)` (or
//!   `name version` for path packages); checksums live in `[metadata]` under keys
//!   `checksum <name> <version> (<source>)`. The oldest files put the first workspace member
//!   in a `[root]` table instead of `[[package]]`.
//! * **v2** (no `version` key either): `checksum` moves into each `[[package]]`; dependency
//!   strings become minimal: `name` when only one package has that name, `name version` when
//!   that is unique, else `name version (source)`. The source in a dependency string omits
//!   the `#<commit>` fragment of git sources.
//! * **v3** (`version = 3`): same layout as v2.
//! * **v4** (`version = 4`): git source URLs percent-encode their `?branch=`/`?tag=`/`?rev=`
//!   values.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

/// The whole file, as serde sees it. Unknown keys (`[patch]`, future additions) are ignored.
#[derive(Debug, Deserialize)]
pub(super) struct RawLock {
    pub version: Option<Spanned<i64>>,
    #[serde(default)]
    pub package: Vec<Spanned<RawPackage>>,
    /// Very old v1 files: the first workspace member.
    pub root: Option<Spanned<RawPackage>>,
    /// v1: `"checksum <name> <version> (<source>)" = "<hex>"`; other keys are ignored.
    #[serde(default)]
    pub metadata: BTreeMap<String, Spanned<toml::Value>>,
}

/// One `[[package]]` entry.
#[derive(Debug, Deserialize)]
pub(super) struct RawPackage {
    pub name: Spanned<String>,
    pub version: Spanned<String>,
    pub source: Option<Spanned<String>>,
    pub checksum: Option<Spanned<String>>,
    #[serde(default)]
    pub dependencies: Vec<Spanned<String>>,
}

/// A parsed dependency string: `name`, `name version` or `name version (source)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DepId<'a> {
    pub name: &'a str,
    pub version: Option<&'a str>,
    pub source: Option<&'a str>,
}

impl<'a> DepId<'a> {
    /// Parses a dependency string; `None` if it does not have one of the three forms.
    pub fn parse(s: &'a str) -> Option<DepId<'a>> {
        let s = s.trim();
        let (head, source) = match s.find(" (") {
            Some(i) => {
                let src = s[i + 2..].strip_suffix(')')?;
                if src.is_empty() {
                    return None;
                }
                (&s[..i], Some(src))
            }
            None => (s, None),
        };
        let mut parts = head.split(' ');
        let name = parts.next().filter(|n| !n.is_empty())?;
        let version = match parts.next() {
            Some(v) if !v.is_empty() => Some(v),
            Some(_) => return None,
            None => None,
        };
        if parts.next().is_some() || (source.is_some() && version.is_none()) {
            return None;
        }
        Some(DepId {
            name,
            version,
            source,
        })
    }
}

/// What a dependency string resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Resolution {
    One(usize),
    None,
    Ambiguous,
}

/// Finds packages (by index into the entry list) from dependency strings.
pub(super) struct Resolver<'a> {
    by_name: HashMap<&'a str, Vec<usize>>,
    entries: Vec<(&'a str, &'a str, Option<&'a str>)>,
}

impl<'a> Resolver<'a> {
    /// `entries` are `(name, version, source)` in file order.
    pub fn new(entries: Vec<(&'a str, &'a str, Option<&'a str>)>) -> Self {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (name, _, _)) in entries.iter().enumerate() {
            by_name.entry(name).or_default().push(i);
        }
        Resolver { by_name, entries }
    }

    pub fn resolve(&self, dep: &DepId<'_>) -> Resolution {
        let Some(candidates) = self.by_name.get(dep.name) else {
            return Resolution::None;
        };
        let mut found: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                let (_, version, source) = self.entries[i];
                dep.version.is_none_or(|v| v == version)
                    && match (dep.source, source) {
                        (Some(d), Some(p)) => source_matches(d, p),
                        (Some(_), None) => false,
                        (None, _) => true,
                    }
            })
            .collect();
        // Without a source, several packages may match. Cargo itself then takes the only
        // path package (path packages never carry a source, in any format version); failing
        // that, like the `cargo-lock` crate, we take the only crates.io one (hand-written
        // files name the default registry's crate without a source).
        if found.len() > 1 && dep.source.is_none() {
            for keep in [
                (|s: Option<&str>| s.is_none()) as fn(Option<&str>) -> bool,
                |s| s.is_some_and(|s| super::CRATES_IO.contains(&s)),
            ] {
                let narrowed: Vec<usize> = found
                    .iter()
                    .copied()
                    .filter(|&i| keep(self.entries[i].2))
                    .collect();
                if narrowed.len() == 1 {
                    found = narrowed;
                    break;
                }
            }
        }
        match found.as_slice() {
            [one] => Resolution::One(*one),
            [] => Resolution::None,
            _ => Resolution::Ambiguous,
        }
    }
}

/// Whether the source written in a dependency string names a package's source: equal, or
/// equal once the package's `#<commit>` fragment is dropped, or equal after percent-decoding
/// (v4 encodes git query values, older versions did not).
pub(super) fn source_matches(dep: &str, pkg: &str) -> bool {
    if dep == pkg {
        return true;
    }
    let base = strip_fragment(pkg);
    dep == base || percent_decode(dep) == percent_decode(base)
}

/// A source without its `#<commit>` fragment (git sources only carry one).
pub(super) fn strip_fragment(source: &str) -> &str {
    if source.starts_with("git+") {
        source.rfind('#').map_or(source, |i| &source[..i])
    } else {
        source
    }
}

/// Decodes `%XX` escapes; invalid escapes and invalid UTF-8 are kept as written.
pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_forms() {
        assert_eq!(
            DepId::parse("serde"),
            Some(DepId {
                name: "serde",
                version: None,
                source: None
            })
        );
        assert_eq!(
            DepId::parse("bytes 1.2.1"),
            Some(DepId {
                name: "bytes",
                version: Some("1.2.1"),
                source: None
            })
        );
        assert_eq!(
            DepId::parse("bytes 1.2.1 (git+https://x/y?branch=a b)"),
            Some(DepId {
                name: "bytes",
                version: Some("1.2.1"),
                source: Some("git+https://x/y?branch=a b")
            })
        );
        assert_eq!(DepId::parse(""), None);
        assert_eq!(DepId::parse("a b c"), None);
        assert_eq!(DepId::parse("a (src)"), None);
        assert_eq!(DepId::parse("a 1 (src"), None);
        assert_eq!(DepId::parse("a 1 ()"), None);
    }

    #[test]
    fn sources() {
        let pkg = "git+https://h/r?branch=a-_%2B%23%24%29z#9e40";
        assert!(source_matches(
            "git+https://h/r?branch=a-_%2B%23%24%29z",
            pkg
        ));
        assert!(source_matches("git+https://h/r?branch=a-_+#$)z", pkg));
        assert!(!source_matches("git+https://h/r?branch=other", pkg));
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        assert_eq!(percent_decode("%ff"), "%ff");
    }
}
