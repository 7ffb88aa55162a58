//! `GET /api/appuser/getApplication`.

use super::load_app;
use crate::clock::iso8601;
use crate::json::Json;
use crate::reply::{Code, Reply, RouteResult, fail};
use crate::request::ApiRequest;
use crate::settings::MetaDataField;
use crate::store::AppRecord;

/// The app record minus secrets (3.7); no status check, so clients can see `migrated`.
pub(crate) async fn get_application(core: &crate::core::Core, req: &ApiRequest) -> RouteResult {
    if req.auth.app_id.is_none() {
        return fail(Code::InvalidData);
    }
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    Ok(Reply::Json(app_object(&app).to_json_string()))
}

fn fields(fields: &[MetaDataField]) -> Json {
    serde_json::to_string(fields)
        .ok()
        .and_then(|text| Json::parse(&text).ok())
        .unwrap_or(Json::Array(Vec::new()))
}

/// The public app object with the real schema's field names, order and defaults; unset optional
/// strings are absent.
pub(crate) fn app_object(app: &AppRecord) -> Json {
    let s = &app.settings;
    let number = |n: u32| Json::from(i64::from(n));
    let optional = |v: &Option<String>| v.clone().map(Json::from);
    let entries: Vec<(&str, Option<Json>)> = vec![
        ("name", Some(s.name.clone().into())),
        ("status", Some(s.status.as_str().into())),
        ("handle", Some("email".into())),
        ("jwtEnabled", Some(true.into())),
        (
            "anonymousLoginEnabled",
            Some(s.anonymous_login_enabled.into()),
        ),
        ("userNamesEnabled", Some(s.user_names_enabled.into())),
        ("appleLoginEnabled", Some(s.apple_login_enabled.into())),
        ("appleBundleId", optional(&s.apple_bundle_id)),
        ("googleLoginEnabled", Some(s.google_login_enabled.into())),
        ("googleClientId", optional(&s.google_client_id)),
        ("emailExtension", Some(false.into())),
        ("invitationEnabled", Some(s.invitation_enabled.into())),
        ("signupEnabled", Some(s.signup_enabled.into())),
        ("signupFlow", Some(s.signup_flow.as_str().into())),
        (
            "twoFactorVerification",
            Some(s.two_factor_verification.as_str().into()),
        ),
        ("googleAppName", optional(&s.google_app_name)),
        ("maxUsers", Some(Json::from(0_i64))),
        ("passwordFilter", Some(s.password_filter.into())),
        ("passwordMinLength", Some(number(s.password_min_length))),
        ("passwordMinUpper", Some(number(s.password_min_upper))),
        ("passwordMinLower", Some(number(s.password_min_lower))),
        ("passwordMinDigit", Some(number(s.password_min_digit))),
        ("passwordMinSpecial", Some(number(s.password_min_special))),
        ("userJWTExpiration", Some(number(s.user_jwt_expiration))),
        ("realmAppId", optional(&s.realm_app_id)),
        (
            "appData",
            Some(Json::Object(vec![(
                "CosyncJWTVersion".into(),
                "1.0.1".into(),
            )])),
        ),
        ("metaData", Some(fields(&s.meta_data))),
        ("metaDataInvite", Some(fields(&s.meta_data_invite))),
        ("metaDataEmail", Some(s.meta_data_email.into())),
        (
            "locales",
            Some(Json::Array(
                s.locales.iter().map(|l| Json::from(l.as_str())).collect(),
            )),
        ),
        ("createdAt", Some(iso8601(app.created_at).into())),
        ("updatedAt", Some(iso8601(app.updated_at).into())),
    ];
    Json::Object(
        entries
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
            .collect(),
    )
}
