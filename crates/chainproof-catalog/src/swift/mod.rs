//! Swift: SwiftPM `Package.resolved` and CocoaPods `Podfile.lock`.
//!
//! * **`Package.resolved`** v1 (`object.pins[]` with `package`, `repositoryURL`, `state`)
//!   and v2/v3 (`pins[]` with `identity`, `kind`, `location`, `state`). Remote pins get
//!   `pkg:swift/<host>/<path…>/<name>@<version>` (purl spec: the namespace is the
//!   repository host and path without the last segment, the name is the last segment; the
//!   scheme, user, port and a `.git` suffix are dropped). The version is `state.version`,
//!   else the pinned `revision` (branch pins). The source is `git+<url>#<revision>`, the
//!   branch is kept in `chainproof:swift:branch`. Local pins (`localSourceControl`,
//!   `fileSystem`) are [`PackageKind::Project`] packages without purl. The format records no
//!   dependency graph and no content hashes, so there are no edges and no root.
//! * **`Podfile.lock`**: see `podfile.rs`.

mod podfile;

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageKind};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name};
use serde::Deserialize;

use crate::jsonpos::object_lines;
use crate::{CatalogError, Cataloger, CatalogerInfo};

pub use podfile::{PROP_COCOAPODS_UNRESOLVED, PodfileLockCataloger, parse_podfile_lock};

/// The branch a pin follows.
pub const PROP_BRANCH: &str = "chainproof:swift:branch";

/// Reads SwiftPM `Package.resolved` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct PackageResolvedCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "swift-package-resolved",
    ecosystem: "SwiftURL",
    files: "`Package.resolved` v1–v3",
    edges: false,
    licenses: false,
    scopes: false,
    hashes: false,
};

impl Cataloger for PackageResolvedCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "Package.resolved"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_package_resolved(path, &text)
    }
}

#[derive(Debug, Deserialize)]
struct RawResolved {
    version: Option<u64>,
    /// v1
    object: Option<RawObject>,
    /// v2, v3
    pins: Option<Vec<RawPin>>,
}

#[derive(Debug, Deserialize)]
struct RawObject {
    #[serde(default)]
    pins: Vec<RawPin>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPin {
    /// v1 display name.
    package: Option<String>,
    /// v1 URL.
    #[serde(rename = "repositoryURL")]
    repository_url: Option<String>,
    identity: Option<String>,
    kind: Option<String>,
    location: Option<String>,
    #[serde(default)]
    state: RawState,
}

#[derive(Debug, Default, Deserialize)]
struct RawState {
    branch: Option<String>,
    revision: Option<String>,
    version: Option<String>,
}

/// Splits a repository URL into host and path segments (scheme, user, port, `.git` and
/// trailing slashes dropped); `None` if it has no host and at least one path segment.
pub fn repo_host_path(url: &str) -> Option<(String, Vec<String>)> {
    let u = url.trim();
    let rest = match u.split_once("://") {
        Some((_, r)) => r.to_string(),
        // scp-like `git@github.com:owner/repo.git`
        None => {
            let (host, path) = u.split_once(':')?;
            format!("{host}/{path}")
        }
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = rest.split_once('/')?;
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    (!host.is_empty() && !segs.is_empty()).then_some((host, segs))
}

/// `pkg:swift/<host>/<path>/<name>@<version>` for a repository URL.
pub fn swift_purl(url: &str, version: Option<&str>) -> Option<Purl> {
    let (host, mut segs) = repo_host_path(url)?;
    let name = segs.pop()?;
    let mut ns = host;
    for s in segs {
        ns.push('/');
        ns.push_str(&s);
    }
    let purl = Purl::new("swift", &name).ok()?.with_namespace(&ns).ok()?;
    Some(match version {
        Some(v) => purl.with_version(v),
        None => purl,
    })
}

/// Parses the text of a `Package.resolved`.
pub fn parse_package_resolved(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    if text.trim().is_empty() {
        return Ok(inv);
    }
    let raw: RawResolved = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let lines = object_lines(text);
    let (pins, prefix) = match (raw.pins, raw.object) {
        (Some(p), _) => (p, "/pins"),
        (None, Some(o)) => (o.pins, "/object/pins"),
        (None, None) => {
            return Err(CatalogError::new(
                path,
                format!(
                    "no `pins` (format version {})",
                    raw.version.map_or("?".to_string(), |v| v.to_string())
                ),
            ));
        }
    };
    for (i, pin) in pins.into_iter().enumerate() {
        let ptr = format!("{prefix}/{i}");
        let line = lines.get(&ptr).copied();
        let mut loc = Location::new(path);
        if let Some(l) = line {
            loc = loc.with_line(l);
        }
        let err = |msg: String| {
            let e = CatalogError::new(path, msg).at_pointer(ptr.clone());
            match line {
                Some(l) => e.at_line(l),
                None => e,
            }
        };
        let url = pin
            .location
            .or(pin.repository_url)
            .filter(|u| !u.is_empty())
            .ok_or_else(|| err("pin without `location`/`repositoryURL`".into()))?;
        let kind = pin.kind.as_deref().unwrap_or("remoteSourceControl");
        let version = pin.state.version.clone().or(pin.state.revision.clone());
        let local = matches!(kind, "localSourceControl" | "fileSystem");
        let pkg = if local {
            let name = pin
                .identity
                .or(pin.package)
                .unwrap_or_else(|| file_name(&url).to_string());
            Package::new(Ecosystem::SwiftURL, name, version.as_deref())
                .with_kind(PackageKind::Project)
                .with_source(url.clone())
        } else {
            let purl = swift_purl(&url, version.as_deref())
                .ok_or_else(|| err(format!("cannot make a package URL from `{url}`")))?;
            let name = match purl.namespace() {
                Some(ns) => format!("{ns}/{}", purl.name()),
                None => purl.name().to_string(),
            };
            let source = match &pin.state.revision {
                Some(r) => format!("git+{url}#{r}"),
                None => format!("git+{url}"),
            };
            Package::new(Ecosystem::SwiftURL, name, version.as_deref())
                .with_purl(purl)
                .with_source(source)
        };
        let mut pkg = pkg.with_location(loc);
        if let Some(b) = pin.state.branch {
            pkg = pkg.with_property(PROP_BRANCH, b);
        }
        inv.add_package(pkg);
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        let p = |u: &str| swift_purl(u, Some("1.0.0")).map(|p| p.to_string());
        assert_eq!(
            p("https://github.com/apple/swift-nio.git").as_deref(),
            Some("pkg:swift/github.com/apple/swift-nio@1.0.0")
        );
        assert_eq!(
            p("git@github.com:Alamofire/Alamofire.git").as_deref(),
            Some("pkg:swift/github.com/Alamofire/Alamofire@1.0.0")
        );
        assert_eq!(
            p("ssh://git@gitlab.example.com:2222/a/b/c/").as_deref(),
            Some("pkg:swift/gitlab.example.com/a/b/c@1.0.0")
        );
        assert_eq!(p("not a url"), None);
        assert_eq!(p("https://host.only/"), None);
    }
}
