//! What the CoSync Auth API takes and returns, typed.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::token::DecodedToken;

/// A credential: usable, but never printed. `Debug` shows `<redacted>`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Secret(value)
    }

    /// The value itself, to hand to MongoDB Realm or to store securely.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A signed-in user: the user JWT for MongoDB Realm and the access token for CoSync calls.
///
/// Keep it in secure storage; `Debug` never shows the tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    pub(crate) jwt: Secret,
    pub(crate) access_token: Secret,
}

impl Session {
    /// Builds a session from stored tokens (e.g. restored from the keychain).
    pub fn from_tokens(jwt: impl Into<String>, access_token: impl Into<String>) -> Self {
        Session {
            jwt: Secret::new(jwt.into()),
            access_token: Secret::new(access_token.into()),
        }
    }

    /// The user JWT (`jwt`): give it to MongoDB Realm's custom-JWT provider
    /// (`Credentials.jwt`), or verify it with [`Config::verify_user_jwt`](crate::Config::verify_user_jwt).
    pub fn jwt(&self) -> &Secret {
        &self.jwt
    }

    /// The access token (`access-token`): authenticates this user's CoSync calls.
    pub fn access_token(&self) -> &Secret {
        &self.access_token
    }

    /// The user's handle, read (not verified) from the access token.
    pub fn handle(&self) -> Option<String> {
        DecodedToken::decode(self.access_token.expose())
            .ok()?
            .claims()
            .get("handle")?
            .as_str()
            .map(str::to_owned)
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("jwt", &self.jwt)
            .field("access_token", &self.access_token)
            .finish()
    }
}

/// A login that needs a second factor: send the code with
/// [`Client::login_complete`](super::Client::login_complete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginChallenge {
    pub(crate) login_token: Secret,
}

impl LoginChallenge {
    /// Rebuilds a challenge from a stored login token.
    pub fn from_login_token(login_token: impl Into<String>) -> Self {
        LoginChallenge {
            login_token: Secret::new(login_token.into()),
        }
    }

    /// The login token.
    pub fn login_token(&self) -> &Secret {
        &self.login_token
    }
}

/// What [`Client::login`](super::Client::login) returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Signed in.
    SignedIn(Session),
    /// Two-factor verification is on: a code was sent by SMS, or the user reads it from their
    /// authenticator app.
    TwoFactorRequired(LoginChallenge),
}

/// What [`Client::signup`](super::Client::signup) returns, for the app's sign-up flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignupOutcome {
    /// Flow `code`: a 6-digit code was e-mailed; finish with
    /// [`Client::complete_signup`](super::Client::complete_signup).
    CodeSent,
    /// Flow `link`: a confirmation link was e-mailed; the user finishes in the browser, then logs in.
    LinkSent,
    /// Flow `none`: the user exists and is signed in.
    SignedIn(Session),
}

/// What [`Client::complete_signup`](super::Client::complete_signup) returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignupCompletion {
    /// Flow `code`: the user is signed in.
    SignedIn(Session),
    /// Flow `link`: the account is verified; the user logs in next.
    Verified,
}

/// The app's sign-up flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SignupFlow {
    /// A code is e-mailed.
    Code,
    /// A link is e-mailed.
    Link,
    /// No verification.
    None,
    /// A value this version does not know.
    #[serde(other)]
    Unknown,
}

/// The app's two-factor mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum TwoFactorMode {
    /// Off.
    None,
    /// SMS codes.
    Phone,
    /// Google Authenticator (TOTP).
    Google,
    /// A value this version does not know.
    #[serde(other)]
    Unknown,
}

/// A social identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SocialProvider {
    /// Sign in with Apple (an Apple identity token).
    Apple,
    /// Google Sign-In (a Google ID token).
    Google,
}

impl SocialProvider {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SocialProvider::Apple => "apple",
            SocialProvider::Google => "google",
        }
    }
}

/// How to prove it is really the user deleting the account.
#[derive(Clone)]
pub enum AccountProof<'a> {
    /// The handle (or user name) and the clear password.
    Password {
        /// E-mail or user name.
        handle: &'a str,
        /// The clear password (sent as its MD5).
        password: &'a str,
    },
    /// An Apple or Google ID token, for social accounts.
    SocialToken(&'a str),
}

impl fmt::Debug for AccountProof<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountProof::Password { handle, .. } => f
                .debug_struct("Password")
                .field("handle", handle)
                .field("password", &"<redacted>")
                .finish(),
            AccountProof::SocialToken(_) => f.write_str("SocialToken(<redacted>)"),
        }
    }
}

/// Optional sign-up and registration data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignupOptions {
    /// Metadata for the app's metadata fields, e.g. `{"user_data": {"name": "Ann"}}`.
    pub metadata: Option<Value>,
    /// A locale from the app's `locales` (e.g. `EN`).
    pub locale: Option<String>,
}

impl SignupOptions {
    /// Sets the metadata.
    pub fn metadata(mut self, metadata: Value) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// Sets the locale.
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }
}

/// Google Authenticator enrolment: the secret and its QR code.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct GoogleTwoFactor {
    /// The TOTP secret (base32, as the `authenticator` npm package formats it).
    #[serde(rename = "googleSecretKey")]
    pub secret: Secret,
    /// `data:image/png;base64,…`: a QR code of the `otpauth://` URI.
    #[serde(rename = "QRDataImage")]
    pub qr_data_image: String,
}

impl fmt::Debug for GoogleTwoFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoogleTwoFactor")
            .field("secret", &self.secret)
            .field(
                "qr_data_image",
                &format_args!("<{} bytes>", self.qr_data_image.len()),
            )
            .finish()
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// A CoSync user, as `getUser` returns it. Every field the server may omit is optional.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct User {
    /// The handle (usually the lowercased e-mail; `ANON_…` for anonymous users).
    pub handle: Option<String>,
    /// `active`, `suspend`, …
    pub status: Option<String>,
    /// The user name, if set.
    pub user_name: Option<String>,
    /// The locale (default `EN`).
    pub locale: Option<String>,
    /// The app id.
    pub app_id: Option<String>,
    /// The phone number (E.164).
    pub phone: Option<String>,
    /// Whether the phone number is verified.
    pub phone_verified: Option<bool>,
    /// Whether phone two-factor verification is on.
    pub two_factor_phone_verification: Option<bool>,
    /// Whether Google Authenticator two-factor verification is on.
    pub two_factor_google_verification: Option<bool>,
    /// The user's metadata.
    #[serde(rename = "metaData")]
    pub metadata: Option<Value>,
    /// `""` for e-mail accounts, `apple` or `google`.
    pub login_provider: Option<String>,
    /// ISO-8601 time of the last login.
    pub last_login: Option<String>,
    /// ISO-8601 creation time.
    pub created_at: Option<String>,
    /// ISO-8601 time of the last change.
    pub updated_at: Option<String>,
}

/// One metadata field of an app.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MetadataField {
    /// A dot path in the user's metadata, e.g. `user_data.name`.
    pub path: Option<String>,
    /// The Realm field name.
    pub field_name: Option<String>,
    /// Must be given at sign-up.
    pub required: Option<bool>,
    /// The user may change it with `set_user_metadata`.
    pub can_edit: Option<bool>,
}

/// An app's public settings, as `getApplication` returns them. Every field is optional.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Application {
    /// The app's name.
    pub name: Option<String>,
    /// `active`, `inactive` or `migrated`.
    pub status: Option<String>,
    /// The sign-up flow.
    pub signup_flow: Option<SignupFlow>,
    /// Whether sign-up is enabled.
    pub signup_enabled: Option<bool>,
    /// Whether invitations are enabled.
    pub invitation_enabled: Option<bool>,
    /// The two-factor mode.
    pub two_factor_verification: Option<TwoFactorMode>,
    /// Whether anonymous login is enabled.
    pub anonymous_login_enabled: Option<bool>,
    /// Whether user names are enabled.
    pub user_names_enabled: Option<bool>,
    /// Whether Sign in with Apple is enabled.
    pub apple_login_enabled: Option<bool>,
    /// Whether Google Sign-In is enabled.
    pub google_login_enabled: Option<bool>,
    /// Allowed locales (default `["EN"]`).
    pub locales: Option<Vec<String>>,
    /// Metadata fields of users.
    #[serde(rename = "metaData")]
    pub metadata_fields: Option<Vec<MetadataField>>,
    /// Metadata fields of invitations.
    #[serde(rename = "metaDataInvite")]
    pub invite_metadata_fields: Option<Vec<MetadataField>>,
    /// Hours a user JWT stays valid.
    #[serde(rename = "userJWTExpiration")]
    pub user_jwt_expiration_hours: Option<u64>,
    /// The Realm app id.
    pub realm_app_id: Option<String>,
    /// Client-side password policy: whether it applies.
    pub password_filter: Option<bool>,
    /// Minimum length.
    pub password_min_length: Option<u32>,
    /// Minimum upper-case letters.
    pub password_min_upper: Option<u32>,
    /// Minimum lower-case letters.
    pub password_min_lower: Option<u32>,
    /// Minimum digits.
    pub password_min_digit: Option<u32>,
    /// Minimum special characters.
    pub password_min_special: Option<u32>,
    /// Version data (`CosyncJWTVersion`, …).
    pub app_data: Option<Value>,
}
