//! Haskell: `cabal.project.freeze` and `stack.yaml.lock` → Hackage packages.
//!
//! Both formats pin versions but record no dependency graph and no root, so these
//! catalogers list packages only. Package URLs use the purl spec's `hackage` type:
//! `pkg:hackage/<name>@<version>`.

pub mod cabal;
pub mod stack;

pub use cabal::{CabalFreezeCataloger, parse_cabal_freeze};
pub use stack::{StackLockCataloger, parse_stack_lock};

use crate::CatalogError;

/// A YAML syntax or type error, with its line and column.
pub(crate) fn yaml_error(path: &str, err: &yaml_serde::Error) -> CatalogError {
    let mut e = CatalogError::new(path, err.to_string());
    if let Some(loc) = err.location() {
        e = e
            .at_line(u32::try_from(loc.line()).unwrap_or(u32::MAX))
            .at_column(u32::try_from(loc.column()).unwrap_or(u32::MAX));
        if let Some(i) = e.message.rfind(" at line ") {
            e.message.truncate(i);
        }
    }
    e
}
