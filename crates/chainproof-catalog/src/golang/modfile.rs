//! The `go.mod` syntax (as `golang.org/x/mod/modfile` reads it): line-oriented statements
//! `verb arg...`, factored blocks `verb ( ... )`, `//` comments (the trailing comment of a
//! line is kept: it carries `// indirect`), interpreted `"..."` and raw `` `...` `` strings.
//!
//! This module only tokenizes and groups; the meaning of each verb is in `mod.rs`.

/// One statement, with a block's verb already applied to each line of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Statement {
    pub verb: String,
    pub args: Vec<String>,
    /// 1-based line of the statement (of the block line for block members).
    pub line: u32,
    /// Text of the trailing `//` comment, without the slashes, trimmed.
    pub comment: Option<String>,
}

/// A syntax error: line and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SyntaxError {
    pub line: u32,
    pub message: String,
}

fn err<T>(line: u32, message: impl Into<String>) -> Result<T, SyntaxError> {
    Err(SyntaxError {
        line,
        message: message.into(),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A word or a string (decoded).
    Word(String),
    LParen,
    RParen,
}

/// The tokens of one physical line, and its trailing comment.
#[derive(Debug, Default)]
struct LineToks {
    line: u32,
    toks: Vec<Tok>,
    comment: Option<String>,
}

/// Characters that end a bare word (besides white space).
fn is_delim(c: char) -> bool {
    matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | ',' | '"' | '`')
}

fn lex(text: &str) -> Result<Vec<LineToks>, SyntaxError> {
    let mut lines = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut cur = LineToks {
            line,
            ..LineToks::default()
        };
        let mut chars = raw.char_indices().peekable();
        while let Some(&(at, c)) = chars.peek() {
            if c == ' ' || c == '\t' || c == '\r' || c == '\u{feff}' {
                chars.next();
            } else if raw[at..].starts_with("//") {
                cur.comment = Some(raw[at + 2..].trim().to_string());
                break;
            } else if raw[at..].starts_with("/*") {
                return err(line, "block comments are not allowed in go.mod");
            } else if c == '(' {
                chars.next();
                cur.toks.push(Tok::LParen);
            } else if c == ')' {
                chars.next();
                cur.toks.push(Tok::RParen);
            } else if matches!(c, '[' | ']' | '{' | '}' | ',') {
                chars.next();
                cur.toks.push(Tok::Word(c.to_string()));
            } else if c == '"' {
                chars.next();
                cur.toks.push(Tok::Word(interpreted(&mut chars, line)?));
            } else if c == '`' {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some((_, '`')) => break,
                        Some((_, ch)) => s.push(ch),
                        None => return err(line, "unterminated raw string"),
                    }
                }
                cur.toks.push(Tok::Word(s));
            } else if c.is_control() {
                return err(line, format!("unexpected input character {c:?}"));
            } else {
                let mut w = String::new();
                while let Some(&(at2, ch)) = chars.peek() {
                    if ch.is_whitespace() || is_delim(ch) || raw[at2..].starts_with("//") {
                        break;
                    }
                    if ch.is_control() {
                        return err(line, format!("unexpected input character {ch:?}"));
                    }
                    w.push(ch);
                    chars.next();
                }
                cur.toks.push(Tok::Word(w));
            }
        }
        lines.push(cur);
    }
    Ok(lines)
}

/// Reads a Go interpreted string after its opening quote.
fn interpreted(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    line: u32,
) -> Result<String, SyntaxError> {
    let mut s = String::new();
    loop {
        let Some((_, c)) = chars.next() else {
            return err(line, "unterminated quoted string");
        };
        match c {
            '"' => return Ok(s),
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    return err(line, "unterminated quoted string");
                };
                let simple = match e {
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    'v' => Some('\u{b}'),
                    '\\' => Some('\\'),
                    '"' => Some('"'),
                    '\'' => Some('\''),
                    _ => None,
                };
                if let Some(ch) = simple {
                    s.push(ch);
                    continue;
                }
                let digits = match e {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => return err(line, format!("invalid escape `\\{e}` in quoted string")),
                };
                let mut v: u32 = 0;
                for _ in 0..digits {
                    let d = chars.next().and_then(|(_, d)| d.to_digit(16));
                    let Some(d) = d else {
                        return err(line, "invalid escape in quoted string");
                    };
                    v = v * 16 + d;
                }
                match char::from_u32(v) {
                    Some(ch) => s.push(ch),
                    None => return err(line, "invalid character escape in quoted string"),
                }
            }
            c => s.push(c),
        }
    }
}

/// Words of a line; an error if it holds a parenthesis.
fn words(l: &LineToks) -> Result<Vec<String>, SyntaxError> {
    l.toks
        .iter()
        .map(|t| match t {
            Tok::Word(w) => Ok(w.clone()),
            Tok::LParen => err(l.line, "unexpected `(`"),
            Tok::RParen => err(l.line, "unexpected `)`"),
        })
        .collect()
}

/// Parses the text into statements, expanding blocks.
pub(super) fn parse(text: &str) -> Result<Vec<Statement>, SyntaxError> {
    let lines = lex(text)?;
    let mut out = Vec::new();
    let mut iter = lines.iter();
    while let Some(l) = iter.next() {
        let Some(first) = l.toks.first() else {
            continue;
        };
        let Tok::Word(verb) = first else {
            return err(l.line, "expected a directive");
        };
        if l.toks.len() >= 2 && l.toks.last() == Some(&Tok::LParen) {
            if l.toks.len() > 2 {
                return err(l.line, "`(` must follow the directive alone");
            }
            let start = l.line;
            let mut closed = false;
            for inner in iter.by_ref() {
                if inner.toks.is_empty() {
                    continue;
                }
                if inner.toks == [Tok::RParen] {
                    closed = true;
                    break;
                }
                out.push(Statement {
                    verb: verb.clone(),
                    args: words(inner)?,
                    line: inner.line,
                    comment: inner.comment.clone(),
                });
            }
            if !closed {
                return err(start, format!("unterminated `{verb} (` block"));
            }
            continue;
        }
        let mut args = words(l)?;
        args.remove(0);
        out.push(Statement {
            verb: verb.clone(),
            args,
            line: l.line,
            comment: l.comment.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmts(t: &str) -> Vec<(String, Vec<String>, u32, Option<String>)> {
        parse(t)
            .expect("parses")
            .into_iter()
            .map(|s| (s.verb, s.args, s.line, s.comment))
            .collect()
    }

    #[test]
    fn blocks_comments_strings() {
        let t = "// head\nmodule \"example.com/a//b\" // c\n\nrequire (\n\tx.org/y v1.0.0 // indirect\n\n\t`q.org/z` v2.0.0\n)\nreplace a => ./b\n";
        let got = stmts(t);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].1, vec!["example.com/a//b"]);
        assert_eq!(got[0].3.as_deref(), Some("c"));
        assert_eq!(
            got[1],
            (
                "require".into(),
                vec!["x.org/y".into(), "v1.0.0".into()],
                5,
                Some("indirect".into())
            )
        );
        assert_eq!(got[2].1, vec!["q.org/z", "v2.0.0"]);
        assert_eq!(got[2].2, 7);
        assert_eq!(got[3].1, vec!["a", "=>", "./b"]);
        assert_eq!(stmts("module \"a\\x41\\u00e9\\\"\"")[0].1, vec!["aAé\""]);
        assert_eq!(stmts("retract [v1.0.0, v1.1.0]")[0].1.len(), 5);
        assert!(stmts("").is_empty());
    }

    #[test]
    fn errors() {
        let e = |t: &str| parse(t).expect_err("fails");
        assert_eq!(e("require (\nx v1\n").line, 1);
        assert_eq!(e("module a\n)\n").line, 2);
        assert_eq!(e("module \"a\n").line, 1);
        assert_eq!(e("module `a\n").line, 1);
        assert_eq!(e("\n\nmodule a /* x */\n").line, 3);
        assert_eq!(e("module \"\\q\"").line, 1);
        assert_eq!(e("module \"\\u12\"").line, 1);
        assert_eq!(e("module \"\\UFFFFFFFF\"").line, 1);
        assert_eq!(e("require x (\n)").line, 1);
        assert_eq!(e("require ( x\n)").line, 1);
        assert_eq!(e("(").line, 1);
        assert_eq!(e("module a\u{1}b").line, 1);
    }
}
