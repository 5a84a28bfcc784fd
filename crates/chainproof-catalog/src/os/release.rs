//! OS detection: `/etc/os-release`, `/usr/lib/os-release`, and the older release files
//! (`/etc/alpine-release`, `/etc/debian_version`, `/etc/redhat-release`,
//! `/etc/centos-release`, `/etc/system-release`) → distro id, version and codename.

use chainproof_source::FileResolver;

/// What a filesystem says about its distribution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsRelease {
    /// `ID` (lowercase: `debian`, `alpine`, `rhel`, `ubuntu`, ...).
    pub id: String,
    /// `VERSION_ID` (`12`, `3.20.1`, `9.2`); absent on rolling releases and `sid`.
    pub version_id: Option<String>,
    /// `VERSION_CODENAME` (`bookworm`).
    pub codename: Option<String>,
    /// `ID_LIKE`, split on spaces.
    pub id_like: Vec<String>,
    /// `PRETTY_NAME`.
    pub pretty_name: Option<String>,
}

impl OsRelease {
    /// The purl `distro` qualifier as syft writes it: `<id>-<version_id>` (`debian-12`,
    /// `alpine-3.20.1`, `rhel-9.2`), or `<id>-<codename>`, or `<id>` alone.
    pub fn distro_qualifier(&self) -> String {
        match (&self.version_id, &self.codename) {
            (Some(v), _) => format!("{}-{v}", self.id),
            (None, Some(c)) => format!("{}-{c}", self.id),
            (None, None) => self.id.clone(),
        }
    }

    /// Whether the distro is `id` or declares itself like it.
    pub fn is_like(&self, id: &str) -> bool {
        self.id == id || self.id_like.iter().any(|l| l == id)
    }
}

/// Parses an `os-release` file; `None` when it has no `ID`.
pub fn parse_os_release(text: &str) -> Option<OsRelease> {
    let mut r = OsRelease::default();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = unquote(v.trim());
        if v.is_empty() {
            continue;
        }
        match k.trim() {
            "ID" => r.id = v.to_ascii_lowercase(),
            "VERSION_ID" => r.version_id = Some(v),
            "VERSION_CODENAME" => r.codename = Some(v),
            "ID_LIKE" => r.id_like = v.split_whitespace().map(str::to_ascii_lowercase).collect(),
            "PRETTY_NAME" => r.pretty_name = Some(v),
            _ => {}
        }
    }
    (!r.id.is_empty()).then_some(r)
}

/// Removes shell quoting from an os-release value (`"a b"`, `'a'`, `\"`).
fn unquote(v: &str) -> String {
    let inner = if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        &v[1..v.len() - 1]
    } else {
        v
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Detects the distribution of the filesystem rooted at `root` (empty, or a path ending in
/// `/`): os-release files first, then the distro-specific release files.
pub fn detect(resolver: &dyn FileResolver, root: &str) -> Option<OsRelease> {
    let read = |rel: &str| -> Option<String> {
        let p = format!("{root}{rel}");
        if !resolver.exists(&p) {
            return None;
        }
        resolver.read_to_string(&p).ok()
    };
    for f in ["etc/os-release", "usr/lib/os-release"] {
        if let Some(r) = read(f).as_deref().and_then(parse_os_release) {
            return Some(r);
        }
    }
    if let Some(t) = read("etc/alpine-release") {
        let v = t.trim();
        return Some(OsRelease {
            id: "alpine".into(),
            version_id: (!v.is_empty()).then(|| v.to_string()),
            ..OsRelease::default()
        });
    }
    for f in [
        "etc/redhat-release",
        "etc/centos-release",
        "etc/system-release",
    ] {
        if let Some(r) = read(f).as_deref().and_then(parse_redhat_release) {
            return Some(r);
        }
    }
    if let Some(t) = read("etc/debian_version") {
        return Some(parse_debian_version(t.trim()));
    }
    None
}

/// `/etc/debian_version`: `12.5` → version 12; `bookworm/sid` → codename bookworm.
fn parse_debian_version(v: &str) -> OsRelease {
    let mut r = OsRelease {
        id: "debian".into(),
        ..OsRelease::default()
    };
    let major = v.split('.').next().unwrap_or("");
    if !major.is_empty() && major.bytes().all(|b| b.is_ascii_digit()) {
        r.version_id = Some(major.to_string());
    } else if let Some(c) = v.split('/').next().filter(|c| !c.is_empty()) {
        r.codename = Some(c.to_string());
    }
    r
}

/// `Red Hat Enterprise Linux release 9.2 (Plow)`, `CentOS Linux release 7.9.2009 (Core)`,
/// `Fedora release 38 (Thirty Eight)`, `Amazon Linux release 2023 (Amazon Linux)`, ...
pub fn parse_redhat_release(text: &str) -> Option<OsRelease> {
    let line = text.lines().next()?.trim();
    let (name, rest) = line.split_once(" release ")?;
    let version = rest.split_whitespace().next()?.to_string();
    let lower = name.to_ascii_lowercase();
    let (id, version_id) = if lower.starts_with("red hat") {
        ("rhel", version)
    } else if lower.starts_with("centos") {
        // os-release on CentOS says VERSION_ID="7", not the full point release.
        let major = version.split('.').next().unwrap_or(&version).to_string();
        ("centos", major)
    } else if lower.starts_with("fedora") {
        ("fedora", version)
    } else if lower.starts_with("rocky") {
        ("rocky", version)
    } else if lower.starts_with("almalinux") {
        ("almalinux", version)
    } else if lower.starts_with("amazon") {
        ("amzn", version)
    } else if lower.starts_with("oracle") {
        ("ol", version)
    } else {
        return None;
    };
    Some(OsRelease {
        id: id.into(),
        version_id: Some(version_id),
        pretty_name: Some(line.to_string()),
        ..OsRelease::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainproof_source::MemoryResolver;

    #[test]
    fn os_release() {
        let r = parse_os_release(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n\
             VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n",
        )
        .expect("id");
        assert_eq!(r.id, "debian");
        assert_eq!(r.version_id.as_deref(), Some("12"));
        assert_eq!(r.codename.as_deref(), Some("bookworm"));
        assert_eq!(r.distro_qualifier(), "debian-12");
        let u = parse_os_release("ID=ubuntu\nID_LIKE=debian\nVERSION_ID='22.04'\n").expect("id");
        assert!(u.is_like("debian"));
        assert_eq!(u.distro_qualifier(), "ubuntu-22.04");
        assert!(parse_os_release("NAME=x\n").is_none());
    }

    #[test]
    fn fallbacks() {
        let m = MemoryResolver::new().with_file("r/etc/alpine-release", "3.20.1\n");
        let r = detect(&m, "r/").expect("alpine");
        assert_eq!(r.distro_qualifier(), "alpine-3.20.1");
        let m = MemoryResolver::new().with_file("etc/debian_version", "12.5\n");
        assert_eq!(detect(&m, "").expect("deb").distro_qualifier(), "debian-12");
        let m = MemoryResolver::new().with_file("etc/debian_version", "trixie/sid\n");
        assert_eq!(
            detect(&m, "").expect("deb").distro_qualifier(),
            "debian-trixie"
        );
        let m = MemoryResolver::new().with_file(
            "etc/redhat-release",
            "Red Hat Enterprise Linux release 9.2 (Plow)\n",
        );
        assert_eq!(detect(&m, "").expect("rh").distro_qualifier(), "rhel-9.2");
        let m = MemoryResolver::new().with_file(
            "etc/centos-release",
            "CentOS Linux release 7.9.2009 (Core)\n",
        );
        assert_eq!(detect(&m, "").expect("c").distro_qualifier(), "centos-7");
        assert!(detect(&MemoryResolver::new(), "").is_none());
    }
}
