//! A small YAML tree read through `yaml_serde` with a node budget.
//!
//! pnpm lockfiles never use anchors and aliases, but YAML allows them, and a few aliases
//! nested in each other expand into an exponential number of nodes ("billion laughs").
//! `yaml_serde` bounds nesting depth (128) and alias jumps; on top of that the tree here
//! refuses to hold more nodes than the document has bytes (plus a little slack), which no
//! alias-free document can exceed. Scalars are kept as text: pnpm writes versions such as
//! `5.3` unquoted, and keys such as `'0'` are strings to us.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

/// A YAML node: scalars as text, mappings in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Null,
    Scalar(String),
    Seq(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(String, Yaml)] {
        match self {
            Yaml::Map(m) => m,
            _ => &[],
        }
    }

    /// `true` when the scalar reads `true`.
    pub fn is_true(&self) -> bool {
        self.as_str() == Some("true")
    }
}

/// Why a document could not be read: the message and the 1-based line and column.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// Parses one YAML document; at most `text.len() + 1024` nodes.
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    // The YAML pnpm writes is read by a fast line reader; anything else (and every error)
    // goes through the general parser.
    if let Some(doc) = super::fastyaml::parse(text) {
        return Ok(doc);
    }
    general(text)
}

/// [`parse`] through `yaml_serde` only.
pub fn general(text: &str) -> Result<Yaml, YamlError> {
    let budget = Cell::new(text.len().saturating_add(1024));
    let seed = Seed { budget: &budget };
    seed.deserialize(yaml_serde::Deserializer::from_str(text))
        .map_err(|e| {
            let loc = e.location();
            YamlError {
                message: e.to_string(),
                line: loc.as_ref().map(|l| l.line() as u32),
                column: loc.as_ref().map(|l| l.column() as u32),
            }
        })
}

#[derive(Clone, Copy)]
struct Seed<'a> {
    budget: &'a Cell<usize>,
}

impl Seed<'_> {
    fn spend<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(E::custom(
                "document expands to more nodes than it has bytes (YAML alias bomb?)",
            )),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Yaml;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Yaml;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Yaml, E> {
        self.spend()?;
        Ok(Yaml::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Yaml, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Yaml, E> {
        self.visit_string(v.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Yaml, E> {
        self.visit_string(v.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Yaml, E> {
        self.visit_string(v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Yaml, E> {
        self.visit_string(v.to_string())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Yaml, E> {
        self.visit_string(v.to_string())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Yaml, E> {
        self.spend()?;
        Ok(Yaml::Scalar(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        self.spend()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            out.push(v);
        }
        Ok(Yaml::Seq(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Yaml, A::Error> {
        self.spend()?;
        let mut out = Vec::new();
        while let Some(k) = map.next_key_seed(self)? {
            let key = match k {
                Yaml::Scalar(s) => s,
                Yaml::Null => String::new(),
                _ => return Err(A::Error::custom("a mapping key is not a scalar")),
            };
            let v = map.next_value_seed(self)?;
            out.push((key, v));
        }
        Ok(Yaml::Map(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _data: A) -> Result<Yaml, A::Error> {
        // Tagged values (`!tag x`): pnpm writes none; refuse rather than guess.
        Err(A::Error::custom("tagged YAML values are not supported"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_text() {
        let y = parse("a: 5.3\nb: true\n'0': x\nc: ~\nd: [1, 2]\n").expect("yaml");
        assert_eq!(y.get("a").and_then(Yaml::as_str), Some("5.3"));
        assert!(y.get("b").is_some_and(Yaml::is_true));
        assert_eq!(y.get("0").and_then(Yaml::as_str), Some("x"));
        assert_eq!(y.get("c"), Some(&Yaml::Null));
        assert!(matches!(y.get("d"), Some(Yaml::Seq(v)) if v.len() == 2));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut doc = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            let refs = vec![format!("*{prev}"); 10].join(", ");
            doc.push_str(&format!("{cur}: &{cur} [{refs}]\n"));
        }
        let err = parse(&doc).expect_err("bomb");
        assert!(err.message.contains("limit") || err.message.contains("nodes"));
    }

    #[test]
    fn errors_have_lines() {
        let err = parse("a: 1\nb: [\n").expect_err("bad");
        assert!(err.line.is_some());
    }
}
