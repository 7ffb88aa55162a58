//! Every client call and every flow, end to end against a real `cosync-emulator` over loopback
//! HTTP. Codes are read from the emulator's outbox, as a user would read their e-mail or SMS.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use cosync_emulator::{
    AppSettingsPatch, MetaDataField, NewApp, SignupFlow, SocialToken, TwoFactor,
};
use cosync_runtime::{
    AccountProof, ApiErrorCode, Error, LoginOutcome, SignupCompletion, SignupOptions,
    SignupOutcome, SocialProvider,
};
use cosync_test_support::totp;
use serde_json::json;

use common::{handle, start};

const PASSWORD: &str = "Correct horse battery staple!";

fn session_of(outcome: LoginOutcome) -> cosync_runtime::Session {
    match outcome {
        LoginOutcome::SignedIn(session) => session,
        LoginOutcome::TwoFactorRequired(_) => panic!("unexpected two-factor challenge"),
    }
}

#[tokio::test]
async fn signup_with_an_emailed_code_then_login() {
    let env = start(NewApp::named("code-flow").signup_flow(SignupFlow::Code)).await;
    let ann = handle("ann");

    let application = env.client.get_application().await.unwrap();
    assert_eq!(application.name.as_deref(), Some("code-flow"));
    assert_eq!(
        application.signup_flow,
        Some(cosync_runtime::SignupFlow::Code)
    );

    let outcome = env
        .client
        .signup(&ann, PASSWORD, &SignupOptions::default())
        .await
        .unwrap();
    assert_eq!(outcome, SignupOutcome::CodeSent);

    // Not verified yet: login says so.
    let early = env.client.login(&ann, PASSWORD).await.unwrap_err();
    assert_eq!(early.api_code(), Some(ApiErrorCode::AccountNotVerified));

    let code = env.code_to(&ann).await;
    let SignupCompletion::SignedIn(session) =
        env.client.complete_signup(&ann, &code).await.unwrap()
    else {
        panic!("flow `code` signs in")
    };
    let claims = env
        .client
        .config()
        .verify_user_jwt(session.jwt().expose())
        .unwrap();
    assert_eq!(claims.sub, ann);
    assert_eq!(claims.aud, "none");
    assert_eq!(claims.email.as_deref(), Some(ann.as_str()));
    assert_eq!(session.handle().as_deref(), Some(ann.as_str()));

    let session = session_of(env.client.login(&ann, PASSWORD).await.unwrap());
    let user = env.client.get_user(&session).await.unwrap();
    assert_eq!(user.handle.as_deref(), Some(ann.as_str()));
    assert_eq!(user.locale.as_deref(), Some("EN"));

    let wrong = env.client.login(&ann, "wrong password").await.unwrap_err();
    assert_eq!(
        wrong.api_code(),
        Some(ApiErrorCode::InvalidLoginCredentials)
    );
}

#[tokio::test]
async fn signup_with_an_emailed_link() {
    let env = start(NewApp::named("link-flow").signup_flow(SignupFlow::Link)).await;
    let bob = handle("bob");
    let outcome = env
        .client
        .signup(&bob, PASSWORD, &SignupOptions::default())
        .await
        .unwrap();
    assert_eq!(outcome, SignupOutcome::LinkSent);

    // The user clicks the link: a plain GET, as a browser would.
    let link = env
        .emulator
        .outbox_to(&bob)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .find_map(|m| m.link)
        .expect("a link was e-mailed");
    let page = reqwest::get(&link).await.unwrap();
    let status = page.status();
    let text = page.text().await.unwrap();
    assert!(status.is_success(), "{status} {text}");

    let session = session_of(env.client.login(&bob, PASSWORD).await.unwrap());
    assert!(env.client.get_user(&session).await.is_ok());

    // The API call with the code also verifies the account in this flow, then the user logs in.
    let cy = handle("cy");
    env.client
        .signup(&cy, PASSWORD, &SignupOptions::default())
        .await
        .unwrap();
    let code = env.code_to(&cy).await;
    let completion = env.client.complete_signup(&cy, &code).await.unwrap();
    assert_eq!(completion, SignupCompletion::Verified);
    assert!(env.client.login(&cy, PASSWORD).await.is_ok());
    let twice = env.client.complete_signup(&cy, &code).await.unwrap_err();
    assert_eq!(
        twice.api_code(),
        Some(ApiErrorCode::HandleAlreadyRegistered)
    );
}

#[tokio::test]
async fn signup_without_verification_signs_in_at_once() {
    let env = start(NewApp::named("none-flow").signup_flow(SignupFlow::None)).await;
    let cat = handle("Cat+tag");
    let outcome = env
        .client
        .signup(&cat, PASSWORD, &SignupOptions::default().locale("EN"))
        .await
        .unwrap();
    let SignupOutcome::SignedIn(session) = outcome else {
        panic!("{outcome:?}")
    };
    // `+` survived form encoding (it must travel as %2B); the server lowercases handles.
    let user = env.client.get_user(&session).await.unwrap();
    assert_eq!(user.handle.as_deref(), Some(cat.to_lowercase().as_str()));
    let again = env
        .client
        .signup(&cat, PASSWORD, &SignupOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        again.api_code(),
        Some(ApiErrorCode::HandleAlreadyRegistered)
    );
}

#[tokio::test]
async fn invite_and_register() {
    let env = start(NewApp::named("invites").signup_flow(SignupFlow::None)).await;
    let host = handle("host");
    let SignupOutcome::SignedIn(session) = env
        .client
        .signup(&host, PASSWORD, &SignupOptions::default())
        .await
        .unwrap()
    else {
        panic!()
    };
    let guest = handle("guest");
    env.client
        .invite(
            &session,
            &guest,
            "realm-user-id-of-host",
            Some(&json!({"team": "blue"})),
        )
        .await
        .unwrap();
    let code = env.code_to(&guest).await;
    let guest_session = env
        .client
        .register(&guest, PASSWORD, &code, &SignupOptions::default())
        .await
        .unwrap();
    let me = env.client.signed_in(guest_session);
    assert_eq!(
        me.get_user().await.unwrap().handle.as_deref(),
        Some(guest.as_str())
    );
    let reused = env
        .client
        .register(&guest, PASSWORD, &code, &SignupOptions::default())
        .await
        .unwrap_err();
    // COSYNC.md 3.6 #11: an invitation already used (the user exists) is 601.
    assert_eq!(
        reused.api_code(),
        Some(ApiErrorCode::HandleAlreadyRegistered),
        "{reused:?}"
    );
}

#[tokio::test]
async fn forgot_reset_and_change_password() {
    let env = start(NewApp::named("passwords").signup_flow(SignupFlow::None)).await;
    let dan = handle("dan");
    env.client
        .signup(&dan, PASSWORD, &SignupOptions::default())
        .await
        .unwrap();

    env.client.forgot_password(&dan).await.unwrap();
    let code = env.code_to(&dan).await;
    env.client
        .reset_password(&dan, "second password", &code)
        .await
        .unwrap();
    assert!(env.client.login(&dan, PASSWORD).await.is_err());
    let session = session_of(env.client.login(&dan, "second password").await.unwrap());

    env.client
        .change_password(&session, "second password", "third password")
        .await
        .unwrap();
    assert!(env.client.login(&dan, "third password").await.is_ok());
    let wrong = env
        .client
        .change_password(&session, "not the password", "fourth")
        .await
        .unwrap_err();
    assert_eq!(wrong.api_code(), Some(ApiErrorCode::InvalidData));

    let nobody = env
        .client
        .forgot_password(&handle("nobody"))
        .await
        .unwrap_err();
    assert_eq!(nobody.api_code(), Some(ApiErrorCode::AccountDoesNotExist));
}

#[tokio::test]
async fn phone_two_factor_login() {
    let env = start(
        NewApp::named("phone-2fa")
            .signup_flow(SignupFlow::None)
            .two_factor(TwoFactor::Phone),
    )
    .await;
    let eve = handle("eve");
    let SignupOutcome::SignedIn(session) = env
        .client
        .signup(&eve, PASSWORD, &SignupOptions::default())
        .await
        .unwrap()
    else {
        panic!()
    };
    let me = env.client.signed_in(session);
    // Enabling before the phone is verified is refused.
    let early = me.set_two_factor_phone(true).await.unwrap_err();
    assert_eq!(early.api_code(), Some(ApiErrorCode::PhoneNotVerified));

    let phone = "+15555550123";
    me.set_phone(phone).await.unwrap();
    let sms = env.code_to(phone).await;
    let wrong = me.verify_phone("000000").await.unwrap_err();
    assert_eq!(wrong.api_code(), Some(ApiErrorCode::InvalidData));
    me.verify_phone(&sms).await.unwrap();
    assert_eq!(me.set_two_factor_phone(true).await.unwrap(), None);
    let user = me.get_user().await.unwrap();
    assert_eq!(user.phone_verified, Some(true));
    assert_eq!(user.two_factor_phone_verification, Some(true));

    let LoginOutcome::TwoFactorRequired(challenge) =
        env.client.login(&eve, PASSWORD).await.unwrap()
    else {
        panic!("expected a two-factor challenge")
    };
    let code = env.code_to(phone).await;
    let session = env.client.login_complete(&challenge, &code).await.unwrap();
    assert!(
        env.client
            .config()
            .verify_user_jwt(session.jwt().expose())
            .is_ok()
    );

    // Turning it off makes login direct again.
    env.client
        .signed_in(session)
        .set_two_factor_phone(false)
        .await
        .unwrap();
    assert!(matches!(
        env.client.login(&eve, PASSWORD).await.unwrap(),
        LoginOutcome::SignedIn(_)
    ));
}

#[tokio::test]
async fn google_authenticator_login_with_a_real_totp_code() {
    let env = start(
        NewApp::named("google-2fa")
            .signup_flow(SignupFlow::None)
            .two_factor(TwoFactor::Google),
    )
    .await;
    let fay = handle("fay");
    let SignupOutcome::SignedIn(session) = env
        .client
        .signup(&fay, PASSWORD, &SignupOptions::default())
        .await
        .unwrap()
    else {
        panic!()
    };
    let enrolment = env
        .client
        .set_two_factor_google(&session, true)
        .await
        .unwrap()
        .expect("the secret to show the user");
    assert!(
        enrolment
            .qr_data_image
            .starts_with("data:image/png;base64,")
    );
    assert!(!format!("{enrolment:?}").contains(enrolment.secret.expose()));

    let LoginOutcome::TwoFactorRequired(challenge) =
        env.client.login(&fay, PASSWORD).await.unwrap()
    else {
        panic!("expected a two-factor challenge")
    };
    let wrong = env.client.login_complete(&challenge, "000000").await;
    // A wrong code may collide with the real one once in a million; accept either, but a right
    // code must work.
    if let Err(error) = &wrong {
        assert_eq!(
            error.api_code(),
            Some(ApiErrorCode::InvalidLoginCredentials)
        );
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = totp::code(enrolment.secret.expose(), now);
    let session = match env.client.login_complete(&challenge, &code).await {
        Ok(session) => session,
        // The 30-second window may have just turned: the next code is valid then.
        Err(_) => env
            .client
            .login_complete(&challenge, &totp::code(enrolment.secret.expose(), now + 30))
            .await
            .unwrap(),
    };
    assert!(
        env.client
            .get_user(&session)
            .await
            .unwrap()
            .two_factor_google_verification
            == Some(true)
    );

    // Turning it off: `true`, and login is direct again.
    let me = env.client.signed_in(session);
    assert_eq!(me.set_two_factor_google(false).await.unwrap(), None);
    assert_eq!(
        me.get_user().await.unwrap().two_factor_google_verification,
        Some(false)
    );
    assert!(matches!(
        env.client.login(&fay, PASSWORD).await.unwrap(),
        LoginOutcome::SignedIn(_)
    ));

    // On a Google-mode app the phone switch enrols Google Authenticator (COSYNC.md 3.6 #22).
    let again = me
        .set_two_factor_phone(true)
        .await
        .unwrap()
        .expect("the phone switch answers the Google secret on a Google app");
    assert!(again.qr_data_image.starts_with("data:image/png;base64,"));
    let user = me.get_user().await.unwrap();
    assert_eq!(user.two_factor_google_verification, Some(true));
    let LoginOutcome::TwoFactorRequired(challenge) =
        env.client.login(&fay, PASSWORD).await.unwrap()
    else {
        panic!("expected a two-factor challenge after enrolling through the phone switch")
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = totp::code(again.secret.expose(), now);
    if env.client.login_complete(&challenge, &code).await.is_err() {
        env.client
            .login_complete(&challenge, &totp::code(again.secret.expose(), now + 30))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn anonymous_login() {
    let env = start(NewApp::named("anon").anonymous_login(true)).await;
    let session = env.client.login_anonymous("ANON_0d7f5e3a").await.unwrap();
    let claims = env
        .client
        .config()
        .verify_user_jwt(session.jwt().expose())
        .unwrap();
    assert!(claims.sub.contains("ANON_"));
    let refused = env
        .client
        .login_anonymous("not-anonymous")
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::InvalidInput(_)), "{refused:?}");

    let closed = start(NewApp::named("no-anon")).await;
    let error = closed.client.login_anonymous("ANON_1").await.unwrap_err();
    assert_eq!(
        error.api_code(),
        Some(ApiErrorCode::AnonymousLoginNotSupported)
    );
}

#[tokio::test]
async fn user_names_locales_and_metadata() {
    let env = start(
        NewApp::named("profile")
            .signup_flow(SignupFlow::None)
            .user_names(true)
            .realm_app_id("profile-abcde")
            .metadata_field(MetaDataField {
                path: "user_data.name".into(),
                field_name: "name".into(),
                required: true,
                can_edit: true,
            }),
    )
    .await;
    env.emulator
        .update_app(
            &env.app.app_id,
            AppSettingsPatch {
                locales: Some(vec!["EN".into(), "FR".into()]),
                ..AppSettingsPatch::default()
            },
        )
        .await
        .unwrap();
    let gil = handle("gil");
    let missing = env
        .client
        .signup(&gil, PASSWORD, &SignupOptions::default())
        .await
        .unwrap_err();
    assert_eq!(missing.api_code(), Some(ApiErrorCode::InvalidMetadata));

    let SignupOutcome::SignedIn(session) = env
        .client
        .signup(
            &gil,
            PASSWORD,
            &SignupOptions::default().metadata(json!({"user_data": {"name": "Gil"}})),
        )
        .await
        .unwrap()
    else {
        panic!()
    };
    let claims = env
        .client
        .config()
        .verify_user_jwt(session.jwt().expose())
        .unwrap();
    assert_eq!(claims.aud, "profile-abcde");
    assert_eq!(claims.metadata["user_data"], json!({"name": "Gil"}));

    let me = env.client.signed_in(session);
    assert!(me.user_name_available("gil_the_great").await.unwrap());
    me.set_user_name("gil_the_great").await.unwrap();
    assert!(!me.user_name_available("gil_the_great").await.unwrap());
    // Log in by user name.
    assert!(env.client.login("gil_the_great", PASSWORD).await.is_ok());

    me.set_locale("FR").await.unwrap();
    let wrong = me.set_locale("DE").await.unwrap_err();
    assert_eq!(wrong.api_code(), Some(ApiErrorCode::InvalidData));

    me.set_user_metadata(&json!({"user_data": {"name": "Gilbert"}}))
        .await
        .unwrap();
    let user = me.get_user().await.unwrap();
    assert_eq!(user.locale.as_deref(), Some("FR"));
    assert_eq!(user.user_name.as_deref(), Some("gil_the_great"));
    assert_eq!(user.metadata.unwrap()["user_data"]["name"], "Gilbert");

    let application = env.client.get_application().await.unwrap();
    assert_eq!(application.user_names_enabled, Some(true));
    assert_eq!(
        application.locales,
        Some(vec!["EN".to_owned(), "FR".to_owned()])
    );
    let fields = application.metadata_fields.unwrap();
    assert_eq!(fields[0].path.as_deref(), Some("user_data.name"));
}

#[tokio::test]
async fn social_signup_login_and_delete() {
    let env = start(NewApp::named("social").signup_flow(SignupFlow::None)).await;
    env.emulator
        .update_app(
            &env.app.app_id,
            AppSettingsPatch {
                apple_login_enabled: Some(true),
                apple_bundle_id: Some("com.example.app".into()),
                ..AppSettingsPatch::default()
            },
        )
        .await
        .unwrap();
    let hal = handle("hal");
    let token = env
        .emulator
        .social_token(&SocialToken::new(
            cosync_emulator::SocialProvider::Apple,
            "com.example.app",
            &hal,
        ))
        .await
        .unwrap();
    let session = env
        .client
        .social_signup(
            &token,
            SocialProvider::Apple,
            &hal,
            &SignupOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        env.client
            .get_user(&session)
            .await
            .unwrap()
            .login_provider
            .as_deref(),
        Some("apple")
    );
    let again = env
        .client
        .social_login(&token, SocialProvider::Apple)
        .await
        .unwrap();
    env.client
        .delete_account(&again, AccountProof::SocialToken(&token))
        .await
        .unwrap();
    let gone = env
        .client
        .social_login(&token, SocialProvider::Apple)
        .await
        .unwrap_err();
    assert_eq!(gone.api_code(), Some(ApiErrorCode::AccountDoesNotExist));

    let google = env
        .client
        .social_login(&token, SocialProvider::Google)
        .await
        .unwrap_err();
    assert_eq!(
        google.api_code(),
        Some(ApiErrorCode::GoogleLoginNotSupported)
    );
}

#[tokio::test]
async fn delete_account_with_the_password() {
    let env = start(NewApp::named("delete").signup_flow(SignupFlow::None)).await;
    let ivy = handle("ivy");
    let SignupOutcome::SignedIn(session) = env
        .client
        .signup(&ivy, PASSWORD, &SignupOptions::default())
        .await
        .unwrap()
    else {
        panic!()
    };
    let wrong = env
        .client
        .delete_account(
            &session,
            AccountProof::Password {
                handle: &ivy,
                password: "nope",
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        wrong.api_code(),
        Some(ApiErrorCode::InvalidLoginCredentials)
    );
    env.client
        .delete_account(
            &session,
            AccountProof::Password {
                handle: &ivy,
                password: PASSWORD,
            },
        )
        .await
        .unwrap();
    let gone = env.client.login(&ivy, PASSWORD).await.unwrap_err();
    assert_eq!(gone.api_code(), Some(ApiErrorCode::InvalidLoginCredentials));
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let env = start(NewApp::named("debug").signup_flow(SignupFlow::None)).await;
    let SignupOutcome::SignedIn(session) = env
        .client
        .signup(&handle("jo"), PASSWORD, &SignupOptions::default())
        .await
        .unwrap()
    else {
        panic!()
    };
    let printed = format!(
        "{session:?} {:?} {:?}",
        env.client,
        env.client.signed_in(session.clone())
    );
    assert!(!printed.contains(session.jwt().expose()));
    assert!(!printed.contains(session.access_token().expose()));
    assert!(!printed.contains(&env.app.app_token[40..]));
    let proof = AccountProof::Password {
        handle: "a@b.c",
        password: PASSWORD,
    };
    assert!(!format!("{proof:?}").contains(PASSWORD));
}

/// Compile-time checks: the client, its handles and the futures of every call can cross
/// threads (`tokio::spawn`, `Arc<Client>` in a web server's state).
#[test]
fn clients_sessions_and_call_futures_are_send_and_sync() {
    use cosync_runtime::{Client, Config, Session, SignedIn};

    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>(_: T) {}

    send_sync::<Client>();
    send_sync::<Session>();
    send_sync::<SignedIn>();
    send_sync::<Config>();
    send_sync::<Error>();
    send_sync::<cosync_runtime::LoginChallenge>();
    send_sync::<cosync_runtime::GoogleTwoFactor>();

    let config = Config::new(
        cosync_runtime::AppToken::parse(&cosync_test_support::mint::app_token()).unwrap(),
        cosync_runtime::PublicKey::parse(cosync_test_support::keys::APP_PUBLIC).unwrap(),
    );
    let client = Client::new(config);
    let session = Session::from_tokens("a.b.c", "d.e.f");
    let challenge = cosync_runtime::LoginChallenge::from_login_token("g.h.i");
    let options = SignupOptions::default();
    let metadata = json!({});
    let me = client.signed_in(session.clone());
    // Built, never polled.
    send(client.get_application());
    send(client.login("a", "b"));
    send(client.login_complete(&challenge, "1"));
    send(client.login_anonymous("ANON_1"));
    send(client.signup("a", "b", &options));
    send(client.complete_signup("a", "1"));
    send(client.register("a", "b", "1", &options));
    send(client.forgot_password("a"));
    send(client.reset_password("a", "b", "1"));
    send(client.social_login("t", SocialProvider::Apple));
    send(client.social_signup("t", SocialProvider::Google, "a", &options));
    send(client.invite(&session, "a", "u", Some(&metadata)));
    send(client.change_password(&session, "a", "b"));
    send(client.get_user(&session));
    send(client.user_name_available(&session, "n"));
    send(client.set_user_name(&session, "n"));
    send(client.set_locale(&session, "EN"));
    send(client.set_user_metadata(&session, &metadata));
    send(client.set_phone(&session, "+1"));
    send(client.verify_phone(&session, "1"));
    send(client.set_two_factor_phone(&session, true));
    send(client.set_two_factor_google(&session, true));
    send(client.delete_account(&session, AccountProof::SocialToken("t")));
    send(me.get_user());
    send(me.invite("a", "u", None));
    send(me.change_password("a", "b"));
    send(me.user_name_available("n"));
    send(me.set_user_name("n"));
    send(me.set_locale("EN"));
    send(me.set_user_metadata(&metadata));
    send(me.set_phone("+1"));
    send(me.verify_phone("1"));
    send(me.set_two_factor_phone(false));
    send(me.set_two_factor_google(false));
    send(me.delete_account(AccountProof::Password {
        handle: "a",
        password: "b",
    }));
}
