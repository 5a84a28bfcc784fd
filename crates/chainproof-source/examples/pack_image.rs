//! Packs a directory tree (e.g. a debootstrap'd root) as a one-layer image, for benchmarks:
//! `cargo run --release -p chainproof-source --features pack --example pack_image -- ROOT OUT [docker-archive|oci-dir|oci-archive] [TAG]`

use std::path::PathBuf;
use std::process::ExitCode;

use chainproof_source::image::pack::{self, Compression};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: pack_image ROOT OUT [docker-archive|oci-dir|oci-archive] [TAG]");
        return ExitCode::from(2);
    };
    let format = args.get(2).map_or("docker-archive", String::as_str);
    let tag = args
        .get(3)
        .map_or("chainproof/packed:latest", String::as_str);
    let out = PathBuf::from(out);
    let result = pack::layer_from_dir(&PathBuf::from(root)).and_then(|layer| {
        let layers = [layer];
        match format {
            "docker-archive" => pack::write_docker_archive(&out, &layers, tag, false),
            "oci-dir" => pack::write_oci_dir(&out, &layers, Compression::Gzip, tag).map(|_| ()),
            "oci-archive" => {
                pack::write_oci_archive(&out, &layers, Compression::Gzip, tag).map(|_| ())
            }
            other => Err(std::io::Error::other(format!("unknown format {other}"))),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pack_image: {e}");
            ExitCode::FAILURE
        }
    }
}
