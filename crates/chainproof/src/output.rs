//! `-o FORMAT[=FILE]` parsing and rendering of an inventory in each format.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chainproof_core::Inventory;
use chainproof_sbom::{CdxVersion, EncodeOptions, Format};

/// What a user can ask for with `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Sbom(Format),
}

/// One `-o` request: a format and where to write it (`None` = stdout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: OutputFormat,
    pub file: Option<PathBuf>,
}

impl OutputSpec {
    /// Parses `FORMAT[=FILE]`.
    pub fn parse(s: &str) -> anyhow::Result<OutputSpec> {
        let (name, file) = match s.split_once('=') {
            Some((n, f)) if !f.is_empty() => (n, Some(PathBuf::from(f))),
            Some((_, _)) => bail!("`-o {s}`: empty file name after `=`"),
            None => (s, None),
        };
        let format = match name.to_ascii_lowercase().as_str() {
            "table" => OutputFormat::Table,
            "cyclonedx-json" | "cyclonedx" | "cdx-json" | "cyclonedx-json@1.6" => {
                OutputFormat::Sbom(Format::CycloneDxJson(CdxVersion::V1_6))
            }
            "cyclonedx-json@1.5" => OutputFormat::Sbom(Format::CycloneDxJson(CdxVersion::V1_5)),
            "spdx-json" | "spdx" | "spdx-json@2.3" => OutputFormat::Sbom(Format::SpdxJson),
            other => bail!(
                "unknown output format `{other}`; expected one of: table, cyclonedx-json, \
                 cyclonedx-json@1.5, cyclonedx-json@1.6, spdx-json"
            ),
        };
        Ok(OutputSpec { format, file })
    }

    /// Parses every `-o`; at most one may go to stdout. Defaults to `table` on stdout.
    pub fn parse_all(specs: &[String]) -> anyhow::Result<Vec<OutputSpec>> {
        let mut out = specs
            .iter()
            .map(|s| OutputSpec::parse(s))
            .collect::<anyhow::Result<Vec<_>>>()?;
        if out.is_empty() {
            out.push(OutputSpec {
                format: OutputFormat::Table,
                file: None,
            });
        }
        if out.iter().filter(|o| o.file.is_none()).count() > 1 {
            bail!("more than one output goes to stdout; give all but one a file with FORMAT=FILE");
        }
        Ok(out)
    }
}

/// Renders an inventory in one format.
pub fn render(inventory: &Inventory, format: OutputFormat) -> anyhow::Result<String> {
    match format {
        OutputFormat::Table => Ok(table(inventory)),
        OutputFormat::Sbom(f) => {
            let mut s = chainproof_sbom::encode(inventory, f, &EncodeOptions::default())
                .context("encoding the SBOM")?;
            if !s.ends_with('\n') {
                s.push('\n');
            }
            Ok(s)
        }
    }
}

/// The human table: one row per package, sorted by name then version.
fn table(inventory: &Inventory) -> String {
    let mut rows: Vec<[String; 4]> = inventory
        .packages()
        .map(|(_, p)| {
            [
                p.name.clone(),
                p.version.clone().unwrap_or_else(|| "(unresolved)".into()),
                p.ecosystem.to_string(),
                p.scope.to_string(),
            ]
        })
        .collect();
    rows.sort();
    if rows.is_empty() {
        return "No packages found.\n".into();
    }
    let header = ["NAME", "VERSION", "ECOSYSTEM", "SCOPE"].map(String::from);
    let mut widths = [0usize; 4];
    for r in std::iter::once(&header).chain(&rows) {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut s = String::new();
    for r in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                line.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        let o = OutputSpec::parse("spdx-json=out.json").unwrap();
        assert_eq!(o.format, OutputFormat::Sbom(Format::SpdxJson));
        assert_eq!(o.file, Some(PathBuf::from("out.json")));
        assert_eq!(
            OutputSpec::parse("cyclonedx-json@1.5").unwrap().format,
            OutputFormat::Sbom(Format::CycloneDxJson(CdxVersion::V1_5))
        );
        assert!(OutputSpec::parse("xml").is_err());
        assert!(OutputSpec::parse("table=").is_err());
        assert!(OutputSpec::parse_all(&["table".into(), "spdx-json".into()]).is_err());
        assert_eq!(
            OutputSpec::parse_all(&[]).unwrap()[0].format,
            OutputFormat::Table
        );
    }
}
