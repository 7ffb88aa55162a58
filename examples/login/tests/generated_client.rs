//! The generated `fn client()` itself, against an emulator on the address fixed at compile time,
//! used the way test suites use it: from one short-lived runtime after another (each
//! `#[tokio::test]` has its own), and from a runtime that is only driven inside `block_on` while
//! another runtime works. The emulator runs on its own long-lived runtime, like a real server.

use std::time::Duration;

use cosync::{LoginOutcome, SignupOptions, SignupOutcome};
use cosync_emulator::{Emulator, NewApp, SignupFlow};
use tokio::runtime::Runtime;

// APP_TOKEN, CONFIG, fn client(), … for the login example's app at http://127.0.0.1:28750.
cosync::cosync_constants!("tests/generated-client.toml");

/// TEST-ONLY keys the token of `generated-client.toml` was made with.
const SERVER_KEY: &str = include_str!("../../../tests/fixtures/keys/server.key");
const APP_KEY: &str = include_str!("../../../tests/fixtures/keys/app.key");
const PORT: u16 = 28750;
const PASSWORD: &str = "a password for client()";

fn test_runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_generated_client_works_from_runtime_after_runtime() {
    assert_eq!(COSYNC_REST_ADDRESS, format!("http://127.0.0.1:{PORT}"));
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let emulator = server.block_on(async {
        // The port is fixed: another run of this test (a concurrent `cargo test`) may hold it
        // for a moment.
        let mut tries = 0;
        let emulator = loop {
            match Emulator::builder()
                .server_key_pem(SERVER_KEY)
                .bcrypt_cost(4)
                .port(PORT)
                .start()
                .await
            {
                Ok(emulator) => break emulator,
                Err(e) if tries == 120 => panic!("this test needs loopback port {PORT}: {e}"),
                Err(_) => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        };
        let app = emulator
            .create_app_with(
                NewApp::named("generated client")
                    .signup_flow(SignupFlow::None)
                    .realm_app_id(REALM_APP_ID.unwrap_or("none"))
                    .with_app_id(APP_ID)
                    .with_private_key_pem(APP_KEY)
                    .with_token_iat(APP_TOKEN_ISSUED_AT as i64),
            )
            .await
            .unwrap();
        assert_eq!(
            app.app_token, APP_TOKEN,
            "the emulator issues the compiled token"
        );
        emulator
    });

    // `client()` hands out clones of one client.
    assert_eq!(client().config(), &CONFIG);

    // First test: signs up (flow `none` signs in at once); idle connections stay pooled.
    let first = test_runtime();
    let jwt = first.block_on(async {
        let SignupOutcome::SignedIn(session) = client()
            .signup("ann@example.com", PASSWORD, &SignupOptions::default())
            .await
            .unwrap()
        else {
            panic!("flow `none` signs in")
        };
        let user = client().get_user(&session).await.unwrap();
        assert_eq!(user.handle.as_deref(), Some("ann@example.com"));
        session.jwt().expose().to_owned()
    });
    drop(first);
    let claims = CONFIG.verify_user_jwt(&jwt).unwrap();
    assert_eq!(claims.aud, "login-abcde");

    // Second test, a new runtime: the same `client()`.
    let second = test_runtime();
    second.block_on(async {
        let LoginOutcome::SignedIn(session) =
            client().login("ann@example.com", PASSWORD).await.unwrap()
        else {
            panic!("no two-factor here")
        };
        client().set_locale(&session, "EN").await.unwrap();
    });

    // The second runtime stays, but is not driven now; a third works meanwhile (with a single
    // pool, this request waited on the second runtime's idle connection until it timed out).
    let third = test_runtime();
    let application = third
        .block_on(async {
            tokio::time::timeout(Duration::from_secs(20), client().get_application()).await
        })
        .expect("client() answered in time")
        .unwrap();
    assert_eq!(application.name.as_deref(), Some("generated client"));
    second.block_on(client().get_application()).unwrap();
    drop((second, third));

    server.block_on(emulator.stop());
}
