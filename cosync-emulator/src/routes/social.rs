//! `socialLogin` and `socialSignup` (see `crate::social` for how tokens are trusted offline).

use super::{
    FieldError, collect_fields, find_user, load_app, locale_param, login_reply, normalized,
    parse_metadata,
};
use crate::core::Core;
use crate::outbox::NewMessage;
use crate::reply::{Code, Reply, RouteResult, fail, hang};
use crate::request::{ApiRequest, Param, Scope};
use crate::social::{SocialIdentity, SocialProvider, identity};
use crate::store::{self, AppRecord, NewUser, UserRecord};
use crate::tokens;

/// The provider parameter (602 if not `apple`/`google`).
fn provider(req: &ApiRequest) -> Result<SocialProvider, Reply> {
    match req.body("provider") {
        Param::Text(p) => SocialProvider::parse(p).map_or_else(|| fail(Code::InvalidData), Ok),
        _ => fail(Code::InvalidData),
    }
}

/// 415 / 416 unless the provider is enabled with at least one audience; returns the audiences.
pub(crate) fn enabled_audiences(
    app: &AppRecord,
    provider: SocialProvider,
) -> Result<String, Reply> {
    let s = &app.settings;
    match provider {
        SocialProvider::Apple => match (&s.apple_bundle_id, s.apple_login_enabled) {
            (Some(ids), true) if !ids.trim().is_empty() => Ok(ids.clone()),
            _ => fail(Code::AppleNotSupported),
        },
        SocialProvider::Google => match (&s.google_client_id, s.google_login_enabled) {
            (Some(ids), true) if !ids.trim().is_empty() => Ok(ids.clone()),
            _ => fail(Code::GoogleNotSupported),
        },
    }
}

/// Verifies a provider token (signature with the emulator's social key, issuer, audience, expiry).
pub(crate) async fn verify_token(
    core: &Core,
    provider: SocialProvider,
    token: Param<'_>,
    audiences: &str,
) -> Result<Option<SocialIdentity>, Reply> {
    let Param::Text(token) = token else {
        return Ok(None);
    };
    let key = core.social_key().await?;
    let Ok(claims) = tokens::verify(&key.to_public_key(), token, core.clock.now_secs()) else {
        return Ok(None);
    };
    Ok(identity(provider, &claims, audiences))
}

/// 610 / 611 / 612 by the provider the existing account was made with.
fn registered_elsewhere<T>(user: &UserRecord) -> Result<T, Reply> {
    match user.login_provider.as_str() {
        "apple" => fail(Code::AppleAccountExists),
        "google" => fail(Code::GoogleAccountExists),
        _ => fail(Code::EmailAccountExists),
    }
}

/// `POST socialLogin` (3.6 #8): no status check, no two-factor.
pub(crate) async fn social_login(core: &Core, req: &ApiRequest) -> RouteResult {
    if !req.body("token").is_present()
        || !req.body("provider").is_present()
        || req.auth.app_id.is_none()
    {
        return fail(Code::MissingParam);
    }
    let provider = provider(req)?;
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    let audiences = enabled_audiences(&app, provider)?;
    let Some(identity) = verify_token(core, provider, req.body("token"), &audiences).await? else {
        return fail(Code::InvalidToken);
    };
    let app_id = app.app_id.clone();
    let (email, sub, provider_name) = (
        identity.email.clone(),
        identity.sub.clone(),
        provider.as_str(),
    );
    let user = core
        .store
        .run(move |c| {
            if let Some(email) = &email
                && let Some(user) = store::get_user(c, &app_id, email)?
            {
                return Ok(Some(user));
            }
            store::find_by_provider_sub(c, &app_id, provider_name, &sub)
        })
        .await?;
    let Some(user) = user else {
        return fail(Code::AccountNotExist);
    };
    if user.login_provider != provider.as_str() {
        return registered_elsewhere(&user);
    }
    login_reply(core, &app, &user).await
}

/// `POST socialSignup` (3.6 #9).
pub(crate) async fn social_signup(core: &Core, req: &ApiRequest) -> RouteResult {
    if req.auth.scope != Some(Scope::App) {
        return fail(Code::InvalidAppToken);
    }
    if !req.body("token").is_present()
        || !req.body("provider").is_present()
        || !req.body("handle").is_present()
    {
        return fail(Code::MissingParam);
    }
    let provider = provider(req)?;
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    let audiences = enabled_audiences(&app, provider)?;
    let handle = normalized(req.body("handle"))?;
    if let Some(existing) = find_user(core, &app.app_id, &handle).await? {
        return registered_elsewhere(&existing);
    }
    let locale = locale_param(&app, req.body("locale"), true)?;
    let Ok(metadata) = parse_metadata(req.body("metaData")) else {
        return fail(Code::InvalidData);
    };
    let identity = verify_token(core, provider, req.body("token"), &audiences).await?;
    let Some(identity) = identity.filter(|i| i.email.as_deref() == Some(handle.as_str())) else {
        return fail(Code::InvalidToken);
    };
    let metadata = match collect_fields(&app.settings.meta_data, metadata.as_ref()) {
        Ok(m) => m,
        Err(FieldError::RequiredMissing) => {
            return hang(
                "a required metadata field is missing (the server's validation never resolves)",
                Code::InvalidMetadata,
            );
        }
        Err(FieldError::NotText) => return fail(Code::InvalidMetadata),
    };
    let new = NewUser {
        app_id: app.app_id.clone(),
        handle: handle.clone(),
        password_hash: None,
        locale,
        metadata,
        login_provider: provider.as_str().to_owned(),
        provider_sub: Some(identity.sub),
    };
    let now = core.clock.now_ms();
    let created = core
        .store
        .tx(move |tx| store::insert_user(tx, &new, now))
        .await?;
    let Some(user) = created else {
        // Another request registered the handle in between.
        return fail(Code::EmailAccountExists);
    };
    let name = &app.settings.name;
    core.send(NewMessage::email(
        "welcome",
        &app.app_id,
        &handle,
        format!("Welcome to {name}"),
        format!("Welcome to {name}! Your account {handle} is ready.\nSincerely,\n{name}"),
    ))
    .await?;
    login_reply(core, &app, &user).await
}
