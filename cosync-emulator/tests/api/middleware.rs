//! The auth middleware, body parsing and catch-all (COSYNC.md 3.2, 3.3, 4.1, 8.1, 8.4).

use serde_json::json;

use crate::support::*;
use cosync_emulator::NewApp;

#[tokio::test]
async fn health_text_and_catch_all() {
    let emu = emulator().await;
    let r = get(&emu, "/", Auth::None).await;
    assert_eq!(
        (r.status, r.text.as_str()),
        (200, "Welcome to CosyncJWT Server Service")
    );
    for path in [
        "/nope",
        "/api/appuser/nope",
        "/api/appuser",
        "/api/app/allApps",
    ] {
        let r = get(&emu, path, Auth::None).await;
        assert_eq!(
            (r.status, r.text.as_str()),
            (200, "Service Not found"),
            "{path}"
        );
        assert!(
            r.content_type.starts_with("application/json"),
            "{}",
            r.content_type
        );
    }
    // A known path with the wrong method is unknown too.
    let r = post(&emu, "/api/appuser/getApplication", Auth::None, &[]).await;
    assert_eq!((r.status, r.text.as_str()), (200, "Service Not found"));
}

#[tokio::test]
async fn unreadable_bodies_get_the_catch_all() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("bodies")).await;
    let url = format!("{}/api/appuser/login", emu.base_url());
    for body in ["{not json", "\"a string\"", "42"] {
        let r = send(
            client()
                .post(&url)
                .header("app-token", &app.app_token)
                .header("content-type", "application/json")
                .body(body),
        )
        .await;
        assert_eq!(
            (r.status, r.text.as_str()),
            (200, "Service Not found"),
            "{body}"
        );
    }
    let huge = format!("{{\"handle\":\"{}\"}}", "a".repeat(200 * 1024));
    let r = send(
        client()
            .post(&url)
            .header("app-token", &app.app_token)
            .header("content-type", "application/json")
            .body(huge),
    )
    .await;
    assert_eq!((r.status, r.text.as_str()), (200, "Service Not found"));
    // An unknown content type is not parsed: the parameters are missing.
    let r = send(
        client()
            .post(&url)
            .header("app-token", &app.app_token)
            .header("content-type", "text/plain")
            .body("handle=a@b.c&password=x"),
    )
    .await;
    r.assert_code(403);
}

#[tokio::test]
async fn token_headers_first_one_wins() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("auth").signup_flow(cosync_emulator::SignupFlow::None),
    )
    .await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;

    get(&emu, "/api/appuser/getApplication", Auth::App("garbage"))
        .await
        .assert_code(400);
    get(&emu, "/api/appuser/getUser", Auth::Access("garbage"))
        .await
        .assert_code(405);
    // Scopes are checked: an access token is not an app token and vice versa.
    get(&emu, "/api/appuser/getApplication", Auth::App(&access))
        .await
        .assert_code(400);
    get(&emu, "/api/appuser/getUser", Auth::Access(&app.app_token))
        .await
        .assert_code(405);
    // Even unknown routes go through the middleware first.
    get(&emu, "/nope", Auth::App("garbage"))
        .await
        .assert_code(400);
    // The query form of the app token.
    let r = get(
        &emu,
        &format!("/api/appuser/getApplication?appToken={}", app.app_token),
        Auth::None,
    )
    .await;
    assert_eq!(r.json()["name"], "auth");
    get(
        &emu,
        "/api/appuser/getApplication?appToken=garbage",
        Auth::None,
    )
    .await
    .assert_code(400);
    // Both headers: app-token wins, so a user route has no handle (getUser → 602).
    let both = client()
        .get(format!("{}/api/appuser/getUser", emu.base_url()))
        .header("app-token", &app.app_token)
        .header("access-token", &access);
    send(both).await.assert_code(602);
    // An empty header is absent: the access token behind it is used.
    let empty = client()
        .get(format!("{}/api/appuser/getUser", emu.base_url()))
        .header("app-token", "")
        .header("access-token", &access);
    assert_eq!(send(empty).await.json()["handle"], "ann@example.com");
    // A repeated header is joined by Node and no longer verifies.
    let twice = client()
        .get(format!("{}/api/appuser/getApplication", emu.base_url()))
        .header("app-token", &app.app_token)
        .header("app-token", &app.app_token);
    send(twice).await.assert_code(400);
    // server-secret is looked at first; a bad one is refused with code 500.
    let secret = client()
        .get(format!("{}/api/appuser/getApplication", emu.base_url()))
        .header("server-secret", "nope")
        .header("app-token", &app.app_token);
    send(secret).await.assert_code(500);
}

#[tokio::test]
async fn tokens_of_another_server_are_refused() {
    let emu = emulator().await;
    let other = cosync_emulator::Emulator::builder()
        .server_key_pem(APP_KEY_B) // a different (2048-bit) server key
        .bcrypt_cost(4)
        .start()
        .await
        .unwrap();
    let foreign = other
        .create_app_with(NewApp::named("x").with_private_key_pem(APP_KEY_A))
        .await
        .unwrap();
    get(
        &emu,
        "/api/appuser/getApplication",
        Auth::App(&foreign.app_token),
    )
    .await
    .assert_code(400);
    // Tampering with the payload breaks the signature.
    let app = app(&emu, NewApp::named("mine")).await;
    let mut parts: Vec<String> = app.app_token.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].replacen('e', "f", 1);
    get(
        &emu,
        "/api/appuser/getApplication",
        Auth::App(&parts.join(".")),
    )
    .await
    .assert_code(400);
}

#[tokio::test]
async fn form_and_json_bodies_are_equivalent_and_paths_case_insensitive() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("enc").signup_flow(cosync_emulator::SignupFlow::None),
    )
    .await;
    // `+` must arrive as %2B in a form; the serializer does that.
    signup_none(&emu, &app.app_token, "a+b@example.com", "pw").await;
    let r = post_json(
        &emu,
        "/api/AppUser/LOGIN/",
        Auth::App(&app.app_token),
        json!({"handle": "A+B@Example.com ", "password": md5("pw")}),
    )
    .await;
    let (jwt, _) = r.tokens();
    assert_eq!(
        verify(&jwt, &app.public_key_pem).0["sub"],
        "a+b@example.com"
    );
    // A raw `+` in a form is a space, as in Node's querystring: that user does not exist.
    let raw = client()
        .post(format!("{}/api/appuser/login", emu.base_url()))
        .header("app-token", &app.app_token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("handle=a+b@example.com&password={}", md5("pw")));
    send(raw).await.assert_code(600);
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let emu = emulator().await;
    let r = send(client().request(
        reqwest::Method::OPTIONS,
        format!("{}/api/appuser/login", emu.base_url()),
    ))
    .await;
    assert_eq!(r.status, 204);
    let r = client()
        .get(format!("{}/", emu.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert_eq!(r.headers()["x-powered-by"], "Cosync, Inc.");
}
