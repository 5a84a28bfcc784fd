//! SPDX 2.x JSON: model, writer (2.3), reader (2.x).

mod decode;
mod encode;
mod model;

pub(crate) use decode::decode;
pub(crate) use encode::encode;

/// Facts without an SPDX field are annotations whose comment is `name=value`
/// (see `conventions`). Returns the pair when a comment has that shape: a name without
/// spaces that contains a `:` (`chainproof:scope=dev`).
fn split_property(comment: &str) -> Option<(&str, &str)> {
    let (name, value) = comment.split_once('=')?;
    (name.contains(':') && !name.is_empty() && !name.contains(char::is_whitespace))
        .then_some((name, value))
}
