//! R: `renv.lock` → packages and their dependency edges.
//!
//! * **Packages**: every entry of the `Packages` map (`Package`, `Version`, `Source`,
//!   `Repository`, `Remote*`), located at its key's line.
//! * **Package URLs** (purl spec `cran` type; the spec has no Bioconductor or GitHub-R type):
//!   - `Source: Repository` with `Repository` CRAN, RSPM, PPM or P3M (CRAN mirrors), or no
//!     repository at all: `pkg:cran/<name>@<version>`;
//!   - another named repository: `repository_url=<its URL from R.Repositories>` (the name
//!     when the URL is not listed);
//!   - `Source: Bioconductor`: `repository_url=https://bioconductor.org` (+ the
//!     `chainproof:r:bioconductor` property with the lockfile's Bioconductor version);
//!   - `Source: GitHub/GitLab/Bitbucket`: `vcs_url=git+https://<host>/<user>/<repo>@<sha>`.
//! * **Edges**: `Requirements` (renv < 1.0) and `Depends`/`Imports`/`LinkingTo` (renv ≥ 1.0,
//!   entries like `"R (>= 3.5)"`) naming another package of the lockfile. Base R packages
//!   (`R`, `utils`, `tools`, ...) are not in lockfiles and are skipped; any other name not
//!   in the lockfile is listed in `chainproof:r:unresolved`.
//! * **Hash**: renv's `Hash` is an MD5 over selected `DESCRIPTION` fields, not a digest of
//!   any artifact, so it is kept as the `chainproof:r:renv-hash` property, not as a
//!   [`chainproof_core::Hash`].
//! * renv does not tell development packages apart: every package is [`chainproof_core::Scope::Runtime`].
//!   A file that is not JSON, or whose entries have the wrong shape, is an error with the
//!   line.

use std::collections::BTreeMap;

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageId};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name};
use serde_json::{Map, Value};

use crate::cpp::conan::json_key_line;
use crate::{CatalogError, Cataloger, CatalogerInfo};

pub const PROP_RENV_HASH: &str = "chainproof:r:renv-hash";
pub const PROP_UNRESOLVED: &str = "chainproof:r:unresolved";
pub const PROP_BIOCONDUCTOR: &str = "chainproof:r:bioconductor";

/// Packages shipped with R itself; never in a lockfile.
const BASE_PACKAGES: [&str; 15] = [
    "R",
    "base",
    "compiler",
    "datasets",
    "grDevices",
    "graphics",
    "grid",
    "methods",
    "parallel",
    "splines",
    "stats",
    "stats4",
    "tcltk",
    "tools",
    "utils",
];

const CRAN_NAMES: [&str; 4] = ["CRAN", "RSPM", "PPM", "P3M"];

/// Reads `renv.lock` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenvLockCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "renv-lock",
    ecosystem: "CRAN",
    files: "`renv.lock`",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: false,
};

impl Cataloger for RenvLockCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "renv.lock"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_renv_lock(path, &text)
    }
}

fn shape(path: &str, text: &str, key: &str, pointer: String, msg: String) -> CatalogError {
    let e = CatalogError::new(path, msg).at_pointer(pointer);
    match json_key_line(text, key, 0) {
        Some(l) => e.at_line(l),
        None => e,
    }
}

/// The package names an entry depends on.
fn requirements(entry: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["Requirements", "Depends", "Imports", "LinkingTo"] {
        let items: Vec<&str> = match entry.get(key) {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            // DESCRIPTION style: "a (>= 1), b"
            Some(Value::String(s)) => s.split(',').collect(),
            _ => continue,
        };
        for item in items {
            let name = item
                .split(|c: char| c == '(' || c.is_whitespace())
                .find(|s| !s.is_empty())
                .unwrap_or("");
            if !name.is_empty() && !out.iter().any(|n| n == name) {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// Parses the text of a `renv.lock`; `path` is used for locations and errors.
pub fn parse_renv_lock(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let Some(obj) = doc.as_object() else {
        return Err(CatalogError::new(path, "a renv.lock is a JSON object").at_line(1));
    };
    let repos: BTreeMap<&str, &str> = obj
        .get("R")
        .and_then(|r| r.get("Repositories"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| Some((r.get("Name")?.as_str()?, r.get("URL")?.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let bioc = obj
        .get("Bioconductor")
        .and_then(|b| b.get("Version"))
        .and_then(Value::as_str);
    let packages = match obj.get("Packages") {
        None => return Ok(Inventory::default()),
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(shape(
                path,
                text,
                "Packages",
                "/Packages".into(),
                "`Packages` is not an object".into(),
            ));
        }
    };
    let pkgs_at = text.find("\"Packages\"").unwrap_or(0);

    let mut inv = Inventory::default();
    let mut ids: BTreeMap<String, PackageId> = BTreeMap::new();
    let mut deps: Vec<(PackageId, Vec<String>)> = Vec::new();
    for (key, entry) in packages {
        let pointer = format!("/Packages/{key}");
        let line = json_key_line(text, key, pkgs_at);
        let Some(entry) = entry.as_object() else {
            return Err(shape(
                path,
                text,
                key,
                pointer,
                format!("package `{key}` is not an object"),
            ));
        };
        let get = |k: &str| -> Result<Option<&str>, CatalogError> {
            match entry.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.as_str())),
                Some(_) => Err(shape(
                    path,
                    text,
                    key,
                    format!("{pointer}/{k}"),
                    format!("`{k}` of `{key}` is not a string"),
                )),
            }
        };
        let name = get("Package")?.unwrap_or(key.as_str());
        let version = get("Version")?;
        let source = get("Source")?;
        let repository = get("Repository")?;
        let mut purl = Purl::new("cran", name).map_err(|e| {
            shape(
                path,
                text,
                key,
                pointer.clone(),
                format!("package `{key}`: {e}"),
            )
        })?;
        if let Some(v) = version {
            purl = purl.with_version(v);
        }
        let mut qualifier = None;
        let mut pkg_source = None;
        match source.unwrap_or("Repository") {
            "Bioconductor" => {
                qualifier = Some(("repository_url", "https://bioconductor.org".to_string()))
            }
            "GitHub" | "GitLab" | "Bitbucket" => {
                let host = match (source, get("RemoteHost")?) {
                    (Some("GitHub"), Some(h)) if h.contains("api.github.com") => {
                        "github.com".to_string()
                    }
                    (_, Some(h)) => h
                        .trim_start_matches("https://")
                        .trim_start_matches("api.")
                        .to_string(),
                    (Some("GitLab"), None) => "gitlab.com".to_string(),
                    (Some("Bitbucket"), None) => "bitbucket.org".to_string(),
                    _ => "github.com".to_string(),
                };
                if let (Some(u), Some(r)) = (get("RemoteUsername")?, get("RemoteRepo")?) {
                    let mut url = format!("git+https://{host}/{u}/{r}");
                    if let Some(sha) = get("RemoteSha")? {
                        url.push('@');
                        url.push_str(sha);
                    }
                    pkg_source = Some(url.clone());
                    qualifier = Some(("vcs_url", url));
                }
            }
            _ => {
                if let Some(repo) = repository.filter(|r| !CRAN_NAMES.contains(r)) {
                    let url = repos.get(repo).copied().unwrap_or(repo);
                    qualifier = Some(("repository_url", url.to_string()));
                    pkg_source = Some(url.to_string());
                }
            }
        }
        if let Some((k, v)) = &qualifier {
            purl = purl
                .with_qualifier(k, v)
                .map_err(|e| shape(path, text, key, pointer.clone(), e.to_string()))?;
        }
        let mut loc = Location::new(path);
        if let Some(l) = line {
            loc = loc.with_line(l);
        }
        let mut pkg = Package::new(Ecosystem::Cran, name, version)
            .with_purl(purl)
            .with_location(loc);
        if let Some(s) = pkg_source {
            pkg = pkg.with_source(s);
        }
        if let Some(h) = get("Hash")? {
            pkg = pkg.with_property(PROP_RENV_HASH, h);
        }
        if source == Some("Bioconductor")
            && let Some(b) = bioc
        {
            pkg = pkg.with_property(PROP_BIOCONDUCTOR, b);
        }
        let id = inv.add_package(pkg);
        ids.insert(name.to_string(), id);
        deps.push((id, requirements(entry)));
    }
    for (from, names) in deps {
        let mut unresolved = Vec::new();
        for n in names {
            match ids.get(&n) {
                Some(&to) => inv.add_edge(from, to),
                None if BASE_PACKAGES.contains(&n.as_str()) => {}
                None => unresolved.push(n),
            }
        }
        if !unresolved.is_empty() {
            inv.package_mut(from)
                .properties
                .insert(PROP_UNRESOLVED.to_string(), unresolved.join(", "));
        }
    }
    Ok(inv)
}
