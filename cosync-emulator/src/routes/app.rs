//! `GET /api/appuser/getApplication`.

use serde_json::{Value, json};

use super::load_app;
use crate::clock::iso8601;
use crate::reply::{Code, Reply, RouteResult, fail};
use crate::request::ApiRequest;
use crate::store::AppRecord;

/// The app record minus secrets (3.7); no status check, so clients can see `migrated`.
pub(crate) async fn get_application(core: &crate::core::Core, req: &ApiRequest) -> RouteResult {
    if req.auth.app_id.is_none() {
        return fail(Code::InvalidData);
    }
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    Reply::json(&app_object(&app))
}

/// The public app object with the real schema's field names and defaults.
pub(crate) fn app_object(app: &AppRecord) -> Value {
    let s = &app.settings;
    let mut object = json!({
        "name": s.name,
        "status": s.status.as_str(),
        "handle": "email",
        "jwtEnabled": true,
        "anonymousLoginEnabled": s.anonymous_login_enabled,
        "userNamesEnabled": s.user_names_enabled,
        "appleLoginEnabled": s.apple_login_enabled,
        "googleLoginEnabled": s.google_login_enabled,
        "emailExtension": false,
        "invitationEnabled": s.invitation_enabled,
        "signupEnabled": s.signup_enabled,
        "signupFlow": s.signup_flow.as_str(),
        "twoFactorVerification": s.two_factor_verification.as_str(),
        "maxUsers": 0,
        "passwordFilter": s.password_filter,
        "passwordMinLength": s.password_min_length,
        "passwordMinUpper": s.password_min_upper,
        "passwordMinLower": s.password_min_lower,
        "passwordMinDigit": s.password_min_digit,
        "passwordMinSpecial": s.password_min_special,
        "userJWTExpiration": s.user_jwt_expiration,
        "appData": { "CosyncJWTVersion": "1.0.1" },
        "metaData": s.meta_data,
        "metaDataInvite": s.meta_data_invite,
        "metaDataEmail": s.meta_data_email,
        "locales": s.locales,
        "createdAt": iso8601(app.created_at),
        "updatedAt": iso8601(app.updated_at),
    });
    for (key, value) in [
        ("appleBundleId", &s.apple_bundle_id),
        ("googleClientId", &s.google_client_id),
        ("googleAppName", &s.google_app_name),
        ("realmAppId", &s.realm_app_id),
    ] {
        if let (Some(value), Some(map)) = (value, object.as_object_mut()) {
            map.insert(key.to_owned(), Value::String(value.clone()));
        }
    }
    object
}
