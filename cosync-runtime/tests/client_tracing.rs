//! Everything the client process logs while signing users up and in (every `tracing` event of
//! every crate, at the most verbose level) holds no password, password hash, token, code or
//! secret. The emulator runs on its own runtime, whose threads log nowhere, so only the client
//! side is captured.

mod common;

use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use cosync_emulator::{Emulator, NewApp, SignupFlow, TwoFactor};
use cosync_runtime::{
    Client, LoginOutcome, Session, SignupCompletion, SignupOptions, SignupOutcome,
};
use cosync_test_support::totp;
use md5::{Digest, Md5};
use tokio::runtime::Runtime;
use tracing_subscriber::fmt::MakeWriter;

const PASSWORD: &str = "Tr4cing-never-shows-this";
const NEW_PASSWORD: &str = "N3w-and-also-secret";
const WRONG_PASSWORD: &str = "Wr0ng-but-still-secret";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Buffer {
        self.clone()
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

fn md5_hex(password: &str) -> String {
    Md5::digest(password.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs an emulator call on the emulator's runtime, so that its own logging is not captured.
fn on_server<T: Send + 'static>(
    server: &Runtime,
    future: impl Future<Output = T> + Send + 'static,
) -> impl Future<Output = T> {
    let task = server.spawn(future);
    async move { task.await.unwrap() }
}

async fn code_to(server: &Runtime, emulator: &Arc<Emulator>, to: &str) -> String {
    let (emulator, to) = (emulator.clone(), to.to_owned());
    on_server(server, async move { emulator.last_code_to(&to).await })
        .await
        .unwrap()
        .expect("a code was sent")
}

fn session_of(outcome: LoginOutcome) -> Session {
    match outcome {
        LoginOutcome::SignedIn(session) => session,
        LoginOutcome::TwoFactorRequired(_) => panic!("unexpected challenge"),
    }
}

/// `needle` occurs in `haystack` not as part of a longer number.
fn contains_number(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

#[test]
fn logs_hold_no_secret() {
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (emulator, code_app, google_app) = server.block_on(async {
        let emulator = Emulator::builder().bcrypt_cost(4).start().await.unwrap();
        let code_app = emulator
            .create_app_with(NewApp::named("trace-code").signup_flow(SignupFlow::Code))
            .await
            .unwrap();
        let google_app = emulator
            .create_app_with(
                NewApp::named("trace-google")
                    .signup_flow(SignupFlow::None)
                    .two_factor(TwoFactor::Google),
            )
            .await
            .unwrap();
        (Arc::new(emulator), code_app, google_app)
    });

    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(buffer.clone())
        .with_ansi(false)
        .without_time()
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);

    // Everything that must not appear.
    let mut secrets: Vec<String> = vec![
        PASSWORD.into(),
        NEW_PASSWORD.into(),
        WRONG_PASSWORD.into(),
        md5_hex(PASSWORD),
        md5_hex(NEW_PASSWORD),
        md5_hex(WRONG_PASSWORD),
        code_app.app_token.clone(),
        google_app.app_token.clone(),
    ];
    let mut codes: Vec<String> = Vec::new();

    let client_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    client_runtime.block_on(async {
        // Sign-up with an e-mailed code, login, password reset and change, failures.
        let client: Client = common::client_for(common::config_for(&code_app));
        let ann = common::handle("ann");
        let outcome = client
            .signup(&ann, PASSWORD, &SignupOptions::default())
            .await
            .unwrap();
        assert_eq!(outcome, SignupOutcome::CodeSent);
        let signup_code = code_to(&server, &emulator, &ann).await;
        let SignupCompletion::SignedIn(first) =
            client.complete_signup(&ann, &signup_code).await.unwrap()
        else {
            panic!("flow `code` signs in")
        };
        // Used twice: an error answer.
        client
            .complete_signup(&ann, &signup_code)
            .await
            .unwrap_err();
        let session = session_of(client.login(&ann, PASSWORD).await.unwrap());
        client.login(&ann, WRONG_PASSWORD).await.unwrap_err();
        client.get_user(&session).await.unwrap();
        client.forgot_password(&ann).await.unwrap();
        let reset_code = code_to(&server, &emulator, &ann).await;
        client
            .reset_password(&ann, NEW_PASSWORD, &reset_code)
            .await
            .unwrap();
        let session = session_of(client.login(&ann, NEW_PASSWORD).await.unwrap());
        client
            .change_password(&session, NEW_PASSWORD, PASSWORD)
            .await
            .unwrap();
        client
            .change_password(&session, WRONG_PASSWORD, NEW_PASSWORD)
            .await
            .unwrap_err();
        for s in [&first, &session] {
            secrets.push(s.jwt().expose().to_owned());
            secrets.push(s.access_token().expose().to_owned());
        }
        codes.extend([signup_code, reset_code]);

        // Google Authenticator: the enrolment secret, the login token, the TOTP code.
        let client = common::client_for(common::config_for(&google_app));
        let fay = common::handle("fay");
        let SignupOutcome::SignedIn(session) = client
            .signup(&fay, PASSWORD, &SignupOptions::default())
            .await
            .unwrap()
        else {
            panic!("flow `none` signs in")
        };
        let enrolment = client
            .set_two_factor_google(&session, true)
            .await
            .unwrap()
            .unwrap();
        let LoginOutcome::TwoFactorRequired(challenge) =
            client.login(&fay, PASSWORD).await.unwrap()
        else {
            panic!("expected a challenge")
        };
        client.login_complete(&challenge, "000000").await.ok();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let code = totp::code(enrolment.secret.expose(), now);
        let second = match client.login_complete(&challenge, &code).await {
            Ok(session) => session,
            Err(_) => {
                let next = totp::code(enrolment.secret.expose(), now + 30);
                codes.push(next.clone());
                client.login_complete(&challenge, &next).await.unwrap()
            }
        };
        codes.push(code);
        let secret = enrolment.secret.expose().to_owned();
        secrets.push(secret.replace(' ', ""));
        secrets.push(secret);
        secrets.push(challenge.login_token().expose().to_owned());
        for s in [&session, &second] {
            secrets.push(s.jwt().expose().to_owned());
            secrets.push(s.access_token().expose().to_owned());
        }
    });
    drop(guard);

    let logs = buffer.text();
    // The capture works: the calls, their answers and failures are there.
    for expected in [
        "api/appuser/signup",
        "api/appuser/completeSignup",
        "api/appuser/loginComplete",
        "api/appuser/resetPassword",
        "status=200",
        "status=400",
    ] {
        assert!(logs.contains(expected), "no `{expected}` in:\n{logs}");
    }
    for secret in &secrets {
        assert!(secret.len() >= 16, "not a secret: {secret}");
        assert!(
            !logs.contains(secret.as_str()),
            "`{secret}` was logged:\n{logs}"
        );
        // Tokens: not even their signature or payload part.
        for part in secret.split('.').filter(|p| p.len() >= 16) {
            assert!(!logs.contains(part), "part of a token was logged:\n{logs}");
        }
    }
    for code in &codes {
        assert_eq!(code.len(), 6);
        assert!(
            !contains_number(&logs, code),
            "code {code} was logged:\n{logs}"
        );
    }
    server.block_on(async move {
        if let Ok(emulator) = Arc::try_unwrap(emulator) {
            emulator.stop().await;
        }
    });
}
