//! The logged-in user's profile: `getUser`, `userNameAvailable`, `setUserName`, `setLocale`,
//! `setUserMetadata`.

use super::{check_status, find_user, load_app, parse_metadata, required_missing};
use crate::clock::iso8601;
use crate::core::Core;
use crate::json::Json;
use crate::reply::{Code, Reply, RouteResult, fail, hang};
use crate::request::{ApiRequest, Param};
use crate::store::{self, SetUserName, UserRecord};

/// `GET getUser` (3.6 #15).
pub(crate) async fn get_user(core: &Core, req: &ApiRequest) -> RouteResult {
    let Some(handle) = req.auth.handle.as_deref() else {
        return fail(Code::InvalidData);
    };
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    let Some(user) = find_user(core, &app.app_id, handle).await? else {
        return fail(Code::InvalidData);
    };
    Ok(Reply::Json(user_object(&user).to_json_string()))
}

/// The user object of 3.7, keys in the real server's order, unset keys absent.
pub(crate) fn user_object(user: &UserRecord) -> Json {
    let mut o = Json::Object(vec![
        ("status".into(), user.status.clone().into()),
        ("createdAt".into(), iso8601(user.created_at).into()),
        ("updatedAt".into(), iso8601(user.updated_at).into()),
        ("handle".into(), user.handle.clone().into()),
        ("locale".into(), user.locale.clone().into()),
    ]);
    if let Some(name) = &user.user_name {
        o.insert("userName", name.clone().into());
    }
    o.insert("twoFactorPhoneVerification", user.two_factor_phone.into());
    o.insert("twoFactorGoogleVerification", user.two_factor_google.into());
    o.insert("appId", user.app_id.clone().into());
    if let Some(phone) = &user.phone {
        o.insert("phone", phone.clone().into());
    }
    o.insert("phoneVerified", user.phone_verified.into());
    // Mongoose drops empty objects on save, so a user without metadata has no `metaData` key.
    let unset = match &user.metadata {
        Json::Object(entries) => entries.is_empty(),
        Json::Null => true,
        _ => false,
    };
    if !unset {
        o.insert("metaData", user.metadata.clone());
    }
    o.insert("loginProvider", user.login_provider.clone().into());
    if let Some(last) = user.last_login {
        o.insert("lastLogin", iso8601(last).into());
    }
    o
}

fn user_name_param(param: Param<'_>) -> Result<String, Reply> {
    match param {
        Param::Text(s) => Ok(s.trim().to_lowercase()),
        Param::Missing => fail(Code::MissingParam),
        Param::Other(_) => hang(
            "a non-string userName made the server throw",
            Code::InvalidData,
        ),
    }
}

/// `GET userNameAvailable?userName=` (3.6 #16).
pub(crate) async fn user_name_available(core: &Core, req: &ApiRequest) -> RouteResult {
    if !req.query("userName").is_present() || req.auth.handle.is_none() {
        return fail(Code::MissingParam);
    }
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    if !app.settings.user_names_enabled {
        return fail(Code::UserNamesNotSupported);
    }
    let name = user_name_param(req.query("userName"))?;
    let app_id = app.app_id.clone();
    let taken = core
        .store
        .run(move |c| store::user_name_taken(c, &app_id, &name))
        .await?;
    Reply::json(&serde_json::json!({ "available": !taken }))
}

/// `POST setUserName` (3.6 #17): once per user, unique per app.
pub(crate) async fn set_user_name(core: &Core, req: &ApiRequest) -> RouteResult {
    let (Some(handle), true) = (
        req.auth.handle.as_deref(),
        req.body("userName").is_present(),
    ) else {
        return fail(Code::MissingParam);
    };
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    if !app.settings.user_names_enabled {
        return fail(Code::UserNamesNotSupported);
    }
    check_status(&app)?;
    let name = user_name_param(req.body("userName"))?;
    let Some(user) = find_user(core, &app.app_id, handle).await? else {
        return fail(Code::InvalidData);
    };
    if name.is_empty() || user.user_name.is_some() {
        return fail(Code::InvalidData);
    }
    let (id, now) = (user.id, core.clock.now_ms());
    match core
        .store
        .run(move |c| store::set_user_name(c, id, &name, now))
        .await?
    {
        SetUserName::Done => Reply::ok_true(),
        SetUserName::AlreadyHasOne => fail(Code::InvalidData),
        SetUserName::Taken => fail(Code::UserNameInUse),
    }
}

/// `POST setLocale` (3.6 #18): exact match against the app's locales (`EN` always allowed).
pub(crate) async fn set_locale(core: &Core, req: &ApiRequest) -> RouteResult {
    let (Some(handle), Param::Text(locale)) = (req.auth.handle.as_deref(), req.body("locale"))
    else {
        return fail(
            if req.body("locale").is_present() && req.auth.handle.is_some() {
                Code::InvalidData
            } else {
                Code::MissingParam
            },
        );
    };
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    if locale != "EN" && !app.settings.locales.iter().any(|l| l == locale) {
        return fail(Code::InvalidData);
    }
    let Some(user) = find_user(core, &app.app_id, handle).await? else {
        return fail(Code::InvalidData);
    };
    let (id, locale, now) = (user.id, locale.to_owned(), core.clock.now_ms());
    core.store
        .run(move |c| store::set_locale(c, id, &locale, now))
        .await?;
    Reply::ok_true()
}

/// `POST setUserMetadata` (3.6 #19): keeps only editable fields, preserves invite metadata.
pub(crate) async fn set_user_metadata(core: &Core, req: &ApiRequest) -> RouteResult {
    let Some(handle) = req.auth.handle.as_deref() else {
        return fail(Code::MissingParam);
    };
    let Ok(Some(given)) = parse_metadata(req.body("metaData")) else {
        return fail(Code::InvalidData);
    };
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    if app.settings.meta_data.is_empty() {
        return fail(Code::InvalidData);
    }
    let Some(user) = find_user(core, &app.app_id, handle).await? else {
        return fail(Code::InvalidData);
    };
    let mut metadata = Json::object();
    for field in &app.settings.meta_data {
        let Some(value) = given.get_path(&field.path).filter(|v| v.is_truthy()) else {
            continue;
        };
        if !field.can_edit {
            return fail(Code::InvalidMetadata);
        }
        let Json::String(text) = value else {
            return hang(
                "a non-string metadata value made the server's trim() throw",
                Code::InvalidMetadata,
            );
        };
        metadata.set_path(&field.path, text.trim().into());
    }
    for field in &app.settings.meta_data_invite {
        if let Some(value) = user
            .metadata
            .get_path(&field.path)
            .filter(|v| v.is_truthy())
        {
            metadata.set_path(&field.path, value.clone());
        }
    }
    // Checked on what would be stored (after trimming), so `""` and `"  "` are missing too: a
    // user whose required field is empty could never log in again.
    if required_missing(&app.settings.meta_data, &metadata) {
        return fail(Code::InvalidMetadata);
    }
    let (id, now) = (user.id, core.clock.now_ms());
    core.store
        .run(move |c| store::set_metadata(c, id, &metadata, now))
        .await?;
    Reply::ok_true()
}
