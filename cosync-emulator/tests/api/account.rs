//! `deleteAccount` (COSYNC.md 3.6 #24).

use cosync_emulator::{NewApp, SignupFlow, SocialProvider, SocialToken};

use crate::support::*;

const DELETE: &str = "/api/appuser/deleteAccount";

#[tokio::test]
async fn delete_with_password() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("del").signup_flow(SignupFlow::None)).await;
    let (_, ann) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    signup_none(&emu, &app.app_token, "bob@example.com", "pw").await;
    let a = Auth::Access(&ann);
    let pw = md5("pw");
    post(
        &emu,
        DELETE,
        Auth::App(&app.app_token),
        &[("handle", "ann@example.com"), ("password", &pw)],
    )
    .await
    .assert_code(403);
    post(&emu, DELETE, a, &[]).await.assert_code(403);
    post(&emu, DELETE, a, &[("password", &pw)])
        .await
        .assert_code(602);
    post(
        &emu,
        DELETE,
        a,
        &[("handle", "bob@example.com"), ("password", &pw)],
    )
    .await
    .assert_code(600);
    post(&emu, DELETE, a, &[("handle", "ann"), ("password", &pw)])
        .await
        .assert_code(606);
    post(
        &emu,
        DELETE,
        a,
        &[("handle", "ann@example.com"), ("password", &md5("bad"))],
    )
    .await
    .assert_code(600);
    post(
        &emu,
        DELETE,
        a,
        &[("handle", "ANN@example.com"), ("password", &pw)],
    )
    .await
    .assert_true();
    post(
        &emu,
        "/api/appuser/login",
        Auth::App(&app.app_token),
        &[("handle", "ann@example.com"), ("password", &pw)],
    )
    .await
    .assert_code(600);
    // The handle is free again.
    signup_none(&emu, &app.app_token, "ann@example.com", "pw2").await;
    login(&emu, &app.app_token, "bob@example.com", "pw").await;
}

#[tokio::test]
async fn delete_with_social_token() {
    let emu = emulator().await;
    let mut new = NewApp::named("social-del").signup_flow(SignupFlow::None);
    new.settings.google_login_enabled = true;
    new.settings.google_client_id = Some("client-1".into());
    let app = app(&emu, new).await;
    let token = emu
        .social_token(&SocialToken::new(
            SocialProvider::Google,
            "client-1",
            "gus@example.com",
        ))
        .await
        .unwrap();
    let (_, gus) = post(
        &emu,
        "/api/appuser/socialSignup",
        Auth::App(&app.app_token),
        &[
            ("token", &token),
            ("provider", "google"),
            ("handle", "gus@example.com"),
        ],
    )
    .await
    .tokens();
    let (_, pw_user) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    post(&emu, DELETE, Auth::Access(&pw_user), &[("token", &token)])
        .await
        .assert_code(602);
    post(&emu, DELETE, Auth::Access(&gus), &[("token", "forged")])
        .await
        .assert_code(613);
    let someone_else = emu
        .social_token(&SocialToken::new(
            SocialProvider::Google,
            "client-1",
            "eve@example.com",
        ))
        .await
        .unwrap();
    post(
        &emu,
        DELETE,
        Auth::Access(&gus),
        &[("token", &someone_else)],
    )
    .await
    .assert_code(613);
    post(&emu, DELETE, Auth::Access(&gus), &[("token", &token)])
        .await
        .assert_true();
    post(
        &emu,
        "/api/appuser/socialLogin",
        Auth::App(&app.app_token),
        &[("token", &token), ("provider", "google")],
    )
    .await
    .assert_code(603);
}

/// A still-valid access token of a deleted account: the user routes whose 3.6 entry lists
/// "user missing" answer 602 (setUserName #17, changePassword #14, resetPassword #13).
#[tokio::test]
async fn user_routes_after_the_account_is_deleted() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("gone")
            .signup_flow(SignupFlow::None)
            .user_names(true),
    )
    .await;
    let t = Auth::App(&app.app_token);
    let (_, ann) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let a = Auth::Access(&ann);
    let new = md5("new");
    // Each request is valid while the account exists (checked on a twin account).
    let (_, bob) = signup_none(&emu, &app.app_token, "bob@example.com", "pw").await;
    post(
        &emu,
        "/api/appuser/forgotPassword",
        t,
        &[("handle", "ann@example.com")],
    )
    .await
    .assert_true();
    let code = code_for(&emu, "ann@example.com").await;
    post(
        &emu,
        DELETE,
        a,
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();

    for user in [Auth::Access(&ann), Auth::Access(&bob)] {
        let deleted = matches!(user, Auth::Access(token) if token == ann);
        let r = post(
            &emu,
            "/api/appuser/setUserName",
            user,
            &[("userName", "ann")],
        )
        .await;
        if deleted {
            r.assert_code(602);
        } else {
            r.assert_true();
        }
        let r = post(
            &emu,
            "/api/appuser/changePassword",
            user,
            &[("password", &md5("pw")), ("newPassword", &new)],
        )
        .await;
        if deleted {
            r.assert_code(602);
        } else {
            r.assert_true();
        }
    }
    post(
        &emu,
        "/api/appuser/forgotPassword",
        t,
        &[("handle", "bob@example.com")],
    )
    .await
    .assert_true();
    let bob_code = code_for(&emu, "bob@example.com").await;
    for (handle, code, deleted) in [
        ("ann@example.com", code, true),
        ("bob@example.com", bob_code, false),
    ] {
        let r = post(
            &emu,
            "/api/appuser/resetPassword",
            t,
            &[("handle", handle), ("password", &new), ("code", &code)],
        )
        .await;
        if deleted {
            r.assert_code(602);
        } else {
            r.assert_true();
        }
    }
}
