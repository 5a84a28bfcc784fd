//! The raw `Gemfile.lock` / `gems.locked` model and its line parser.
//!
//! Bundler writes sections headed by an unindented upper-case title. Source sections
//! (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) hold two-space `key: value` options, then
//! `specs:` with four-space `name (version[-platform])` lines, each followed by six-space
//! `name[ (requirements)]` dependency lines. `PLATFORMS` and `DEPENDENCIES` list two-space
//! entries (`name[ (requirements)][!]`); `RUBY VERSION` and `BUNDLED WITH` hold one value;
//! `CHECKSUMS` (Bundler 2.5+) lists `name (version[-platform])[ algo=hex[,algo=hex]]`.
//! As in Bundler's own parser, the version of a spec ends at its first `-`, and the rest is
//! the platform. Unknown sections are skipped; lines that fit no section are errors.

use crate::CatalogError;

/// The kind of a source section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SourceKind {
    Gem,
    Git,
    Path,
    Plugin,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Gem => "gem",
            SourceKind::Git => "git",
            SourceKind::Path => "path",
            SourceKind::Plugin => "plugin",
        }
    }
}

/// One `GEM` / `GIT` / `PATH` / `PLUGIN SOURCE` section.
#[derive(Debug, Clone)]
pub(super) struct Source {
    pub kind: SourceKind,
    pub remotes: Vec<String>,
    /// Other `key: value` options (`revision`, `branch`, `tag`, `ref`, `glob`, ...).
    pub options: Vec<(String, String)>,
}

impl Source {
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A locked gem.
#[derive(Debug, Clone)]
pub(super) struct Spec {
    pub name: String,
    pub version: String,
    pub platform: Option<String>,
    /// Index into [`Lock::sources`].
    pub source: usize,
    pub line: u32,
    /// Dependency names (requirements are not needed to resolve within a lock).
    pub deps: Vec<String>,
}

/// An entry of `DEPENDENCIES`.
#[derive(Debug, Clone)]
pub(super) struct Dependency {
    pub name: String,
    pub requirement: Option<String>,
}

/// An entry of `CHECKSUMS`.
#[derive(Debug, Clone)]
pub(super) struct Checksum {
    pub name: String,
    pub version: String,
    pub platform: Option<String>,
    /// `(algorithm, value)` pairs as written.
    pub sums: Vec<(String, String)>,
}

#[derive(Debug, Default)]
pub(super) struct Lock {
    pub sources: Vec<Source>,
    pub specs: Vec<Spec>,
    pub dependencies: Vec<Dependency>,
    pub platforms: Vec<String>,
    pub ruby_version: Option<String>,
    pub bundled_with: Option<String>,
    pub checksums: Vec<Checksum>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Source { in_specs: bool },
    Platforms,
    Dependencies,
    RubyVersion,
    BundledWith,
    Checksums,
    Unknown,
}

/// Parses the text of a lockfile; `path` is used in errors.
pub(super) fn parse(path: &str, text: &str) -> Result<Lock, CatalogError> {
    let mut lock = Lock::default();
    let mut section = Section::None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let err = |msg: String| CatalogError::new(path, msg).at_line(line_no);
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        if body.starts_with('\t') {
            return Err(err("tab indentation is not valid in a Gemfile.lock".into()));
        }
        if indent == 0 {
            section = header(line).ok_or_else(|| err(format!("unexpected line `{line}`")))?;
            if section == (Section::Source { in_specs: false }) {
                let kind = match line {
                    "GEM" => SourceKind::Gem,
                    "GIT" => SourceKind::Git,
                    "PATH" => SourceKind::Path,
                    _ => SourceKind::Plugin,
                };
                lock.sources.push(Source {
                    kind,
                    remotes: Vec::new(),
                    options: Vec::new(),
                });
            }
            continue;
        }
        match section {
            Section::None => return Err(err("indented line before any section".into())),
            Section::Unknown => {}
            Section::Source { in_specs } => {
                let source = lock.sources.len().saturating_sub(1);
                match indent {
                    2 if body == "specs:" => section = Section::Source { in_specs: true },
                    2 => {
                        let (k, v) = body
                            .split_once(':')
                            .ok_or_else(|| err(format!("expected `key: value`, got `{body}`")))?;
                        let v = v.trim().to_string();
                        if let Some(s) = lock.sources.last_mut() {
                            if k == "remote" {
                                s.remotes.push(v);
                            } else {
                                s.options.push((k.to_string(), v));
                            }
                        }
                    }
                    4 if in_specs => {
                        let (name, version, _) = name_and_paren(body);
                        let version = version
                            .filter(|v| !v.is_empty())
                            .ok_or_else(|| err(format!("spec `{body}` has no version")))?;
                        check_name(name).map_err(err)?;
                        let (version, platform) = split_platform(version);
                        if version.is_empty() {
                            return Err(err(format!("spec `{body}` has an empty version")));
                        }
                        lock.specs.push(Spec {
                            name: name.to_string(),
                            version: version.to_string(),
                            platform: platform.map(str::to_string),
                            source,
                            line: line_no,
                            deps: Vec::new(),
                        });
                    }
                    6 if in_specs => {
                        let (name, _, _) = name_and_paren(body);
                        check_name(name).map_err(err)?;
                        let spec = lock
                            .specs
                            .last_mut()
                            .filter(|s| s.source == source)
                            .ok_or_else(|| err("dependency line outside a spec".into()))?;
                        spec.deps.push(name.to_string());
                    }
                    _ => {
                        return Err(err(format!(
                            "unexpected indentation ({indent} spaces) in a source section"
                        )));
                    }
                }
            }
            Section::Platforms => lock.platforms.push(body.to_string()),
            Section::Dependencies => {
                // `!`: the gem comes from a `GIT`/`PATH` source (the spec says so too).
                let entry = body.strip_suffix('!').unwrap_or(body);
                let (name, requirement, _) = name_and_paren(entry);
                check_name(name).map_err(err)?;
                lock.dependencies.push(Dependency {
                    name: name.to_string(),
                    requirement: requirement.map(str::to_string),
                });
            }
            Section::RubyVersion => lock.ruby_version = Some(body.to_string()),
            Section::BundledWith => lock.bundled_with = Some(body.to_string()),
            Section::Checksums => {
                let (name, version, rest) = name_and_paren(body);
                check_name(name).map_err(err)?;
                let version = version
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| err(format!("checksum entry `{body}` has no version")))?;
                let (version, platform) = split_platform(version);
                let mut sums = Vec::new();
                for part in rest.split([',', ' ']).filter(|p| !p.is_empty()) {
                    let (algo, value) = part
                        .split_once('=')
                        .ok_or_else(|| err(format!("expected `algorithm=digest`, got `{part}`")))?;
                    sums.push((algo.to_string(), value.to_string()));
                }
                lock.checksums.push(Checksum {
                    name: name.to_string(),
                    version: version.to_string(),
                    platform: platform.map(str::to_string),
                    sums,
                });
            }
        }
    }
    Ok(lock)
}

/// The section a header line opens; `None` if it is not a header.
fn header(line: &str) -> Option<Section> {
    Some(match line {
        "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => Section::Source { in_specs: false },
        "PLATFORMS" => Section::Platforms,
        "DEPENDENCIES" => Section::Dependencies,
        "RUBY VERSION" => Section::RubyVersion,
        "BUNDLED WITH" => Section::BundledWith,
        "CHECKSUMS" => Section::Checksums,
        // Sections added by later Bundler versions or plugins: skipped.
        l if l
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b' ' || b == b'_') =>
        {
            Section::Unknown
        }
        _ => return None,
    })
}

/// Splits `name (inner) rest` into the name, the text inside the parentheses and what
/// follows them. Without parentheses the whole text is the name.
fn name_and_paren(s: &str) -> (&str, Option<&str>, &str) {
    match s.split_once(" (") {
        Some((name, after)) => match after.split_once(')') {
            Some((inner, rest)) => (name, Some(inner), rest.trim()),
            None => (name, Some(after), ""),
        },
        None => (s, None, ""),
    }
}

/// `1.2.3-x86_64-linux` → (`1.2.3`, `x86_64-linux`), as Bundler splits it.
fn split_platform(v: &str) -> (&str, Option<&str>) {
    match v.split_once('-') {
        Some((v, p)) if !p.is_empty() => (v, Some(p)),
        Some((v, _)) => (v, None),
        None => (v, None),
    }
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.contains([' ', '(', ')', '!', '\t']) {
        return Err(format!("invalid gem name `{name}`"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        assert_eq!(
            name_and_paren("rack (>= 1.0, < 3)"),
            ("rack", Some(">= 1.0, < 3"), "")
        );
        assert_eq!(
            name_and_paren("a (1.0) sha256=ab"),
            ("a", Some("1.0"), "sha256=ab")
        );
        assert_eq!(name_and_paren("rexml"), ("rexml", None, ""));
        assert_eq!(
            split_platform("1.13.3-x86_64-linux"),
            ("1.13.3", Some("x86_64-linux"))
        );
        assert_eq!(split_platform("1.0"), ("1.0", None));
    }

    #[test]
    fn errors_carry_lines() {
        let e = parse("G", "GEM\n  specs:\n    x\n").err().map(|e| e.line);
        assert_eq!(e, Some(Some(3)));
        let e = parse("G", "GEM\n   bad\n").err().map(|e| e.line);
        assert_eq!(e, Some(Some(2)));
        let e = parse("G", "<<<<<<< HEAD\n").err().map(|e| e.line);
        assert_eq!(e, Some(Some(1)));
        assert!(parse("G", "").is_ok());
    }
}
