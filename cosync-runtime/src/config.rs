//! Everything an app needs to talk to CoSync Auth, in one value.

use std::borrow::Cow;

use crate::{AppToken, PublicKey, RestAddress};

/// Why a Realm app id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RealmAppIdError {
    /// Nothing but whitespace.
    #[error("the Realm app id is empty (leave it out if the app does not use MongoDB Realm)")]
    Empty,
    /// Characters other than letters, digits, `-`, `_` and `.`.
    #[error("the Realm app id contains {found}; App Services app ids look like `myapp-abcde`")]
    InvalidCharacter {
        /// A description of the character.
        found: String,
    },
    /// Longer than 128 characters.
    #[error(
        "the Realm app id is {len} characters long; App Services app ids are short, like `myapp-abcde`"
    )]
    TooLong {
        /// The length found.
        len: usize,
    },
}

/// Checks a MongoDB Realm / App Services app id (the `aud` of user JWTs), e.g. `toto-bzvdn`.
pub fn check_realm_app_id(id: &str) -> Result<(), RealmAppIdError> {
    if id.trim().is_empty() {
        return Err(RealmAppIdError::Empty);
    }
    if id.len() > 128 {
        return Err(RealmAppIdError::TooLong { len: id.len() });
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        let found = if c.is_whitespace() {
            "whitespace".to_owned()
        } else {
            format!("`{}`", c.escape_default())
        };
        return Err(RealmAppIdError::InvalidCharacter { found });
    }
    Ok(())
}

/// The CoSync settings of an app: its app token, the REST address, the Realm app id and the
/// Realm public key.
///
/// `cosync_constants!()` generates a `CONFIG` constant of this type from a verified `cosync.toml`.
/// It can also be built at run time (for example against a local emulator):
///
/// ```
/// use cosync_runtime::{AppToken, Config, PublicKey, RestAddress};
///
/// # let token = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6IjFiZDg2ZDIxZjY5MTQxMjc5MWRhMzQ1OTRmMjI5NGYyIiwic2NvcGUiOiJhcHAiLCJpYXQiOjE2NzkwNzQxNjR9.AAAA";
/// # let pem = include_str!("../../tests/fixtures/keys/app.pub.pem");
/// let config = Config::new(AppToken::parse(token)?, PublicKey::parse(pem)?)
///     .with_rest_address(RestAddress::parse("http://127.0.0.1:8080")?)
///     .with_realm_app_id("toto-bzvdn")?;
/// assert_eq!(config.rest_address().as_str(), "http://127.0.0.1:8080");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Config {
    app_token: AppToken,
    rest_address: RestAddress,
    realm_app_id: Option<Cow<'static, str>>,
    public_key: PublicKey,
}

impl Config {
    /// A configuration for the hosted sandbox (`https://sandbox.cosync.net`) without a Realm app id.
    pub fn new(app_token: AppToken, public_key: PublicKey) -> Self {
        Config {
            app_token,
            rest_address: RestAddress::SANDBOX,
            realm_app_id: None,
            public_key,
        }
    }

    /// Uses another CoSync REST address.
    pub fn with_rest_address(mut self, rest_address: RestAddress) -> Self {
        self.rest_address = rest_address;
        self
    }

    /// Sets the MongoDB Realm / App Services app id (the expected `aud` of user JWTs).
    pub fn with_realm_app_id(mut self, id: impl Into<String>) -> Result<Self, RealmAppIdError> {
        let id = id.into();
        check_realm_app_id(&id)?;
        self.realm_app_id = Some(Cow::Owned(id));
        Ok(self)
    }

    #[doc(hidden)]
    /// Used by generated code for values checked at compile time.
    pub const fn __from_checked(
        app_token: AppToken,
        rest_address: RestAddress,
        realm_app_id: Option<&'static str>,
        public_key: PublicKey,
    ) -> Self {
        Config {
            app_token,
            rest_address,
            realm_app_id: match realm_app_id {
                Some(id) => Some(Cow::Borrowed(id)),
                None => None,
            },
            public_key,
        }
    }

    /// The app token.
    pub fn app_token(&self) -> &AppToken {
        &self.app_token
    }

    /// The app token's `appId`.
    pub fn app_id(&self) -> &str {
        self.app_token.app_id()
    }

    /// The CoSync REST base address.
    pub fn rest_address(&self) -> &RestAddress {
        &self.rest_address
    }

    /// The Realm app id, if configured.
    pub fn realm_app_id(&self) -> Option<&str> {
        self.realm_app_id.as_deref()
    }

    /// The audience user JWTs carry: the Realm app id, or `"none"` when the app has none.
    pub fn expected_audience(&self) -> &str {
        self.realm_app_id().unwrap_or("none")
    }

    /// The Realm public key, which verifies user JWTs.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realm_app_ids() {
        assert_eq!(check_realm_app_id("toto-bzvdn"), Ok(()));
        assert_eq!(check_realm_app_id("application-1-hoiez"), Ok(()));
        assert_eq!(check_realm_app_id(" "), Err(RealmAppIdError::Empty));
        assert_eq!(
            check_realm_app_id("toto bzvdn"),
            Err(RealmAppIdError::InvalidCharacter {
                found: "whitespace".into()
            })
        );
        assert_eq!(
            check_realm_app_id("toto/x"),
            Err(RealmAppIdError::InvalidCharacter {
                found: "`/`".into()
            })
        );
    }
}
