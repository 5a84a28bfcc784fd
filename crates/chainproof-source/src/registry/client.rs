//! A small blocking client for the distribution API: scheme selection, the auth dance and
//! redirects.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;

use reqwest::blocking::{Body, Client, Response};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use super::auth::{self, Challenge, CredentialSource, Credentials};
use super::reference::{self, Reference};
use super::{RegistryError, RegistryOptions};

const MAX_REDIRECTS: usize = 10;
const MAX_ERROR_BODY: u64 = 64 * 1024;
const MAX_TOKEN_BODY: u64 = 1024 * 1024;

/// A request body that can be sent again after an auth retry.
#[derive(Clone, Copy)]
pub(crate) enum Payload<'a> {
    Empty,
    Bytes(&'a [u8]),
    File(&'a Path, u64),
}

impl Payload<'_> {
    fn body(&self) -> Result<Option<Body>, RegistryError> {
        Ok(match *self {
            Payload::Empty => None,
            Payload::Bytes(b) => Some(Body::from(b.to_vec())),
            Payload::File(p, len) => {
                let f = std::fs::File::open(p).map_err(|e| RegistryError::io(p, e))?;
                Some(Body::sized(f, len))
            }
        })
    }
}

#[derive(Default)]
struct AuthState {
    challenge: Option<Challenge>,
    /// Bearer tokens by scope.
    tokens: HashMap<String, String>,
}

/// A connection to one registry (one host:port), authenticated lazily per repository scope.
pub struct RegistryClient {
    http: Client,
    /// As written in references (`docker.io`).
    registry: String,
    /// `https://registry-1.docker.io` or `http://127.0.0.1:5000`.
    base: Url,
    insecure: bool,
    credentials: CredentialSource,
    state: Mutex<AuthState>,
}

impl std::fmt::Debug for RegistryClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryClient")
            .field("base", &self.base.as_str())
            .finish()
    }
}

fn transport(method: &Method, url: &str, e: &reqwest::Error) -> RegistryError {
    let mut message = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        message.push_str(": ");
        message.push_str(&s.to_string());
        src = s.source();
    }
    RegistryError::Transport {
        method: method.to_string(),
        url: url.to_string(),
        message,
    }
}

impl RegistryClient {
    /// Connects to the registry of `reference`: picks HTTPS or (where allowed) HTTP by
    /// asking `GET /v2/`, and looks up credentials.
    pub fn connect(
        reference: &Reference,
        options: &RegistryOptions,
    ) -> Result<RegistryClient, RegistryError> {
        let allow_http = options.insecure || reference.is_loopback();
        let endpoint = reference.endpoint();
        if options.plain_http && !allow_http {
            return Err(RegistryError::InsecureRefused {
                url: format!("http://{endpoint}/v2/"),
                reason: "plain HTTP is allowed only for loopback registries (localhost, 127.0.0.0/8, ::1) \
                         or with the insecure option"
                    .into(),
            });
        }
        let mut builder = Client::builder();
        if reference.is_loopback() {
            // A proxy from the environment cannot reach our own loopback.
            builder = builder.no_proxy();
        }
        let http = builder
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .user_agent(concat!("chainproof/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| transport(&Method::GET, endpoint, &e))?;
        let credentials = match (&options.credentials, options.no_credential_lookup) {
            (Some(c), _) => CredentialSource::Found(c.clone()),
            (None, true) => CredentialSource::None,
            (None, false) => {
                auth::credentials_for(reference.registry(), options.docker_config.as_deref())?
            }
        };
        let schemes: &[&str] = match (options.plain_http, allow_http) {
            (true, _) => &["http"],
            (false, true) => &["https", "http"],
            (false, false) => &["https"],
        };
        let mut last_err = None;
        for scheme in schemes {
            let base = Url::parse(&format!("{scheme}://{endpoint}/")).map_err(|e| {
                RegistryError::Transport {
                    method: "GET".into(),
                    url: format!("{scheme}://{endpoint}/"),
                    message: e.to_string(),
                }
            })?;
            let client = RegistryClient {
                http: http.clone(),
                registry: reference.registry().to_string(),
                base,
                insecure: options.insecure,
                credentials: credentials.clone(),
                state: Mutex::new(AuthState::default()),
            };
            match client.ping() {
                Ok(()) => return Ok(client),
                Err(e @ RegistryError::Transport { .. }) => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_err.unwrap_or_else(|| RegistryError::Transport {
            method: "GET".into(),
            url: endpoint.to_string(),
            message: "no scheme to try".into(),
        }))
    }

    /// The base URL chosen (`https://host/`).
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// `GET /v2/`: 200 (no auth) or 401 with the challenge to remember.
    fn ping(&self) -> Result<(), RegistryError> {
        let url = self.url("/v2/")?;
        let resp = self
            .http
            .get(url.clone())
            .send()
            .map_err(|e| transport(&Method::GET, url.as_str(), &e))?;
        match resp.status() {
            s if s.is_success() => Ok(()),
            StatusCode::UNAUTHORIZED => {
                let challenge = challenge_of(&resp);
                self.lock().challenge = challenge;
                Ok(())
            }
            s => Err(RegistryError::Status {
                method: "GET".into(),
                url: url.to_string(),
                status: s.as_u16(),
                detail: format!(
                    "not an OCI distribution (v2) registry: {}",
                    error_detail(resp)
                ),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, AuthState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// An absolute URL for an API path (`/v2/…`) or a `Location` value.
    pub(crate) fn url(&self, path_or_url: &str) -> Result<Url, RegistryError> {
        self.base
            .join(path_or_url)
            .map_err(|e| RegistryError::Transport {
                method: "-".into(),
                url: path_or_url.chars().take(300).collect(),
                message: format!("invalid URL: {e}"),
            })
    }

    fn same_origin(&self, url: &Url) -> bool {
        url.scheme() == self.base.scheme()
            && url.host_str() == self.base.host_str()
            && url.port_or_known_default() == self.base.port_or_known_default()
    }

    fn check_scheme(&self, url: &Url) -> Result<(), RegistryError> {
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.insecure || url.host_str().is_some_and(reference::is_loopback_host) => {
                Ok(())
            }
            "http" => Err(RegistryError::InsecureRefused {
                url: url.to_string(),
                reason: "the host is not loopback and the insecure option is off".into(),
            }),
            s => Err(RegistryError::Transport {
                method: "-".into(),
                url: url.to_string(),
                message: format!("unsupported URL scheme `{s}`"),
            }),
        }
    }

    /// Sends a request with authentication for `scope`, retrying once after a 401 with a
    /// fresh token. GET and HEAD follow redirects; the `Authorization` header goes only to
    /// the registry's own origin.
    pub(crate) fn send(
        &self,
        method: Method,
        url: &Url,
        headers: &HeaderMap,
        payload: Payload<'_>,
        scope: &str,
    ) -> Result<Response, RegistryError> {
        let mut retried = false;
        loop {
            let authz = self.authorization(scope, retried)?;
            let resp =
                self.send_following(method.clone(), url, headers, payload, authz.as_deref())?;
            if resp.status() == StatusCode::UNAUTHORIZED && !retried {
                if let Some(c) = challenge_of(&resp) {
                    let mut st = self.lock();
                    st.challenge = Some(c);
                    st.tokens.remove(scope);
                }
                retried = true;
                continue;
            }
            if resp.status() == StatusCode::UNAUTHORIZED {
                return Err(self.unauthorized(error_detail(resp)));
            }
            return Ok(resp);
        }
    }

    fn send_following(
        &self,
        method: Method,
        url: &Url,
        headers: &HeaderMap,
        payload: Payload<'_>,
        authz: Option<&str>,
    ) -> Result<Response, RegistryError> {
        let mut url = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            self.check_scheme(&url)?;
            let mut req = self
                .http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            if let Some(a) = authz.filter(|_| self.same_origin(&url)) {
                let v = HeaderValue::from_str(a).map_err(|_| {
                    self.unauthorized(
                        "credentials contain characters not allowed in a header".into(),
                    )
                })?;
                req = req.header(header::AUTHORIZATION, v);
            }
            if let Some(body) = payload.body()? {
                req = req.body(body);
            }
            let resp = req
                .send()
                .map_err(|e| transport(&method, url.as_str(), &e))?;
            let follow =
                matches!(method, Method::GET | Method::HEAD) && resp.status().is_redirection();
            let location = resp
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok());
            match (follow, location) {
                (true, Some(loc)) => {
                    url = url.join(loc).map_err(|e| RegistryError::Transport {
                        method: method.to_string(),
                        url: url.to_string(),
                        message: format!("invalid redirect Location `{loc}`: {e}"),
                    })?;
                }
                _ => return Ok(resp),
            }
        }
        Err(RegistryError::Transport {
            method: method.to_string(),
            url: url.to_string(),
            message: format!("more than {MAX_REDIRECTS} redirects"),
        })
    }

    /// The Authorization header for `scope`, fetching a token when the registry asked for
    /// Bearer auth. `after_401`: the registry just refused us.
    fn authorization(&self, scope: &str, after_401: bool) -> Result<Option<String>, RegistryError> {
        let (challenge, cached) = {
            let st = self.lock();
            (st.challenge.clone(), st.tokens.get(scope).cloned())
        };
        let Some(challenge) = challenge else {
            return Ok(None);
        };
        match challenge.scheme.as_str() {
            "bearer" => {
                if let Some(t) = cached {
                    return Ok(Some(format!("Bearer {t}")));
                }
                let token = self.fetch_token(&challenge, scope)?;
                self.lock().tokens.insert(scope.to_string(), token.clone());
                Ok(Some(format!("Bearer {token}")))
            }
            "basic" => match &self.credentials {
                CredentialSource::Found(c) => Ok(Some(c.basic_header())),
                _ if after_401 => {
                    Err(self.unauthorized("the registry requires Basic authentication".into()))
                }
                _ => Ok(None),
            },
            other => Err(self.unauthorized(format!("unsupported authentication scheme `{other}`"))),
        }
    }

    fn fetch_token(&self, challenge: &Challenge, scope: &str) -> Result<String, RegistryError> {
        let realm = challenge
            .param("realm")
            .ok_or_else(|| self.unauthorized("Bearer challenge without a realm".into()))?;
        let mut url = Url::parse(realm)
            .map_err(|e| self.unauthorized(format!("Bearer realm `{realm}` is not a URL: {e}")))?;
        self.check_scheme(&url)?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(s) = challenge.param("service") {
                q.append_pair("service", s);
            }
            // Ask for what this request needs, and for what the registry named if different
            // (token servers accept several scopes).
            q.append_pair("scope", scope);
            if let Some(other) = challenge.param("scope").filter(|s| *s != scope) {
                q.append_pair("scope", other);
            }
        }
        let mut req = self.http.get(url.clone());
        if let CredentialSource::Found(c) = &self.credentials {
            req = req.header(header::AUTHORIZATION, basic_value(c)?);
        }
        let resp = req
            .send()
            .map_err(|e| transport(&Method::GET, url.as_str(), &e))?;
        if !resp.status().is_success() {
            let status = resp.status().as_u16();
            return Err(self.unauthorized(format!(
                "token endpoint {} answered HTTP {status}: {}",
                redact(&url),
                error_detail(resp)
            )));
        }
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            token: Option<String>,
            access_token: Option<String>,
        }
        let mut body = Vec::new();
        resp.take(MAX_TOKEN_BODY)
            .read_to_end(&mut body)
            .map_err(|e| self.unauthorized(format!("reading the token response: {e}")))?;
        let t: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| self.unauthorized(format!("token response is not JSON: {e}")))?;
        t.token
            .or(t.access_token)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| self.unauthorized("token response has no token".into()))
    }

    fn unauthorized(&self, detail: String) -> RegistryError {
        let hint = match &self.credentials {
            CredentialSource::Found(c) => {
                format!("credentials for user `{}` were used", c.username)
            }
            CredentialSource::None => format!(
                "no credentials found (set {} and {}, or add `auths` for {} to the docker config.json)",
                auth::USERNAME_ENV,
                auth::PASSWORD_ENV,
                self.registry
            ),
            CredentialSource::UnsupportedHelper { helper } => format!(
                "the docker config names the credential helper `docker-credential-{helper}` for this registry, \
                 which chainproof does not run; set {} and {} instead",
                auth::USERNAME_ENV,
                auth::PASSWORD_ENV
            ),
        };
        RegistryError::Unauthorized {
            registry: self.registry.clone(),
            detail: format!("{detail}; {hint}"),
        }
    }
}

fn basic_value(c: &Credentials) -> Result<HeaderValue, RegistryError> {
    HeaderValue::from_str(&c.basic_header()).map_err(|_| RegistryError::Unauthorized {
        registry: String::new(),
        detail: "credentials contain characters not allowed in a header".into(),
    })
}

fn redact(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.to_string()
}

fn challenge_of(resp: &Response) -> Option<Challenge> {
    resp.headers()
        .get_all(header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(auth::parse_www_authenticate)
        .find(|c| c.scheme == "bearer" || c.scheme == "basic")
}

/// The registry's error message (`{"errors":[{"code","message"}]}`) or the start of the body.
pub(crate) fn error_detail(resp: Response) -> String {
    let mut body = Vec::new();
    let _ = resp.take(MAX_ERROR_BODY).read_to_end(&mut body);
    #[derive(serde::Deserialize)]
    struct Errors {
        errors: Vec<ErrorEntry>,
    }
    #[derive(serde::Deserialize)]
    struct ErrorEntry {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    if let Ok(e) = serde_json::from_slice::<Errors>(&body)
        && !e.errors.is_empty()
    {
        return e
            .errors
            .iter()
            .map(|x| format!("{} {}", x.code, x.message).trim().to_string())
            .collect::<Vec<_>>()
            .join("; ");
    }
    let text: String = String::from_utf8_lossy(&body).chars().take(300).collect();
    if text.trim().is_empty() {
        "empty response".into()
    } else {
        text.trim().to_string()
    }
}
