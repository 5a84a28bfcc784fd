//! A small PEP 508 requirement parser: `name [extras] (specifiers | @ url) ; marker`.
//!
//! It checks the shape (a valid name, operators followed by plausible version strings, a
//! non-empty URL) but does not evaluate markers or validate PEP 440 versions in depth.

/// One parsed requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Requirement {
    pub name: String,
    pub extras: Vec<String>,
    /// `(operator, version)` pairs in declared order.
    pub specifiers: Vec<(String, String)>,
    /// The direct reference of `name @ url`.
    pub url: Option<String>,
    pub marker: Option<String>,
}

const OPERATORS: [&str; 8] = ["===", "==", "!=", "~=", "<=", ">=", "<", ">"];

impl Requirement {
    /// The version an `==`/`===` specifier pins (wildcards such as `==2.8.*` do not pin).
    pub fn pinned_version(&self) -> Option<&str> {
        self.specifiers
            .iter()
            .find(|(op, v)| (op == "===" || op == "==") && !v.contains('*'))
            .map(|(_, v)| v.as_str())
    }

    /// The specifiers re-joined without spaces (`>=2.8.1,==2.8.*`); `*` when there are none.
    pub fn specifier_string(&self) -> String {
        if self.specifiers.is_empty() {
            return "*".to_string();
        }
        self.specifiers
            .iter()
            .map(|(op, v)| format!("{op}{v}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Whether `s` is a valid distribution name (PEP 508: alphanumerics and `._-`, starting and
/// ending with an alphanumeric).
pub(crate) fn is_valid_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Length of the leading run of name characters.
fn name_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(s.len())
}

/// Whether the text starts like `name [extras] @`, i.e. is a PEP 508 direct reference.
pub(crate) fn is_named_url(s: &str) -> bool {
    let s = s.trim_start();
    let n = name_len(s);
    if n == 0 {
        return false;
    }
    let mut rest = s[n..].trim_start();
    if rest.starts_with('[') {
        match rest.find(']') {
            Some(i) => rest = rest[i + 1..].trim_start(),
            None => return false,
        }
    }
    rest.starts_with('@')
}

fn valid_version(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '!' | '*'))
}

/// Parses one requirement; the error says what is wrong.
pub(crate) fn parse(input: &str) -> Result<Requirement, String> {
    let s = input.trim();
    let n = name_len(s);
    let name = &s[..n];
    if !is_valid_name(name) {
        return Err(if name.is_empty() {
            format!("requirement `{s}` does not start with a package name")
        } else {
            format!("invalid package name `{name}`")
        });
    }
    let mut rest = s[n..].trim_start();
    let mut extras = Vec::new();
    if let Some(after) = rest.strip_prefix('[') {
        let close = after
            .find(']')
            .ok_or_else(|| format!("unclosed `[` in extras of `{name}`"))?;
        for e in after[..close].split(',').map(str::trim) {
            if e.is_empty() {
                continue;
            }
            if !is_valid_name(e) {
                return Err(format!("invalid extra `{e}` of `{name}`"));
            }
            extras.push(e.to_string());
        }
        rest = after[close + 1..].trim_start();
    }
    let mut req = Requirement {
        name: name.to_string(),
        extras,
        specifiers: Vec::new(),
        url: None,
        marker: None,
    };
    let marker;
    if let Some(after) = rest.strip_prefix('@') {
        // A URL may itself contain `;`: the marker separator must follow whitespace.
        let after = after.trim_start();
        let split = after
            .char_indices()
            .find(|&(i, c)| c == ';' && i > 0 && after[..i].ends_with(char::is_whitespace))
            .map(|(i, _)| i);
        let (url, m) = match split {
            Some(i) => (after[..i].trim(), Some(&after[i + 1..])),
            None => (after.trim(), None),
        };
        if url.is_empty() || url.contains(char::is_whitespace) {
            return Err(format!("invalid URL `{url}` for `{name}`"));
        }
        req.url = Some(url.to_string());
        marker = m;
    } else {
        let (spec, m) = match rest.split_once(';') {
            Some((a, b)) => (a, Some(b)),
            None => (rest, None),
        };
        let mut spec = spec.trim();
        if let Some(inner) = spec.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            spec = inner.trim();
        }
        if !spec.is_empty() {
            for part in spec.split(',').map(str::trim) {
                let op = OPERATORS
                    .iter()
                    .find(|op| part.starts_with(**op))
                    .ok_or_else(|| format!("expected a version operator in `{part}`"))?;
                let version = part[op.len()..].trim();
                if !valid_version(version) {
                    return Err(format!("invalid version `{version}` after `{op}`"));
                }
                req.specifiers.push((op.to_string(), version.to_string()));
            }
        }
        marker = m;
    }
    if let Some(m) = marker {
        let m = m.trim();
        if m.is_empty() {
            return Err("empty environment marker after `;`".to_string());
        }
        req.marker = Some(m.to_string());
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(r: &Requirement) -> String {
        r.specifier_string()
    }

    #[test]
    fn parses_requirements() {
        let r = parse(r#"requests [security] >= 2.8.1, == 2.8.* ; python_version < "2.7""#)
            .expect("valid");
        assert_eq!(r.name, "requests");
        assert_eq!(r.extras, vec!["security"]);
        assert_eq!(spec(&r), ">=2.8.1,==2.8.*");
        assert_eq!(r.pinned_version(), None);
        assert_eq!(r.marker.as_deref(), Some(r#"python_version < "2.7""#));

        let r = parse("celery [redis, pytest] == 4.4.7").expect("valid");
        assert_eq!(r.extras, vec!["redis", "pytest"]);
        assert_eq!(r.pinned_version(), Some("4.4.7"));

        let r = parse("yolo===1.0").expect("valid");
        assert_eq!(r.pinned_version(), Some("1.0"));
        let r = parse("name (>=1.0, <2)").expect("valid");
        assert_eq!(spec(&r), ">=1.0,<2");
        assert_eq!(spec(&parse("flask").expect("valid")), "*");

        let r = parse("urllib3 @ https://x/a;b.zip ; python_version > '3'").expect("valid");
        assert_eq!(r.url.as_deref(), Some("https://x/a;b.zip"));
        assert_eq!(r.marker.as_deref(), Some("python_version > '3'"));
        assert!(is_named_url("urllib3[x] @ https://x"));
        assert!(!is_named_url("urllib3 == 1"));
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "asdf==",
            "==1.0",
            "asdf 1.0",
            "foo7==1.0 unexpected_text",
            "x[a",
            "x @ ",
            "x==1;",
            "-foo==1.0",
            "x_==1",
        ] {
            assert!(parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
