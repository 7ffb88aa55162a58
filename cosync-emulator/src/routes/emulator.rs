//! Emulator-only routes under `/_emulator/` (no CoSync server has them): inspect the outbox,
//! create and reconfigure apps, mint social-provider tokens, move the clock. They take no CoSync
//! token and answer JSON (errors as `{"error": "…"}`).

// Early returns carry the finished error response; it is built once per request, so boxing it
// would only add an allocation.
#![allow(clippy::result_large_err)]

use axum::body::{Body, to_bytes};
use axum::http::request::Parts;
use axum::http::{Method, Response, StatusCode};
use serde::Deserialize;
use serde_json::json;

use super::profile::user_object;
use crate::apps::NewApp;
use crate::core::Core;
use crate::error::Error;
use crate::reply::respond;
use crate::request::parse_form;
use crate::settings::AppSettingsPatch;
use crate::social::SocialToken;
use crate::store;

const TEXT_TYPE: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";

/// One-line descriptions served at `GET /_emulator/`.
pub(crate) const ROUTES: &[&str] = &[
    "GET    /_emulator/                          this list, the server public key and the base URL",
    "GET    /_emulator/server-key                the server public key (verifies app tokens), PEM",
    "GET    /_emulator/outbox[?to=&appId=&template=&kind=]  e-mails and SMS sent so far",
    "DELETE /_emulator/outbox                    empty the outbox",
    "GET    /_emulator/apps                      all apps",
    "POST   /_emulator/apps                      create an app: {\"name\", \"settings\", \"appId\", \"privateKeyPem\", \"tokenIat\"}",
    "GET    /_emulator/apps/{appId}              app token, keys and cosync.toml of an app",
    "GET    /_emulator/apps/{appId}/cosync.toml  the app's cosync.toml",
    "PATCH  /_emulator/apps/{appId}/settings     change settings (POST works too), e.g. {\"signupFlow\":\"none\"}",
    "DELETE /_emulator/apps/{appId}              delete an app and its users",
    "GET    /_emulator/apps/{appId}/users        the app's users",
    "POST   /_emulator/apps/{appId}/users/{handle}/status  {\"status\":\"suspend\"} or {\"status\":\"active\"}",
    "GET    /_emulator/social/public-key         the key that signs emulated Apple/Google ID tokens, PEM",
    "POST   /_emulator/social/token              mint one: {\"provider\",\"audience\",\"email\",\"sub\",\"expiresIn\"}",
    "POST   /_emulator/clock/advance             move the clock forward: {\"seconds\": N}",
];

const BODY_LIMIT: usize = 1024 * 1024;

fn json_response(status: StatusCode, value: &impl serde::Serialize) -> Response<Body> {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    respond(status, JSON, body)
}

fn problem(status: StatusCode, message: impl std::fmt::Display) -> Response<Body> {
    json_response(status, &json!({ "error": message.to_string() }))
}

fn error_status(e: &Error) -> StatusCode {
    match e {
        Error::NoSuchApp(_) | Error::NoSuchUser { .. } => StatusCode::NOT_FOUND,
        Error::InvalidAppId(_) | Error::InvalidSettings(_) | Error::Key(_) => {
            StatusCode::BAD_REQUEST
        }
        Error::AppExists(_) => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn from_error(e: Error) -> Response<Body> {
    problem(error_status(&e), e)
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, Response<Body>> {
    let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        bytes
    };
    serde_json::from_slice(bytes)
        .map_err(|e| problem(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))
}

/// An app as `POST /_emulator/apps` accepts it: `name` may be given at the top level.
#[derive(Deserialize)]
struct CreateApp {
    name: Option<String>,
    #[serde(flatten)]
    new: NewApp,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusBody {
    status: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceBody {
    seconds: u64,
}

pub(crate) async fn handle(core: &Core, parts: &Parts, body: Body) -> Response<Body> {
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        return problem(StatusCode::PAYLOAD_TOO_LARGE, "body too large");
    };
    let path = parts
        .uri
        .path()
        .trim_start_matches("/_emulator")
        .trim_matches('/')
        .to_owned();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let query = parts.uri.query().map(|q| parse_form(q.as_bytes()));
    match route(core, &parts.method, &segments, query, &bytes).await {
        Ok(response) | Err(response) => response,
    }
}

async fn route(
    core: &Core,
    method: &Method,
    segments: &[&str],
    query: Option<crate::json::Json>,
    body: &[u8],
) -> Result<Response<Body>, Response<Body>> {
    let m = method.as_str();
    Ok(match (m, segments) {
        ("GET", []) => json_response(
            StatusCode::OK,
            &json!({
                "name": "cosync-emulator",
                "version": env!("CARGO_PKG_VERSION"),
                "restAddress": core.base_url(),
                "serverPublicKey": core.server_public_pem,
                "routes": ROUTES,
            }),
        ),
        ("GET", ["server-key"]) => {
            respond(StatusCode::OK, TEXT_TYPE, core.server_public_pem.clone())
        }
        ("GET", ["outbox"]) => {
            let mut messages = core
                .store
                .run(|c| store::list_messages(c))
                .await
                .map_err(|e| from_error(e.into()))?;
            if let Some(q) = query {
                let wanted = |name: &str| {
                    q.get(name)
                        .and_then(crate::json::Json::as_str)
                        .map(str::to_owned)
                };
                let (to, app_id, template, kind) = (
                    wanted("to"),
                    wanted("appId"),
                    wanted("template"),
                    wanted("kind"),
                );
                messages.retain(|m| {
                    to.as_ref().is_none_or(|t| m.to.eq_ignore_ascii_case(t))
                        && app_id.as_ref().is_none_or(|a| &m.app_id == a)
                        && template.as_ref().is_none_or(|t| &m.template == t)
                        && kind.as_ref().is_none_or(|k| m.kind.as_str() == k)
                });
            }
            json_response(StatusCode::OK, &messages)
        }
        ("DELETE", ["outbox"]) => {
            let deleted = core
                .store
                .run(|c| store::clear_outbox(c))
                .await
                .map_err(|e| from_error(e.into()))?;
            json_response(StatusCode::OK, &json!({ "deleted": deleted }))
        }
        ("GET", ["apps"]) => json_response(StatusCode::OK, &core.apps().await.map_err(from_error)?),
        ("POST", ["apps"]) => {
            let CreateApp { name, mut new } = parse(body)?;
            if let Some(name) = name {
                new.settings.name = name;
            }
            let created = core
                .create_app(new, &core.base_url())
                .await
                .map_err(from_error)?;
            json_response(StatusCode::CREATED, &created)
        }
        ("GET", ["apps", id]) => {
            let app = existing_app(core, id).await?;
            json_response(StatusCode::OK, &core.created_app(&app, &core.base_url()))
        }
        ("GET", ["apps", id, "cosync.toml"]) => {
            let app = existing_app(core, id).await?;
            respond(
                StatusCode::OK,
                TEXT_TYPE,
                core.created_app(&app, &core.base_url()).cosync_toml,
            )
        }
        ("PATCH" | "POST" | "PUT", ["apps", id, "settings"]) => {
            let patch: AppSettingsPatch = parse(body)?;
            json_response(
                StatusCode::OK,
                &core.update_settings(id, patch).await.map_err(from_error)?,
            )
        }
        ("DELETE", ["apps", id]) => {
            if !core.delete_app(id).await.map_err(from_error)? {
                return Err(from_error(Error::NoSuchApp((*id).to_owned())));
            }
            json_response(StatusCode::OK, &json!({ "deleted": true }))
        }
        ("GET", ["apps", id, "users"]) => {
            let app = existing_app(core, id).await?;
            let users = core
                .store
                .run(move |c| store::list_users(c, &app.app_id))
                .await
                .map_err(|e| from_error(e.into()))?;
            let users: Vec<_> = users.iter().map(user_object).collect();
            json_response(StatusCode::OK, &users)
        }
        ("POST" | "PUT", ["apps", id, "users", handle, "status"]) => {
            let StatusBody { status } = parse(body)?;
            let user = core
                .set_user_status(id, handle, &status)
                .await
                .map_err(from_error)?;
            respond(StatusCode::OK, JSON, user_object(&user).to_json_string())
        }
        ("GET", ["social", "public-key"]) => {
            let key = core.social_key().await.map_err(from_error)?;
            let pem = crate::keys::public_pem(&key).map_err(|e| from_error(e.into()))?;
            respond(StatusCode::OK, TEXT_TYPE, pem)
        }
        ("POST", ["social", "token"]) => {
            let request: SocialToken = parse(body)?;
            let token = core.social_token(&request).await.map_err(from_error)?;
            json_response(StatusCode::OK, &json!({ "token": token }))
        }
        ("POST", ["clock", "advance"]) => {
            let AdvanceBody { seconds } = parse(body)?;
            core.clock.advance(seconds);
            json_response(StatusCode::OK, &json!({ "now": core.clock.now_secs() }))
        }
        _ => problem(
            StatusCode::NOT_FOUND,
            format!(
                "no emulator route {m} /_emulator/{}; see GET /_emulator/",
                segments.join("/")
            ),
        ),
    })
}

async fn existing_app(core: &Core, id: &str) -> Result<store::AppRecord, Response<Body>> {
    match core.app(id).await {
        Ok(Some(app)) => Ok(app),
        Ok(None) => Err(from_error(Error::NoSuchApp(id.to_owned()))),
        Err(e) => Err(from_error(e.into())),
    }
}

fn percent_decode(segment: &str) -> String {
    let bytes: Vec<u8> =
        form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned().into_bytes())
            .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}
