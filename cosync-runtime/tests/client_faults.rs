//! Misbehaving servers on loopback: a server that stalls, closes the connection, answers 5xx or
//! garbage, a port nobody listens on, a listener that never completes a connection, and the
//! emulator's own hangs. Each gives the right error variant, retries happen only where safe,
//! nothing panics, and no error quotes a body.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cosync_emulator::{MetaDataField, NewApp, SignupFlow};
use cosync_runtime::{
    ApiErrorCode, AppToken, Client, Config, Error, LoginChallenge, PublicKey, RestAddress, Session,
    SignupCompletion, SignupOptions, SignupOutcome,
};
use cosync_test_support::{keys, mint};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Looks like a token; must never show in an error.
const SECRET: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzZWNyZXQiOnRydWV9.c2lnbmF0dXJl";

/// What the fake server does with the n-th connection (0-based).
#[derive(Clone)]
enum Behaviour {
    /// Reads the request and never answers.
    Stall,
    /// Reads the request and closes the connection without a byte.
    Close,
    /// Reads the request and answers these bytes.
    Answer(Vec<u8>),
    /// Reads the request, sends these bytes (the head and part of the body) and stalls.
    AnswerThenStall(Vec<u8>),
}

fn http(status: &str, body: &str) -> Behaviour {
    http_typed(status, "application/json; charset=utf-8", body)
}

fn http_typed(status: &str, content_type: &str, body: &str) -> Behaviour {
    Behaviour::Answer(
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

struct Fake {
    address: String,
    connections: Arc<AtomicUsize>,
}

async fn fake(script: impl Fn(usize) -> Behaviour + Send + Sync + 'static) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let behaviour = script(n);
            tokio::spawn(async move {
                // Read the request head (enough for these small requests).
                let mut buffer = vec![0_u8; 16 * 1024];
                let _ = socket.read(&mut buffer).await;
                match behaviour {
                    Behaviour::Stall => tokio::time::sleep(Duration::from_secs(30)).await,
                    Behaviour::Close => drop(socket),
                    Behaviour::Answer(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    Behaviour::AnswerThenStall(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.flush().await;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                }
            });
        }
    });
    Fake {
        address,
        connections,
    }
}

fn client(address: &str, retries: u32) -> Client {
    let config = Config::new(
        AppToken::parse(&mint::app_token()).unwrap(),
        PublicKey::parse(keys::APP_PUBLIC).unwrap(),
    )
    .with_rest_address(RestAddress::parse(address).unwrap());
    Client::builder(config)
        .timeout(Duration::from_millis(400))
        .max_retries(retries)
        .retry_backoff(Duration::from_millis(10))
        .build()
        .unwrap()
}

fn session() -> Session {
    Session::from_tokens("a.b.c", "d.e.f")
}

#[tokio::test]
async fn a_stalled_server_times_out_and_only_gets_are_retried() {
    let server = fake(|_| Behaviour::Stall).await;
    let client = client(&server.address, 2);

    let post = client.login("a@b.c", "pw").await.unwrap_err();
    assert!(matches!(post, Error::Timeout(_)), "{post:?}");
    assert_eq!(
        server.connections.load(Ordering::SeqCst),
        1,
        "a POST was retried"
    );

    let get = client.get_application().await.unwrap_err();
    assert!(matches!(get, Error::Timeout(_)), "{get:?}");
    assert_eq!(server.connections.load(Ordering::SeqCst), 1 + 3);
}

#[tokio::test]
async fn a_closed_connection_is_a_transport_error() {
    let server = fake(|_| Behaviour::Close).await;
    let client = client(&server.address, 1);
    let error = client.forgot_password("a@b.c").await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(
        server.connections.load(Ordering::SeqCst),
        1,
        "a POST was retried"
    );
    let error = client.get_user(&session()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.connections.load(Ordering::SeqCst), 1 + 2);
}

#[tokio::test]
async fn a_get_recovers_when_a_retry_succeeds() {
    let server = fake(|n| {
        if n == 0 {
            Behaviour::Close
        } else {
            http(
                "200 OK",
                r#"{"name":"retried","signupFlow":"code","surprise":[1,2,3]}"#,
            )
        }
    })
    .await;
    let application = client(&server.address, 2).get_application().await.unwrap();
    assert_eq!(application.name.as_deref(), Some("retried"));
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn server_errors_map_to_status_and_only_gateway_errors_are_retried() {
    let server = fake(|_| http("500 Internal Server Error", &format!("oops {SECRET}"))).await;
    let error = client(&server.address, 2)
        .get_user(&session())
        .await
        .unwrap_err();
    match &error {
        Error::Status { status: 500, body } => {
            assert_eq!(body.len(), 5 + SECRET.len());
            assert_eq!(body.content_type(), Some("application/json; charset=utf-8"));
            assert!(
                body.head().ends_with(SECRET.as_bytes()),
                "kept for inspection"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_no_secret(&error);
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);

    let gateway = fake(|_| http_typed("503 Service Unavailable", "text/html", "<p>busy</p>")).await;
    let error = client(&gateway.address, 2)
        .get_user(&session())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Status { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the CoSync server answered HTTP 503 (11 bytes of \"text/html\")"
    );
    assert_eq!(gateway.connections.load(Ordering::SeqCst), 3);
    // A POST is not retried after a gateway error: the server behind may have acted on it.
    let error = client(&gateway.address, 2)
        .forgot_password("a@b.c")
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Status { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(gateway.connections.load(Ordering::SeqCst), 3 + 1);
}

#[tokio::test]
async fn a_cosync_code_is_an_api_error_whatever_the_status_and_stale_keys_are_dropped() {
    // COSYNC.md 3.2 / 4.1: an exception in the token middleware is HTTP 501 with code 500; the
    // shared error object may carry keys of other users' requests (4.2).
    let middleware = fake(|_| {
        http(
            "501 Not Implemented",
            &format!(
                r#"{{"code":500,"message":"internal server error","handle":"other@user.com","token":"{SECRET}"}}"#
            ),
        )
    })
    .await;
    let error = client(&middleware.address, 2)
        .get_application()
        .await
        .unwrap_err();
    match &error {
        Error::Api { code, message } => {
            assert_eq!(*code, ApiErrorCode::InternalServerError);
            assert_eq!(message, "internal server error");
        }
        other => panic!("{other:?}"),
    }
    assert_no_secret(&error);
    assert!(!format!("{error} {error:?}").contains("other@user.com"));
    assert_eq!(
        middleware.connections.load(Ordering::SeqCst),
        1,
        "not retried"
    );

    // COSYNC.md 3.6 #7: the e-mail link route answers 403 with code 400.
    let forbidden = fake(|_| {
        http(
            "403 Forbidden",
            r#"{"code":400,"message":"invalid app token"}"#,
        )
    })
    .await;
    let error = client(&forbidden.address, 0)
        .get_application()
        .await
        .unwrap_err();
    assert_eq!(
        error.api_code(),
        Some(ApiErrorCode::InvalidAppToken),
        "{error:?}"
    );
}

#[tokio::test]
async fn unparsable_answers_never_quote_the_body() {
    for behaviour in [
        http("200 OK", &format!("{SECRET} and more")),
        http_typed("200 OK", "text/plain", SECRET),
        http_typed("200 OK", "text/html", &format!("<html>{SECRET}</html>")),
        http(
            "400 Bad Request",
            &format!(r#"{{"status":400,"detail":"{SECRET}"}}"#),
        ),
        http(
            "200 OK",
            &format!(r#"{{"googleSecretKey":5,"QRDataImage":"{SECRET}"}}"#),
        ),
    ] {
        let server = fake(move |_| behaviour.clone()).await;
        let error = client(&server.address, 0)
            .set_two_factor_google(&session(), true)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::UnexpectedResponse(_) | Error::Upstream { .. }),
            "{error:?}"
        );
        assert_no_secret(&error);
    }
}

/// Neither the message nor `Debug` may quote [`SECRET`].
fn assert_no_secret(error: &Error) {
    let printed = format!("{error} | {error:?}");
    assert!(!printed.contains(SECRET), "{printed}");
    assert!(!printed.contains(&SECRET[..20]), "{printed}");
}

#[tokio::test]
async fn signup_reads_only_the_flow_from_the_application() {
    // CoSync's documentation shows booleans as 0 | 1 (COSYNC.md 3.7); a hosted server may send
    // them so, or some field of another type. Sign-up needs only `signupFlow`.
    let odd = r#"{"name":"odd","signupFlow":"link","signupEnabled":1,"invitationEnabled":0,
        "passwordMinLength":"five","locales":"EN","metaData":{"x":1},"userJWTExpiration":-1}"#;
    let server = fake(move |n| {
        if n % 2 == 0 {
            http("200 OK", odd)
        } else {
            http("200 OK", "true")
        }
    })
    .await;
    let client = client(&server.address, 0);
    let outcome = client
        .signup("a@b.c", "pw", &SignupOptions::default())
        .await
        .unwrap();
    assert_eq!(outcome, SignupOutcome::LinkSent);
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);

    let application = client.get_application().await.unwrap();
    assert_eq!(application.name.as_deref(), Some("odd"));
    assert_eq!(application.signup_enabled, Some(true));
    assert_eq!(application.invitation_enabled, Some(false));
    assert_eq!(application.password_min_length, None);
    assert_eq!(application.locales, None);
    assert_eq!(application.metadata_fields, None);
    assert_eq!(application.user_jwt_expiration_hours, None);
}

#[tokio::test]
async fn only_cosync_s_page_completes_a_link_sign_up() {
    let page = "<!DOCTYPE html><html><body>Thank you!</body></html>";
    let quoted = serde_json::to_string(page).unwrap();
    // CoSync: the click-through page with its JSON content type, raw or as a JSON string.
    for behaviour in [http("200 OK", page), http("200 OK", &quoted)] {
        let server = fake(move |_| behaviour.clone()).await;
        let completion = client(&server.address, 0)
            .complete_signup("a@b.c", "123456")
            .await
            .unwrap();
        assert_eq!(completion, SignupCompletion::Verified);
    }
    // A captive portal or a proxy answering 200 with its own page; a JSON string that is no page.
    for behaviour in [
        http_typed("200 OK", "text/html; charset=utf-8", page),
        http_typed(
            "200 OK",
            "text/html",
            "<html><body>Log in to the Wi-Fi</body></html>",
        ),
        http("200 OK", r#""verified""#),
        http("200 OK", "Service Not found"),
    ] {
        let server = fake(move |_| behaviour.clone()).await;
        let error = client(&server.address, 0)
            .complete_signup("a@b.c", "123456")
            .await
            .unwrap_err();
        assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    }
}

#[tokio::test]
async fn a_body_that_stalls_after_the_head_times_out() {
    let stall = || {
        Behaviour::AnswerThenStall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"jwt\":".to_vec(),
        )
    };
    let server = fake(move |_| stall()).await;
    let client = client(&server.address, 2);
    let error = client.get_user(&session()).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout(t) if t == Duration::from_millis(400)),
        "{error:?}"
    );
    assert_eq!(
        server.connections.load(Ordering::SeqCst),
        3,
        "a GET is retried"
    );
    let error = client.login("a@b.c", "pw").await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(
        server.connections.load(Ordering::SeqCst),
        3 + 1,
        "a POST that was sent is not"
    );
}

#[tokio::test]
async fn the_emulator_s_real_hangs_time_out() {
    // COSYNC.md 3.6 #3 and 8.2: a forged login token, a non-string metadata value: the server
    // throws inside its handler and never answers. The emulator does the same.
    let env = common::start(
        NewApp::named("hangs")
            .signup_flow(SignupFlow::None)
            .metadata_field(MetaDataField {
                path: "user_data.name".into(),
                field_name: "name".into(),
                required: false,
                can_edit: true,
            }),
    )
    .await;
    let timeout = Duration::from_millis(300);
    let client = Client::builder(common::config_for(&env.app))
        .timeout(timeout)
        .build()
        .unwrap();
    let forged = LoginChallenge::from_login_token(SECRET);
    let error = client.login_complete(&forged, "123456").await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout(t) if t == timeout),
        "{error:?}"
    );
    assert_no_secret(&error);

    let SignupOutcome::SignedIn(session) = client
        .signup(&common::handle("hang"), "pw", &SignupOptions::default())
        .await
        .unwrap()
    else {
        panic!("flow `none` signs in")
    };
    let error = client
        .set_user_metadata(&session, &json!({"user_data": {"name": 5}}))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout(t) if t == timeout),
        "{error:?}"
    );
}

/// Resolves every name to one address and counts the lookups: one per connection attempt.
#[derive(Clone)]
struct CountingResolver {
    address: SocketAddr,
    lookups: Arc<AtomicUsize>,
}

impl reqwest::dns::Resolve for CountingResolver {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        let address = self.address;
        Box::pin(async move { Ok(Box::new(std::iter::once(address)) as reqwest::dns::Addrs) })
    }
}

/// A client whose every connection attempt is counted.
fn counting_client(address: SocketAddr, connect_timeout: Duration) -> (Client, Arc<AtomicUsize>) {
    let lookups = Arc::new(AtomicUsize::new(0));
    let http = reqwest::Client::builder()
        .dns_resolver(CountingResolver {
            address,
            lookups: lookups.clone(),
        })
        .connect_timeout(connect_timeout)
        .build()
        .unwrap();
    let config = Config::new(
        AppToken::parse(&mint::app_token()).unwrap(),
        PublicKey::parse(keys::APP_PUBLIC).unwrap(),
    )
    .with_rest_address(
        RestAddress::parse(&format!("http://cosync.localhost:{}", address.port())).unwrap(),
    );
    let client = Client::builder(config)
        .http_client(http)
        .timeout(Duration::from_secs(5))
        .max_retries(2)
        .retry_backoff(Duration::from_millis(10))
        .build()
        .unwrap();
    (client, lookups)
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_every_call_since_nothing_was_sent() {
    // A port nobody listens on.
    let address = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let (client, attempts) = counting_client(address, Duration::from_secs(5));

    let error = client.get_application().await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert_eq!(error.to_string(), "could not connect to the CoSync server");
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3,
        "a GET: the first try and 2 retries"
    );

    let error = client.login("a@b.c", "pw").await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3 + 3,
        "a POST too: it never left"
    );
}

/// A listener whose accept queue is full, so the kernel leaves new connections unanswered
/// (Linux drops their SYN): connecting to it times out, deterministically and locally.
fn full_listener() -> (std::net::TcpListener, Vec<std::net::TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap().into_std().unwrap();
    let address = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    for _ in 0..64 {
        match std::net::TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
            Ok(stream) => queued.push(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return (listener, queued),
            Err(e) => panic!("filling the accept queue: {e}"),
        }
    }
    panic!("the accept queue never filled: this test needs a kernel that drops SYNs then (Linux)");
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_connect_timeout_is_a_connect_error_and_is_retried() {
    let (listener, _queued) = full_listener();
    let address = listener.local_addr().unwrap();

    // The client's own connect timeout (builder option), not the 5 s request timeout.
    let config = Config::new(
        AppToken::parse(&mint::app_token()).unwrap(),
        PublicKey::parse(keys::APP_PUBLIC).unwrap(),
    )
    .with_rest_address(RestAddress::parse(&format!("http://{address}")).unwrap());
    let own = Client::builder(config)
        .connect_timeout(Duration::from_millis(200))
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .unwrap();
    let error = own.login("a@b.c", "pw").await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "could not connect to the CoSync server in time"
    );

    // Nothing was sent, so even a POST is retried.
    let (client, attempts) = counting_client(address, Duration::from_millis(200));
    let error = client.login("a@b.c", "pw").await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
}
#[tokio::test]
async fn garbage_answers_are_unexpected_responses() {
    let cases: Vec<(Behaviour, &str)> = vec![
        (http("200 OK", "Service Not found"), "Service Not found"),
        (http("200 OK", "<html>hi</html>"), "HTML"),
        (http("200 OK", "not json at all"), "not JSON"),
        (http("200 OK", "[1,2,3]"), "got an array"),
        (http("200 OK", r#"{"status":"weird"}"#), "expected `true`"),
    ];
    for (behaviour, expected) in cases {
        let server = fake(move |_| behaviour.clone()).await;
        let client = client(&server.address, 0);
        let error = if expected == "expected `true`" {
            client.set_locale(&session(), "EN").await.unwrap_err()
        } else {
            client.get_user(&session()).await.map(drop).unwrap_err()
        };
        assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
        assert!(error.to_string().contains(expected), "{error}");
    }
}

#[tokio::test]
async fn four_hundreds_without_a_code_are_upstream_errors_and_stale_keys_are_ignored() {
    let twilio = fake(|_| http("400 Bad Request", r#"{"status":400,"message":"The 'To' number is not valid","more_info":"https://www.twilio.com/docs/errors/21211"}"#)).await;
    let error = client(&twilio.address, 0)
        .set_phone(&session(), "+1")
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Upstream { status: 400, .. }),
        "{error:?}"
    );

    let stale = fake(|_| http("400 Bad Request", r#"{"code":600,"message":"invalid login credentials","handle":"other@user.com","email":"x"}"#)).await;
    let error = client(&stale.address, 0)
        .login("a@b.c", "pw")
        .await
        .unwrap_err();
    match error {
        Error::Api { code, message } => {
            assert_eq!(code.code(), 600);
            assert_eq!(message, "invalid login credentials");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn not_http_at_all_is_a_transport_error() {
    let server = fake(|_| Behaviour::Answer(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec())).await;
    let error = client(&server.address, 0)
        .signup("a@b.c", "pw", &SignupOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!error.is_connect(), "{error:?}");
}

#[tokio::test]
async fn an_oversized_answer_is_refused() {
    let big = "x".repeat(2 * 1024 * 1024);
    let server = fake(move |_| http("200 OK", &big)).await;
    let error = client(&server.address, 0)
        .get_user(&session())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    assert!(error.to_string().contains("larger than"), "{error}");
}
