//! Container image references (`[registry/]path[:tag][@digest]`) and their package URLs.

use chainproof_core::{Ecosystem, Package};
use chainproof_purl::Purl;

/// Property: `true` when the reference has a digest (the content is fixed), else `false`.
pub const PROP_PINNED: &str = "chainproof:docker:pinned";
/// Property: the reference as written (after `ARG` substitution).
pub const PROP_REFERENCE: &str = "chainproof:docker:reference";

const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The registry host (`ghcr.io`, `localhost:5000`); `None` for Docker Hub.
    pub registry: Option<String>,
    /// The repository path inside the registry (`library/nginx`, `org/app`).
    pub path: String,
    pub tag: Option<String>,
    /// `sha256:<hex>`.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference; `None` when it is not one (empty parts, spaces, variables).
    pub fn parse(s: &str) -> Option<ImageRef> {
        let s = s.trim();
        if s.is_empty() || s.contains(['$', ' ', '\t', '{', '}']) {
            return None;
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                let (alg, hex) = d.split_once(':')?;
                let ok = !alg.is_empty()
                    && !hex.is_empty()
                    && alg
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+._-".contains(&b))
                    && hex.bytes().all(|b| b.is_ascii_hexdigit());
                if !ok {
                    return None;
                }
                (
                    r,
                    Some(format!(
                        "{}:{}",
                        alg.to_ascii_lowercase(),
                        hex.to_ascii_lowercase()
                    )),
                )
            }
            None => (s, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name_part, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => {
                let t = &rest[last_slash + i + 1..];
                if t.is_empty() {
                    return None;
                }
                (&rest[..last_slash + i], Some(t.to_string()))
            }
            None => (rest, None),
        };
        let (registry, path) = match name_part.split_once('/') {
            Some((first, more))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_ascii_lowercase()), more)
            }
            _ => (None, name_part),
        };
        let registry = registry
            .filter(|r| r != DOCKER_HUB && r != "index.docker.io" && r != "registry-1.docker.io");
        let valid = !path.is_empty()
            && path.split('/').all(|seg| {
                !seg.is_empty()
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            });
        if !valid {
            return None;
        }
        let path = if registry.is_none() && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_string()
        };
        Some(ImageRef {
            registry,
            path: path.to_ascii_lowercase(),
            tag,
            digest,
        })
    }

    /// The package URL, per the purl spec:
    ///
    /// * with a digest, `pkg:oci/<last path segment>@<digest>?repository_url=<registry>/<path>&tag=<tag>`
    ///   (the `oci` type identifies an artifact by digest, registry-agnostic);
    /// * without, `pkg:docker/[<namespace>/]<name>@<tag>` (tag `latest` when none is given,
    ///   as `docker pull` does), namespace = the path before the name (`library/` dropped for
    ///   Docker Hub official images, as in the spec's `pkg:docker/cassandra@latest`), with
    ///   `repository_url=<registry>` outside Docker Hub.
    pub fn purl(&self) -> Result<Purl, chainproof_purl::PurlError> {
        let (ns, name) = self.path.rsplit_once('/').unwrap_or(("", &self.path));
        if let Some(d) = &self.digest {
            let repo = format!(
                "{}/{}",
                self.registry.as_deref().unwrap_or(DOCKER_HUB),
                self.path
            );
            let mut p = Purl::new("oci", name)?
                .with_version(d)
                .with_qualifier("repository_url", &repo)?;
            if let Some(t) = &self.tag {
                p = p.with_qualifier("tag", t)?;
            }
            return Ok(p);
        }
        let mut p =
            Purl::new("docker", name)?.with_version(self.tag.as_deref().unwrap_or("latest"));
        let ns = if self.registry.is_none() && ns == "library" {
            ""
        } else {
            ns
        };
        if !ns.is_empty() {
            p = p.with_namespace(ns)?;
        }
        if let Some(r) = &self.registry {
            p = p.with_qualifier("repository_url", r)?;
        }
        Ok(p)
    }

    /// The display name: `[registry/]path` with Docker Hub's `library/` dropped.
    pub fn name(&self) -> String {
        let path = match &self.registry {
            None => self.path.strip_prefix("library/").unwrap_or(&self.path),
            Some(_) => &self.path,
        };
        match &self.registry {
            Some(r) => format!("{r}/{path}"),
            None => path.to_string(),
        }
    }

    /// A package for this image (version = digest, else tag, else `latest`), with the
    /// `chainproof:docker:pinned` and `chainproof:docker:reference` properties.
    pub fn package(&self, reference: &str) -> Result<Package, chainproof_purl::PurlError> {
        let version = self
            .digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest");
        Ok(Package::new(Ecosystem::Docker, self.name(), Some(version))
            .with_purl(self.purl()?)
            .with_property(
                PROP_PINNED,
                if self.digest.is_some() {
                    "true"
                } else {
                    "false"
                },
            )
            .with_property(PROP_REFERENCE, reference))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purl(s: &str) -> String {
        ImageRef::parse(s)
            .and_then(|r| r.purl().ok())
            .map(|p| p.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn purls() {
        assert_eq!(purl("nginx"), "pkg:docker/nginx@latest");
        assert_eq!(purl("nginx:1.25-alpine"), "pkg:docker/nginx@1.25-alpine");
        assert_eq!(
            purl("docker.io/bitnami/redis:7.2"),
            "pkg:docker/bitnami/redis@7.2"
        );
        assert_eq!(
            purl("gcr.io/distroless/static-debian12:nonroot"),
            "pkg:docker/distroless/static-debian12@nonroot?repository_url=gcr.io"
        );
        assert_eq!(
            purl("localhost:5000/app"),
            "pkg:docker/app@latest?repository_url=localhost:5000"
        );
        let d = "sha256:0d2b5bd7e2ec0c9d8ba4b3b0e0e2b6d8c1a7c5e7f8a9b0c1d2e3f4a5b6c7d8e9";
        assert_eq!(
            purl(&format!("golang:1.22@{d}")),
            format!("pkg:oci/golang@{d}?repository_url=docker.io%2Flibrary%2Fgolang&tag=1.22")
        );
        assert!(ImageRef::parse("python:${PY}").is_none());
        assert!(ImageRef::parse("a@sha256:xyz").is_none());
        assert!(ImageRef::parse("a:").is_none());
        assert!(ImageRef::parse("").is_none());
    }
}
