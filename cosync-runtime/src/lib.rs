//! The runtime half of [`cosync`](https://docs.rs/cosync): CoSync Auth keys, app tokens, RS256
//! verification and the [`Config`] that `cosync_constants!()` generates.
//!
//! Apps normally use these types through the `cosync` facade crate and never depend on this
//! crate directly.
//!
//! # Features
//! - `verify`: RS256 signature verification in pure Rust ([`PublicKey::verify_rs256`],
//!   [`AppToken::verify`]). The compile-time checker enables it.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod address;
mod config;
mod der;
mod key;
mod pem;
pub mod token;
#[cfg(feature = "verify")]
mod verify;

pub use address::{AddressError, RestAddress, SANDBOX};
pub use config::{Config, RealmAppIdError, check_realm_app_id};
pub use key::{
    Fingerprint, KeyError, KeyFormat, MAX_BITS, MIN_BITS, PublicKey, contains_private_key_marker,
};
pub use token::{AppToken, TokenError, TokenKind};
#[cfg(feature = "verify")]
pub use verify::{SignatureError, VerifyError};
