//! `Config::verify_user_jwt` accepts the user JWTs a real server (the emulator) issues and refuses
//! tampered, expired, early, wrong-audience, wrong-key and wrong-algorithm ones.
//!
//! The emulator app is created with the test-only fixture key, so these tests can also mint
//! tokens with that same key.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cosync_emulator::{NewApp, SignupFlow};
use cosync_runtime::{JwtError, SignupOptions, SignupOutcome};
use cosync_test_support::{keys, mint};

use common::{handle, start};

const REALM: &str = "jwt-abcde";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn claims(aud: &str, exp: u64, extra: &str) -> String {
    format!(
        r#"{{"aud":"{aud}","sub":"kim@example.com","exp":{exp},"email":"kim@example.com"{extra},"iat":{}}}"#,
        now()
    )
}

#[tokio::test]
async fn verifies_emulator_tokens_and_refuses_bad_ones() {
    let env = start(
        NewApp::named("jwt")
            .signup_flow(SignupFlow::None)
            .realm_app_id(REALM)
            .user_names(true)
            .with_private_key_pem(keys::APP_PRIVATE),
    )
    .await;
    let config = env.client.config().clone();
    let who = handle("kim");
    let SignupOutcome::SignedIn(session) = env
        .client
        .signup(&who, "pw-pw-pw", &SignupOptions::default())
        .await
        .unwrap()
    else {
        panic!()
    };
    env.client.set_user_name(&session, "kimmy").await.unwrap();
    let session = match env.client.login(&who, "pw-pw-pw").await.unwrap() {
        cosync_runtime::LoginOutcome::SignedIn(session) => session,
        other => panic!("{other:?}"),
    };

    // The real thing.
    let verified = config.verify_user_jwt(session.jwt().expose()).unwrap();
    assert_eq!(verified.sub, who);
    assert_eq!(verified.aud, REALM);
    assert_eq!(verified.user_name.as_deref(), Some("kimmy"));
    assert!(
        verified.exp > now() + 3600,
        "expires in hours, as userJWTExpiration says"
    );

    // Tampered: the payload changed, the signature kept.
    let jwt = session.jwt().expose();
    let parts: Vec<&str> = jwt.split('.').collect();
    let forged_payload = mint::b64url(claims(REALM, now() + 3600, "").as_bytes());
    let tampered = format!("{}.{forged_payload}.{}", parts[0], parts[2]);
    assert_eq!(
        config.verify_user_jwt(&tampered),
        Err(JwtError::InvalidSignature)
    );

    let sign = |payload: &str| mint::rs256(mint::RS256_HEADER, payload, keys::APP_PRIVATE);
    // Our own mint with the same key verifies: the refusals below are about one thing each.
    assert!(
        config
            .verify_user_jwt(&sign(&claims(REALM, now() + 600, "")))
            .is_ok()
    );

    assert_eq!(
        config.verify_user_jwt(&sign(&claims(REALM, now() - 3600, ""))),
        Err(JwtError::Expired)
    );
    // Within the default 60 s leeway: accepted; with no leeway: expired.
    let just_expired = sign(&claims(REALM, now() - 20, ""));
    assert!(config.verify_user_jwt(&just_expired).is_ok());
    let strict = config.clone().with_jwt_leeway(Duration::ZERO);
    assert_eq!(
        strict.verify_user_jwt(&just_expired),
        Err(JwtError::Expired)
    );

    assert_eq!(
        config.verify_user_jwt(&sign(&claims(
            REALM,
            now() + 600,
            &format!(r#","nbf":{}"#, now() + 3600)
        ))),
        Err(JwtError::NotYetValid)
    );
    assert_eq!(
        config.verify_user_jwt(&sign(&claims("someone-else", now() + 600, ""))),
        Err(JwtError::WrongAudience {
            expected: REALM.to_owned()
        })
    );
    assert_eq!(
        config.verify_user_jwt(&sign(&claims("none", now() + 600, ""))),
        Err(JwtError::WrongAudience {
            expected: REALM.to_owned()
        })
    );
    let other_key = mint::rs256(
        mint::RS256_HEADER,
        &claims(REALM, now() + 600, ""),
        keys::APP3072_PRIVATE,
    );
    assert_eq!(
        config.verify_user_jwt(&other_key),
        Err(JwtError::InvalidSignature)
    );

    // The key-confusion attack: HS256 keyed with the public key's PEM.
    let hs = mint::hs256(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &claims(REALM, now() + 600, ""),
        keys::APP_PUBLIC.as_bytes(),
    );
    assert_eq!(config.verify_user_jwt(&hs), Err(JwtError::WrongAlgorithm));
    let none = format!(
        "{}.{}.",
        mint::b64url(br#"{"alg":"none","typ":"JWT"}"#),
        mint::b64url(claims(REALM, now() + 600, "").as_bytes())
    );
    assert!(config.verify_user_jwt(&none).is_err());

    let no_sub = sign(&format!(r#"{{"aud":"{REALM}","exp":{}}}"#, now() + 600));
    assert_eq!(
        config.verify_user_jwt(&no_sub),
        Err(JwtError::MissingClaim("sub".into()))
    );
    assert!(matches!(
        config.verify_user_jwt("not a jwt"),
        Err(JwtError::Malformed(_))
    ));

    // No message ever contains the token.
    for bad in [&tampered, &hs, &no_sub] {
        let message = config.verify_user_jwt(bad).unwrap_err().to_string();
        assert!(!message.contains(&bad[40..]), "{message}");
    }
}

#[tokio::test]
async fn without_a_realm_app_id_the_audience_is_none() {
    let env = start(NewApp::named("jwt-none").signup_flow(SignupFlow::None)).await;
    let SignupOutcome::SignedIn(session) = env
        .client
        .signup(&handle("lee"), "pw-pw-pw", &SignupOptions::default())
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
    assert_eq!(claims.aud, "none");
    // Another app's token: another key.
    let other = start(NewApp::named("jwt-other").signup_flow(SignupFlow::None)).await;
    assert_eq!(
        other
            .client
            .config()
            .verify_user_jwt(session.jwt().expose()),
        Err(JwtError::InvalidSignature)
    );
}
