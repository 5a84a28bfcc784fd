#![no_main]
use std::sync::atomic::{AtomicU64, Ordering};

use chainproof_source::FileResolver;
use chainproof_source::image::{ImageLimits, ImageOptions, ImageTarget};
use libfuzzer_sys::fuzz_target;

static COUNTER: AtomicU64 = AtomicU64::new(0);

// Any bytes as a docker-archive / oci-archive tarball: an image or an ImageError, never a
// panic. (Archives are read from a path, so the bytes go to a scratch file first.)
fuzz_target!(|data: &[u8]| {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("chainproof-fuzz-image-{}-{n}.tar", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let options = ImageOptions {
        limits: ImageLimits {
            max_layer_size: 64 << 20,
            max_image_size: 128 << 20,
            max_entries: 100_000,
            max_memory: 64 << 20,
            ..ImageLimits::default()
        },
        ..ImageOptions::default()
    };
    for target in [ImageTarget::DockerArchive(path.clone()), ImageTarget::OciArchive(path.clone())] {
        if let Ok(image) = target.open(&options) {
            let fs = image.squashed();
            for f in fs.files() {
                let _ = fs.read(&f.path);
            }
        }
    }
    let _ = ImageTarget::detect(&path);
    let _ = std::fs::remove_file(&path);
});
