//! Lines of JSON objects, by JSON pointer.
//!
//! `serde_json` does not keep positions, so a small scanner walks the text once and records,
//! for every object or array, the line where it is introduced: the line of its member key,
//! or of its opening bracket for array elements and the document itself.

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

/// Lines (1-based) of every object and array, by JSON pointer. Never panics; on invalid
/// JSON the map is simply incomplete.
pub fn object_lines(text: &str) -> HashMap<String, u32> {
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
                        top.key = None;
                    } else {
                        top.index += 1;
                    }
                }
            }
            b'{' | b'[' => {
                let object = bytes[i] == b'{';
                let (ptr, at) = match stack.last_mut() {
                    None => (String::new(), line),
                    Some(parent) if parent.object => match parent.key.take() {
                        Some((key, key_line)) => (pointer(&parent.pointer, &key), key_line),
                        None => (pointer(&parent.pointer, ""), line),
                    },
                    Some(parent) => (pointer(&parent.pointer, &parent.index.to_string()), line),
                };
                out.entry(ptr.clone()).or_insert(at);
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
    fn finds_objects() {
        let text = "{\n \"a\": {\n  \"b/c\": {}\n },\n \"l\": [\n  {},\n  {\"x\": 1}\n ]\n}";
        let m = object_lines(text);
        assert_eq!(m.get(""), Some(&1));
        assert_eq!(m.get("/a"), Some(&2));
        assert_eq!(m.get("/a/b~1c"), Some(&3));
        assert_eq!(m.get("/l"), Some(&5));
        assert_eq!(m.get("/l/0"), Some(&6));
        assert_eq!(m.get("/l/1"), Some(&7));
        let _ = object_lines("{\"a\": [\"\\");
        let _ = object_lines("}}]]{{\"x");
    }
}
