//! `encode_to_writer` streams the same bytes `encode` returns, and reports a failing writer.

mod common;

use chainproof_sbom::{CdxVersion, Format, SbomError, encode, encode_to_writer};
use serde_json::Value;

use common::{options, rich_inventory};

const FORMATS: [Format; 3] = [
    Format::CycloneDxJson(CdxVersion::V1_5),
    Format::CycloneDxJson(CdxVersion::V1_6),
    Format::SpdxJson,
];

#[test]
fn writer_gets_the_same_bytes_as_encode() {
    let inv = rich_inventory();
    for format in FORMATS {
        let text = encode(&inv, format, &options()).expect("encode");
        let mut streamed = Vec::new();
        encode_to_writer(&inv, format, &options(), &mut streamed).expect("stream");
        assert_eq!(
            String::from_utf8(streamed).expect("utf-8"),
            text,
            "{format:?}"
        );
        // and it is the whole document: every package is in it
        let doc: Value = serde_json::from_str(&text).expect("json");
        let listed = match format {
            Format::SpdxJson => doc["packages"].as_array().expect("packages").len() - 1,
            _ => doc["components"].as_array().expect("components").len(),
        };
        assert_eq!(listed, inv.len(), "{format:?}");
    }
}

#[test]
fn cyclonedx_dependencies_are_streamed_per_package() {
    let inv = rich_inventory();
    let mut out = Vec::new();
    encode_to_writer(
        &inv,
        Format::CycloneDxJson(CdxVersion::V1_6),
        &options(),
        &mut out,
    )
    .expect("stream");
    let doc: Value = serde_json::from_slice(&out).expect("json");
    let deps = doc["dependencies"].as_array().expect("dependencies");
    // the root's entry, then one per package
    assert_eq!(deps.len(), inv.len() + 1);
    let edges: usize = deps[1..]
        .iter()
        .map(|d| d["dependsOn"].as_array().expect("dependsOn").len())
        .sum();
    assert_eq!(edges, inv.edges().count());
}

/// A writer that fails after `left` bytes.
struct Full {
    left: usize,
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("disk full"));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failing_writer_is_an_error() {
    let inv = rich_inventory();
    for format in FORMATS {
        let err = encode_to_writer(&inv, format, &options(), &mut Full { left: 100 })
            .expect_err("the writer fails");
        assert!(
            matches!(&err, SbomError::Write { message } if message.contains("disk full")),
            "{err:?}"
        );
    }
}
