//! What the client costs on top of the HTTP it does, and what user-JWT verification costs.
//!
//! 1. Per call against an in-process `cosync-emulator` over loopback: `Client::get_application`
//!    and `Client::login` versus a bare `reqwest` request doing the same thing (same header, same
//!    body, JSON parsed), both on one kept-alive connection, measured in the same run.
//! 2. `Config::verify_user_jwt` versus `jsonwebtoken::decode` of the same token with a
//!    pre-parsed `DecodingKey` and the same validation.
//!
//! Run with `cargo bench -p cosync-benches --bench client` (or `benches/run.sh`).

mod support;

use std::hint::black_box;
use std::time::Duration;

use cosync::{AppToken, Client, Config, LoginOutcome, PublicKey, RestAddress, SignupOptions};
use cosync_emulator::{Emulator, NewApp, SignupFlow};
use serde_json::Value;

const PASSWORD: &str = "correct horse battery staple";

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The emulator runs on its own runtime thread, as a server would.
    let server = tokio::runtime::Runtime::new().unwrap();
    let (emulator, app) = server.block_on(async {
        let emulator = Emulator::builder()
            .bcrypt_cost(4)
            .start()
            .await
            .expect("emulator");
        let app = emulator
            .create_app_with(NewApp::named("bench").signup_flow(SignupFlow::None))
            .await
            .expect("app");
        (emulator, app)
    });
    let config = Config::new(
        AppToken::parse(&app.app_token).unwrap(),
        PublicKey::parse(&app.public_key_pem).unwrap(),
    )
    .with_rest_address(RestAddress::parse(&app.rest_address).unwrap());
    let client = Client::new(config.clone());
    let http = reqwest::Client::new();
    let handle = "bench@example.com";
    let session = runtime.block_on(async {
        match client
            .signup(handle, PASSWORD, &SignupOptions::default())
            .await
            .unwrap()
        {
            cosync::SignupOutcome::SignedIn(session) => session,
            other => panic!("{other:?}"),
        }
    });

    let url = |path: &str| format!("{}/api/appuser/{path}", app.rest_address);
    let password_md5 = {
        use md5::{Digest, Md5};
        Md5::digest(PASSWORD.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };

    println!("Client overhead per call, against cosync-emulator on loopback (same run):");
    println!("| call | bare reqwest (baseline) | cosync::Client | ratio |");
    println!("|---|---|---|---|");
    let target = Duration::from_millis(50);

    let (ours, bare) = support::compare(
        || {
            runtime.block_on(async {
                black_box(client.get_application().await.unwrap());
            })
        },
        || {
            runtime.block_on(async {
                let body = http
                    .get(url("getApplication"))
                    .header("app-token", &app.app_token)
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                black_box(serde_json::from_slice::<Value>(&body).unwrap());
            })
        },
        target,
    );
    row("GET getApplication", bare, ours);

    let (ours, bare) = support::compare(
        || {
            runtime.block_on(async {
                let outcome = client.login(handle, PASSWORD).await.unwrap();
                assert!(matches!(outcome, LoginOutcome::SignedIn(_)));
            })
        },
        || {
            runtime.block_on(async {
                let body = http
                    .post(url("login"))
                    .header("app-token", &app.app_token)
                    .form(&[("handle", handle), ("password", password_md5.as_str())])
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                let value: Value = serde_json::from_slice(&body).unwrap();
                assert!(value.get("jwt").is_some());
            })
        },
        target,
    );
    row("POST login", bare, ours);

    println!();
    println!("User-JWT verification per call (RS256, RSA-2048, same token, same run):");
    println!("| | jsonwebtoken, pre-parsed key (baseline) | Config::verify_user_jwt | ratio |");
    println!("|---|---|---|---|");
    let jwt = session.jwt().expose().to_owned();
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(app.public_key_pem.as_bytes()).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["none"]);
    validation.set_required_spec_claims(&["exp", "aud", "sub"]);
    validation.validate_nbf = true;
    let (ours, bare) = support::compare(
        || {
            black_box(config.verify_user_jwt(black_box(&jwt)).unwrap());
        },
        || {
            black_box(jsonwebtoken::decode::<Value>(black_box(&jwt), &key, &validation).unwrap());
        },
        Duration::from_millis(20),
    );
    row("verify a user JWT", bare, ours);

    server.block_on(emulator.stop());
}

fn row(name: &str, baseline: Duration, ours: Duration) {
    println!(
        "| {name} | {} | {} | {:.2}× |",
        support::show(baseline),
        support::show(ours),
        ours.as_secs_f64() / baseline.as_secs_f64()
    );
}
