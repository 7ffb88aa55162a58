//! The CoSync Auth REST client: every app-facing call of the API, typed, async.

mod error;
mod signed_in;
mod types;

use std::sync::Arc;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracing::Instrument;

pub use error::{ApiErrorCode, Error};
pub use signed_in::SignedIn;
pub use types::{
    AccountProof, Application, GoogleTwoFactor, LoginChallenge, LoginOutcome, MetadataField,
    Secret, Session, SignupCompletion, SignupFlow, SignupOptions, SignupOutcome, SocialProvider,
    TwoFactorMode, User,
};

use crate::Config;

/// The default time one attempt may take: the server never answers some malformed requests.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default number of retries (idempotent GETs, and requests that never left).
pub const DEFAULT_RETRIES: u32 = 2;
/// The default first retry delay; it doubles at each retry.
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(200);
const HTML_ANSWER: &str = "an HTML page instead of JSON";
/// The largest response body read (the largest real answers are a few kilobytes).
const MAX_BODY: usize = 1024 * 1024;

/// A CoSync Auth REST client. Cheap to clone (one shared connection pool), `Send + Sync`.
///
/// Every call of the app-facing API is a method. Calls made for a signed-in user take the
/// [`Session`] explicitly, or go through a [`SignedIn`] handle; the client holds no user state.
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
    http: reqwest::Client,
    config: Config,
    timeout: Duration,
    retries: u32,
    backoff: Duration,
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
    /// How long one attempt may take before [`Error::Timeout`] (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take (default 10 s).
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

    /// Uses an existing `reqwest::Client` (its pool, proxy and TLS settings). The timeouts of this
    /// builder still apply per request; the connect timeout is the given client's.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .user_agent(concat!("cosync-rs/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(Error::Transport)?,
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

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    out
}

fn not_found_catch_all(body: &[u8]) -> bool {
    body.trim_ascii().starts_with(b"Service Not found")
}

/// What a 200 answer must be.
fn parse_json(body: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(body).map_err(|_| {
        if not_found_catch_all(body) {
            Error::UnexpectedResponse(
                "`Service Not found`: the server does not know this call (is the REST address a CoSync Auth server, and up to date?)"
                    .to_owned(),
            )
        } else if body.trim_ascii_start().starts_with(b"<") {
            Error::UnexpectedResponse(HTML_ANSWER.to_owned())
        } else {
            Error::UnexpectedResponse(format!("not JSON: {}", excerpt(body)))
        }
    })
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

fn typed<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, Error> {
    serde_json::from_value(value)
        .map_err(|e| Error::UnexpectedResponse(format!("{what} of the wrong shape: {e}")))
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

    async fn call(
        &self,
        method: Method,
        path: &'static str,
        auth: Auth<'_>,
        query: &[(&str, &str)],
        form: Option<Form>,
    ) -> Result<Value, Error> {
        let span = tracing::debug_span!("cosync", %method, path);
        async {
            let mut attempt = 0;
            loop {
                let started = Instant::now();
                let result = self
                    .attempt(&method, path, auth, query, form.as_ref())
                    .await;
                let elapsed_ms = started.elapsed().as_millis() as u64;
                match &result {
                    Ok(_) => tracing::debug!(elapsed_ms, "ok"),
                    Err(error) => tracing::debug!(elapsed_ms, error = %error, "failed"),
                }
                match result {
                    Err(error) if attempt < self.inner.retries && retryable(&error, &method) => {
                        let delay = self.inner.backoff.saturating_mul(1 << attempt.min(16));
                        attempt += 1;
                        tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
                        tokio::time::sleep(delay).await;
                    }
                    other => return other,
                }
            }
        }
        .instrument(span)
        .await
    }

    async fn attempt(
        &self,
        method: &Method,
        path: &'static str,
        auth: Auth<'_>,
        query: &[(&str, &str)],
        form: Option<&Form>,
    ) -> Result<Value, Error> {
        let url = self.inner.config.rest_address().url(path);
        let mut request = self
            .inner
            .http
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
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(e))? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Error::UnexpectedResponse(format!(
                    "an answer larger than {MAX_BODY} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(status = status.as_u16(), bytes = body.len(), "answer");
        match status {
            StatusCode::OK => parse_json(&body),
            StatusCode::BAD_REQUEST => Err(api_error(status, &body)),
            other => Err(Error::Status {
                status: other.as_u16(),
                body: excerpt(&body),
            }),
        }
    }

    fn transport(&self, error: reqwest::Error) -> Error {
        if error.is_timeout() {
            Error::Timeout(self.inner.timeout)
        } else {
            // reqwest errors name the URL, which never carries a token.
            Error::Transport(error)
        }
    }

    async fn post(&self, path: &'static str, auth: Auth<'_>, form: Form) -> Result<Value, Error> {
        self.call(Method::POST, path, auth, &[], Some(form)).await
    }

    async fn get(
        &self,
        path: &'static str,
        auth: Auth<'_>,
        query: &[(&str, &str)],
    ) -> Result<Value, Error> {
        self.call(Method::GET, path, auth, query, None).await
    }

    // ---- App-token calls ----

    /// `GET getApplication`: the app's public settings (flows, enabled features, locales…).
    pub async fn get_application(&self) -> Result<Application, Error> {
        let value = self
            .get("api/appuser/getApplication", Auth::App, &[])
            .await?;
        typed(value, "application")
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
    /// e-mailed, or (flow `none`) the user is signed in at once.
    pub async fn signup(
        &self,
        handle: &str,
        password: &str,
        options: &SignupOptions,
    ) -> Result<SignupOutcome, Error> {
        let flow = self.get_application().await?.signup_flow;
        let mut form = vec![
            ("handle", handle.to_owned()),
            ("password", password_hash(password)),
        ];
        push_options(&mut form, options);
        let value = self.post("api/appuser/signup", Auth::App, form).await?;
        match value {
            Value::Bool(true) if flow == Some(SignupFlow::Link) => Ok(SignupOutcome::LinkSent),
            Value::Bool(true) => Ok(SignupOutcome::CodeSent),
            // Flow `none` answers the tokens plus a numeric `code`, which is not an error.
            other => session_from(&other).map(SignupOutcome::SignedIn),
        }
    }

    /// `POST completeSignup`: finishes a sign-up with the e-mailed code. In flow `code` the user is
    /// signed in; in flow `link` (where the e-mailed link normally does this) the account is
    /// verified and the user logs in next.
    pub async fn complete_signup(
        &self,
        handle: &str,
        code: &str,
    ) -> Result<SignupCompletion, Error> {
        let result = self
            .post(
                "api/appuser/completeSignup",
                Auth::App,
                vec![
                    ("handle", handle.to_owned()),
                    ("code", code.trim().to_owned()),
                ],
            )
            .await;
        match result {
            // Flow `link` answers the click-through web page (as a JSON string or as raw HTML).
            Ok(Value::String(_)) => Ok(SignupCompletion::Verified),
            Err(Error::UnexpectedResponse(what)) if what == HTML_ANSWER => {
                Ok(SignupCompletion::Verified)
            }
            Ok(value) => session_from(&value).map(SignupCompletion::SignedIn),
            Err(other) => Err(other),
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
        typed(value, "user")
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
            other @ Value::Object(_) => typed(other, "two-factor enrolment").map(Some),
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

fn api_error(status: StatusCode, body: &[u8]) -> Error {
    // Parse only `code` and `message`: error bodies can carry stale keys of other requests.
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
        None => Error::Upstream {
            status: status.as_u16(),
            body: excerpt(body),
        },
    }
}

fn retryable(error: &Error, method: &Method) -> bool {
    let idempotent = *method == Method::GET;
    match error {
        // The connection was never made, so the request was never sent: safe for any call.
        Error::Transport(e) if e.is_connect() => true,
        Error::Transport(_) | Error::Timeout(_) => idempotent,
        Error::Status { status, .. } => idempotent && matches!(status, 502..=504),
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

    #[test]
    fn api_errors_ignore_stale_keys() {
        let body =
            br#"{"code":600,"message":"invalid login credentials","handle":"someone@else.com"}"#;
        match api_error(StatusCode::BAD_REQUEST, body) {
            Error::Api { code, message } => {
                assert_eq!(code, ApiErrorCode::InvalidLoginCredentials);
                assert_eq!(message, "invalid login credentials");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            api_error(
                StatusCode::BAD_REQUEST,
                br#"{"status":400,"more_info":"twilio"}"#
            ),
            Error::Upstream { status: 400, .. }
        ));
    }

    #[test]
    fn the_catch_all_is_an_unexpected_response() {
        let error = parse_json(b"Service Not found").unwrap_err();
        assert!(error.to_string().contains("Service Not found"), "{error}");
    }
}
