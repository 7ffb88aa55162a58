//! A local CoSync Auth server for offline development and real tests.
//!
//! `cosync-emulator` implements CoSync Auth's app-facing REST API (`/api/appuser/…`) the way the
//! open-source CosyncJWT-Server does — same routes, headers, body encodings, success bodies, error
//! codes and HTTP statuses — with real RSA keys, real RS256 signatures and a real SQLite database.
//! E-mails and SMS are not sent; they land in an outbox (logged, and readable at
//! `GET /_emulator/outbox`).
//!
//! # In tests
//!
//! ```no_run
//! # async fn demo() -> Result<(), cosync_emulator::Error> {
//! use cosync_emulator::{Emulator, NewApp, SignupFlow};
//!
//! let emulator = Emulator::start().await?;                  // in memory, free loopback port
//! let app = emulator
//!     .create_app_with(NewApp::named("demo").signup_flow(SignupFlow::None))
//!     .await?;
//! println!("{}", app.cosync_toml);                         // ready for `cosync_constants!()`
//! // Drive {emulator.base_url()}/api/appuser/... with any HTTP client, header `app-token`.
//! # Ok(()) }
//! ```
//!
//! # Emulator-only routes
//!
//! Everything under `/_emulator/` exists only in the emulator (see [`EMULATOR_ROUTES`]): the
//! outbox, app creation and settings, user status, social-provider tokens and the clock.
//!
//! # Where the emulator differs from the real server on purpose
//!
//! * `invite` invites the `handle` parameter and answers 601 for a registered handle (the
//!   open-source HEAD's 2023-10-25 regression invites the inviter instead).
//! * `deleteAccount` with a Google token works (HEAD always answers 613).
//! * `invite` answers after the invitation is stored, not before, so the code is in the outbox
//!   as soon as the response arrives.
//! * Error bodies carry only `code` and `message` (HEAD may add stale keys).
//! * Apple and Google tokens are checked against the emulator's own key ([`social`]).
//!
//! Where the real server never answers (COSYNC.md 8.2) the emulator does not answer either,
//! unless built with [`EmulatorBuilder::hang_on_malformed`]`(false)`.

#![deny(missing_docs)]

mod apps;
mod clock;
mod core;
mod emulator;
mod error;
mod js;
pub mod json;
pub mod keys;
pub mod outbox;
mod qr;
mod reply;
mod request;
mod routes;
mod server;
pub mod settings;
pub mod social;
mod store;
pub mod tokens;
pub mod totp;

pub use apps::{AppInfo, CreatedApp, NewApp};
pub use emulator::{Admin, DEFAULT_BCRYPT_COST, DEFAULT_PORT, Emulator, EmulatorBuilder};
pub use error::Error;
pub use outbox::{MessageKind, OutboxMessage};
pub use settings::{
    AppSettings, AppSettingsPatch, AppStatus, MetaDataField, SignupFlow, TwoFactor,
};
pub use social::{SocialProvider, SocialToken};
pub use store::{DATABASE_FILE, StoreError, StoreLocation, database_path};

/// The emulator-only routes, one line each (also served at `GET /_emulator/`).
pub const EMULATOR_ROUTES: &[&str] = routes::emulator::ROUTES;
