//! Every token the emulator mints, verified with the right public key and checked against
//! COSYNC.md 1.10 (claims, order, header, key sizes).

use base64ct::{Base64, Encoding};
use cosync_emulator::{MetaDataField, NewApp, SignupFlow, TwoFactor};

use crate::support::*;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn app_token_is_signed_by_the_server_key() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("tokens")).await;
    assert_eq!(app.server_public_key_pem, emu.server_public_key_pem());
    let served = get(&emu, "/_emulator/server-key", Auth::None).await.text;
    assert_eq!(served, emu.server_public_key_pem());
    let (claims, text) = verify(&app.app_token, &served);
    assert_eq!(key_order(&text), ["appId", "scope", "iat"]);
    assert_eq!(claims["scope"], "app");
    assert_eq!(claims["appId"], app.app_id.as_str());
    let id = claims["appId"].as_str().unwrap();
    assert!(
        id.len() == 32
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert_eq!(&id[12..13], "4", "UUID v4 layout");
    assert!("89ab".contains(&id[16..17]), "UUID v4 variant");
    assert!((claims["iat"].as_i64().unwrap() - now()).abs() < 120);
    // 3072-bit server key: 384-byte signature, 512 base64url characters.
    assert_eq!(app.app_token.split('.').nth(2).unwrap().len(), 512);
    assert!(
        !verifies(&app.app_token, &app.public_key_pem),
        "the app key never signs app tokens"
    );
}

#[tokio::test]
async fn user_tokens_have_the_documented_claims() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("claims")
            .signup_flow(SignupFlow::None)
            .user_names(true)
            .realm_app_id("toto-bzvdn")
            .metadata_field("user_data.name:name:required:editable".parse().unwrap())
            .metadata_field("nick:nick".parse().unwrap()),
    )
    .await;
    let r = post(
        &emu,
        "/api/appuser/signup",
        Auth::App(&app.app_token),
        &[
            ("handle", "ann@example.com"),
            ("password", &md5("pw")),
            (
                "metaData",
                r#"{"zeta":"dropped","user_data":{"name":"Ann"},"nick":"annie"}"#,
            ),
        ],
    )
    .await;
    let (jwt, access) = r.tokens();
    post(
        &emu,
        "/api/appuser/setUserName",
        Auth::Access(&access),
        &[("userName", "Annie")],
    )
    .await
    .assert_true();
    let (jwt2, access2) = login(&emu, &app.app_token, "ann@example.com", "pw").await;

    for (token, has_user_name) in [(&jwt, false), (&jwt2, true)] {
        let (claims, text) = verify(token, &app.public_key_pem);
        let mut expected = vec!["aud", "sub", "exp", "email", "user_data", "nick"];
        if has_user_name {
            expected.push("userName");
        }
        expected.push("iat");
        assert_eq!(key_order(&text), expected, "{text}");
        assert_eq!(claims["aud"], "toto-bzvdn");
        assert_eq!(claims["sub"], "ann@example.com");
        assert_eq!(claims["email"], "ann@example.com");
        assert_eq!(claims["user_data"]["name"], "Ann");
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            24 * 3600
        );
        assert!(
            !verifies(token, emu.server_public_key_pem()),
            "user JWTs use the app key"
        );
        assert_eq!(
            token.split('.').nth(2).unwrap().len(),
            342,
            "2048-bit app key"
        );
    }
    assert_eq!(verify(&jwt2, &app.public_key_pem).0["userName"], "annie");

    for token in [&access, &access2] {
        let (claims, text) = verify(token, emu.server_public_key_pem());
        assert_eq!(key_order(&text), ["handle", "appId", "scope", "iat"]);
        assert_eq!(claims["handle"], "ann@example.com");
        assert_eq!(claims["appId"], app.app_id.as_str());
        assert_eq!(claims["scope"], "user");
        assert!(claims.get("exp").is_none(), "access tokens never expire");
    }
}

#[tokio::test]
async fn login_token_has_no_scope_and_is_not_an_access_token() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("2fa")
            .signup_flow(SignupFlow::None)
            .two_factor(TwoFactor::Google),
    )
    .await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let r = post(
        &emu,
        "/api/appuser/setTwoFactorGoogleVerification",
        Auth::Access(&access),
        &[("twoFactor", "true")],
    )
    .await;
    assert!(r.json()["googleSecretKey"].is_string());
    let r = post(
        &emu,
        "/api/appuser/login",
        Auth::App(&app.app_token),
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await;
    let body = r.json();
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    let login_token = body["login-token"].as_str().unwrap();
    let (claims, text) = verify(login_token, emu.server_public_key_pem());
    assert_eq!(key_order(&text), ["handle", "appId", "iat"]);
    assert_eq!(claims["handle"], "ann@example.com");
    get(&emu, "/api/appuser/getUser", Auth::Access(login_token))
        .await
        .assert_code(405);
}

#[tokio::test]
async fn jwt_options_expiry_email_and_email_field() {
    let emu = emulator().await;
    let mut new = NewApp::named("opts").signup_flow(SignupFlow::None);
    new.settings.user_jwt_expiration = 2;
    new.settings.meta_data_email = false;
    let plain = app(&emu, new).await;
    let (jwt, _) = signup_none(&emu, &plain.app_token, "bob@example.com", "pw").await;
    let (claims, text) = verify(&jwt, &plain.public_key_pem);
    assert_eq!(claims["aud"], "none");
    assert_eq!(key_order(&text), ["aud", "sub", "exp", "iat"]);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        2 * 3600
    );

    // A metadata field named `email` receives the handle at its path instead of a top-level claim.
    let field: MetaDataField = "profile.mail:email".parse().unwrap();
    let emailed = app(
        &emu,
        NewApp::named("mail")
            .signup_flow(SignupFlow::None)
            .metadata_field(field),
    )
    .await;
    let (jwt, _) = signup_none(&emu, &emailed.app_token, "cy@example.com", "pw").await;
    let (claims, _) = verify(&jwt, &emailed.public_key_pem);
    assert!(claims.get("email").is_none());
    assert_eq!(claims["profile"]["mail"], "cy@example.com");
    // ... also with `metaDataEmail` off: the server's generateAuthJWTToken writes the handle at
    // the field's path unconditionally; the flag only governs the top-level `email` claim.
    let field: MetaDataField = "profile.mail:email".parse().unwrap();
    let mut off = NewApp::named("mail off")
        .signup_flow(SignupFlow::None)
        .metadata_field(field);
    off.settings.meta_data_email = false;
    let off = app(&emu, off).await;
    let (jwt, _) = signup_none(&emu, &off.app_token, "dot@example.com", "pw").await;
    let (claims, _) = verify(&jwt, &off.public_key_pem);
    assert!(claims.get("email").is_none());
    assert_eq!(claims["profile"]["mail"], "dot@example.com");

    // userJWTExpiration 0 means one hour.
    let mut zero = NewApp::named("zero").signup_flow(SignupFlow::None);
    zero.settings.user_jwt_expiration = 0;
    let zero = app(&emu, zero).await;
    let (jwt, _) = signup_none(&emu, &zero.app_token, "dee@example.com", "pw").await;
    let (claims, _) = verify(&jwt, &zero.public_key_pem);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
}

#[tokio::test]
async fn each_app_has_its_own_key_and_raw_key() {
    let emu = emulator().await;
    let a = app(&emu, NewApp::named("a").signup_flow(SignupFlow::None)).await;
    let b = app(
        &emu,
        NewApp::named("b")
            .signup_flow(SignupFlow::None)
            .with_private_key_pem(APP_KEY_B),
    )
    .await;
    assert_ne!(a.public_key_pem, b.public_key_pem);
    let (jwt_b, _) = signup_none(&emu, &b.app_token, "ann@example.com", "pw").await;
    verify(&jwt_b, &b.public_key_pem);
    assert!(!verifies(&jwt_b, &a.public_key_pem));
    // Raw key: standard base64 of the PEM text, which has no trailing newline.
    let pem = String::from_utf8(Base64::decode_vec(&b.raw_public_key).unwrap()).unwrap();
    assert_eq!(pem, b.public_key_pem);
    assert!(
        pem.starts_with("-----BEGIN PUBLIC KEY-----\n")
            && pem.ends_with("-----END PUBLIC KEY-----")
    );
    // A generated key (not a fixture) works the same way.
    let generated = emu
        .create_app_with(NewApp::named("gen").signup_flow(SignupFlow::None))
        .await
        .unwrap();
    let (jwt, _) = signup_none(&emu, &generated.app_token, "ann@example.com", "pw").await;
    verify(&jwt, &generated.public_key_pem);
    assert!(!verifies(&jwt, &a.public_key_pem));
}

#[tokio::test]
async fn cosync_toml_is_complete_and_consistent() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("toml \"quoted\"").realm_app_id("toto-bzvdn"),
    )
    .await;
    let parsed: toml::Table = toml::from_str(&app.cosync_toml).expect("valid TOML");
    let keys: Vec<&str> = parsed.keys().map(String::as_str).collect();
    let mut expected = vec![
        "app_token",
        "app_token_key",
        "public_key",
        "realm_app_id",
        "rest_address",
    ];
    expected.sort_unstable();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, expected);
    let text = |k: &str| parsed[k].as_str().unwrap().to_owned();
    assert_eq!(text("app_token"), app.app_token);
    assert_eq!(text("rest_address"), emu.base_url());
    assert!(text("rest_address").starts_with("http://127.0.0.1:"));
    assert_eq!(text("realm_app_id"), "toto-bzvdn");
    verify(&text("app_token"), &text("app_token_key"));
    assert_eq!(text("public_key").trim_end(), app.public_key_pem);
    assert_eq!(
        text("app_token_key").trim_end(),
        emu.server_public_key_pem()
    );
    for pem in [text("public_key"), text("app_token_key")] {
        assert!(
            pem.lines()
                .filter(|l| !l.starts_with("-----"))
                .all(|l| l.len() <= 64)
        );
    }
}

#[tokio::test]
async fn seeded_apps_are_reproducible() {
    let first = emulator().await;
    let second = emulator().await;
    let seeded = || {
        NewApp::named("fixture")
            .with_app_id("0123456789abcdef0123456789abcdef")
            .with_private_key_pem(APP_KEY_B)
            .with_token_iat(1_700_000_000)
    };
    let a = first.create_app_with(seeded()).await.unwrap();
    let b = second.create_app_with(seeded()).await.unwrap();
    assert_eq!(a.app_token, b.app_token);
    assert_eq!(a.public_key_pem, b.public_key_pem);
    let (claims, _) = verify(&a.app_token, first.server_public_key_pem());
    assert_eq!(claims["iat"], 1_700_000_000);
    assert_eq!(claims["appId"], "0123456789abcdef0123456789abcdef");
    // The same id twice is refused; malformed ids are refused.
    assert!(matches!(
        first.create_app_with(seeded()).await,
        Err(cosync_emulator::Error::AppExists(_))
    ));
    assert!(matches!(
        first
            .create_app_with(NewApp::named("x").with_app_id("ABC"))
            .await,
        Err(cosync_emulator::Error::InvalidAppId(_))
    ));
}
