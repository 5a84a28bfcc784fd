//! The module-information text a Go binary carries (`runtime/debug.BuildInfo.String()`):
//! `path`, `mod`, `dep`, `=>` and `build` lines, tab-separated. Parsed like Go's
//! `debug.ParseBuildInfo`, with the same errors (reported with the line number).

/// A module line (`mod` or `dep`), with its replacement (`=>` line) if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoModule {
    pub path: String,
    pub version: String,
    /// `h1:` sum; empty when the module has none (main module, directory replacement).
    pub sum: String,
    pub replace: Option<Box<GoModule>>,
}

/// The decoded module information.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModInfo {
    /// The main package path (`path` line).
    pub path: String,
    /// The main module (`mod` line); empty path when absent.
    pub main: GoModule,
    pub deps: Vec<GoModule>,
    /// `build` settings, in order (`-compiler=gc`, `GOOS=linux`, `vcs.revision=...`).
    pub settings: Vec<(String, String)>,
}

/// A malformed line: 1-based line number and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModInfoError {
    pub line: u32,
    pub message: String,
}

/// Most lines accepted (a Go binary has one per module and build setting).
const MAX_LINES: usize = 200_000;

/// Parses the module information (already stripped of its 16-byte sentinels).
pub fn parse(data: &str) -> Result<ModInfo, ModInfoError> {
    let mut bi = ModInfo::default();
    // Where a following `=>` line applies: None, the main module, or a dep index.
    #[derive(Clone, Copy)]
    enum Last {
        None,
        Main,
        Dep(usize),
    }
    let mut last = Last::None;
    let mut rest = data;
    let mut line_no: u32 = 0;
    // Like Go, a final line without a newline is ignored.
    while let Some((line, tail)) = rest.split_once('\n') {
        rest = tail;
        line_no += 1;
        if line_no as usize > MAX_LINES {
            return Err(err(line_no, "too many lines"));
        }
        if let Some(p) = line.strip_prefix("path\t") {
            bi.path = p.to_string();
        } else if let Some(m) = line.strip_prefix("mod\t") {
            bi.main = module_line(m).map_err(|e| err(line_no, e))?;
            last = Last::Main;
        } else if let Some(d) = line.strip_prefix("dep\t") {
            bi.deps.push(module_line(d).map_err(|e| err(line_no, e))?);
            last = Last::Dep(bi.deps.len() - 1);
        } else if let Some(r) = line.strip_prefix("=>\t") {
            let elem: Vec<&str> = r.split('\t').collect();
            let [path, version, sum] = elem.as_slice() else {
                return Err(err(
                    line_no,
                    &format!("expected 3 columns for replacement; got {}", elem.len()),
                ));
            };
            let rep = Some(Box::new(GoModule {
                path: path.to_string(),
                version: version.to_string(),
                sum: sum.to_string(),
                replace: None,
            }));
            match last {
                Last::None => {
                    return Err(err(line_no, "replacement with no module on previous line"));
                }
                Last::Main => bi.main.replace = rep,
                Last::Dep(i) => {
                    if let Some(d) = bi.deps.get_mut(i) {
                        d.replace = rep;
                    }
                }
            }
            last = Last::None;
        } else if let Some(kv) = line.strip_prefix("build\t") {
            bi.settings
                .push(build_setting(kv).map_err(|e| err(line_no, e))?);
        }
        // Other lines (the blank line Go writes after the deps) are ignored, as Go does.
    }
    Ok(bi)
}

fn err(line: u32, message: &str) -> ModInfoError {
    ModInfoError {
        line,
        message: message.to_string(),
    }
}

fn module_line(s: &str) -> Result<GoModule, &'static str> {
    let elem: Vec<&str> = s.split('\t').collect();
    match elem.as_slice() {
        [path, version] => Ok(GoModule {
            path: path.to_string(),
            version: version.to_string(),
            ..GoModule::default()
        }),
        [path, version, sum] => Ok(GoModule {
            path: path.to_string(),
            version: version.to_string(),
            sum: sum.to_string(),
            replace: None,
        }),
        _ => Err("expected 2 or 3 columns"),
    }
}

/// `key=value`, where key and value may be Go-quoted (`"..."` or `` `...` ``).
fn build_setting(kv: &str) -> Result<(String, String), &'static str> {
    let (key, raw_value) = match kv.as_bytes().first() {
        None => return Err("build line missing '='"),
        Some(b'=') => return Err("build line with missing key"),
        Some(b'"' | b'`') => {
            let (key, used) = unquote_prefix(kv).ok_or("invalid quoted key in build line")?;
            let rest = &kv[used..];
            let value = rest
                .strip_prefix('=')
                .ok_or("build line missing '=' after quoted key")?;
            (key, value)
        }
        Some(_) => {
            let (k, v) = kv
                .split_once('=')
                .ok_or("build line missing '=' after key")?;
            if needs_quote(k) {
                return Err("unquoted key must be quoted");
            }
            (k.to_string(), v)
        }
    };
    let value = match raw_value.as_bytes().first() {
        Some(b'"' | b'`') => match unquote_prefix(raw_value) {
            Some((v, used)) if used == raw_value.len() => v,
            _ => return Err("invalid quoted value in build line"),
        },
        _ => {
            if needs_quote_value(raw_value) {
                return Err("unquoted value must be quoted");
            }
            raw_value.to_string()
        }
    };
    Ok((key, value))
}

/// Go quotes a key that is empty or has `=`, space, tab, CR, LF, quote characters.
fn needs_quote(key: &str) -> bool {
    key.is_empty()
        || key
            .chars()
            .any(|c| matches!(c, '"' | '`' | '=') || c.is_whitespace())
}

/// Go quotes a value that has space, tab, CR, LF or quote characters.
fn needs_quote_value(value: &str) -> bool {
    value
        .chars()
        .any(|c| matches!(c, '"' | '`') || c.is_whitespace())
}

/// Decodes the Go string literal at the start of `s` (interpreted `"..."` or raw
/// `` `...` ``): the value and the number of bytes the literal takes.
pub fn unquote_prefix(s: &str) -> Option<(String, usize)> {
    let bytes = s.as_bytes();
    match bytes.first()? {
        b'`' => {
            let end = s[1..].find('`')? + 1;
            Some((s[1..end].replace('\r', ""), end + 1))
        }
        b'"' => {
            let mut out: Vec<u8> = Vec::new();
            let mut i = 1;
            loop {
                let c = *bytes.get(i)?;
                match c {
                    b'"' => return Some((String::from_utf8(out).ok()?, i + 1)),
                    b'\n' => return None,
                    b'\\' => {
                        let e = *bytes.get(i + 1)?;
                        i += 2;
                        let simple = match e {
                            b'a' => Some(7),
                            b'b' => Some(8),
                            b'f' => Some(12),
                            b'n' => Some(b'\n'),
                            b'r' => Some(b'\r'),
                            b't' => Some(b'\t'),
                            b'v' => Some(11),
                            b'\\' => Some(b'\\'),
                            b'"' => Some(b'"'),
                            b'\'' => Some(b'\''),
                            _ => None,
                        };
                        if let Some(b) = simple {
                            out.push(b);
                            continue;
                        }
                        match e {
                            b'x' => {
                                out.push(u8::from_str_radix(s.get(i..i + 2)?, 16).ok()?);
                                i += 2;
                            }
                            b'0'..=b'7' => {
                                let v = u16::from_str_radix(s.get(i - 1..i + 2)?, 8).ok()?;
                                out.push(u8::try_from(v).ok()?);
                                i += 2;
                            }
                            b'u' | b'U' => {
                                let n = if e == b'u' { 4 } else { 8 };
                                let v = u32::from_str_radix(s.get(i..i + n)?, 16).ok()?;
                                let ch = char::from_u32(v)?;
                                out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                                i += n;
                            }
                            _ => return None,
                        }
                    }
                    other => {
                        out.push(other);
                        i += 1;
                    }
                }
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_go() {
        let text = "path\tex.com/cmd/x\nmod\tex.com\t(devel)\t\ndep\ta.com/b\tv1.0.0\th1:abc=\n\
                    dep\tc.com/d\tv0.1.0\n=>\t../d\t(devel)\t\n\n\
                    build\t-ldflags=\"-s -w\"\nbuild\t\"k=y\"=v\nbuild\tGOOS=linux\n";
        let bi = parse(text).expect("parses");
        assert_eq!(bi.path, "ex.com/cmd/x");
        assert_eq!(bi.main.version, "(devel)");
        assert_eq!(bi.deps.len(), 2);
        assert_eq!(bi.deps[0].sum, "h1:abc=");
        let rep = bi.deps[1].replace.as_ref().expect("replaced");
        assert_eq!(rep.path, "../d");
        assert_eq!(
            bi.settings,
            vec![
                ("-ldflags".to_string(), "-s -w".to_string()),
                ("k=y".to_string(), "v".to_string()),
                ("GOOS".to_string(), "linux".to_string()),
            ]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("path\tx\n=>\ta\tb\tc\n").expect_err("orphan replacement");
        assert_eq!(e.line, 2);
        let e = parse("dep\tonly-one\n").expect_err("columns");
        assert_eq!(e.line, 1);
        assert!(parse("build\tno-equals\n").is_err());
        assert!(parse("build\ta=b c\n").is_err());
    }

    #[test]
    fn unquotes() {
        assert_eq!(
            unquote_prefix(r#""a\tb\x41\101\u00e9" rest"#),
            Some(("a\tbAAé".to_string(), 20))
        );
        assert_eq!(unquote_prefix("`raw`x"), Some(("raw".to_string(), 5)));
        assert_eq!(unquote_prefix("\"open"), None);
    }
}
