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
///
/// Parsing is lenient: a field of an unexpected type is `None` rather than an error, and booleans
/// may be sent as `0`/`1`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct User {
    /// The handle (usually the lowercased e-mail; `ANON_…` for anonymous users).
    #[serde(default, deserialize_with = "lenient::string")]
    pub handle: Option<String>,
    /// `active`, `suspend`, …
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    /// The user name, if set.
    #[serde(default, deserialize_with = "lenient::string")]
    pub user_name: Option<String>,
    /// The locale (default `EN`).
    #[serde(default, deserialize_with = "lenient::string")]
    pub locale: Option<String>,
    /// The app id.
    #[serde(default, deserialize_with = "lenient::string")]
    pub app_id: Option<String>,
    /// The phone number (E.164).
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    /// Whether the phone number is verified.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub phone_verified: Option<bool>,
    /// Whether phone two-factor verification is on.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub two_factor_phone_verification: Option<bool>,
    /// Whether Google Authenticator two-factor verification is on.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub two_factor_google_verification: Option<bool>,
    /// The user's metadata.
    #[serde(rename = "metaData", default, deserialize_with = "lenient::value")]
    pub metadata: Option<Value>,
    /// `""` for e-mail accounts, `apple` or `google`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub login_provider: Option<String>,
    /// ISO-8601 time of the last login.
    #[serde(default, deserialize_with = "lenient::string")]
    pub last_login: Option<String>,
    /// ISO-8601 creation time.
    #[serde(default, deserialize_with = "lenient::string")]
    pub created_at: Option<String>,
    /// ISO-8601 time of the last change.
    #[serde(default, deserialize_with = "lenient::string")]
    pub updated_at: Option<String>,
}

/// One metadata field of an app. Parsed leniently, like [`Application`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MetadataField {
    /// A dot path in the user's metadata, e.g. `user_data.name`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub path: Option<String>,
    /// The Realm field name.
    #[serde(default, deserialize_with = "lenient::string")]
    pub field_name: Option<String>,
    /// Must be given at sign-up.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub required: Option<bool>,
    /// The user may change it with `set_user_metadata`.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub can_edit: Option<bool>,
}

/// An app's public settings, as `getApplication` returns them. Every field is optional.
///
/// Parsing is lenient: CoSync's documentation shows booleans as `0 | 1` (COSYNC.md 3.7), so
/// booleans may be `true`/`false` or `0`/`1`; a field of an unexpected type is `None` rather than
/// an error, so one odd setting never makes the whole application unreadable.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Application {
    /// The app's name.
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    /// `active`, `inactive` or `migrated`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    /// The sign-up flow.
    #[serde(default, deserialize_with = "lenient::parsed")]
    pub signup_flow: Option<SignupFlow>,
    /// Whether sign-up is enabled.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub signup_enabled: Option<bool>,
    /// Whether invitations are enabled.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub invitation_enabled: Option<bool>,
    /// The two-factor mode.
    #[serde(default, deserialize_with = "lenient::parsed")]
    pub two_factor_verification: Option<TwoFactorMode>,
    /// Whether anonymous login is enabled.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub anonymous_login_enabled: Option<bool>,
    /// Whether user names are enabled.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub user_names_enabled: Option<bool>,
    /// Whether Sign in with Apple is enabled.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub apple_login_enabled: Option<bool>,
    /// Whether Google Sign-In is enabled.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub google_login_enabled: Option<bool>,
    /// Allowed locales (default `["EN"]`); entries that are not strings are left out.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub locales: Option<Vec<String>>,
    /// Metadata fields of users; entries that are not objects are left out.
    #[serde(rename = "metaData", default, deserialize_with = "lenient::fields")]
    pub metadata_fields: Option<Vec<MetadataField>>,
    /// Metadata fields of invitations; entries that are not objects are left out.
    #[serde(
        rename = "metaDataInvite",
        default,
        deserialize_with = "lenient::fields"
    )]
    pub invite_metadata_fields: Option<Vec<MetadataField>>,
    /// Hours a user JWT stays valid.
    #[serde(
        rename = "userJWTExpiration",
        default,
        deserialize_with = "lenient::unsigned"
    )]
    pub user_jwt_expiration_hours: Option<u64>,
    /// The Realm app id.
    #[serde(default, deserialize_with = "lenient::string")]
    pub realm_app_id: Option<String>,
    /// Client-side password policy: whether it applies.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub password_filter: Option<bool>,
    /// Minimum length.
    #[serde(default, deserialize_with = "lenient::unsigned")]
    pub password_min_length: Option<u32>,
    /// Minimum upper-case letters.
    #[serde(default, deserialize_with = "lenient::unsigned")]
    pub password_min_upper: Option<u32>,
    /// Minimum lower-case letters.
    #[serde(default, deserialize_with = "lenient::unsigned")]
    pub password_min_lower: Option<u32>,
    /// Minimum digits.
    #[serde(default, deserialize_with = "lenient::unsigned")]
    pub password_min_digit: Option<u32>,
    /// Minimum special characters.
    #[serde(default, deserialize_with = "lenient::unsigned")]
    pub password_min_special: Option<u32>,
    /// Version data (`CosyncJWTVersion`, …).
    #[serde(default, deserialize_with = "lenient::value")]
    pub app_data: Option<Value>,
}

/// Field parsers that turn a value of an unexpected type into `None` instead of an error.
mod lenient {
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    use super::MetadataField;

    pub(super) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match value(d)? {
            Some(Value::String(s)) => Some(s),
            _ => None,
        })
    }

    /// `true`/`false`, or `1`/`0` as CoSync's documentation shows them.
    pub(super) fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(match value(d)? {
            Some(Value::Bool(b)) => Some(b),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            _ => None,
        })
    }

    /// A non-negative integer that fits the field.
    pub(super) fn unsigned<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<u64>,
    {
        Ok(value(d)?
            .as_ref()
            .and_then(Value::as_u64)
            .and_then(|n| T::try_from(n).ok()))
    }

    /// Any JSON value but `null`.
    pub(super) fn value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
        Option::<Value>::deserialize(d)
    }

    /// A value the type can parse (e.g. the flow enums), else `None`.
    pub(super) fn parsed<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: DeserializeOwned,
    {
        Ok(value(d)?.and_then(|v| serde_json::from_value(v).ok()))
    }

    /// An array; its entries that are not strings are left out.
    pub(super) fn strings<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<String>>, D::Error> {
        Ok(match value(d)? {
            Some(Value::Array(items)) => Some(
                items
                    .into_iter()
                    .filter_map(|item| match item {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        })
    }

    /// An array of metadata fields; its entries that are not objects are left out.
    pub(super) fn fields<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<MetadataField>>, D::Error> {
        Ok(match value(d)? {
            Some(Value::Array(items)) => Some(
                items
                    .into_iter()
                    .filter(Value::is_object)
                    .filter_map(|item| serde_json::from_value(item).ok())
                    .collect(),
            ),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn application_booleans_may_be_zero_or_one_and_odd_types_are_none() {
        let app: Application = serde_json::from_value(json!({
            "name": "demo",
            "signupFlow": "link",
            "signupEnabled": 1,
            "invitationEnabled": 0,
            "anonymousLoginEnabled": true,
            "userNamesEnabled": 2,
            "appleLoginEnabled": "yes",
            "googleLoginEnabled": null,
            "twoFactorVerification": 7,
            "passwordFilter": 1,
            "passwordMinLength": "five",
            "passwordMinUpper": -1,
            "passwordMinLower": 1.5,
            "passwordMinDigit": 4294967296_u64,
            "passwordMinSpecial": 2,
            "userJWTExpiration": 48,
            "locales": ["EN", 3, "FR"],
            "metaData": [{"path": "user_data.name", "required": 1, "canEdit": "no"}, "junk"],
            "metaDataInvite": {"not": "an array"},
            "realmAppId": false,
            "appData": {"CosyncJWTVersion": "1.0.1"},
            "maxUsers": "unlimited",
        }))
        .unwrap();
        assert_eq!(app.name.as_deref(), Some("demo"));
        assert_eq!(app.signup_flow, Some(SignupFlow::Link));
        assert_eq!(app.signup_enabled, Some(true));
        assert_eq!(app.invitation_enabled, Some(false));
        assert_eq!(app.anonymous_login_enabled, Some(true));
        assert_eq!(app.user_names_enabled, None);
        assert_eq!(app.apple_login_enabled, None);
        assert_eq!(app.google_login_enabled, None);
        assert_eq!(app.two_factor_verification, None);
        assert_eq!(app.password_filter, Some(true));
        assert_eq!(app.password_min_length, None);
        assert_eq!(app.password_min_upper, None);
        assert_eq!(app.password_min_lower, None);
        assert_eq!(app.password_min_digit, None, "does not fit a u32");
        assert_eq!(app.password_min_special, Some(2));
        assert_eq!(app.user_jwt_expiration_hours, Some(48));
        assert_eq!(app.locales, Some(vec!["EN".to_owned(), "FR".to_owned()]));
        let fields = app.metadata_fields.unwrap();
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].path.as_deref(), Some("user_data.name"));
        assert_eq!(fields[0].required, Some(true));
        assert_eq!(fields[0].can_edit, None);
        assert_eq!(app.invite_metadata_fields, None);
        assert_eq!(app.realm_app_id, None);
        assert_eq!(app.app_data, Some(json!({"CosyncJWTVersion": "1.0.1"})));

        // A value this version does not know is `Unknown`, not an error or `None`.
        let app: Application = serde_json::from_value(json!({"signupFlow": "magic"})).unwrap();
        assert_eq!(app.signup_flow, Some(SignupFlow::Unknown));
        let empty: Application = serde_json::from_value(json!({})).unwrap();
        assert_eq!(empty.name, None);
        assert_eq!(empty.signup_flow, None);
    }

    #[test]
    fn user_fields_are_lenient_too() {
        let user: User = serde_json::from_value(json!({
            "handle": "ann@example.com",
            "phoneVerified": 1,
            "twoFactorPhoneVerification": 0,
            "twoFactorGoogleVerification": "true",
            "locale": 5,
            "metaData": {"user_data": {"name": "Ann"}},
            "lastLogin": {"$date": 1},
        }))
        .unwrap();
        assert_eq!(user.handle.as_deref(), Some("ann@example.com"));
        assert_eq!(user.phone_verified, Some(true));
        assert_eq!(user.two_factor_phone_verification, Some(false));
        assert_eq!(user.two_factor_google_verification, None);
        assert_eq!(user.locale, None);
        assert_eq!(user.metadata, Some(json!({"user_data": {"name": "Ann"}})));
        assert_eq!(user.last_login, None);
    }
}
