//! A small element tree over quick-xml, with the line of every element, for the Maven and
//! Gradle XML formats. Namespaces are dropped (local names only); predefined and character
//! references are resolved, unknown entities are kept verbatim (old plexus POMs use
//! `&oslash;` without declaring it). Nesting is limited to [`MAX_DEPTH`].

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::CatalogError;

/// Deepest element nesting accepted; POMs nest about 6 levels.
pub const MAX_DEPTH: usize = 256;

/// One element: local name, attributes, child elements, direct text, and its 1-based line.
#[derive(Debug, Clone, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    pub line: u32,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child with this name (`None` when absent).
    pub fn child_text(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.trim().to_string())
    }

    /// An attribute by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Decodes XML bytes to text: UTF-8 (BOM removed), UTF-16 with a BOM, otherwise each byte
/// as a Latin-1 character (POMs declaring `ISO-8859-1` are common).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(s);
    }
    let utf16 = |be: bool| {
        let units = bytes[2..].chunks_exact(2).map(|c| {
            if be {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if bytes.starts_with(b"\xFE\xFF") {
        return Cow::Owned(utf16(true));
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Cow::Owned(utf16(false));
    }
    Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect())
}

/// Counts lines incrementally (reader positions only grow).
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: u32,
}

impl Lines<'_> {
    fn at(&mut self, offset: u64) -> u32 {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        if offset >= self.offset {
            let n = self.text[self.offset..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line = self
                .line
                .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
            self.offset = offset;
            self.line
        } else {
            crate::util::line_of(std::str::from_utf8(self.text).unwrap_or(""), offset)
        }
    }
}

/// The XML `Name` production, loosely (any non-ASCII character is accepted).
fn is_xml_name(n: &str) -> bool {
    let mut chars = n.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':') || !c.is_ascii())
}

fn start(e: &quick_xml::events::BytesStart<'_>, line: u32) -> Result<Element, String> {
    let qname = e.name();
    if !is_xml_name(qname.as_ref()) {
        return Err(format!("invalid element name `<{}>`", qname.as_ref()));
    }
    let mut el = Element {
        name: e.local_name().as_ref().to_string(),
        line,
        ..Element::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|err| format!("invalid attribute: {err}"))?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| format!("invalid attribute value: {err}"))?;
        el.attrs
            .push((a.key.local_name().as_ref().to_string(), value.into_owned()));
    }
    Ok(el)
}

/// Parses a document into its root element. Errors carry the line and column.
pub fn parse(path: &str, text: &str) -> Result<Element, CatalogError> {
    let mut reader = Reader::from_str(text);
    let mut lines = Lines {
        text: text.as_bytes(),
        offset: 0,
        line: 1,
    };
    let err_at = |lines: &mut Lines<'_>, pos: u64, msg: String| {
        let line = lines.at(pos);
        let off = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
        let col = crate::util::line_col(text, off).1;
        CatalogError::new(path, msg).at_line(line).at_column(col)
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let pos = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position();
                return Err(err_at(&mut lines, at, format!("malformed XML: {e}")));
            }
        };
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err_at(
                        &mut lines,
                        pos,
                        format!("elements nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let line = lines.at(pos);
                let el = start(&e, line).map_err(|m| err_at(&mut lines, pos, m))?;
                stack.push(el);
            }
            Event::Empty(e) => {
                let line = lines.at(pos);
                let el = start(&e, line).map_err(|m| err_at(&mut lines, pos, m))?;
                attach(&mut stack, &mut root, el);
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    attach(&mut stack, &mut root, el);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => top.text.push(c),
                        Ok(None) => match quick_xml::escape::resolve_predefined_entity(&r) {
                            Some(s) => top.text.push_str(s),
                            None => {
                                top.text.push('&');
                                top.text.push_str(&r);
                                top.text.push(';');
                            }
                        },
                        Err(e) => {
                            return Err(err_at(
                                &mut lines,
                                pos,
                                format!("invalid character reference: {e}"),
                            ));
                        }
                    }
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(CatalogError::new(
            path,
            format!(
                "malformed XML: element <{}> opened at line {} is never closed",
                open.name, open.line
            ),
        )
        .at_line(open.line));
    }
    root.ok_or_else(|| CatalogError::new(path, "not an XML document: no root element"))
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => {
            if root.is_none() {
                *root = Some(el);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_with_lines_and_entities() {
        let doc = "<?xml version=\"1.0\"?>\n<a xmlns=\"x\">\n  <b k='v'>x &amp; &#65;&oslash;</b>\n  <c/>\n</a>\n";
        let root = parse("f.xml", doc).expect("parses");
        assert_eq!(root.name, "a");
        assert_eq!(root.line, 2);
        let b = root.child("b").expect("b");
        assert_eq!(b.line, 3);
        assert_eq!(b.text, "x & A&oslash;");
        assert_eq!(b.attr("k"), Some("v"));
        assert_eq!(root.child("c").map(|c| c.line), Some(4));
    }

    #[test]
    fn errors_have_lines() {
        let e = parse("f.xml", "<a>\n<b>\n</c>\n</a>").expect_err("mismatch");
        assert_eq!(e.line, Some(3), "{e}");
        let e = parse("f.xml", "<a>\n<b>\n").expect_err("unclosed");
        assert!(e.line.is_some(), "{e}");
        let deep = "<a>".repeat(MAX_DEPTH + 5);
        assert!(parse("f.xml", &deep).is_err());
        assert!(parse("f.xml", "just text").is_err());
    }

    #[test]
    fn decodes_latin1() {
        assert_eq!(decode(b"caf\xe9"), "café");
        assert_eq!(decode(b"\xEF\xBB\xBFok"), "ok");
    }
}
