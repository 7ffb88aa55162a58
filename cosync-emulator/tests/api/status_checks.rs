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
        // getApplication and userNameAvailable skip the status check (the social routes: below).
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

/// socialLogin and socialSignup have no status check (3.6 #8, 8.10) but need the app (401).
#[tokio::test]
async fn social_routes_skip_the_status_check_but_need_the_app() {
    use cosync_emulator::{SocialProvider, SocialToken};

    let emu = emulator().await;
    let mut new = NewApp::named("social status").signup_flow(SignupFlow::None);
    new.settings.apple_login_enabled = true;
    new.settings.apple_bundle_id = Some("com.example.one".into());
    let app = app(&emu, new).await;
    let t = Auth::App(&app.app_token);
    let token = |email: &'static str| {
        let emu = &emu;
        async move {
            emu.social_token(&SocialToken::new(
                SocialProvider::Apple,
                "com.example.one",
                email,
            ))
            .await
            .unwrap()
        }
    };
    let signup = |token: String, handle: &'static str| {
        let emu = &emu;
        async move {
            post(
                emu,
                "/api/appuser/socialSignup",
                t,
                &[("token", &token), ("provider", "apple"), ("handle", handle)],
            )
            .await
        }
    };
    let login = |token: String| {
        let emu = &emu;
        async move {
            post(
                emu,
                "/api/appuser/socialLogin",
                t,
                &[("token", &token), ("provider", "apple")],
            )
            .await
        }
    };
    let ann = token("ann@example.com").await;
    signup(ann.clone(), "ann@example.com").await.tokens();

    for (status, handle) in [
        (AppStatus::Inactive, "bob@example.com"),
        (AppStatus::Migrated, "cy@example.com"),
    ] {
        emu.update_app(
            &app.app_id,
            AppSettingsPatch {
                status: Some(status),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // The password login of the same app is refused, the social routes are not.
        post(
            &emu,
            "/api/appuser/login",
            t,
            &[("handle", "ann@example.com"), ("password", &md5("pw"))],
        )
        .await
        .assert_code(if status == AppStatus::Inactive {
            402
        } else {
            413
        });
        login(ann.clone()).await.tokens();
        signup(token(handle).await, handle).await.tokens();
    }

    let dan = token("dan@example.com").await;
    emu.delete_app(&app.app_id).await.unwrap();
    login(ann).await.assert_code(401);
    signup(dan, "dan@example.com").await.assert_code(401);
}
