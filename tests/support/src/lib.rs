//! TEST-ONLY helpers for the cosync workspace. Never published, never a dependency of a shipped
//! crate.
//!
//! - [`keys`]: the fixture keys of `tests/fixtures/keys` (all public, private halves included on
//!   purpose);
//! - [`mint`]: signs fixture tokens (RS256, RS512, HS256) with those keys;
//! - [`fixtures`]: the fixture `cosync.toml` files and trybuild cases, generated from one table;
//! - [`snapshot`]: compare-or-bless for committed expected outputs;
//! - [`totp`]: RFC 6238 codes, independent of the emulator's.
#![deny(missing_docs)]

pub mod fixtures;
pub mod keys;
pub mod mint;
pub mod snapshot;
pub mod totp;

/// The workspace root (where the top-level `Cargo.toml` is).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root exists")
}
