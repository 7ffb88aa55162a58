//! A `required` metadata field that is empty (`""`) or blank (`"  "`) is missing, everywhere: every
//! route that stores a user or metadata answers 604 (completeSignup: 602) *before* storing
//! anything, so a retry with good metadata succeeds and nobody is left unable to log in
//! (COSYNC.md 1.3 #5, 3.6 #5, #6, #9, #11, #19).

use cosync_emulator::{AppSettingsPatch, NewApp, SignupFlow, SocialProvider, SocialToken};
use serde_json::json;

use crate::support::*;

const SIGNUP: &str = "/api/appuser/signup";
const NAME: &str = "user_data.name:name:required:editable";
const GOOD: &str = r#"{"user_data":{"name":"Ann"}}"#;
const EMPTY: [&str; 2] = [
    r#"{"user_data":{"name":""}}"#,
    r#"{"user_data":{"name":"   "}}"#,
];

/// The handles of the app's users, from the emulator-only route.
async fn handles(emu: &cosync_emulator::Emulator, app_id: &str) -> Vec<String> {
    get(emu, &format!("/_emulator/apps/{app_id}/users"), Auth::None)
        .await
        .json()
        .as_array()
        .expect("array of users")
        .iter()
        .map(|u| u["handle"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn signup_flow_none_refuses_empty_required_fields_before_storing() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("none")
            .signup_flow(SignupFlow::None)
            .metadata_field(NAME.parse().unwrap()),
    )
    .await;
    let t = Auth::App(&app.app_token);
    let pw = md5("pw");
    for meta in EMPTY {
        post(
            &emu,
            SIGNUP,
            t,
            &[
                ("handle", "ann@example.com"),
                ("password", &pw),
                ("metaData", meta),
            ],
        )
        .await
        .assert_code(604);
    }
    assert!(handles(&emu, &app.app_id).await.is_empty());
    // The retry is a fresh sign-up, not 601.
    let (jwt, _) = post(
        &emu,
        SIGNUP,
        t,
        &[
            ("handle", "ann@example.com"),
            ("password", &pw),
            ("metaData", GOOD),
        ],
    )
    .await
    .tokens();
    assert_eq!(
        verify(&jwt, &app.public_key_pem).0["user_data"]["name"],
        "Ann"
    );
}

#[tokio::test]
async fn signup_flow_code_refuses_empty_required_fields_without_mailing() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("code").metadata_field(NAME.parse().unwrap()),
    )
    .await;
    let t = Auth::App(&app.app_token);
    for meta in EMPTY {
        post(
            &emu,
            SIGNUP,
            t,
            &[
                ("handle", "ann@example.com"),
                ("password", &md5("pw")),
                ("metaData", meta),
            ],
        )
        .await
        .assert_code(604);
    }
    assert!(emu.outbox().await.unwrap().is_empty());
    // An optional field may be empty.
    let app = crate::support::app(
        &emu,
        NewApp::named("optional")
            .signup_flow(SignupFlow::None)
            .metadata_field("user_data.name:name:editable".parse().unwrap()),
    )
    .await;
    post(
        &emu,
        SIGNUP,
        Auth::App(&app.app_token),
        &[
            ("handle", "ann@example.com"),
            ("password", &md5("pw")),
            ("metaData", EMPTY[0]),
        ],
    )
    .await
    .tokens();
}

#[tokio::test]
async fn complete_signup_refuses_before_storing_when_a_required_field_appeared() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("later")).await;
    let t = Auth::App(&app.app_token);
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    let code = code_for(&emu, "ann@example.com").await;
    let require = |fields: Vec<cosync_emulator::MetaDataField>| AppSettingsPatch {
        meta_data: Some(fields),
        ..Default::default()
    };
    emu.update_app(&app.app_id, require(vec![NAME.parse().unwrap()]))
        .await
        .unwrap();
    let complete = [("handle", "ann@example.com"), ("code", code.as_str())];
    post(&emu, "/api/appuser/completeSignup", t, &complete)
        .await
        .assert_code(602);
    assert!(handles(&emu, &app.app_id).await.is_empty());
    // Requirement lifted: the same code still completes the (still pending) sign-up.
    emu.update_app(&app.app_id, require(vec![])).await.unwrap();
    post(&emu, "/api/appuser/completeSignup", t, &complete)
        .await
        .tokens();
    assert_eq!(handles(&emu, &app.app_id).await, ["ann@example.com"]);
}

#[tokio::test]
async fn register_refuses_empty_required_fields_before_storing() {
    let emu = emulator().await;
    let mut new = NewApp::named("invites")
        .signup_flow(SignupFlow::None)
        .metadata_field(NAME.parse().unwrap())
        .metadata_field("team:team:required".parse().unwrap());
    // An optional invite field on the same path as a required user field.
    new.settings.meta_data_invite = vec!["team:team".parse().unwrap()];
    let app = app(&emu, new).await;
    let t = Auth::App(&app.app_token);
    let (_, ann) = post(
        &emu,
        SIGNUP,
        t,
        &[
            ("handle", "ann@example.com"),
            ("password", &md5("pw")),
            ("metaData", r#"{"user_data":{"name":"Ann"},"team":"red"}"#),
        ],
    )
    .await
    .tokens();
    let invite = |handle: &'static str, meta: &'static str| {
        let ann = ann.clone();
        let emu = &emu;
        async move {
            post(
                emu,
                "/api/appuser/invite",
                Auth::Access(&ann),
                &[
                    ("handle", handle),
                    ("senderUserId", "u1"),
                    ("metaData", meta),
                ],
            )
            .await
            .assert_true();
            code_for(emu, handle).await
        }
    };
    let register = |handle: &'static str, code: String, meta: &'static str| {
        let emu = &emu;
        async move {
            post(
                emu,
                "/api/appuser/register",
                t,
                &[
                    ("handle", handle),
                    ("password", &md5("pw")),
                    ("code", &code),
                    ("metaData", meta),
                ],
            )
            .await
        }
    };

    let code = invite("bob@example.com", r#"{"team":"blue"}"#).await;
    for meta in [
        r#"{"user_data":{"name":""},"team":"x"}"#,
        r#"{"user_data":{"name":"  "},"team":"x"}"#,
    ] {
        register("bob@example.com", code.clone(), meta)
            .await
            .assert_code(604);
    }
    assert_eq!(handles(&emu, &app.app_id).await, ["ann@example.com"]);
    let (jwt, _) = register(
        "bob@example.com",
        code,
        r#"{"user_data":{"name":"Bob"},"team":"x"}"#,
    )
    .await
    .tokens();
    let claims = verify(&jwt, &app.public_key_pem).0;
    assert_eq!(
        (&claims["user_data"]["name"], &claims["team"]),
        (&json!("Bob"), &json!("blue"))
    );

    // The invite's own (empty) value would overwrite the user's: refused, nothing stored.
    let code = invite("cy@example.com", r#"{"team":""}"#).await;
    register(
        "cy@example.com",
        code.clone(),
        r#"{"user_data":{"name":"Cy"},"team":"x"}"#,
    )
    .await
    .assert_code(604);
    assert_eq!(
        handles(&emu, &app.app_id).await,
        ["ann@example.com", "bob@example.com"]
    );
}

#[tokio::test]
async fn social_signup_treats_empty_required_fields_as_missing() {
    for hang in [true, false] {
        let emu = builder().hang_on_malformed(hang).start().await.unwrap();
        let mut new = NewApp::named("social").metadata_field(NAME.parse().unwrap());
        new.settings.apple_login_enabled = true;
        new.settings.apple_bundle_id = Some("com.example.one".into());
        let app = app(&emu, new).await;
        let token = emu
            .social_token(&SocialToken::new(
                SocialProvider::Apple,
                "com.example.one",
                "ann@example.com",
            ))
            .await
            .unwrap();
        let params = |meta| {
            [
                ("token", token.clone()),
                ("provider", "apple".to_owned()),
                ("handle", "ann@example.com".to_owned()),
                ("metaData", meta),
            ]
        };
        for meta in EMPTY {
            let params = params(meta.to_owned());
            let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let request = post_request(
                &emu,
                "/api/appuser/socialSignup",
                Auth::App(&app.app_token),
                &params,
            );
            // As for an absent required field (3.6 #9): the real server never answers.
            if hang {
                assert!(hangs(request, 2).await);
            } else {
                send(request).await.assert_code(604);
            }
        }
        assert!(handles(&emu, &app.app_id).await.is_empty());
        let params = params(GOOD.to_owned());
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post(
            &emu,
            "/api/appuser/socialSignup",
            Auth::App(&app.app_token),
            &params,
        )
        .await
        .tokens();
    }
}

#[tokio::test]
async fn set_user_metadata_refuses_empty_required_fields_and_login_keeps_working() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("profile")
            .signup_flow(SignupFlow::None)
            .metadata_field(NAME.parse().unwrap())
            .metadata_field("nick:nick:editable".parse().unwrap()),
    )
    .await;
    let (_, access) = post(
        &emu,
        SIGNUP,
        Auth::App(&app.app_token),
        &[
            ("handle", "ann@example.com"),
            ("password", &md5("pw")),
            ("metaData", GOOD),
        ],
    )
    .await
    .tokens();
    let a = Auth::Access(&access);
    for meta in [
        r#"{"user_data":{"name":""},"nick":"a"}"#,
        r#"{"user_data":{"name":"   "},"nick":"a"}"#,
        r#"{"nick":"a"}"#,
    ] {
        post(
            &emu,
            "/api/appuser/setUserMetadata",
            a,
            &[("metaData", meta)],
        )
        .await
        .assert_code(604);
    }
    // Nothing changed: the stored name is intact and login still mints a JWT.
    let user = get(&emu, "/api/appuser/getUser", a).await.json();
    assert_eq!(user["metaData"], json!({"user_data": {"name": "Ann"}}));
    let (jwt, _) = login(&emu, &app.app_token, "ann@example.com", "pw").await;
    assert_eq!(
        verify(&jwt, &app.public_key_pem).0["user_data"]["name"],
        "Ann"
    );
    // An optional field may be emptied.
    post(
        &emu,
        "/api/appuser/setUserMetadata",
        a,
        &[("metaData", r#"{"user_data":{"name":"Ann B"},"nick":""}"#)],
    )
    .await
    .assert_true();
    login(&emu, &app.app_token, "ann@example.com", "pw").await;
}
