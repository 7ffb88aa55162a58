//! `login`, `loginComplete`, `loginAnonymous`.

use super::{check_status, find_by_login, load_app, login_reply, normalized, numeric_code};
use crate::core::{Core, random_code};
use crate::json::Json;
use crate::outbox::NewMessage;
use crate::reply::{Code, Reply, RouteResult, fail, hang};
use crate::request::{ApiRequest, Param, Scope};
use crate::settings::{SignupFlow, TwoFactor};
use crate::store::{self, NewUser};
use crate::tokens;

/// `POST login` (3.6 #2).
pub(crate) async fn login(core: &Core, req: &ApiRequest) -> RouteResult {
    if req.auth.scope != Some(Scope::App) {
        return fail(Code::InvalidAppToken);
    }
    let password = req.body("password");
    if !req.body("handle").is_present() || !password.is_present() || req.auth.app_id.is_none() {
        return fail(Code::MissingParam);
    }
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    let handle = normalized(req.body("handle"))?;
    if !handle.contains('@') && !app.settings.user_names_enabled {
        return fail(Code::UserNamesNotSupported);
    }
    check_status(&app)?;
    let Some(user) = find_by_login(core, &app.app_id, &handle).await? else {
        if app.settings.signup_flow != SignupFlow::None {
            let (app_id, h) = (app.app_id.clone(), handle.clone());
            let pending = core
                .store
                .run(move |c| store::get_signup(c, &app_id, &h))
                .await?;
            if pending.is_some_and(|s| s.status == "pending") {
                return fail(Code::AccountNotVerified);
            }
        }
        return fail(Code::InvalidCredentials);
    };
    match user.status.as_str() {
        "active" => {}
        "pending" => return fail(Code::AccountNotVerified),
        _ => return fail(Code::UserSuspended),
    }
    let Param::Text(password) = password else {
        return fail(Code::InvalidCredentials);
    };
    if !core
        .check_password(password, user.password_hash.as_deref())
        .await
    {
        return fail(Code::InvalidCredentials);
    }
    let mode = app.settings.two_factor_verification;
    let two_factor = (mode != TwoFactor::None && user.two_factor_google)
        || (user.two_factor_phone && user.phone_verified);
    if two_factor {
        let login_token = || async {
            core.sign_with_server_key(tokens::login_token_claims(&user.handle, &app.app_id))
                .await
                .map_err(Reply::from)
        };
        if mode == TwoFactor::Phone && user.two_factor_phone {
            let code = random_code();
            let id = user.id;
            core.store
                .run(move |c| store::set_two_factor_code(c, id, code))
                .await?;
            let phone = user.phone.clone().unwrap_or_default();
            core.send(NewMessage::sms(
                "twoFactorCode",
                &app.app_id,
                &phone,
                format!("Your {} verification code is: {code}", app.settings.name),
                code,
            ))
            .await?;
            return Reply::json(&serde_json::json!({ "login-token": login_token().await? }));
        }
        if mode == TwoFactor::Google && user.two_factor_google {
            return Reply::json(&serde_json::json!({ "login-token": login_token().await? }));
        }
    }
    login_reply(core, &app, &user).await
}

/// `POST loginComplete` (3.6 #3): the handle and app come from the login token.
pub(crate) async fn login_complete(core: &Core, req: &ApiRequest) -> RouteResult {
    let login_token = req.body("loginToken");
    if !req.body("code").is_present() || !login_token.is_present() || req.auth.app_id.is_none() {
        return fail(Code::MissingParam);
    }
    numeric_code(req, "code")?;
    let claims = match login_token {
        Param::Text(t) => core.verify_server_token(t).ok(),
        _ => None,
    };
    let Some(claims) = claims else {
        return hang(
            "the login token does not verify (the server's jwt.verify throws)",
            Code::InvalidCredentials,
        );
    };
    let text = |name| {
        claims
            .get(name)
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (app_id, handle) = (text("appId"), text("handle"));
    let Some(user) = super::find_user(core, &app_id, &handle).await? else {
        return fail(Code::InvalidCredentials);
    };
    let app = load_app(core, Some(&app_id)).await?;
    check_status(&app)?;
    let code = req.body_value("code");
    match app.settings.two_factor_verification {
        TwoFactor::Google => {
            let secret = user.google_secret.clone().unwrap_or_default();
            let entered = match code {
                Json::String(s) => s.clone(),
                other => other.to_json_string(),
            };
            if !crate::totp::verify(&secret, &entered, core.clock.now_secs()) {
                return fail(Code::InvalidCredentials);
            }
        }
        TwoFactor::Phone => {
            if !user
                .two_factor_code
                .is_some_and(|stored| crate::js::loose_equals_number(stored, code))
            {
                return fail(Code::InvalidCredentials);
            }
        }
        TwoFactor::None => {}
    }
    login_reply(core, &app, &user).await
}

/// `POST loginAnonymous` (3.6 #4): creates the user on first use.
pub(crate) async fn login_anonymous(core: &Core, req: &ApiRequest) -> RouteResult {
    if req.auth.scope != Some(Scope::App) {
        return fail(Code::InvalidAppToken);
    }
    let handle = match req.body("handle") {
        Param::Text(h) if h.contains("ANON_") => h.to_owned(),
        _ => return fail(Code::InvalidCredentials),
    };
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    if !app.settings.anonymous_login_enabled {
        return fail(Code::AnonymousNotSupported);
    }
    check_status(&app)?;
    let new = NewUser {
        app_id: app.app_id.clone(),
        handle: handle.clone(),
        password_hash: None,
        locale: "EN".to_owned(),
        metadata: Json::object(),
        login_provider: String::new(),
        provider_sub: None,
    };
    let now = core.clock.now_ms();
    let user = core
        .store
        .tx(
            move |tx| match store::get_user(tx, &new.app_id, &new.handle)? {
                Some(user) => Ok(Some(user)),
                None => store::insert_user(tx, &new, now),
            },
        )
        .await?;
    let Some(user) = user else {
        return Err(Reply::Internal("anonymous user vanished".to_owned()));
    };
    login_reply(core, &app, &user).await
}
