#![no_main]
use chainproof_source::FileResolver;
use chainproof_source::image::{Image, ImageLimits, ImageOptions};
use libfuzzer_sys::fuzz_target;

// Any bytes as one or two layers (split at the first 0xff byte): an image or an
// ImageError, never a panic; every listed file is then looked up through symlinks.
fuzz_target!(|data: &[u8]| {
    let options = ImageOptions {
        limits: ImageLimits {
            max_layer_size: 64 << 20,
            max_entries: 100_000,
            max_memory: 64 << 20,
            ..ImageLimits::default()
        },
        ..ImageOptions::default()
    };
    let blobs: Vec<&[u8]> = match data.iter().position(|&b| b == 0xff) {
        Some(i) => vec![&data[..i], &data[i + 1..]],
        None => vec![data],
    };
    if let Ok(image) = Image::from_layers(&blobs, &options) {
        for view in image.resolvers(chainproof_source::image::Scope::AllLayers) {
            for f in view.files() {
                let _ = view.read(&f.path);
                let _ = view.read_prefix(&f.path, 4);
                let _ = view.layer_of(&f.path);
            }
        }
        let fs = image.squashed();
        let _ = fs.read("etc/os-release");
    }
});
