//! Reading an image's documents, choosing the manifest, streaming the layers.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::container::Container;
use super::digest::Digest;
use super::layer::{Budget, LayerData, read_layer};
use super::oci::Platform;
use super::resolver::Shared;
use super::spec::{self, Config, Descriptor, DockerManifestEntry, Index, Manifest};
use super::tree::Tree;
use super::{Image, ImageError, ImageMetadata, ImageOptions, ImageTarget, LayerInfo};

/// A layer to read: where, and what it must hash to.
struct Planned {
    name: String,
    media_type: Option<String>,
    blob: Option<Digest>,
    size: Option<u64>,
    diff_id: Digest,
}

struct Plan {
    manifest_digest: Option<Digest>,
    media_type: Option<String>,
    config_digest: Digest,
    config: Config,
    repo_tags: Vec<String>,
    layers: Vec<Planned>,
}

pub(super) fn open(target: &ImageTarget, options: &ImageOptions) -> Result<Image, ImageError> {
    let limits = &options.limits;
    let (container, plan) = match target {
        ImageTarget::DockerArchive(p) => {
            let c = Container::open_tar(p, limits)?;
            let plan = plan_docker(&c, options)?;
            (c, plan)
        }
        ImageTarget::OciArchive(p) => {
            let c = Container::open_tar(p, limits)?;
            let plan = plan_oci(&c, options)?;
            (c, plan)
        }
        ImageTarget::OciDir(p) => {
            let c = Container::Dir(p.clone());
            let plan = plan_oci(&c, options)?;
            (c, plan)
        }
    };
    if plan.layers.len() > limits.max_layers {
        return Err(ImageError::limit(
            container.display(),
            "layers",
            limits.max_layers as u64,
        ));
    }
    // Read each distinct blob once.
    let mut names: Vec<String> = Vec::new();
    let mut slot = Vec::new();
    for l in &plan.layers {
        match names.iter().position(|n| n == &l.name) {
            Some(i) => slot.push(i),
            None => {
                slot.push(names.len());
                names.push(l.name.clone());
            }
        }
    }
    let mut data: BTreeMap<usize, LayerData> = BTreeMap::new();
    let mut budget = Budget::default();
    let keep = options.keep.as_deref();
    container.for_each_blob(&names, limits, &mut |i, reader| {
        let place = format!("{}: layer blob {}", container.display(), names[i]);
        let d = read_layer(reader, &place, limits, keep, &mut budget)?;
        // The first planned layer using this blob says what it must hash to.
        let planned = &plan.layers[slot
            .iter()
            .position(|&s| s == i)
            .expect("every name is used")];
        check(&place, planned.blob.as_ref(), &d.blob_digest)?;
        if let Some(size) = planned.size
            && size != d.blob_size
        {
            return Err(ImageError::format(
                &place,
                format!(
                    "size mismatch: the manifest says {size} bytes, the blob has {}",
                    d.blob_size
                ),
            ));
        }
        check(
            &format!("{place} (uncompressed, diff_id)"),
            Some(&planned.diff_id),
            &d.diff_id,
        )?;
        data.insert(i, d);
        Ok(())
    })?;
    let mut tree = Tree::default();
    let mut warnings = Vec::new();
    let mut layers = Vec::new();
    for (n, (planned, &s)) in plan.layers.iter().zip(&slot).enumerate() {
        let d = data.get(&s).ok_or_else(|| {
            ImageError::format(
                container.display(),
                format!("layer {} was not read", planned.name),
            )
        })?;
        warnings.extend(d.skipped.iter().map(|w| format!("layer {}: {w}", n + 1)));
        tree.apply(n as u32, d.entries.clone());
        layers.push(LayerInfo {
            digest: d.blob_digest.to_string(),
            diff_id: d.diff_id.to_string(),
            media_type: planned.media_type.clone(),
            size: d.blob_size,
            uncompressed_size: d.size,
        });
    }
    drop(data);
    warnings.append(&mut tree.warnings);
    let metadata = ImageMetadata {
        scheme: target.scheme().to_string(),
        location: target.path().display().to_string(),
        manifest_digest: plan.manifest_digest.map(|d| d.to_string()),
        config_digest: plan.config_digest.to_string(),
        media_type: plan.media_type,
        repo_tags: plan.repo_tags,
        os: plan.config.os,
        architecture: plan.config.architecture,
        variant: plan.config.variant,
        layers,
    };
    Ok(Image {
        shared: Arc::new(Shared {
            tree,
            metadata,
            limits: options.limits.clone(),
        }),
        warnings,
    })
}

/// An image made of raw layer blobs (compressed or not) without manifest or config: no
/// digest is checked. For fuzzing and for tests of the layer reader.
pub(super) fn from_layers(blobs: &[&[u8]], options: &ImageOptions) -> Result<Image, ImageError> {
    let limits = &options.limits;
    if blobs.len() > limits.max_layers {
        return Err(ImageError::limit(
            "<layers>",
            "layers",
            limits.max_layers as u64,
        ));
    }
    let mut budget = Budget::default();
    let mut tree = Tree::default();
    let mut warnings = Vec::new();
    let mut layers = Vec::new();
    for (n, blob) in blobs.iter().enumerate() {
        let place = format!("<layer {}>", n + 1);
        let d = read_layer(
            &mut &blob[..],
            &place,
            limits,
            options.keep.as_deref(),
            &mut budget,
        )?;
        warnings.extend(d.skipped.iter().map(|w| format!("layer {}: {w}", n + 1)));
        tree.apply(n as u32, d.entries);
        layers.push(LayerInfo {
            digest: d.blob_digest.to_string(),
            diff_id: d.diff_id.to_string(),
            media_type: None,
            size: d.blob_size,
            uncompressed_size: d.size,
        });
    }
    warnings.append(&mut tree.warnings);
    Ok(Image {
        shared: Arc::new(Shared {
            tree,
            metadata: ImageMetadata {
                scheme: "layers".into(),
                layers,
                ..ImageMetadata::default()
            },
            limits: limits.clone(),
        }),
        warnings,
    })
}

fn check(place: &str, expected: Option<&Digest>, actual: &Digest) -> Result<(), ImageError> {
    match expected {
        Some(e) if e != actual => Err(ImageError::Digest {
            place: place.to_string(),
            expected: e.to_string(),
            actual: actual.to_string(),
        }),
        _ => Ok(()),
    }
}

fn json<T: DeserializeOwned>(place: &str, bytes: &[u8]) -> Result<T, ImageError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ImageError::format(
            place,
            format!(
                "invalid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// `blobs/sha256/<hex>` → the digest it names.
fn digest_of_blob_path(name: &str) -> Option<Digest> {
    let hex = name.strip_prefix("blobs/sha256/")?;
    Digest::parse_sha256(&format!("sha256:{hex}"))
}

fn blob_path(place: &str, d: &str) -> Result<(Digest, String), ImageError> {
    let digest = Digest::parse_sha256(d).ok_or_else(|| {
        ImageError::format(place, format!("unsupported or malformed digest `{d}`"))
    })?;
    let path = format!("blobs/sha256/{}", digest.hex());
    Ok((digest, path))
}

/// Reads a blob named by a descriptor and checks its digest and size.
fn read_blob(
    c: &Container,
    desc: &Descriptor,
    what: &str,
    limit: u64,
) -> Result<(Digest, Vec<u8>), ImageError> {
    let place = format!("{}: {what} {}", c.display(), desc.digest);
    let (digest, path) = blob_path(&place, &desc.digest)?;
    let bytes = c.read_small(&path, limit)?;
    check(&place, Some(&digest), &Digest::sha256_of(&bytes))?;
    if let Some(size) = desc.size
        && size != bytes.len() as u64
    {
        return Err(ImageError::format(
            &place,
            format!(
                "size mismatch: the descriptor says {size} bytes, the blob has {}",
                bytes.len()
            ),
        ));
    }
    Ok((digest, bytes))
}

fn diff_ids(place: &str, config: &Config, layers: usize) -> Result<Vec<Digest>, ImageError> {
    let ids = config
        .rootfs
        .as_ref()
        .map(|r| r.diff_ids.as_slice())
        .unwrap_or_default();
    if ids.len() != layers {
        return Err(ImageError::format(
            place,
            format!(
                "the config lists {} diff_ids for {layers} layers",
                ids.len()
            ),
        ));
    }
    ids.iter()
        .map(|d| {
            Digest::parse_sha256(d)
                .ok_or_else(|| ImageError::format(place, format!("malformed diff_id `{d}`")))
        })
        .collect()
}

fn plan_docker(c: &Container, options: &ImageOptions) -> Result<Plan, ImageError> {
    let limits = &options.limits;
    let place = format!("{}: manifest.json", c.display());
    let entries: Vec<DockerManifestEntry> = json(
        &place,
        &c.read_small("manifest.json", limits.max_json_size)?,
    )?;
    let entry = entries
        .into_iter()
        .next()
        .ok_or_else(|| ImageError::format(&place, "lists no image"))?;
    let config_name = super::container::member_name(&entry.config);
    let config_place = format!("{}: config {config_name}", c.display());
    let config_bytes = c.read_small(&config_name, limits.max_json_size)?;
    let config_digest = Digest::sha256_of(&config_bytes);
    let named = digest_of_blob_path(&config_name).or_else(|| {
        config_name
            .strip_suffix(".json")
            .and_then(|h| Digest::parse_sha256(&format!("sha256:{h}")))
    });
    check(&config_place, named.as_ref(), &config_digest)?;
    let config: Config = json(&config_place, &config_bytes)?;
    let ids = diff_ids(&config_place, &config, entry.layers.len())?;
    let layers = entry
        .layers
        .iter()
        .zip(ids)
        .map(|(l, diff_id)| {
            let name = super::container::member_name(l);
            Planned {
                blob: digest_of_blob_path(&name),
                name,
                media_type: None,
                size: None,
                diff_id,
            }
        })
        .collect();
    // Docker 25+ writes an OCI layout next to manifest.json: its index names the manifest.
    let manifest_digest = if c.exists("index.json") {
        docker_manifest_digest(c, options, &config_digest)
    } else {
        None
    };
    Ok(Plan {
        manifest_digest,
        media_type: None,
        config_digest,
        config,
        repo_tags: entry.repo_tags.unwrap_or_default(),
        layers,
    })
}

fn docker_manifest_digest(
    c: &Container,
    options: &ImageOptions,
    config: &Digest,
) -> Option<Digest> {
    let limit = options.limits.max_json_size;
    let index: Index = serde_json::from_slice(&c.read_small("index.json", limit).ok()?).ok()?;
    index
        .manifests
        .iter()
        .filter(|d| !d.is_index())
        .find_map(|d| {
            let (digest, bytes) = read_blob(c, d, "manifest", limit).ok()?;
            let m: Manifest = serde_json::from_slice(&bytes).ok()?;
            (Digest::parse_sha256(&m.config.digest).as_ref() == Some(config)).then_some(digest)
        })
}

/// An image manifest found in the index, with the names the top-level entry gave it.
struct Candidate {
    desc: Descriptor,
    tags: Vec<String>,
}

fn plan_oci(c: &Container, options: &ImageOptions) -> Result<Plan, ImageError> {
    let limits = &options.limits;
    if !c.exists("oci-layout") {
        return Err(ImageError::format(
            c.display(),
            "not an OCI image layout (no `oci-layout` file)",
        ));
    }
    let place = format!("{}: index.json", c.display());
    let index: Index = json(&place, &c.read_small("index.json", limits.max_json_size)?)?;
    let mut candidates = Vec::new();
    for d in &index.manifests {
        let tags: Vec<String> = [spec::ANNOTATION_CONTAINERD_NAME, spec::ANNOTATION_REF_NAME]
            .iter()
            .filter_map(|k| d.annotations.get(*k).cloned())
            .take(1)
            .collect();
        collect(c, d, &tags, limits.max_json_size, 0, &mut candidates)?;
    }
    let chosen = choose(c, candidates, options)?;
    let (manifest_digest, bytes) = read_blob(c, &chosen.0.desc, "manifest", limits.max_json_size)?;
    let mplace = format!("{}: manifest {manifest_digest}", c.display());
    let manifest: Manifest = json(&mplace, &bytes)?;
    let (config_digest, config) = match chosen.1 {
        Some(x) => x,
        None => {
            let (d, b) = read_blob(c, &manifest.config, "config", limits.max_json_size)?;
            let cfg: Config = json(&format!("{}: config {d}", c.display()), &b)?;
            (d, cfg)
        }
    };
    let ids = diff_ids(
        &format!("{}: config {config_digest}", c.display()),
        &config,
        manifest.layers.len(),
    )?;
    let layers = manifest
        .layers
        .iter()
        .zip(ids)
        .map(|(l, diff_id)| {
            let (blob, name) = blob_path(&mplace, &l.digest)?;
            Ok(Planned {
                name,
                media_type: Some(l.media_type.clone()).filter(|m| !m.is_empty()),
                blob: Some(blob),
                size: l.size,
                diff_id,
            })
        })
        .collect::<Result<_, ImageError>>()?;
    Ok(Plan {
        manifest_digest: Some(manifest_digest),
        media_type: manifest
            .media_type
            .or(Some(chosen.0.desc.media_type))
            .filter(|m| !m.is_empty()),
        config_digest,
        config,
        repo_tags: chosen.0.tags,
        layers,
    })
}

/// Flattens nested indexes into their image manifests.
fn collect(
    c: &Container,
    d: &Descriptor,
    tags: &[String],
    limit: u64,
    depth: u32,
    out: &mut Vec<Candidate>,
) -> Result<(), ImageError> {
    if !d.is_index() {
        out.push(Candidate {
            desc: d.clone(),
            tags: tags.to_vec(),
        });
        return Ok(());
    }
    if depth >= 4 {
        return Err(ImageError::format(
            c.display(),
            "image indexes nested more than 4 deep",
        ));
    }
    let (digest, bytes) = read_blob(c, d, "index", limit)?;
    let nested: Index = json(&format!("{}: index {digest}", c.display()), &bytes)?;
    for n in &nested.manifests {
        collect(c, n, tags, limit, depth + 1, out)?;
    }
    Ok(())
}

type ConfigRead = Option<(Digest, Config)>;

/// Picks the manifest for the requested platform (the only one when none was requested,
/// else `linux/amd64`). Manifests without a platform in their descriptor are judged by
/// their config.
fn choose(
    c: &Container,
    candidates: Vec<Candidate>,
    options: &ImageOptions,
) -> Result<(Candidate, ConfigRead), ImageError> {
    let limit = options.limits.max_json_size;
    if candidates.len() == 1 && options.platform.is_none() {
        let only = candidates.into_iter().next().expect("one candidate");
        return Ok((only, None));
    }
    let wanted = options
        .platform
        .clone()
        .unwrap_or_else(Platform::linux_amd64);
    let mut available = Vec::new();
    for cand in candidates {
        let (os, arch, variant, cfg) = match &cand.desc.platform {
            Some(p) => (
                p.os.clone(),
                p.architecture.clone(),
                p.variant.clone(),
                None,
            ),
            None => {
                let (_, bytes) = read_blob(c, &cand.desc, "manifest", limit)?;
                let m: Manifest = json(
                    &format!("{}: manifest {}", c.display(), cand.desc.digest),
                    &bytes,
                )?;
                let (d, b) = read_blob(c, &m.config, "config", limit)?;
                let cfg: Config = json(&format!("{}: config {d}", c.display()), &b)?;
                (
                    cfg.os.clone().unwrap_or_default(),
                    cfg.architecture.clone().unwrap_or_default(),
                    cfg.variant.clone(),
                    Some((d, cfg)),
                )
            }
        };
        if wanted.accepts(&os, &arch, variant.as_deref()) {
            return Ok((cand, cfg));
        }
        available.push(match variant {
            Some(v) => format!("{os}/{arch}/{v}"),
            None => format!("{os}/{arch}"),
        });
    }
    Err(ImageError::Platform {
        place: c.display(),
        wanted: wanted.to_string(),
        available: if available.is_empty() {
            "none".into()
        } else {
            available.join(", ")
        },
    })
}
