//! The README's client snippets ("## The client"), compiled: each sits verbatim in a module
//! below, and a test checks that the README still shows exactly these. Edit both together.

#![allow(dead_code, reason = "the snippets are compiled, not called")]

#[rustfmt::skip]
mod sign_up_and_login {
use cosync::{LoginOutcome, Session, SignupCompletion, SignupOptions, SignupOutcome};

cosync::cosync_constants!(); // CONFIG, fn client(), … from ./cosync.toml

async fn sign_up_and_in(email: &str, password: &str) -> Result<Session, cosync::Error> {
    let client = client();

    // Sign-up, in whichever flow the app uses (read from getApplication first, as the SDKs do).
    match client.signup(email, password, &SignupOptions::default()).await? {
        SignupOutcome::CodeSent => {
            let code = "123456"; // from the e-mail
            if let SignupCompletion::SignedIn(session) = client.complete_signup(email, code).await? {
                return Ok(session);
            }
        }
        SignupOutcome::LinkSent => { /* the user clicks the e-mailed link, then logs in */ }
        SignupOutcome::SignedIn(session) => return Ok(session), // flow `none`
    }

    // Login, with or without a second factor (SMS code or Google Authenticator TOTP).
    let session = match client.login(email, password).await? {
        LoginOutcome::SignedIn(session) => session,
        LoginOutcome::TwoFactorRequired(challenge) => {
            let code = "654321"; // from the SMS or the authenticator app
            client.login_complete(&challenge, code).await?
        }
    };

    // The user JWT goes to MongoDB Realm; verify it yourself with the compile-time key.
    let claims = CONFIG.verify_user_jwt(session.jwt().expose()).expect("a valid user JWT");
    println!("{} until {}", claims.sub, claims.exp);

    // Calls for the signed-in user.
    let me = client.signed_in(session);
    let user = me.get_user().await?;
    println!("{:?} speaks {:?}", user.handle, user.locale);
    me.set_locale("FR").await?;
    Ok(me.into_session())
}
}

#[rustfmt::skip]
mod invitations {
use super::sign_up_and_login::client;

use cosync::{Session, SignupOptions};
use serde_json::json;

async fn invite(inviter: &Session, inviter_realm_user_id: &str) -> Result<(), cosync::Error> {
    let metadata = json!({"team": "blue"}); // for the app's invitation metadata fields
    client().invite(inviter, "bob@example.com", inviter_realm_user_id, Some(&metadata)).await
}

async fn register(code_from_the_email: &str) -> Result<Session, cosync::Error> {
    let options = SignupOptions::default().locale("EN");
    client().register("bob@example.com", "bob's password", code_from_the_email, &options).await
}
}

#[rustfmt::skip]
mod passwords {
use super::sign_up_and_login::client;

async fn reset_password(email: &str) -> Result<(), cosync::Error> {
    client().forgot_password(email).await?;
    let code = "123456"; // from the e-mail
    client().reset_password(email, "new password", code).await
}

async fn change_password(session: &cosync::Session) -> Result<(), cosync::Error> {
    client().change_password(session, "current password", "new password").await
}
}

#[rustfmt::skip]
mod two_factor {
use cosync::SignedIn;

// Mode `phone`: a verified phone number first.
async fn enrol_phone(me: &SignedIn) -> Result<(), cosync::Error> {
    me.set_phone("+15555550123").await?; // texts a code
    let code = "123456"; // from the SMS
    me.verify_phone(code).await?;
    me.set_two_factor_phone(true).await?;
    Ok(())
}

// Mode `google`: show the QR code (or the secret) to scan into an authenticator app.
async fn enrol_google(me: &SignedIn) -> Result<(), cosync::Error> {
    if let Some(enrolment) = me.set_two_factor_google(true).await? {
        println!("<img src=\"{}\">", enrolment.qr_data_image); // data:image/png;base64,…
        let secret: &str = enrolment.secret.expose(); // for typing in by hand
        println!("or type {secret}");
    }
    Ok(())
}
}

#[rustfmt::skip]
mod social {
use super::sign_up_and_login::client;

use cosync::{ApiErrorCode, Session, SignupOptions, SocialProvider};

async fn sign_in_with_apple(id_token: &str, email: &str) -> Result<Session, cosync::Error> {
    let apple = SocialProvider::Apple; // or SocialProvider::Google
    match client().social_login(id_token, apple).await {
        Err(e) if e.api_code() == Some(ApiErrorCode::AccountDoesNotExist) => {
            client().social_signup(id_token, apple, email, &SignupOptions::default()).await
        }
        signed_in_or_error => signed_in_or_error,
    }
}
}

#[rustfmt::skip]
mod delete {
use cosync::AccountProof;

async fn delete_account(me: &cosync::SignedIn, email: &str, password: &str) -> Result<(), cosync::Error> {
    me.delete_account(AccountProof::Password { handle: email, password }).await
}
}

#[rustfmt::skip]
mod errors {
use super::sign_up_and_login::client;

use cosync::{ApiErrorCode, Error, LoginOutcome};

async fn login_message(email: &str, password: &str) -> String {
    match client().login(email, password).await {
        Ok(LoginOutcome::SignedIn(_)) => "welcome".into(),
        Ok(LoginOutcome::TwoFactorRequired(_)) => "enter the code".into(),
        Err(Error::Api { code: ApiErrorCode::InvalidLoginCredentials, .. }) => "wrong e-mail or password".into(),
        Err(Error::Api { code: ApiErrorCode::AccountNotVerified, .. }) => "confirm your e-mail first".into(),
        Err(Error::Api { code, message }) => format!("refused: {code}: {message}"),
        Err(Error::Timeout(_) | Error::Transport(_)) => "the server cannot be reached".into(),
        Err(other) => format!("unexpected: {other}"),
    }
}
}

/// The ```rust blocks of the README's client section.
fn readme_snippets() -> Vec<&'static str> {
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("\n## The client\n")
        .expect("the README has a client section");
    let section = &readme[start + 1..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    section
        .split("```rust\n")
        .skip(1)
        .map(|block| &block[..block.find("\n```").expect("a closed code block")])
        .collect()
}

#[test]
fn the_readme_shows_these_snippets() {
    let snippets = readme_snippets();
    assert_eq!(snippets.len(), 7, "one module here per README snippet");
    let here = include_str!("readme.rs");
    for snippet in snippets {
        assert!(
            here.contains(&format!(" {{\n{snippet}\n}}\n"))
                || here.contains(&format!("client;\n\n{snippet}\n}}\n")),
            "this README snippet is not compiled here verbatim:\n{snippet}"
        );
    }
}
