//! JSON with comments and trailing commas (what bun writes) turned into plain JSON.
//!
//! Comments and trailing commas are replaced by spaces byte for byte (newlines are kept),
//! so line and column numbers of the result are those of the original text.

/// Strips `//` and `/* */` comments and trailing commas outside strings.
pub(crate) fn to_json(text: &str) -> String {
    let b = text.as_bytes();
    let mut out: Vec<u8> = b.to_vec();
    let blank = |out: &mut Vec<u8>, i: usize| {
        if out[i] != b'\n' && out[i] != b'\r' {
            out[i] = b' ';
        }
    };
    // Pass 1: comments.
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    blank(&mut out, i);
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = i;
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                let end = (i + 2).min(b.len());
                for j in start..end {
                    blank(&mut out, j);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Pass 2: trailing commas (on the comment-free text).
    let mut in_str = false;
    let mut i = 0;
    while i < out.len() {
        let c = out[i];
        if in_str {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
        } else if c == b',' {
            let next = out[i + 1..]
                .iter()
                .find(|x| !x.is_ascii_whitespace())
                .copied();
            if matches!(next, Some(b'}') | Some(b']')) {
                out[i] = b' ';
            }
        }
        i += 1;
    }
    // Only ASCII bytes were replaced, and only whole comment runs (which never split a
    // UTF-8 sequence into a partial one that stays), so this is valid UTF-8; fall back to
    // a lossy conversion rather than panic.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips() {
        let t = "{\n // c\n \"a\": [1, 2,], /* x\n y */ \"b\": \"//not, ]\",\n}";
        let j = to_json(t);
        assert_eq!(j.len(), t.len());
        assert_eq!(j.lines().count(), t.lines().count());
        let v: serde_json::Value = serde_json::from_str(&j).expect("json");
        assert_eq!(v["b"], "//not, ]");
        assert_eq!(v["a"][1], 2);
        let _ = to_json("\"\\");
        let _ = to_json("/*");
        let _ = to_json("é/* é */,}");
    }
}
