//! The one error type of the client.

use std::fmt;
use std::time::Duration;

macro_rules! api_error_codes {
    ($($code:literal => $variant:ident: $doc:literal,)*) => {
        /// A CoSync Auth error code (COSYNC.md 4.4), as the server sends it in `{"code", "message"}`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ApiErrorCode {
            $(
                #[doc = concat!("`", stringify!($code), "`: ", $doc)]
                $variant,
            )*
            /// A code this version of cosync does not know.
            Other(i64),
        }

        impl ApiErrorCode {
            /// Maps a numeric code to its variant.
            pub fn from_code(code: i64) -> Self {
                match code {
                    $($code => ApiErrorCode::$variant,)*
                    other => ApiErrorCode::Other(other),
                }
            }

            /// The numeric code.
            pub fn code(self) -> i64 {
                match self {
                    $(ApiErrorCode::$variant => $code,)*
                    ApiErrorCode::Other(code) => code,
                }
            }

            /// What the code means, in the server's words.
            pub fn description(self) -> &'static str {
                match self {
                    $(ApiErrorCode::$variant => $doc,)*
                    ApiErrorCode::Other(_) => "unknown error code",
                }
            }
        }
    };
}

api_error_codes! {
    400 => InvalidAppToken: "invalid app token",
    401 => AppNoLongerExists: "app no longer exists",
    402 => AppSuspended: "app is suspended",
    403 => MissingParameter: "missing parameter",
    404 => AccountSuspended: "user account is suspended",
    405 => InvalidAccessToken: "invalid access token",
    406 => InvitationNotSupported: "app does not support invitation",
    407 => SignupNotSupported: "app does not support signup",
    408 => GoogleTwoFactorNotSupported: "app does not support google two-factor verification",
    409 => PhoneTwoFactorNotSupported: "app does not support phone two-factor verification",
    410 => PhoneNotVerified: "user does not have verified phone number",
    411 => SignupCodeExpired: "signup code expired",
    412 => PhoneNumberInUse: "phone number already in use",
    413 => AppMigrated: "app is migrated",
    414 => AnonymousLoginNotSupported: "app does not support anonymous login",
    415 => AppleLoginNotSupported: "app does not support Apple Authentication",
    416 => GoogleLoginNotSupported: "app does not support Google Authentication",
    500 => InternalServerError: "internal server error",
    501 => AccessTokenExpired: "access token expired",
    600 => InvalidLoginCredentials: "invalid login credentials",
    601 => HandleAlreadyRegistered: "handle already registered",
    602 => InvalidData: "invalid data",
    603 => AccountDoesNotExist: "account does not exist",
    604 => InvalidMetadata: "invalid metadata",
    605 => UserNameAlreadyInUse: "user name already assigned",
    606 => UserNamesNotSupported: "app does not support username login",
    607 => UserNameDoesNotExist: "user name does not exist",
    608 => AccountNotVerified: "account has not been verified",
    609 => InvalidLocale: "invalid locale",
    610 => EmailAccountExists: "email account already exists",
    611 => AppleAccountExists: "Apple account already exists",
    612 => GoogleAccountExists: "Google account already exists",
    613 => InvalidToken: "token is invalid",
}

impl fmt::Display for ApiErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.description())
    }
}

/// Everything a client call can fail with.
///
/// Messages never contain passwords, tokens or codes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the request with a CoSync error code (HTTP 400 `{"code","message"}`).
    #[error("CoSync refused the request: {code}: {message}")]
    Api {
        /// The error code.
        code: ApiErrorCode,
        /// The server's message.
        message: String,
    },
    /// An HTTP 400 whose body is not a CoSync error (e.g. an SMS provider's raw error object).
    #[error("the CoSync server answered HTTP {status} without a CoSync error code: {body}")]
    Upstream {
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// An HTTP status other than 200 and 400 (403, 501, a proxy's 502…).
    #[error("the CoSync server answered HTTP {status}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// No answer in time. The server never answers some malformed requests (COSYNC.md 8).
    #[error("the CoSync server did not answer within {0:?}")]
    Timeout(Duration),
    /// The request could not be sent or its answer not received (DNS, TCP, TLS, a reset connection).
    #[error("could not talk to the CoSync server")]
    Transport(#[source] reqwest::Error),
    /// A 200 answer that is not what the call returns: the catch-all `Service Not found`, non-JSON,
    /// or JSON of the wrong shape.
    #[error("unexpected answer from the CoSync server: {0}")]
    UnexpectedResponse(String),
    /// The request was refused before sending it.
    #[error("invalid request: {0}")]
    InvalidInput(String),
}

impl Error {
    /// The CoSync error code, if the server sent one.
    pub fn api_code(&self) -> Option<ApiErrorCode> {
        match self {
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for code in [
            400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416,
            500, 501,
        ]
        .into_iter()
        .chain(600..=613)
        {
            let named = ApiErrorCode::from_code(code);
            assert!(
                !matches!(named, ApiErrorCode::Other(_)),
                "{code} has no name"
            );
            assert_eq!(named.code(), code);
        }
        assert_eq!(ApiErrorCode::from_code(777), ApiErrorCode::Other(777));
        assert_eq!(ApiErrorCode::InvalidData.to_string(), "602 (invalid data)");
    }
}
