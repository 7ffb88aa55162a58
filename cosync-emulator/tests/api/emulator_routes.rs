//! The emulator-only routes under `/_emulator/`.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn create_configure_and_inspect_over_http() {
    let emu = emulator().await;
    let index = get(&emu, "/_emulator/", Auth::None).await.json();
    assert_eq!(index["restAddress"], emu.base_url());
    assert!(index["routes"].as_array().unwrap().len() >= 10);

    let r = post_json(
        &emu,
        "/_emulator/apps",
        Auth::None,
        json!({"name": "over http", "settings": {"signupFlow": "none"}, "privateKeyPem": APP_KEY_A}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let created = r.json();
    let app_id = created["appId"].as_str().unwrap().to_owned();
    let token = created["appToken"].as_str().unwrap().to_owned();
    verify(&token, created["serverPublicKeyPem"].as_str().unwrap());
    let toml_text = get(
        &emu,
        &format!("/_emulator/apps/{app_id}/cosync.toml"),
        Auth::None,
    )
    .await
    .text;
    assert!(toml_text.contains(&token));
    assert_eq!(
        get(&emu, &format!("/_emulator/apps/{app_id}"), Auth::None)
            .await
            .json()["appToken"],
        token.as_str()
    );
    let apps = get(&emu, "/_emulator/apps", Auth::None).await.json();
    assert_eq!(apps[0]["name"], "over http");

    signup_none(&emu, &token, "ann@example.com", "pw").await;
    // Switch the flow at run time.
    let r = send(
        client()
            .patch(format!(
                "{}/_emulator/apps/{app_id}/settings",
                emu.base_url()
            ))
            .header("content-type", "application/json")
            .body(json!({"signupFlow": "code"}).to_string()),
    )
    .await;
    assert_eq!(r.json()["signupFlow"], "code");
    post(
        &emu,
        "/api/appuser/signup",
        Auth::App(&token),
        &[("handle", "bob@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_true();
    let bad = post_json(
        &emu,
        &format!("/_emulator/apps/{app_id}/settings"),
        Auth::None,
        json!({"signupFlow": "sms"}),
    )
    .await;
    assert_eq!(bad.status, 400);
    let unknown = post_json(
        &emu,
        &format!("/_emulator/apps/{app_id}/settings"),
        Auth::None,
        json!({"nope": 1}),
    )
    .await;
    assert_eq!(unknown.status, 400);

    let outbox = get(&emu, "/_emulator/outbox?to=BOB@example.com", Auth::None)
        .await
        .json();
    assert_eq!(outbox.as_array().unwrap().len(), 1);
    assert_eq!(outbox[0]["template"], "signUp");
    assert_eq!(outbox[0]["kind"], "email");
    assert_eq!(
        get(&emu, "/_emulator/outbox?template=invite", Auth::None)
            .await
            .json(),
        json!([])
    );

    let r = post_json(
        &emu,
        &format!("/_emulator/apps/{app_id}/users/ann@example.com/status"),
        Auth::None,
        json!({"status": "suspend"}),
    )
    .await;
    assert_eq!(r.json()["status"], "suspend");
    post(
        &emu,
        "/api/appuser/login",
        Auth::App(&token),
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await
    .assert_code(404);
    let users = get(&emu, &format!("/_emulator/apps/{app_id}/users"), Auth::None)
        .await
        .json();
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert!(users[0].get("password").is_none());

    let minted = post_json(
        &emu,
        "/_emulator/social/token",
        Auth::None,
        json!({"provider": "google", "audience": "client", "email": "x@example.com"}),
    )
    .await
    .json();
    let key = get(&emu, "/_emulator/social/public-key", Auth::None)
        .await
        .text;
    assert_eq!(
        verify(minted["token"].as_str().unwrap(), &key).0["iss"],
        "https://accounts.google.com"
    );

    let before = post_json(
        &emu,
        "/_emulator/clock/advance",
        Auth::None,
        json!({"seconds": 0}),
    )
    .await
    .json()["now"]
        .as_i64()
        .unwrap();
    let after = post_json(
        &emu,
        "/_emulator/clock/advance",
        Auth::None,
        json!({"seconds": 3600}),
    )
    .await
    .json()["now"]
        .as_i64()
        .unwrap();
    assert!(after - before >= 3600);

    let cleared = send(client().delete(format!("{}/_emulator/outbox", emu.base_url())))
        .await
        .json();
    assert_eq!(cleared["deleted"], 1);
    let deleted =
        send(client().delete(format!("{}/_emulator/apps/{app_id}", emu.base_url()))).await;
    assert_eq!(deleted.status, 200);
    get(&emu, "/api/appuser/getApplication", Auth::App(&token))
        .await
        .assert_code(401);
    assert_eq!(
        get(&emu, &format!("/_emulator/apps/{app_id}"), Auth::None)
            .await
            .status,
        404
    );
    assert_eq!(get(&emu, "/_emulator/nope", Auth::None).await.status, 404);
    // Emulator routes ignore CoSync tokens entirely.
    assert_eq!(
        get(&emu, "/_emulator/apps", Auth::App("garbage"))
            .await
            .status,
        200
    );
}
