//! `chainproof sbom` on a container image: open it (streamed, digests checked), catalog the
//! squashed filesystem or every layer, tag each location with its layer, describe the image
//! on the SBOM's root component.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use chainproof_catalog::golang::buildinfo::has_binary_magic;
use chainproof_catalog::{CatalogOptions, Cataloger, registry};
use chainproof_core::{ImageInfo, ImageLayer, Inventory, SourceInfo};
use chainproof_purl::Purl;
use chainproof_source::FileResolver;
use chainproof_source::image::{
    FileInfo, ImageMetadata, ImageOptions, ImageResolver, ImageTarget, KeepFn, Platform,
};
use chainproof_source::registry::{PullOptions, Reference, RegistryOptions, pull};

use super::SbomDecoder;
use crate::cli::InventoryArgs;
use crate::printer::{Printer, progress};

/// Catalogers that claim any extension-less file and then look for an executable's magic
/// number: their files are kept only when the first bytes are ELF / PE / Mach-O.
const MAGIC_CATALOGERS: &[&str] = &["go-binary", "rust-cargo-auditable"];

/// Files catalogers read beside the file they claim (a lockfile's manifest, a dist-info's
/// siblings) or to learn the distribution: kept when small even if no cataloger claims them.
const COMPANIONS: &[&str] = &[
    "package.json",
    "go.mod",
    "go.sum",
    "Gemfile",
    "gems.rb",
    "pyproject.toml",
    "setup.cfg",
    "composer.json",
    "pom.xml",
    "Podfile",
    "Package.swift",
    "pubspec.yaml",
    "mix.exs",
    "rebar.config",
    "Project.toml",
    "Cargo.toml",
    "conanfile.txt",
    "vcpkg.json",
    "pnpm-workspace.yaml",
    "Directory.Packages.props",
    "Directory.Build.props",
];
/// Distribution identification files (OS detection reads them whatever claims them).
const OS_FILES: &[&str] = &[
    "etc/os-release",
    "usr/lib/os-release",
    "etc/alpine-release",
    "etc/debian_version",
    "etc/redhat-release",
    "etc/system-release",
    "etc/centos-release",
    "etc/lsb-release",
    "etc/apk/repositories",
];
/// Largest companion file kept.
const MAX_COMPANION_SIZE: u64 = 1 << 20;
/// Largest OS database companion kept (dpkg `.list`, copyright files).
const MAX_DB_COMPANION_SIZE: u64 = 8 << 20;

/// Warnings shown one by one; the rest are counted.
const MAX_WARNINGS_SHOWN: usize = 20;

/// The image a target names: `docker-archive:` / `oci-archive:` / `oci-dir:` prefixes, or a
/// path to an image tarball or layout directory.
pub(super) fn target(target: &Path) -> Option<ImageTarget> {
    if let Some(t) = target.to_str().and_then(ImageTarget::parse) {
        return Some(t);
    }
    if target.exists() {
        ImageTarget::detect(target)
    } else {
        None
    }
}

/// The registry reference a target names: `registry:REF`, or a string that is not an
/// existing path and carries a tag or digest (`alpine:3.20`, `ghcr.io/x/y@sha256:…`).
pub(super) fn registry_reference(target: &Path) -> anyhow::Result<Option<Reference>> {
    let Some(text) = target.to_str() else {
        return Ok(None);
    };
    if let Some(rest) = text.strip_prefix("registry:") {
        return Reference::parse(rest)
            .map(Some)
            .with_context(|| format!("`{text}` is not an image reference"));
    }
    if target.exists()
        || ImageTarget::parse(text).is_some()
        || !(text.contains(':') || text.contains('@'))
    {
        return Ok(None);
    }
    Ok(Reference::parse(text).ok())
}

/// Pulls `reference` into a temporary OCI layout (every blob verified) and inventories it.
pub(super) fn inventory_from_registry(
    reference: &Reference,
    args: &InventoryArgs,
    catalogers: &[Box<dyn Cataloger>],
    printer: &Printer,
) -> anyhow::Result<Inventory> {
    let platform = match &args.platform {
        Some(p) => Some(
            p.parse::<Platform>()
                .with_context(|| format!("--platform `{p}`: expected os/arch[/variant]"))?,
        ),
        None => None,
    };
    let options = PullOptions {
        platform,
        registry: RegistryOptions {
            insecure: args.insecure_registry,
            ..RegistryOptions::default()
        },
        output_dir: None,
        limits: args.image_limits.pull_limits(),
    };
    printer.info(&format!("pulling {reference}"));
    let pulled = pull(reference, &options).with_context(|| format!("pulling {reference}"))?;
    let layout = ImageTarget::OciDir(pulled.layout_dir().to_path_buf());
    let name = pulled
        .repo_tags
        .first()
        .cloned()
        .unwrap_or_else(|| reference.to_string());
    inventory(&layout, Some(&name), args, catalogers, printer)
}

/// Which files' content the catalogers will need: every file some cataloger claims by
/// name (executables only when they start with a binary magic number), and small
/// [companion](COMPANIONS) and [OS identification](OS_FILES) files.
pub fn keep_predicate(catalogers: Vec<Box<dyn Cataloger>>) -> Arc<KeepFn> {
    Arc::new(move |f: &FileInfo<'_>| {
        is_companion(f.path, f.size)
            || catalogers.iter().any(|c| {
                c.matches(f.path)
                    && (!MAGIC_CATALOGERS.contains(&c.name()) || has_binary_magic(f.head))
            })
    })
}

fn is_companion(path: &str, size: u64) -> bool {
    if size <= MAX_DB_COMPANION_SIZE && chainproof_catalog::os::is_database_companion(path) {
        return true;
    }
    if size > MAX_COMPANION_SIZE {
        return false;
    }
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    OS_FILES.contains(&path)
        || COMPANIONS.contains(&name)
        || name.ends_with(".gemspec")
        || name.ends_with("proj")
        || dir.ends_with(".dist-info")
        || dir.ends_with(".egg-info")
}

/// Inventories an image. `reference` (e.g. `ghcr.io/x/y:1.0`, for an image pulled from a
/// registry into a temporary OCI layout) replaces the names the storage gives the image.
pub(crate) fn inventory(
    target: &ImageTarget,
    reference: Option<&str>,
    args: &InventoryArgs,
    catalogers: &[Box<dyn Cataloger>],
    printer: &Printer,
) -> anyhow::Result<Inventory> {
    let platform = match &args.platform {
        Some(p) => Some(
            Platform::parse(p)
                .with_context(|| format!("--platform `{p}`: expected os/arch[/variant]"))?,
        ),
        None => None,
    };
    if !args.exclude.is_empty() || args.follow_symlinks {
        printer.warn("--exclude and --follow-symlinks do not apply to images; ignored");
    }
    let started = std::time::Instant::now();
    let keep = keep_predicate(registry::select_with(
        &args.catalogers,
        Some(Arc::new(SbomDecoder)),
    ));
    let options = ImageOptions {
        platform,
        keep: Some(keep),
        limits: args.image_limits.image_limits(),
    };
    let image = target.open(&options).with_context(|| {
        format!(
            "reading image {}:{}",
            target.scheme(),
            target.path().display()
        )
    })?;
    let warnings = image.warnings();
    if !warnings.is_empty() {
        printer.warn(&format!(
            "{} file(s) of the image could not be fully read; packages in them may be missing:",
            warnings.len()
        ));
        for w in warnings.iter().take(MAX_WARNINGS_SHOWN) {
            printer.warn(&format!("  {w}"));
        }
        if warnings.len() > MAX_WARNINGS_SHOWN {
            printer.warn(&format!(
                "  ... and {} more",
                warnings.len() - MAX_WARNINGS_SHOWN
            ));
        }
    }
    let catalog_options = CatalogOptions {
        progress: printer
            .wants_progress()
            .then_some(progress as fn(usize, usize)),
        ignore_file_names: false,
    };
    let mut inventory = Inventory::default();
    let mut files = 0;
    for view in image.resolvers(args.scope) {
        let mut inv = chainproof_catalog::catalog(&view, catalogers, &catalog_options);
        tag_layers(&mut inv, &view);
        files += view.files().len();
        inventory.merge(inv);
    }
    if args.scope == chainproof_source::image::Scope::AllLayers {
        // Each layer was cataloged alone: link language packages to the OS packages of
        // the final image that own their files, whichever layer wrote the database.
        let owned = chainproof_catalog::os::OwnedFiles::collect(&image.squashed());
        chainproof_catalog::link_os_owned(&mut inventory, &owned);
    }
    let mut metadata = image.metadata().clone();
    if let Some(r) = reference {
        metadata.repo_tags = vec![r.to_string()];
        metadata.location = r.to_string();
    }
    inventory.source = source_info(&metadata);
    super::summarize(&inventory, files, started, printer);
    Ok(inventory)
}

/// Records on every location the layer that wrote the file.
pub fn tag_layers(inv: &mut Inventory, view: &ImageResolver) {
    let ids: Vec<_> = inv.packages().map(|(id, _)| id).collect();
    for id in ids {
        for l in &mut inv.package_mut(id).locations {
            if l.layer.is_none() {
                l.layer = view.layer_of(&l.path).map(|layer| layer.diff_id.clone());
            }
        }
    }
}

/// The SBOM's description of the image.
pub fn source_info(m: &ImageMetadata) -> SourceInfo {
    let digest = m
        .manifest_digest
        .clone()
        .unwrap_or_else(|| m.config_digest.clone());
    let reference = m.repo_tags.first().map(|t| split_reference(t));
    let name = match &reference {
        Some((repo, _)) if !repo.is_empty() => repo.clone(),
        _ => Path::new(&m.location)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| m.location.clone()),
    };
    SourceInfo {
        kind: "image".into(),
        name,
        version: Some(digest.clone()),
        image: Some(ImageInfo {
            purl: purl(m, &digest, reference.as_ref()).map(|p| p.to_string()),
            manifest_digest: m.manifest_digest.clone(),
            config_digest: m.config_digest.clone(),
            media_type: m.media_type.clone(),
            repo_tags: m.repo_tags.clone(),
            os: m.os.clone(),
            architecture: m.architecture.clone(),
            variant: m.variant.clone(),
            layers: m
                .layers
                .iter()
                .map(|l| ImageLayer {
                    digest: l.digest.clone(),
                    diff_id: l.diff_id.clone(),
                    media_type: l.media_type.clone(),
                    size: l.size,
                })
                .collect(),
        }),
    }
}

/// `registry/repo:tag` → (`registry/repo`, `tag`); a bare `tag` (an OCI `ref.name`
/// annotation often is) gives an empty repository.
fn split_reference(r: &str) -> (String, Option<String>) {
    let r = r.split_once('@').map_or(r, |(name, _)| name);
    let slash = r.rfind('/').map_or(0, |i| i + 1);
    match r[slash..].rfind(':') {
        Some(i) => (
            r[..slash + i].to_string(),
            Some(r[slash + i + 1..].to_string()),
        ),
        None if !r.contains('/') => (String::new(), Some(r.to_string())),
        None => (r.to_string(), None),
    }
}

/// Docker Hub's implicit names: `alpine` → `docker.io/library/alpine`.
fn full_repository(repo: &str) -> String {
    let first = repo.split('/').next().unwrap_or_default();
    let has_registry =
        repo.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if has_registry {
        repo.to_string()
    } else if repo.contains('/') {
        format!("docker.io/{repo}")
    } else {
        format!("docker.io/library/{repo}")
    }
}

/// `pkg:oci/NAME@sha256:…?arch=…&repository_url=…&tag=…` (the digest is the manifest's, or
/// the config's for a legacy `docker save` tarball that has no manifest digest).
fn purl(
    m: &ImageMetadata,
    digest: &str,
    reference: Option<&(String, Option<String>)>,
) -> Option<Purl> {
    let (repo, tag) = match reference {
        Some((repo, tag)) => (repo.as_str(), tag.as_deref()),
        None => ("", None),
    };
    let name = if repo.is_empty() {
        Path::new(&m.location)
            .file_stem()?
            .to_string_lossy()
            .into_owned()
    } else {
        repo.rsplit('/').next().unwrap_or(repo).to_string()
    };
    let mut p = Purl::new("oci", &name.to_ascii_lowercase())
        .ok()?
        .with_version(digest);
    if let Some(a) = &m.architecture {
        p = p.with_qualifier("arch", a).ok()?;
    }
    if !repo.is_empty() {
        p = p
            .with_qualifier("repository_url", &full_repository(repo))
            .ok()?;
    }
    if let Some(t) = tag {
        p = p.with_qualifier("tag", t).ok()?;
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companions() {
        assert!(is_companion("etc/os-release", 300));
        assert!(is_companion("srv/app/package.json", 300));
        assert!(is_companion(
            "usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD",
            900
        ));
        assert!(!is_companion("srv/app/package.json", 2 << 20));
        assert!(!is_companion("usr/bin/python3", 300));
        let keep = keep_predicate(registry::all());
        let info = |path, head| FileInfo {
            path,
            size: 100,
            head,
        };
        assert!(keep(&info("srv/Cargo.lock", b"# This")));
        assert!(keep(&info("usr/local/bin/app", b"\x7fELF")));
        assert!(!keep(&info("usr/local/bin/script", b"#!/bin")));
        assert!(!keep(&info("usr/share/doc/readme.txt", b"hello")));
    }

    #[test]
    fn references() {
        assert_eq!(
            split_reference("alpine:3.10"),
            ("alpine".into(), Some("3.10".into()))
        );
        assert_eq!(
            split_reference("localhost:5000/a/b:1"),
            ("localhost:5000/a/b".into(), Some("1".into()))
        );
        assert_eq!(split_reference("1.0"), (String::new(), Some("1.0".into())));
        assert_eq!(split_reference("ghcr.io/x/y"), ("ghcr.io/x/y".into(), None));
        assert_eq!(full_repository("alpine"), "docker.io/library/alpine");
        assert_eq!(full_repository("user/app"), "docker.io/user/app");
        assert_eq!(full_repository("ghcr.io/x/y"), "ghcr.io/x/y");
        assert_eq!(full_repository("localhost:5000/y"), "localhost:5000/y");
    }

    #[test]
    fn oci_purl() {
        let m = ImageMetadata {
            location: "/tmp/alpine.tar".into(),
            architecture: Some("amd64".into()),
            repo_tags: vec!["alpine:3.10".into()],
            config_digest:
                "sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e".into(),
            ..ImageMetadata::default()
        };
        let s = source_info(&m);
        assert_eq!(s.name, "alpine");
        assert_eq!(
            s.image.and_then(|i| i.purl).as_deref(),
            Some(
                "pkg:oci/alpine@sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e?arch=amd64&repository_url=docker.io%2Flibrary%2Falpine&tag=3.10"
            )
        );
    }
}
