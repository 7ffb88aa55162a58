//! `login`, `loginComplete`, `loginAnonymous` (COSYNC.md 3.6 #2–4).

use cosync_emulator::{AppSettingsPatch, NewApp, SignupFlow, TwoFactor};
use serde_json::json;

use crate::support::*;

const LOGIN: &str = "/api/appuser/login";

#[tokio::test]
async fn login_success_and_errors() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("login").signup_flow(SignupFlow::None)).await;
    let t = Auth::App(&app.app_token);
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let pw = md5("pw");

    post(
        &emu,
        LOGIN,
        Auth::None,
        &[("handle", "ann@example.com"), ("password", &pw)],
    )
    .await
    .assert_code(400);
    post(
        &emu,
        LOGIN,
        Auth::Access(&access),
        &[("handle", "ann@example.com"), ("password", &pw)],
    )
    .await
    .assert_code(400);
    post(&emu, LOGIN, t, &[("handle", "ann@example.com")])
        .await
        .assert_code(403);
    post(&emu, LOGIN, t, &[("password", &pw)])
        .await
        .assert_code(403);
    post(&emu, LOGIN, t, &[("handle", "annie"), ("password", &pw)])
        .await
        .assert_code(606);
    post(
        &emu,
        LOGIN,
        t,
        &[("handle", "nobody@example.com"), ("password", &pw)],
    )
    .await
    .assert_code(600);
    post(
        &emu,
        LOGIN,
        t,
        &[("handle", "ann@example.com"), ("password", &md5("wrong"))],
    )
    .await
    .assert_code(600);

    let (jwt, access) = post(
        &emu,
        LOGIN,
        t,
        &[("handle", " ANN@example.com "), ("password", &pw)],
    )
    .await
    .tokens();
    verify(&jwt, &app.public_key_pem);
    verify(&access, emu.server_public_key_pem());
    let user = get(&emu, "/api/appuser/getUser", Auth::Access(&access))
        .await
        .json();
    assert!(user["lastLogin"].as_str().unwrap().ends_with('Z'));
    // JSON bodies work the same.
    post_json(
        &emu,
        LOGIN,
        t,
        json!({"handle": "ann@example.com", "password": pw}),
    )
    .await
    .tokens();

    emu.set_user_status(&app.app_id, "ann@example.com", "suspend")
        .await
        .unwrap();
    post(
        &emu,
        LOGIN,
        t,
        &[("handle", "ann@example.com"), ("password", &pw)],
    )
    .await
    .assert_code(404);
    // A user record still `pending` (3.6 #2): 608, not 404.
    emu.set_user_status(&app.app_id, "ann@example.com", "pending")
        .await
        .unwrap();
    post(
        &emu,
        LOGIN,
        t,
        &[("handle", "ann@example.com"), ("password", &pw)],
    )
    .await
    .assert_code(608);
    emu.set_user_status(&app.app_id, "ann@example.com", "active")
        .await
        .unwrap();
    post(
        &emu,
        LOGIN,
        t,
        &[("handle", "ann@example.com"), ("password", &pw)],
    )
    .await
    .tokens();

    // A required metadata field added later: no user JWT can be made.
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            meta_data: Some(vec!["user_data.name:name:required".parse().unwrap()]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(
        &emu,
        LOGIN,
        t,
        &[("handle", "ann@example.com"), ("password", &pw)],
    )
    .await
    .assert_code(604);
}

#[tokio::test]
async fn login_by_user_name() {
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
        &[("userName", "Ann_1")],
    )
    .await
    .assert_true();
    let (jwt, _) = login(&emu, &app.app_token, "ann_1", "pw").await;
    let (claims, _) = verify(&jwt, &app.public_key_pem);
    assert_eq!(claims["sub"], "ann@example.com");
    assert_eq!(claims["userName"], "ann_1");
    post(
        &emu,
        LOGIN,
        Auth::App(&app.app_token),
        &[("handle", "nobody"), ("password", &md5("pw"))],
    )
    .await
    .assert_code(600);
}

#[tokio::test]
async fn login_complete_with_phone_code() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("phone")
            .signup_flow(SignupFlow::None)
            .two_factor(TwoFactor::Phone),
    )
    .await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let a = Auth::Access(&access);
    post(
        &emu,
        "/api/appuser/setPhone",
        a,
        &[("phone", "+15550001111")],
    )
    .await
    .assert_true();
    let code = code_for(&emu, "+15550001111").await;
    post(&emu, "/api/appuser/verifyPhone", a, &[("code", &code)])
        .await
        .assert_true();
    post(
        &emu,
        "/api/appuser/setTwoFactorPhoneVerification",
        a,
        &[("twoFactor", "true")],
    )
    .await
    .assert_true();

    let r = post(
        &emu,
        LOGIN,
        Auth::App(&app.app_token),
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await;
    let login_token = r.json()["login-token"]
        .as_str()
        .expect("login-token")
        .to_owned();
    let sms = emu.outbox_to("+15550001111").await.unwrap().pop().unwrap();
    assert_eq!(sms.template, "twoFactorCode");
    let sms_code = sms.code.unwrap();

    let lc = "/api/appuser/loginComplete";
    let t = Auth::App(&app.app_token);
    post(&emu, lc, t, &[("loginToken", &login_token)])
        .await
        .assert_code(403);
    post(&emu, lc, t, &[("code", &sms_code)])
        .await
        .assert_code(403);
    post(
        &emu,
        lc,
        Auth::None,
        &[("loginToken", &login_token), ("code", &sms_code)],
    )
    .await
    .assert_code(403);
    post(
        &emu,
        lc,
        t,
        &[("loginToken", &login_token), ("code", "abc")],
    )
    .await
    .assert_code(602);
    let wrong = if sms_code == "123456" {
        "654321"
    } else {
        "123456"
    };
    post(
        &emu,
        lc,
        t,
        &[("loginToken", &login_token), ("code", wrong)],
    )
    .await
    .assert_code(600);
    let (jwt, access2) = post(
        &emu,
        lc,
        t,
        &[("loginToken", &login_token), ("code", &sms_code)],
    )
    .await
    .tokens();
    verify(&jwt, &app.public_key_pem);
    verify(&access2, emu.server_public_key_pem());
    // The SMS code is single-use.
    post(
        &emu,
        lc,
        t,
        &[("loginToken", &login_token), ("code", &sms_code)],
    )
    .await
    .assert_code(600);
    // Status is checked.
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            status: Some(cosync_emulator::AppStatus::Inactive),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(
        &emu,
        lc,
        t,
        &[("loginToken", &login_token), ("code", &sms_code)],
    )
    .await
    .assert_code(402);
    let status = |status| AppSettingsPatch {
        status: Some(status),
        ..Default::default()
    };
    emu.update_app(&app.app_id, status(cosync_emulator::AppStatus::Migrated))
        .await
        .unwrap();
    post(
        &emu,
        lc,
        t,
        &[("loginToken", &login_token), ("code", &sms_code)],
    )
    .await
    .assert_code(413);

    // A fresh login token and SMS code, then the account goes away: 600 (user missing).
    emu.update_app(&app.app_id, status(cosync_emulator::AppStatus::Active))
        .await
        .unwrap();
    let r = post(
        &emu,
        LOGIN,
        t,
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await;
    let login_token = r.json()["login-token"].as_str().unwrap().to_owned();
    let sms_code = code_for(&emu, "+15550001111").await;
    post(
        &emu,
        "/api/appuser/deleteAccount",
        a,
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    post(
        &emu,
        lc,
        t,
        &[("loginToken", &login_token), ("code", &sms_code)],
    )
    .await
    .assert_code(600);
}

#[tokio::test]
async fn login_complete_with_a_forged_token_never_answers() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("forged")).await;
    let request = post_request(
        &emu,
        "/api/appuser/loginComplete",
        Auth::App(&app.app_token),
        &[
            ("loginToken", "eyJhbGciOiJub25lIn0.e30."),
            ("code", "123456"),
        ],
    );
    assert!(
        hangs(request, 2).await,
        "the real server never answers a forged login token"
    );
    // The emulator keeps serving other requests meanwhile.
    get(&emu, "/", Auth::None).await;

    let quick = emulator_no_hang().await;
    let app = crate::support::app(&quick, NewApp::named("forged")).await;
    post(
        &quick,
        "/api/appuser/loginComplete",
        Auth::App(&app.app_token),
        &[
            ("loginToken", "eyJhbGciOiJub25lIn0.e30."),
            ("code", "123456"),
        ],
    )
    .await
    .assert_code(600);
}

#[tokio::test]
async fn stopping_ends_hanging_requests() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("stop")).await;
    let request = post_request(
        &emu,
        "/api/appuser/loginComplete",
        Auth::App(&app.app_token),
        &[("loginToken", "forged"), ("code", "1")],
    );
    let pending = tokio::spawn(request.send());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    emu.stop().await;
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(10), pending)
        .await
        .expect("the hanging request ends when the emulator stops")
        .unwrap();
    if let Ok(response) = outcome {
        assert_eq!(response.status(), 503);
    }
}

#[tokio::test]
async fn anonymous_login() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("anon")
            .anonymous_login(true)
            .metadata_field("user_data.name:name:required".parse().unwrap()),
    )
    .await;
    let path = "/api/appuser/loginAnonymous";
    let t = Auth::App(&app.app_token);
    post(&emu, path, Auth::None, &[("handle", "ANON_1")])
        .await
        .assert_code(400);
    post(&emu, path, t, &[]).await.assert_code(600);
    post(&emu, path, t, &[("handle", "anon_lowercase")])
        .await
        .assert_code(600);
    let (jwt, access) = post(&emu, path, t, &[("handle", "ANON_0d6f1c")])
        .await
        .tokens();
    let (claims, _) = verify(&jwt, &app.public_key_pem);
    assert_eq!(claims["sub"], "ANON_0d6f1c");
    // Anonymous users get placeholder metadata, so required fields do not block them.
    assert_eq!(claims["user_data"]["name"], "ANON_name");
    assert_eq!(
        get(&emu, "/api/appuser/getUser", Auth::Access(&access))
            .await
            .json()["handle"],
        "ANON_0d6f1c"
    );
    // Again: the same user.
    post(&emu, path, t, &[("handle", "ANON_0d6f1c")])
        .await
        .tokens();
    let users = get(
        &emu,
        &format!("/_emulator/apps/{}/users", app.app_id),
        Auth::None,
    )
    .await
    .json();
    assert_eq!(users.as_array().unwrap().len(), 1);

    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            anonymous_login_enabled: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(&emu, path, t, &[("handle", "ANON_2")])
        .await
        .assert_code(414);
}
