//! pip requirements files.
//!
//! **Which files.** A file whose name ends in `.txt` and either starts with `requirements`
//! (`requirements.txt`, `requirements-dev.txt`, `requirements_test.txt`), ends with
//! `requirements.txt` (`dev-requirements.txt`, `test.requirements.txt`), or sits in a
//! directory named `requirements` (`requirements/base.txt`). Names are compared
//! case-insensitively. pip-compile inputs (`requirements.in`) are not matched on their own:
//! they repeat, unpinned, what the compiled `.txt` pins; they are still read when a matched
//! file includes them with `-r`.
//!
//! **Lines.** Line continuations and comments are handled as pip does (`join_lines`, then
//! `#` at the start or after whitespace starts a comment). A requirement is split from its
//! per-requirement options (`--hash`, `--global-option`, `--config-settings`, `-C`) at the
//! first token starting with `-`, as pip's `break_args_options` does.
//!
//! * `name==1.0` / `name===1.0` give the version; any other requirement (`>=`, `~=`,
//!   wildcards, nothing) is kept with version `None` and its specifier in
//!   `chainproof:python:requirement`. Extras and markers become properties.
//! * `--hash=alg:hex` (repeatable, across continuation lines) become hashes; values that are
//!   not hex digests are kept in `chainproof:python:invalid-hash`.
//! * `name @ url`, bare URLs, VCS URLs (`git+https://...#egg=name`), local paths and
//!   `-e`/`--editable` are recorded with [`Package::source`] = the reference. The name is
//!   taken from `name @`, `#egg=`, or a wheel/sdist file name (which also gives the
//!   version); otherwise the last path segment is used, without a purl, and the package is
//!   marked `chainproof:python:name-guessed`.
//! * `-r`/`--requirement` includes are read (relative to the including file, through the
//!   resolver); their packages carry the included file's location. `-c`/`--constraint`
//!   files are read too, but only to give a version to requirements that are not pinned
//!   (what pip would install); a constraint alone adds no package. Each file is read once,
//!   so cycles end. A missing, escaping or remote include is reported as
//!   [`Unparsed`] at the line of the `-r`, and the rest of the file is still read.
//! * Index/find-links/global options (`-i`, `--index-url`, `--extra-index-url`, `-f`, ...)
//!   are ignored. A line that is not a valid requirement or a known option is reported as
//!   [`Unparsed`] with its line; it does not fail the file.
//!
//! A requirements file has no dependency graph: no edges and no roots are recorded.

use std::collections::BTreeSet;

use chainproof_core::{Inventory, Location, Package, Unparsed};
use chainproof_source::{FileResolver, file_name, join_relative, parent_dir};

use super::pep508::{self, Requirement};
use super::{
    P_CONSTRAINT, P_EDITABLE, P_EXTRAS, P_MARKER, P_NAME_GUESSED, P_REQUIREMENT, add_hash,
    normalize_name, pypi_package, pypi_purl,
};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Reads pip requirements files (see the module documentation for which files and rules).
pub struct RequirementsCataloger;

const NAME: &str = "python-requirements";

static INFO: CatalogerInfo = CatalogerInfo {
    name: NAME,
    ecosystem: "PyPI",
    files: "`requirements*.txt`, `*requirements.txt`, `requirements/*.txt` (with `-r`/`-c` includes)",
    edges: false,
    licenses: false,
    scopes: false,
    hashes: true,
};

impl Cataloger for RequirementsCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        is_requirements_path(path)
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        let mut st = State {
            resolver,
            root: path,
            visited: BTreeSet::from([path.to_string()]),
            packages: Vec::new(),
            constraints: Vec::new(),
            unparsed: Vec::new(),
        };
        st.read_file(path, &text, false);
        Ok(st.finish())
    }
}

fn is_requirements_path(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let dir = file_name(parent_dir(path)).to_ascii_lowercase();
    name.ends_with(".txt")
        && (name.starts_with("requirements")
            || name.ends_with("requirements.txt")
            || dir == "requirements")
}

/// A pin read from a constraints file.
struct Constraint {
    name: String,
    version: String,
    location: Location,
}

struct State<'a> {
    resolver: &'a dyn FileResolver,
    root: &'a str,
    visited: BTreeSet<String>,
    packages: Vec<Package>,
    constraints: Vec<Constraint>,
    unparsed: Vec<Unparsed>,
}

/// One logical line: first physical line number and the joined text, comments removed.
pub(crate) fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(u32, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let is_comment = raw.trim_start().starts_with('#');
        if raw.ends_with('\\') && !is_comment {
            // pip strips backslashes from both ends of a continued line.
            let piece = raw.trim_matches('\\');
            match &mut cur {
                Some((_, s)) => s.push_str(piece),
                None => cur = Some((n, piece.to_string())),
            }
        } else {
            match cur.take() {
                Some((l, mut s)) => {
                    if is_comment {
                        s.push(' ');
                    }
                    s.push_str(raw);
                    out.push((l, s));
                }
                None => out.push((n, raw.to_string())),
            }
        }
    }
    out.extend(cur);
    for (_, s) in &mut out {
        strip_comment(s);
    }
    out.retain(|(_, s)| !s.trim().is_empty());
    out
}

/// Removes `#...` where `#` starts the line or follows whitespace.
fn strip_comment(s: &mut String) {
    let cut = s
        .char_indices()
        .find(|&(i, c)| c == '#' && (i == 0 || s[..i].ends_with(char::is_whitespace)))
        .map(|(i, _)| i);
    if let Some(i) = cut {
        s.truncate(i);
    }
}

/// Splits a leading option into (name, value, rest). `--opt=v`, `--opt v`, `-xv`, `-x v`.
fn split_option(line: &str) -> (&str, &str, &str) {
    let line = line.trim();
    if line.starts_with("--") {
        let end = line
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(line.len());
        let name = &line[..end];
        let after = line[end..].trim_start_matches('=').trim_start();
        let (value, rest) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
        return (name, value, rest.trim());
    }
    let name_end = line.char_indices().nth(2).map_or(line.len(), |(i, _)| i);
    let name = &line[..name_end];
    let after = line[name_end..].trim_start();
    let (value, rest) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
    (name, value, rest.trim())
}

/// Options that are not about a particular requirement; pip applies them globally.
const GLOBAL_OPTIONS: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "--no-index",
    "-f",
    "--find-links",
    "--pre",
    "--prefer-binary",
    "--require-hashes",
    "--only-binary",
    "--no-binary",
    "--trusted-host",
    "--use-feature",
    "-Z",
    "--always-unzip",
    "--process-dependency-links",
    "--config-settings",
    "-C",
];

/// Per-requirement options whose value may be the next token.
const VALUED_OPTIONS: &[&str] = &[
    "--hash",
    "--global-option",
    "--install-option",
    "--config-settings",
    "-C",
];

impl State<'_> {
    fn report(&mut self, file: &str, line: u32, message: impl Into<String>) {
        // An included file that this cataloger also matches is cataloged on its own; report
        // its problems only there, so a merged inventory lists them once.
        if file != self.root && is_requirements_path(file) {
            return;
        }
        let message = message.into();
        self.unparsed.push(Unparsed {
            location: Location::new(file).with_line(line),
            cataloger: NAME.to_string(),
            error: format!("{file}:{line}: {message}"),
        });
    }

    fn read_file(&mut self, file: &str, text: &str, constraint: bool) {
        for (line, content) in logical_lines(text) {
            let content = content.trim();
            if content.starts_with('-') {
                self.option_line(file, line, content, constraint);
            } else {
                self.requirement_line(file, line, content, false, constraint);
            }
        }
    }

    fn option_line(&mut self, file: &str, line: u32, content: &str, constraint: bool) {
        let (name, value, rest) = split_option(content);
        match name {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                let is_constraint = constraint || name == "-c" || name == "--constraint";
                self.include(file, line, value, is_constraint);
            }
            "-e" | "--editable" => {
                if value.is_empty() {
                    self.report(file, line, format!("`{name}` without a value"));
                } else {
                    let spec = if rest.is_empty() {
                        value.to_string()
                    } else {
                        format!("{value} {rest}")
                    };
                    self.requirement_line(file, line, &spec, true, constraint);
                }
            }
            n if GLOBAL_OPTIONS.contains(&n) => {}
            n => self.report(file, line, format!("unknown option `{n}`")),
        }
    }

    fn include(&mut self, file: &str, line: u32, target: &str, constraint: bool) {
        if target.is_empty() {
            self.report(file, line, "include without a file name");
            return;
        }
        if target.contains("://") {
            self.report(
                file,
                line,
                format!("remote include `{target}` not followed"),
            );
            return;
        }
        let Some(resolved) = join_relative(parent_dir(file), target) else {
            self.report(file, line, format!("include `{target}` leaves the target"));
            return;
        };
        if !self.visited.insert(resolved.clone()) {
            return; // already read (a cycle or a shared include)
        }
        if !self.resolver.exists(&resolved) {
            self.report(file, line, format!("included file `{resolved}` not found"));
            return;
        }
        match self.resolver.read_to_string(&resolved) {
            Ok(text) => self.read_file(&resolved, &text, constraint),
            Err(e) => self.report(file, line, format!("cannot read include: {e}")),
        }
    }

    fn requirement_line(
        &mut self,
        file: &str,
        line: u32,
        content: &str,
        editable: bool,
        constraint: bool,
    ) {
        let tokens: Vec<&str> = content.split_whitespace().collect();
        let split = tokens
            .iter()
            .position(|t| t.starts_with('-'))
            .unwrap_or(tokens.len());
        let spec = tokens[..split].join(" ");
        let options = &tokens[split..];
        if spec.is_empty() {
            self.report(file, line, "options without a requirement");
            return;
        }
        let location = Location::new(file).with_line(line);
        let first = tokens.first().copied().unwrap_or_default();
        let mut pkg = if !pep508::is_named_url(&spec) && (editable || is_direct_reference(first)) {
            direct_package(&spec, file)
        } else {
            match pep508::parse(&spec) {
                Ok(req) => requirement_package(&req),
                Err(msg) => {
                    self.report(file, line, msg);
                    return;
                }
            }
        };
        if editable {
            pkg.properties.insert(P_EDITABLE.into(), "true".into());
        }
        let mut i = 0;
        while i < options.len() {
            let opt = options[i];
            let (name, inline) = match opt.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (opt, None),
            };
            let value = match inline {
                Some(v) => Some(v),
                None if VALUED_OPTIONS.contains(&name) => {
                    i += 1;
                    options.get(i).copied()
                }
                None => None,
            };
            if let Some(v) = value.filter(|_| name == "--hash") {
                add_hash(&mut pkg, v);
            }
            i += 1;
        }
        if constraint {
            if let Some(version) = pkg.version.clone() {
                self.constraints.push(Constraint {
                    name: normalize_name(&pkg.name),
                    version,
                    location,
                });
            }
            return;
        }
        pkg.locations.push(location);
        self.packages.push(pkg);
    }

    fn finish(mut self) -> Inventory {
        for pkg in &mut self.packages {
            if pkg.version.is_some() || pkg.source.is_some() || pkg.purl.is_none() {
                continue;
            }
            let name = normalize_name(&pkg.name);
            if let Some(c) = self.constraints.iter().find(|c| c.name == name) {
                pkg.version = Some(c.version.clone());
                pkg.purl = pypi_purl(&pkg.name, Some(&c.version));
                pkg.properties
                    .insert(P_CONSTRAINT.into(), c.location.to_string());
                pkg.locations.push(c.location.clone());
            }
        }
        let mut inv = Inventory::default();
        for p in self.packages {
            inv.add_package(p);
        }
        for u in self.unparsed {
            inv.add_unparsed(u);
        }
        inv
    }
}

fn requirement_package(req: &Requirement) -> Package {
    let mut version = req.pinned_version().map(str::to_string);
    if version.is_none() {
        // `name @ .../name-1.0-py3-none-any.whl`: the file name gives the version.
        version = req
            .url
            .as_deref()
            .and_then(archive_name_version)
            .filter(|(n, _)| normalize_name(n) == normalize_name(&req.name))
            .and_then(|(_, v)| v);
    }
    let mut pkg = pypi_package(&req.name, version.as_deref());
    if version.is_none() && req.url.is_none() {
        pkg.properties
            .insert(P_REQUIREMENT.into(), req.specifier_string());
    }
    if let Some(url) = &req.url {
        pkg.source = Some(url.clone());
    }
    if !req.extras.is_empty() {
        pkg.properties.insert(P_EXTRAS.into(), req.extras.join(","));
    }
    if let Some(m) = &req.marker {
        pkg.properties.insert(P_MARKER.into(), m.clone());
    }
    pkg
}

/// A URL, VCS reference or local path rather than a name.
fn is_direct_reference(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("file:")
        || ["git+", "hg+", "svn+", "bzr+"]
            .iter()
            .any(|p| lower.starts_with(p))
        || lower.starts_with('.')
        || lower.starts_with('/')
        || lower.starts_with('~')
        || lower.contains('/')
        || lower.contains('\\')
        || [".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// `(name, version)` from a wheel or sdist file name at the end of a path or URL.
fn archive_name_version(reference: &str) -> Option<(String, Option<String>)> {
    let base = reference.split(['#', '?']).next().unwrap_or(reference);
    let file = base.trim_end_matches('/').rsplit('/').next()?;
    if let Some(stem) = file.strip_suffix(".whl") {
        let parts: Vec<&str> = stem.split('-').collect();
        if parts.len() >= 5 && pep508::is_valid_name(parts[0]) {
            return Some((parts[0].to_string(), Some(parts[1].to_string())));
        }
        return None;
    }
    let stem = [".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz"]
        .iter()
        .find_map(|e| file.strip_suffix(e))?;
    let (name, version) = stem.rsplit_once('-')?;
    (pep508::is_valid_name(name) && version.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| (name.to_string(), Some(version.to_string())))
}

/// A package for a URL / VCS / path requirement (`spec` may end with `; marker`).
fn direct_package(spec: &str, file: &str) -> Package {
    let split = spec
        .char_indices()
        .find(|&(i, c)| c == ';' && i > 0 && spec[..i].ends_with(char::is_whitespace))
        .map(|(i, _)| i);
    let (reference, marker) = match split {
        Some(i) => (spec[..i].trim(), Some(spec[i + 1..].trim())),
        None => (spec.trim(), None),
    };
    let egg = reference.split_once('#').and_then(|(_, frag)| {
        frag.split('&')
            .find_map(|kv| kv.strip_prefix("egg="))
            .map(|e| e.split('[').next().unwrap_or(e).to_string())
            .filter(|e| pep508::is_valid_name(e))
    });
    let mut pkg = if let Some(name) = egg {
        pypi_package(&name, None)
    } else if let Some((name, version)) = archive_name_version(reference) {
        pypi_package(&name, version.as_deref())
    } else {
        let base = reference.split('#').next().unwrap_or(reference);
        let last = base
            .trim_end_matches(['/', '\\'])
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(base);
        let last = last.split('@').next().unwrap_or(last);
        let last = last.strip_suffix(".git").unwrap_or(last);
        let name = match last {
            "" | "." | ".." => match file_name(parent_dir(file)) {
                "" => ".",
                d => d,
            },
            n => n,
        };
        let mut p = Package::new(chainproof_core::Ecosystem::PyPI, name, None);
        p.properties.insert(P_NAME_GUESSED.into(), "true".into());
        p
    };
    pkg.source = Some(reference.to_string());
    if let Some(m) = marker.filter(|m| !m.is_empty()) {
        pkg.properties.insert(P_MARKER.into(), m.to_string());
    }
    pkg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_lines_like_pip() {
        let text = "foo==\\\n\\\n \\\n1.2.3\nbar == 4.5\\\\\n.6\n# c \\\nbaz == 7.8.9 # \\\nbaz == 1.2.3\nqux == 1\\";
        let lines: Vec<_> = logical_lines(text)
            .into_iter()
            .map(|(l, s)| (l, s.trim().to_string()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (1, "foo== 1.2.3".to_string()),
                (5, "bar == 4.5.6".to_string()),
                (8, "baz == 7.8.9".to_string()),
                (10, "qux == 1".to_string()),
            ]
        );
    }

    #[test]
    fn matches_paths() {
        for p in [
            "requirements.txt",
            "a/requirements-dev.txt",
            "Requirements_test.txt",
            "dev-requirements.txt",
            "x/test.requirements.txt",
            "requirements/base.txt",
        ] {
            assert!(is_requirements_path(p), "{p}");
        }
        for p in [
            "requirements.in",
            "constraints.txt",
            "notes.txt",
            "requirements.txt.bak",
        ] {
            assert!(!is_requirements_path(p), "{p}");
        }
    }

    #[test]
    fn options() {
        assert_eq!(split_option("-r ./a.txt"), ("-r", "./a.txt", ""));
        assert_eq!(split_option("-ra.txt"), ("-r", "a.txt", ""));
        assert_eq!(
            split_option("--requirement=a.txt"),
            ("--requirement", "a.txt", "")
        );
        assert_eq!(
            split_option("-e git+https://x/y.git#egg=y --config-settings a"),
            ("-e", "git+https://x/y.git#egg=y", "--config-settings a")
        );
    }

    #[test]
    fn archive_names() {
        assert_eq!(
            archive_name_version("./downloads/numpy-1.9.2-cp34-none-win32.whl"),
            Some(("numpy".into(), Some("1.9.2".into())))
        );
        assert_eq!(
            archive_name_version("https://x/pkg-1.0.tar.gz#sha256=00"),
            Some(("pkg".into(), Some("1.0".into())))
        );
        assert_eq!(archive_name_version("https://x/refs/tags/1.26.8.zip"), None);
    }
}
