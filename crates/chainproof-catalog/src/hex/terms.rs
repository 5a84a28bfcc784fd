//! A small reader for the Elixir and Erlang term syntax that `mix.lock` and `rebar.lock`
//! are written in: atoms, strings, binaries, numbers, lists, tuples, keyword lists and maps.
//! It reads data only (no expressions) and never panics; nesting is limited.

/// Which syntax to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// `%{"k": {:hex, :a, "1.0"}}`, `[hex: :a]`, `# comment`.
    Elixir,
    /// `{<<"a">>, {pkg, <<"a">>, <<"1.0">>}, 0}.`, `% comment`.
    Erlang,
}

/// A term.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Term {
    Atom(String),
    /// A string or a binary (`"x"`, `<<"x">>`).
    Str(String),
    /// A number, as written.
    Num(String),
    List(Vec<Node>),
    Tuple(Vec<Node>),
    /// Map entries; keyword entries (`k: v`) have an atom key.
    Map(Vec<(Node, Node)>),
}

/// A term with the line where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub term: Term,
    pub line: u32,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.term {
            Term::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_atom(&self) -> Option<&str> {
        match &self.term {
            Term::Atom(s) => Some(s),
            _ => None,
        }
    }

    /// A string, or an atom's name.
    pub fn as_name(&self) -> Option<&str> {
        self.as_str().or_else(|| self.as_atom())
    }

    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.term {
            Term::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_tuple(&self) -> Option<&[Node]> {
        match &self.term {
            Term::Tuple(l) => Some(l),
            _ => None,
        }
    }

    #[cfg(test)]
    /// The value of `key` in a keyword list (`[k: v]` or `[{k, v}]`).
    pub fn keyword(&self, key: &str) -> Option<&Node> {
        self.as_list()?.iter().find_map(|n| match n.as_tuple() {
            Some([k, v]) if k.as_atom() == Some(key) => Some(v),
            _ => None,
        })
    }
}

/// Where and why reading failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TermError {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

const MAX_DEPTH: usize = 200;

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    dialect: Dialect,
    /// `(offset, line)` of the last line lookup, to count lines incrementally.
    mark: std::cell::Cell<(usize, u32)>,
}

type R<T> = Result<T, TermError>;

impl<'a> Reader<'a> {
    fn err<T>(&self, msg: impl Into<String>) -> R<T> {
        let (line, column) = crate::util::line_col(self.text, self.pos);
        Err(TermError {
            message: msg.into(),
            line,
            column,
        })
    }

    fn line(&self) -> u32 {
        let (mut at, mut line) = self.mark.get();
        if self.pos < at {
            (at, line) = (0, 1);
        }
        let end = self.pos.min(self.b.len());
        line += self.b[at.min(end)..end]
            .iter()
            .filter(|&&c| c == b'\n')
            .count() as u32;
        self.mark.set((end, line));
        line
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.b.get(self.pos + n).copied()
    }

    fn skip_ws(&mut self) {
        let comment = match self.dialect {
            Dialect::Elixir => b'#',
            Dialect::Erlang => b'%',
        };
        while let Some(c) = self.peek() {
            if c.is_ascii_whitespace() {
                self.pos += 1;
            } else if c == comment {
                while self.peek().is_some_and(|c| c != b'\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn expect(&mut self, c: u8) -> R<()> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(format!("expected `{}`", c as char))
        }
    }

    fn ident(&mut self) -> &'a str {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'@' | b'.'))
        {
            self.pos += 1;
        }
        // `?` and `!` may end an Elixir atom.
        if self.dialect == Dialect::Elixir && matches!(self.peek(), Some(b'?' | b'!')) {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or("")
    }

    /// A quoted string starting at `quote`; handles backslash escapes.
    fn quoted(&mut self, quote: u8) -> R<String> {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.peek() {
                None => return self.err("unterminated string"),
                Some(c) if c == quote => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => {
                    let e = self.peek_at(1);
                    self.pos += 2;
                    match e {
                        Some(b'n') => out.push(b'\n'),
                        Some(b't') => out.push(b'\t'),
                        Some(b'r') => out.push(b'\r'),
                        Some(c) => out.push(c),
                        None => return self.err("unterminated string"),
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// Elixir `ident:` / `"str":` keyword key ahead? Returns the key and consumes it.
    fn keyword_key(&mut self) -> R<Option<String>> {
        if self.dialect != Dialect::Elixir {
            return Ok(None);
        }
        let save = self.pos;
        let key = match self.peek() {
            Some(b'"') => self.quoted(b'"')?,
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => self.ident().to_string(),
            _ => return Ok(None),
        };
        if self.peek() == Some(b':') && self.peek_at(1).is_none_or(|c| c != b':') {
            self.pos += 1;
            return Ok(Some(key));
        }
        self.pos = save;
        Ok(None)
    }

    fn seq(&mut self, close: u8, depth: usize) -> R<Vec<Node>> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok(items);
            }
            let line = self.line();
            if close == b']'
                && let Some(k) = self.keyword_key()?
            {
                let v = self.value(depth + 1)?;
                let key = Node {
                    term: Term::Atom(k),
                    line,
                };
                items.push(Node {
                    term: Term::Tuple(vec![key, v]),
                    line,
                });
            } else {
                items.push(self.value(depth + 1)?);
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {}
                // Erlang improper list tail `[a | b]` is not used by lockfiles.
                _ => return self.err(format!("expected `,` or `{}`", close as char)),
            }
        }
    }

    fn map(&mut self, depth: usize) -> R<Vec<(Node, Node)>> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(items);
            }
            let line = self.line();
            if let Some(k) = self.keyword_key()? {
                let v = self.value(depth + 1)?;
                items.push((
                    Node {
                        term: Term::Atom(k),
                        line,
                    },
                    v,
                ));
            } else {
                let k = self.value(depth + 1)?;
                self.skip_ws();
                if self.b.get(self.pos..self.pos + 2) == Some(b"=>") {
                    self.pos += 2;
                } else {
                    return self.err("expected `=>`");
                }
                let v = self.value(depth + 1)?;
                items.push((k, v));
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return self.err("expected `,` or `}`"),
            }
        }
    }

    fn value(&mut self, depth: usize) -> R<Node> {
        if depth > MAX_DEPTH {
            return self.err("terms nested too deeply");
        }
        self.skip_ws();
        let line = self.line();
        let term = match self.peek() {
            None => return self.err("unexpected end of file"),
            Some(b'{') => {
                self.pos += 1;
                Term::Tuple(self.seq(b'}', depth)?)
            }
            Some(b'[') => {
                self.pos += 1;
                Term::List(self.seq(b']', depth)?)
            }
            Some(b'%') if self.dialect == Dialect::Elixir => {
                self.pos += 1;
                self.expect(b'{')?;
                Term::Map(self.map(depth)?)
            }
            Some(b'#') if self.dialect == Dialect::Erlang => {
                self.pos += 1;
                self.expect(b'{')?;
                Term::Map(self.map(depth)?)
            }
            Some(b'<') if self.dialect == Dialect::Erlang && self.peek_at(1) == Some(b'<') => {
                self.pos += 2;
                self.skip_ws();
                let s = if self.peek() == Some(b'"') {
                    self.quoted(b'"')?
                } else {
                    String::new()
                };
                self.skip_ws();
                if self.peek() == Some(b'/') {
                    self.pos += 1;
                    self.ident();
                }
                self.skip_ws();
                if self.b.get(self.pos..self.pos + 2) != Some(b">>") {
                    return self.err("expected `>>`");
                }
                self.pos += 2;
                Term::Str(s)
            }
            Some(b'"') => Term::Str(self.quoted(b'"')?),
            Some(b'\'') if self.dialect == Dialect::Erlang => Term::Atom(self.quoted(b'\'')?),
            Some(b':') if self.dialect == Dialect::Elixir => {
                self.pos += 1;
                match self.peek() {
                    Some(b'"') => Term::Atom(self.quoted(b'"')?),
                    Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                        Term::Atom(self.ident().to_string())
                    }
                    _ => return self.err("invalid atom"),
                }
            }
            Some(c) if c.is_ascii_digit() || c == b'-' => {
                let start = self.pos;
                self.pos += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'#'))
                {
                    self.pos += 1;
                }
                Term::Num(self.text.get(start..self.pos).unwrap_or("").to_string())
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => Term::Atom(self.ident().to_string()),
            Some(c) => return self.err(format!("unexpected `{}`", c as char)),
        };
        Ok(Node { term, line })
    }
}

/// Reads one Elixir term (the whole text).
pub(crate) fn parse_elixir(text: &str) -> Result<Node, TermError> {
    let mut r = Reader {
        text,
        b: text.as_bytes(),
        pos: 0,
        dialect: Dialect::Elixir,
        mark: std::cell::Cell::new((0, 1)),
    };
    let v = r.value(0)?;
    r.skip_ws();
    if r.pos < r.b.len() {
        return r.err("unexpected text after the term");
    }
    Ok(v)
}

/// Reads a sequence of Erlang terms, each ending with `.` (as `file:consult/1` does).
pub(crate) fn parse_erlang(text: &str) -> Result<Vec<Node>, TermError> {
    let mut r = Reader {
        text,
        b: text.as_bytes(),
        pos: 0,
        dialect: Dialect::Erlang,
        mark: std::cell::Cell::new((0, 1)),
    };
    let mut out = Vec::new();
    loop {
        r.skip_ws();
        if r.pos >= r.b.len() {
            return Ok(out);
        }
        out.push(r.value(0)?);
        r.expect(b'.')?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elixir() {
        let t = "%{\n  \"a\": {:hex, :a, \"1.0\", [:mix], [{:b, \"~> 1\", [hex: :b, optional: false]}]},\n  \"c\" => :\"x y\", # c\n}";
        let n = parse_elixir(t).expect("valid");
        let Term::Map(m) = &n.term else {
            panic!("not a map")
        };
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].0.as_atom(), Some("a"));
        assert_eq!(m[0].1.line, 2);
        let t0 = m[0].1.as_tuple().expect("tuple");
        assert_eq!(t0[2].as_str(), Some("1.0"));
        let dep = t0[4].as_list().expect("list")[0].as_tuple().expect("tuple");
        assert_eq!(dep[2].keyword("hex").and_then(Node::as_atom), Some("b"));
        assert_eq!(
            dep[2].keyword("optional").and_then(Node::as_atom),
            Some("false")
        );
        assert_eq!(m[1].0.as_str(), Some("c"));
        assert_eq!(m[1].1.as_atom(), Some("x y"));
        for bad in ["%{", "%{\"a\": }", "{:a :b}", "\"x", "%{} x", "[a: ]", ""] {
            assert!(parse_elixir(bad).is_err(), "{bad}");
        }
        let deep = "[".repeat(10_000);
        assert!(parse_elixir(&deep).is_err());
    }

    #[test]
    fn erlang() {
        let t = "{\"1.2.0\",\n[{<<\"a\">>,{pkg,<<\"a\">>,<<\"1.0.0\">>},0}]}.\n[\n{pkg_hash,[{<<\"a\">>, <<\"AB\">>}]}\n]. % end\n";
        let v = parse_erlang(t).expect("valid");
        assert_eq!(v.len(), 2);
        let top = v[0].as_tuple().expect("tuple");
        assert_eq!(top[0].as_str(), Some("1.2.0"));
        let e = top[1].as_list().expect("list")[0]
            .as_tuple()
            .expect("tuple");
        assert_eq!(e[0].as_str(), Some("a"));
        assert_eq!(e[0].line, 2);
        assert_eq!(e[2].term, Term::Num("0".into()));
        assert_eq!(v[1].line, 3);
        for bad in ["{a", "{a}", "<<\"a\">", "{a}. {", "'x"] {
            assert!(parse_erlang(bad).is_err(), "{bad}");
        }
    }
}
