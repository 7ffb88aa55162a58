//! Per-app settings: the app-record fields that change how the app-facing API behaves
//! (COSYNC.md 3.7 "App object"), with the real server's schema defaults.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How sign-up is confirmed (`signupFlow`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignupFlow {
    /// A 6-digit code is e-mailed; `completeSignup` with the code creates the user.
    #[default]
    Code,
    /// A link to `GET /api/appuser/completeSignup` is e-mailed.
    Link,
    /// The user is created at once; `signup` returns tokens.
    None,
}

/// Which second factor the app offers (`twoFactorVerification`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TwoFactor {
    /// No two-factor login.
    #[default]
    None,
    /// SMS codes to a verified phone.
    Phone,
    /// Google Authenticator (TOTP).
    Google,
}

/// App status; anything but `active` blocks most routes (402 / 413).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppStatus {
    /// Normal.
    #[default]
    Active,
    /// Suspended: code 402.
    Inactive,
    /// Moved to another server: code 413.
    Migrated,
}

macro_rules! text_enum {
    ($ty:ty, $($variant:ident = $text:literal),+) => {
        impl $ty {
            /// The wire spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    other => Err(format!(
                        "`{other}` is not one of: {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

text_enum!(SignupFlow, Code = "code", Link = "link", None = "none");
text_enum!(TwoFactor, None = "none", Phone = "phone", Google = "google");
text_enum!(
    AppStatus,
    Active = "active",
    Inactive = "inactive",
    Migrated = "migrated"
);

/// One app metadata field (`metaDataField`): where a value lives in the user's metadata and how
/// the user may change it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetaDataField {
    /// lodash dot path, e.g. `user_data.name`.
    pub path: String,
    /// The Realm field name (anonymous users get the value `ANON_<fieldName>`).
    pub field_name: String,
    /// Sign-up fails with 604 without it, and no user JWT is issued without it.
    #[serde(default)]
    pub required: bool,
    /// `setUserMetadata` may change it.
    #[serde(default)]
    pub can_edit: bool,
}

impl FromStr for MetaDataField {
    type Err = String;

    /// `PATH:FIELD[:required][:editable]`, e.g. `user_data.name:name:required:editable`.
    fn from_str(spec: &str) -> Result<Self, String> {
        let mut parts = spec.split(':');
        let path = parts.next().unwrap_or_default().trim();
        let field_name = parts.next().unwrap_or_default().trim();
        if path.is_empty() || field_name.is_empty() {
            return Err(format!(
                "`{spec}`: expected PATH:FIELD[:required][:editable], e.g. user_data.name:name:required"
            ));
        }
        let mut field = MetaDataField {
            path: path.to_owned(),
            field_name: field_name.to_owned(),
            required: false,
            can_edit: false,
        };
        for flag in parts {
            match flag.trim() {
                "required" => field.required = true,
                "editable" | "canEdit" => field.can_edit = true,
                other => {
                    return Err(format!(
                        "`{spec}`: unknown flag `{other}` (use `required` and/or `editable`)"
                    ));
                }
            }
        }
        Ok(field)
    }
}

/// The settings of one app, serialized with the real server's field names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppSettings {
    /// App name (e-mail subjects, authenticator issuer).
    pub name: String,
    /// `active`, `inactive` (402) or `migrated` (413).
    pub status: AppStatus,
    /// Sign-up confirmation flow.
    pub signup_flow: SignupFlow,
    /// Second factor offered.
    pub two_factor_verification: TwoFactor,
    /// `signup` allowed (else 407).
    pub signup_enabled: bool,
    /// `invite`/`register` allowed (else 406).
    pub invitation_enabled: bool,
    /// `loginAnonymous` allowed (else 414).
    pub anonymous_login_enabled: bool,
    /// Handles without `@` are user names (else 606).
    pub user_names_enabled: bool,
    /// Sign in with Apple (else 415).
    pub apple_login_enabled: bool,
    /// Comma-separated accepted `aud` values of Apple identity tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apple_bundle_id: Option<String>,
    /// Google sign-in (else 416).
    pub google_login_enabled: bool,
    /// Comma-separated accepted `aud` values of Google ID tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google_client_id: Option<String>,
    /// Issuer shown in authenticator apps (defaults to the app name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google_app_name: Option<String>,
    /// `aud` of user JWTs (`"none"` when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realm_app_id: Option<String>,
    /// User JWT lifetime in hours (0 means 1 hour, as on the real server).
    #[serde(rename = "userJWTExpiration")]
    pub user_jwt_expiration: u32,
    /// User metadata fields.
    pub meta_data: Vec<MetaDataField>,
    /// Metadata fields an inviter sets.
    pub meta_data_invite: Vec<MetaDataField>,
    /// Put the handle in the user JWT's `email` claim.
    pub meta_data_email: bool,
    /// Allowed locales.
    pub locales: Vec<String>,
    /// Client-side password policy switch (the server never sees clear passwords).
    pub password_filter: bool,
    /// Client-side minimum password length.
    pub password_min_length: u32,
    /// Client-side minimum upper-case letters.
    pub password_min_upper: u32,
    /// Client-side minimum lower-case letters.
    pub password_min_lower: u32,
    /// Client-side minimum digits.
    pub password_min_digit: u32,
    /// Client-side minimum special characters.
    pub password_min_special: u32,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            name: "app".to_owned(),
            status: AppStatus::Active,
            signup_flow: SignupFlow::Code,
            two_factor_verification: TwoFactor::None,
            signup_enabled: true,
            invitation_enabled: true,
            anonymous_login_enabled: false,
            user_names_enabled: false,
            apple_login_enabled: false,
            apple_bundle_id: None,
            google_login_enabled: false,
            google_client_id: None,
            google_app_name: None,
            realm_app_id: None,
            user_jwt_expiration: 24,
            meta_data: Vec::new(),
            meta_data_invite: Vec::new(),
            meta_data_email: true,
            locales: vec!["EN".to_owned()],
            password_filter: false,
            password_min_length: 5,
            password_min_upper: 0,
            password_min_lower: 0,
            password_min_digit: 0,
            password_min_special: 0,
        }
    }
}

/// A partial update of [`AppSettings`]: every field is optional and only the given ones change.
/// For the optional string settings, an empty string clears the value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)] // each field mirrors the AppSettings field of the same name
pub struct AppSettingsPatch {
    pub name: Option<String>,
    pub status: Option<AppStatus>,
    pub signup_flow: Option<SignupFlow>,
    pub two_factor_verification: Option<TwoFactor>,
    pub signup_enabled: Option<bool>,
    pub invitation_enabled: Option<bool>,
    pub anonymous_login_enabled: Option<bool>,
    pub user_names_enabled: Option<bool>,
    pub apple_login_enabled: Option<bool>,
    pub apple_bundle_id: Option<String>,
    pub google_login_enabled: Option<bool>,
    pub google_client_id: Option<String>,
    pub google_app_name: Option<String>,
    pub realm_app_id: Option<String>,
    #[serde(rename = "userJWTExpiration")]
    pub user_jwt_expiration: Option<u32>,
    pub meta_data: Option<Vec<MetaDataField>>,
    pub meta_data_invite: Option<Vec<MetaDataField>>,
    pub meta_data_email: Option<bool>,
    pub locales: Option<Vec<String>>,
    pub password_filter: Option<bool>,
    pub password_min_length: Option<u32>,
    pub password_min_upper: Option<u32>,
    pub password_min_lower: Option<u32>,
    pub password_min_digit: Option<u32>,
    pub password_min_special: Option<u32>,
}

impl AppSettings {
    /// Applies `patch` after checking it; on error nothing changes.
    pub fn apply(&mut self, patch: &AppSettingsPatch) -> Result<(), String> {
        let mut next = self.clone();
        macro_rules! set {
            ($($field:ident),+) => { $(if let Some(v) = &patch.$field { next.$field = v.clone(); })+ };
        }
        macro_rules! set_optional_text {
            ($($field:ident),+) => {
                $(if let Some(v) = &patch.$field {
                    next.$field = (!v.trim().is_empty()).then(|| v.trim().to_owned());
                })+
            };
        }
        set!(
            name,
            status,
            signup_flow,
            two_factor_verification,
            signup_enabled,
            invitation_enabled,
            anonymous_login_enabled,
            user_names_enabled,
            apple_login_enabled,
            google_login_enabled,
            user_jwt_expiration,
            meta_data,
            meta_data_invite,
            meta_data_email,
            locales,
            password_filter,
            password_min_length,
            password_min_upper,
            password_min_lower,
            password_min_digit,
            password_min_special
        );
        set_optional_text!(
            apple_bundle_id,
            google_client_id,
            google_app_name,
            realm_app_id
        );
        next.validate()?;
        *self = next;
        Ok(())
    }

    /// Checks the invariants the API relies on.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("`name` must not be empty".to_owned());
        }
        if self.locales.is_empty() || self.locales.iter().any(|l| l.trim().is_empty()) {
            return Err("`locales` must list at least one non-empty locale".to_owned());
        }
        for field in self.meta_data.iter().chain(&self.meta_data_invite) {
            if field.path.trim().is_empty() || field.field_name.trim().is_empty() {
                return Err("metadata fields need a non-empty `path` and `fieldName`".to_owned());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_spec_parses() {
        let f: MetaDataField = "user_data.name:name:required:editable".parse().unwrap();
        assert_eq!(f.path, "user_data.name");
        assert_eq!(f.field_name, "name");
        assert!(f.required && f.can_edit);
        let f: MetaDataField = "nick:nick".parse().unwrap();
        assert!(!f.required && !f.can_edit);
        assert!("nick".parse::<MetaDataField>().is_err());
        assert!("a:b:maybe".parse::<MetaDataField>().is_err());
    }

    #[test]
    fn patch_applies_and_validates() {
        let mut s = AppSettings::default();
        let patch: AppSettingsPatch = serde_json::from_str(
            r#"{"signupFlow":"none","realmAppId":"toto-bzvdn","userJWTExpiration":2}"#,
        )
        .unwrap();
        s.apply(&patch).unwrap();
        assert_eq!(s.signup_flow, SignupFlow::None);
        assert_eq!(s.realm_app_id.as_deref(), Some("toto-bzvdn"));
        assert_eq!(s.user_jwt_expiration, 2);
        let bad = AppSettingsPatch {
            locales: Some(vec![]),
            ..Default::default()
        };
        assert!(s.apply(&bad).is_err());
        assert_eq!(s.locales, vec!["EN".to_owned()]);
        assert!(serde_json::from_str::<AppSettingsPatch>(r#"{"nope":1}"#).is_err());
        let clear = AppSettingsPatch {
            realm_app_id: Some(String::new()),
            ..Default::default()
        };
        s.apply(&clear).unwrap();
        assert_eq!(s.realm_app_id, None);
    }

    #[test]
    fn enums_round_trip() {
        for flow in ["code", "link", "none"] {
            assert_eq!(flow.parse::<SignupFlow>().unwrap().as_str(), flow);
        }
        assert!("sms".parse::<TwoFactor>().is_err());
    }
}
