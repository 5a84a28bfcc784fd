//! A minimal XML element tree (local names, attributes, text, line) built with quick-xml,
//! enough for MSBuild project files and `packages.config`.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use crate::CatalogError;
use crate::util::LineIndex;

/// One element.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    pub line: u32,
}

impl Element {
    /// The value of an attribute, matched case-insensitively (MSBuild is).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed text of the first child element with this name (case-insensitive).
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .map(|c| c.text.trim())
    }

    /// An attribute, or else the text of a child element of the same name (MSBuild metadata
    /// may be written either way).
    pub fn metadata(&self, name: &str) -> Option<&str> {
        self.attr(name).or_else(|| self.child_text(name))
    }

    /// Every descendant element (not `self`), in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }
}

fn start(
    path: &str,
    lines: &LineIndex,
    e: &BytesStart<'_>,
    pos: u64,
) -> Result<Element, CatalogError> {
    let line = lines.line(usize::try_from(pos).unwrap_or(usize::MAX));
    let mut el = Element {
        name: e.local_name().as_ref().to_string(),
        line,
        ..Element::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|err| CatalogError::new(path, err.to_string()).at_line(line))?;
        let key = a.key.local_name().as_ref().to_string();
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| CatalogError::new(path, err.to_string()).at_line(line))?;
        el.attrs.push((key, value.into_owned()));
    }
    Ok(el)
}

/// Parses a document into its root element.
pub(crate) fn parse(path: &str, text: &str) -> Result<Element, CatalogError> {
    let mut reader = Reader::from_str(text);
    let lines = LineIndex::new(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let err_at = |reader: &Reader<&[u8]>, msg: String| {
        let pos = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
        let (line, col) = crate::util::line_col(text, pos);
        CatalogError::new(path, msg).at_line(line).at_column(col)
    };
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event()
            .map_err(|e| err_at(&reader, e.to_string()))?;
        match ev {
            Event::Start(e) => stack.push(start(path, &lines, &e, pos)?),
            Event::Empty(e) => {
                let el = start(path, &lines, &e, pos)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => return Err(err_at(&reader, "more than one root element".into())),
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(err_at(&reader, "unexpected end tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => return Err(err_at(&reader, "more than one root element".into())),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    let resolved = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten().map(String::from)
                    } else {
                        quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string)
                    };
                    match resolved {
                        Some(s) => top.text.push_str(&s),
                        None => return Err(err_at(&reader, "unknown entity reference".into())),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(
            CatalogError::new(path, format!("element <{}> is not closed", open.name))
                .at_line(open.line),
        );
    }
    root.ok_or_else(|| CatalogError::new(path, "no root element"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree() {
        let t = "<?xml version=\"1.0\"?>\n<Project>\n <ItemGroup>\n  <PackageReference Include=\"A&amp;B\" />\n  <PackageReference Include=\"C\">\n   <Version>1.&#50;</Version>\n  </PackageReference>\n </ItemGroup>\n</Project>";
        let root = parse("p", t).expect("valid");
        assert_eq!(root.name, "Project");
        let refs: Vec<_> = root
            .descendants()
            .into_iter()
            .filter(|e| e.name == "PackageReference")
            .collect();
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].attr("include"), Some("A&B"));
        assert_eq!(refs[0].line, 4);
        assert_eq!(refs[1].metadata("Version"), Some("1.2"));
        assert!(parse("p", "<a><b></a>").is_err());
        assert!(parse("p", "<a>").is_err());
        assert!(parse("p", "").is_err());
        assert!(parse("p", "<a/><b/>").is_err());
    }
}
