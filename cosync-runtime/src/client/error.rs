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
/// Messages (`Display`) and `Debug` output never contain passwords, tokens, codes or the text of
/// an answer: an answer's body is kept only as a [`ResponseBody`], which prints its size and type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the request with a CoSync error code: a `{"code","message"}` body,
    /// usually with HTTP 400 (also HTTP 501 when the server's token check throws, COSYNC.md 3.2).
    /// Only the code and the message are kept: error bodies can carry stale keys of other
    /// requests (COSYNC.md 4.2).
    #[error("CoSync refused the request: {code}: {message}")]
    Api {
        /// The error code.
        code: ApiErrorCode,
        /// The server's message.
        message: String,
    },
    /// An HTTP 400 whose body is not a CoSync error (e.g. an SMS provider's raw error object).
    #[error("the CoSync server answered HTTP {status} without a CoSync error code ({body})")]
    Upstream {
        /// The HTTP status.
        status: u16,
        /// The body, which is never printed.
        body: ResponseBody,
    },
    /// An HTTP status other than 200 and 400, without a CoSync error code (a proxy's 502…).
    #[error("the CoSync server answered HTTP {status} ({body})")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The body, which is never printed.
        body: ResponseBody,
    },
    /// The request was sent but no answer came in time: the server never answers some malformed
    /// requests (COSYNC.md 8). The request may have been carried out.
    #[error("the CoSync server did not answer within {0:?}")]
    Timeout(Duration),
    /// The request could not be sent or its answer not received (DNS, TCP, TLS, a reset
    /// connection). When [`Error::is_connect`] is true (refused, or no connection within the
    /// connect timeout) nothing was sent.
    #[error("{}", transport_message(.0))]
    Transport(#[source] reqwest::Error),
    /// A 200 answer that is not what the call returns: the catch-all `Service Not found`, non-JSON,
    /// an HTML page, or JSON of the wrong shape.
    #[error("unexpected answer from the CoSync server: {0}")]
    UnexpectedResponse(String),
    /// The request was refused before sending it.
    #[error("invalid request: {0}")]
    InvalidInput(String),
}

fn transport_message(error: &reqwest::Error) -> &'static str {
    if error.is_connect() && error.is_timeout() {
        "could not connect to the CoSync server in time"
    } else if error.is_connect() {
        "could not connect to the CoSync server"
    } else {
        "could not talk to the CoSync server"
    }
}

impl Error {
    /// The CoSync error code, if the server sent one.
    pub fn api_code(&self) -> Option<ApiErrorCode> {
        match self {
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether no connection could be made (refused, unreachable, or the connect timeout
    /// passed): the request was never sent, so it is safe to send again.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_connect())
    }
}

/// The body of an answer that carried no CoSync error code, for deliberate inspection.
///
/// `Debug` and `Display` show only its size and content type: such bodies come from proxies,
/// captive portals or SMS providers and can hold anything.
#[derive(Clone, PartialEq, Eq)]
pub struct ResponseBody {
    content_type: Option<String>,
    len: usize,
    head: Vec<u8>,
}

impl ResponseBody {
    /// How much of a body is kept.
    pub const KEPT: usize = 4096;

    pub(crate) fn new(content_type: Option<&str>, body: &[u8]) -> Self {
        ResponseBody {
            // A header value, but a server may send a long one: keep what names a media type.
            content_type: content_type.map(|t| t.chars().take(100).collect()),
            len: body.len(),
            head: body[..body.len().min(Self::KEPT)].to_vec(),
        }
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The size of the whole body in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the body was empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first [`ResponseBody::KEPT`] bytes. Print them only where the server's text may be
    /// shown: they can include anything the server put there.
    pub fn head(&self) -> &[u8] {
        &self.head
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseBody")
            .field("content_type", &self.content_type)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.len == 1 { "byte" } else { "bytes" };
        match &self.content_type {
            Some(content_type) => write!(f, "{} {unit} of {content_type:?}", self.len),
            None => write!(f, "{} {unit}, no content type", self.len),
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
