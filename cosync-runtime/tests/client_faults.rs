//! Misbehaving servers on loopback: a server that stalls, closes the connection, answers 5xx or
//! garbage. Each gives the right error variant, retries happen only where safe, nothing panics.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cosync_runtime::{
    AppToken, Client, Config, Error, PublicKey, RestAddress, Session, SignupOptions,
};
use cosync_test_support::{keys, mint};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the fake server does with the n-th connection (0-based).
#[derive(Clone)]
enum Behaviour {
    /// Reads the request and never answers.
    Stall,
    /// Reads the request and closes the connection without a byte.
    Close,
    /// Reads the request and answers these bytes.
    Answer(Vec<u8>),
}

fn http(status: &str, body: &str) -> Behaviour {
    Behaviour::Answer(
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
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
    let server = fake(|_| http("500 Internal Server Error", "oops")).await;
    let error = client(&server.address, 2)
        .get_user(&session())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Status { status: 500, .. }),
        "{error:?}"
    );
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);

    let gateway = fake(|_| http("503 Service Unavailable", "busy")).await;
    let error = client(&gateway.address, 2)
        .get_user(&session())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Status { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(gateway.connections.load(Ordering::SeqCst), 3);

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
    assert!(
        matches!(error, Error::Status { status: 403, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn garbage_answers_are_unexpected_responses() {
    let cases: Vec<(Behaviour, &str)> = vec![
        (http("200 OK", "Service Not found"), "Service Not found"),
        (http("200 OK", "<html>hi</html>"), "HTML"),
        (http("200 OK", "not json at all"), "not JSON"),
        (http("200 OK", "[1,2,3]"), "wrong shape"),
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
async fn not_http_at_all_and_refused_connections_are_transport_errors() {
    let server = fake(|_| Behaviour::Answer(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec())).await;
    let error = client(&server.address, 0)
        .signup("a@b.c", "pw", &SignupOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");

    // A port nobody listens on: the connection is refused, so even a POST may be retried (it
    // was never sent), and the result is a transport error.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let error = client(&format!("http://127.0.0.1:{port}"), 2)
        .login("a@b.c", "pw")
        .await
        .unwrap_err();
    match &error {
        Error::Transport(inner) => assert!(inner.is_connect(), "{inner:?}"),
        other => panic!("{other:?}"),
    }
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
