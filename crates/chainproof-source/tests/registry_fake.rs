//! Pull against scripted fake servers, only for what Debian's real `docker-registry` (see
//! `registry.rs` and `registry_hostile.rs`) cannot be made to do: the Bearer token flow
//! (it needs a separate token service), blob redirects to another origin and to plain HTTP
//! (filesystem storage never redirects), a manifest over the default 4 MiB cap (the
//! registry refuses to store one), and a registry that stalls. Lying digests, sizes and
//! platforms are tested against the real registry in `registry_hostile.rs`.

mod support;

use std::collections::HashMap;
use std::sync::Arc;

use chainproof_source::registry::manifest::{OCI_LAYER_TAR, OCI_MANIFEST};
use chainproof_source::registry::{
    Credentials, Digest, MemoryImage, PullOptions, Reference, RegistryClient, RegistryError,
    RegistryOptions, pull,
};
use support::fake::{FakeServer, Request, Response};
use support::{config_json, tar};

/// The blobs and manifest of a small image, keyed by digest string.
struct Content {
    manifest: Vec<u8>,
    blobs: HashMap<String, Vec<u8>>,
    layer_digest: Digest,
}

fn content() -> Content {
    let layer = tar(&[("hello.txt", b"hello\n")]);
    let config = config_json("linux", "amd64", None, &[&layer]);
    let image = MemoryImage::new(config.clone()).with_layer(OCI_LAYER_TAR, layer.clone());
    let mut blobs = HashMap::new();
    blobs.insert(Digest::sha256_of(&config).to_string(), config);
    blobs.insert(Digest::sha256_of(&layer).to_string(), layer.clone());
    Content {
        manifest: image.manifest(),
        blobs,
        layer_digest: Digest::sha256_of(&layer),
    }
}

fn manifest_response(m: &[u8]) -> Response {
    Response::new(200, m.to_vec())
        .header("Content-Type", OCI_MANIFEST)
        .header("Docker-Content-Digest", &Digest::sha256_of(m).to_string())
}

/// A registry that serves `c` anonymously; `blob` may rewrite blob answers.
fn open_registry(
    c: Content,
    blob: impl Fn(&str, &[u8]) -> Response + Send + Sync + 'static,
) -> FakeServer {
    let c = Arc::new(c);
    FakeServer::start(move |req: &Request| {
        let path = req.path();
        if path == "/v2/" {
            return Response::new(200, "{}");
        }
        if path.starts_with("/v2/app/manifests/") {
            return manifest_response(&c.manifest);
        }
        if let Some(d) = path.strip_prefix("/v2/app/blobs/") {
            return match c.blobs.get(d) {
                Some(b) => blob(d, b),
                None => Response::new(
                    404,
                    r#"{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}"#,
                ),
            };
        }
        Response::new(404, "")
    })
}

fn opts() -> PullOptions {
    PullOptions {
        registry: RegistryOptions {
            no_credential_lookup: true,
            ..RegistryOptions::default()
        },
        ..PullOptions::default()
    }
}

fn reference(server: &FakeServer, rest: &str) -> Reference {
    Reference::parse(&format!("{}/{rest}", server.host())).expect("reference")
}

#[test]
fn bearer_token_flow_and_cross_origin_redirect_drops_authorization() {
    let c = content();
    let blobs = c.blobs.clone();
    let storage = FakeServer::start(move |req: &Request| {
        let hex = req.path().trim_start_matches("/storage/");
        match blobs.get(&format!("sha256:{hex}")) {
            Some(b) => Response::new(200, b.clone()),
            None => Response::new(404, ""),
        }
    });
    let token = FakeServer::start(|req: &Request| {
        // alice:pw
        if req.header("authorization") == Some("Basic YWxpY2U6cHc=") {
            Response::new(200, r#"{"token":"tok-123","expires_in":300}"#)
        } else {
            Response::new(401, "")
        }
    });
    let realm = format!("http://{}/token", token.host());
    let storage_host = storage.host();
    let manifest = c.manifest.clone();
    let registry = FakeServer::start(move |req: &Request| {
        let challenge = format!(
            r#"Bearer realm="{realm}",service="fake-registry",scope="repository:app:pull""#
        );
        if req.header("authorization") != Some("Bearer tok-123") {
            return Response::new(
                401,
                r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            )
            .header("WWW-Authenticate", &challenge);
        }
        let path = req.path();
        if path == "/v2/" {
            Response::new(200, "{}")
        } else if path.starts_with("/v2/app/manifests/") {
            manifest_response(&manifest)
        } else if let Some(d) = path.strip_prefix("/v2/app/blobs/sha256:") {
            Response::new(307, "").header("Location", &format!("http://{storage_host}/storage/{d}"))
        } else {
            Response::new(404, "")
        }
    });
    let r = reference(&registry, "app:1");
    let with_creds = PullOptions {
        registry: RegistryOptions {
            credentials: Some(Credentials {
                username: "alice".into(),
                password: "pw".into(),
            }),
            ..RegistryOptions::default()
        },
        ..PullOptions::default()
    };
    let img = pull(&r, &with_creds).expect("pull through the token flow");
    assert_eq!(img.manifest_digest, Digest::sha256_of(&c.manifest));
    let layer = std::fs::read(
        img.layout_dir()
            .join("blobs/sha256")
            .join(c.layer_digest.hex()),
    )
    .expect("layer");
    assert_eq!(Some(&layer), c.blobs.get(&c.layer_digest.to_string()));

    let token_reqs = token.requests();
    assert_eq!(
        token_reqs.len(),
        1,
        "one token, cached for the scope: {token_reqs:?}"
    );
    assert!(
        token_reqs[0].target.contains("service=fake-registry"),
        "{}",
        token_reqs[0].target
    );
    assert!(
        token_reqs[0]
            .target
            .contains("scope=repository%3Aapp%3Apull"),
        "{}",
        token_reqs[0].target
    );
    let storage_reqs = storage.requests();
    assert_eq!(storage_reqs.len(), 2, "config and layer from storage");
    for req in &storage_reqs {
        assert_eq!(
            req.header("authorization"),
            None,
            "Authorization leaked to {}",
            req.target
        );
    }
    let authed = registry
        .requests()
        .iter()
        .filter(|r| r.header("authorization") == Some("Bearer tok-123"))
        .count();
    assert!(
        authed >= 3,
        "manifest and two blob requests carry the token"
    );

    // Without credentials the token endpoint refuses and the error says so.
    let e = pull(&r, &opts()).expect_err("anonymous").to_string();
    assert!(
        e.contains("authentication failed")
            && e.contains("HTTP 401")
            && e.contains("no credentials found"),
        "{e}"
    );
}

#[test]
fn plain_http_to_non_loopback_is_refused() {
    let r = Reference::parse("registry.example.com/team/app:1").expect("reference");
    let o = RegistryOptions {
        plain_http: true,
        no_credential_lookup: true,
        ..RegistryOptions::default()
    };
    let e = RegistryClient::connect(&r, &o).expect_err("plain http to a public host");
    assert!(matches!(e, RegistryError::InsecureRefused { .. }), "{e}");
    assert!(
        e.to_string().contains("http://registry.example.com/v2/"),
        "{e}"
    );
    // A private address is not loopback either.
    let r2 = Reference::parse("10.255.255.1:5000/app:1").expect("reference");
    let e = RegistryClient::connect(&r2, &o).expect_err("refused");
    assert!(matches!(e, RegistryError::InsecureRefused { .. }), "{e}");
    // With the explicit insecure option the client goes ahead and speaks HTTP there (no
    // registry answers, so it fails, but with a transport or HTTP error, not a refusal).
    let insecure = RegistryOptions {
        insecure: true,
        connect_timeout: std::time::Duration::from_millis(300),
        ..o
    };
    let e = RegistryClient::connect(&r2, &insecure).expect_err("no registry there");
    assert!(
        matches!(
            e,
            RegistryError::Transport { .. } | RegistryError::Status { .. }
        ),
        "{e}"
    );
    assert!(
        e.to_string().contains("http://10.255.255.1:5000/v2/"),
        "{e}"
    );
}

#[test]
fn a_redirect_to_plain_http_elsewhere_is_refused() {
    let server = open_registry(content(), |d, _| {
        Response::new(307, "").header("Location", &format!("http://blobs.example.invalid/{d}"))
    });
    let e =
        pull(&reference(&server, "app:1"), &opts()).expect_err("http redirect to a public host");
    assert!(matches!(e, RegistryError::InsecureRefused { .. }), "{e}");
    assert!(e.to_string().contains("blobs.example.invalid"), "{e}");
}

#[test]
fn an_oversized_manifest_is_refused() {
    let huge = format!(
        r#"{{"schemaVersion":2,"manifests":[],"padding":"{}"}}"#,
        "x".repeat(5 * 1024 * 1024)
    );
    let server = FakeServer::start(move |req: &Request| match req.path() {
        "/v2/" => Response::new(200, "{}"),
        _ => Response::new(200, huge.clone())
            .header("Content-Type", "application/vnd.oci.image.index.v1+json"),
    });
    let e = pull(&reference(&server, "app:1"), &opts()).expect_err("5 MiB manifest");
    assert!(
        matches!(e, RegistryError::TooLarge { limit: 4194304, .. }),
        "{e}"
    );
}

#[test]
fn a_registry_that_stalls_times_out() {
    let server = FakeServer::start(|req: &Request| {
        if req.path() != "/v2/" {
            std::thread::sleep(std::time::Duration::from_millis(1500));
        }
        Response::new(200, "{}")
    });
    let mut o = opts();
    o.registry.timeout = std::time::Duration::from_millis(300);
    let started = std::time::Instant::now();
    let e = pull(&reference(&server, "app:1"), &o).expect_err("stalled");
    assert!(matches!(e, RegistryError::Transport { .. }), "{e}");
    assert!(e.to_string().contains("/v2/app/manifests/1"), "{e}");
    assert!(
        started.elapsed() < std::time::Duration::from_millis(1400),
        "took {:?}",
        started.elapsed()
    );
}
