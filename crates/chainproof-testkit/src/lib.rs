//! Test scaffolding shared by the chainproof crates' tests. Dev-only (`publish = false`):
//! no library crate depends on it outside `[dev-dependencies]`.
//!
//! * [`corpus`]: the shared corpus at `../shared/corpus` relative to the workspace root
//!   (`CHAINPROOF_CORPUS` overrides), with the loud `SKIPPED:` message when it is absent.
//! * [`fixture`]: files under a crate's `tests/fixtures/` ([`fixtures!`] names the calling
//!   crate's directory), loaded into a [`chainproof_source::MemoryResolver`].
//! * [`catalog`]: running one cataloger on a resolver or on one file's bytes.
//! * [`inv`]: queries on an [`chainproof_core::Inventory`]: packages by purl or name, sets of
//!   `name@version` / purls, edges as pairs, roots.
//! * [`cli`]: the `chainproof` binary under `assert_cmd`, its output, temp dirs.
//!
//! Helpers panic with a message naming what was missing: they are for tests only.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![allow(clippy::unwrap_used)]

pub mod catalog;
pub mod cli;
pub mod corpus;
pub mod fixture;
pub mod inv;
