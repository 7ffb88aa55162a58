//! The runtime half of [`cosync`](https://docs.rs/cosync): CoSync Auth keys, app tokens, RS256
//! verification and the [`Config`] that `cosync_constants!()` generates.
//!
//! Apps normally use these types through the `cosync` facade crate and never depend on this
//! crate directly.
//!
//! # Features
//! - `client` (default): the async REST [`Client`] (reqwest with rustls, tokio) and `jwt`.
//! - `jwt`: [`Config::verify_user_jwt`] (jsonwebtoken with aws-lc-rs).
//! - `verify`: RS256 signature verification in pure Rust ([`PublicKey::verify_rs256`],
//!   [`AppToken::verify`]). The compile-time checker enables it.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod address;
#[cfg(feature = "client")]
mod client;
mod config;
mod der;
#[cfg(feature = "jwt")]
mod jwt;
mod key;
mod pem;
pub mod token;
#[cfg(feature = "verify")]
mod verify;

pub use address::{AddressError, RestAddress, SANDBOX};
#[cfg(feature = "client")]
pub use client::{
    AccountProof, ApiErrorCode, Application, Client, ClientBuilder, DEFAULT_BACKOFF,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_TIMEOUT, Error, GoogleTwoFactor,
    LoginChallenge, LoginOutcome, MetadataField, ResponseBody, Secret, Session, SignedIn,
    SignupCompletion, SignupFlow, SignupOptions, SignupOutcome, SocialProvider, TwoFactorMode,
    User,
};
pub use config::{Config, RealmAppIdError, check_realm_app_id};
#[cfg(feature = "jwt")]
pub use jwt::{DEFAULT_LEEWAY_SECS, JwtError, UserClaims, UserJwtVerifier};
pub use key::{
    Fingerprint, KeyError, KeyFormat, MAX_BITS, MIN_BITS, PublicKey, contains_private_key_marker,
    private_key_marker_at,
};
pub use token::{AppToken, TokenError, TokenKind};
#[cfg(feature = "verify")]
pub use verify::{SignatureError, VerifyError};
