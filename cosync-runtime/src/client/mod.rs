//! The CoSync Auth REST client: every app-facing call of the API, typed, async.

mod error;
mod pool;
mod signed_in;
mod types;

use std::sync::Arc;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracing::Instrument;

pub use error::{ApiErrorCode, Error, ResponseBody};
pub use signed_in::SignedIn;
pub use types::{
    AccountProof, Application, GoogleTwoFactor, LoginChallenge, LoginOutcome, MetadataField,
    Secret, Session, SignupCompletion, SignupFlow, SignupOptions, SignupOutcome, SocialProvider,
    TwoFactorMode, User,
};

use crate::Config;
use pool::Pools;

/// The default time one attempt may take: the server never answers some malformed requests.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default number of retries (idempotent GETs, and requests that never left).
pub const DEFAULT_RETRIES: u32 = 2;
/// The default first retry delay; it doubles at each retry.
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(200);
/// The largest response body read (the largest real answers are a few kilobytes).
const MAX_BODY: usize = 1024 * 1024;

/// A CoSync Auth REST client. Cheap to clone (clones share their connections), `Send + Sync`.
///
/// Every call of the app-facing API is a method. Calls made for a signed-in user take the
/// [`Session`] explicitly, or go through a [`SignedIn`] handle; the client holds no user state.
///
/// # Runtimes
///
/// A connection belongs to the tokio runtime that opened it: its I/O runs as a task of that
/// runtime. So a client keeps one connection pool per runtime it is used on, and drops a pool
/// when its runtime shuts down. One client (the generated `client()`, a `static`, a clone in
/// every `#[tokio::test]`) can therefore be used from any number of runtimes, one after another
/// or at the same time, including runtimes that are only driven now and then
/// (`Runtime::block_on`). Each runtime the client is used on gets one small idle task that
/// notices when the runtime shuts down. A client given its own `reqwest::Client` with
/// [`ClientBuilder::http_client`] uses that client's single pool everywhere, as reqwest does.
///
/// ```no_run
/// # async fn demo(config: cosync_runtime::Config) -> Result<(), cosync_runtime::Error> {
/// use cosync_runtime::{Client, LoginOutcome};
///
/// let client = Client::new(config);
/// match client.login("ann@example.com", "correct horse").await? {
///     LoginOutcome::SignedIn(session) => {
///         let user = client.get_user(&session).await?;
///         println!("hello {:?}", user.handle);
///     }
///     LoginOutcome::TwoFactorRequired(challenge) => {
///         let session = client.login_complete(&challenge, "123456").await?;
///         # let _ = session;
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: Http,
    config: Config,
    timeout: Duration,
    retries: u32,
    backoff: Duration,
}

/// Where a request's `reqwest::Client` comes from.
enum Http {
    /// Built here: one per tokio runtime.
    PerRuntime(Pools),
    /// The caller's, used as is.
    Given(reqwest::Client),
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("rest_address", self.inner.config.rest_address())
            .field("app_id", &self.inner.config.app_id())
            .field("timeout", &self.inner.timeout)
            .field("retries", &self.inner.retries)
            .finish_non_exhaustive()
    }
}

/// Options of a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    config: Config,
    timeout: Duration,
    connect_timeout: Duration,
    retries: u32,
    backoff: Duration,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// How long one attempt may take before [`Error::Timeout`] (default 30 s): from connecting
    /// to the last byte of the answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take (default 10 s). A connection not made in time is an
    /// [`Error::Transport`] for which [`Error::is_connect`] is true, retried like a refused
    /// connection since nothing was sent.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How many times to retry (default 2). Only idempotent GETs are retried after a timeout, a
    /// dropped connection or a 502/503/504; other calls only when the connection could not be
    /// made, so nothing was sent.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// The first retry delay, doubled at each retry (default 200 ms).
    pub fn retry_backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    /// Uses an existing `reqwest::Client` (its pool, proxy and TLS settings) on every runtime. The
    /// timeouts of this builder still apply per request; the connect timeout is the given
    /// client's.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let http = match self.http {
            Some(http) => Http::Given(http),
            None => Http::PerRuntime(Pools::new(self.connect_timeout)?),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                config: self.config,
                timeout: self.timeout,
                retries: self.retries,
                backoff: self.backoff,
            }),
        })
    }
}

/// Which token authenticates a request. Exactly one header is ever sent (COSYNC.md 3.2).
#[derive(Clone, Copy)]
enum Auth<'a> {
    App,
    User(&'a Session),
}

type Form = Vec<(&'static str, String)>;

/// The lowercase hex MD5 of a clear password: what CoSync expects on the wire (COSYNC.md 3.4).
fn password_hash(password: &str) -> String {
    Md5::digest(password.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An answer as it came: status, content type and body.
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// A 200 answer, understood.
enum Reply {
    /// JSON, as every call answers.
    Json(Value),
    /// The HTML page CoSync answers `completeSignup` with in flow `link`: an HTML document
    /// (raw, or as a JSON string) with a JSON content type (COSYNC.md 3.6 #6).
    SignupPage,
}

const HTML_ANSWER: &str = "an HTML page instead of JSON";

impl Reply {
    fn json(self) -> Result<Value, Error> {
        match self {
            Reply::Json(value) => Ok(value),
            Reply::SignupPage => Err(Error::UnexpectedResponse(HTML_ANSWER.to_owned())),
        }
    }
}

fn is_json_type(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|t| {
        let media = t.split(';').next().unwrap_or_default().trim();
        media.eq_ignore_ascii_case("application/json")
            || media.to_ascii_lowercase().ends_with("+json")
    })
}

/// Whether a body is an HTML (or XML) document rather than JSON.
fn looks_like_markup(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    body.trim_ascii_start().starts_with(b"<")
}

fn not_found_catch_all(body: &[u8]) -> bool {
    body.trim_ascii().starts_with(b"Service Not found")
}

/// What a 200 answer is. Error messages name the size and content type, never the text: an
/// unparsable body can be anything, including a token.
fn parse_ok(content_type: Option<&str>, body: &[u8]) -> Result<Reply, Error> {
    let json_type = is_json_type(content_type);
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::String(text)) if json_type && looks_like_markup(text.as_bytes()) => {
            Ok(Reply::SignupPage)
        }
        Ok(value) => Ok(Reply::Json(value)),
        Err(_) if not_found_catch_all(body) => Err(Error::UnexpectedResponse(
            "`Service Not found`: the server does not know this call (is the REST address a CoSync Auth server, and up to date?)"
                .to_owned(),
        )),
        // CoSync sends its one HTML page with its JSON content type; an HTML page of any other
        // type comes from something else (a proxy, a captive portal, a web server).
        Err(_) if looks_like_markup(body) && json_type => Ok(Reply::SignupPage),
        Err(_) if looks_like_markup(body) => Err(Error::UnexpectedResponse(format!(
            "{HTML_ANSWER} ({}): is the REST address right, or is a proxy answering?",
            ResponseBody::new(content_type, body)
        ))),
        Err(_) => Err(Error::UnexpectedResponse(format!(
            "not JSON ({})",
            ResponseBody::new(content_type, body)
        ))),
    }
}

/// An answer other than 200. A body with an integer `code` is a CoSync error, whatever the
/// status (400 normally, 501 from the token check, COSYNC.md 3.2): only `code` and `message` are
/// kept, since error bodies can carry stale keys of other requests (COSYNC.md 4.2).
fn error_answer(status: StatusCode, content_type: Option<&str>, body: &[u8]) -> Error {
    let value: Option<Value> = serde_json::from_slice(body).ok();
    let code = value
        .as_ref()
        .and_then(|v| v.get("code"))
        .and_then(Value::as_i64);
    match code {
        Some(code) => Error::Api {
            code: ApiErrorCode::from_code(code),
            message: value
                .as_ref()
                .and_then(|v| v.get("message"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        },
        None if status == StatusCode::BAD_REQUEST => Error::Upstream {
            status: status.as_u16(),
            body: ResponseBody::new(content_type, body),
        },
        None => Error::Status {
            status: status.as_u16(),
            body: ResponseBody::new(content_type, body),
        },
    }
}

fn expect_true(value: Value) -> Result<(), Error> {
    match value {
        Value::Bool(true) => Ok(()),
        other => Err(Error::UnexpectedResponse(format!(
            "expected `true`, got {}",
            shape(&other)
        ))),
    }
}

fn shape(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses a (lenient) response type. The message names the shape, not serde's error, which can
/// quote values.
fn typed<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, Error> {
    if !value.is_object() {
        // serde would read an array as a struct's fields in order.
        return Err(Error::UnexpectedResponse(format!(
            "expected {what} object, got {}",
            shape(&value)
        )));
    }
    serde_json::from_value(value).map_err(|_| {
        Error::UnexpectedResponse(format!(
            "expected {what} object, got an object of another shape"
        ))
    })
}

fn string_field(value: &Value, name: &str) -> Option<String> {
    value.get(name)?.as_str().map(str::to_owned)
}

fn session_from(value: &Value) -> Result<Session, Error> {
    match (
        string_field(value, "jwt"),
        string_field(value, "access-token"),
    ) {
        (Some(jwt), Some(access_token)) => Ok(Session::from_tokens(jwt, access_token)),
        _ => Err(Error::UnexpectedResponse(format!(
            "expected `jwt` and `access-token`, got {}",
            shape(value)
        ))),
    }
}

fn google_two_factor_from(value: &Value) -> Result<GoogleTwoFactor, Error> {
    match (
        string_field(value, "googleSecretKey"),
        string_field(value, "QRDataImage"),
    ) {
        (Some(secret), Some(qr_data_image)) => Ok(GoogleTwoFactor {
            secret: Secret::new(secret),
            qr_data_image,
        }),
        _ => Err(Error::UnexpectedResponse(
            "expected `googleSecretKey` and `QRDataImage` strings".to_owned(),
        )),
    }
}

fn metadata_string(metadata: &Value) -> String {
    // CoSync parses `metaData` as a JSON string in both encodings.
    metadata.to_string()
}

impl Client {
    /// A client with the default options.
    ///
    /// # Panics
    /// If the TLS backend cannot be initialised (as `reqwest::Client::new` does); use
    /// [`Client::builder`] to handle that as an error.
    pub fn new(config: Config) -> Self {
        match Self::builder(config).build() {
            Ok(client) => client,
            Err(error) => panic!("cannot initialise the HTTP client: {error}"),
        }
    }

    /// A builder for timeouts, retries and the HTTP client.
    pub fn builder(config: Config) -> ClientBuilder {
        ClientBuilder {
            config,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retries: DEFAULT_RETRIES,
            backoff: DEFAULT_BACKOFF,
            http: None,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A handle that makes this user's calls without passing the session each time.
    pub fn signed_in(&self, session: Session) -> SignedIn {
        SignedIn::new(self.clone(), session)
    }

    /// The `reqwest::Client` for the runtime polling this call.
    fn http(&self) -> Result<reqwest::Client, Error> {
        match &self.inner.http {
            Http::PerRuntime(pools) => pools.current(),
            Http::Given(http) => Ok(http.clone()),
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &'static str,
        auth: Auth<'_>,
        query: &[(&str, &str)],
        form: Option<Form>,
    ) -> Result<Reply, Error> {
        let span = tracing::debug_span!("cosync", %method, path);
        async {
            let http = self.http()?;
            let idempotent = method == Method::GET;
            let mut attempt = 0;
            loop {
                let started = Instant::now();
                let result = self
                    .attempt(&http, &method, path, auth, query, form.as_ref())
                    .await;
                let elapsed_ms = started.elapsed().as_millis() as u64;
                let retry = match &result {
                    Ok(answer) => {
                        tracing::debug!(
                            elapsed_ms,
                            status = answer.status.as_u16(),
                            bytes = answer.body.len(),
                            content_type = answer.content_type.as_deref().unwrap_or(""),
                            "answer"
                        );
                        idempotent && matches!(answer.status.as_u16(), 502..=504)
                    }
                    Err(error) => {
                        tracing::debug!(elapsed_ms, error = %error, "failed");
                        retryable(error, idempotent)
                    }
                };
                if retry && attempt < self.inner.retries {
                    let delay = self.inner.backoff.saturating_mul(1 << attempt.min(16));
                    attempt += 1;
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                    continue;
                }
                let answer = result?;
                let content_type = answer.content_type.as_deref();
                return if answer.status == StatusCode::OK {
                    parse_ok(content_type, &answer.body)
                } else {
                    Err(error_answer(answer.status, content_type, &answer.body))
                };
            }
        }
        .instrument(span)
        .await
    }

    async fn attempt(
        &self,
        http: &reqwest::Client,
        method: &Method,
        path: &'static str,
        auth: Auth<'_>,
        query: &[(&str, &str)],
        form: Option<&Form>,
    ) -> Result<Answer, Error> {
        let url = self.inner.config.rest_address().url(path);
        let mut request = http
            .request(method.clone(), url)
            .timeout(self.inner.timeout);
        request = match auth {
            Auth::App => request.header("app-token", self.inner.config.app_token().as_str()),
            Auth::User(session) => request.header("access-token", session.access_token.expose()),
        };
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(form) = form {
            request = request.form(form);
        }
        let mut response = request.send().await.map_err(|e| self.transport(e))?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(e))? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Error::UnexpectedResponse(format!(
                    "an answer larger than {MAX_BODY} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            content_type,
            body,
        })
    }

    fn transport(&self, error: reqwest::Error) -> Error {
        classify(error, self.inner.timeout)
    }

    async fn post(&self, path: &'static str, auth: Auth<'_>, form: Form) -> Result<Value, Error> {
        self.call(Method::POST, path, auth, &[], Some(form))
            .await?
            .json()
    }

    async fn get(
        &self,
        path: &'static str,
        auth: Auth<'_>,
        query: &[(&str, &str)],
    ) -> Result<Value, Error> {
        self.call(Method::GET, path, auth, query, None)
            .await?
            .json()
    }

    // ---- App-token calls ----

    /// `GET getApplication`: the app's public settings (flows, enabled features, locales…).
    pub async fn get_application(&self) -> Result<Application, Error> {
        let value = self
            .get("api/appuser/getApplication", Auth::App, &[])
            .await?;
        typed(value, "an application")
    }

    /// `POST login`: signs in with a handle (e-mail, or user name when the app allows it) and the
    /// clear password (sent as its MD5).
    pub async fn login(&self, handle: &str, password: &str) -> Result<LoginOutcome, Error> {
        let value = self
            .post(
                "api/appuser/login",
                Auth::App,
                vec![
                    ("handle", handle.to_owned()),
                    ("password", password_hash(password)),
                ],
            )
            .await?;
        if let Some(login_token) = string_field(&value, "login-token") {
            return Ok(LoginOutcome::TwoFactorRequired(
                LoginChallenge::from_login_token(login_token),
            ));
        }
        session_from(&value).map(LoginOutcome::SignedIn)
    }

    /// `POST loginComplete`: finishes a two-factor login with the SMS or authenticator code.
    pub async fn login_complete(
        &self,
        challenge: &LoginChallenge,
        code: &str,
    ) -> Result<Session, Error> {
        let value = self
            .post(
                "api/appuser/loginComplete",
                Auth::App,
                vec![
                    ("loginToken", challenge.login_token.expose().to_owned()),
                    ("code", code.trim().to_owned()),
                ],
            )
            .await?;
        session_from(&value)
    }

    /// `POST loginAnonymous`: signs in an anonymous user, creating it on first use. The handle
    /// must contain `ANON_` (convention: `ANON_` and a UUID); the app must allow anonymous login.
    pub async fn login_anonymous(&self, handle: &str) -> Result<Session, Error> {
        if !handle.contains("ANON_") {
            return Err(Error::InvalidInput(
                "an anonymous handle must contain `ANON_` (convention: `ANON_<uuid>`)".to_owned(),
            ));
        }
        let value = self
            .post(
                "api/appuser/loginAnonymous",
                Auth::App,
                vec![("handle", handle.to_owned())],
            )
            .await?;
        session_from(&value)
    }

    /// `POST signup`: creates an account. What happens next depends on the app's sign-up flow,
    /// which is read first with `getApplication` (as CoSync's SDKs do): a code or a link is
    /// e-mailed, or (flow `none`) the user is signed in at once. Only `signupFlow` is read from
    /// the application, so no other setting can make sign-up fail.
    pub async fn signup(
        &self,
        handle: &str,
        password: &str,
        options: &SignupOptions,
    ) -> Result<SignupOutcome, Error> {
        let application = self
            .get("api/appuser/getApplication", Auth::App, &[])
            .await?;
        let link_flow = application.get("signupFlow").and_then(Value::as_str) == Some("link");
        let mut form = vec![
            ("handle", handle.to_owned()),
            ("password", password_hash(password)),
        ];
        push_options(&mut form, options);
        let value = self.post("api/appuser/signup", Auth::App, form).await?;
        match value {
            Value::Bool(true) if link_flow => Ok(SignupOutcome::LinkSent),
            Value::Bool(true) => Ok(SignupOutcome::CodeSent),
            // Flow `none` answers the tokens plus a numeric `code`, which is not an error.
            other => session_from(&other).map(SignupOutcome::SignedIn),
        }
    }

    /// `POST completeSignup`: finishes a sign-up with the e-mailed code. In flow `code` the user is
    /// signed in; in flow `link` (where the e-mailed link normally does this) the account is
    /// verified and the user logs in next.
    ///
    /// In flow `link` CoSync answers with its click-through web page, served with a JSON content
    /// type; only such a page counts as [`SignupCompletion::Verified`]. Any other HTML (a proxy's
    /// or a captive portal's page) is an [`Error::UnexpectedResponse`].
    pub async fn complete_signup(
        &self,
        handle: &str,
        code: &str,
    ) -> Result<SignupCompletion, Error> {
        let reply = self
            .call(
                Method::POST,
                "api/appuser/completeSignup",
                Auth::App,
                &[],
                Some(vec![
                    ("handle", handle.to_owned()),
                    ("code", code.trim().to_owned()),
                ]),
            )
            .await?;
        match reply {
            Reply::SignupPage => Ok(SignupCompletion::Verified),
            Reply::Json(value) => session_from(&value).map(SignupCompletion::SignedIn),
        }
    }

    /// `POST register`: creates the account of an invited user with the invitation code.
    pub async fn register(
        &self,
        handle: &str,
        password: &str,
        code: &str,
        options: &SignupOptions,
    ) -> Result<Session, Error> {
        let mut form = vec![
            ("handle", handle.to_owned()),
            ("password", password_hash(password)),
            ("code", code.trim().to_owned()),
        ];
        push_options(&mut form, options);
        let value = self.post("api/appuser/register", Auth::App, form).await?;
        session_from(&value)
    }

    /// `POST forgotPassword`: e-mails a password-reset code.
    pub async fn forgot_password(&self, handle: &str) -> Result<(), Error> {
        let value = self
            .post(
                "api/appuser/forgotPassword",
                Auth::App,
                vec![("handle", handle.to_owned())],
            )
            .await?;
        expect_true(value)
    }

    /// `POST resetPassword`: sets a new password with the e-mailed reset code.
    pub async fn reset_password(
        &self,
        handle: &str,
        new_password: &str,
        code: &str,
    ) -> Result<(), Error> {
        let value = self
            .post(
                "api/appuser/resetPassword",
                Auth::App,
                vec![
                    ("handle", handle.to_owned()),
                    ("password", password_hash(new_password)),
                    ("code", code.trim().to_owned()),
                ],
            )
            .await?;
        expect_true(value)
    }

    /// `POST socialLogin`: signs in with an Apple identity token or a Google ID token.
    pub async fn social_login(
        &self,
        token: &str,
        provider: SocialProvider,
    ) -> Result<Session, Error> {
        let value = self
            .post(
                "api/appuser/socialLogin",
                Auth::App,
                vec![
                    ("token", token.to_owned()),
                    ("provider", provider.as_str().to_owned()),
                ],
            )
            .await?;
        session_from(&value)
    }

    /// `POST socialSignup`: creates an account from an Apple or Google token; `handle` must be the
    /// token's e-mail.
    pub async fn social_signup(
        &self,
        token: &str,
        provider: SocialProvider,
        handle: &str,
        options: &SignupOptions,
    ) -> Result<Session, Error> {
        let mut form = vec![
            ("token", token.to_owned()),
            ("provider", provider.as_str().to_owned()),
            ("handle", handle.to_owned()),
        ];
        push_options(&mut form, options);
        let value = self
            .post("api/appuser/socialSignup", Auth::App, form)
            .await?;
        session_from(&value)
    }

    // ---- Signed-in calls ----

    /// `POST invite`: invites `handle`; `sender_user_id` is the inviter's Realm user id.
    pub async fn invite(
        &self,
        session: &Session,
        handle: &str,
        sender_user_id: &str,
        metadata: Option<&Value>,
    ) -> Result<(), Error> {
        let mut form = vec![
            ("handle", handle.to_owned()),
            ("senderUserId", sender_user_id.to_owned()),
        ];
        if let Some(metadata) = metadata {
            form.push(("metaData", metadata_string(metadata)));
        }
        let value = self
            .post("api/appuser/invite", Auth::User(session), form)
            .await?;
        expect_true(value)
    }

    /// `POST changePassword`: replaces the password (both given in clear).
    pub async fn change_password(
        &self,
        session: &Session,
        current_password: &str,
        new_password: &str,
    ) -> Result<(), Error> {
        let value = self
            .post(
                "api/appuser/changePassword",
                Auth::User(session),
                vec![
                    ("password", password_hash(current_password)),
                    ("newPassword", password_hash(new_password)),
                ],
            )
            .await?;
        expect_true(value)
    }

    /// `GET getUser`: the signed-in user.
    pub async fn get_user(&self, session: &Session) -> Result<User, Error> {
        let value = self
            .get("api/appuser/getUser", Auth::User(session), &[])
            .await?;
        typed(value, "a user")
    }

    /// `GET userNameAvailable`: whether a user name is free.
    pub async fn user_name_available(
        &self,
        session: &Session,
        user_name: &str,
    ) -> Result<bool, Error> {
        let value = self
            .get(
                "api/appuser/userNameAvailable",
                Auth::User(session),
                &[("userName", user_name)],
            )
            .await?;
        value
            .get("available")
            .and_then(Value::as_bool)
            .ok_or_else(|| {
                Error::UnexpectedResponse(format!(
                    "expected `{{\"available\": bool}}`, got {}",
                    shape(&value)
                ))
            })
    }

    /// `POST setUserName`: sets the user name (once; it cannot be changed).
    pub async fn set_user_name(&self, session: &Session, user_name: &str) -> Result<(), Error> {
        self.user_post(
            session,
            "api/appuser/setUserName",
            vec![("userName", user_name.to_owned())],
        )
        .await
    }

    /// `POST setLocale`: sets the user's locale (one of the app's `locales`).
    pub async fn set_locale(&self, session: &Session, locale: &str) -> Result<(), Error> {
        self.user_post(
            session,
            "api/appuser/setLocale",
            vec![("locale", locale.to_owned())],
        )
        .await
    }

    /// `POST setUserMetadata`: replaces the user's editable metadata.
    pub async fn set_user_metadata(
        &self,
        session: &Session,
        metadata: &Value,
    ) -> Result<(), Error> {
        self.user_post(
            session,
            "api/appuser/setUserMetadata",
            vec![("metaData", metadata_string(metadata))],
        )
        .await
    }

    /// `POST setPhone`: sets the phone number (E.164) and texts a verification code.
    pub async fn set_phone(&self, session: &Session, phone: &str) -> Result<(), Error> {
        self.user_post(
            session,
            "api/appuser/setPhone",
            vec![("phone", phone.to_owned())],
        )
        .await
    }

    /// `POST verifyPhone`: verifies the phone number with the texted code.
    pub async fn verify_phone(&self, session: &Session, code: &str) -> Result<(), Error> {
        self.user_post(
            session,
            "api/appuser/verifyPhone",
            vec![("code", code.trim().to_owned())],
        )
        .await
    }

    /// `POST setTwoFactorPhoneVerification`: turns phone two-factor verification on or off. On an
    /// app whose mode is `google`, turning it on enrols Google Authenticator and returns its secret.
    pub async fn set_two_factor_phone(
        &self,
        session: &Session,
        enabled: bool,
    ) -> Result<Option<GoogleTwoFactor>, Error> {
        self.two_factor(
            session,
            "api/appuser/setTwoFactorPhoneVerification",
            enabled,
        )
        .await
    }

    /// `POST setTwoFactorGoogleVerification`: turns Google Authenticator verification on (returning
    /// the secret and its QR code to show the user) or off.
    pub async fn set_two_factor_google(
        &self,
        session: &Session,
        enabled: bool,
    ) -> Result<Option<GoogleTwoFactor>, Error> {
        self.two_factor(
            session,
            "api/appuser/setTwoFactorGoogleVerification",
            enabled,
        )
        .await
    }

    async fn two_factor(
        &self,
        session: &Session,
        path: &'static str,
        enabled: bool,
    ) -> Result<Option<GoogleTwoFactor>, Error> {
        let value = self
            .post(
                path,
                Auth::User(session),
                vec![("twoFactor", enabled.to_string())],
            )
            .await?;
        match value {
            Value::Bool(true) => Ok(None),
            other @ Value::Object(_) => google_two_factor_from(&other).map(Some),
            other => Err(Error::UnexpectedResponse(format!(
                "expected `true` or the Google secret, got {}",
                shape(&other)
            ))),
        }
    }

    /// `POST deleteAccount`: deletes the signed-in user's account, proven by password or by a
    /// social token.
    pub async fn delete_account(
        &self,
        session: &Session,
        proof: AccountProof<'_>,
    ) -> Result<(), Error> {
        let form = match proof {
            AccountProof::Password { handle, password } => vec![
                ("handle", handle.to_owned()),
                ("password", password_hash(password)),
            ],
            AccountProof::SocialToken(token) => vec![("token", token.to_owned())],
        };
        self.user_post(session, "api/appuser/deleteAccount", form)
            .await
    }

    async fn user_post(
        &self,
        session: &Session,
        path: &'static str,
        form: Form,
    ) -> Result<(), Error> {
        let value = self.post(path, Auth::User(session), form).await?;
        expect_true(value)
    }
}

fn push_options(form: &mut Form, options: &SignupOptions) {
    if let Some(metadata) = &options.metadata {
        form.push(("metaData", metadata_string(metadata)));
    }
    if let Some(locale) = &options.locale {
        form.push(("locale", locale.clone()));
    }
}

/// What a `reqwest` failure means here. Connect failures come first: reqwest also flags a
/// connect timeout as a timeout, but nothing was sent then, and the time that passed is the
/// connect timeout, not `timeout`.
fn classify(error: reqwest::Error, timeout: Duration) -> Error {
    if error.is_connect() {
        Error::Transport(error)
    } else if error.is_timeout() {
        Error::Timeout(timeout)
    } else {
        // reqwest errors name the URL, which never carries a token.
        Error::Transport(error)
    }
}

fn retryable(error: &Error, idempotent: bool) -> bool {
    match error {
        // The connection was never made, so the request was never sent: safe for any call.
        Error::Transport(e) if e.is_connect() => true,
        Error::Transport(_) | Error::Timeout(_) => idempotent,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_lowercase_md5_hex() {
        assert_eq!(password_hash(""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            password_hash("password"),
            "5f4dcc3b5aa765d61d8327deb882cf99"
        );
        assert_eq!(password_hash("pässwörd").len(), 32);
    }

    const JSON: Option<&str> = Some("application/json; charset=UTF-8");
    const JWT: &str =
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJoYW5kbGUiOiJhbm5AZXhhbXBsZS5jb20ifQ.c2ln";

    #[test]
    fn api_errors_keep_only_code_and_message_whatever_the_status() {
        let body = br#"{"code":600,"message":"invalid login credentials","handle":"someone@else.com","token":"stale-secret"}"#;
        for status in [StatusCode::BAD_REQUEST, StatusCode::NOT_IMPLEMENTED] {
            let error = error_answer(status, JSON, body);
            match &error {
                Error::Api { code, message } => {
                    assert_eq!(*code, ApiErrorCode::InvalidLoginCredentials);
                    assert_eq!(message, "invalid login credentials");
                }
                other => panic!("{other:?}"),
            }
            let printed = format!("{error} {error:?}");
            assert!(!printed.contains("someone@else.com"), "{printed}");
            assert!(!printed.contains("stale-secret"), "{printed}");
        }
        // The middleware's exception (COSYNC.md 3.2): HTTP 501, code 500.
        assert_eq!(
            error_answer(
                StatusCode::NOT_IMPLEMENTED,
                JSON,
                br#"{"code":500,"message":"internal server error"}"#
            )
            .api_code(),
            Some(ApiErrorCode::InternalServerError)
        );
    }

    #[test]
    fn bodies_without_a_code_are_kept_but_never_printed() {
        let body = format!(r#"{{"status":400,"more_info":"twilio","leak":"{JWT}"}}"#);
        let upstream = error_answer(StatusCode::BAD_REQUEST, JSON, body.as_bytes());
        let Error::Upstream {
            status: 400,
            body: kept,
        } = &upstream
        else {
            panic!("{upstream:?}")
        };
        assert_eq!(kept.len(), body.len());
        assert_eq!(kept.head(), body.as_bytes());
        assert_eq!(kept.content_type(), JSON);
        let page = format!("<html>{JWT}</html>");
        let status = error_answer(StatusCode::BAD_GATEWAY, Some("text/html"), page.as_bytes());
        assert!(
            matches!(status, Error::Status { status: 502, .. }),
            "{status:?}"
        );
        for error in [upstream, status] {
            let printed = format!("{error} {error:?}");
            assert!(!printed.contains(JWT), "{printed}");
            assert!(printed.contains("bytes"), "{printed}");
        }
        let long = vec![b'x'; 3 * ResponseBody::KEPT];
        let kept = ResponseBody::new(None, &long);
        assert_eq!(
            (kept.len(), kept.head().len()),
            (long.len(), ResponseBody::KEPT)
        );
        assert_eq!(
            kept.to_string(),
            format!("{} bytes, no content type", long.len())
        );
    }

    #[test]
    fn unparsable_ok_answers_never_quote_the_body() {
        for (content_type, body) in [
            (JSON, format!("{JWT} trailing")),
            (Some("text/plain"), JWT.to_owned()),
            (
                Some("text/html"),
                format!("<html><body>{JWT}</body></html>"),
            ),
        ] {
            let error = match parse_ok(content_type, body.as_bytes()) {
                Err(error) => error,
                Ok(_) => panic!("{body} was accepted"),
            };
            assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
            let printed = format!("{error} {error:?}");
            assert!(!printed.contains(JWT), "{printed}");
            assert!(printed.contains(&body.len().to_string()), "{printed}");
        }
    }

    #[test]
    fn only_cosync_s_json_typed_page_is_the_link_flow_answer() {
        let page = "<!DOCTYPE html><html><body>verified</body></html>";
        assert!(matches!(
            parse_ok(JSON, page.as_bytes()),
            Ok(Reply::SignupPage)
        ));
        let quoted = serde_json::to_string(page).unwrap();
        assert!(matches!(
            parse_ok(JSON, quoted.as_bytes()),
            Ok(Reply::SignupPage)
        ));
        // A captive portal or a proxy: HTML as HTML.
        assert!(parse_ok(Some("text/html; charset=utf-8"), page.as_bytes()).is_err());
        assert!(parse_ok(None, page.as_bytes()).is_err());
        // A JSON string that is not a page is just JSON (and the wrong shape for any call).
        assert!(matches!(
            parse_ok(JSON, br#""verified""#),
            Ok(Reply::Json(Value::String(_)))
        ));
        // Every other call refuses the page.
        let Ok(reply) = parse_ok(JSON, page.as_bytes()) else {
            panic!()
        };
        assert!(matches!(reply.json(), Err(Error::UnexpectedResponse(_))));
    }

    #[test]
    fn typed_answers_must_be_objects() {
        assert!(typed::<User>(serde_json::json!([1, 2]), "a user").is_err());
        assert!(typed::<User>(serde_json::json!("x"), "a user").is_err());
        let user: User = typed(serde_json::json!({"handle": "a@b.c"}), "a user").unwrap();
        assert_eq!(user.handle.as_deref(), Some("a@b.c"));
    }

    #[test]
    fn the_catch_all_is_an_unexpected_response() {
        let Err(error) = parse_ok(JSON, b"Service Not found") else {
            panic!("accepted")
        };
        assert!(error.to_string().contains("Service Not found"), "{error}");
    }

    #[test]
    fn json_content_types() {
        assert!(is_json_type(Some("application/json")));
        assert!(is_json_type(Some("Application/JSON; charset=UTF-8")));
        assert!(is_json_type(Some("application/problem+json")));
        assert!(!is_json_type(Some("text/html")));
        assert!(!is_json_type(Some("application/jsonp")));
        assert!(!is_json_type(None));
    }
}
