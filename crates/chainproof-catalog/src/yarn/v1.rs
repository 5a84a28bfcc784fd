//! The yarn v1 lockfile format (`# yarn lockfile v1`): a YAML-like text where each entry
//! is keyed at column 0 by one or more comma-separated `name@range` specifiers (quoted or
//! not), with two-space-indented fields (`version "1.2.3"`) and four-space-indented
//! members of the `dependencies` / `optionalDependencies` maps.

use super::Entry;
use super::manifest::{DepKind, split_descriptor};
use crate::CatalogError;

/// One token: a double-quoted string (with `\` escapes) or a run of non-blank characters.
/// Returns the token and the rest of the line.
fn token(s: &str) -> Result<(String, &str), String> {
    let s = s.trim_start();
    if let Some(body) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((out, &body[i + 1..])),
                '\\' => match chars.next() {
                    Some((_, e)) => out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    }),
                    None => break,
                },
                c => out.push(c),
            }
        }
        return Err("unterminated quoted string".into());
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    Ok((s[..end].to_string(), &s[end..]))
}

/// Splits the key line (without its final `:`) into descriptors.
fn descriptors(key: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = key.trim();
    while !rest.is_empty() {
        let (t, after) = if rest.starts_with('"') {
            token(rest)?
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            (rest[..end].trim().to_string(), &rest[end..])
        };
        if t.is_empty() {
            return Err("empty specifier in entry key".into());
        }
        out.push(t);
        let after = after.trim_start();
        rest = match after.strip_prefix(',') {
            Some(r) => r.trim_start(),
            None if after.is_empty() => after,
            None => return Err(format!("unexpected `{after}` after a specifier")),
        };
    }
    if out.is_empty() {
        return Err("entry key names no specifier".into());
    }
    Ok(out)
}

#[derive(PartialEq)]
enum Section {
    None,
    Deps(DepKind),
    Other,
}

/// Parses the whole file into entries.
pub(super) fn parse(path: &str, text: &str) -> Result<Vec<Entry>, CatalogError> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut section = Section::None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let err = |msg: String| CatalogError::new(path, msg).at_line(line_no);
        let line = raw.trim_end();
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if line[..indent].contains('\t') {
            return Err(err("tab in indentation".into()));
        }
        match indent {
            0 => {
                let Some(key) = content.strip_suffix(':') else {
                    return Err(err(format!(
                        "expected an entry key ending with `:`, found `{content}`"
                    )));
                };
                let descriptors = descriptors(key).map_err(err)?;
                let first = descriptors[0].clone();
                let Some((name, _)) = split_descriptor(&first) else {
                    return Err(err(format!("`{first}` is not a `name@range` specifier")));
                };
                entries.push(Entry {
                    name: name.to_string(),
                    descriptors,
                    line: line_no,
                    ..Entry::default()
                });
                section = Section::None;
            }
            2 => {
                let Some(entry) = entries.last_mut() else {
                    return Err(err("indented line before the first entry".into()));
                };
                let (key, rest) = token(content).map_err(err)?;
                // `"dependencies":` — a quoted key followed by its colon.
                let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
                let key = key.strip_suffix(':').unwrap_or(&key).to_string();
                if rest.is_empty() {
                    if !content.ends_with(':') {
                        return Err(err(format!("field `{key}` has no value")));
                    }
                    section = match key.as_str() {
                        "dependencies" => Section::Deps(DepKind::Prod),
                        "optionalDependencies" => Section::Deps(DepKind::Optional),
                        _ => Section::Other,
                    };
                    continue;
                }
                section = Section::None;
                let (value, tail) = token(rest).map_err(err)?;
                if !tail.trim().is_empty() {
                    return Err(err(format!("unexpected `{}` after a value", tail.trim())));
                }
                match key.as_str() {
                    "version" => entry.version = Some(value),
                    "resolved" => entry.resolved = Some(value),
                    "integrity" => entry.integrity = Some(value),
                    _ => {}
                }
            }
            4 | 6 => {
                if entries.is_empty() {
                    return Err(err("indented line before the first entry".into()));
                }
                match &section {
                    Section::Deps(kind) if indent == 4 => {
                        let (name, rest) = token(content).map_err(err)?;
                        let name = name.strip_suffix(':').unwrap_or(&name).to_string();
                        let (range, _) = token(rest).map_err(err)?;
                        if name.is_empty() {
                            return Err(err("dependency without a name".into()));
                        }
                        if let Some(e) = entries.last_mut() {
                            e.deps.push((name, range, *kind));
                        }
                    }
                    Section::Other => {}
                    _ => return Err(err("unexpected indentation".into())),
                }
            }
            _ => return Err(err(format!("unexpected indentation ({indent} spaces)"))),
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(
            descriptors(r#""@a/b@^1", "@a/b@^2""#).expect("ok"),
            vec!["@a/b@^1", "@a/b@^2"]
        );
        assert_eq!(
            descriptors("x@^1, x@~1.2").expect("ok"),
            vec!["x@^1", "x@~1.2"]
        );
        assert!(descriptors(r#""x@1"#).is_err());
        assert!(descriptors("x@1,").is_ok());
        assert!(descriptors(",").is_err());
    }

    #[test]
    fn entries_and_errors() {
        let text = "# yarn lockfile v1\n\n\"a@^1\", a@^1.1:\n  version \"1.2.0\"\n  resolved \"https://r/a/-/a-1.2.0.tgz#0123456789012345678901234567890123456789\"\n  dependencies:\n    \"@s/b\" \"^2\"\n  optionalDependencies:\n    c \"3\"\n";
        let e = parse("yarn.lock", text).expect("parses");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].descriptors, vec!["a@^1", "a@^1.1"]);
        assert_eq!(e[0].version.as_deref(), Some("1.2.0"));
        assert_eq!(e[0].line, 3);
        assert_eq!(e[0].deps.len(), 2);
        assert_eq!(e[0].deps[1], ("c".into(), "3".into(), DepKind::Optional));
        let bad = parse("yarn.lock", "a@1:\n  version \"1\n").expect_err("bad");
        assert_eq!(bad.line, Some(2));
        let bad = parse("yarn.lock", "  version \"1\"\n").expect_err("bad");
        assert_eq!(bad.line, Some(1));
        let bad = parse("yarn.lock", "a@1:\n  version \"1\"\nb@1\n").expect_err("bad");
        assert_eq!(bad.line, Some(3));
    }
}
