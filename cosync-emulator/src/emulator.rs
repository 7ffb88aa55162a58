//! The in-process emulator for tests ([`Emulator`]) and offline administration of a data
//! directory ([`Admin`], what `cosync-emulator app create` uses).

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::apps::{AppInfo, CreatedApp, NewApp};
use crate::core::{Core, META_LAST_PORT, Options, ServerKeySource};
use crate::error::Error;
use crate::outbox::OutboxMessage;
use crate::settings::{AppSettings, AppSettingsPatch};
use crate::social::SocialToken;
use crate::store::{self, StoreLocation};

/// The port `cosync-emulator serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8750;

/// bcrypt cost the real server uses for stored passwords.
pub const DEFAULT_BCRYPT_COST: u32 = 10;

#[derive(Debug)]
enum Storage {
    Memory,
    Directory(PathBuf),
    TempDir,
}

/// Configures and starts an [`Emulator`].
///
/// ```no_run
/// # async fn demo() -> Result<(), cosync_emulator::Error> {
/// let emulator = cosync_emulator::Emulator::builder()
///     .temp_dir()               // a real SQLite file in a temporary directory
///     .bcrypt_cost(4)           // fast password hashing for tests
///     .hang_on_malformed(false) // answer 400 where the real server never answers
///     .start()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "call .start().await to run the emulator"]
pub struct EmulatorBuilder {
    storage: Storage,
    port: u16,
    server_key_pem: Option<String>,
    social_key_pem: Option<String>,
    bcrypt_cost: u32,
    hang_on_malformed: bool,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            storage: Storage::Memory,
            port: 0,
            server_key_pem: None,
            social_key_pem: None,
            bcrypt_cost: DEFAULT_BCRYPT_COST,
            hang_on_malformed: true,
        }
    }
}

impl EmulatorBuilder {
    /// Keep everything in memory (the default). Without [`Self::server_key_pem`], all in-memory
    /// and temporary-directory emulators of one process share one generated server key, so only
    /// the first pays for generating it.
    pub fn memory(mut self) -> Self {
        self.storage = Storage::Memory;
        self
    }

    /// Store the database in `dir` (created if missing); keys and users survive restarts.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.storage = Storage::Directory(dir.into());
        self
    }

    /// Store the database in a fresh temporary directory, removed when the emulator is dropped.
    pub fn temp_dir(mut self) -> Self {
        self.storage = Storage::TempDir;
        self
    }

    /// Listen on this loopback port (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Use this server private key (PKCS#8 or PKCS#1 PEM) to sign app, access and login tokens,
    /// instead of a generated one, so a committed `cosync.toml` keeps verifying. A data directory
    /// that already holds a different key is refused ([`Error::ServerKeyMismatch`]).
    pub fn server_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.server_key_pem = Some(pem.into());
        self
    }

    /// Use this key (PEM) as the emulated Apple/Google token signer instead of a generated one.
    pub fn social_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.social_key_pem = Some(pem.into());
        self
    }

    /// bcrypt cost for stored passwords (default 10, as the real server; 4 is the minimum and
    /// makes tests that create many users fast).
    pub fn bcrypt_cost(mut self, cost: u32) -> Self {
        self.bcrypt_cost = cost.clamp(4, 31);
        self
    }

    /// Where the real server never answers (COSYNC.md 8.2: forged `loginToken`, missing
    /// parameters on app-token `register`/`forgotPassword`, non-string metadata, `socialSignup`
    /// without required metadata) the emulator by default does not answer either, so clients can
    /// test their timeouts. `false` makes it answer HTTP 400 with a CoSync code instead.
    pub fn hang_on_malformed(mut self, hang: bool) -> Self {
        self.hang_on_malformed = hang;
        self
    }

    fn options(&self) -> Options {
        Options {
            bcrypt_cost: self.bcrypt_cost,
            hang_on_malformed: self.hang_on_malformed,
        }
    }

    /// Opens the database and keys, binds `127.0.0.1:port` and serves until the [`Emulator`] is
    /// dropped or [stopped](Emulator::stop).
    pub async fn start(self) -> Result<Emulator, Error> {
        let options = self.options();
        let (location, temp) = match self.storage {
            Storage::Memory => (StoreLocation::Memory, None),
            Storage::Directory(dir) => (StoreLocation::Directory(dir), None),
            Storage::TempDir => {
                let temp = tempfile::Builder::new()
                    .prefix("cosync-emulator-")
                    .tempdir()
                    .map_err(|e| {
                        Error::Internal(format!("cannot create a temporary directory: {e}"))
                    })?;
                (StoreLocation::Directory(temp.path().to_owned()), Some(temp))
            }
        };
        let throw_away = temp.is_some() || location == StoreLocation::Memory;
        let key_source = match self.server_key_pem {
            Some(pem) => ServerKeySource::Pem(pem),
            None if throw_away => ServerKeySource::ProcessShared,
            None => ServerKeySource::StoredOrGenerated,
        };
        let core = Core::open(&location, key_source, self.social_key_pem, options).await?;
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|source| Error::Bind {
                address: address.to_string(),
                source,
            })?;
        let local = listener.local_addr().map_err(|source| Error::Bind {
            address: address.to_string(),
            source,
        })?;
        let base_url = format!("http://127.0.0.1:{}", local.port());
        core.set_base_url(base_url.clone());
        let port = local.port().to_string();
        core.store
            .run(move |c| store::set_meta(c, META_LAST_PORT, &port))
            .await?;
        let router = crate::server::router(core.clone());
        let mut stop = core.shutdown_receiver();
        let server = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stop.wait_for(|stopping| *stopping).await;
            };
            if let Err(e) = axum::serve(listener, router)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::error!("server error: {e}");
            }
        });
        tracing::info!(%base_url, "cosync-emulator listening");
        let data_dir = match &location {
            StoreLocation::Directory(dir) => Some(dir.clone()),
            StoreLocation::Memory => None,
        };
        Ok(Emulator {
            core,
            base_url,
            port: local.port(),
            data_dir,
            server: Some(server),
            _temp: temp,
        })
    }
}

/// A running emulator on a loopback port. Stops when dropped.
///
/// ```no_run
/// # async fn demo() -> Result<(), cosync_emulator::Error> {
/// use cosync_emulator::{Emulator, NewApp, SignupFlow};
///
/// let emulator = Emulator::start().await?;
/// let app = emulator.create_app_with(NewApp::named("demo").signup_flow(SignupFlow::Code)).await?;
/// // POST {base_url}/api/appuser/signup with header `app-token: {app.app_token}` …
/// let code = emulator.last_code_to("ann@example.com").await?;
/// # let _ = (app, code);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Emulator {
    core: Arc<Core>,
    base_url: String,
    port: u16,
    data_dir: Option<PathBuf>,
    server: Option<JoinHandle<()>>,
    _temp: Option<tempfile::TempDir>,
}

impl Emulator {
    /// Starts an in-memory emulator on a free loopback port with default settings.
    pub async fn start() -> Result<Emulator, Error> {
        EmulatorBuilder::default().start().await
    }

    /// A builder for other storage, keys and behaviour.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash): the `rest_address` of every app.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The data directory, unless in memory.
    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    /// The server public key (SPKI PEM) that verifies app tokens: `app_token_key` in `cosync.toml`.
    pub fn server_public_key_pem(&self) -> &str {
        &self.core.server_public_pem
    }

    /// Creates an app with default settings.
    pub async fn create_app(&self, name: &str) -> Result<CreatedApp, Error> {
        self.create_app_with(NewApp::named(name)).await
    }

    /// Creates an app as described (settings, and optionally a fixed id, key and token `iat`).
    pub async fn create_app_with(&self, new: NewApp) -> Result<CreatedApp, Error> {
        self.core.create_app(new, &self.base_url).await
    }

    /// An existing app, described as at creation.
    pub async fn app(&self, app_id: &str) -> Result<CreatedApp, Error> {
        match self.core.app(app_id).await? {
            Some(app) => Ok(self.core.created_app(&app, &self.base_url)),
            None => Err(Error::NoSuchApp(app_id.to_owned())),
        }
    }

    /// All apps.
    pub async fn apps(&self) -> Result<Vec<AppInfo>, Error> {
        self.core.apps().await
    }

    /// Changes some settings of an app (takes effect for the next request) and returns them all.
    pub async fn update_app(
        &self,
        app_id: &str,
        patch: AppSettingsPatch,
    ) -> Result<AppSettings, Error> {
        self.core.update_settings(app_id, patch).await
    }

    /// Deletes an app and its users (its tokens then get code 401); `false` if it did not exist.
    pub async fn delete_app(&self, app_id: &str) -> Result<bool, Error> {
        self.core.delete_app(app_id).await
    }

    /// Sets a user's account status: `"suspend"` makes login fail with 404, `"active"` undoes it.
    pub async fn set_user_status(
        &self,
        app_id: &str,
        handle: &str,
        status: &str,
    ) -> Result<(), Error> {
        self.core
            .set_user_status(app_id, handle, status)
            .await
            .map(|_| ())
    }

    /// Every e-mail and SMS "sent" so far, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxMessage>, Error> {
        Ok(self.core.store.run(|c| store::list_messages(c)).await?)
    }

    /// The messages sent to `to` (an e-mail address or phone number), oldest first.
    pub async fn outbox_to(&self, to: &str) -> Result<Vec<OutboxMessage>, Error> {
        let mut messages = self.outbox().await?;
        messages.retain(|m| m.to.eq_ignore_ascii_case(to));
        Ok(messages)
    }

    /// The code of the latest message to `to` that carries one.
    pub async fn last_code_to(&self, to: &str) -> Result<Option<String>, Error> {
        Ok(self
            .outbox_to(to)
            .await?
            .into_iter()
            .rev()
            .find_map(|m| m.code))
    }

    /// Empties the outbox; returns how many messages were removed.
    pub async fn clear_outbox(&self) -> Result<usize, Error> {
        Ok(self.core.store.run(|c| store::clear_outbox(c)).await?)
    }

    /// Mints an Apple/Google ID token that this emulator's `socialLogin`, `socialSignup` and
    /// `deleteAccount` accept (see [`crate::social`]).
    pub async fn social_token(&self, token: &SocialToken) -> Result<String, Error> {
        self.core.social_token(token).await
    }

    /// The public key (SPKI PEM) that verifies tokens from [`Self::social_token`].
    pub async fn social_public_key_pem(&self) -> Result<String, Error> {
        let key = self.core.social_key().await?;
        Ok(crate::keys::public_pem(&key)?)
    }

    /// Moves the emulator's clock forward: sign-up codes expire after 48 hours, user JWTs after
    /// the app's `userJWTExpiration`, tokens get later `iat`s.
    pub fn advance_clock(&self, by: Duration) {
        self.core.clock.advance(by.as_secs());
    }

    /// Stops serving and waits (up to 5 seconds) for open connections to finish. Requests the
    /// emulator deliberately left unanswered are then closed with HTTP 503.
    pub async fn stop(mut self) {
        self.core.stop();
        if let Some(server) = self.server.take() {
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), server)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.core.stop();
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// Administers an emulator data directory without running a server (what
/// `cosync-emulator app create` uses). Safe to use while a server runs on the same directory.
#[derive(Debug)]
pub struct Admin {
    core: Arc<Core>,
}

impl Admin {
    /// Opens (creating if needed, with a newly generated server key) the data directory `dir`.
    pub async fn open(dir: &Path) -> Result<Admin, Error> {
        Self::open_with_key(dir, None).await
    }

    /// Like [`Admin::open`], importing `server_key_pem` into a new directory (or checking that an
    /// existing directory holds the same key).
    pub async fn open_with_key(dir: &Path, server_key_pem: Option<String>) -> Result<Admin, Error> {
        let source = match server_key_pem {
            Some(pem) => ServerKeySource::Pem(pem),
            None => ServerKeySource::StoredOrGenerated,
        };
        let options = EmulatorBuilder::default().options();
        let core = Core::open(
            &StoreLocation::Directory(dir.to_owned()),
            source,
            None,
            options,
        )
        .await?;
        Ok(Admin { core })
    }

    /// The server public key (SPKI PEM).
    pub fn server_public_key_pem(&self) -> &str {
        &self.core.server_public_pem
    }

    /// The port the last `serve` on this directory listened on, if any.
    pub async fn last_port(&self) -> Result<Option<u16>, Error> {
        let port = self
            .core
            .store
            .run(|c| store::get_meta(c, META_LAST_PORT))
            .await?;
        Ok(port.and_then(|p| p.parse().ok()))
    }

    /// Creates an app; `rest_address` goes into its `cosync.toml`.
    pub async fn create_app(&self, new: NewApp, rest_address: &str) -> Result<CreatedApp, Error> {
        self.core.create_app(new, rest_address).await
    }

    /// An existing app, with `rest_address` in its `cosync.toml`.
    pub async fn app(&self, app_id: &str, rest_address: &str) -> Result<CreatedApp, Error> {
        match self.core.app(app_id).await? {
            Some(app) => Ok(self.core.created_app(&app, rest_address)),
            None => Err(Error::NoSuchApp(app_id.to_owned())),
        }
    }

    /// All apps.
    pub async fn apps(&self) -> Result<Vec<AppInfo>, Error> {
        self.core.apps().await
    }

    /// Changes some settings of an app.
    pub async fn update_app(
        &self,
        app_id: &str,
        patch: AppSettingsPatch,
    ) -> Result<AppSettings, Error> {
        self.core.update_settings(app_id, patch).await
    }

    /// Every message in the outbox, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxMessage>, Error> {
        Ok(self.core.store.run(|c| store::list_messages(c)).await?)
    }
}
