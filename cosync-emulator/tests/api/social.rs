//! `socialLogin`, `socialSignup` and social `deleteAccount`, with tokens from the emulator's
//! stand-in provider key (COSYNC.md 3.6 #8, #9, #24).

use cosync_emulator::{AppSettingsPatch, NewApp, SignupFlow, SocialProvider, SocialToken};

use crate::support::*;

async fn social_app(emu: &cosync_emulator::Emulator) -> cosync_emulator::CreatedApp {
    let mut new = NewApp::named("social").signup_flow(SignupFlow::None);
    new.settings.apple_login_enabled = true;
    new.settings.apple_bundle_id = Some("com.example.one, com.example.two".into());
    new.settings.google_login_enabled = true;
    new.settings.google_client_id = Some("client-1.apps.googleusercontent.com".into());
    app(emu, new).await
}

#[tokio::test]
async fn social_signup_and_login() {
    let emu = emulator().await;
    let app = social_app(&emu).await;
    let t = Auth::App(&app.app_token);
    let apple = emu
        .social_token(&SocialToken::new(
            SocialProvider::Apple,
            "com.example.two",
            "ann@example.com",
        ))
        .await
        .unwrap();
    // The token verifies with the published stand-in key and looks like Apple's.
    let key = get(&emu, "/_emulator/social/public-key", Auth::None)
        .await
        .text;
    let (claims, _) = verify(&apple, &key);
    assert_eq!(claims["iss"], "https://appleid.apple.com");

    let signup = "/api/appuser/socialSignup";
    post(
        &emu,
        signup,
        Auth::None,
        &[
            ("token", &apple),
            ("provider", "apple"),
            ("handle", "ann@example.com"),
        ],
    )
    .await
    .assert_code(400);
    post(&emu, signup, t, &[("token", &apple), ("provider", "apple")])
        .await
        .assert_code(403);
    post(
        &emu,
        signup,
        t,
        &[
            ("token", &apple),
            ("provider", "facebook"),
            ("handle", "ann@example.com"),
        ],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        signup,
        t,
        &[
            ("token", &apple),
            ("provider", "apple"),
            ("handle", "ann@example.com"),
            ("locale", "XX"),
        ],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        signup,
        t,
        &[
            ("token", &apple),
            ("provider", "apple"),
            ("handle", "ann@example.com"),
            ("metaData", "{x"),
        ],
    )
    .await
    .assert_code(602);
    post(
        &emu,
        signup,
        t,
        &[
            ("token", &apple),
            ("provider", "apple"),
            ("handle", "other@example.com"),
        ],
    )
    .await
    .assert_code(613);
    post(
        &emu,
        signup,
        t,
        &[
            ("token", "not.a.token"),
            ("provider", "apple"),
            ("handle", "ann@example.com"),
        ],
    )
    .await
    .assert_code(613);
    // A Google token is not an Apple token (issuer and audience differ).
    let google_ann = emu
        .social_token(&SocialToken::new(
            SocialProvider::Google,
            "client-1.apps.googleusercontent.com",
            "ann@example.com",
        ))
        .await
        .unwrap();
    post(
        &emu,
        signup,
        t,
        &[
            ("token", &google_ann),
            ("provider", "apple"),
            ("handle", "ann@example.com"),
        ],
    )
    .await
    .assert_code(613);
    let (jwt, access) = post(
        &emu,
        signup,
        t,
        &[
            ("token", &apple),
            ("provider", "apple"),
            ("handle", "Ann@example.com"),
        ],
    )
    .await
    .tokens();
    verify(&jwt, &app.public_key_pem);
    assert_eq!(
        get(&emu, "/api/appuser/getUser", Auth::Access(&access))
            .await
            .json()["loginProvider"],
        "apple"
    );
    assert_eq!(
        emu.outbox_to("ann@example.com")
            .await
            .unwrap()
            .pop()
            .unwrap()
            .template,
        "welcome"
    );
    post(
        &emu,
        signup,
        t,
        &[
            ("token", &apple),
            ("provider", "apple"),
            ("handle", "ann@example.com"),
        ],
    )
    .await
    .assert_code(611);

    let login = "/api/appuser/socialLogin";
    post(&emu, login, t, &[("token", &apple)])
        .await
        .assert_code(403);
    post(
        &emu,
        login,
        Auth::None,
        &[("token", &apple), ("provider", "apple")],
    )
    .await
    .assert_code(403);
    post(&emu, login, t, &[("token", &apple), ("provider", "x")])
        .await
        .assert_code(602);
    post(&emu, login, t, &[("token", "bad"), ("provider", "apple")])
        .await
        .assert_code(613);
    let (jwt, _) = post(&emu, login, t, &[("token", &apple), ("provider", "apple")])
        .await
        .tokens();
    assert_eq!(
        verify(&jwt, &app.public_key_pem).0["sub"],
        "ann@example.com"
    );
    // Found by `sub` when the token has no e-mail (Apple omits it after the first sign-in).
    let mut no_email =
        SocialToken::new(SocialProvider::Apple, "com.example.one", "ann@example.com");
    no_email.email = None;
    no_email.sub = Some("ann@example.com".into());
    let token = emu.social_token(&no_email).await.unwrap();
    post(&emu, login, t, &[("token", &token), ("provider", "apple")])
        .await
        .tokens();
    // Unknown account; accounts registered another way.
    let stranger = emu
        .social_token(&SocialToken::new(
            SocialProvider::Apple,
            "com.example.one",
            "zed@example.com",
        ))
        .await
        .unwrap();
    post(
        &emu,
        login,
        t,
        &[("token", &stranger), ("provider", "apple")],
    )
    .await
    .assert_code(603);
    post(
        &emu,
        login,
        t,
        &[("token", &google_ann), ("provider", "google")],
    )
    .await
    .assert_code(611);
    signup_none(&emu, &app.app_token, "pw@example.com", "pw").await;
    let google_pw = emu
        .social_token(&SocialToken::new(
            SocialProvider::Google,
            "client-1.apps.googleusercontent.com",
            "pw@example.com",
        ))
        .await
        .unwrap();
    post(
        &emu,
        login,
        t,
        &[("token", &google_pw), ("provider", "google")],
    )
    .await
    .assert_code(610);
    post(
        &emu,
        signup,
        t,
        &[
            ("token", &google_pw),
            ("provider", "google"),
            ("handle", "pw@example.com"),
        ],
    )
    .await
    .assert_code(610);
    let google_gus = emu
        .social_token(&SocialToken::new(
            SocialProvider::Google,
            "client-1.apps.googleusercontent.com",
            "gus@example.com",
        ))
        .await
        .unwrap();
    post(
        &emu,
        signup,
        t,
        &[
            ("token", &google_gus),
            ("provider", "google"),
            ("handle", "gus@example.com"),
        ],
    )
    .await
    .tokens();
    let apple_gus = emu
        .social_token(&SocialToken::new(
            SocialProvider::Apple,
            "com.example.one",
            "gus@example.com",
        ))
        .await
        .unwrap();
    post(
        &emu,
        login,
        t,
        &[("token", &apple_gus), ("provider", "apple")],
    )
    .await
    .assert_code(612);

    // Expired tokens are refused.
    let mut short = SocialToken::new(SocialProvider::Apple, "com.example.one", "ann@example.com");
    short.expires_in = Some(60);
    let token = emu.social_token(&short).await.unwrap();
    emu.advance_clock(std::time::Duration::from_secs(120));
    post(&emu, login, t, &[("token", &token), ("provider", "apple")])
        .await
        .assert_code(613);
}

#[tokio::test]
async fn providers_must_be_enabled() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("plain")).await;
    let t = Auth::App(&app.app_token);
    let token = emu
        .social_token(&SocialToken::new(
            SocialProvider::Apple,
            "com.example.one",
            "ann@example.com",
        ))
        .await
        .unwrap();
    for (path, extra) in [
        ("/api/appuser/socialLogin", None),
        ("/api/appuser/socialSignup", Some("ann@example.com")),
    ] {
        let mut params = vec![("token", token.as_str()), ("provider", "apple")];
        if let Some(h) = extra {
            params.push(("handle", h));
        }
        post(&emu, path, t, &params).await.assert_code(415);
        params[1] = ("provider", "google");
        post(&emu, path, t, &params).await.assert_code(416);
    }
    // Enabled without an audience is still not supported.
    emu.update_app(
        &app.app_id,
        AppSettingsPatch {
            apple_login_enabled: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    post(
        &emu,
        "/api/appuser/socialLogin",
        t,
        &[("token", &token), ("provider", "apple")],
    )
    .await
    .assert_code(415);
}

#[tokio::test]
async fn social_signup_missing_required_metadata_hangs() {
    for hang in [true, false] {
        let emu = builder().hang_on_malformed(hang).start().await.unwrap();
        let mut new =
            NewApp::named("meta").metadata_field("user_data.name:name:required".parse().unwrap());
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
        let params = [
            ("token", token.as_str()),
            ("provider", "apple"),
            ("handle", "ann@example.com"),
        ];
        let request = post_request(
            &emu,
            "/api/appuser/socialSignup",
            Auth::App(&app.app_token),
            &params,
        );
        if hang {
            assert!(hangs(request, 2).await);
        } else {
            send(request).await.assert_code(604);
        }
    }
}

#[tokio::test]
async fn social_signup_over_a_google_account_is_612() {
    let emu = emulator().await;
    let app = social_app(&emu).await;
    let t = Auth::App(&app.app_token);
    let google = emu
        .social_token(&SocialToken::new(
            SocialProvider::Google,
            "client-1.apps.googleusercontent.com",
            "gus@example.com",
        ))
        .await
        .unwrap();
    let apple = emu
        .social_token(&SocialToken::new(
            SocialProvider::Apple,
            "com.example.one",
            "gus@example.com",
        ))
        .await
        .unwrap();
    let signup = "/api/appuser/socialSignup";
    post(
        &emu,
        signup,
        t,
        &[
            ("token", &google),
            ("provider", "google"),
            ("handle", "gus@example.com"),
        ],
    )
    .await
    .tokens();
    for (token, provider) in [(&apple, "apple"), (&google, "google")] {
        post(
            &emu,
            signup,
            t,
            &[
                ("token", token),
                ("provider", provider),
                ("handle", "gus@example.com"),
            ],
        )
        .await
        .assert_code(612);
    }
}
