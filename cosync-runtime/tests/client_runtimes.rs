//! One client used from several tokio runtimes, as a `static` client (the generated `client()`)
//! is: from successive `#[tokio::test]`s, from runtimes driven only inside `block_on`, from a
//! runtime that shuts down while another is mid-request. The servers run on their own long-lived
//! runtime, as a real server does.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use cosync_emulator::{CreatedApp, Emulator, NewApp, SignupFlow};
use cosync_runtime::{Client, LoginOutcome, SignupOptions, SignupOutcome};
use cosync_test_support::{keys, mint};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio::sync::{Notify, oneshot};

const PASSWORD: &str = "a password for runtimes";

/// What `#[tokio::test]` builds for each test.
fn test_runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A runtime whose worker thread serves requests whatever the test thread does.
fn server_runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn start_emulator(server: &Runtime) -> (Emulator, CreatedApp) {
    server.block_on(async {
        let emulator = Emulator::builder().bcrypt_cost(4).start().await.unwrap();
        let app = emulator
            .create_app_with(NewApp::named("runtimes").signup_flow(SignupFlow::None))
            .await
            .unwrap();
        (emulator, app)
    })
}

fn shared_client(app: &CreatedApp) -> Client {
    // No retries: a request stuck on another runtime's connection must show, not be retried.
    Client::builder(common::config_for(app))
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .unwrap()
}

#[test]
fn successive_runtimes_use_one_client() {
    let server = server_runtime();
    let (emulator, app) = start_emulator(&server);
    let client = shared_client(&app);
    let ann = common::handle("ann");

    // The first "test": signs up and in, leaving idle connections in the pool.
    let first = test_runtime();
    first.block_on(async {
        let SignupOutcome::SignedIn(session) = client
            .signup(&ann, PASSWORD, &SignupOptions::default())
            .await
            .unwrap()
        else {
            panic!("flow `none` signs in")
        };
        client.get_user(&session).await.unwrap();
    });
    drop(first);

    // The second "test", on a new runtime: GETs and POSTs work.
    let second = test_runtime();
    second.block_on(async {
        let LoginOutcome::SignedIn(session) = client.login(&ann, PASSWORD).await.unwrap() else {
            panic!("no two-factor here")
        };
        client.set_locale(&session, "EN").await.unwrap();
        let user = client.get_user(&session).await.unwrap();
        assert_eq!(user.handle.as_deref(), Some(ann.as_str()));
    });
    drop(second);

    // And a third, multi-threaded one.
    let third = server_runtime();
    third.block_on(async { client.get_application().await.unwrap() });
    drop(third);
    server.block_on(emulator.stop());
}

#[test]
fn a_runtime_that_is_not_running_does_not_hold_up_another() {
    let server = server_runtime();
    let (emulator, app) = start_emulator(&server);
    let client = shared_client(&app);

    // A runtime driven only inside `block_on`: between calls its tasks, including the
    // connections it opened, do not run.
    let paused = test_runtime();
    paused.block_on(client.get_application()).unwrap();

    // Another runtime meanwhile: with one shared pool this request went to the paused runtime's
    // idle connection and waited for the timeout.
    let other = test_runtime();
    let outcome = other
        .block_on(client.signup(&common::handle("bo"), PASSWORD, &SignupOptions::default()))
        .unwrap();
    assert!(matches!(outcome, SignupOutcome::SignedIn(_)), "{outcome:?}");
    // The paused runtime still works when driven again.
    paused.block_on(client.get_application()).unwrap();
    drop((paused, other));
    server.block_on(emulator.stop());
}

/// A keep-alive HTTP/1.1 server that answers every request, except that it reports its
/// `held`-th request (1-based) and answers it only once released.
struct HoldingServer {
    address: String,
    held_request_arrived: mpsc::Receiver<()>,
    release: Arc<Notify>,
    connections: Arc<AtomicUsize>,
}

async fn holding_server(held: usize) -> HoldingServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (arrived, held_request_arrived) = mpsc::channel();
    let release = Arc::new(Notify::new());
    let connections = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(AtomicUsize::new(0));
    let (release_, connections_) = (release.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            connections_.fetch_add(1, Ordering::SeqCst);
            let (arrived, release, requests) =
                (arrived.clone(), release_.clone(), requests.clone());
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                loop {
                    // One request: the head, then `content-length` bytes of body.
                    let head_end = loop {
                        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                            break end + 4;
                        }
                        let mut chunk = [0_u8; 4096];
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buffer[..head_end]).to_lowercase();
                    let body_len = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                    while buffer.len() < head_end + body_len {
                        let mut chunk = [0_u8; 4096];
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buffer.drain(..head_end + body_len);
                    if requests.fetch_add(1, Ordering::SeqCst) + 1 == held {
                        arrived.send(()).unwrap();
                        release.notified().await;
                    }
                    let body = if head.starts_with("get") {
                        r#"{"name":"holding"}"#
                    } else {
                        "true"
                    };
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    HoldingServer {
        address,
        held_request_arrived,
        release,
        connections,
    }
}

#[test]
fn a_runtime_shutting_down_does_not_break_another_runtime_s_request() {
    let server_rt = server_runtime();
    let server = server_rt.block_on(holding_server(2));
    let config = cosync_runtime::Config::new(
        cosync_runtime::AppToken::parse(&mint::app_token()).unwrap(),
        cosync_runtime::PublicKey::parse(keys::APP_PUBLIC).unwrap(),
    )
    .with_rest_address(cosync_runtime::RestAddress::parse(&server.address).unwrap());
    let client = Client::builder(config)
        .timeout(Duration::from_secs(10))
        .max_retries(0)
        .build()
        .unwrap();

    // Test one: a request, then it keeps running (its connection stays idle in the pool)...
    let (ready_tx, ready) = mpsc::channel();
    let (finish, finish_rx) = oneshot::channel::<()>();
    let first = {
        let client = client.clone();
        thread::spawn(move || {
            test_runtime().block_on(async {
                client.get_application().await.unwrap();
                ready_tx.send(()).unwrap();
                let _ = finish_rx.await;
            });
            // ...and ends: its runtime shuts down.
        })
    };
    ready.recv().unwrap();

    // Test two, on its own runtime, while test one still runs: a POST, held by the server.
    let second = {
        let client = client.clone();
        thread::spawn(move || test_runtime().block_on(client.forgot_password("a@b.c")))
    };
    match server
        .held_request_arrived
        .recv_timeout(Duration::from_secs(10))
    {
        Ok(()) => {}
        Err(e) => panic!("the second request never reached the server: {e}"),
    }

    // Test one ends while test two's request is in flight.
    finish.send(()).unwrap();
    first.join().unwrap();
    server.release.notify_one();

    // With one pool, the POST went out on test one's connection, whose task died with its
    // runtime: "runtime dropped the dispatch task", and a POST is not retried.
    let result = second.join().unwrap();
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(
        server.connections.load(Ordering::SeqCst),
        2,
        "one connection per runtime"
    );
    drop(server_rt);
}
