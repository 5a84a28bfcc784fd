//! pnpm dependency paths: the keys of `packages` / `snapshots` and the references that
//! dependencies use to point at them.
//!
//! * v5.x: `/name/1.0.0`, `/@scope/name/1.0.0_peer@2.0.0+other@1.0.0` (peers after `_`);
//!   non-registry keys start with a host (`registry.example.com/foo/1.0.0`,
//!   `github.com/user/repo/<sha>`) or are `file:` paths.
//! * v6: `/name@1.0.0(peer@2.0.0)`; v9: the same without the leading `/`
//!   (`name@1.0.0(peer@2.0.0)`, `name@https://...`, `name@file:../x`).
//!
//! Keys are normalized by dropping the leading `/`, so all versions share one lookup.

/// A key split into name, reference (a version or a non-registry spec) and peer suffix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParts {
    pub name: String,
    /// The version, or the non-registry spec (`https://...`, `file:...`), without peers.
    pub reference: String,
    /// `(react@18.2.0)` (v6+), `_react@18.2.0` (v5), `(patch_hash=...)`; empty when none.
    pub suffix: String,
}

/// The key without its leading `/`.
pub fn normalize(key: &str) -> &str {
    key.strip_prefix('/').unwrap_or(key)
}

/// The key without its v6+ peer suffix (everything from the first `(`).
pub fn strip_peers(key: &str) -> &str {
    match key.find('(') {
        Some(i) => &key[..i],
        None => key,
    }
}

/// Whether `v` reads as a registry version (`1.2.3`, `18.0.0-rc.3`).
pub fn is_version(v: &str) -> bool {
    v.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && !v.contains([':', '/', '#', ' ', '(', ')'])
}

/// Splits a key, trying the style of the lockfile's major version first.
pub fn parse_key(raw: &str, major: u32) -> Option<KeyParts> {
    if raw.starts_with("file:") || raw.starts_with("link:") {
        return None;
    }
    if major >= 6 {
        at_style(raw).or_else(|| slash_style(raw))
    } else {
        slash_style(raw).or_else(|| at_style(raw))
    }
}

/// A valid npm package name: `name` or `@scope/name`, no further `/`.
fn is_name(n: &str) -> bool {
    if n.is_empty() || n.contains([' ', ':', '(', ')']) {
        return false;
    }
    match n.strip_prefix('@') {
        Some(rest) => {
            matches!(rest.split_once('/'), Some((s, b)) if !s.is_empty() && !b.is_empty() && !b.contains('/'))
        }
        None => !n.contains('/'),
    }
}

/// `name@ref(peers)` (v6, v9).
fn at_style(raw: &str) -> Option<KeyParts> {
    let k = normalize(raw);
    let at = k.get(1..)?.find('@')? + 1;
    let (name, rest) = (&k[..at], &k[at + 1..]);
    if !is_name(name) || rest.is_empty() {
        return None;
    }
    let reference = strip_peers(rest);
    Some(KeyParts {
        name: name.to_string(),
        reference: reference.to_string(),
        suffix: rest[reference.len()..].to_string(),
    })
}

/// `/name/version_peers` or `host/name/version` (v5).
fn slash_style(raw: &str) -> Option<KeyParts> {
    let mut parts = raw.split('/');
    // A registry key starts with `/` (an empty first part); otherwise the first part is
    // the host, which is dropped.
    parts.next()?;
    let first = parts.next()?;
    let name = if first.starts_with('@') {
        format!("{first}/{}", parts.next()?)
    } else {
        first.to_string()
    };
    let version_and_peers = parts.next()?;
    if parts.next().is_some() || !is_name(&name) {
        return None;
    }
    let version = version_and_peers
        .split_once('_')
        .map_or(version_and_peers, |(v, _)| v);
    if !is_version(version) {
        return None;
    }
    Some(KeyParts {
        name,
        reference: version.to_string(),
        suffix: version_and_peers[version.len()..].to_string(),
    })
}

/// What a dependency reference points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `link:<path>`: a folder (a workspace project), relative to the dependent.
    Link(String),
    /// Candidate normalized keys, most likely first.
    Keys(Vec<String>),
}

/// The keys a dependency `alias: reference` may point at, following pnpm's
/// `refToRelative` for the lockfile's major version, then the other styles.
pub fn target(alias: &str, reference: &str, major: u32) -> Target {
    let r = reference.trim();
    if let Some(p) = r.strip_prefix("link:") {
        return Target::Link(p.to_string());
    }
    let mut keys: Vec<String> = Vec::new();
    let mut push = |k: String| {
        let k = normalize(&k).to_string();
        if !keys.contains(&k) {
            keys.push(k);
        }
    };
    let at = format!("{alias}@{r}");
    let slash = format!("{alias}/{r}");
    let before_paren = strip_peers(r);
    let is_path = r.starts_with('/') || r.starts_with("file:") || before_paren.contains('/');
    if major >= 9 {
        // `string-width@4.2.3` (an alias's target) is a key already; `1.0.0(peer@1)` is not.
        let at_i = r.find('@');
        let colon = r.find(':');
        let paren = r.find('(');
        let is_key = r.starts_with('@')
            || at_i.is_some_and(|a| colon.is_none_or(|c| a < c) && paren.is_none_or(|p| a < p));
        if is_key {
            push(r.to_string());
            push(at);
        } else {
            push(at);
            push(r.to_string());
        }
    } else if is_path {
        push(r.to_string());
        push(if major >= 6 { at } else { slash });
    } else if major >= 6 {
        push(at);
        push(r.to_string());
    } else {
        push(slash);
        push(r.to_string());
    }
    // The other styles last: files mixing them (a `name@version` key in a v5 file).
    push(format!("{alias}@{r}"));
    push(format!("{alias}/{r}"));
    if let Some(p) = r.strip_prefix("file:") {
        // Hand-written files say `file:./x` for the key `file:x`.
        let mut p = p;
        while let Some(rest) = p.strip_prefix("./") {
            p = rest;
        }
        push(format!("file:{p}"));
        push(format!("{alias}@file:{p}"));
    }
    Target::Keys(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(raw: &str, major: u32) -> Option<(String, String, String)> {
        parse_key(raw, major).map(|p| (p.name, p.reference, p.suffix))
    }

    fn t(n: &str, r: &str, s: &str) -> Option<(String, String, String)> {
        Some((n.into(), r.into(), s.into()))
    }

    #[test]
    fn v5_keys() {
        assert_eq!(parts("/foo/1.0.0", 5), t("foo", "1.0.0", ""));
        assert_eq!(parts("/@foo/bar/1.0.0", 5), t("@foo/bar", "1.0.0", ""));
        assert_eq!(
            parts("/foo/1.4.0_@types+babel__core@7.1.14", 5),
            t("foo", "1.4.0", "_@types+babel__core@7.1.14")
        );
        assert_eq!(
            parts("registry.npmjs.org/@foo/bar/1.1.0", 5),
            t("@foo/bar", "1.1.0", "")
        );
        assert_eq!(
            parts("example.com/foo/1.3.0_bar@2.0.0", 5),
            t("foo", "1.3.0", "_bar@2.0.0")
        );
        assert_eq!(parts("github.com/kevva/is-positive", 5), None);
        assert_eq!(parts("/foo/bar", 5), None);
        assert_eq!(parts("file:projects/a.tgz", 5), None);
        // A v6-style key in a v5 file is still read.
        assert_eq!(parts("axios@1.2.5", 5), t("axios", "1.2.5", ""));
    }

    #[test]
    fn v6_v9_keys() {
        assert_eq!(
            parts("/@typescript-eslint/types@5.57.1", 6),
            t("@typescript-eslint/types", "5.57.1", "")
        );
        assert_eq!(
            parts("react-dom@18.0.0-rc.3(react@18.2.0)", 9),
            t("react-dom", "18.0.0-rc.3", "(react@18.2.0)")
        );
        assert_eq!(
            parts(
                "ansi-regex@https://codeload.github.com/chalk/ansi-regex/tar.gz/02fa",
                9
            ),
            t(
                "ansi-regex",
                "https://codeload.github.com/chalk/ansi-regex/tar.gz/02fa",
                ""
            )
        );
        assert_eq!(
            parts("'@vitejs/x@file:playground/x'".trim_matches('\''), 9),
            t("@vitejs/x", "file:playground/x", "")
        );
    }

    #[test]
    fn targets() {
        let keys = |a: &str, r: &str, m: u32| match target(a, r, m) {
            Target::Keys(k) => k,
            Target::Link(_) => Vec::new(),
        };
        assert_eq!(keys("foo", "1.0.0_bar@1.0.0", 5)[0], "foo/1.0.0_bar@1.0.0");
        assert_eq!(keys("lodash1", "/lodash/1.3.1", 5)[0], "lodash/1.3.1");
        assert_eq!(
            keys("foo", "1.0.0(bar@1.0.0)", 6)[0],
            "foo@1.0.0(bar@1.0.0)"
        );
        assert_eq!(
            keys("foo", "1.0.0(bar@1.0.0)", 9)[0],
            "foo@1.0.0(bar@1.0.0)"
        );
        assert_eq!(keys("lodash1", "lodash@1.3.1", 9)[0], "lodash@1.3.1");
        assert_eq!(keys("x", "https://a/b.tgz", 9)[0], "x@https://a/b.tgz");
        assert_eq!(target("x", "link:../x", 9), Target::Link("../x".into()));
        assert!(keys("m", "file:./p/a.tgz", 5).contains(&"file:p/a.tgz".to_string()));
    }
}
