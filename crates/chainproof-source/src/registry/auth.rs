//! Registry authentication: `WWW-Authenticate` challenges, credentials from the environment
//! and from docker's `config.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::RegistryError;
use super::reference::DOCKER_HUB;

/// Environment variables with a username and password for the registry being used.
pub const USERNAME_ENV: &str = "CHAINPROOF_REGISTRY_USERNAME";
pub const PASSWORD_ENV: &str = "CHAINPROOF_REGISTRY_PASSWORD";

/// One challenge of a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Lowercased scheme (`bearer`, `basic`).
    pub scheme: String,
    /// Parameters with lowercased names (`realm`, `service`, `scope`).
    pub params: BTreeMap<String, String>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// Parses a `WWW-Authenticate` header value into its challenges (RFC 9110 §11.6.1):
/// `Bearer realm="…",service="…",scope="…"`, `Basic realm="…"`. Malformed parts are skipped,
/// never a panic.
pub fn parse_www_authenticate(header: &str) -> Vec<Challenge> {
    let mut p = Parser {
        s: header.as_bytes(),
        i: 0,
    };
    let mut out: Vec<Challenge> = Vec::new();
    loop {
        p.skip_ws_commas();
        if p.at_end() {
            break;
        }
        let Some(token) = p.token() else {
            // Not a token: skip one byte and go on.
            p.i += 1;
            continue;
        };
        p.skip_ws();
        if p.peek() == Some(b'=') && !out.is_empty() {
            // An auth-param of the current challenge.
            p.i += 1;
            p.skip_ws();
            let value = p.value().unwrap_or_default();
            if let Some(c) = out.last_mut() {
                c.params.insert(token.to_ascii_lowercase(), value);
            }
        } else {
            out.push(Challenge {
                scheme: token.to_ascii_lowercase(),
                params: BTreeMap::new(),
            });
            // Same-line params after the scheme are handled by the next iterations.
        }
    }
    out
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }
    fn skip_ws_commas(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b',')) {
            self.i += 1;
        }
    }
    fn token(&mut self) -> Option<String> {
        let start = self.i;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~/".contains(&b) {
                self.i += 1;
            } else {
                break;
            }
        }
        (self.i > start).then(|| String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }
    fn value(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return self.token();
        }
        self.i += 1;
        let mut v = Vec::new();
        while let Some(b) = self.peek() {
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    if let Some(n) = self.peek() {
                        v.push(n);
                        self.i += 1;
                    }
                }
                _ => v.push(b),
            }
        }
        Some(String::from_utf8_lossy(&v).into_owned())
    }
}

/// Credentials for one registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl Credentials {
    /// The value of an `Authorization: Basic …` header.
    pub fn basic_header(&self) -> String {
        format!(
            "Basic {}",
            base64_encode(format!("{}:{}", self.username, self.password).as_bytes())
        )
    }
}

/// What the credential lookup found for a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    /// No credentials: anonymous access.
    None,
    Found(Credentials),
    /// docker's config names a credential helper for this registry; chainproof does not run
    /// helpers. Kept so that an auth failure can say why.
    UnsupportedHelper {
        helper: String,
    },
}

/// Looks up credentials for `registry` (as written in references, `docker.io` for Hub):
/// first `CHAINPROOF_REGISTRY_USERNAME`/`_PASSWORD`, then `$DOCKER_CONFIG/config.json`
/// (default `~/.docker/config.json`), or `config` when given.
pub fn credentials_for(
    registry: &str,
    config: Option<&Path>,
) -> Result<CredentialSource, RegistryError> {
    if let (Ok(u), Ok(p)) = (std::env::var(USERNAME_ENV), std::env::var(PASSWORD_ENV)) {
        return Ok(CredentialSource::Found(Credentials {
            username: u,
            password: p,
        }));
    }
    if let Some(path) = config {
        return credentials_from_config_file(path, registry);
    }
    match docker_config_path() {
        Some(path) if path.is_file() => credentials_from_config_file(&path, registry),
        _ => Ok(CredentialSource::None),
    }
}

/// `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`.
pub fn docker_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG") {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker").join("config.json"))
}

/// Credentials for `registry` from a docker `config.json` file.
pub fn credentials_from_config_file(
    path: &Path,
    registry: &str,
) -> Result<CredentialSource, RegistryError> {
    let bad = |reason: String| RegistryError::Config {
        path: path.display().to_string(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?;
    if meta.len() > 16 * 1024 * 1024 {
        return Err(bad("larger than 16 MiB".into()));
    }
    let text = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    credentials_from_config(&text, registry).map_err(bad)
}

#[derive(serde::Deserialize, Default)]
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// Credentials for `registry` from the text of a docker `config.json`. The error is a
/// message (the caller names the file).
pub fn credentials_from_config(text: &[u8], registry: &str) -> Result<CredentialSource, String> {
    let config: DockerConfig = serde_json::from_slice(text)
        .map_err(|e| format!("line {} column {}: {e}", e.line(), e.column()))?;
    let want = normalize_config_key(registry);
    for (key, entry) in &config.auths {
        if normalize_config_key(key) != want {
            continue;
        }
        if let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) {
            let raw = base64_decode(auth.trim())
                .ok_or_else(|| format!("auths.{key}.auth is not valid base64"))?;
            let raw = String::from_utf8(raw)
                .map_err(|_| format!("auths.{key}.auth is not UTF-8 after base64 decoding"))?;
            let (u, p) = raw
                .split_once(':')
                .ok_or_else(|| format!("auths.{key}.auth is not `user:password`"))?;
            return Ok(CredentialSource::Found(Credentials {
                username: u.to_string(),
                password: p.to_string(),
            }));
        }
        if let (Some(u), Some(p)) = (&entry.username, &entry.password) {
            return Ok(CredentialSource::Found(Credentials {
                username: u.clone(),
                password: p.clone(),
            }));
        }
    }
    let helper = config
        .cred_helpers
        .iter()
        .find(|(k, _)| normalize_config_key(k) == want)
        .map(|(_, h)| h.clone())
        .or(config.creds_store);
    Ok(match helper {
        Some(helper) if !helper.is_empty() => CredentialSource::UnsupportedHelper { helper },
        _ => CredentialSource::None,
    })
}

/// `https://index.docker.io/v1/` → `docker.io`; `http://host:5000/path` → `host:5000`.
fn normalize_config_key(key: &str) -> String {
    let k = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let host = k.split('/').next().unwrap_or(k).to_ascii_lowercase();
    match host.as_str() {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => {
            DOCKER_HUB.to_string()
        }
        _ => host,
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 (padding optional); `None` on anything else.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let t = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(t.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in t.bytes() {
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    (bits < 6).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_challenge() {
        let c = parse_www_authenticate(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].scheme, "bearer");
        assert_eq!(c[0].param("realm"), Some("https://auth.docker.io/token"));
        assert_eq!(c[0].param("service"), Some("registry.docker.io"));
        assert_eq!(c[0].param("scope"), Some("repository:library/alpine:pull"));
    }

    #[test]
    fn several_challenges_and_escapes() {
        let c =
            parse_www_authenticate(r#"Basic realm="a \"b\"", Bearer realm=x, error=invalid_token"#);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].scheme, "basic");
        assert_eq!(c[0].param("realm"), Some(r#"a "b""#));
        assert_eq!(c[1].param("realm"), Some("x"));
        assert_eq!(c[1].param("error"), Some("invalid_token"));
        assert!(parse_www_authenticate("").is_empty());
        let _ = parse_www_authenticate("=\"\\");
    }

    #[test]
    fn base64_roundtrip() {
        for s in [
            "",
            "f",
            "fo",
            "foo",
            "foob",
            "fooba",
            "foobar",
            "user:pa:ss",
        ] {
            let e = base64_encode(s.as_bytes());
            assert_eq!(
                base64_decode(&e).as_deref(),
                Some(s.as_bytes()),
                "{s} -> {e}"
            );
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert!(base64_decode("a!b=").is_none());
    }

    #[test]
    fn docker_config_lookup() {
        let cfg = br#"{"auths":{"https://index.docker.io/v1/":{"auth":"dTE6cDE="},
            "localhost:5000":{"auth":"YWxpY2U6czNjcjN0"}},
            "credHelpers":{"gcr.io":"gcloud"}}"#;
        let found = |r: &str| credentials_from_config(cfg, r).expect("valid config");
        assert_eq!(
            found("docker.io"),
            CredentialSource::Found(Credentials {
                username: "u1".into(),
                password: "p1".into()
            })
        );
        assert_eq!(
            found("localhost:5000"),
            CredentialSource::Found(Credentials {
                username: "alice".into(),
                password: "s3cr3t".into()
            })
        );
        assert_eq!(
            found("gcr.io"),
            CredentialSource::UnsupportedHelper {
                helper: "gcloud".into()
            }
        );
        assert_eq!(found("quay.io"), CredentialSource::None);
        assert!(credentials_from_config(b"{", "x").is_err());
        assert!(credentials_from_config(br#"{"auths":{"x":{"auth":"!!"}}}"#, "x").is_err());
    }
}
