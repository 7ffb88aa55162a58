//! `getApplication`, `getUser`, `userNameAvailable`, `setUserName`, `setLocale`,
//! `setUserMetadata` (COSYNC.md 3.6 #1, #15–19).

use cosync_emulator::{AppSettingsPatch, NewApp, SignupFlow};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn get_application() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("app object").realm_app_id("toto-bzvdn")).await;
    get(&emu, "/api/appuser/getApplication", Auth::None)
        .await
        .assert_code(602);
    let body = get(
        &emu,
        "/api/appuser/getApplication",
        Auth::App(&app.app_token),
    )
    .await
    .json();
    assert_eq!(body["name"], "app object");
    assert_eq!(body["signupFlow"], "code");
    assert_eq!(body["twoFactorVerification"], "none");
    assert_eq!(body["locales"], json!(["EN"]));
    assert_eq!(body["realmAppId"], "toto-bzvdn");
    assert_eq!(body["userJWTExpiration"], 24);
    assert_eq!(body["invitationEnabled"], true);
    for secret in [
        "appId",
        "appToken",
        "appSecret",
        "appPrivateKey",
        "appPublicKey",
        "_id",
    ] {
        assert!(body.get(secret).is_none(), "{secret} must not be exposed");
    }
    // Suspended apps still answer (so clients can read the status).
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            status: Some(cosync_emulator::AppStatus::Migrated),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let body = get(
        &emu,
        "/api/appuser/getApplication",
        Auth::App(&app.app_token),
    )
    .await
    .json();
    assert_eq!(body["status"], "migrated");
    // Access tokens carry the app id too.
    let none = crate::support::app(&emu, NewApp::named("n").signup_flow(SignupFlow::None)).await;
    let (_, access) = signup_none(&emu, &none.app_token, "ann@example.com", "pw").await;
    assert_eq!(
        get(&emu, "/api/appuser/getApplication", Auth::Access(&access))
            .await
            .json()["name"],
        "n"
    );
    emu.delete_app(&none.app_id).await.unwrap();
    get(&emu, "/api/appuser/getApplication", Auth::Access(&access))
        .await
        .assert_code(401);
}

#[tokio::test]
async fn get_user() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("user").signup_flow(SignupFlow::None)).await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    get(&emu, "/api/appuser/getUser", Auth::None)
        .await
        .assert_code(602);
    get(&emu, "/api/appuser/getUser", Auth::App(&app.app_token))
        .await
        .assert_code(602);
    let r = get(&emu, "/api/appuser/getUser", Auth::Access(&access)).await;
    let user = r.json();
    assert_eq!(user["handle"], "ann@example.com");
    assert_eq!(user["status"], "active");
    assert_eq!(user["locale"], "EN");
    assert_eq!(user["appId"], app.app_id.as_str());
    assert_eq!(user["twoFactorPhoneVerification"], false);
    assert_eq!(user["twoFactorGoogleVerification"], false);
    assert_eq!(user["loginProvider"], "");
    // Unset keys are absent (3.7), metadata included.
    for unset in ["userName", "phone", "metaData"] {
        assert!(user.get(unset).is_none(), "{unset}: {}", r.text);
    }
    let created = user["createdAt"].as_str().unwrap();
    assert_eq!(created.len(), 24, "{created}");
    assert!(created.ends_with('Z') && &created[19..20] == ".");
    assert_eq!(
        key_order(&r.text)[..4],
        ["status", "createdAt", "updatedAt", "handle"]
    );
    // A deleted account with a still-valid access token: 602.
    post(
        &emu,
        "/api/appuser/deleteAccount",
        Auth::Access(&access),
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    get(&emu, "/api/appuser/getUser", Auth::Access(&access))
        .await
        .assert_code(602);
}

#[tokio::test]
async fn user_names() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("names").signup_flow(SignupFlow::None)).await;
    let (_, ann) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let (_, bob) = signup_none(&emu, &app.app_token, "bob@example.com", "pw").await;
    let avail = "/api/appuser/userNameAvailable";
    let set = "/api/appuser/setUserName";
    get(&emu, &format!("{avail}?userName=ann"), Auth::Access(&ann))
        .await
        .assert_code(606);
    post(&emu, set, Auth::Access(&ann), &[("userName", "ann")])
        .await
        .assert_code(606);
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            user_names_enabled: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    get(&emu, avail, Auth::Access(&ann)).await.assert_code(403);
    get(
        &emu,
        &format!("{avail}?userName=ann"),
        Auth::App(&app.app_token),
    )
    .await
    .assert_code(403);
    post(&emu, set, Auth::Access(&ann), &[])
        .await
        .assert_code(403);
    post(&emu, set, Auth::App(&app.app_token), &[("userName", "ann")])
        .await
        .assert_code(403);
    assert_eq!(
        get(&emu, &format!("{avail}?userName=Ann"), Auth::Access(&bob))
            .await
            .json(),
        json!({"available": true})
    );
    post(&emu, set, Auth::Access(&ann), &[("userName", " Ann ")])
        .await
        .assert_true();
    assert_eq!(
        get(&emu, &format!("{avail}?userName=ANN"), Auth::Access(&bob))
            .await
            .json(),
        json!({"available": false})
    );
    post(&emu, set, Auth::Access(&bob), &[("userName", "ann")])
        .await
        .assert_code(605);
    post(&emu, set, Auth::Access(&ann), &[("userName", "other")])
        .await
        .assert_code(602);
    assert_eq!(
        get(&emu, "/api/appuser/getUser", Auth::Access(&ann))
            .await
            .json()["userName"],
        "ann"
    );
}

#[tokio::test]
async fn set_locale() {
    let emu = emulator().await;
    let mut new = NewApp::named("loc").signup_flow(SignupFlow::None);
    new.settings.locales = vec!["EN".into(), "FR".into()];
    let app = app(&emu, new).await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let path = "/api/appuser/setLocale";
    post(&emu, path, Auth::Access(&access), &[])
        .await
        .assert_code(403);
    post(&emu, path, Auth::App(&app.app_token), &[("locale", "FR")])
        .await
        .assert_code(403);
    post(&emu, path, Auth::Access(&access), &[("locale", "fr")])
        .await
        .assert_code(602);
    post(&emu, path, Auth::Access(&access), &[("locale", "DE")])
        .await
        .assert_code(602);
    post(&emu, path, Auth::Access(&access), &[("locale", "FR")])
        .await
        .assert_true();
    assert_eq!(
        get(&emu, "/api/appuser/getUser", Auth::Access(&access))
            .await
            .json()["locale"],
        "FR"
    );
}

#[tokio::test]
async fn set_user_metadata() {
    let emu = emulator().await;
    let mut new = NewApp::named("meta").signup_flow(SignupFlow::None);
    new.settings.invitation_enabled = true;
    let app = app(&emu, new).await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let path = "/api/appuser/setUserMetadata";
    let a = Auth::Access(&access);
    post(&emu, path, Auth::App(&app.app_token), &[("metaData", "{}")])
        .await
        .assert_code(403);
    post(&emu, path, a, &[]).await.assert_code(602);
    post(&emu, path, a, &[("metaData", "{oops")])
        .await
        .assert_code(602);
    post(
        &emu,
        path,
        a,
        &[("metaData", r#"{"user_data":{"name":"x"}}"#)],
    )
    .await
    .assert_code(602); // no fields
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            meta_data: Some(vec![
                "user_data.name:name:required:editable".parse().unwrap(),
                "user_data.plan:plan".parse().unwrap(),
            ]),
            meta_data_invite: Some(vec!["team:team".parse().unwrap()]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(
        &emu,
        path,
        a,
        &[("metaData", r#"{"user_data":{"plan":"gold","name":"x"}}"#)],
    )
    .await
    .assert_code(604);
    post(&emu, path, a, &[("metaData", r#"{"other":"x"}"#)])
        .await
        .assert_code(604);
    post(
        &emu,
        path,
        a,
        &[(
            "metaData",
            r#"{"user_data":{"name":"  Ann  "},"other":"dropped"}"#,
        )],
    )
    .await
    .assert_true();
    let user = get(&emu, "/api/appuser/getUser", a).await.json();
    assert_eq!(user["metaData"], json!({"user_data": {"name": "Ann"}}));
    let (jwt, _) = login(&emu, &app.app_token, "ann@example.com", "pw").await;
    assert_eq!(
        verify(&jwt, &app.public_key_pem).0["user_data"]["name"],
        "Ann"
    );
}

#[tokio::test]
async fn set_user_metadata_with_a_non_string_value_hangs() {
    for hang in [true, false] {
        let emu = builder().hang_on_malformed(hang).start().await.unwrap();
        let app = app(
            &emu,
            NewApp::named("meta")
                .signup_flow(SignupFlow::None)
                .metadata_field("age:age:editable".parse().unwrap()),
        )
        .await;
        let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
        let body = json!({"metaData": "{\"age\": 42}"});
        let request = client()
            .post(format!("{}/api/appuser/setUserMetadata", emu.base_url()))
            .header("access-token", &access)
            .header("content-type", "application/json")
            .body(body.to_string());
        if hang {
            assert!(hangs(request, 2).await);
        } else {
            send(request).await.assert_code(604);
        }
    }
}
