//! Pull against scripted fake servers: the Bearer token flow, blob redirects to another
//! origin (no Authorization leak), and registries that lie about digests and sizes.

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
fn a_blob_that_does_not_hash_to_its_digest_is_refused() {
    let server = open_registry(content(), |_, b| {
        let mut lie = b.to_vec();
        if let Some(x) = lie.last_mut() {
            *x ^= 1;
        }
        Response::new(200, lie)
    });
    let out = tempfile::tempdir().expect("tmp");
    let dir = out.path().join("layout");
    let o = PullOptions {
        output_dir: Some(dir.clone()),
        ..opts()
    };
    let e = pull(&reference(&server, "app:1"), &o).expect_err("lying blob");
    assert!(matches!(e, RegistryError::DigestMismatch { .. }), "{e}");
    assert!(e.to_string().contains("config"), "{e}");
    // No partial download left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("blobs/sha256"))
        .expect("blobs")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_blob_longer_than_declared_is_refused() {
    let server = open_registry(content(), |_, b| {
        let mut more = b.to_vec();
        more.extend_from_slice(b"extra");
        Response::new(200, more)
    });
    let e = pull(&reference(&server, "app:1"), &opts()).expect_err("too long");
    assert!(matches!(e, RegistryError::SizeMismatch { .. }), "{e}");
}

#[test]
fn manifest_digest_lies_are_refused() {
    let c = content();
    let real = Digest::sha256_of(&c.manifest);
    let server = open_registry(c, |_, b| Response::new(200, b.to_vec()));
    // Pulled by a digest the served manifest does not have.
    let other = Digest::sha256_of(b"another manifest");
    let e = pull(&reference(&server, &format!("app@{other}")), &opts()).expect_err("digest lie");
    let msg = e.to_string();
    assert!(matches!(e, RegistryError::DigestMismatch { .. }), "{msg}");
    assert!(
        msg.contains(&other.to_string()) && msg.contains(&real.to_string()),
        "{msg}"
    );

    // A Docker-Content-Digest header that disagrees with the body.
    let c = content();
    let m = c.manifest.clone();
    let liar = FakeServer::start(move |req: &Request| match req.path() {
        "/v2/" => Response::new(200, "{}"),
        _ => Response::new(200, m.clone())
            .header("Content-Type", OCI_MANIFEST)
            .header("Docker-Content-Digest", &other.to_string()),
    });
    let msg = pull(&reference(&liar, "app:1"), &opts())
        .expect_err("header lie")
        .to_string();
    assert!(msg.contains("Docker-Content-Digest"), "{msg}");
}

#[test]
fn declared_sizes_over_the_limits_are_refused_before_download() {
    let layer_digest = Digest::sha256_of(b"never fetched");
    let config = config_json("linux", "amd64", None, &[]);
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": Digest::sha256_of(&config).to_string(), "size": config.len()},
        "layers": [{"mediaType": OCI_LAYER_TAR, "digest": layer_digest.to_string(), "size": 10_000_000_000u64}],
    }))
    .expect("json");
    let server = FakeServer::start(move |req: &Request| match req.path() {
        "/v2/" => Response::new(200, "{}"),
        p if p.contains("/manifests/") => manifest_response(&manifest),
        _ => Response::new(500, "no blob should be requested"),
    });
    let e = pull(&reference(&server, "app:big"), &opts()).expect_err("10 GB layer");
    assert!(
        matches!(
            e,
            RegistryError::TooLarge {
                size: 10_000_000_000,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path().contains("/blobs/")),
        "a blob was requested"
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

#[test]
fn an_index_that_lies_about_the_platform_is_refused() {
    let c = content(); // an amd64 image
    let manifest = c.manifest.clone();
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": OCI_MANIFEST, "digest": Digest::sha256_of(&manifest).to_string(), "size": manifest.len(), "platform": {"os": "linux", "architecture": "arm64"}}],
    }))
    .expect("json");
    let blobs = c.blobs.clone();
    let server = FakeServer::start(move |req: &Request| {
        let path = req.path();
        if path == "/v2/" {
            Response::new(200, "{}")
        } else if path == "/v2/app/manifests/multi" {
            Response::new(200, index.clone())
                .header("Content-Type", "application/vnd.oci.image.index.v1+json")
        } else if path.starts_with("/v2/app/manifests/sha256:") {
            manifest_response(&manifest)
        } else if let Some(b) = path
            .strip_prefix("/v2/app/blobs/")
            .and_then(|d| blobs.get(d))
        {
            Response::new(200, b.clone())
        } else {
            Response::new(404, "")
        }
    });
    let o = PullOptions {
        platform: Some("linux/arm64".parse().expect("platform")),
        ..opts()
    };
    let e = pull(&reference(&server, "app:multi"), &o).expect_err("platform lie");
    assert!(matches!(e, RegistryError::InvalidManifest { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("lists this image as linux/arm64 but its config says linux/amd64"),
        "{e}"
    );
}
