//! The checked configuration: plain values with the key and claims decoded.

use cosync_runtime::{AppToken, KeyFormat, PublicKey, RestAddress};

use crate::hosted::HostedServer;

/// The key that verified the app token.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Signer {
    /// The built-in key of a hosted server.
    Hosted(&'static HostedServer),
    /// The `app_token_key` of `cosync.toml`.
    Configured(PublicKey),
}

impl Signer {
    /// The public key itself.
    pub fn key(&self) -> PublicKey {
        match self {
            Signer::Hosted(server) => server.key(),
            Signer::Configured(key) => key.clone(),
        }
    }

    /// A short description, e.g. `sandbox.cosync.net's key (SHA-256 7fb17f06…)`.
    pub fn describe(&self) -> String {
        let key = self.key();
        match self {
            Signer::Hosted(server) => {
                format!(
                    "{}'s key (SHA-256 {})",
                    server.host,
                    key.fingerprint().short()
                )
            }
            Signer::Configured(_) => {
                format!("`app_token_key` (SHA-256 {})", key.fingerprint().short())
            }
        }
    }
}

/// A `cosync.toml` that passed every check.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) app_token: AppToken,
    pub(crate) rest_address: RestAddress,
    pub(crate) realm_app_id: Option<String>,
    pub(crate) public_key: PublicKey,
    pub(crate) public_key_format: KeyFormat,
    pub(crate) signer: Signer,
}

impl Model {
    /// The verified app token.
    pub fn app_token(&self) -> &AppToken {
        &self.app_token
    }

    /// The REST base address (the sandbox when not configured).
    pub fn rest_address(&self) -> &RestAddress {
        &self.rest_address
    }

    /// The Realm app id, if configured.
    pub fn realm_app_id(&self) -> Option<&str> {
        self.realm_app_id.as_deref()
    }

    /// The Realm public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// The form `public_key` was written in.
    pub fn public_key_format(&self) -> KeyFormat {
        self.public_key_format
    }

    /// The key that verified the app token.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }
}
