//! Line numbers of the entries of the top-level `packages`, `snapshots` and `importers`
//! mappings, found by scanning the text (the YAML tree keeps no positions).

use std::collections::HashMap;

/// `(section, key as written after unquoting)` → 1-based line.
pub type KeyLines = HashMap<(String, String), u32>;

/// Scans block-style top-level sections: a line `section:` at column 0, then every line
/// at the indentation of the first entry is an entry key.
pub fn key_lines(text: &str) -> KeyLines {
    let mut out = KeyLines::new();
    let mut section: Option<String> = None;
    let mut indent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let depth = line.len() - content.len();
        if depth == 0 {
            section = content
                .strip_suffix(':')
                .filter(|s| matches!(*s, "packages" | "snapshots" | "importers"))
                .map(str::to_string);
            indent = None;
            continue;
        }
        let Some(sec) = &section else { continue };
        let want = *indent.get_or_insert(depth);
        if depth != want {
            continue;
        }
        if let Some(key) = entry_key(content) {
            let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
            out.entry((sec.clone(), key)).or_insert(line_no);
        }
    }
    out
}

/// The key of a `key: value` / `key:` line, unquoted.
fn entry_key(content: &str) -> Option<String> {
    let content = content.trim_end();
    if let Some(rest) = content.strip_prefix('\'') {
        // Single-quoted: `''` is an escaped quote.
        let mut key = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    key.push('\'');
                } else {
                    return Some(key);
                }
            } else {
                key.push(c);
            }
        }
        return None;
    }
    if let Some(rest) = content.strip_prefix('"') {
        let end = rest.find('"')?;
        return Some(rest[..end].to_string());
    }
    if let Some(i) = content.find(": ") {
        return Some(content[..i].to_string());
    }
    content.strip_suffix(':').map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys() {
        let text = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      a:\n        specifier: 1\n\npackages:\n\n  a@1.0.0:\n    resolution: {integrity: x}\n\n  '@s/b@2.0.0':\n    x: y\n  c@https://h/c.tgz: {}\n\nsnapshots:\n  a@1.0.0(b@1): {}\n";
        let l = key_lines(text);
        let get = |s: &str, k: &str| l.get(&(s.to_string(), k.to_string())).copied();
        assert_eq!(get("importers", "."), Some(5));
        assert_eq!(get("packages", "a@1.0.0"), Some(12));
        assert_eq!(get("packages", "@s/b@2.0.0"), Some(15));
        assert_eq!(get("packages", "c@https://h/c.tgz"), Some(17));
        assert_eq!(get("snapshots", "a@1.0.0(b@1)"), Some(20));
        assert_eq!(get("importers", "a"), None);
    }
}
