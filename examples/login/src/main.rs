//! The whole story on one machine, with no account anywhere: an in-process CoSync Auth emulator,
//! an app whose `cosync.toml` was verified at compile time, a user signing up with the code
//! "e-mailed" to them, signing in, and the user JWT verified with the compile-time key.
//!
//! Run it with `cargo run -p login`.

use std::error::Error;

use cosync::{LoginOutcome, SignupCompletion, SignupOptions, SignupOutcome};
use cosync_emulator::{Emulator, NewApp, SignupFlow};

// APP_TOKEN, PUBLIC_KEY, CONFIG, … from ./cosync.toml, checked while compiling this file.
cosync::cosync_constants!();

/// TEST-ONLY keys: the emulator's server key and the app's key that `cosync.toml` was made with.
const SERVER_KEY: &str = include_str!("../../../tests/fixtures/keys/server.key");
const APP_KEY: &str = include_str!("../../../tests/fixtures/keys/app.key");

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // 1. A CoSync Auth server on a free loopback port, in memory, with the keys of cosync.toml.
    let emulator = Emulator::builder()
        .server_key_pem(SERVER_KEY)
        .start()
        .await?;
    let app = emulator
        .create_app_with(
            NewApp::named("login example")
                .signup_flow(SignupFlow::Code)
                .realm_app_id(REALM_APP_ID.unwrap_or("none"))
                .with_app_id(APP_ID)
                .with_private_key_pem(APP_KEY)
                .with_token_iat(APP_TOKEN_ISSUED_AT as i64),
        )
        .await?;
    // The server issued exactly the token that was verified at compile time.
    assert_eq!(app.app_token, APP_TOKEN);
    println!("emulator at {} serving app {APP_ID}", emulator.base_url());

    // 2. The client: CONFIG from the macro, pointed at wherever the emulator listens.
    //    (An app talking to its real server just calls `client()`.)
    let address = cosync::RestAddress::parse(emulator.base_url())?;
    let client = cosync::Client::new(CONFIG.clone().with_rest_address(address));
    let application = client.get_application().await?;
    println!(
        "app {:?}: sign-up flow {:?}",
        application.name.unwrap_or_default(),
        application.signup_flow
    );

    // 3. Sign up: the code goes to the emulator's outbox instead of an inbox.
    let handle = "ann@example.com";
    let password = "correct horse battery staple";
    let outcome = client
        .signup(handle, password, &SignupOptions::default())
        .await?;
    assert_eq!(outcome, SignupOutcome::CodeSent);
    let code = emulator
        .last_code_to(handle)
        .await?
        .ok_or("no sign-up code in the outbox")?;
    println!("signed up {handle}; the e-mailed code is {code}");
    let SignupCompletion::SignedIn(_) = client.complete_signup(handle, &code).await? else {
        return Err("expected to be signed in after the code".into());
    };

    // 4. Log in.
    let LoginOutcome::SignedIn(session) = client.login(handle, password).await? else {
        return Err("this app has no two-factor login".into());
    };
    println!("logged in: {session:?}");

    // 5. Verify the user JWT (what MongoDB Realm receives) with the key decoded at compile time.
    let claims = CONFIG.verify_user_jwt(session.jwt().expose())?;
    println!(
        "user JWT verified with the Realm key (RSA-{}, SHA-256 {}): sub={} aud={} exp={}",
        PUBLIC_KEY.bits(),
        PUBLIC_KEY.fingerprint().short(),
        claims.sub,
        claims.aud,
        claims.exp
    );

    // 6. The user, as the server sees them.
    let user = client.signed_in(session).get_user().await?;
    println!(
        "user: handle={:?} locale={:?} status={:?} created={:?}",
        user.handle, user.locale, user.status, user.created_at
    );

    emulator.stop().await;
    Ok(())
}
