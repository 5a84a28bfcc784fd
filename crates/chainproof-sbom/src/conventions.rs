//! How facts without a native field are spelled in both formats (`chainproof:*` properties),
//! and small helpers shared by the writers and readers.

use std::time::SystemTime;

use chainproof_core::{Ecosystem, ImageInfo, Location, Package, Unparsed};

use crate::{EncodeOptions, SbomError};

/// Package scope when not runtime (`dev`, `optional`).
pub const SCOPE: &str = "chainproof:scope";
/// The ecosystem of a package without a purl.
pub const ECOSYSTEM: &str = "chainproof:ecosystem";
/// Where the package comes from (`Package::source`), verbatim.
pub const SOURCE: &str = "chainproof:source";
/// `path` or `path:line` where a package was found (when the format has no better place).
pub const LOCATION: &str = "chainproof:location";
/// One declared license, when a package declares several (SPDX has one field only).
pub const LICENSE: &str = "chainproof:license";
/// `PackageKind::Project` where the format cannot say it.
pub const KIND: &str = "chainproof:kind";
/// What was inventoried (`SourceInfo::kind`), on the root component / package.
pub const SOURCE_KIND: &str = "chainproof:source-kind";
/// A file that could not be parsed: see [`format_unparsed`].
pub const UNPARSED: &str = "chainproof:unparsed";

/// In a container image, the layer (`diff_id`) that wrote a file a package was found in;
/// one property per distinct layer.
pub const LAYER: &str = "chainproof:layer";
/// Image metadata on the root component / package (see [`image_properties`]).
pub const IMAGE_MANIFEST_DIGEST: &str = "chainproof:image:manifest-digest";
pub const IMAGE_CONFIG_DIGEST: &str = "chainproof:image:config-digest";
pub const IMAGE_MEDIA_TYPE: &str = "chainproof:image:media-type";
pub const IMAGE_TAG: &str = "chainproof:image:tag";
pub const IMAGE_OS: &str = "chainproof:image:os";
pub const IMAGE_ARCHITECTURE: &str = "chainproof:image:architecture";
pub const IMAGE_VARIANT: &str = "chainproof:image:variant";
/// Each layer's blob digest, bottom first.
pub const IMAGE_LAYER_DIGEST: &str = "chainproof:image:layer-digest";
/// Each layer's `diff_id` (digest of the uncompressed tar), bottom first.
pub const IMAGE_LAYER_DIFF_ID: &str = "chainproof:image:layer-diff-id";

/// The image facts without a native field, as (name, value) properties, in a stable order.
pub fn image_properties(image: &ImageInfo) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(d) = &image.manifest_digest {
        out.push((IMAGE_MANIFEST_DIGEST, d.clone()));
    }
    out.push((IMAGE_CONFIG_DIGEST, image.config_digest.clone()));
    if let Some(m) = &image.media_type {
        out.push((IMAGE_MEDIA_TYPE, m.clone()));
    }
    out.extend(image.repo_tags.iter().map(|t| (IMAGE_TAG, t.clone())));
    let fields = [
        (IMAGE_OS, &image.os),
        (IMAGE_ARCHITECTURE, &image.architecture),
        (IMAGE_VARIANT, &image.variant),
    ];
    out.extend(
        fields
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (*k, v.clone()))),
    );
    for l in &image.layers {
        out.push((IMAGE_LAYER_DIGEST, l.digest.clone()));
        out.push((IMAGE_LAYER_DIFF_ID, l.diff_id.clone()));
    }
    out
}

/// The distinct layers of a package's locations, in first-seen order.
pub fn package_layers(p: &Package) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for l in p.locations.iter().filter_map(|l| l.layer.as_deref()) {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

/// The hex of a `sha256:` digest (for a SHA-256 hash entry).
pub fn sha256_hex(digest: &str) -> Option<&str> {
    digest
        .strip_prefix("sha256:")
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Property names the readers turn back into model fields (not kept as properties).
pub fn is_reserved(name: &str) -> bool {
    [
        SCOPE,
        ECOSYSTEM,
        SOURCE,
        LOCATION,
        LICENSE,
        KIND,
        SOURCE_KIND,
    ]
    .contains(&name)
}

/// RFC 3339 in whole seconds, UTC (`2024-05-01T12:00:00Z`), as both formats accept it.
pub fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// The document's UUID: the fixed serial from the options (a UUID, optionally prefixed by
/// `urn:uuid:`), or a random one.
pub fn serial_uuid(options: &EncodeOptions) -> Result<uuid::Uuid, SbomError> {
    match &options.serial {
        None => Ok(uuid::Uuid::new_v4()),
        Some(s) => {
            let raw = s.strip_prefix("urn:uuid:").unwrap_or(s);
            uuid::Uuid::parse_str(raw).map_err(|e| SbomError::Invalid {
                path: "<encode options>".into(),
                pointer: "/serialNumber".into(),
                message: format!("serial `{s}` is not a UUID: {e}"),
            })
        }
    }
}

/// `path` or `path:line`.
pub fn format_location(l: &Location) -> String {
    l.to_string()
}

/// Reads [`format_location`] back: a trailing `:<digits>` is the line.
pub fn parse_location(s: &str) -> Location {
    if let Some((path, line)) = s.rsplit_once(':')
        && !path.is_empty()
        && !line.is_empty()
        && line.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = line.parse::<u32>()
    {
        return Location::new(path).with_line(n);
    }
    Location::new(s)
}

/// `path[:line]: error [cataloger]`.
pub fn format_unparsed(u: &Unparsed) -> String {
    format!("{}: {} [{}]", u.location, u.error, u.cataloger)
}

/// Reads [`format_unparsed`] back (best effort: foreign text becomes the error message).
pub fn parse_unparsed(s: &str) -> Unparsed {
    let (rest, cataloger) = match s.strip_suffix(']').and_then(|r| r.rsplit_once(" [")) {
        Some((rest, cat)) => (rest, cat.to_string()),
        None => (s, String::new()),
    };
    let (loc, error) = rest.split_once(": ").unwrap_or(("", rest));
    Unparsed {
        location: parse_location(loc),
        cataloger,
        error: error.to_string(),
    }
}

/// The ecosystem named by a `chainproof:ecosystem` value or a purl type.
pub fn ecosystem_named(name: &str) -> Ecosystem {
    name.parse().unwrap_or(Ecosystem::Other(name.to_string()))
}

/// Whether a source string is a URL a consumer can follow (an external reference /
/// download location), rather than a local path or an opaque token.
pub fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && !rest.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_round_trip() {
        let l = Location::new("a/b/Cargo.lock").with_line(12);
        assert_eq!(parse_location(&format_location(&l)), l);
        assert_eq!(parse_location("C:x"), Location::new("C:x"));
        assert_eq!(parse_location("p"), Location::new("p"));
    }

    #[test]
    fn unparsed_round_trip() {
        let u = Unparsed {
            location: Location::new("web/package-lock.json").with_line(3),
            cataloger: "npm-package-lock".into(),
            error: "expected `,` or `}`: at /packages".into(),
        };
        assert_eq!(parse_unparsed(&format_unparsed(&u)), u);
    }

    #[test]
    fn urls() {
        assert!(is_url("https://github.com/a/b"));
        assert!(is_url("git+https://github.com/a/b#abc"));
        assert!(!is_url("../local/path"));
        assert!(!is_url("https://x y"));
    }
}
