//! A small tokenizer for the Ruby that Bundler and RubyGems files use (`Gemfile`,
//! installed `*.gemspec`). It never evaluates anything: it yields identifiers, symbols,
//! string literals (`"..."`, `'...'`, `%q<...>` and friends, with interpolation kept as
//! text), punctuation, and statement ends. Anything it does not understand becomes a
//! [`Tok::Other`] character, so no input makes it fail.

/// One token, with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// `foo`, `add_dependency`, `respond_to?`, `Gem` (`::` is [`Tok::Punct`] twice).
    Ident(String),
    /// `:test`, `:"x"`.
    Symbol(String),
    /// `group:` (a keyword-argument label).
    Label(String),
    /// A string literal's content (escapes resolved for `\\`, `\"`, `\'`).
    Str(String),
    /// `=>`.
    Arrow,
    /// `. , ( ) [ ] { } = :` and other single characters.
    Punct(char),
    /// The end of a statement: a newline or `;` outside brackets, not after `,` or `\`.
    End,
    /// A character of no interest.
    Other(char),
}

/// Tokens of `text` with their lines.
pub(super) fn tokenize(text: &str) -> Vec<(Tok, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<(Tok, u32)> = Vec::new();
    let mut i = 0;
    let mut line: u32 = 1;
    let mut depth: i32 = 0;
    while i < chars.len() {
        let c = chars[i];
        let start_line = line;
        match c {
            '\n' | ';' => {
                if c == '\n' {
                    line = line.saturating_add(1);
                }
                let continued = matches!(
                    out.last(),
                    Some((
                        Tok::Punct(',') | Tok::Punct('\\') | Tok::Arrow | Tok::Punct('.'),
                        _
                    ))
                );
                if depth <= 0 && !continued && !matches!(out.last(), Some((Tok::End, _)) | None) {
                    out.push((Tok::End, start_line));
                }
                i += 1;
            }
            ' ' | '\t' | '\r' => i += 1,
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '"' | '\'' | '`' => {
                let (s, next, lines) = quoted(&chars, i + 1, c, c);
                out.push((Tok::Str(s), start_line));
                line = line.saturating_add(lines);
                i = next;
            }
            '%' if matches!(chars.get(i + 1), Some('q' | 'Q' | 'w' | 'W' | 'i' | 'I'))
                && chars.get(i + 2).is_some_and(|d| opener(*d).is_some()) =>
            {
                let open = chars[i + 2];
                let close = opener(open).unwrap_or(open);
                let (s, next, lines) = quoted(&chars, i + 3, open, close);
                if matches!(chars[i + 1], 'w' | 'W' | 'i' | 'I') {
                    out.push((Tok::Punct('['), start_line));
                    for w in s.split_whitespace() {
                        out.push((Tok::Str(w.to_string()), start_line));
                        out.push((Tok::Punct(','), start_line));
                    }
                    out.push((Tok::Punct(']'), start_line));
                } else {
                    out.push((Tok::Str(s), start_line));
                }
                line = line.saturating_add(lines);
                i = next;
            }
            ':' if chars.get(i + 1) == Some(&':') => {
                out.push((Tok::Punct(':'), start_line));
                out.push((Tok::Punct(':'), start_line));
                i += 2;
            }
            ':' if chars.get(i + 1).is_some_and(|d| is_ident_start(*d)) => {
                let (word, next) = ident(&chars, i + 1);
                out.push((Tok::Symbol(word), start_line));
                i = next;
            }
            ':' if matches!(chars.get(i + 1), Some('"' | '\'')) => {
                let q = chars[i + 1];
                let (s, next, lines) = quoted(&chars, i + 2, q, q);
                out.push((Tok::Symbol(s), start_line));
                line = line.saturating_add(lines);
                i = next;
            }
            '=' if chars.get(i + 1) == Some(&'>') => {
                out.push((Tok::Arrow, start_line));
                i += 2;
            }
            c if is_ident_start(c) => {
                let (word, next) = ident(&chars, i);
                // `key:` label, but not `Foo::Bar`.
                if chars.get(next) == Some(&':') && chars.get(next + 1) != Some(&':') {
                    out.push((Tok::Label(word), start_line));
                    i = next + 1;
                } else {
                    out.push((Tok::Ident(word), start_line));
                    i = next;
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                out.push((Tok::Punct(c), start_line));
                i += 1;
            }
            ')' | ']' | '}' => {
                depth -= 1;
                out.push((Tok::Punct(c), start_line));
                i += 1;
            }
            '.' | ',' | '=' | ':' | '\\' => {
                out.push((Tok::Punct(c), start_line));
                i += 1;
            }
            other => {
                out.push((Tok::Other(other), start_line));
                i += 1;
            }
        }
    }
    if !matches!(out.last(), Some((Tok::End, _)) | None) {
        out.push((Tok::End, line));
    }
    out
}

fn opener(c: char) -> Option<char> {
    Some(match c {
        '<' => '>',
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '|' | '!' | '/' | '^' | '"' | '\'' => c,
        _ => return None,
    })
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '@' || c == '$'
}

/// An identifier from `start` (with a trailing `?` or `!`), and the index after it.
fn ident(chars: &[char], start: usize) -> (String, usize) {
    let mut i = start;
    while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '@' | '$')) {
        i += 1;
    }
    if i < chars.len() && matches!(chars[i], '?' | '!') && chars.get(i + 1) != Some(&'=') {
        i += 1;
    }
    (chars[start..i].iter().collect(), i)
}

/// A quoted literal from `start` (just after the opening delimiter) up to the matching
/// `close` (nested `open`/`close` pairs count, as Ruby's `%q<...>` does). Returns the
/// content, the index after the closing delimiter, and the number of newlines crossed.
/// An unterminated literal runs to the end of the text.
fn quoted(chars: &[char], start: usize, open: char, close: char) -> (String, usize, u32) {
    let mut s = String::new();
    let mut i = start;
    let mut nest = 0u32;
    let mut lines = 0u32;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            lines = lines.saturating_add(1);
        }
        if c == '\\' && i + 1 < chars.len() {
            let n = chars[i + 1];
            if n == close || n == open || n == '\\' {
                s.push(n);
            } else {
                s.push(c);
                s.push(n);
            }
            i += 2;
            continue;
        }
        if c == close && nest == 0 {
            return (s, i + 1, lines);
        }
        if open != close {
            if c == open {
                nest += 1;
            } else if c == close {
                nest -= 1;
            }
        }
        s.push(c);
        i += 1;
    }
    (s, i, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn gem_lines() {
        use Tok::*;
        assert_eq!(
            toks("gem \"rspec\", '~> 3', group: :test # c\n"),
            vec![
                Ident("gem".into()),
                Str("rspec".into()),
                Punct(','),
                Str("~> 3".into()),
                Punct(','),
                Label("group".into()),
                Symbol("test".into()),
                End
            ]
        );
        assert_eq!(
            toks("s.add_dependency(%q<rack>.freeze, [\">= 1\".freeze])"),
            vec![
                Ident("s".into()),
                Punct('.'),
                Ident("add_dependency".into()),
                Punct('('),
                Str("rack".into()),
                Punct('.'),
                Ident("freeze".into()),
                Punct(','),
                Punct('['),
                Str(">= 1".into()),
                Punct('.'),
                Ident("freeze".into()),
                Punct(']'),
                Punct(')'),
                End
            ]
        );
    }

    #[test]
    fn continuation_and_lines() {
        let t = tokenize("gem 'a',\n  group: :dev\n\ngem 'b'\n");
        let ends: Vec<u32> = t
            .iter()
            .filter(|(t, _)| *t == Tok::End)
            .map(|(_, l)| *l)
            .collect();
        assert_eq!(ends, vec![2, 4]);
        assert_eq!(
            t.iter()
                .find(|(t, _)| *t == Tok::Str("b".into()))
                .map(|x| x.1),
            Some(4)
        );
    }

    #[test]
    fn never_fails() {
        for s in ["\"unterminated", "%q<a<b>", ":", "%", "a::B", "\\", "é:x"] {
            let _ = tokenize(s);
        }
    }
}
