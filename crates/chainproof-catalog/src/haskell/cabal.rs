//! `cabal.project.freeze` → the pinned Hackage packages.
//!
//! The `constraints:` field (continued on indented lines, items separated by commas) holds
//! items like `any.aeson ==2.1.2.1`, `any.base installed`, `setup.Cabal ==3.10.1.0` and
//! flag settings like `hashable -random-initial-seed +integer-gmp`. Each `==` pin is a
//! package `pkg:hackage/<name>@<version>`, located at its line; qualifiers `setup.` and
//! `<pkg>:setup.` / `<pkg>:exe.` (setup scripts and build tools) give [`Scope::Dev`].
//! `installed` pins (GHC's boot packages) have no version and carry
//! `chainproof:haskell:installed=true`. Flag items are recorded on the package they name
//! as `chainproof:haskell:flags`. Any other constraint (a range) is kept verbatim as
//! `chainproof:haskell:constraint`. Other fields (`index-state`, `active-repositories`)
//! name no packages; `index-state` is recorded on every package as
//! `chainproof:haskell:index-state`. An item without a package name is an error with the
//! line.

use std::collections::BTreeMap;

use chainproof_core::{Ecosystem, Inventory, Location, Package, Scope};
use chainproof_purl::Purl;
use chainproof_source::{FileResolver, file_name};

use crate::{CatalogError, Cataloger, CatalogerInfo};

pub const PROP_INSTALLED: &str = "chainproof:haskell:installed";
pub const PROP_FLAGS: &str = "chainproof:haskell:flags";
pub const PROP_CONSTRAINT: &str = "chainproof:haskell:constraint";
pub const PROP_INDEX_STATE: &str = "chainproof:haskell:index-state";

/// Reads `cabal.project.freeze` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct CabalFreezeCataloger;

static INFO: CatalogerInfo = CatalogerInfo {
    name: "cabal-freeze",
    ecosystem: "Hackage",
    files: "`cabal.project.freeze`",
    edges: false,
    licenses: false,
    scopes: true,
    hashes: false,
};

impl Cataloger for CabalFreezeCataloger {
    fn info(&self) -> &'static CatalogerInfo {
        &INFO
    }

    fn matches(&self, path: &str) -> bool {
        file_name(path) == "cabal.project.freeze"
    }

    fn catalog(&self, resolver: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        let text = resolver.read_to_string(path)?;
        parse_cabal_freeze(path, &text)
    }
}

/// Fields of the file: name → (line, value pieces with their lines).
fn fields(text: &str) -> Vec<(String, Vec<(u32, String)>)> {
    let mut out: Vec<(String, Vec<(u32, String)>)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let content = raw;
        if content.trim().is_empty() || content.trim_start().starts_with("--") {
            continue;
        }
        let indented = content.starts_with(char::is_whitespace);
        match (indented, content.split_once(':')) {
            (false, Some((name, value))) if !name.contains(char::is_whitespace) => {
                out.push((name.to_ascii_lowercase(), vec![(line, value.to_string())]));
            }
            _ => match out.last_mut() {
                Some((_, pieces)) => pieces.push((line, content.to_string())),
                None => out.push((String::new(), vec![(line, content.to_string())])),
            },
        }
    }
    out
}

#[derive(Default)]
struct Pin {
    line: u32,
    version: Option<String>,
    installed: bool,
    constraint: Option<String>,
    scope: Option<Scope>,
}

/// Parses the text of a `cabal.project.freeze`; `path` is used for locations and errors.
pub fn parse_cabal_freeze(path: &str, text: &str) -> Result<Inventory, CatalogError> {
    let fields = fields(text);
    if let Some((_, pieces)) = fields.iter().find(|(n, _)| n.is_empty()) {
        let line = pieces.first().map_or(1, |p| p.0);
        return Err(CatalogError::new(path, "text outside of a field").at_line(line));
    }
    let index_state = fields
        .iter()
        .find(|(n, _)| n == "index-state")
        .map(|(_, p)| {
            p.iter()
                .map(|(_, s)| s.trim())
                .collect::<Vec<_>>()
                .join(" ")
        });

    // (name, scope) → pin; flags by name.
    let mut pins: BTreeMap<(String, bool), Pin> = BTreeMap::new();
    let mut flags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (_, pieces) in fields.iter().filter(|(n, _)| n == "constraints") {
        for (line, piece) in pieces {
            for item in piece.split(',') {
                let item = item.trim();
                if item.is_empty() {
                    continue;
                }
                let (qname, rest) = item
                    .split_once(char::is_whitespace)
                    .map_or((item, ""), |(a, b)| (a, b.trim()));
                let (qualifier, name) = qname.rsplit_once('.').unwrap_or(("", qname));
                let valid = !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !name.starts_with('-');
                if !valid {
                    return Err(CatalogError::new(
                        path,
                        format!("constraint `{item}` names no package"),
                    )
                    .at_line(*line));
                }
                let dev = qualifier == "setup"
                    || qualifier.ends_with(":setup")
                    || qualifier.ends_with(":exe");
                if rest.starts_with(['+', '-']) {
                    flags
                        .entry(name.to_string())
                        .or_default()
                        .extend(rest.split_whitespace().map(str::to_string));
                    continue;
                }
                let pin = pins.entry((name.to_string(), dev)).or_insert_with(|| Pin {
                    line: *line,
                    ..Pin::default()
                });
                pin.scope = Some(if dev { Scope::Dev } else { Scope::Runtime });
                let compact: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
                if rest == "installed" {
                    pin.installed = true;
                } else if let Some(v) = compact
                    .strip_prefix("==")
                    .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
                {
                    pin.version = Some(v.to_string());
                } else if !rest.is_empty() {
                    pin.constraint = Some(rest.to_string());
                }
            }
        }
    }

    let mut inv = Inventory::default();
    for ((name, _), pin) in pins {
        let mut purl = Purl::new("hackage", &name)
            .map_err(|e| CatalogError::new(path, format!("`{name}`: {e}")).at_line(pin.line))?;
        if let Some(v) = &pin.version {
            purl = purl.with_version(v);
        }
        let mut pkg = Package::new(Ecosystem::Hackage, name.as_str(), pin.version.as_deref())
            .with_purl(purl)
            .with_scope(pin.scope.unwrap_or_default())
            .with_location(Location::new(path).with_line(pin.line));
        if pin.installed {
            pkg = pkg.with_property(PROP_INSTALLED, "true");
        }
        if let Some(c) = pin.constraint {
            pkg = pkg.with_property(PROP_CONSTRAINT, c);
        }
        if let Some(f) = flags.get(&name) {
            pkg = pkg.with_property(PROP_FLAGS, f.join(" "));
        }
        if let Some(s) = &index_state {
            pkg = pkg.with_property(PROP_INDEX_STATE, s.as_str());
        }
        inv.add_package(pkg);
    }
    Ok(inv)
}
