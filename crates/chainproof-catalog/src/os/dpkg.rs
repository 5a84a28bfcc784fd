//! dpkg (`var/lib/dpkg/status`, distroless `status.d/*`) and opkg (`usr/lib/opkg/status`)
//! databases: RFC 822-style stanzas.
//!
//! * A stanza is a package when its `Status` state (third word) says its files are on
//!   disk: `installed`, `unpacked`, `half-installed`, `half-configured`,
//!   `triggers-awaited`, `triggers-pending` — what `dpkg-query -W` lists, minus
//!   `config-files` packages (removed, only their conffiles left on disk). A stanza
//!   without `Status` is not installed in a `status` file (dpkg's reading) but is in a
//!   distroless `status.d` file (those never have one); one without `Package` is skipped.
//! * Purl `pkg:deb/<distro id>/<name>@<version>?arch=…&distro=<id>-<version_id>&upstream=…`
//!   (namespace `debian` when no release file is found); opkg: `pkg:opkg/openwrt/…`.
//! * Edges from `Depends` and `Pre-Depends` (alternatives → the first installed one;
//!   virtual names through `Provides`).
//! * Files from `info/<name>[:<arch>].list` (or `<name>.md5sums`, as distroless images
//!   have only those); licenses from the DEP-5 `License:` lines of
//!   `usr/share/doc/<name>/copyright`.

use std::collections::BTreeSet;

use chainproof_core::{Ecosystem, Inventory, License, Location, Package};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name, parent_dir};

use super::release::{self, OsRelease};
use super::{
    OsPackage, PROP_INSTALLED_SIZE, PROP_MAINTAINER, PROP_OWNED_FILES, PROP_SOURCE,
    PROP_SOURCE_VERSION, PROP_STATUS, build_inventory, leaf_paths, root_of,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Which database format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Dpkg,
    Opkg,
}

const DPKG_SUFFIXES: [&str; 3] = [
    "var/lib/dpkg/status",
    "usr/lib/dpkg/status",
    "lib/dpkg/status",
];
const OPKG_SUFFIXES: [&str; 3] = [
    "usr/lib/opkg/status",
    "var/lib/opkg/status",
    "lib/opkg/status",
];

/// Reads dpkg status databases.
#[derive(Debug, Clone, Copy, Default)]
pub struct DpkgCataloger;

/// Reads opkg status databases (OpenWrt).
#[derive(Debug, Clone, Copy, Default)]
pub struct OpkgCataloger;

static DPKG_INFO: CatalogerInfo = CatalogerInfo {
    name: "dpkg-db",
    ecosystem: "Debian",
    files: "`var/lib/dpkg/status`, `var/lib/dpkg/status.d/*` (+ `info/*.list`, `usr/share/doc/*/copyright`)",
    edges: true,
    licenses: true,
    scopes: false,
    hashes: false,
};

static OPKG_INFO: CatalogerInfo = CatalogerInfo {
    name: "opkg-db",
    ecosystem: "OpenWrt",
    files: "`usr/lib/opkg/status`, `var/lib/opkg/status`",
    edges: true,
    licenses: true,
    scopes: false,
    hashes: false,
};

fn ends_with_component(path: &str, suffix: &str) -> bool {
    path == suffix || path.strip_suffix(suffix).is_some_and(|p| p.ends_with('/'))
}

impl DpkgCataloger {
    pub(crate) fn matches_path(&self, path: &str) -> bool {
        if ends_with_component(path, "lib/dpkg/status") {
            return true;
        }
        let name = file_name(path);
        ends_with_component(parent_dir(path), "lib/dpkg/status.d")
            && !name.ends_with(".md5sums")
            && !name.starts_with('.')
    }
}

impl OpkgCataloger {
    pub(crate) fn matches_path(&self, path: &str) -> bool {
        ends_with_component(path, "lib/opkg/status")
    }
}

impl Cataloger for DpkgCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &DPKG_INFO
    }
    fn matches(&self, path: &str) -> bool {
        self.matches_path(path)
    }
    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let (_, pkgs) = read_packages(resolver, path, Flavor::Dpkg)?;
        Ok(build_inventory(pkgs, false))
    }
}

impl Cataloger for OpkgCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &OPKG_INFO
    }
    fn matches(&self, path: &str) -> bool {
        self.matches_path(path)
    }
    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let (_, pkgs) = read_packages(resolver, path, Flavor::Opkg)?;
        Ok(build_inventory(pkgs, false))
    }
}

/// One stanza: fields in order (name as written, value with continuation lines joined by
/// `\n`) and the line it starts on.
#[derive(Debug, Default)]
pub(crate) struct Stanza {
    pub line: u32,
    pub fields: Vec<(String, String)>,
}

impl Stanza {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// Splits a control file into stanzas. A line that is neither `Field: value` nor a
/// continuation is an error with its line.
pub(crate) fn parse_stanzas(path: &str, text: &str) -> Result<Vec<Stanza>, CatalogError> {
    let mut out = Vec::new();
    let mut cur = Stanza::default();
    for (i, line) in text.lines().enumerate() {
        let lineno = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() {
            if !cur.fields.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') && cur.fields.is_empty() {
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            match cur.fields.last_mut() {
                Some((_, v)) => {
                    v.push('\n');
                    v.push_str(line.trim());
                }
                None => {
                    return Err(CatalogError::new(path, "continuation line outside a field")
                        .at_line(lineno));
                }
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err(CatalogError::new(
                path,
                format!("expected `Field: value`, found `{line}`"),
            )
            .at_line(lineno));
        };
        if cur.fields.is_empty() {
            cur.line = lineno;
        }
        cur.fields
            .push((k.trim().to_string(), v.trim().to_string()));
    }
    if !cur.fields.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Whether a `Status` value means the package's files are on disk.
fn present(status: &str) -> bool {
    let state = status.split_whitespace().nth(2).unwrap_or("installed");
    !matches!(state, "not-installed" | "config-files")
}

/// A relation field (`a (>= 1), b:any | c`) → alternatives of bare names.
pub(crate) fn parse_relations(v: &str) -> Vec<Vec<String>> {
    v.split(',')
        .map(|group| {
            group
                .split('|')
                .filter_map(|alt| {
                    let name = alt.trim().split([' ', '(', '[', '<']).next()?.trim();
                    let name = name.split(':').next().unwrap_or(name);
                    (!name.is_empty()).then(|| name.to_string())
                })
                .collect::<Vec<_>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

/// `Source: glibc (2.36-9)` → (`glibc`, `Some("2.36-9")`).
fn parse_source(v: &str) -> (String, Option<String>) {
    match v.split_once('(') {
        Some((n, rest)) => {
            let ver = rest.trim_end().trim_end_matches(')').trim();
            (
                n.trim().to_string(),
                (!ver.is_empty()).then(|| ver.to_string()),
            )
        }
        None => (v.trim().to_string(), None),
    }
}

/// Parses the database at `path` into packages; returns the filesystem root too.
pub(crate) fn read_packages(
    resolver: &dyn FileResolver,
    path: &str,
    flavor: Flavor,
) -> Result<(String, Vec<OsPackage>), CatalogError> {
    let text = resolver.read_to_string(path)?;
    let in_status_d = parent_dir(path).ends_with("status.d");
    let root = if in_status_d {
        root_of(
            parent_dir(path),
            &["var/lib/dpkg/status.d", "usr/lib/dpkg/status.d"],
        )
    } else {
        match flavor {
            Flavor::Dpkg => root_of(path, &DPKG_SUFFIXES),
            Flavor::Opkg => root_of(path, &OPKG_SUFFIXES),
        }
    };
    let os = release::detect(resolver, &root);
    let stanzas = parse_stanzas(path, &text)?;
    let mut out = Vec::new();
    for st in &stanzas {
        let Some(name) = st.get("Package") else {
            continue;
        };
        let status = st.get("Status");
        // In a `status` file a stanza without Status is not installed (dpkg's view);
        // distroless `status.d` entries never have one.
        if status.map_or(!in_status_d, |s| !present(s)) {
            continue;
        }
        let mut p = package(path, st, name, flavor, os.as_ref())?;
        if let Some(s) = status.filter(|s| *s != "install ok installed") {
            p.package
                .properties
                .insert(PROP_STATUS.to_string(), s.to_string());
        }
        if flavor == Flavor::Dpkg {
            let arch = st.get("Architecture");
            p.files = owned_files(resolver, path, in_status_d, name, arch);
            if !p.files.is_empty() {
                p.package
                    .properties
                    .insert(PROP_OWNED_FILES.to_string(), p.files.len().to_string());
            }
            for l in copyright_licenses(resolver, &root, name) {
                p.package.licenses.push(l);
            }
        } else if let Some(l) = st.get("License") {
            p.package.licenses.push(License::parse(l));
        }
        out.push(p);
    }
    Ok((root, out))
}

fn package(
    path: &str,
    st: &Stanza,
    name: &str,
    flavor: Flavor,
    os: Option<&OsRelease>,
) -> Result<OsPackage, CatalogError> {
    let version = st.get("Version");
    let arch = st.get("Architecture");
    let source = st.get("Source").map(parse_source);
    let (ty, ns, eco) = match flavor {
        Flavor::Dpkg => (
            "deb",
            os.map_or("debian", |o| o.id.as_str()),
            Ecosystem::Debian,
        ),
        Flavor::Opkg => (
            "opkg",
            os.map_or("openwrt", |o| o.id.as_str()),
            Ecosystem::Other("OpenWrt".into()),
        ),
    };
    let err = |e: chainproof_purl::PurlError| {
        CatalogError::new(path, format!("package `{name}`: {e}")).at_line(st.line)
    };
    let mut purl = Purl::new(ty, name)
        .map_err(err)?
        .with_namespace(ns)
        .map_err(err)?;
    if let Some(v) = version {
        purl = purl.with_version(v);
    }
    if let Some(a) = arch {
        purl = purl.with_qualifier("arch", a).map_err(err)?;
    }
    if let Some(o) = os {
        purl = purl
            .with_qualifier("distro", &o.distro_qualifier())
            .map_err(err)?;
    }
    if let Some((s, sv)) = source.as_ref().filter(|(s, sv)| s != name || sv.is_some()) {
        let up = match sv {
            Some(v) => format!("{s}@{v}"),
            None => s.clone(),
        };
        purl = purl.with_qualifier("upstream", &up).map_err(err)?;
    }
    let mut pkg = Package::new(eco, name, version)
        .with_purl(purl)
        .with_location(Location::new(path).with_line(st.line));
    if let Some((s, sv)) = source {
        pkg = pkg.with_property(PROP_SOURCE, s);
        if let Some(v) = sv {
            pkg = pkg.with_property(PROP_SOURCE_VERSION, v);
        }
    }
    if let Some(m) = st.get("Maintainer") {
        pkg = pkg.with_property(PROP_MAINTAINER, m);
    }
    if let Some(kib) = st
        .get("Installed-Size")
        .and_then(|s| s.trim().parse::<u64>().ok())
    {
        pkg = pkg.with_property(PROP_INSTALLED_SIZE, kib.saturating_mul(1024).to_string());
    }
    let mut p = OsPackage::new(pkg);
    for field in ["Pre-Depends", "Depends"] {
        if let Some(v) = st.get(field) {
            p.depends.extend(parse_relations(v));
        }
    }
    if let Some(v) = st.get("Provides") {
        p.provides = parse_relations(v).into_iter().flatten().collect();
    }
    Ok(p)
}

/// Files from `info/<name>[:<arch>].list`, else from `.md5sums` (info dir or distroless
/// `status.d/<name>.md5sums`).
fn owned_files(
    resolver: &dyn FileResolver,
    db: &str,
    in_status_d: bool,
    name: &str,
    arch: Option<&str>,
) -> Vec<String> {
    let dir = parent_dir(db);
    let info = if in_status_d {
        format!("{}/info", parent_dir(dir))
    } else if dir.is_empty() {
        "info".to_string()
    } else {
        format!("{dir}/info")
    };
    let mut names = vec![name.to_string()];
    if let Some(a) = arch {
        names.push(format!("{name}:{a}"));
    }
    let read = |p: &str| -> Option<String> {
        if resolver.exists(p) {
            resolver.read_to_string(p).ok()
        } else {
            None
        }
    };
    for n in &names {
        if let Some(t) = read(&format!("{info}/{n}.list")) {
            let files = t
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            return leaf_paths(files);
        }
    }
    let mut md5 = vec![];
    for n in &names {
        md5.push(format!("{info}/{n}.md5sums"));
        if in_status_d {
            md5.push(format!("{dir}/{n}.md5sums"));
        }
    }
    for p in md5 {
        if let Some(t) = read(&p) {
            let files: BTreeSet<String> = t
                .lines()
                .filter_map(|l| l.split_once(char::is_whitespace))
                .map(|(_, f)| format!("/{}", f.trim().trim_start_matches('/')))
                .filter(|f| f.len() > 1)
                .collect();
            return files.into_iter().collect();
        }
    }
    Vec::new()
}

/// Licenses named by the `License:` lines of `usr/share/doc/<name>/copyright`, and common
/// licenses referenced as `/usr/share/common-licenses/X`, in first-seen order.
pub(crate) fn copyright_licenses(
    resolver: &dyn FileResolver,
    root: &str,
    name: &str,
) -> Vec<License> {
    let p = format!("{root}usr/share/doc/{name}/copyright");
    if !resolver.exists(&p) {
        return Vec::new();
    }
    let Ok(bytes) = resolver.read(&p) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut seen: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        let s = s.trim().trim_end_matches(['.', ',', ';']).trim();
        if !s.is_empty() && s.len() < 200 && !seen.iter().any(|x| x == s) {
            seen.push(s.to_string());
        }
    };
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("License:") {
            add(v);
        }
        if let Some(i) = line.find("/usr/share/common-licenses/") {
            let rest = &line[i + "/usr/share/common-licenses/".len()..];
            let lic: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+'))
                .collect();
            let lic = lic.trim_end_matches('.');
            if !lic.is_empty() {
                add(lic);
            }
        }
    }
    seen.iter().map(|s| License::parse(s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations() {
        assert_eq!(
            parse_relations("libc6 (>= 2.34), awk | mawk:any, python3:any (>= 3.7~)"),
            vec![
                vec!["libc6".to_string()],
                vec!["awk".to_string(), "mawk".to_string()],
                vec!["python3".to_string()]
            ]
        );
        assert_eq!(
            parse_source("glibc (2.36-9)"),
            ("glibc".into(), Some("2.36-9".into()))
        );
        assert!(present("install ok installed"));
        assert!(present("deinstall ok half-configured"));
        assert!(!present("deinstall ok config-files"));
        assert!(!present("purge ok not-installed"));
    }

    #[test]
    fn stanza_errors_have_lines() {
        let e = parse_stanzas("s", "Package: a\nbogus\n").expect_err("bad");
        assert_eq!(e.line, Some(2));
    }
}
