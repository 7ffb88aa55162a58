//! `deleteAccount`.

use super::social::{enabled_audiences, verify_token};
use super::{find_by_login, find_user, load_app};
use crate::core::Core;
use crate::reply::{Code, Reply, RouteResult, fail};
use crate::request::{ApiRequest, Param};
use crate::social::SocialProvider;
use crate::store;

/// `POST deleteAccount` (3.6 #24): with `handle` + `password`, or with a social `token`. No app
/// status check. Unlike HEAD (whose Google branch always answers 613 because of a callback bug),
/// Google accounts can be deleted with a valid token.
pub(crate) async fn delete_account(core: &Core, req: &ApiRequest) -> RouteResult {
    let Some(me) = req.auth.handle.clone() else {
        return fail(Code::MissingParam);
    };
    let (token, handle, password) = (req.body("token"), req.body("handle"), req.body("password"));
    if !token.is_present() && !handle.is_present() && !password.is_present() {
        return fail(Code::MissingParam);
    }
    if token.is_present() {
        let app = load_app(core, req.auth.app_id.as_deref()).await?;
        let Some(user) = find_user(core, &app.app_id, &me).await? else {
            return fail(Code::InvalidData);
        };
        let Some(provider) = SocialProvider::parse(&user.login_provider) else {
            return fail(Code::InvalidData);
        };
        let Ok(audiences) = enabled_audiences(&app, provider) else {
            return fail(Code::InvalidToken);
        };
        let identity = verify_token(core, provider, token, &audiences).await?;
        let matches = identity.is_some_and(|i| {
            i.email.as_deref() == Some(user.handle.as_str())
                || user.provider_sub.as_deref() == Some(i.sub.as_str())
        });
        if !matches {
            return fail(Code::InvalidToken);
        }
        return delete(core, user).await;
    }
    let (Param::Text(handle), Param::Text(password)) = (handle, password) else {
        return fail(Code::InvalidData);
    };
    let handle = handle.trim().to_lowercase();
    if handle.contains('@') && handle != me {
        return fail(Code::InvalidCredentials);
    }
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    if !handle.contains('@') && !app.settings.user_names_enabled {
        return fail(Code::UserNamesNotSupported);
    }
    let Some(user) = find_by_login(core, &app.app_id, &handle).await? else {
        return fail(Code::InvalidCredentials);
    };
    if user.handle != me
        || !core
            .check_password(password, user.password_hash.as_deref())
            .await
    {
        return fail(Code::InvalidCredentials);
    }
    delete(core, user).await
}

async fn delete(core: &Core, user: store::UserRecord) -> RouteResult {
    tracing::info!(app_id = %user.app_id, handle = %user.handle, "account deleted");
    core.store
        .tx(move |tx| store::delete_user(tx, &user))
        .await?;
    Reply::ok_true()
}
