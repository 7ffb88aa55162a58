//! `forgotPassword`, `resetPassword`, `changePassword`.

use super::{
    check_status, find_by_login, find_user, load_app, md5_param, normalized, numeric_code,
};
use crate::core::{Core, random_code};
use crate::outbox::NewMessage;
use crate::reply::{Code, RouteResult, fail, hang};
use crate::request::{ApiRequest, Param, Scope};
use crate::store;

/// `POST forgotPassword` (3.6 #12): e-mails a 6-digit reset code.
pub(crate) async fn forgot_password(core: &Core, req: &ApiRequest) -> RouteResult {
    if !req.body("handle").is_present() {
        if req.auth.scope != Some(Scope::App) {
            return fail(Code::MissingParam);
        }
        return hang(
            "forgotPassword with an app token and no handle makes the server throw",
            Code::MissingParam,
        );
    }
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    let handle = normalized(req.body("handle"))?;
    if !handle.contains('@') && !app.settings.user_names_enabled {
        return fail(Code::UserNamesNotSupported);
    }
    let Some(user) = find_by_login(core, &app.app_id, &handle).await? else {
        return fail(Code::AccountNotExist);
    };
    let code = random_code();
    let (app_id, user_handle, now) = (app.app_id.clone(), user.handle.clone(), core.clock.now_ms());
    core.store
        .run(move |c| store::insert_reset(c, &app_id, &user_handle, code, now))
        .await?;
    let name = &app.settings.name;
    core.send(
        NewMessage::email(
            "resetPassword",
            &app.app_id,
            &user.handle,
            format!("{name}: reset your password"),
            format!(
                "Someone has requested password reset for {} account!\nHere is your reset key: {code}\nSincerely,\n{name}",
                user.handle
            ),
        )
        .with_code(code),
    )
    .await?;
    crate::reply::Reply::ok_true()
}

/// `POST resetPassword` (3.6 #13): single-use code; clears two-factor.
pub(crate) async fn reset_password(core: &Core, req: &ApiRequest) -> RouteResult {
    let complete = req.body("handle").is_present()
        && req.body("password").is_present()
        && req.body("code").is_present()
        && req.auth.app_id.is_some();
    if !complete {
        return fail(Code::MissingParam);
    }
    let password = md5_param(req.body("password"))?;
    let code = numeric_code(req, "code")?;
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    let handle = normalized(req.body("handle"))?;
    let hash = core.hash_password(password).await?;
    let (app_id, now) = (app.app_id.clone(), core.clock.now_ms());
    let done = core
        .store
        .tx(move |tx| {
            if !store::take_reset(tx, &app_id, &handle, code)? {
                return Ok(false);
            }
            let Some(user) = store::get_user(tx, &app_id, &handle)? else {
                return Ok(false);
            };
            store::set_password(tx, user.id, &hash, true, now)?;
            Ok(true)
        })
        .await?;
    if !done {
        return fail(Code::InvalidData);
    }
    crate::reply::Reply::ok_true()
}

/// `POST changePassword` (3.6 #14): every failure is 602.
pub(crate) async fn change_password(core: &Core, req: &ApiRequest) -> RouteResult {
    let (current, new) = (req.body("password"), req.body("newPassword"));
    let same = match (current, new) {
        (Param::Text(a), Param::Text(b)) => a == b,
        _ => false,
    };
    if !current.is_present() || !new.is_present() || req.auth.handle.is_none() || same {
        return fail(Code::InvalidData);
    }
    let new = md5_param(new)?;
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    let handle = req.auth.handle.clone().unwrap_or_default();
    let Some(user) = find_user(core, &app.app_id, &handle).await? else {
        return fail(Code::InvalidData);
    };
    let Param::Text(current) = current else {
        return fail(Code::InvalidData);
    };
    if !core
        .check_password(current, user.password_hash.as_deref())
        .await
    {
        return fail(Code::InvalidData);
    }
    let hash = core.hash_password(new).await?;
    let (id, now) = (user.id, core.clock.now_ms());
    core.store
        .run(move |c| store::set_password(c, id, &hash, false, now))
        .await?;
    crate::reply::Reply::ok_true()
}
