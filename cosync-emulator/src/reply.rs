//! What a route answers: CoSync's error codes (COSYNC.md 4.4), success bodies, and the cases
//! where the real server never answers at all.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};

use crate::error::Error;
use crate::json::Json;
use crate::store::StoreError;

/// CoSync's internal status codes, with the real server's messages (typos included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    InvalidAppToken,
    AppNotFound,
    AppSuspended,
    MissingParam,
    UserSuspended,
    InvalidAccessToken,
    InviteNotSupported,
    SignupNotSupported,
    GoogleTwoFactorNotSupported,
    PhoneTwoFactorNotSupported,
    PhoneNotVerified,
    SignupCodeExpired,
    PhoneInUse,
    AppMigrated,
    AnonymousNotSupported,
    AppleNotSupported,
    GoogleNotSupported,
    Internal,
    InvalidCredentials,
    HandleRegistered,
    InvalidData,
    AccountNotExist,
    InvalidMetadata,
    UserNameInUse,
    UserNamesNotSupported,
    AccountNotVerified,
    EmailAccountExists,
    AppleAccountExists,
    GoogleAccountExists,
    InvalidToken,
}

impl Code {
    pub(crate) fn number(self) -> u16 {
        use Code::*;
        match self {
            InvalidAppToken => 400,
            AppNotFound => 401,
            AppSuspended => 402,
            MissingParam => 403,
            UserSuspended => 404,
            InvalidAccessToken => 405,
            InviteNotSupported => 406,
            SignupNotSupported => 407,
            GoogleTwoFactorNotSupported => 408,
            PhoneTwoFactorNotSupported => 409,
            PhoneNotVerified => 410,
            SignupCodeExpired => 411,
            PhoneInUse => 412,
            AppMigrated => 413,
            AnonymousNotSupported => 414,
            AppleNotSupported => 415,
            GoogleNotSupported => 416,
            Internal => 500,
            InvalidCredentials => 600,
            HandleRegistered => 601,
            InvalidData => 602,
            AccountNotExist => 603,
            InvalidMetadata => 604,
            UserNameInUse => 605,
            UserNamesNotSupported => 606,
            AccountNotVerified => 608,
            EmailAccountExists => 610,
            AppleAccountExists => 611,
            GoogleAccountExists => 612,
            InvalidToken => 613,
        }
    }

    pub(crate) fn message(self) -> &'static str {
        use Code::*;
        match self {
            InvalidAppToken => "invalid app token",
            AppNotFound => "app no longer exist",
            AppSuspended => "app is suspended",
            MissingParam => "missing parameter",
            UserSuspended => "user account is suspended",
            InvalidAccessToken => "invalid access token",
            InviteNotSupported => "app does not support invitaion",
            SignupNotSupported => "app does not support signup",
            GoogleTwoFactorNotSupported => "app does not support google two-factor verification",
            PhoneTwoFactorNotSupported => "app does not support phone two-factor verification",
            PhoneNotVerified => "user does not have verified phone number",
            SignupCodeExpired => "signup code expired.",
            PhoneInUse => "phone number already in use",
            AppMigrated => "app is migrated",
            AnonymousNotSupported => "app does not support anonymous login",
            AppleNotSupported => "app does not support Apple Authentication",
            GoogleNotSupported => "app does not support Google Authentication",
            Internal => "internal server error",
            InvalidCredentials => "invalid login credentials",
            HandleRegistered => "handle already registered",
            InvalidData => "invalid data",
            AccountNotExist => "account does not exist",
            InvalidMetadata => "invalid metadata",
            UserNameInUse => "user name already assigned",
            UserNamesNotSupported => "app does not support username login",
            AccountNotVerified => "account has not been verified",
            EmailAccountExists => "email account already exist",
            AppleAccountExists => "Apple account already exist",
            GoogleAccountExists => "Google account already exist",
            InvalidToken => "token is invalid",
        }
    }
}

/// A route's answer.
#[derive(Debug)]
pub(crate) enum Reply {
    /// HTTP 200 with this JSON text.
    Json(String),
    /// HTTP 200 with an HTML page; `json_type` keeps the server's JSON content type (POST
    /// completeSignup sends its HTML with `application/json`).
    Html { body: String, json_type: bool },
    /// A CoSync error, normally with HTTP 400.
    Error { code: Code, status: StatusCode },
    /// The real server never answers here (COSYNC.md 8.2). `instead` is what the emulator says
    /// when configured not to hang.
    Hang { why: &'static str, instead: Code },
    /// Something broke inside the emulator.
    Internal(String),
}

/// Routes return `Err` for every non-success, so `?` reads like the server's early returns.
pub(crate) type RouteResult = Result<Reply, Reply>;

impl Reply {
    pub(crate) fn ok_true() -> RouteResult {
        Ok(Reply::Json("true".to_owned()))
    }

    pub(crate) fn json(value: &impl serde::Serialize) -> RouteResult {
        serde_json::to_string(value)
            .map(Reply::Json)
            .map_err(|e| Reply::Internal(e.to_string()))
    }

    /// `{"jwt","access-token"}` in that order (plus extra fields, e.g. signup's `code`).
    pub(crate) fn tokens_with(
        jwt: &str,
        access_token: &str,
        extra: Vec<(String, Json)>,
    ) -> RouteResult {
        let mut fields = vec![
            ("jwt".to_owned(), Json::from(jwt)),
            ("access-token".to_owned(), Json::from(access_token)),
        ];
        fields.extend(extra);
        Ok(Reply::Json(Json::Object(fields).to_json_string()))
    }

    pub(crate) fn tokens(jwt: &str, access_token: &str) -> RouteResult {
        Reply::tokens_with(jwt, access_token, Vec::new())
    }
}

/// `Err(Reply::Error { code, 400 })`.
pub(crate) fn fail<T>(code: Code) -> Result<T, Reply> {
    Err(Reply::Error {
        code,
        status: StatusCode::BAD_REQUEST,
    })
}

/// `Err(Reply::Hang { .. })`.
pub(crate) fn hang<T>(why: &'static str, instead: Code) -> Result<T, Reply> {
    Err(Reply::Hang { why, instead })
}

impl From<StoreError> for Reply {
    fn from(e: StoreError) -> Self {
        Reply::Internal(e.to_string())
    }
}

impl From<Error> for Reply {
    fn from(e: Error) -> Self {
        Reply::Internal(e.to_string())
    }
}

/// A response with the real server's headers.
pub(crate) fn respond(
    status: StatusCode,
    content_type: &'static str,
    body: String,
) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert("x-powered-by", HeaderValue::from_static("Cosync, Inc."));
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

pub(crate) const JSON_TYPE: &str = "application/json; charset=UTF-8";
pub(crate) const HTML_TYPE: &str = "text/html; charset=utf-8";

/// `{"code":…,"message":…}` with the given HTTP status.
pub(crate) fn error_response(code: Code, status: StatusCode) -> Response<Body> {
    let body = serde_json::json!({ "code": code.number(), "message": code.message() });
    respond(status, JSON_TYPE, body.to_string())
}

/// The catch-all's answer to unknown routes and unreadable bodies: HTTP 200, `Service Not found`.
pub(crate) fn service_not_found() -> Response<Body> {
    respond(StatusCode::OK, JSON_TYPE, "Service Not found".to_owned())
}
