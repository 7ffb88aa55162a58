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
