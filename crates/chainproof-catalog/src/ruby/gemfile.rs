//! The groups of the gems a `Gemfile` (or `gems.rb`) declares, read without evaluating
//! Ruby: `group :development, :test do ... end` blocks and `group:` / `groups:` options of
//! `gem` lines (also in the `:group =>` spelling). A gem's groups are the union of both,
//! as Bundler computes them.

use std::collections::BTreeMap;

use super::tokens::{Tok, tokenize};

/// The groups Bundler users install only to develop or test.
const DEV_GROUPS: [&str; 2] = ["development", "test"];

/// Gem name → whether every declaration of it is in development/test groups only.
pub(super) fn dev_only_gems(text: &str) -> BTreeMap<String, bool> {
    let tokens = tokenize(text);
    let mut out: BTreeMap<String, bool> = BTreeMap::new();
    // One entry per open block: the groups it adds (empty for non-group blocks).
    let mut blocks: Vec<Vec<String>> = Vec::new();
    for stmt in tokens.split(|(t, _)| *t == Tok::End) {
        let toks: Vec<&Tok> = stmt.iter().map(|(t, _)| t).collect();
        let Some(first) = toks.first() else { continue };
        let ends_with_do = matches!(toks.last(), Some(Tok::Ident(w)) if w == "do");
        match first {
            Tok::Ident(w) if w == "end" => {
                blocks.pop();
            }
            Tok::Ident(w) if w == "group" && ends_with_do => {
                blocks.push(values(&toks[1..]));
            }
            Tok::Ident(w) if w == "gem" => {
                let Some(name) = toks.iter().find_map(|t| match t {
                    Tok::Str(s) => Some(s.clone()),
                    _ => None,
                }) else {
                    continue;
                };
                let mut groups: Vec<String> = blocks.iter().flatten().cloned().collect();
                groups.extend(option_groups(&toks));
                let dev =
                    !groups.is_empty() && groups.iter().all(|g| DEV_GROUPS.contains(&g.as_str()));
                out.entry(name)
                    .and_modify(|d| *d = *d && dev)
                    .or_insert(dev);
                if ends_with_do {
                    blocks.push(Vec::new());
                }
            }
            Tok::Ident(w)
                if ends_with_do
                    || matches!(
                        w.as_str(),
                        "if" | "unless"
                            | "case"
                            | "while"
                            | "until"
                            | "begin"
                            | "def"
                            | "class"
                            | "module"
                    ) =>
            {
                blocks.push(Vec::new());
            }
            _ if ends_with_do => blocks.push(Vec::new()),
            _ => {}
        }
    }
    out
}

/// The symbols and strings of a `group` header (up to `do`).
fn values(toks: &[&Tok]) -> Vec<String> {
    toks.iter()
        .take_while(|t| !matches!(t, Tok::Ident(w) if w == "do"))
        .filter_map(|t| match t {
            Tok::Symbol(s) | Tok::Str(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// The values of `group:` / `groups:` / `:group =>` options of a `gem` statement.
fn option_groups(toks: &[&Tok]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let start = match (toks[i], toks.get(i + 1)) {
            (Tok::Label(k), _) if k == "group" || k == "groups" => Some(i + 1),
            (Tok::Symbol(k) | Tok::Str(k), Some(Tok::Arrow)) if k == "group" || k == "groups" => {
                Some(i + 2)
            }
            _ => None,
        };
        if let Some(mut j) = start {
            let bracketed = matches!(toks.get(j), Some(Tok::Punct('[')));
            if bracketed {
                j += 1;
            }
            while let Some(t) = toks.get(j) {
                match t {
                    Tok::Symbol(s) | Tok::Str(s) => out.push(s.clone()),
                    Tok::Punct(',') if bracketed => {}
                    _ => break,
                }
                j += 1;
                if !bracketed {
                    break;
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups() {
        let g = dev_only_gems(
            r#"source "https://rubygems.org"
gem "rails", "~> 7.0"
gem "rspec", group: :test
gem "pry", groups: [:development, :test]
gem "puma", :group => :production
group :development, :test do
  gem "byebug"
  platforms :mri do
    gem "stackprof"
  end
  gem "foo", group: :ci
end
if ENV["X"]
  gem "x"
end
group(:test) { }
gem "rspec"
gem "late", group: "test"
"#,
        );
        let dev: Vec<&str> = g
            .iter()
            .filter(|(_, d)| **d)
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(dev, vec!["byebug", "late", "pry", "stackprof"]);
        assert_eq!(
            g.get("rspec"),
            Some(&false),
            "declared again outside a group"
        );
        assert_eq!(g.get("foo"), Some(&false));
        assert_eq!(g.get("x"), Some(&false));
        assert_eq!(g.get("rails"), Some(&false));
        assert_eq!(g.get("puma"), Some(&false));
    }
}
