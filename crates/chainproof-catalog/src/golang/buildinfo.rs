//! Go binaries (ELF, Mach-O, PE) → the modules they were built from, decoded like Go's
//! `debug/buildinfo` (what `go version -m` prints). The binary is only read, never run.
//!
//! * **Which files**: [`is_binary_candidate`] — a cheap rule on the path alone: a file name
//!   ending in `.exe`, or with no extension (no `.` after the first character), outside
//!   `.git/`. `catalog` then checks the magic bytes (`\x7fELF`, `MZ`, Mach-O `FEEDFACE`/
//!   `FEEDFACF` in either byte order, universal `CAFEBABE`); an empty file, a non-binary, or a binary
//!   without Go build information is an empty inventory, not an error.
//! * **Finding the blob**: the `.go.buildinfo` (ELF) / `__go_buildinfo` (Mach-O) section,
//!   else the first writable data segment (ELF `PT_LOAD` with `W` and not `X`; Mach-O
//!   segment with `rw-` protections; PE first initialised read-write data section); its
//!   first 64 KiB are searched for the 16-byte aligned magic `\xff Go buildinf:`.
//!   Header: pointer size (byte 14) and flags (byte 15: bit 0 big-endian, bit 1 inline
//!   strings). Go 1.18+ (bit 1 set): the Go version and module information follow the
//!   32-byte header as uvarint-length-prefixed strings. Older: two pointers to Go string
//!   headers (`data pointer, length`), read by mapping virtual addresses to file bytes
//!   through the segments. Strings are bounded ([`MAX_STRING`]).
//! * **Module information** (between 16-byte sentinels; see `modinfo`): the main module
//!   is a [`PackageKind::Project`] root, purl `pkg:golang/<path>`, with no version when
//!   it is `(devel)` (kept as `chainproof:go:module-version`). Each `dep` is a package with
//!   its `h1:` sum as `chainproof:go:h1`; a replaced dep is recorded as in go.mod (module
//!   replacement → the new module; directory replacement → old path, no version, `source`
//!   = directory; both with `chainproof:go:replaces`). `pkg:golang/stdlib@<version>` from
//!   the toolchain (`go1.22.1` → `1.22.1`; `devel ...` toolchains give no version).
//!   Edges: root → stdlib and every dep (the binary lists them flat).
//! * **Build settings**: on the root, `chainproof:go:toolchain` (e.g. `go1.19.8`),
//!   `chainproof:go:path` (main package path) and one `chainproof:go:build:<key>` per
//!   `build` line (`-compiler`, `-ldflags`, `CGO_ENABLED`, `GOOS`, `GOARCH`,
//!   `vcs.revision`...). Note that Go omits `-ldflags` from binaries built with `-trimpath`.
//! * A Go binary without module information (GOPATH mode) yields the stdlib package only.

use chainproof_core::{Ecosystem, Inventory, Location, Package, PackageKind};
use chainproof_source::{FileResolver, file_name};
use object::{Object, ObjectSection, ObjectSegment, SectionFlags, SegmentFlags};

use super::modinfo::{self, GoModule};
use super::{PROP_H1, PROP_REPLACES, PROP_TOOLCHAIN, golang_purl};
use crate::{CatalogError, Cataloger, CatalogerInfo};

/// Main module version as the binary records it (usually `(devel)`).
pub const PROP_MODULE_VERSION: &str = "chainproof:go:module-version";
/// Main package path (`path` line).
pub const PROP_PATH: &str = "chainproof:go:path";
/// Prefix of one property per `build` setting.
pub const PROP_BUILD_PREFIX: &str = "chainproof:go:build:";

/// Longest Go version or module-information string read from a binary.
pub const MAX_STRING: u64 = 16 * 1024 * 1024;
const MAGIC: &[u8; 14] = b"\xff Go buildinf:";
const SCAN: u64 = 64 * 1024;

/// Reads the build information of Go binaries.
#[derive(Debug, Clone, Copy, Default)]
pub struct GoBinaryCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "go-binary",
    ecosystem: "Go",
    files: "Go executables (ELF, Mach-O, PE; files named `*.exe` or without extension), \
            decoded like `go version -m`",
    edges: true,
    licenses: false,
    scopes: false,
    hashes: false,
};

/// The path rule the binary catalogers use: a name ending in `.exe` (any case), or a name
/// without extension, not under `.git/`.
pub fn is_binary_candidate(path: &str) -> bool {
    if path.starts_with(".git/") || path.contains("/.git/") {
        return false;
    }
    let name = file_name(path);
    if name.is_empty() {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".exe") || !name[1..].contains('.')
}

/// Whether the bytes start like an ELF, PE (`MZ`) or Mach-O file.
pub fn has_binary_magic(data: &[u8]) -> bool {
    data.starts_with(b"\x7fELF")
        || data.starts_with(b"MZ")
        || matches!(
            data.get(..4),
            Some(
                [0xfe, 0xed, 0xfa, 0xce | 0xcf]
                    | [0xce | 0xcf, 0xfa, 0xed, 0xfe]
                    | [0xca, 0xfe, 0xba, 0xbe | 0xbf]
            )
        )
}

impl Cataloger for GoBinaryCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        is_binary_candidate(path)
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        // Most extension-less files are not binaries: look at the magic number first.
        if !has_binary_magic(&resolver.read_prefix(path, 4)?) {
            return Ok(Inventory::default());
        }
        let data = resolver.read(path)?;
        parse_go_binary(path, &data)
    }
}

/// The two strings of the build-information blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBuildInfo {
    /// The toolchain, e.g. `go1.19.8`.
    pub go_version: String,
    /// The module information without its sentinels (empty when built without modules).
    pub modinfo: String,
}

/// Decodes the build information of a binary. `Ok(None)`: not a binary this reader knows,
/// or a binary without Go build information.
pub fn read_build_info(path: &str, data: &[u8]) -> Result<Option<RawBuildInfo>, CatalogError> {
    if !has_binary_magic(data) {
        return Ok(None);
    }
    if let Some(arches) = fat_arches(data) {
        // A universal Mach-O: the first architecture with build information (one level).
        for arch in arches {
            if !is_fat(arch)
                && let Some(raw) = read_build_info(path, arch)?
            {
                return Ok(Some(raw));
            }
        }
        return Ok(None);
    }
    let file = match object::File::parse(data) {
        Ok(f) => f,
        Err(e) => {
            // A file we cannot parse is someone else's business, unless it says it is Go.
            if contains(data, MAGIC) {
                return Err(CatalogError::new(
                    path,
                    format!("malformed binary with Go build information: {e}"),
                ));
            }
            return Ok(None);
        }
    };
    let map = Mapping::new(&file);
    let Some(start) = data_start(&file) else {
        return Ok(None);
    };
    let window = map.read(start, SCAN).unwrap_or_default();
    let Some(off) = find_aligned_magic(window) else {
        return Ok(None);
    };
    let blob_addr = start + off as u64;
    let header = &window[off..];
    let bad = |m: &str| CatalogError::new(path, format!("Go build information: {m}"));
    let ptr_size = header[14];
    let flags = header[15];
    let (go_version, modinfo) = if flags & 2 != 0 {
        // Go 1.18+: inline varint-prefixed strings after the 32-byte header.
        let blob = map
            .read(blob_addr, 32 + 2 * (10 + MAX_STRING))
            .ok_or_else(|| bad("blob not mapped"))?;
        let mut rest = blob.get(32..).ok_or_else(|| bad("truncated header"))?;
        let v = decode_string(&mut rest).ok_or_else(|| bad("truncated version string"))?;
        let m = decode_string(&mut rest).ok_or_else(|| bad("truncated module information"))?;
        (v, m)
    } else {
        if ptr_size != 4 && ptr_size != 8 {
            return Err(bad(&format!("unsupported pointer size {ptr_size}")));
        }
        let big = flags & 1 != 0;
        let ptr = |b: &[u8]| read_ptr(b, ptr_size, big);
        let v_addr = ptr(&header[16..]).ok_or_else(|| bad("truncated header"))?;
        let m_addr =
            ptr(&header[16 + ptr_size as usize..]).ok_or_else(|| bad("truncated header"))?;
        let v = map
            .go_string(v_addr, ptr_size, big)
            .ok_or_else(|| bad("version string not mapped"))?;
        let m = map.go_string(m_addr, ptr_size, big).unwrap_or_default();
        (v, m)
    };
    if go_version.is_empty() {
        return Ok(None);
    }
    let go_version = String::from_utf8(go_version).map_err(|_| bad("version is not UTF-8"))?;
    // Strip the sentinels (cmd/go/internal/modload.infoStart / infoEnd, not UTF-8), as Go
    // does; without them there is no module information.
    let n = modinfo.len();
    let modinfo = if n >= 33 && modinfo[n - 17] == b'\n' {
        String::from_utf8(modinfo[16..n - 16].to_vec())
            .map_err(|_| bad("module information is not UTF-8"))?
    } else {
        String::new()
    };
    Ok(Some(RawBuildInfo {
        go_version,
        modinfo,
    }))
}

/// Parses a Go binary into packages (see the module docs); non-Go files give an empty
/// inventory.
pub fn parse_go_binary(path: &str, data: &[u8]) -> Result<Inventory, CatalogError> {
    let mut inv = Inventory::default();
    let Some(raw) = read_build_info(path, data)? else {
        return Ok(inv);
    };
    let bi = modinfo::parse(&raw.modinfo).map_err(|e| {
        CatalogError::new(path, format!("Go module information: {}", e.message)).at_line(e.line)
    })?;
    let loc = || Location::new(path);
    let purl_err = |e: chainproof_purl::PurlError| {
        CatalogError::new(path, format!("invalid module path: {e}"))
    };

    let root = if bi.main.path.is_empty() {
        None
    } else {
        let version = Some(bi.main.version.as_str()).filter(|v| !v.is_empty() && *v != "(devel)");
        let mut p = Package::new(Ecosystem::Go, bi.main.path.as_str(), version)
            .with_kind(PackageKind::Project)
            .with_purl(golang_purl(&bi.main.path, version).map_err(purl_err)?)
            .with_location(loc())
            .with_property(PROP_TOOLCHAIN, raw.go_version.as_str());
        if !bi.main.version.is_empty() {
            p = p.with_property(PROP_MODULE_VERSION, bi.main.version.as_str());
        }
        if !bi.main.sum.is_empty() {
            p = p.with_property(PROP_H1, bi.main.sum.as_str());
        }
        if !bi.path.is_empty() {
            p = p.with_property(PROP_PATH, bi.path.as_str());
        }
        for (k, v) in &bi.settings {
            p = p.with_property(format!("{PROP_BUILD_PREFIX}{k}"), v.as_str());
        }
        let id = inv.add_package(p);
        inv.add_root(id);
        Some(id)
    };

    let first = raw.go_version.split_whitespace().next().unwrap_or("");
    let std_version = first.strip_prefix("go").filter(|v| !v.is_empty());
    let std = Package::new(Ecosystem::Go, "stdlib", std_version)
        .with_purl(golang_purl("stdlib", std_version).map_err(purl_err)?)
        .with_location(loc());
    let std = inv.add_package(std);
    if let Some(r) = root {
        inv.add_edge(r, std);
    }

    for dep in &bi.deps {
        let p = dep_package(dep).map_err(purl_err)?.with_location(loc());
        let id = inv.add_package(p);
        if let Some(r) = root {
            inv.add_edge(r, id);
        }
    }
    Ok(inv)
}

fn dep_package(dep: &GoModule) -> Result<Package, chainproof_purl::PurlError> {
    let version = Some(dep.version.as_str()).filter(|v| !v.is_empty());
    let Some(rep) = &dep.replace else {
        let mut p = Package::new(Ecosystem::Go, dep.path.as_str(), version)
            .with_purl(golang_purl(&dep.path, version)?);
        if !dep.sum.is_empty() {
            p = p.with_property(PROP_H1, dep.sum.as_str());
        }
        return Ok(p);
    };
    let original = format!("{}@{}", dep.path, dep.version);
    let directory = rep.version.is_empty() || rep.version == "(devel)";
    let mut p = if directory {
        Package::new(Ecosystem::Go, dep.path.as_str(), None)
            .with_purl(golang_purl(&dep.path, None)?)
            .with_source(rep.path.as_str())
    } else {
        Package::new(Ecosystem::Go, rep.path.as_str(), Some(&rep.version))
            .with_purl(golang_purl(&rep.path, Some(&rep.version))?)
    };
    if !rep.sum.is_empty() {
        p = p.with_property(PROP_H1, rep.sum.as_str());
    }
    Ok(p.with_property(PROP_REPLACES, original))
}

/// Virtual address → file bytes, through the file-backed part of each segment.
struct Mapping<'a> {
    segments: Vec<(u64, &'a [u8])>,
}

impl<'a> Mapping<'a> {
    fn new(file: &object::File<'a>) -> Self {
        let segments = file
            .segments()
            .filter_map(|s| Some((s.address(), s.data().ok()?)))
            .filter(|(_, d)| !d.is_empty())
            .collect();
        Mapping { segments }
    }

    /// Up to `max` bytes from `addr` (fewer at the end of the segment).
    fn read(&self, addr: u64, max: u64) -> Option<&'a [u8]> {
        self.segments.iter().find_map(|&(start, data)| {
            let off = addr.checked_sub(start)?;
            if off >= data.len() as u64 {
                return None;
            }
            let off = off as usize;
            let n = (data.len() - off).min(usize::try_from(max).unwrap_or(usize::MAX));
            Some(&data[off..off + n])
        })
    }

    /// The bytes of the Go string whose header (data pointer, length) is at `addr`.
    fn go_string(&self, addr: u64, ptr_size: u8, big: bool) -> Option<Vec<u8>> {
        let hdr = self.read(addr, 2 * u64::from(ptr_size))?;
        let data_addr = read_ptr(hdr, ptr_size, big)?;
        let len = read_ptr(hdr.get(ptr_size as usize..)?, ptr_size, big)?;
        if len > MAX_STRING {
            return None;
        }
        let bytes = self.read(data_addr, len)?;
        (bytes.len() as u64 == len).then(|| bytes.to_vec())
    }
}

fn is_fat(data: &[u8]) -> bool {
    matches!(data.get(..4), Some([0xca, 0xfe, 0xba, 0xbe | 0xbf]))
}

/// The slices of a universal (fat) Mach-O; `None` for anything else (a Java class file
/// shares the magic and fails to parse here).
fn fat_arches(data: &[u8]) -> Option<Vec<&[u8]>> {
    use object::read::macho::{FatArch, MachOFatFile32, MachOFatFile64};
    if !is_fat(data) {
        return None;
    }
    if let Ok(f) = MachOFatFile32::parse(data) {
        return Some(
            f.arches()
                .iter()
                .filter_map(|a| a.data(data).ok())
                .collect(),
        );
    }
    let f = MachOFatFile64::parse(data).ok()?;
    Some(
        f.arches()
            .iter()
            .filter_map(|a| a.data(data).ok())
            .collect(),
    )
}

/// Where Go's linker puts the blob (see the module docs).
fn data_start(file: &object::File<'_>) -> Option<u64> {
    for name in [".go.buildinfo", "__go_buildinfo"] {
        if let Some(s) = file.section_by_name(name) {
            return Some(s.address());
        }
    }
    match file.format() {
        object::BinaryFormat::Pe => {
            const INIT_RW: u32 = 0x40 | 0x4000_0000 | 0x8000_0000;
            const ALIGN_32: u32 = 0x60_0000;
            file.sections().find_map(|s| {
                let SectionFlags::Coff { characteristics } = s.flags() else {
                    return None;
                };
                (s.address() != 0 && s.size() != 0 && characteristics.0 & !ALIGN_32 == INIT_RW)
                    .then(|| s.address())
            })
        }
        _ => file.segments().find_map(|s| match s.flags() {
            SegmentFlags::Elf { p_flags, .. } => (p_flags.0 & 3 == 2).then(|| s.address()),
            SegmentFlags::MachO {
                maxprot, initprot, ..
            } => {
                let (_, filesize) = s.file_range();
                (s.address() != 0 && filesize != 0 && initprot.0 == 3 && maxprot.0 == 3)
                    .then(|| s.address())
            }
            _ => None,
        }),
    }
}

/// Offset of the first 16-byte aligned magic with a full 32-byte header after it.
fn find_aligned_magic(window: &[u8]) -> Option<usize> {
    let mut off = 0;
    while off + 32 <= window.len() {
        if window[off..].starts_with(MAGIC) {
            return Some(off);
        }
        off += 16;
    }
    None
}

fn contains(data: &[u8], needle: &[u8]) -> bool {
    data.windows(needle.len()).any(|w| w == needle)
}

fn read_ptr(b: &[u8], size: u8, big: bool) -> Option<u64> {
    match size {
        4 => {
            let a: [u8; 4] = b.get(..4)?.try_into().ok()?;
            Some(u64::from(if big {
                u32::from_be_bytes(a)
            } else {
                u32::from_le_bytes(a)
            }))
        }
        8 => {
            let a: [u8; 8] = b.get(..8)?.try_into().ok()?;
            Some(if big {
                u64::from_be_bytes(a)
            } else {
                u64::from_le_bytes(a)
            })
        }
        _ => None,
    }
}

/// A uvarint-length-prefixed string; advances `rest`.
fn decode_string(rest: &mut &[u8]) -> Option<Vec<u8>> {
    let mut len: u64 = 0;
    let mut shift = 0;
    let mut i = 0;
    loop {
        let b = *rest.get(i)?;
        i += 1;
        if shift >= 64 {
            return None;
        }
        len |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    if len > MAX_STRING {
        return None;
    }
    let end = i.checked_add(usize::try_from(len).ok()?)?;
    let s = rest.get(i..end)?.to_vec();
    *rest = &rest[end..];
    Some(s)
}
