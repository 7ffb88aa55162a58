//! Phones and two-factor switches: `setPhone`, `verifyPhone`, `setTwoFactorPhoneVerification`,
//! `setTwoFactorGoogleVerification`.

use super::{check_status, find_user, load_app, numeric_code};
use crate::core::{Core, random_code};
use crate::json::Json;
use crate::outbox::NewMessage;
use crate::reply::{Code, Reply, RouteResult, fail};
use crate::request::{ApiRequest, Param};
use crate::settings::TwoFactor;
use crate::store;

/// `POST setPhone` (3.6 #20): stores an unverified phone and texts it a code.
pub(crate) async fn set_phone(core: &Core, req: &ApiRequest) -> RouteResult {
    let (Some(app_id), Some(handle)) = (req.auth.app_id.as_deref(), req.auth.handle.as_deref())
    else {
        return fail(Code::InvalidData);
    };
    let phone = match req.body("phone") {
        Param::Text(p) => p.trim().to_owned(),
        Param::Other(v) => v.to_json_string(),
        Param::Missing => return fail(Code::MissingParam),
    };
    let app = load_app(core, Some(app_id)).await?;
    check_status(&app)?;
    if app.settings.two_factor_verification != TwoFactor::Phone {
        return fail(Code::PhoneTwoFactorNotSupported);
    }
    let Some(user) = find_user(core, &app.app_id, handle).await? else {
        return fail(Code::InvalidData);
    };
    let code = random_code();
    let (app_id, id, p, now) = (
        app.app_id.clone(),
        user.id,
        phone.clone(),
        core.clock.now_ms(),
    );
    let in_use = core
        .store
        .tx(move |tx| {
            if store::phone_verified_elsewhere(tx, &app_id, &p, id)? {
                return Ok(true);
            }
            store::set_phone(tx, id, &p, code, now)?;
            Ok(false)
        })
        .await?;
    if in_use {
        return fail(Code::PhoneInUse);
    }
    core.send(NewMessage::sms(
        "verifyPhone",
        &app.app_id,
        &phone,
        format!(
            "Your {} phone verification code is: {code}",
            app.settings.name
        ),
        code,
    ))
    .await?;
    Reply::ok_true()
}

/// `POST verifyPhone` (3.6 #21).
pub(crate) async fn verify_phone(core: &Core, req: &ApiRequest) -> RouteResult {
    if req.auth.app_id.is_none() && req.auth.handle.is_none() {
        return fail(Code::InvalidData);
    }
    if !req.body("code").is_present() {
        return fail(Code::MissingParam);
    }
    numeric_code(req, "code")?;
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    let handle = req.auth.handle.clone().unwrap_or_default();
    let Some(user) = find_user(core, &app.app_id, &handle).await? else {
        return fail(Code::InvalidData);
    };
    let entered = crate::js::parse_int(req.body_value("code"));
    if user.phone_code.is_none() || user.phone_code != entered {
        return fail(Code::InvalidData);
    }
    let (app_id, id, phone, now) = (
        app.app_id.clone(),
        user.id,
        user.phone.clone().unwrap_or_default(),
        core.clock.now_ms(),
    );
    let in_use = core
        .store
        .tx(move |tx| {
            // Someone else may have verified the same number since the code was sent.
            if store::phone_verified_elsewhere(tx, &app_id, &phone, id)? {
                return Ok(true);
            }
            store::mark_phone_verified(tx, id, now)?;
            Ok(false)
        })
        .await?;
    if in_use {
        return fail(Code::InvalidData);
    }
    Reply::ok_true()
}

/// `POST setTwoFactorPhoneVerification` / `setTwoFactorGoogleVerification` (3.6 #22, #23): both
/// act on the app's mode; they differ only in the code for an app without two-factor.
pub(crate) async fn set_two_factor(
    core: &Core,
    req: &ApiRequest,
    google_route: bool,
) -> RouteResult {
    if req.auth.app_id.is_none() && req.auth.handle.is_none() {
        return fail(Code::InvalidData);
    }
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    let mode = app.settings.two_factor_verification;
    if mode == TwoFactor::None {
        return fail(if google_route {
            Code::GoogleTwoFactorNotSupported
        } else {
            Code::PhoneTwoFactorNotSupported
        });
    }
    let handle = req.auth.handle.clone().unwrap_or_default();
    let Some(user) = find_user(core, &app.app_id, &handle).await? else {
        return fail(Code::InvalidData);
    };
    let enable = crate::js::loose_true(req.body_value("twoFactor"));
    let (id, now) = (user.id, core.clock.now_ms());
    match (enable, mode) {
        (true, TwoFactor::Google) => {
            let secret = crate::totp::generate_secret();
            let issuer = app
                .settings
                .google_app_name
                .clone()
                .unwrap_or_else(|| app.settings.name.clone());
            let uri = crate::totp::otpauth_uri(&secret, &user.handle, &issuer);
            let image = crate::qr::data_url(&uri).map_err(|e| Reply::Internal(e.to_string()))?;
            let stored = secret.clone();
            core.store
                .run(move |c| store::set_two_factor_google(c, id, Some(&stored), now))
                .await?;
            let name = &app.settings.name;
            core.send(
                NewMessage::email(
                    "qrCode",
                    &app.app_id,
                    &user.handle,
                    format!("{name}: your authenticator key"),
                    format!("Scan the attached QR code or enter this key in your authenticator app: {secret}\nSincerely,\n{name}"),
                )
                .with_attachment("QRCode.png"),
            )
            .await?;
            let body = Json::Object(vec![
                ("googleSecretKey".into(), secret.into()),
                ("QRDataImage".into(), image.into()),
            ]);
            Ok(Reply::Json(body.to_json_string()))
        }
        (true, _) => {
            if !user.phone_verified {
                return fail(Code::PhoneNotVerified);
            }
            core.store
                .run(move |c| store::set_two_factor_phone(c, id, true, now))
                .await?;
            Reply::ok_true()
        }
        (false, TwoFactor::Google) => {
            core.store
                .run(move |c| store::set_two_factor_google(c, id, None, now))
                .await?;
            Reply::ok_true()
        }
        (false, _) => {
            core.store
                .run(move |c| store::set_two_factor_phone(c, id, false, now))
                .await?;
            Reply::ok_true()
        }
    }
}
