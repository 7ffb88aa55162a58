//! The app-facing routes (`/api/appuser/…`, COSYNC.md 3.5) and the helpers they share.

mod account;
mod app;
pub(crate) mod emulator;
mod invite;
mod login;
mod password;
mod profile;
mod signup;
mod social;
mod two_factor;

use axum::http::Method;

use crate::core::{Core, metadata_missing};
use crate::json::Json;
use crate::reply::{Code, Reply, RouteResult, fail, hang};
use crate::request::{ApiRequest, Param};
use crate::settings::{AppStatus, MetaDataField};
use crate::store::{self, AppRecord, UserRecord};

/// The health text of `GET /`.
pub(crate) const WELCOME: &str = "Welcome to CosyncJWT Server Service";

/// Routes a request; `None` for paths the real server does not know (the catch-all answers).
/// Express matches paths case-insensitively and ignores one trailing slash; `HEAD` runs `GET`.
pub(crate) async fn dispatch(core: &Core, path: &str, req: &ApiRequest) -> Option<RouteResult> {
    let mut path = path.to_ascii_lowercase();
    if path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    let get = req.method == Method::GET || req.method == Method::HEAD;
    let post = req.method == Method::POST;
    let Some(route) = path.strip_prefix("/api/appuser/") else {
        return (get && path == "/").then(|| {
            Ok(Reply::Html {
                body: WELCOME.to_owned(),
                json_type: false,
            })
        });
    };
    Some(match (get, post, route) {
        (true, _, "getapplication") => app::get_application(core, req).await,
        (_, true, "login") => login::login(core, req).await,
        (_, true, "logincomplete") => login::login_complete(core, req).await,
        (_, true, "loginanonymous") => login::login_anonymous(core, req).await,
        (_, true, "signup") => signup::signup(core, req).await,
        (_, true, "completesignup") => signup::complete_signup_post(core, req).await,
        (true, _, "completesignup") => signup::complete_signup_get(core, req).await,
        (_, true, "sociallogin") => social::social_login(core, req).await,
        (_, true, "socialsignup") => social::social_signup(core, req).await,
        (_, true, "invite") => invite::invite(core, req).await,
        (_, true, "register") => invite::register(core, req).await,
        (_, true, "forgotpassword") => password::forgot_password(core, req).await,
        (_, true, "resetpassword") => password::reset_password(core, req).await,
        (_, true, "changepassword") => password::change_password(core, req).await,
        (true, _, "getuser") => profile::get_user(core, req).await,
        (true, _, "usernameavailable") => profile::user_name_available(core, req).await,
        (_, true, "setusername") => profile::set_user_name(core, req).await,
        (_, true, "setlocale") => profile::set_locale(core, req).await,
        (_, true, "setusermetadata") => profile::set_user_metadata(core, req).await,
        (_, true, "setphone") => two_factor::set_phone(core, req).await,
        (_, true, "verifyphone") => two_factor::verify_phone(core, req).await,
        (_, true, "settwofactorphoneverification") => {
            two_factor::set_two_factor(core, req, false).await
        }
        (_, true, "settwofactorgoogleverification") => {
            two_factor::set_two_factor(core, req, true).await
        }
        (_, true, "deleteaccount") => account::delete_account(core, req).await,
        _ => return None,
    })
}

/// The app, or 401.
pub(crate) async fn load_app(core: &Core, app_id: Option<&str>) -> Result<AppRecord, Reply> {
    let Some(app_id) = app_id else {
        return fail(Code::AppNotFound);
    };
    match core.app(app_id).await? {
        Some(app) => Ok(app),
        None => fail(Code::AppNotFound),
    }
}

/// `checkAppStatus`: 402 for `inactive`, 413 for `migrated`.
pub(crate) fn check_status(app: &AppRecord) -> Result<(), Reply> {
    match app.settings.status {
        AppStatus::Active => Ok(()),
        AppStatus::Inactive => fail(Code::AppSuspended),
        AppStatus::Migrated => fail(Code::AppMigrated),
    }
}

/// The user with exactly this handle.
pub(crate) async fn find_user(
    core: &Core,
    app_id: &str,
    handle: &str,
) -> Result<Option<UserRecord>, Reply> {
    let (app_id, handle) = (app_id.to_owned(), handle.to_owned());
    Ok(core
        .store
        .run(move |c| store::get_user(c, &app_id, &handle))
        .await?)
}

/// The user whose handle or user name is `login`.
pub(crate) async fn find_by_login(
    core: &Core,
    app_id: &str,
    login: &str,
) -> Result<Option<UserRecord>, Reply> {
    let (app_id, login) = (app_id.to_owned(), login.to_owned());
    Ok(core
        .store
        .run(move |c| store::find_by_login(c, &app_id, &login))
        .await?)
}

/// `{"jwt","access-token"}` and a `lastLogin` stamp, or 604 when required metadata is missing.
pub(crate) async fn login_reply(core: &Core, app: &AppRecord, user: &UserRecord) -> RouteResult {
    let Some((jwt, access)) = core.issue_tokens(app, user).await? else {
        return fail(Code::InvalidMetadata);
    };
    let (id, now) = (user.id, core.clock.now_ms());
    core.store
        .run(move |c| store::touch_login(c, id, now))
        .await?;
    Reply::tokens(&jwt, &access)
}

/// A handle as the server normalizes it (trimmed, lower-cased). A non-string makes the server's
/// `toLowerCase()` throw inside an async handler: no answer.
pub(crate) fn normalized(param: Param<'_>) -> Result<String, Reply> {
    match param {
        Param::Text(s) => Ok(s.trim().to_lowercase()),
        Param::Missing => fail(Code::MissingParam),
        Param::Other(_) => hang(
            "a non-string handle made the server throw",
            Code::InvalidData,
        ),
    }
}

/// A password parameter that must be an MD5 hex digest (32 characters).
pub(crate) fn md5_param(param: Param<'_>) -> Result<&str, Reply> {
    match param {
        Param::Text(s) if s.chars().count() == 32 => Ok(s),
        _ => fail(Code::InvalidData),
    }
}

/// A locale check: `upper` for signup/socialSignup (uppercased, default `EN`), exact otherwise.
pub(crate) fn locale_param(
    app: &AppRecord,
    param: Param<'_>,
    upper: bool,
) -> Result<String, Reply> {
    let locale = match param {
        Param::Text(s) if upper => s.to_uppercase(),
        Param::Text(s) => s.to_owned(),
        Param::Missing => "EN".to_owned(),
        Param::Other(_) => return fail(Code::InvalidData),
    };
    if app.settings.locales.contains(&locale) {
        Ok(locale)
    } else {
        fail(Code::InvalidData)
    }
}

/// `JSON.parse(metaData)` when given: `Ok(None)` when absent, `Err(())` when unparsable.
pub(crate) fn parse_metadata(param: Param<'_>) -> Result<Option<Json>, ()> {
    match param {
        Param::Missing => Ok(None),
        Param::Text(s) => Json::parse(s).map(Some).map_err(|_| ()),
        Param::Other(v @ (Json::Number(_) | Json::Bool(_))) => Ok(Some(v.clone())),
        Param::Other(_) => Err(()),
    }
}

/// Why collected metadata was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FieldError {
    RequiredMissing,
    NotText,
}

/// Copies each field's value from the client's metadata; values must be strings and required
/// fields must not be [missing](metadata_missing) (an empty or blank string is missing too).
pub(crate) fn collect_fields(
    fields: &[MetaDataField],
    metadata: Option<&Json>,
) -> Result<Json, FieldError> {
    let mut out = Json::object();
    for field in fields {
        let value = metadata.and_then(|m| m.get_path(&field.path));
        match value {
            Some(Json::String(_)) | None if field.required && metadata_missing(value) => {
                return Err(FieldError::RequiredMissing);
            }
            Some(Json::String(s)) => out.set_path(&field.path, Json::String(s.clone())),
            Some(_) => return Err(FieldError::NotText),
            None => {}
        }
    }
    Ok(out)
}

/// True if a `required` field has no value in `metadata` (by the same rule as the user JWT).
pub(crate) fn required_missing(fields: &[MetaDataField], metadata: &Json) -> bool {
    fields
        .iter()
        .any(|f| f.required && metadata_missing(metadata.get_path(&f.path)))
}

/// Whether a code parameter is usable (`isNaN(code)` → 602).
pub(crate) fn numeric_code(req: &ApiRequest, name: &str) -> Result<i64, Reply> {
    let value = req.body_value(name);
    if crate::js::is_nan(value) {
        return fail(Code::InvalidData);
    }
    // parseInt of a value that passed isNaN is a number except for oddities like "1e3"/"Infinity",
    // which match no stored code.
    Ok(crate::js::parse_int(value).unwrap_or(-1))
}
