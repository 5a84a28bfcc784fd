//! Placeholder: replaced by the real catalogers.
use chainproof_core::Inventory;
use chainproof_source::FileResolver;

use crate::{CatalogError, Cataloger};

macro_rules! placeholder {
    ($ty:ident, $name:literal) => {
        pub struct $ty;
        impl Cataloger for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn matches(&self, _path: &str) -> bool {
                false
            }
            fn catalog(
                &self,
                _r: &dyn FileResolver,
                path: &str,
            ) -> Result<Inventory, CatalogError> {
                Err(CatalogError::new(path, "not implemented"))
            }
        }
    };
}
placeholder!(RequirementsCataloger, "python-requirements");
placeholder!(PoetryLockCataloger, "python-poetry-lock");
placeholder!(UvLockCataloger, "python-uv-lock");
