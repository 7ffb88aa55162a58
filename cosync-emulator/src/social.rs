//! Sign in with Apple / Google, offline.
//!
//! The real server checks Apple identity tokens against Apple's published keys and Google ID
//! tokens with Google's library; neither is reachable offline. The emulator instead trusts one
//! RSA key of its own, the "social provider" key: tokens signed by it (minted with
//! [`crate::Emulator::social_token`] or `POST /_emulator/social/token`) are what Apple or Google
//! would have issued. Everything else about the routes (flags, audiences, error codes) is real.

use serde::{Deserialize, Serialize};

use crate::json::Json;

/// Apple or Google.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SocialProvider {
    /// Sign in with Apple (identity token; `aud` = an app bundle id).
    Apple,
    /// Google sign-in (ID token; `aud` = an OAuth client id).
    Google,
}

impl SocialProvider {
    /// `apple` / `google`, as the `provider` parameter spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SocialProvider::Apple => "apple",
            SocialProvider::Google => "google",
        }
    }

    /// The issuer the real provider writes into its tokens.
    pub fn issuer(self) -> &'static str {
        match self {
            SocialProvider::Apple => "https://appleid.apple.com",
            SocialProvider::Google => "https://accounts.google.com",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<SocialProvider> {
        match s {
            "apple" => Some(SocialProvider::Apple),
            "google" => Some(SocialProvider::Google),
            _ => None,
        }
    }
}

/// The claims of a social ID token to mint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialToken {
    /// Which provider the token pretends to come from.
    pub provider: SocialProvider,
    /// `aud`: must be one of the app's `appleBundleId` / `googleClientId` values.
    pub audience: String,
    /// The account's e-mail (must equal the handle for `socialSignup`).
    pub email: Option<String>,
    /// The provider's stable account id (`sub`); defaults to the e-mail.
    #[serde(default)]
    pub sub: Option<String>,
    /// Lifetime in seconds (default 600).
    #[serde(default)]
    pub expires_in: Option<i64>,
}

impl SocialToken {
    /// A token for `email` with the given audience.
    pub fn new(provider: SocialProvider, audience: &str, email: &str) -> SocialToken {
        SocialToken {
            provider,
            audience: audience.to_owned(),
            email: Some(email.to_owned()),
            sub: None,
            expires_in: None,
        }
    }

    pub(crate) fn claims(&self, now: i64) -> Json {
        let sub = self
            .sub
            .clone()
            .or_else(|| self.email.clone())
            .unwrap_or_else(|| "emulator-user".to_owned());
        let mut claims = Json::Object(vec![
            ("iss".into(), self.provider.issuer().into()),
            ("aud".into(), self.audience.clone().into()),
            (
                "exp".into(),
                Json::from(now + self.expires_in.unwrap_or(600)),
            ),
            ("sub".into(), sub.into()),
        ]);
        if let Some(email) = &self.email {
            claims.insert("email", email.clone().into());
            claims.insert("email_verified", true.into());
        }
        claims
    }
}

/// The identity a verified social token carries.
#[derive(Clone, Debug)]
pub(crate) struct SocialIdentity {
    pub email: Option<String>,
    pub sub: String,
}

/// Checks issuer and audience of verified claims against the app's comma-separated audiences.
pub(crate) fn identity(
    provider: SocialProvider,
    claims: &Json,
    audiences: &str,
) -> Option<SocialIdentity> {
    let iss = claims.get("iss").and_then(Json::as_str)?;
    let issuer_ok = iss == provider.issuer()
        || (provider == SocialProvider::Google && iss == "accounts.google.com");
    let aud = claims.get("aud").and_then(Json::as_str)?;
    let audience_ok = audiences
        .split(',')
        .map(str::trim)
        .any(|a| !a.is_empty() && a == aud);
    let sub = claims.get("sub").and_then(Json::as_str)?;
    (issuer_ok && audience_ok).then(|| SocialIdentity {
        email: claims
            .get("email")
            .and_then(Json::as_str)
            .map(str::to_lowercase),
        sub: sub.to_owned(),
    })
}
