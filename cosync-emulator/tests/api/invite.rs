//! `invite` and `register` (COSYNC.md 3.6 #10–11).

use cosync_emulator::{AppSettingsPatch, NewApp, SignupFlow};

use crate::support::*;

#[tokio::test]
async fn invite_then_register() {
    let emu = emulator().await;
    let mut new = NewApp::named("invites")
        .signup_flow(SignupFlow::None)
        .metadata_field("user_data.name:name:required:editable".parse().unwrap());
    new.settings.meta_data_invite = vec!["team:team:required".parse().unwrap()];
    new.settings.locales = vec!["EN".into(), "FR".into()];
    let app = app(&emu, new).await;
    let t = Auth::App(&app.app_token);
    let meta = r#"{"user_data":{"name":"Ann"}}"#;
    let (_, ann) = post(
        &emu,
        "/api/appuser/signup",
        t,
        &[
            ("handle", "ann@example.com"),
            ("password", &md5("pw")),
            ("metaData", meta),
        ],
    )
    .await
    .tokens();
    let a = Auth::Access(&ann);
    let invite = "/api/appuser/invite";
    post(&emu, invite, a, &[("handle", "bob@example.com")])
        .await
        .assert_code(403);
    post(&emu, invite, a, &[("senderUserId", "realm-user-1")])
        .await
        .assert_code(403);
    // The Kotlin SDK's mistake: an app token has no inviter.
    post(
        &emu,
        invite,
        t,
        &[
            ("handle", "bob@example.com"),
            ("senderUserId", "realm-user-1"),
        ],
    )
    .await
    .assert_code(403);
    post(
        &emu,
        invite,
        a,
        &[("handle", "bob@example.com"), ("senderUserId", "u1")],
    )
    .await
    .assert_code(604);
    post(
        &emu,
        invite,
        a,
        &[
            ("handle", "bob@example.com"),
            ("senderUserId", "u1"),
            ("metaData", "{x"),
        ],
    )
    .await
    .assert_code(604);
    post(
        &emu,
        invite,
        a,
        &[
            ("handle", "ann@example.com"),
            ("senderUserId", "u1"),
            ("metaData", r#"{"team":"red"}"#),
        ],
    )
    .await
    .assert_code(601);
    post(
        &emu,
        invite,
        a,
        &[
            ("handle", "Bob@Example.com"),
            ("senderUserId", "u1"),
            ("metaData", r#"{"team":"red"}"#),
        ],
    )
    .await
    .assert_true();
    let mail = emu
        .outbox_to("bob@example.com")
        .await
        .unwrap()
        .pop()
        .expect("invite e-mailed to the invitee");
    assert_eq!(mail.template, "invite");
    let code = mail.code.unwrap();
    // Re-inviting re-sends the same code.
    post(
        &emu,
        invite,
        a,
        &[
            ("handle", "bob@example.com"),
            ("senderUserId", "u1"),
            ("metaData", r#"{"team":"red"}"#),
        ],
    )
    .await
    .assert_true();
    assert_eq!(code_for(&emu, "bob@example.com").await, code);

    let register = "/api/appuser/register";
    let pw = md5("bobpw");
    post(
        &emu,
        register,
        Auth::None,
        &[
            ("handle", "bob@example.com"),
            ("password", &pw),
            ("code", &code),
        ],
    )
    .await
    .assert_code(403);
    post(
        &emu,
        register,
        t,
        &[
            ("handle", "bob@example.com"),
            ("password", "short"),
            ("code", &code),
            ("metaData", meta),
        ],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        register,
        t,
        &[
            ("handle", "bob@example.com"),
            ("password", &pw),
            ("code", "1x"),
            ("metaData", meta),
        ],
    )
    .await
    .assert_code(602);
    let wrong = if code == "123456" { "654321" } else { "123456" };
    post(
        &emu,
        register,
        t,
        &[
            ("handle", "bob@example.com"),
            ("password", &pw),
            ("code", wrong),
            ("metaData", meta),
        ],
    )
    .await
    .assert_code(602);
    // register compares locales exactly.
    post(
        &emu,
        register,
        t,
        &[
            ("handle", "bob@example.com"),
            ("password", &pw),
            ("code", &code),
            ("metaData", meta),
            ("locale", "fr"),
        ],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        register,
        t,
        &[
            ("handle", "bob@example.com"),
            ("password", &pw),
            ("code", &code),
            ("metaData", "{x"),
        ],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        register,
        t,
        &[
            ("handle", "bob@example.com"),
            ("password", &pw),
            ("code", &code),
        ],
    )
    .await
    .assert_code(604);
    let (jwt, _) = post(
        &emu,
        register,
        t,
        &[
            ("handle", "BOB@example.com"),
            ("password", &pw),
            ("code", &code),
            ("metaData", r#"{"user_data":{"name":"Bob"}}"#),
            ("locale", "FR"),
        ],
    )
    .await
    .tokens();
    let (claims, _) = verify(&jwt, &app.public_key_pem);
    assert_eq!(claims["sub"], "bob@example.com");
    assert_eq!(claims["team"], "red", "invite metadata is merged in");
    assert_eq!(claims["user_data"]["name"], "Bob");
    post(
        &emu,
        register,
        t,
        &[
            ("handle", "bob@example.com"),
            ("password", &pw),
            ("code", &code),
            ("metaData", meta),
        ],
    )
    .await
    .assert_code(601);
    login(&emu, &app.app_token, "bob@example.com", "bobpw").await;

    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            invitation_enabled: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(
        &emu,
        invite,
        a,
        &[
            ("handle", "cy@example.com"),
            ("senderUserId", "u1"),
            ("metaData", r#"{"team":"red"}"#),
        ],
    )
    .await
    .assert_code(406);
    post(
        &emu,
        register,
        t,
        &[
            ("handle", "cy@example.com"),
            ("password", &pw),
            ("code", "123456"),
        ],
    )
    .await
    .assert_code(406);
}

#[tokio::test]
async fn register_with_app_token_and_missing_parameter_hangs() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("hang")).await;
    let request = post_request(
        &emu,
        "/api/appuser/register",
        Auth::App(&app.app_token),
        &[("handle", "a@b.co"), ("code", "123456")],
    );
    assert!(hangs(request, 2).await);
    let quick = emulator_no_hang().await;
    let app = crate::support::app(&quick, NewApp::named("quick")).await;
    post(
        &quick,
        "/api/appuser/register",
        Auth::App(&app.app_token),
        &[("handle", "a@b.co"), ("code", "123456")],
    )
    .await
    .assert_code(403);
}

#[tokio::test]
async fn invite_refuses_unparsable_metadata_without_invite_fields() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("plain").signup_flow(SignupFlow::None)).await;
    let (_, ann) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let invite = |meta: Option<&'static str>| {
        let mut params = vec![("handle", "bob@example.com"), ("senderUserId", "u1")];
        params.extend(meta.map(|m| ("metaData", m)));
        let (emu, ann) = (&emu, ann.clone());
        async move { post(emu, "/api/appuser/invite", Auth::Access(&ann), &params).await }
    };
    invite(Some("{x")).await.assert_code(604);
    assert!(emu.outbox_to("bob@example.com").await.unwrap().is_empty());
    invite(None).await.assert_true();
    invite(Some(r#"{"anything":"goes"}"#)).await.assert_true();
}
