//! Image references, normalized the way docker does (`distribution/reference`):
//! `alpine` → `docker.io/library/alpine:latest`, `host:port/ns/name:tag@sha256:…`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use super::digest::Digest;

/// The registry that has no host in a reference.
pub const DOCKER_HUB: &str = "docker.io";
/// Where docker.io's API really lives.
pub const DOCKER_HUB_ENDPOINT: &str = "registry-1.docker.io";
/// The tag used when a reference names neither a tag nor a digest.
pub const DEFAULT_TAG: &str = "latest";
const MAX_NAME_LEN: usize = 255;
const MAX_TAG_LEN: usize = 128;

/// A parsed, normalized image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

/// Why a reference is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid image reference `{reference}`: {reason}")]
pub struct ReferenceError {
    pub reference: String,
    pub reason: String,
}

impl Reference {
    /// Parses and normalizes a reference: a missing registry is `docker.io`, a one-part
    /// docker.io name gets `library/`, a reference with neither tag nor digest gets `latest`.
    pub fn parse(input: &str) -> Result<Reference, ReferenceError> {
        let err = |reason: String| ReferenceError {
            reference: input.chars().take(300).collect(),
            reason,
        };
        if input.is_empty() {
            return Err(err("empty reference".into()));
        }
        if input.len() > 2 * MAX_NAME_LEN + MAX_TAG_LEN + 200 {
            return Err(err("reference too long".into()));
        }
        let (rest, digest) = match input.split_once('@') {
            Some((r, d)) => {
                let digest = d.parse::<Digest>().map_err(|e| err(e.to_string()))?;
                (r, Some(digest))
            }
            None => (input, None),
        };
        // A tag is after the last ':' when that ':' is after the last '/'.
        let last_slash = rest.rfind('/');
        let (name, tag) = match rest.rfind(':') {
            Some(c) if last_slash.is_none_or(|s| c > s) => (&rest[..c], Some(&rest[c + 1..])),
            _ => (rest, None),
        };
        if let Some(t) = tag {
            check_tag(t).map_err(err)?;
        }
        if name.is_empty() {
            return Err(err("missing repository name".into()));
        }
        let (registry, path) = split_domain(name);
        let (registry, path) = match registry {
            Some(d) => {
                check_domain(d).map_err(err)?;
                let d = if d == "index.docker.io" {
                    DOCKER_HUB
                } else {
                    d
                };
                (d.to_string(), path.to_string())
            }
            None => (DOCKER_HUB.to_string(), path.to_string()),
        };
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(err("repository name must be lowercase".into()));
        }
        check_path(&path).map_err(err)?;
        if path.len() == 64 && path.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(err(
                "a 64-character hexadecimal string is an image ID, not a repository name".into(),
            ));
        }
        let path = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path
        };
        if registry.len() + 1 + path.len() > MAX_NAME_LEN {
            return Err(err(format!("name longer than {MAX_NAME_LEN} characters")));
        }
        let tag = match (tag, &digest) {
            (Some(t), _) => Some(t.to_string()),
            (None, None) => Some(DEFAULT_TAG.to_string()),
            (None, Some(_)) => None,
        };
        Ok(Reference {
            registry,
            repository: path,
            tag,
            digest,
        })
    }

    /// The registry as written in references (`docker.io`, `ghcr.io`, `localhost:5000`).
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The host:port the API is served from (`registry-1.docker.io` for docker.io).
    pub fn endpoint(&self) -> &str {
        if self.registry == DOCKER_HUB {
            DOCKER_HUB_ENDPOINT
        } else {
            &self.registry
        }
    }

    /// The repository path (`library/alpine`).
    pub fn repository(&self) -> &str {
        &self.repository
    }

    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// What to put after `/manifests/`: the digest when there is one, else the tag.
    pub fn manifest_reference(&self) -> String {
        match (&self.digest, &self.tag) {
            (Some(d), _) => d.to_string(),
            (None, Some(t)) => t.clone(),
            (None, None) => DEFAULT_TAG.to_string(),
        }
    }

    /// `registry/repository` (`docker.io/library/alpine`).
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The same repository with another tag and no digest.
    pub fn with_tag(&self, tag: &str) -> Result<Reference, ReferenceError> {
        check_tag(tag).map_err(|reason| ReferenceError {
            reference: tag.to_string(),
            reason,
        })?;
        Ok(Reference {
            tag: Some(tag.to_string()),
            digest: None,
            ..self.clone()
        })
    }

    /// The same repository pinned to `digest` (the tag is dropped).
    pub fn with_digest(&self, digest: Digest) -> Reference {
        Reference {
            tag: None,
            digest: Some(digest),
            ..self.clone()
        }
    }

    /// True when the registry host is loopback (`localhost`, `127.0.0.0/8`, `::1`).
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.registry)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

impl FromStr for Reference {
    type Err = ReferenceError;
    fn from_str(s: &str) -> Result<Reference, ReferenceError> {
        Reference::parse(s)
    }
}

/// Splits `host[:port]` (possibly `[v6]:port`) into host and port. No validation.
pub(crate) fn split_host_port(domain: &str) -> (&str, Option<&str>) {
    if let Some(rest) = domain.strip_prefix('[') {
        if let Some((h, after)) = rest.split_once(']') {
            return (h, after.strip_prefix(':'));
        }
        return (domain, None);
    }
    match domain.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (domain, None),
    }
}

/// `localhost`, `127.0.0.0/8` or `::1`, with or without a port.
pub fn is_loopback_host(domain: &str) -> bool {
    let (host, _) = split_host_port(domain);
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => a.is_loopback(),
        Ok(IpAddr::V6(a)) => a == Ipv6Addr::LOCALHOST,
        Err(_) => false,
    }
}

/// Docker's rule: the first component is a registry when it has a `.` or `:`, is
/// `localhost`, or has uppercase letters.
fn split_domain(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    }
}

fn check_tag(tag: &str) -> Result<(), String> {
    let ok_first = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let ok = |b: u8| ok_first(b) || b == b'.' || b == b'-';
    match tag.as_bytes() {
        [] => Err("empty tag".into()),
        t if t.len() > MAX_TAG_LEN => Err(format!("tag longer than {MAX_TAG_LEN} characters")),
        [first, rest @ ..] if ok_first(*first) && rest.iter().all(|&b| ok(b)) => Ok(()),
        _ => Err(format!(
            "invalid tag `{tag}` (letters, digits, `_`, `.`, `-`; not starting with `.` or `-`)"
        )),
    }
}

fn check_domain(domain: &str) -> Result<(), String> {
    let (host, port) = split_host_port(domain);
    if let Some(p) = port
        && (p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("invalid port in registry `{domain}`"));
    }
    if domain.starts_with('[') {
        return match host.parse::<Ipv6Addr>() {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("invalid IPv6 address in registry `{domain}`")),
        };
    }
    if host.parse::<Ipv4Addr>().is_ok() {
        return Ok(());
    }
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !c.starts_with('-')
            && !c.ends_with('-')
    };
    if host.is_empty() || !host.split('.').all(component_ok) {
        return Err(format!("invalid registry host `{domain}`"));
    }
    Ok(())
}

fn check_path(path: &str) -> Result<(), String> {
    for component in path.split('/') {
        check_component(component)
            .map_err(|why| format!("invalid repository path component `{component}`: {why}"))?;
    }
    Ok(())
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`
fn check_component(c: &str) -> Result<(), &'static str> {
    let b = c.as_bytes();
    if b.is_empty() {
        return Err("empty");
    }
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return Err("must start and end with a lowercase letter or digit");
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok {
            return Err("separators are `.`, `_`, `__` or dashes");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        Reference::parse(s)
            .map(|r| r.to_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn docker_normalization() {
        assert_eq!(norm("alpine"), "docker.io/library/alpine:latest");
        assert_eq!(norm("alpine:3.20"), "docker.io/library/alpine:3.20");
        assert_eq!(norm("user/app"), "docker.io/user/app:latest");
        assert_eq!(
            norm("index.docker.io/library/busybox"),
            "docker.io/library/busybox:latest"
        );
        assert_eq!(
            norm("docker.io/busybox"),
            "docker.io/library/busybox:latest"
        );
        assert_eq!(norm("localhost/app"), "localhost/app:latest");
        assert_eq!(norm("localhost:5000/a/b:v1"), "localhost:5000/a/b:v1");
        assert_eq!(norm("ghcr.io/x/y:1.0"), "ghcr.io/x/y:1.0");
        assert_eq!(norm("[::1]:5000/app:t"), "[::1]:5000/app:t");
        assert_eq!(norm("Host/app"), "Host/app:latest");
        let d = format!("sha256:{}", "ab".repeat(32));
        assert_eq!(
            norm(&format!("ghcr.io/x/y@{d}")),
            format!("ghcr.io/x/y@{d}")
        );
        assert_eq!(
            norm(&format!("alpine:3@{d}")),
            format!("docker.io/library/alpine:3@{d}")
        );
    }

    #[test]
    fn parts_and_endpoint() {
        let r = Reference::parse("alpine").expect("valid");
        assert_eq!(r.endpoint(), DOCKER_HUB_ENDPOINT);
        assert_eq!(r.repository(), "library/alpine");
        assert_eq!(r.manifest_reference(), "latest");
        let r = Reference::parse("127.0.0.1:5000/a:b").expect("valid");
        assert_eq!(r.endpoint(), "127.0.0.1:5000");
        assert!(r.is_loopback());
        assert!(is_loopback_host("[::1]:80"));
        assert!(is_loopback_host("127.3.4.5"));
        assert!(!is_loopback_host("10.0.0.1:5000"));
        assert!(!is_loopback_host("localhost.example.com"));
    }

    #[test]
    fn normalized_form_parses_to_itself() {
        let d = format!("sha256:{}", "0f".repeat(32));
        for s in [
            "alpine",
            "library/alpine:3.20",
            "INDEX.DOCKER.IO/x",
            "docker.io/library",
            "localhost:5000",
            "a.b:1/c/d/e_f__g-h.i---j:T.ag_-1",
            "[::1]/app",
            &format!("x@{d}"),
            &format!("h.io/x:t@{d}"),
        ] {
            let r = Reference::parse(s).expect(s);
            assert_eq!(Reference::parse(&r.to_string()).as_ref(), Ok(&r), "{s}");
        }
        let r = Reference::parse("localhost:5000").expect("a tag on docker.io");
        assert_eq!(r.to_string(), "docker.io/library/localhost:5000");
        let r = Reference::parse("ghcr.io/a/b:1").expect("valid");
        assert_eq!(
            r.with_tag("2").map(|x| x.to_string()).ok().as_deref(),
            Some("ghcr.io/a/b:2")
        );
        assert!(r.with_tag("-x").is_err());
        let pinned = r.with_digest(d.parse().expect("digest"));
        assert_eq!(pinned.manifest_reference(), d);
        assert_eq!(pinned.tag(), None);
    }

    /// What the fuzz target checks, on pseudo-random strings over the grammar's alphabet:
    /// no panic, and a parsed reference prints to a string that parses to itself.
    #[test]
    fn random_strings_round_trip_or_fail_cleanly() {
        const ALPHABET: &[u8] = b"aZ09.-_:/@[]sha256:localhost";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut parsed = 0;
        for _ in 0..50_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 24) as usize;
            let s: String = (0..len)
                .map(|i| {
                    let x = state.rotate_left(i as u32 * 5) as usize;
                    char::from(ALPHABET[x % ALPHABET.len()])
                })
                .collect();
            if let Ok(r) = Reference::parse(&s) {
                parsed += 1;
                assert_eq!(Reference::parse(&r.to_string()).as_ref(), Ok(&r), "{s}");
            }
        }
        assert!(parsed > 100, "only {parsed} random strings parsed");
    }

    #[test]
    fn bad_references() {
        for bad in [
            "",
            "Alpine",
            "alpine:",
            "alpine:-x",
            "a//b",
            "-a",
            "a-",
            "a@sha256:123",
            "a@md5:d41d8cd98f00b204e9800998ecf8427e",
            "host:99999999/a",
            "ex ample.com/a",
            "a/B",
            "a...b",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad:?} accepted");
        }
        let long_tag = format!("a:{}", "t".repeat(129));
        assert!(Reference::parse(&long_tag).is_err());
    }
}
