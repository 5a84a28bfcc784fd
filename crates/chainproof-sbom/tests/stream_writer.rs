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

/// The committed document of [`rich_inventory`] in each format (written by the streaming
/// encoder after its output was checked byte-identical to the former in-memory encoder's on
/// the realworld and synthetic trees), so any change in the bytes shows here
/// (`UPDATE_GOLDEN=1` rewrites them after a deliberate change).
fn golden(format: Format) -> std::path::PathBuf {
    let name = match format {
        Format::CycloneDxJson(CdxVersion::V1_5) => "rich.cdx-1.5.json",
        Format::CycloneDxJson(CdxVersion::V1_6) => "rich.cdx-1.6.json",
        _ => "rich.spdx.json",
    };
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/golden")
        .join(name)
}

#[test]
fn writer_gets_the_same_bytes_as_encode() {
    let inv = rich_inventory();
    for format in FORMATS {
        let text = encode(&inv, format, &options()).expect("encode");
        let mut streamed = Vec::new();
        encode_to_writer(&inv, format, &options(), &mut streamed).expect("stream");
        let streamed = String::from_utf8(streamed).expect("utf-8");
        assert_eq!(streamed, text, "{format:?}");
        let path = golden(format);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
            std::fs::write(&path, &streamed).expect("write golden");
        }
        let expected = std::fs::read_to_string(&path).expect("golden file");
        assert_eq!(
            streamed,
            expected,
            "{format:?} differs from {}",
            path.display()
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
