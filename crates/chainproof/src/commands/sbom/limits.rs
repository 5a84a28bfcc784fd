//! The caps on what an image may make chainproof read or hold, as command-line flags of
//! `sbom` and `scan` (they bound hostile images: gzip bombs, lying tar headers, millions of
//! tiny files, symlink loops). Defaults are [`ImageLimits::default`]'s.

use chainproof_source::image::ImageLimits;
use chainproof_source::registry::Limits as PullLimits;
use clap::Args;

/// Image caps (`--max-image-size 8GiB`, `--max-files 100000`, ...).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Image limits")]
pub struct ImageLimitArgs {
    /// Largest uncompressed size of all layers of an image together (and of what a
    /// registry pull may download).
    #[arg(long, value_name = "SIZE", default_value = "64GiB", value_parser = parse_size)]
    pub max_image_size: u64,

    /// Largest uncompressed size of one layer (bounds gzip bombs and lying tar headers).
    #[arg(long, value_name = "SIZE", default_value = "16GiB", value_parser = parse_size)]
    pub max_layer_size: u64,

    /// Most tar entries (files, directories, links) in all layers together.
    #[arg(long, value_name = "N", default_value_t = 4_000_000)]
    pub max_files: u64,

    /// Largest file whose content is kept for the catalogers; larger ones are skipped
    /// with a warning.
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Most file content kept in memory for all files together; past it, files are
    /// skipped with a warning.
    #[arg(long, value_name = "SIZE", default_value = "2GiB", value_parser = parse_size)]
    pub max_memory: u64,

    /// Most layers in one image.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_layers: usize,

    /// Most symbolic links followed while resolving one path in an image.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub max_symlink_depth: u32,
}

impl ImageLimitArgs {
    /// The limits for opening an image.
    pub fn image_limits(&self) -> ImageLimits {
        ImageLimits {
            max_layer_size: self.max_layer_size,
            max_image_size: self.max_image_size,
            max_entries: self.max_files,
            max_file_size: self.max_file_size,
            max_memory: self.max_memory,
            max_layers: self.max_layers,
            max_symlink_hops: self.max_symlink_depth,
            ..ImageLimits::default()
        }
    }

    /// The limits for pulling from a registry (compressed sizes are at most the
    /// uncompressed ones the image caps bound).
    pub fn pull_limits(&self) -> PullLimits {
        PullLimits {
            max_layer_bytes: self.max_layer_size,
            max_total_bytes: self.max_image_size,
            ..PullLimits::default()
        }
    }
}

/// Parses a byte size: a number with an optional unit, `B`, `k`/`KB`/`KiB`, `M`/`MB`/
/// `MiB`, `G`/`GB`/`GiB`, `T`/`TB`/`TiB` (case-insensitive; `KB` = 1000, `KiB` and the bare
/// letter = 1024, as `du -h` reads). `8GiB`, `512M`, `100000`, `1.5GiB`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let mult: u64 = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "kb" => 1_000,
        "m" | "mib" => 1 << 20,
        "mb" => 1_000_000,
        "g" | "gib" => 1 << 30,
        "gb" => 1_000_000_000,
        "t" | "tib" => 1 << 40,
        "tb" => 1_000_000_000_000,
        _ => {
            return Err(format!(
                "`{s}`: unknown unit `{unit}` (use B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)"
            ));
        }
    };
    let value: f64 = num
        .parse()
        .map_err(|_| format!("`{s}`: expected a size such as 8GiB, 512MiB or 100000"))?;
    let bytes = value * mult as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(format!("`{s}`: the size must be at least one byte"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("8GiB"), Ok(8 << 30));
        assert_eq!(parse_size("8gib"), Ok(8 << 30));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("1MB"), Ok(1_000_000));
        assert_eq!(parse_size("100000"), Ok(100_000));
        assert_eq!(parse_size("1.5KiB"), Ok(1536));
        assert_eq!(parse_size(" 2 GiB "), Ok(2 << 30));
        assert!(parse_size("").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("8 parsecs").is_err());
        assert!(parse_size("GiB").is_err());
        assert!(parse_size("1.2.3M").is_err());
    }
}
