//! Shared set-up: an in-process CoSync emulator over real loopback HTTP and a client for one of
//! its apps.

#![allow(dead_code, reason = "each test binary uses a part")]

use std::time::Duration;

use cosync_emulator::{CreatedApp, Emulator, NewApp};
use cosync_runtime::{AppToken, Client, Config, PublicKey, RestAddress};

pub struct Env {
    pub emulator: Emulator,
    pub app: CreatedApp,
    pub client: Client,
}

/// The `Config` an app would get from `cosync_constants!()`, built at run time.
pub fn config_for(app: &CreatedApp) -> Config {
    let mut config = Config::new(
        AppToken::parse(&app.app_token).expect("emulator app token"),
        PublicKey::parse(&app.public_key_pem).expect("emulator app key"),
    )
    .with_rest_address(RestAddress::parse(&app.rest_address).expect("loopback address"));
    if let Some(realm) = &app.settings.realm_app_id {
        config = config
            .with_realm_app_id(realm.clone())
            .expect("realm app id");
    }
    config
}

pub fn client_for(config: Config) -> Client {
    Client::builder(config)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

pub async fn start(app: NewApp) -> Env {
    let emulator = Emulator::builder()
        .bcrypt_cost(4)
        .start()
        .await
        .expect("emulator starts");
    let app = emulator.create_app_with(app).await.expect("app created");
    let client = client_for(config_for(&app));
    Env {
        emulator,
        app,
        client,
    }
}

impl Env {
    /// The code of the latest e-mail or SMS to `to`.
    pub async fn code_to(&self, to: &str) -> String {
        self.emulator
            .last_code_to(to)
            .await
            .expect("outbox")
            .unwrap_or_else(|| panic!("no code was sent to {to}"))
    }
}

/// A fresh handle per call, so tests never collide.
pub fn handle(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}{}@example.com",
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
