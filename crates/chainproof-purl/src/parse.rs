//! Parsing a purl string, right to left, as in the specification's "How to parse".

use std::collections::BTreeMap;

use crate::encoding::decode;
use crate::types::name_is_path;
use crate::{Purl, PurlError, valid_qualifier_key, valid_type};

/// How forgiving the parser is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Conformance: qualifier keys must be lowercase and unique, `%` must start a
    /// valid triplet, and the type-specific rules are checked.
    Strict,
    /// Remediation: qualifier keys are lowercased (last duplicate wins), a stray `%`
    /// is literal, and type-specific requirements are not checked.
    Lenient,
}

pub(crate) fn parse(input: &str, mode: Mode) -> Result<Purl, PurlError> {
    let strict = mode == Mode::Strict;

    let (rest, subpath) = match input.rsplit_once('#') {
        Some((r, s)) => (r, Some(s)),
        None => (input, None),
    };
    let (rest, qualifiers) = match rest.rsplit_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };

    let (scheme, rest) = rest.split_once(':').ok_or(PurlError::MissingScheme)?;
    if !scheme.eq_ignore_ascii_case("pkg") {
        return Err(PurlError::MissingScheme);
    }

    let rest = rest.trim_start_matches('/');
    let (ty, rest) = match rest.split_once('/') {
        Some(split) => split,
        None => {
            valid_type(rest)?;
            return Err(PurlError::MissingName);
        }
    };
    valid_type(ty)?;
    let ty = ty.to_ascii_lowercase();

    // The version follows the last `@`, except an `@` that starts a namespace
    // segment (an unencoded npm scope, `pkg:npm/@babel/core`).
    let (path, version) = match rest.rfind('@') {
        Some(i) if rest[i + 1..].contains('/') && (i == 0 || rest[..i].ends_with('/')) => {
            (rest, None)
        }
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    if version.is_some() && (path.is_empty() || path.ends_with('/')) {
        // `pkg:type/@1.0` or `pkg:type/ns/@1.0`: the name is empty.
        return Err(PurlError::MissingName);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some((last, init)) = segments.split_last() else {
        return Err(PurlError::MissingName);
    };

    let (namespace, name) = if name_is_path(&ty) {
        // `pkg:git/<host>/<path...>`: one namespace segment, the rest is the name.
        let decoded = segments
            .iter()
            .map(|s| decode_segment(s, "name", strict))
            .collect::<Result<Vec<_>, _>>()?;
        match decoded.split_first() {
            Some((host, path)) if !path.is_empty() => (Some(host.clone()), path.join("/")),
            _ => (None, decoded.join("/")),
        }
    } else {
        let ns = init
            .iter()
            .map(|s| decode_segment(s, "namespace", strict))
            .collect::<Result<Vec<_>, _>>()?;
        (
            (!ns.is_empty()).then(|| ns.join("/")),
            decode(last, "name", strict)?,
        )
    };

    let version = version.map(|v| decode(v, "version", strict)).transpose()?;
    let qualifiers = qualifiers
        .map(|q| parse_qualifiers(q, strict))
        .transpose()?
        .unwrap_or_default();
    let subpath = subpath.map(|s| parse_subpath(s, strict)).transpose()?;

    let mut purl = Purl {
        ty,
        namespace,
        name,
        version,
        qualifiers,
        subpath,
    };
    purl.normalize();
    if purl.name.is_empty() {
        return Err(PurlError::MissingName);
    }
    if strict {
        purl.validate()?;
    }
    Ok(purl)
}

/// Decodes a namespace, name-path or subpath segment, which may not hold a `/`.
fn decode_segment(seg: &str, component: &'static str, strict: bool) -> Result<String, PurlError> {
    let decoded = decode(seg, component, strict)?;
    if decoded.contains('/') {
        return Err(PurlError::SlashInSegment {
            component,
            segment: seg.to_string(),
        });
    }
    Ok(decoded)
}

fn parse_qualifiers(q: &str, strict: bool) -> Result<BTreeMap<String, String>, PurlError> {
    let mut map = BTreeMap::new();
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = if strict {
            key.to_string()
        } else {
            key.to_ascii_lowercase()
        };
        if !valid_qualifier_key(&key) {
            return Err(PurlError::InvalidQualifierKey(key));
        }
        let value = decode(value, "qualifier value", strict)?;
        if value.is_empty() {
            continue;
        }
        if map.insert(key.clone(), value).is_some() && strict {
            return Err(PurlError::DuplicateQualifier(key));
        }
    }
    Ok(map)
}

fn parse_subpath(s: &str, strict: bool) -> Result<String, PurlError> {
    let mut out = Vec::new();
    for seg in s.split('/').filter(|s| !s.is_empty()) {
        let decoded = decode_segment(seg, "subpath", strict)?;
        if decoded != "." && decoded != ".." && !decoded.is_empty() {
            out.push(decoded);
        }
    }
    Ok(out.join("/"))
}
