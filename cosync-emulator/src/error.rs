//! The library's error type.

use crate::keys::KeyError;
use crate::store::StoreError;
use crate::tokens::TokenError;

/// Everything that can go wrong starting or administering an emulator.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A key could not be read or made.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A token could not be signed.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The port could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A server key was given but the data directory already holds a different one (its app
    /// tokens would stop verifying).
    #[error(
        "the data directory already has a different server key; use another directory or omit the key"
    )]
    ServerKeyMismatch,
    /// A social-provider key was given but the data directory already holds a different one.
    #[error("the data directory already has a different social-provider key")]
    SocialKeyMismatch,
    /// An app id that is not 32 lowercase hex characters.
    #[error("`{0}` is not an app id (32 lowercase hex characters)")]
    InvalidAppId(String),
    /// The app id is taken.
    #[error("an app with id {0} already exists")]
    AppExists(String),
    /// No app has this id.
    #[error("no app with id {0}")]
    NoSuchApp(String),
    /// Settings that break an invariant.
    #[error("invalid app settings: {0}")]
    InvalidSettings(String),
    /// No user has this handle.
    #[error("no user {handle} in app {app_id}")]
    NoSuchUser {
        /// App id.
        app_id: String,
        /// Handle.
        handle: String,
    },
    /// A background task failed.
    #[error("internal error: {0}")]
    Internal(String),
}
