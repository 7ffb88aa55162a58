//! `forgotPassword`, `resetPassword`, `changePassword` (COSYNC.md 3.6 #12–14).

use cosync_emulator::{AppSettingsPatch, NewApp, SignupFlow, TwoFactor};

use crate::support::*;

#[tokio::test]
async fn forgot_and_reset() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("pw")
            .signup_flow(SignupFlow::None)
            .two_factor(TwoFactor::Google),
    )
    .await;
    let t = Auth::App(&app.app_token);
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "old").await;
    post(
        &emu,
        "/api/appuser/setTwoFactorGoogleVerification",
        Auth::Access(&access),
        &[("twoFactor", "true")],
    )
    .await;

    let forgot = "/api/appuser/forgotPassword";
    post(&emu, forgot, Auth::None, &[]).await.assert_code(403);
    post(&emu, forgot, Auth::None, &[("handle", "ann@example.com")])
        .await
        .assert_code(401);
    post(&emu, forgot, t, &[("handle", "ann")])
        .await
        .assert_code(606);
    post(&emu, forgot, t, &[("handle", "nobody@example.com")])
        .await
        .assert_code(603);
    post(&emu, forgot, t, &[("handle", "ANN@example.com")])
        .await
        .assert_true();
    let mail = emu
        .outbox_to("ann@example.com")
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(mail.template, "resetPassword");
    let code = mail.code.unwrap();

    let reset = "/api/appuser/resetPassword";
    let new = md5("new");
    post(
        &emu,
        reset,
        t,
        &[("handle", "ann@example.com"), ("password", &new)],
    )
    .await
    .assert_code(403);
    post(
        &emu,
        reset,
        Auth::None,
        &[
            ("handle", "ann@example.com"),
            ("password", &new),
            ("code", &code),
        ],
    )
    .await
    .assert_code(403);
    post(
        &emu,
        reset,
        t,
        &[
            ("handle", "ann@example.com"),
            ("password", "short"),
            ("code", &code),
        ],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        reset,
        t,
        &[
            ("handle", "ann@example.com"),
            ("password", &new),
            ("code", "x1"),
        ],
    )
    .await
    .assert_code(602);
    let wrong = if code == "999999" { "100000" } else { "999999" };
    post(
        &emu,
        reset,
        t,
        &[
            ("handle", "ann@example.com"),
            ("password", &new),
            ("code", wrong),
        ],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        reset,
        t,
        &[
            ("handle", "ann@example.com"),
            ("password", &new),
            ("code", &code),
        ],
    )
    .await
    .assert_true();
    // Single use.
    post(
        &emu,
        reset,
        t,
        &[
            ("handle", "ann@example.com"),
            ("password", &new),
            ("code", &code),
        ],
    )
    .await
    .assert_code(602);
    // New password works (and two-factor was cleared, so login gives tokens directly).
    login(&emu, &app.app_token, "ann@example.com", "new").await;
    post(
        &emu,
        "/api/appuser/login",
        t,
        &[("handle", "ann@example.com"), ("password", &md5("old"))],
    )
    .await
    .assert_code(600);
    let user = get(&emu, "/api/appuser/getUser", Auth::Access(&access))
        .await
        .json();
    assert_eq!(user["twoFactorGoogleVerification"], false);
}

#[tokio::test]
async fn forgot_password_without_handle_under_an_app_token_hangs() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("hang")).await;
    assert!(
        hangs(
            post_request(
                &emu,
                "/api/appuser/forgotPassword",
                Auth::App(&app.app_token),
                &[]
            ),
            2
        )
        .await
    );
    let quick = emulator_no_hang().await;
    let app = crate::support::app(&quick, NewApp::named("quick")).await;
    post(
        &quick,
        "/api/appuser/forgotPassword",
        Auth::App(&app.app_token),
        &[],
    )
    .await
    .assert_code(403);
}

#[tokio::test]
async fn forgot_password_by_user_name() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("names")
            .signup_flow(SignupFlow::None)
            .user_names(true),
    )
    .await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    post(
        &emu,
        "/api/appuser/setUserName",
        Auth::Access(&access),
        &[("userName", "ann")],
    )
    .await
    .assert_true();
    post(
        &emu,
        "/api/appuser/forgotPassword",
        Auth::App(&app.app_token),
        &[("handle", "ann")],
    )
    .await
    .assert_true();
    assert_eq!(
        emu.outbox().await.unwrap().last().unwrap().to,
        "ann@example.com"
    );
}

#[tokio::test]
async fn change_password() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("change").signup_flow(SignupFlow::None)).await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "old").await;
    let path = "/api/appuser/changePassword";
    let a = Auth::Access(&access);
    let (old, new) = (md5("old"), md5("new"));
    post(&emu, path, a, &[("password", &old)])
        .await
        .assert_code(602);
    post(
        &emu,
        path,
        Auth::App(&app.app_token),
        &[("password", &old), ("newPassword", &new)],
    )
    .await
    .assert_code(602);
    post(&emu, path, a, &[("password", &old), ("newPassword", &old)])
        .await
        .assert_code(602);
    post(
        &emu,
        path,
        a,
        &[("password", &old), ("newPassword", "short")],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        path,
        a,
        &[("password", &md5("bad")), ("newPassword", &new)],
    )
    .await
    .assert_code(602);
    post(&emu, path, a, &[("password", &old), ("newPassword", &new)])
        .await
        .assert_true();
    login(&emu, &app.app_token, "ann@example.com", "new").await;
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            status: Some(cosync_emulator::AppStatus::Migrated),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(&emu, path, a, &[("password", &new), ("newPassword", &old)])
        .await
        .assert_code(413);
}
