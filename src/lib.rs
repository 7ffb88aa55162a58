//! Compile-time verified [CoSync Auth](https://cosync.net) configuration for Rust apps.
//!
//! Keep the App Token and the Realm Public Key from the CoSync Portal in a `cosync.toml` beside
//! your `Cargo.toml`:
//!
//! ```toml
//! app_token    = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6…"
//! public_key   = "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0K…"   # PEM or the raw form
//! realm_app_id = "myapp-abcde"                              # optional
//! ```
//!
//! and generate checked constants with [`cosync_constants!`]:
//!
//! ```ignore
//! cosync::cosync_constants!();
//!
//! fn main() {
//!     println!("app {} at {}", APP_ID, COSYNC_REST_ADDRESS);
//! }
//! ```
//!
//! At compile time the app token's RS256 signature is verified with the signing key of its
//! server, and its claims, the keys and the address are checked. A bad or tampered token is a
//! compile error that says what is wrong and how to fix it. The README lists every key of
//! `cosync.toml` and every check.
//!
//! Build scripts can generate the same items with `cosync_build::generate()`.
#![deny(missing_docs)]

pub use cosync_runtime::token;
#[cfg(feature = "client")]
pub use cosync_runtime::{
    AccountProof, ApiErrorCode, Application, Client, ClientBuilder, DEFAULT_BACKOFF,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_TIMEOUT, Error, GoogleTwoFactor,
    LoginChallenge, LoginOutcome, MetadataField, ResponseBody, Secret, Session, SignedIn,
    SignupCompletion, SignupFlow, SignupOptions, SignupOutcome, SocialProvider, TwoFactorMode,
    User,
};
pub use cosync_runtime::{
    AddressError, AppToken, Config, Fingerprint, KeyError, KeyFormat, PublicKey, RealmAppIdError,
    RestAddress, TokenError, TokenKind, check_realm_app_id,
};
#[cfg(feature = "jwt")]
pub use cosync_runtime::{DEFAULT_LEEWAY_SECS, JwtError, UserClaims, UserJwtVerifier};

/// Defines the generated `fn client()` when the `client` feature is on, and nothing otherwise:
/// the generator cannot see this crate's features, so it asks this macro.
#[doc(hidden)]
#[cfg(feature = "client")]
#[macro_export]
macro_rules! __define_client {
    ($config:path) => {
        /// A CoSync REST client configured from `CONFIG`. Every call returns a clone of one
        /// client built on first use, so all share its connections: one pool per tokio runtime
        /// the client is used on, dropped when that runtime shuts down. It can be called from
        /// any runtime, e.g. from every `#[tokio::test]` (see `Client`, "Runtimes").
        pub fn client() -> $crate::Client {
            static CLIENT: ::std::sync::OnceLock<$crate::Client> = ::std::sync::OnceLock::new();
            CLIENT
                .get_or_init(|| $crate::Client::new(::core::clone::Clone::clone(&$config)))
                .clone()
        }
    };
}

#[doc(hidden)]
#[cfg(not(feature = "client"))]
#[macro_export]
macro_rules! __define_client {
    ($config:path) => {};
}

/// Reads `cosync.toml`, verifies it, and expands to typed constants.
///
/// ```ignore
/// cosync::cosync_constants!();                       // ./cosync.toml next to Cargo.toml
/// cosync::cosync_constants!("config/cosync.toml");   // relative to CARGO_MANIFEST_DIR
/// ```
///
/// It expands, where it is invoked, to:
///
/// | item | type | meaning |
/// |---|---|---|
/// | `APP_TOKEN` | `&'static str` | the verified app token, trimmed |
/// | `APP_ID` | `&'static str` | the token's `appId` claim |
/// | `APP_TOKEN_ISSUED_AT` | `u64` | the token's `iat` claim |
/// | `COSYNC_REST_ADDRESS` | `&'static str` | REST base URL, no trailing `/` |
/// | `REALM_APP_ID` | `Option<&'static str>` | as configured |
/// | `PUBLIC_KEY_PEM` | `&'static str` | the Realm public key as SPKI PEM |
/// | `RAW_PUBLIC_KEY` | `&'static str` | the Portal's raw form of the key |
/// | `PUBLIC_KEY` | [`PublicKey`] | the key, decoded at compile time |
/// | `CONFIG` | [`Config`] | all of the above in one value (a `static`) |
/// | `fn client()` | `-> Client` | a REST client configured from `CONFIG` (feature `client`) |
///
/// Cargo rebuilds the crate when `cosync.toml`, a file it names, or an environment variable it
/// reads changes, and not otherwise. `COSYNC_PROFILE` selects a `[profile.NAME]`;
/// `SOURCE_DATE_EPOCH` pins the build time used for `exp`/`nbf` checks; `COSYNC_CONFIG_DIR`, when
/// set, replaces `CARGO_MANIFEST_DIR` as the directory the path is relative to.
#[cfg(feature = "macros")]
pub use cosync_macros::cosync_constants;
