//! Placeholder: replaced by the real cataloger.
use chainproof_core::Inventory;
use chainproof_source::FileResolver;

use crate::{CatalogError, Cataloger};

pub struct PackageLockCataloger;

impl Cataloger for PackageLockCataloger {
    fn name(&self) -> &'static str {
        "npm-placeholder"
    }
    fn matches(&self, _path: &str) -> bool {
        false
    }
    fn catalog(&self, _r: &dyn FileResolver, path: &str) -> Result<Inventory, CatalogError> {
        Err(CatalogError::new(path, "not implemented"))
    }
}
