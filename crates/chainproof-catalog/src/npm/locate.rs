//! Line numbers of lockfile entries.
//!
//! `serde_json` does not keep positions, so a small scanner walks the (already validated)
//! JSON text once and records the line of every object-valued member of `/packages` and of
//! every `dependencies` object (the v1 tree), keyed by JSON pointer.

use std::collections::HashMap;

/// JSON pointer (RFC 6901) of `key` under `parent`.
pub fn pointer(parent: &str, key: &str) -> String {
    let mut p = String::with_capacity(parent.len() + key.len() + 1);
    p.push_str(parent);
    p.push('/');
    for c in key.chars() {
        match c {
            '~' => p.push_str("~0"),
            '/' => p.push_str("~1"),
            c => p.push(c),
        }
    }
    p
}

struct Frame {
    pointer: String,
    object: bool,
    expecting_key: bool,
    key: Option<(String, u32)>,
    index: usize,
}

/// Lines (1-based) of entry objects, by JSON pointer. Works on any text without panicking;
/// on invalid JSON the result is simply incomplete.
pub fn entry_lines(text: &str) -> HashMap<String, u32> {
    let bytes = text.as_bytes();
    let mut out = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = 1u32;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                let mut j = start;
                let mut escaped = false;
                while j < bytes.len() && bytes[j] != b'"' {
                    if bytes[j] == b'\\' {
                        escaped = true;
                        j += 1;
                    } else if bytes[j] == b'\n' {
                        line += 1;
                    }
                    j += 1;
                }
                let end = j.min(bytes.len());
                if let Some(top) = stack.last_mut()
                    && top.object
                    && top.expecting_key
                {
                    let raw = text.get(start..end).unwrap_or("");
                    let key = if escaped {
                        text.get(start - 1..=end)
                            .and_then(|q| serde_json::from_str::<String>(q).ok())
                            .unwrap_or_else(|| raw.to_string())
                    } else {
                        raw.to_string()
                    };
                    top.key = Some((key, line));
                    top.expecting_key = false;
                }
                i = end;
            }
            b',' => {
                if let Some(top) = stack.last_mut() {
                    if top.object {
                        top.expecting_key = true;
                    } else {
                        top.index += 1;
                    }
                }
            }
            b'{' | b'[' => {
                let object = bytes[i] == b'{';
                let ptr = match stack.last_mut() {
                    None => String::new(),
                    Some(parent) if parent.object => match parent.key.take() {
                        Some((key, key_line)) => {
                            let p = pointer(&parent.pointer, &key);
                            let in_entries = parent.pointer == "/packages"
                                || parent.pointer.ends_with("/dependencies");
                            if object && in_entries {
                                out.insert(p.clone(), key_line);
                            }
                            p
                        }
                        None => pointer(&parent.pointer, ""),
                    },
                    Some(parent) => pointer(&parent.pointer, &parent.index.to_string()),
                };
                stack.push(Frame {
                    pointer: ptr,
                    object,
                    expecting_key: object,
                    key: None,
                    index: 0,
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_entries() {
        let text = "{\n \"packages\": {\n  \"\": {},\n  \"node_modules/a\": {\n   \"dependencies\": {\"b\": \"1\"}\n  },\n  \"node_modules/a/node_modules/b\": {}\n },\n \"dependencies\": {\n  \"a\": {\n   \"dependencies\": {\n    \"b\": {}\n   }\n  }\n }\n}";
        let m = entry_lines(text);
        assert_eq!(m.get("/packages/"), Some(&3));
        assert_eq!(m.get("/packages/node_modules~1a"), Some(&4));
        assert_eq!(
            m.get("/packages/node_modules~1a~1node_modules~1b"),
            Some(&7)
        );
        assert_eq!(m.get("/dependencies/a"), Some(&10));
        assert_eq!(m.get("/dependencies/a/dependencies/b"), Some(&12));
        assert_eq!(m.len(), 5);
        // garbage does not panic
        let _ = entry_lines("{\"a\": [\"\\");
        let _ = entry_lines("}}]]{{\"x");
    }
}
