//! Shared test helpers: an emulator with committed TEST-ONLY keys, a plain HTTP client, and an
//! RS256 verifier written against the `rsa` crate (not the emulator's own token code), so the
//! tests check the emulator from the outside.

#![allow(dead_code)]

use std::time::Duration;

use base64ct::{Base64UrlUnpadded, Encoding};
use cosync_emulator::{CreatedApp, Emulator, EmulatorBuilder, NewApp};
use md5::{Digest, Md5};
use rsa::pkcs8::DecodePublicKey;
use serde_json::Value;

pub const SERVER_KEY: &str = include_str!("../fixtures/TEST-ONLY-server-3072.pem");
pub const APP_KEY_A: &str = include_str!("../fixtures/TEST-ONLY-app-a-2048.pem");
pub const APP_KEY_B: &str = include_str!("../fixtures/TEST-ONLY-app-b-2048.pem");
pub const SOCIAL_KEY: &str = include_str!("../fixtures/TEST-ONLY-social-2048.pem");

/// The builder every test starts from: fixture keys (no slow key generation), fast bcrypt.
pub fn builder() -> EmulatorBuilder {
    Emulator::builder()
        .server_key_pem(SERVER_KEY)
        .social_key_pem(SOCIAL_KEY)
        .bcrypt_cost(4)
}

pub async fn emulator() -> Emulator {
    builder().start().await.expect("emulator starts")
}

pub async fn emulator_no_hang() -> Emulator {
    builder()
        .hang_on_malformed(false)
        .start()
        .await
        .expect("emulator starts")
}

/// Creates an app with the fixture key A unless the description pins another key.
pub async fn app(emu: &Emulator, mut new: NewApp) -> CreatedApp {
    if new.private_key_pem.is_none() {
        new.private_key_pem = Some(APP_KEY_A.to_owned());
    }
    emu.create_app_with(new).await.expect("app created")
}

pub fn md5(clear: &str) -> String {
    Md5::digest(clear.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Which token header to send.
#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    None,
    App(&'a str),
    Access(&'a str),
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): HTTP {} {}", self.status, self.text))
    }

    /// Asserts HTTP 400 with `{"code": code, "message": <string>}` and nothing else.
    #[track_caller]
    pub fn assert_code(&self, code: i64) {
        assert_eq!(
            (self.status, self.json()["code"].as_i64()),
            (400, Some(code)),
            "expected HTTP 400 code {code}, got HTTP {} {}",
            self.status,
            self.text
        );
        let body = self.json();
        let keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["code", "message"], "{}", self.text);
        assert!(body["message"].is_string());
    }

    #[track_caller]
    pub fn assert_true(&self) {
        assert_eq!(
            (self.status, self.text.as_str()),
            (200, "true"),
            "{}",
            self.text
        );
    }

    /// Asserts a `{"jwt","access-token"}` success and returns both.
    #[track_caller]
    pub fn tokens(&self) -> (String, String) {
        assert_eq!(self.status, 200, "{}", self.text);
        let body = self.json();
        let jwt = body["jwt"]
            .as_str()
            .unwrap_or_else(|| panic!("no jwt in {}", self.text));
        let access = body["access-token"]
            .as_str()
            .unwrap_or_else(|| panic!("no access-token in {}", self.text));
        (jwt.to_owned(), access.to_owned())
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

fn with_auth(mut request: reqwest::RequestBuilder, auth: Auth<'_>) -> reqwest::RequestBuilder {
    match auth {
        Auth::None => {}
        Auth::App(t) => request = request.header("app-token", t),
        Auth::Access(t) => request = request.header("access-token", t),
    }
    request
}

pub async fn send(request: reqwest::RequestBuilder) -> Resp {
    let response = request.send().await.expect("request answered");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("body");
    Resp {
        status,
        content_type,
        text,
    }
}

pub fn form(params: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    s.finish()
}

/// POST with a form-urlencoded body (what the Swift SDK sends).
pub async fn post(emu: &Emulator, path: &str, auth: Auth<'_>, params: &[(&str, &str)]) -> Resp {
    let request = client()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(params));
    send(with_auth(request, auth)).await
}

/// POST with a JSON body (what the Kotlin and React SDKs send).
pub async fn post_json(emu: &Emulator, path: &str, auth: Auth<'_>, body: Value) -> Resp {
    let request = client()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/json")
        .body(body.to_string());
    send(with_auth(request, auth)).await
}

pub async fn get(emu: &Emulator, path: &str, auth: Auth<'_>) -> Resp {
    send(with_auth(
        client().get(format!("{}{path}", emu.base_url())),
        auth,
    ))
    .await
}

/// True if the request gets no answer within `secs` seconds.
pub async fn hangs(request: reqwest::RequestBuilder, secs: u64) -> bool {
    tokio::time::timeout(Duration::from_secs(secs), request.send())
        .await
        .is_err()
}

pub fn post_request(
    emu: &Emulator,
    path: &str,
    auth: Auth<'_>,
    params: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let request = client()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(params));
    with_auth(request, auth)
}

/// Decodes a JWS segment to text.
pub fn segment_text(token: &str, index: usize) -> String {
    let segment = token.split('.').nth(index).expect("segment");
    String::from_utf8(Base64UrlUnpadded::decode_vec(segment).expect("base64url")).expect("utf-8")
}

/// Verifies an RS256 token with an SPKI PEM public key; panics unless it verifies. Returns the
/// claims and the payload text (for key-order checks).
#[track_caller]
pub fn verify(token: &str, public_pem: &str) -> (Value, String) {
    try_verify(token, public_pem).unwrap_or_else(|e| panic!("{e}: {token}"))
}

/// True if the token verifies with this key.
pub fn verifies(token: &str, public_pem: &str) -> bool {
    try_verify(token, public_pem).is_ok()
}

fn try_verify(token: &str, public_pem: &str) -> Result<(Value, String), String> {
    let key =
        rsa::PublicKey::from_public_key_pem(public_pem).map_err(|e| format!("public key: {e}"))?;
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err("not three segments".into());
    }
    if parts[0] != "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9" {
        return Err("header is not exactly {\"alg\":\"RS256\",\"typ\":\"JWT\"}".into());
    }
    let signature =
        Base64UrlUnpadded::decode_vec(parts[2]).map_err(|e| format!("signature: {e}"))?;
    key.pkcs1v15_verify::<rsa::sha2::Sha256>(
        format!("{}.{}", parts[0], parts[1]).as_bytes(),
        &signature,
    )
    .map_err(|e| format!("signature does not verify: {e}"))?;
    let text = segment_text(token, 1);
    let claims = serde_json::from_str(&text).map_err(|e| format!("claims: {e}"))?;
    Ok((claims, text))
}

/// Keys of a JSON object text in their written order.
pub fn key_order(object_text: &str) -> Vec<String> {
    let value: cosync_emulator::json::Json =
        cosync_emulator::json::Json::parse(object_text).expect("json");
    match value {
        cosync_emulator::json::Json::Object(entries) => {
            entries.into_iter().map(|(k, _)| k).collect()
        }
        _ => panic!("not an object: {object_text}"),
    }
}

/// Signs up (flow none) and returns (jwt, access token).
pub async fn signup_none(
    emu: &Emulator,
    app_token: &str,
    handle: &str,
    password: &str,
) -> (String, String) {
    let r = post(
        emu,
        "/api/appuser/signup",
        Auth::App(app_token),
        &[("handle", handle), ("password", &md5(password))],
    )
    .await;
    r.tokens()
}

/// Logs in and returns (jwt, access token).
pub async fn login(
    emu: &Emulator,
    app_token: &str,
    handle: &str,
    password: &str,
) -> (String, String) {
    post(
        emu,
        "/api/appuser/login",
        Auth::App(app_token),
        &[("handle", handle), ("password", &md5(password))],
    )
    .await
    .tokens()
}

/// The last code e-mailed or texted to `to`.
pub async fn code_for(emu: &Emulator, to: &str) -> String {
    emu.last_code_to(to)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no code sent to {to}"))
}
