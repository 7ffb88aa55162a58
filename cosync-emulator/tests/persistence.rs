//! Storage: a real SQLite file that keeps keys and users across restarts, stores bcrypt hashes,
//! and stays consistent under concurrent requests.

#[path = "api/support.rs"]
mod support;

use cosync_emulator::{Emulator, NewApp, SignupFlow, SocialProvider, SocialToken, database_path};
use support::*;

#[tokio::test]
async fn restart_keeps_keys_users_codes_and_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let first = Emulator::builder()
        .data_dir(dir.path())
        .server_key_pem(SERVER_KEY)
        .social_key_pem(SOCIAL_KEY)
        .start()
        .await
        .unwrap();
    let server_pem = first.server_public_key_pem().to_owned();
    let mut new = NewApp::named("durable").signup_flow(SignupFlow::None);
    new.settings.apple_login_enabled = true;
    new.settings.apple_bundle_id = Some("com.example".into());
    let created = first.create_app_with(new).await.unwrap(); // generated app key
    let (jwt_before, _) = signup_none(&first, &created.app_token, "ann@example.com", "pw").await;
    let apple = first
        .social_token(&SocialToken::new(
            SocialProvider::Apple,
            "com.example",
            "gus@example.com",
        ))
        .await
        .unwrap();
    post(
        &first,
        "/api/appuser/socialSignup",
        Auth::App(&created.app_token),
        &[
            ("token", &apple),
            ("provider", "apple"),
            ("handle", "gus@example.com"),
        ],
    )
    .await
    .tokens();
    // A pending code-flow sign-up, completed after the restart.
    first
        .update_app(
            &created.app_id,
            cosync_emulator::AppSettingsPatch {
                signup_flow: Some(SignupFlow::Code),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    post(
        &first,
        "/api/appuser/signup",
        Auth::App(&created.app_token),
        &[("handle", "bob@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    first.stop().await;

    assert!(database_path(dir.path()).is_file());
    // No keys given this time: they come from the database.
    let second = Emulator::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap();
    assert_eq!(second.server_public_key_pem(), server_pem);
    let again = second.app(&created.app_id).await.unwrap();
    assert_eq!(
        (again.app_token.as_str(), again.public_key_pem.as_str()),
        (created.app_token.as_str(), created.public_key_pem.as_str())
    );
    assert_eq!(again.settings.signup_flow, SignupFlow::Code);
    let body = get(
        &second,
        "/api/appuser/getApplication",
        Auth::App(&created.app_token),
    )
    .await
    .json();
    assert_eq!(body["name"], "durable");
    let (jwt_after, _) = login(&second, &created.app_token, "ann@example.com", "pw").await;
    verify(&jwt_before, &again.public_key_pem);
    verify(&jwt_after, &again.public_key_pem);
    // The social-provider key survived too: the token minted before the restart still works.
    post(
        &second,
        "/api/appuser/socialLogin",
        Auth::App(&created.app_token),
        &[("token", &apple), ("provider", "apple")],
    )
    .await
    .tokens();
    let code = code_for(&second, "bob@example.com").await;
    post(
        &second,
        "/api/appuser/completeSignup",
        Auth::App(&created.app_token),
        &[("handle", "bob@example.com"), ("code", &code)],
    )
    .await
    .tokens();
    second.stop().await;

    // A different server key for an existing directory is refused.
    let refused = Emulator::builder()
        .data_dir(dir.path())
        .server_key_pem(APP_KEY_B)
        .start()
        .await;
    assert!(
        matches!(refused, Err(cosync_emulator::Error::ServerKeyMismatch)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn passwords_are_bcrypt_of_the_md5_in_a_real_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    // Default cost (10), as on the real server.
    let emu = Emulator::builder()
        .data_dir(dir.path())
        .server_key_pem(SERVER_KEY)
        .start()
        .await
        .unwrap();
    let app = app(&emu, NewApp::named("hash").signup_flow(SignupFlow::None)).await;
    signup_none(&emu, &app.app_token, "ann@example.com", "clear text").await;
    let conn = rusqlite::Connection::open(database_path(dir.path())).unwrap();
    let (hash, version): (String, i64) = conn
        .query_row(
            "SELECT password_hash, (SELECT user_version FROM pragma_user_version) FROM users WHERE handle = 'ann@example.com'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(hash.starts_with("$2b$10$"), "{hash}");
    assert!(bcrypt::verify(md5("clear text"), &hash).unwrap());
    assert!(!bcrypt::verify("clear text", &hash).unwrap());
    assert_eq!(version, 1, "schema migrated to the latest version");
    // Private keys are in the database, never in the served app description.
    let pem: String = conn
        .query_row("SELECT private_key_pem FROM apps", [], |r| r.get(0))
        .unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(
        !serde_json::to_string(&emu.app(&app.app_id).await.unwrap())
            .unwrap()
            .contains("PRIVATE")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_parallel_signups_and_logins() {
    const USERS: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    let emu = builder().data_dir(dir.path()).start().await.unwrap();
    let app = app(&emu, NewApp::named("load").signup_flow(SignupFlow::None)).await;
    let base = emu.base_url().to_owned();
    let client = client();

    let signups = (0..USERS).map(|i| {
        let (client, base, token) = (client.clone(), base.clone(), app.app_token.clone());
        tokio::spawn(async move {
            let body = form(&[
                ("handle", &format!("user{i}@example.com")),
                ("password", &md5(&format!("pw{i}"))),
            ]);
            let r = client
                .post(format!("{base}/api/appuser/signup"))
                .header("app-token", token)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("answered");
            (r.status().as_u16(), r.text().await.unwrap())
        })
    });
    let results: Vec<_> = futures_join(signups).await;
    for (i, (status, text)) in results.iter().enumerate() {
        assert_eq!(*status, 200, "signup {i}: {text}");
        assert!(text.contains("\"jwt\""), "signup {i}: {text}");
    }

    let logins = (0..USERS).map(|i| {
        let (client, base, token) = (client.clone(), base.clone(), app.app_token.clone());
        tokio::spawn(async move {
            let body = serde_json::json!({"handle": format!("user{i}@example.com"), "password": md5(&format!("pw{i}"))});
            let r = client
                .post(format!("{base}/api/appuser/login"))
                .header("app-token", token)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .expect("answered");
            (r.status().as_u16(), r.text().await.unwrap())
        })
    });
    let results: Vec<_> = futures_join(logins).await;
    for (i, (status, text)) in results.iter().enumerate() {
        assert_eq!(*status, 200, "login {i}: {text}");
        let body: serde_json::Value = serde_json::from_str(text).unwrap();
        let (claims, _) = verify(body["jwt"].as_str().unwrap(), &app.public_key_pem);
        assert_eq!(claims["sub"], format!("user{i}@example.com"));
    }
    let users = get(
        &emu,
        &format!("/_emulator/apps/{}/users", app.app_id),
        Auth::None,
    )
    .await
    .json();
    assert_eq!(
        users.as_array().unwrap().len(),
        USERS,
        "every sign-up accounted for"
    );
    emu.stop().await;

    // Every user is in the file, too.
    let conn = rusqlite::Connection::open(database_path(dir.path())).unwrap();
    let count: i64 = conn
        .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count as usize, USERS);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_signups_of_one_handle_create_one_user() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("race").signup_flow(SignupFlow::None)).await;
    let base = emu.base_url().to_owned();
    let client = client();
    let attempts = (0..20).map(|_| {
        let (client, base, token) = (client.clone(), base.clone(), app.app_token.clone());
        tokio::spawn(async move {
            let r = client
                .post(format!("{base}/api/appuser/signup"))
                .header("app-token", token)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form(&[
                    ("handle", "same@example.com"),
                    ("password", &md5("pw")),
                ]))
                .send()
                .await
                .expect("answered");
            (r.status().as_u16(), r.text().await.unwrap())
        })
    });
    let results = futures_join(attempts).await;
    let created = results
        .iter()
        .filter(|(s, t)| *s == 200 && t.contains("jwt"))
        .count();
    let refused = results
        .iter()
        .filter(|(s, t)| {
            *s == 400 && serde_json::from_str::<serde_json::Value>(t).unwrap()["code"] == 601
        })
        .count();
    assert_eq!((created, refused), (1, 19), "{results:?}");
}

async fn futures_join<T: Send + 'static>(
    tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for task in tasks.collect::<Vec<_>>() {
        out.push(task.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn default_start_generates_one_server_key_per_process() {
    let first = Emulator::start().await.unwrap();
    let second = Emulator::builder()
        .temp_dir()
        .bcrypt_cost(4)
        .start()
        .await
        .unwrap();
    assert_eq!(
        first.server_public_key_pem(),
        second.server_public_key_pem(),
        "generated once, shared"
    );
    assert_ne!(
        first.server_public_key_pem(),
        rsa_public_pem(SERVER_KEY),
        "not a fixture key"
    );
    assert!(
        second
            .data_dir()
            .unwrap()
            .join(cosync_emulator::DATABASE_FILE)
            .is_file()
    );
    let app = second.create_app("generated").await.unwrap();
    let (_, _) = verify(&app.app_token, first.server_public_key_pem());
    assert_eq!(
        app.app_token.split('.').nth(2).unwrap().len(),
        512,
        "3072-bit server key"
    );
    let temp_dir = second.data_dir().unwrap().to_owned();
    drop(second);
    assert!(
        !temp_dir.exists(),
        "the temporary directory goes with the emulator"
    );
}

fn rsa_public_pem(private_pem: &str) -> String {
    cosync_emulator::keys::public_pem(
        &cosync_emulator::keys::parse_private_pem(private_pem).unwrap(),
    )
    .unwrap()
}
