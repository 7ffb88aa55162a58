//! User-JWT verification: the token CoSync hands MongoDB Realm, checked with the Realm public key.

use std::fmt;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::Config;

/// The default clock leeway for `exp`/`nbf`, in seconds.
pub const DEFAULT_LEEWAY_SECS: u64 = 60;

/// The claims of a verified user JWT (COSYNC.md 1.3).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct UserClaims {
    /// The user's handle (normally the lowercased e-mail; `ANON_…` for anonymous users).
    pub sub: String,
    /// The audience: the Realm app id, or `"none"`.
    pub aud: String,
    /// Expiry, Unix seconds.
    pub exp: u64,
    /// Issued at, Unix seconds.
    #[serde(default)]
    pub iat: Option<u64>,
    /// The handle again, when the app puts it in the token.
    #[serde(default)]
    pub email: Option<String>,
    /// The user name, when the app has user names and the user set one.
    #[serde(default, rename = "userName")]
    pub user_name: Option<String>,
    /// Every other claim: the roots of the user's metadata.
    #[serde(flatten)]
    pub metadata: Map<String, Value>,
}

/// Why a user JWT was refused. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// Not a well-formed JWT, or claims of the wrong type.
    #[error("the user JWT is malformed: {0}")]
    Malformed(String),
    /// Signed with another algorithm than RS256.
    #[error("the user JWT is not signed with RS256")]
    WrongAlgorithm,
    /// The signature does not verify with the Realm public key.
    #[error(
        "the user JWT's signature does not verify with the Realm public key (another app's token, or altered)"
    )]
    InvalidSignature,
    /// `exp` has passed (beyond the leeway).
    #[error("the user JWT has expired")]
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    #[error("the user JWT is not valid yet")]
    NotYetValid,
    /// `aud` is not the Realm app id (or `"none"`).
    #[error("the user JWT is for another audience (expected `{expected}`)")]
    WrongAudience {
        /// The expected audience.
        expected: String,
    },
    /// A required claim is missing.
    #[error("the user JWT has no `{0}` claim")]
    MissingClaim(String),
}

/// A ready RS256 verifier for one app's user JWTs: the decoding key (from the key's modulus and
/// exponent, no PEM parsing) and the validation rules, built once.
#[derive(Clone)]
pub struct UserJwtVerifier {
    key: DecodingKey,
    validation: Validation,
    audience: String,
}

impl fmt::Debug for UserJwtVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserJwtVerifier")
            .field("audience", &self.audience)
            .field("leeway", &self.validation.leeway)
            .finish_non_exhaustive()
    }
}

impl UserJwtVerifier {
    pub(crate) fn new(config: &Config, leeway_secs: u64) -> Self {
        let key = config.public_key();
        let audience = config.expected_audience().to_owned();
        let mut validation = Validation::new(Algorithm::RS256);
        validation.algorithms = vec![Algorithm::RS256];
        validation.set_audience(&[audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = leeway_secs;
        UserJwtVerifier {
            key: DecodingKey::from_rsa_raw_components(key.modulus(), key.exponent()),
            validation,
            audience,
        }
    }

    /// Verifies `jwt` (RS256 with the Realm public key, `aud`, `exp`, `nbf`) and returns its claims.
    pub fn verify(&self, jwt: &str) -> Result<UserClaims, JwtError> {
        match jsonwebtoken::decode::<UserClaims>(jwt.trim(), &self.key, &self.validation) {
            Ok(data) => Ok(data.claims),
            Err(error) => Err(match error.kind() {
                ErrorKind::InvalidSignature => JwtError::InvalidSignature,
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    JwtError::WrongAlgorithm
                }
                ErrorKind::ExpiredSignature => JwtError::Expired,
                ErrorKind::ImmatureSignature => JwtError::NotYetValid,
                ErrorKind::InvalidAudience => JwtError::WrongAudience {
                    expected: self.audience.clone(),
                },
                ErrorKind::MissingRequiredClaim(claim) => JwtError::MissingClaim(claim.clone()),
                ErrorKind::Json(e) => match missing_field(&e.to_string()) {
                    Some(claim) => JwtError::MissingClaim(claim),
                    None => JwtError::Malformed(format!("claims: {e}")),
                },
                ErrorKind::Base64(_) | ErrorKind::Utf8(_) | ErrorKind::InvalidToken => {
                    JwtError::Malformed("not three base64url parts".to_owned())
                }
                other => JwtError::Malformed(format!("{other:?}")),
            }),
        }
    }
}

/// The claim serde reports as missing (`missing field `sub` at …`), if that is the error.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_owned())
}
