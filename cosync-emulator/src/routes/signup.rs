//! `signup` and `completeSignup` (POST and the e-mailed GET link).

use axum::http::StatusCode;

use super::{
    FieldError, check_status, collect_fields, find_user, load_app, locale_param, md5_param,
    normalized, numeric_code, parse_metadata,
};
use crate::core::{Core, can_mint_user_jwt, random_code};
use crate::json::Json;
use crate::outbox::NewMessage;
use crate::reply::{Code, Reply, RouteResult, fail, hang};
use crate::request::{ApiRequest, AuthSource, Param, Scope, app_auth};
use crate::settings::SignupFlow;
use crate::store::{self, AppRecord, NewUser, SignupInput};

/// Sign-up codes expire 48 hours after the record was last touched.
const SIGNUP_TTL_MS: i64 = 48 * 3600 * 1000;

/// `POST signup` (3.6 #5).
pub(crate) async fn signup(core: &Core, req: &ApiRequest) -> RouteResult {
    if req.auth.scope != Some(Scope::App) {
        return fail(Code::InvalidAppToken);
    }
    if !req.body("handle").is_present() || !req.body("password").is_present() {
        return fail(Code::MissingParam);
    }
    let password = md5_param(req.body("password"))?;
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    if !app.settings.signup_enabled {
        return fail(Code::SignupNotSupported);
    }
    let handle = normalized(req.body("handle"))?;
    if find_user(core, &app.app_id, &handle).await?.is_some() {
        return fail(Code::HandleRegistered);
    }
    let locale = locale_param(&app, req.body("locale"), true)?;
    let Ok(metadata) = parse_metadata(req.body("metaData")) else {
        return fail(Code::InvalidMetadata);
    };
    let metadata = match collect_fields(&app.settings.meta_data, metadata.as_ref()) {
        Ok(m) => m,
        Err(FieldError::RequiredMissing | FieldError::NotText) => {
            return fail(Code::InvalidMetadata);
        }
    };
    let password_hash = core.hash_password(password).await?;
    let now = core.clock.now_ms();
    let flow = app.settings.signup_flow;
    let input_handle = handle.clone();
    let app_id = app.app_id.clone();
    let meta = metadata.clone();
    let locale_for_user = locale.clone();
    let created = core
        .store
        .tx(move |tx| {
            let input = SignupInput {
                app_id: &app_id,
                handle: &input_handle,
                password_hash: &password_hash,
                metadata: &meta,
                locale: &locale_for_user,
                status: if flow == SignupFlow::None {
                    "verified"
                } else {
                    "pending"
                },
                fresh_code: random_code(),
            };
            if store::get_user(tx, &app_id, &input_handle)?.is_some() {
                return Ok(None);
            }
            let code = store::upsert_signup(tx, &input, now)?;
            if flow != SignupFlow::None {
                return Ok(Some((code, None)));
            }
            let user = store::insert_user(
                tx,
                &NewUser {
                    app_id: app_id.clone(),
                    handle: input_handle.clone(),
                    password_hash: Some(password_hash.clone()),
                    locale: locale_for_user.clone(),
                    metadata: meta.clone(),
                    login_provider: String::new(),
                    provider_sub: None,
                },
                now,
            )?;
            Ok(user.map(|u| (code, Some(u))))
        })
        .await?;
    let Some((code, user)) = created else {
        return fail(Code::HandleRegistered);
    };
    match user {
        Some(user) => {
            let Some((jwt, access)) = core.issue_tokens(&app, &user).await? else {
                return fail(Code::InvalidMetadata);
            };
            Reply::tokens_with(&jwt, &access, vec![("code".to_owned(), Json::from(code))])
        }
        None => {
            send_signup_mail(core, &app, &handle, code).await?;
            Reply::ok_true()
        }
    }
}

async fn send_signup_mail(
    core: &Core,
    app: &AppRecord,
    handle: &str,
    code: i64,
) -> Result<(), Reply> {
    let name = &app.settings.name;
    let subject = format!("{name}: verify your sign-up");
    let message = if app.settings.signup_flow == SignupFlow::Link {
        let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let link = format!(
            "{}/api/appuser/completeSignup?appToken={}&handle={}&code={code}",
            core.base_url(),
            encode(&app.app_token),
            encode(handle)
        );
        let text = format!(
            "Thanks for signing up to {name} as {handle}! Open this link to verify your sign-up: {link}"
        );
        NewMessage::email("signUpLink", &app.app_id, handle, subject, text)
            .with_code(code)
            .with_link(link)
    } else {
        let text = format!(
            "Thanks for verifying your {handle} account! Your code is: {code}\nSincerely,\n{name}"
        );
        NewMessage::email("signUp", &app.app_id, handle, subject, text).with_code(code)
    };
    core.send(message).await?;
    Ok(())
}

/// `POST completeSignup` (3.6 #6).
pub(crate) async fn complete_signup_post(core: &Core, req: &ApiRequest) -> RouteResult {
    if !req.body("handle").is_present()
        || !req.body("code").is_present()
        || req.auth.app_id.is_none()
    {
        return fail(Code::MissingParam);
    }
    let code = numeric_code(req, "code")?;
    let handle = normalized(req.body("handle"))?;
    complete(core, req.auth.app_id.as_deref(), &handle, code, true).await
}

/// `GET completeSignup?appToken=&handle=&code=` (3.6 #7), the target of the e-mailed link.
pub(crate) async fn complete_signup_get(core: &Core, req: &ApiRequest) -> RouteResult {
    let app_token = req.query("appToken");
    if !req.query("handle").is_present()
        || !app_token.is_present()
        || !req.query("code").is_present()
    {
        return fail(Code::MissingParam);
    }
    let code_value = req.query.get("code").unwrap_or(&Json::Null);
    if crate::js::is_nan(code_value) {
        return fail(Code::InvalidData);
    }
    let code = crate::js::parse_int(code_value).unwrap_or(-1);
    // The middleware already verified the query token unless a header token took precedence;
    // then the route verifies the query token itself.
    let app_id = if req.auth.source == AuthSource::Query {
        req.auth.app_id.clone()
    } else {
        let token = match app_token {
            Param::Text(t) => Some(t),
            _ => None,
        };
        let Some(token) = token.filter(|t| core.verify_server_token(t).is_ok()) else {
            return hang(
                "the appToken query does not verify (the server's jwt.verify throws)",
                Code::InvalidAppToken,
            );
        };
        match app_auth(core, Some(token), AuthSource::Query) {
            Some(auth) => auth.app_id,
            None => {
                return Err(Reply::Error {
                    code: Code::InvalidAppToken,
                    status: StatusCode::FORBIDDEN,
                });
            }
        }
    };
    let handle = normalized(req.query("handle"))?;
    let reply = complete(core, app_id.as_deref(), &handle, code, false).await?;
    Ok(match reply {
        Reply::Html { body, .. } => Reply::Html {
            body,
            json_type: false,
        },
        other => other,
    })
}

async fn complete(
    core: &Core,
    app_id: Option<&str>,
    handle: &str,
    code: i64,
    post: bool,
) -> RouteResult {
    let app = load_app(core, app_id).await?;
    check_status(&app)?;
    if !app.settings.signup_enabled {
        return fail(Code::SignupNotSupported);
    }
    let now = core.clock.now_ms();
    let (app_id, h) = (app.app_id.clone(), handle.to_owned());
    let settings = app.settings.clone();
    let outcome = core
        .store
        .tx(move |tx| {
            let Some(signup) = store::find_signup(tx, &app_id, &h, code)? else {
                return Ok(Err(Code::InvalidData));
            };
            if now - signup.updated_at > SIGNUP_TTL_MS {
                return Ok(Err(Code::SignupCodeExpired));
            }
            if signup.status == "verified" {
                return Ok(Err(Code::HandleRegistered));
            }
            if signup.status != "pending" {
                return Ok(Err(Code::InvalidData));
            }
            // A required field added to the app since the sign-up: the JWT cannot be made (602,
            // "user creation/JWT failure"). Refused before anything is stored, so the sign-up
            // stays pending and completes once the metadata requirement is lifted.
            if !can_mint_user_jwt(&settings, &signup.handle, &signup.metadata) {
                return Ok(Err(Code::InvalidData));
            }
            store::mark_signup_verified(tx, signup.id, now)?;
            let user = store::insert_user(
                tx,
                &NewUser {
                    app_id: app_id.clone(),
                    handle: signup.handle.clone(),
                    password_hash: Some(signup.password_hash.clone()),
                    locale: signup.locale.clone(),
                    metadata: signup.metadata.clone(),
                    login_provider: String::new(),
                    provider_sub: None,
                },
                now,
            )?;
            Ok(user.map(|u| (u, signup.code)).ok_or(Code::HandleRegistered))
        })
        .await?;
    let (user, code) = outcome.or_else(fail)?;
    let Some((jwt, access)) = core.issue_tokens(&app, &user).await? else {
        return fail(Code::InvalidData);
    };
    if app.settings.signup_flow == SignupFlow::Link {
        return Ok(Reply::Html {
            body: click_through_page(&app.settings.name, &user.handle, code),
            json_type: post,
        });
    }
    Reply::tokens(&jwt, &access)
}

fn click_through_page(app_name: &str, handle: &str, code: i64) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{app}</title></head><body>\
         <h1>Thank you!</h1><p>Your sign-up to {app} as <b>{handle}</b> is verified (code {code}). \
         You can now log in from the app.</p></body></html>",
        app = escape(app_name),
        handle = escape(handle)
    )
}
