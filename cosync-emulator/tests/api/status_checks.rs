//! App-level checks shared by most routes: 401 for a deleted app, 402 for an inactive app, 413
//! for a migrated app — and the routes that skip the status check (COSYNC.md 8.10).

use cosync_emulator::{AppSettingsPatch, AppStatus, NewApp, SignupFlow, TwoFactor};

use crate::support::*;

/// (path, needs an access token, status-checked, parameters)
type Case<'a> = (&'static str, bool, bool, Vec<(&'static str, &'a str)>);

/// Each route with a request that passes its own parameter checks.
fn routes(pw: &str) -> Vec<Case<'_>> {
    vec![
        (
            "/api/appuser/login",
            false,
            true,
            vec![("handle", "ann@example.com"), ("password", pw)],
        ),
        (
            "/api/appuser/loginAnonymous",
            false,
            true,
            vec![("handle", "ANON_x")],
        ),
        (
            "/api/appuser/signup",
            false,
            true,
            vec![("handle", "new@example.com"), ("password", pw)],
        ),
        (
            "/api/appuser/completeSignup",
            false,
            true,
            vec![("handle", "new@example.com"), ("code", "123456")],
        ),
        (
            "/api/appuser/register",
            false,
            true,
            vec![
                ("handle", "new@example.com"),
                ("password", pw),
                ("code", "123456"),
            ],
        ),
        (
            "/api/appuser/forgotPassword",
            false,
            true,
            vec![("handle", "ann@example.com")],
        ),
        (
            "/api/appuser/resetPassword",
            false,
            true,
            vec![
                ("handle", "ann@example.com"),
                ("password", pw),
                ("code", "123456"),
            ],
        ),
        (
            "/api/appuser/invite",
            true,
            true,
            vec![("handle", "new@example.com"), ("senderUserId", "u")],
        ),
        (
            "/api/appuser/changePassword",
            true,
            true,
            vec![
                ("password", pw),
                ("newPassword", "0123456789abcdef0123456789abcdef"),
            ],
        ),
        (
            "/api/appuser/setUserName",
            true,
            true,
            vec![("userName", "ann")],
        ),
        ("/api/appuser/setLocale", true, true, vec![("locale", "EN")]),
        (
            "/api/appuser/setUserMetadata",
            true,
            true,
            vec![("metaData", "{}")],
        ),
        (
            "/api/appuser/setPhone",
            true,
            true,
            vec![("phone", "+1555")],
        ),
        (
            "/api/appuser/verifyPhone",
            true,
            true,
            vec![("code", "123456")],
        ),
        (
            "/api/appuser/setTwoFactorPhoneVerification",
            true,
            true,
            vec![("twoFactor", "true")],
        ),
        (
            "/api/appuser/setTwoFactorGoogleVerification",
            true,
            true,
            vec![("twoFactor", "true")],
        ),
        (
            "/api/appuser/deleteAccount",
            true,
            false,
            vec![("handle", "ann@example.com"), ("password", pw)],
        ),
    ]
}

#[tokio::test]
async fn every_route_checks_app_and_status() {
    let emu = emulator().await;
    let mut new = NewApp::named("status")
        .signup_flow(SignupFlow::None)
        .anonymous_login(true)
        .user_names(true);
    new.settings.two_factor_verification = TwoFactor::Phone;
    let app = app(&emu, new).await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let pw = md5("pw");

    for (status, code) in [(AppStatus::Inactive, 402), (AppStatus::Migrated, 413)] {
        emu.update_app(
            &app.app_id,
            AppSettingsPatch {
                status: Some(status),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for (path, user, checked, params) in routes(&pw) {
            let auth = if user {
                Auth::Access(&access)
            } else {
                Auth::App(&app.app_token)
            };
            let r = post(&emu, path, auth, &params).await;
            if checked {
                assert_eq!(r.json()["code"], code, "{path}: {}", r.text);
            } else {
                assert_ne!(
                    r.json()["code"],
                    code,
                    "{path} has no status check: {}",
                    r.text
                );
            }
        }
        let r = get(&emu, "/api/appuser/getUser", Auth::Access(&access)).await;
        r.assert_code(code);
        // getApplication, userNameAvailable and the social routes skip the status check.
        assert_eq!(
            get(
                &emu,
                "/api/appuser/getApplication",
                Auth::App(&app.app_token)
            )
            .await
            .status,
            200
        );
        assert_eq!(
            get(
                &emu,
                "/api/appuser/userNameAvailable?userName=x",
                Auth::Access(&access)
            )
            .await
            .status,
            200
        );
    }

    emu.delete_app(&app.app_id).await.unwrap();
    for (path, user, _, params) in routes(&pw) {
        let auth = if user {
            Auth::Access(&access)
        } else {
            Auth::App(&app.app_token)
        };
        let r = post(&emu, path, auth, &params).await;
        assert_eq!(r.json()["code"], 401, "{path}: {}", r.text);
    }
    get(&emu, "/api/appuser/getUser", Auth::Access(&access))
        .await
        .assert_code(401);
    get(
        &emu,
        "/api/appuser/getApplication",
        Auth::App(&app.app_token),
    )
    .await
    .assert_code(401);
    get(
        &emu,
        "/api/appuser/userNameAvailable?userName=x",
        Auth::Access(&access),
    )
    .await
    .assert_code(401);
}
