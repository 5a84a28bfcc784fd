//! CycloneDX JSON: model, writer, reader.

mod decode;
mod encode;
pub(crate) mod model;
mod stream;

pub(crate) use decode::decode;
pub(crate) use encode::{encode, top_level};
