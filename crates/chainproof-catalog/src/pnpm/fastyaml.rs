//! A fast reader for the YAML that pnpm writes, giving the same [`Yaml`] tree as
//! [`super::yaml::parse`] or giving up.
//!
//! pnpm lockfiles use a small part of YAML: block mappings and sequences indented by spaces,
//! plain and single-quoted scalars, one-line flow mappings and sequences
//! (`{integrity: sha512-..., tarball: ...}`, `[darwin]`). This reader handles exactly that,
//! line by line, and returns `None` at the first thing outside it (tabs, anchors, aliases,
//! tags, block scalars, multi-line scalars or flow collections, documents markers, escapes in
//! double quotes, plain scalars that a YAML schema would read as something other than the
//! text, nesting deeper than the general parser allows). The caller then uses the general
//! parser, which also reports the errors: this reader never decides that a document is bad.

use super::yaml::Yaml;

/// Deeper nesting is left to the general parser (which refuses more than 128 levels).
const MAX_DEPTH: usize = 100;

/// One non-blank, non-comment line: its indentation and its content.
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// Parses `text` if it stays within the subset; `None` otherwise.
pub fn parse(text: &str) -> Option<Yaml> {
    let mut lines = Vec::new();
    for raw in text.lines() {
        let content = raw.trim_start_matches(' ');
        if content.starts_with('\t') || raw.contains('\r') {
            return None;
        }
        let content = content.trim_end();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if content.starts_with("---") || content.starts_with("...") || content.starts_with('%') {
            return None;
        }
        lines.push(Line {
            indent: raw.len() - raw.trim_start_matches(' ').len(),
            text: content,
        });
    }
    if lines.is_empty() {
        return Some(Yaml::Null);
    }
    if lines[0].indent != 0 {
        return None;
    }
    let mut i = 0;
    let doc = block(&lines, &mut i, 0, 0)?;
    (i == lines.len()).then_some(doc)
}

/// The block node starting at `lines[*i]`, whose indentation is `indent`.
fn block(lines: &[Line], i: &mut usize, indent: usize, depth: usize) -> Option<Yaml> {
    if depth > MAX_DEPTH {
        return None;
    }
    let first = lines.get(*i)?;
    if first.indent != indent {
        return None;
    }
    if is_item(first.text) {
        let mut out = Vec::new();
        while let Some(l) = lines.get(*i) {
            if l.indent < indent {
                break;
            }
            if l.indent > indent || !is_item(l.text) {
                return None;
            }
            let rest = l.text[1..].trim_start();
            *i += 1;
            if rest.is_empty() {
                out.push(nested(lines, i, indent, depth)?);
            } else if looks_like_mapping_entry(rest) {
                // `- key: value` (a mapping inside a sequence): not written by pnpm.
                return None;
            } else {
                out.push(inline(rest, depth)?);
            }
        }
        return Some(Yaml::Seq(out));
    }
    let mut out = Vec::new();
    while let Some(l) = lines.get(*i) {
        if l.indent < indent {
            break;
        }
        if l.indent > indent || is_item(l.text) {
            return None;
        }
        let (key, rest) = key_and_rest(l.text)?;
        *i += 1;
        let value = if rest.is_empty() {
            nested(lines, i, indent, depth)?
        } else {
            inline(rest, depth)?
        };
        out.push((key, value));
    }
    Some(Yaml::Map(out))
}

/// The value of an entry whose text ended at the colon (or dash): the deeper block that
/// follows, or null.
fn nested(lines: &[Line], i: &mut usize, indent: usize, depth: usize) -> Option<Yaml> {
    match lines.get(*i) {
        Some(next) if next.indent > indent => block(lines, i, next.indent, depth + 1),
        // `key:` followed by `- item` at the same indentation is a sequence in YAML.
        Some(next) if next.indent == indent && is_item(next.text) => None,
        _ => Some(Yaml::Null),
    }
}

fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

fn looks_like_mapping_entry(text: &str) -> bool {
    key_and_rest(text).is_some()
}

/// `key: rest` or `key:` with a plain or single-quoted key.
fn key_and_rest(text: &str) -> Option<(String, &str)> {
    if let Some(body) = text.strip_prefix('\'') {
        let (key, used) = single_quoted(body)?;
        let rest = body[used..].strip_prefix(':')?;
        if !rest.is_empty() && !rest.starts_with(' ') {
            return None;
        }
        return Some((key, rest.trim()));
    }
    if text.starts_with(['"', '?', '{', '[', '&', '*', '!', '|', '>', '%', '@', '`']) {
        return None;
    }
    let colon = match text.find(": ") {
        Some(c) => c,
        None if text.ends_with(':') => text.len() - 1,
        None => return None,
    };
    let key = &text[..colon];
    if key.contains(" #") || key.ends_with(' ') || key.is_empty() {
        return None;
    }
    let key = match plain(key)? {
        Yaml::Scalar(s) => s,
        // The general parser turns a null key into "" as well.
        Yaml::Null => String::new(),
        _ => return None,
    };
    Some((key, text[colon + 1..].trim()))
}

/// The text of a single-quoted scalar whose opening quote was already consumed, and the
/// number of bytes read including the closing quote.
fn single_quoted(body: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut rest = body;
    let mut used = 0;
    loop {
        let q = rest.find('\'')?;
        out.push_str(&rest[..q]);
        if rest[q + 1..].starts_with('\'') {
            out.push('\'');
            used += q + 2;
            rest = &rest[q + 2..];
        } else {
            return Some((out, used + q + 1));
        }
    }
}

/// A value written on the same line as its key or dash.
fn inline(text: &str, depth: usize) -> Option<Yaml> {
    if let Some(body) = text.strip_prefix('\'') {
        let (s, used) = single_quoted(body)?;
        return body[used..].trim().is_empty().then_some(Yaml::Scalar(s));
    }
    if text.starts_with(['{', '[']) {
        let (node, used) = flow(text, depth + 1)?;
        return text[used..].trim().is_empty().then_some(node);
    }
    if text.starts_with(['"', '&', '*', '!', '|', '>', '%', '@', '`', '?']) || text.contains(" #") {
        return None;
    }
    plain(text)
}

/// A one-line flow collection at the start of `text`, and the bytes it takes.
fn flow(text: &str, depth: usize) -> Option<(Yaml, usize)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let is_map = text.starts_with('{');
    let close = if is_map { '}' } else { ']' };
    let mut pos = 1;
    let mut map = Vec::new();
    let mut seq = Vec::new();
    loop {
        pos += ws(&text[pos..]);
        let rest = &text[pos..];
        if let Some(r) = rest.strip_prefix(close) {
            let _ = r;
            pos += 1;
            break;
        }
        if is_map {
            let (key, used) = flow_scalar(rest, true)?;
            let key = match key {
                Yaml::Scalar(s) => s,
                Yaml::Null => String::new(),
                _ => return None,
            };
            pos += used;
            pos += ws(&text[pos..]);
            pos += text[pos..].strip_prefix(':').map(|_| 1)?;
            pos += ws(&text[pos..]);
            let (value, used) = flow_value(&text[pos..], close, depth)?;
            pos += used;
            map.push((key, value));
        } else {
            let (value, used) = flow_value(rest, close, depth)?;
            pos += used;
            seq.push(value);
        }
        pos += ws(&text[pos..]);
        let rest = &text[pos..];
        if rest.starts_with(',') {
            pos += 1;
        } else if !rest.starts_with(close) {
            return None;
        }
    }
    Some((
        if is_map {
            Yaml::Map(map)
        } else {
            Yaml::Seq(seq)
        },
        pos,
    ))
}

fn ws(s: &str) -> usize {
    s.len() - s.trim_start_matches(' ').len()
}

/// A value inside a flow collection: a nested collection, a quoted or a plain scalar.
fn flow_value(text: &str, close: char, depth: usize) -> Option<(Yaml, usize)> {
    if text.starts_with(['{', '[']) {
        return flow(text, depth + 1);
    }
    if text.starts_with([',', close]) {
        // `{a: }` / `{a: , b: 1}`: an empty value is null.
        return Some((Yaml::Null, 0));
    }
    flow_scalar(text, false)
}

/// A scalar inside a flow collection; plain ones end at `,`, `}`, `]` (and, for keys, `:`
/// followed by a space or an end).
fn flow_scalar(text: &str, is_key: bool) -> Option<(Yaml, usize)> {
    if let Some(body) = text.strip_prefix('\'') {
        let (s, used) = single_quoted(body)?;
        return Some((Yaml::Scalar(s), used + 1));
    }
    if text.starts_with([
        '"', '&', '*', '!', '|', '>', '%', '@', '`', '?', '{', '[', '#',
    ]) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        match bytes[end] {
            b',' | b'}' | b']' | b'{' | b'[' => break,
            b':' if is_key
                && bytes
                    .get(end + 1)
                    .is_none_or(|b| matches!(b, b' ' | b',' | b'}' | b']')) =>
            {
                break;
            }
            b'#' if end > 0 && bytes[end - 1] == b' ' => return None,
            _ => end += 1,
        }
    }
    let s = text[..end].trim_end();
    if s.is_empty() {
        return None;
    }
    Some((plain(s)?, end))
}

/// A plain scalar as the general parser reads it: null, a boolean or number spelled the way
/// the general parser prints it back, or text. Anything a YAML schema reads differently
/// (`0x1F`, `+1`, `1e3`, `.inf`, `010`, `yes`) is left to the general parser.
fn plain(s: &str) -> Option<Yaml> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Yaml::Null),
        "true" | "True" | "TRUE" => return Some(Yaml::Scalar("true".into())),
        "false" | "False" | "FALSE" => return Some(Yaml::Scalar("false".into())),
        _ => {}
    }
    if s.contains(": ") || s.ends_with(':') {
        return None;
    }
    // Signed numbers (`-1`, `+1`, `-.5`) and `.5`, `.inf`, `.nan`.
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if body.len() < s.len() && body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if let Some(after) = body.strip_prefix('.')
        && (after.starts_with(|c: char| c.is_ascii_digit())
            || matches!(after.to_ascii_lowercase().as_str(), "inf" | "nan"))
    {
        return None;
    }
    let first = s.as_bytes()[0];
    if first.is_ascii_digit() {
        if s.starts_with("0x") || s.starts_with("0o") || s.starts_with("0b") {
            return None;
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            // Integers: the general parser prints them back without leading zeros.
            return (s == "0" || first != b'0').then(|| Yaml::Scalar(s.to_string()));
        }
        if let Ok(f) = s.parse::<f64>() {
            return (f.to_string() == s).then(|| Yaml::Scalar(s.to_string()));
        }
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "yes" | "no" | "on" | "off" | "y" | "n" | ".inf" | ".nan" | "inf" | "nan"
    ) {
        return None;
    }
    Some(Yaml::Scalar(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        let fast = parse(text).expect("within the subset");
        let general = super::super::yaml::general(text).expect("valid");
        assert_eq!(fast, general, "{text}");
    }

    #[test]
    fn subset_matches_the_general_parser() {
        same("lockfileVersion: 5.4\n");
        same("lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n");
        same(
            "packages:\n\n  /a/1.0.0:\n    resolution: {integrity: sha512-AB+/c==, tarball: https://x.org/a.tgz}\n    \
             dev: false\n    os: [darwin, linux]\n    engines: {node: '>=12'}\n    cpu: []\n",
        );
        same(
            "importers:\n  .:\n    dependencies:\n      '@a/b':\n        specifier: ^1.0.0\n        version: 1.0.0(react@18.2.0)\n",
        );
        same("a:\n  - x\n  - 'y'\n  -\n    b: c\nd: {}\ne: ~\nf:\n");
        same("'it''s': 'a ''quote'''\nk: 10\nz: 0\nv: 1.5\n");
        same(
            "# comment\na: b # not a comment start? no: only after space\n"
                .replace(" # not a comment start? no: only after space", "")
                .as_str(),
        );
        same("resolution: {directory: ../x, type: directory}\n");
        same("x: {a: {b: [1, 2]}, c: 'd, e'}\n");
    }

    #[test]
    fn outside_the_subset_gives_up() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !tag 1\n",
            "a: |\n  text\n",
            "a: 0x1F\n",
            "a: 1e3\n",
            "a: 010\n",
            "a: yes\n",
            "a: \"q\\n\"\n",
            "---\na: 1\n",
            "a:\n- 1\n",
            "a: b\n  c\n",
            "a: {b: 1,\n  c: 2}\n",
            "\ta: 1\n",
            "a: 1 # comment\n",
            "- a: 1\n",
            "a: 1.50\n",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn fixtures_match_the_general_parser() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pnpm");
        let mut stack = vec![root];
        let mut compared = 0;
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "yaml") {
                    let Ok(text) = std::fs::read_to_string(&p) else {
                        continue;
                    };
                    if let Some(fast) = parse(&text) {
                        let general = super::super::yaml::general(&text).ok();
                        assert_eq!(Some(fast), general, "{}", p.display());
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 50, "only {compared} fixtures compared");
    }
}
