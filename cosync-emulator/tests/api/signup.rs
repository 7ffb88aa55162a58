//! `signup` and `completeSignup` in all three flows (COSYNC.md 3.6 #5–7).

use std::time::Duration;

use cosync_emulator::{AppSettingsPatch, NewApp, SignupFlow};

use crate::support::*;

const SIGNUP: &str = "/api/appuser/signup";
const COMPLETE: &str = "/api/appuser/completeSignup";

#[tokio::test]
async fn signup_errors() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("s").metadata_field("user_data.name:name:required".parse().unwrap()),
    )
    .await;
    let t = Auth::App(&app.app_token);
    let pw = md5("pw");
    let meta = r#"{"user_data":{"name":"Ann"}}"#;
    post(
        &emu,
        SIGNUP,
        Auth::None,
        &[("handle", "a@b.co"), ("password", &pw)],
    )
    .await
    .assert_code(400);
    post(&emu, SIGNUP, t, &[("handle", "a@b.co")])
        .await
        .assert_code(403);
    post(&emu, SIGNUP, t, &[("password", &pw)])
        .await
        .assert_code(403);
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "a@b.co"), ("password", "not-md5")],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        SIGNUP,
        t,
        &[
            ("handle", "a@b.co"),
            ("password", &pw),
            ("metaData", meta),
            ("locale", "FR"),
        ],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        SIGNUP,
        t,
        &[
            ("handle", "a@b.co"),
            ("password", &pw),
            ("metaData", "{nope"),
        ],
    )
    .await
    .assert_code(604);
    post(&emu, SIGNUP, t, &[("handle", "a@b.co"), ("password", &pw)])
        .await
        .assert_code(604);
    post(
        &emu,
        SIGNUP,
        t,
        &[
            ("handle", "a@b.co"),
            ("password", &pw),
            ("metaData", r#"{"user_data":{"name":5}}"#),
        ],
    )
    .await
    .assert_code(604);
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            signup_enabled: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "a@b.co"), ("password", &pw), ("metaData", meta)],
    )
    .await
    .assert_code(407);
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            signup_enabled: Some(true),
            signup_flow: Some(SignupFlow::None),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(
        &emu,
        SIGNUP,
        t,
        &[
            ("handle", "a@b.co"),
            ("password", &pw),
            ("metaData", meta),
            ("locale", "en"),
        ],
    )
    .await
    .tokens();
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "A@B.co"), ("password", &pw), ("metaData", meta)],
    )
    .await
    .assert_code(601);
    // Locales: lower case is upper-cased before the check.
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            locales: Some(vec!["EN".into(), "FR".into()]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (_, access) = post(
        &emu,
        SIGNUP,
        t,
        &[
            ("handle", "fr@b.co"),
            ("password", &pw),
            ("metaData", meta),
            ("locale", "fr"),
        ],
    )
    .await
    .tokens();
    assert_eq!(
        get(&emu, "/api/appuser/getUser", Auth::Access(&access))
            .await
            .json()["locale"],
        "FR"
    );
}

#[tokio::test]
async fn flow_none_returns_tokens_and_a_code() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("none").signup_flow(SignupFlow::None)).await;
    let r = post(
        &emu,
        SIGNUP,
        Auth::App(&app.app_token),
        &[("handle", "Ann@Example.com"), ("password", &md5("pw"))],
    )
    .await;
    let (jwt, _) = r.tokens();
    let body = r.json();
    let code = body["code"].as_i64().expect("numeric code");
    assert!((100_000..=999_999).contains(&code));
    assert_eq!(key_order(&r.text), ["jwt", "access-token", "code"]);
    assert_eq!(
        verify(&jwt, &app.public_key_pem).0["sub"],
        "ann@example.com"
    );
    login(&emu, &app.app_token, "ann@example.com", "pw").await;
    assert!(
        emu.outbox().await.unwrap().is_empty(),
        "flow none sends no e-mail"
    );
}

#[tokio::test]
async fn flow_code() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("code app")).await;
    let t = Auth::App(&app.app_token);
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    let mail = emu.outbox_to("ann@example.com").await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].template, "signUp");
    assert_eq!(mail[0].app_id, app.app_id);
    let code = mail[0].code.clone().unwrap();
    assert!(mail[0].text.contains(&code));
    // Not verified yet: login says 608.
    post(
        &emu,
        "/api/appuser/login",
        t,
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_code(608);
    // Signing up again re-uses the pending code.
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "ann@example.com"), ("password", &md5("pw2"))],
    )
    .await
    .assert_true();
    assert_eq!(code_for(&emu, "ann@example.com").await, code);

    post(&emu, COMPLETE, t, &[("handle", "ann@example.com")])
        .await
        .assert_code(403);
    post(
        &emu,
        COMPLETE,
        Auth::None,
        &[("handle", "ann@example.com"), ("code", &code)],
    )
    .await
    .assert_code(403);
    post(
        &emu,
        COMPLETE,
        t,
        &[("handle", "ann@example.com"), ("code", "12x")],
    )
    .await
    .assert_code(602);
    let wrong = if code == "111111" { "222222" } else { "111111" };
    post(
        &emu,
        COMPLETE,
        t,
        &[("handle", "ann@example.com"), ("code", wrong)],
    )
    .await
    .assert_code(602);
    let (jwt, _) = post(
        &emu,
        COMPLETE,
        t,
        &[("handle", "ANN@example.com"), ("code", &code)],
    )
    .await
    .tokens();
    verify(&jwt, &app.public_key_pem);
    post(
        &emu,
        COMPLETE,
        t,
        &[("handle", "ann@example.com"), ("code", &code)],
    )
    .await
    .assert_code(601);
    // The second password (the latest sign-up) is the one that counts.
    login(&emu, &app.app_token, "ann@example.com", "pw2").await;
    // Sign-up disabled afterwards: 407 for completion too.
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "bob@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    let bob = code_for(&emu, "bob@example.com").await;
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            signup_enabled: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(
        &emu,
        COMPLETE,
        t,
        &[("handle", "bob@example.com"), ("code", &bob)],
    )
    .await
    .assert_code(407);
}

#[tokio::test]
async fn signup_codes_expire_after_48_hours() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("ttl")).await;
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
    emu.advance_clock(Duration::from_secs(49 * 3600));
    post(
        &emu,
        COMPLETE,
        t,
        &[("handle", "ann@example.com"), ("code", &code)],
    )
    .await
    .assert_code(411);
    // Signing up again resets the clock and keeps the code.
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    post(
        &emu,
        COMPLETE,
        t,
        &[("handle", "ann@example.com"), ("code", &code)],
    )
    .await
    .tokens();
}

#[tokio::test]
async fn flow_link() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("link").signup_flow(SignupFlow::Link)).await;
    let t = Auth::App(&app.app_token);
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "a+b@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    let mail = emu
        .outbox_to("a+b@example.com")
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(mail.template, "signUpLink");
    let link = mail.link.clone().unwrap();
    assert!(
        link.starts_with(&format!(
            "{}/api/appuser/completeSignup?appToken=",
            emu.base_url()
        )),
        "{link}"
    );
    assert!(link.contains("handle=a%2Bb%40example.com"), "{link}");
    // Following the link (no header: the query token authenticates).
    let r = send(client().get(&link)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        r.content_type.starts_with("text/html"),
        "{}",
        r.content_type
    );
    assert!(r.text.contains("a+b@example.com"));
    login(&emu, &app.app_token, "a+b@example.com", "pw").await;
    let again = send(client().get(&link)).await;
    again.assert_code(601);

    // POST completion of a link sign-up answers the HTML with the JSON content type.
    post(
        &emu,
        SIGNUP,
        t,
        &[("handle", "bob@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    let code = code_for(&emu, "bob@example.com").await;
    let r = post(
        &emu,
        COMPLETE,
        t,
        &[("handle", "bob@example.com"), ("code", &code)],
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("application/json"));
    assert!(r.text.starts_with("<!DOCTYPE html>"));
}

#[tokio::test]
async fn link_encodes_every_special_character_of_the_handle() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("link").signup_flow(SignupFlow::Link)).await;
    // Characters that split (`&`), escape (`%`, `+`), end (`#`) or pad (space → `+`) a query.
    for handle in [
        "a&code=1@example.com",
        "100%25@example.com",
        "x#y@example.com",
        "p+q=r;s/t?u@example.com",
    ] {
        post(
            &emu,
            SIGNUP,
            Auth::App(&app.app_token),
            &[("handle", handle), ("password", &md5("pw"))],
        )
        .await
        .assert_true();
        let link = emu
            .outbox_to(handle)
            .await
            .unwrap()
            .pop()
            .unwrap()
            .link
            .unwrap();
        let query = link.split_once('?').unwrap().1;
        assert!(!query.contains('#'), "{link}");
        let r = send(client().get(&link)).await;
        assert_eq!(r.status, 200, "{handle}: {link}: {}", r.text);
        login(&emu, &app.app_token, handle, "pw").await;
    }
}

#[tokio::test]
async fn get_complete_signup_errors() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("get").signup_flow(SignupFlow::Link)).await;
    let q = |s: &str| format!("{COMPLETE}?{s}");
    get(&emu, &q("handle=a@b.co&code=1"), Auth::None)
        .await
        .assert_code(403);
    get(
        &emu,
        &q(&format!("appToken={}&handle=a@b.co", app.app_token)),
        Auth::None,
    )
    .await
    .assert_code(403);
    get(
        &emu,
        &q(&format!(
            "appToken={}&handle=a@b.co&code=abc",
            app.app_token
        )),
        Auth::None,
    )
    .await
    .assert_code(602);
    get(&emu, &q("appToken=bad&handle=a@b.co&code=1"), Auth::None)
        .await
        .assert_code(400);
    get(
        &emu,
        &q(&format!(
            "appToken={}&handle=a@b.co&code=123456",
            app.app_token
        )),
        Auth::None,
    )
    .await
    .assert_code(602);
    // With a header token the route checks the query token itself: a user token → HTTP 403.
    let signup_app =
        crate::support::app(&emu, NewApp::named("n").signup_flow(SignupFlow::None)).await;
    let (_, access) = signup_none(&emu, &signup_app.app_token, "x@example.com", "pw").await;
    let r = get(
        &emu,
        &q(&format!("appToken={access}&handle=a@b.co&code=1")),
        Auth::App(&app.app_token),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["code"].as_i64()),
        (403, Some(400)),
        "{}",
        r.text
    );
}

/// The e-mailed link runs the same completion as POST (3.6 #6, #7): 402/413, 407, 411, 401.
#[tokio::test]
async fn get_complete_signup_runs_the_completion_checks() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("link checks").signup_flow(SignupFlow::Link),
    )
    .await;
    let t = Auth::App(&app.app_token);
    let signup = |handle: &'static str| {
        let emu = &emu;
        async move {
            post(
                emu,
                SIGNUP,
                t,
                &[("handle", handle), ("password", &md5("pw"))],
            )
            .await
            .assert_true();
            emu.outbox_to(handle)
                .await
                .unwrap()
                .pop()
                .unwrap()
                .link
                .unwrap()
        }
    };
    let ann = signup("ann@example.com").await;
    let bob = signup("bob@example.com").await;
    let follow = |link: String| async move { send(client().get(&link)).await };
    let patch = |patch: AppSettingsPatch| {
        let emu = &emu;
        let app_id = app.app_id.clone();
        async move { emu.update_app(&app_id, patch).await.unwrap() }
    };

    for (status, code) in [
        (cosync_emulator::AppStatus::Inactive, 402),
        (cosync_emulator::AppStatus::Migrated, 413),
    ] {
        patch(AppSettingsPatch {
            status: Some(status),
            ..Default::default()
        })
        .await;
        follow(ann.clone()).await.assert_code(code);
    }
    patch(AppSettingsPatch {
        status: Some(cosync_emulator::AppStatus::Active),
        signup_enabled: Some(false),
        ..Default::default()
    })
    .await;
    follow(ann.clone()).await.assert_code(407);
    patch(AppSettingsPatch {
        signup_enabled: Some(true),
        ..Default::default()
    })
    .await;
    emu.advance_clock(Duration::from_secs(49 * 3600));
    follow(ann.clone()).await.assert_code(411);
    // None of the refusals used the sign-up up: signing up again renews it, the link works.
    assert_eq!(signup("ann@example.com").await, ann);
    let r = follow(ann).await;
    assert_eq!(r.status, 200, "{}", r.text);

    emu.delete_app(&app.app_id).await.unwrap();
    follow(bob).await.assert_code(401);
}

#[tokio::test]
async fn get_complete_signup_with_unverifiable_query_token_behind_a_header_hangs() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("hang").signup_flow(SignupFlow::Link)).await;
    let request = client()
        .get(format!(
            "{}{COMPLETE}?appToken=forged&handle=a@b.co&code=1",
            emu.base_url()
        ))
        .header("app-token", &app.app_token);
    assert!(hangs(request, 2).await);
    let quick = emulator_no_hang().await;
    let app = crate::support::app(
        &quick,
        NewApp::named("nohang").signup_flow(SignupFlow::Link),
    )
    .await;
    let r = send(
        client()
            .get(format!(
                "{}{COMPLETE}?appToken=forged&handle=a@b.co&code=1",
                quick.base_url()
            ))
            .header("app-token", &app.app_token),
    )
    .await;
    r.assert_code(400);
}
