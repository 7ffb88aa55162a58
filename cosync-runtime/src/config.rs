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
#[derive(Clone)]
pub struct Config {
    app_token: AppToken,
    rest_address: RestAddress,
    realm_app_id: Option<Cow<'static, str>>,
    public_key: PublicKey,
    #[cfg(feature = "jwt")]
    jwt_leeway_secs: u64,
    /// Built on first use, so the generated `static CONFIG` verifies without rebuilding it.
    #[cfg(feature = "jwt")]
    user_jwt_verifier: std::sync::OnceLock<crate::jwt::UserJwtVerifier>,
}

impl Config {
    fn parts(&self) -> (&AppToken, &RestAddress, Option<&str>, &PublicKey) {
        (
            &self.app_token,
            &self.rest_address,
            self.realm_app_id(),
            &self.public_key,
        )
    }
}

impl PartialEq for Config {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for Config {}

impl std::hash::Hash for Config {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("app_token", &self.app_token)
            .field("rest_address", &self.rest_address)
            .field("realm_app_id", &self.realm_app_id)
            .field("public_key", &self.public_key)
            .finish()
    }
}

impl Config {
    /// A configuration for the hosted sandbox (`https://sandbox.cosync.net`) without a Realm app id.
    pub fn new(app_token: AppToken, public_key: PublicKey) -> Self {
        Config {
            app_token,
            rest_address: RestAddress::SANDBOX,
            realm_app_id: None,
            public_key,
            #[cfg(feature = "jwt")]
            jwt_leeway_secs: crate::jwt::DEFAULT_LEEWAY_SECS,
            #[cfg(feature = "jwt")]
            user_jwt_verifier: std::sync::OnceLock::new(),
        }
    }

    /// Uses another CoSync REST address.
    pub fn with_rest_address(mut self, rest_address: RestAddress) -> Self {
        self.rest_address = rest_address;
        self
    }

    /// The clock leeway for user-JWT `exp`/`nbf` checks (default 60 s).
    #[cfg(feature = "jwt")]
    pub fn with_jwt_leeway(mut self, leeway: std::time::Duration) -> Self {
        self.jwt_leeway_secs = leeway.as_secs();
        self.user_jwt_verifier = std::sync::OnceLock::new();
        self
    }

    /// Verifies a user JWT (the `jwt` of a [`Session`](crate::Session)): RS256 with the Realm
    /// public key, `aud` equal to the Realm app id (or `"none"` when unset), `exp` and `nbf` with the
    /// leeway. Only RS256 is accepted.
    ///
    /// ```no_run
    /// # fn demo(config: &cosync_runtime::Config, jwt: &str) -> Result<(), cosync_runtime::JwtError> {
    /// let claims = config.verify_user_jwt(jwt)?;
    /// println!("signed in: {}", claims.sub);
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "jwt")]
    pub fn verify_user_jwt(&self, jwt: &str) -> Result<crate::UserClaims, crate::JwtError> {
        self.user_jwt_verifier().verify(jwt)
    }

    /// The verifier [`Config::verify_user_jwt`] uses, built once per `Config`.
    #[cfg(feature = "jwt")]
    pub fn user_jwt_verifier(&self) -> &crate::jwt::UserJwtVerifier {
        self.user_jwt_verifier
            .get_or_init(|| crate::jwt::UserJwtVerifier::new(self, self.jwt_leeway_secs))
    }

    /// Sets the MongoDB Realm / App Services app id (the expected `aud` of user JWTs).
    pub fn with_realm_app_id(mut self, id: impl Into<String>) -> Result<Self, RealmAppIdError> {
        let id = id.into();
        check_realm_app_id(&id)?;
        self.realm_app_id = Some(Cow::Owned(id));
        #[cfg(feature = "jwt")]
        {
            self.user_jwt_verifier = std::sync::OnceLock::new();
        }
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
            #[cfg(feature = "jwt")]
            jwt_leeway_secs: crate::jwt::DEFAULT_LEEWAY_SECS,
            #[cfg(feature = "jwt")]
            user_jwt_verifier: std::sync::OnceLock::new(),
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
