//! The emulator's shared state (database, keys, clock, options) and the operations both the HTTP
//! routes and the Rust/CLI front ends use: creating apps, issuing tokens, sending to the outbox.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rsa::{PrivateKey, PublicKey};
use tokio::sync::{OnceCell, watch};

use crate::apps::{AppInfo, CreatedApp, NewApp, cosync_toml};
use crate::clock::Clock;
use crate::error::Error;
use crate::json::Json;
use crate::keys::{self, KeyError};
use crate::outbox::NewMessage;
use crate::settings::{AppSettings, AppSettingsPatch};
use crate::store::{self, AppRecord, Store, StoreError, StoreLocation, UserRecord};
use crate::tokens::{self, TokenError};

const META_SERVER_KEY: &str = "server_private_key";
const META_SOCIAL_KEY: &str = "social_private_key";
pub(crate) const META_LAST_PORT: &str = "last_port";

/// Behaviour switches.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub bcrypt_cost: u32,
    pub hang_on_malformed: bool,
}

/// Everything a request handler needs.
#[derive(Debug)]
pub(crate) struct Core {
    pub store: Store,
    pub server_key: Arc<PrivateKey>,
    pub server_public: PublicKey,
    pub server_public_pem: String,
    pub clock: Clock,
    pub options: Options,
    social_key: OnceCell<Arc<PrivateKey>>,
    app_keys: Mutex<HashMap<String, (String, Arc<PrivateKey>)>>,
    base_url: Mutex<String>,
    shutdown: watch::Sender<bool>,
}

// Generating a 3072-bit key takes seconds in debug builds; in-memory emulators (tests) that were
// not given a key share one generated per process.
static PROCESS_SERVER_KEY: OnceCell<Arc<PrivateKey>> = OnceCell::const_new();

/// Where the server key comes from.
#[derive(Clone, Debug)]
pub(crate) enum ServerKeySource {
    /// Use the stored key, or generate (and store) one.
    StoredOrGenerated,
    /// Like `StoredOrGenerated`, but a generated key is shared by every such emulator of the
    /// process (throw-away storage: memory and temporary directories).
    ProcessShared,
    /// Use this PEM (stored on first use; must match the stored key afterwards).
    Pem(String),
}

impl Core {
    pub(crate) async fn open(
        location: &StoreLocation,
        server_key: ServerKeySource,
        social_key_pem: Option<String>,
        options: Options,
    ) -> Result<Arc<Core>, Error> {
        let location_for_open = location.clone();
        let store = tokio::task::spawn_blocking(move || Store::open(&location_for_open))
            .await
            .map_err(|e| Error::Internal(e.to_string()))??;
        // Two processes may start on a fresh data directory at once (`serve` and `app create`):
        // each offers a key, the first insert wins, and both use the stored one.
        let key = match server_key {
            ServerKeySource::Pem(pem) => {
                let given = Arc::new(keys::parse_private_pem(&pem)?);
                let offered = given.clone();
                let stored =
                    stored_key(&store, META_SERVER_KEY, || async move { Ok(offered) }).await?;
                if stored != given {
                    return Err(Error::ServerKeyMismatch);
                }
                stored
            }
            ServerKeySource::ProcessShared => {
                stored_key(&store, META_SERVER_KEY, || async {
                    Ok(PROCESS_SERVER_KEY
                        .get_or_try_init(|| async {
                            generate_blocking(keys::SERVER_KEY_BITS).await.map(Arc::new)
                        })
                        .await?
                        .clone())
                })
                .await?
            }
            ServerKeySource::StoredOrGenerated => {
                stored_key(&store, META_SERVER_KEY, || async {
                    tracing::info!(
                        "generating the emulator's {}-bit server key (once per data directory)",
                        keys::SERVER_KEY_BITS
                    );
                    Ok(Arc::new(generate_blocking(keys::SERVER_KEY_BITS).await?))
                })
                .await?
            }
        };
        if keys::bits(&key) < keys::SERVER_KEY_BITS {
            tracing::warn!(
                bits = keys::bits(&key),
                "server key is smaller than the hosted servers' 3072 bits; clients still accept it"
            );
        }
        let social_key = OnceCell::new();
        if let Some(pem) = social_key_pem {
            let given = Arc::new(keys::parse_private_pem(&pem)?);
            let offered = given.clone();
            let stored = stored_key(&store, META_SOCIAL_KEY, || async move { Ok(offered) }).await?;
            if stored != given {
                return Err(Error::SocialKeyMismatch);
            }
            let _ = social_key.set(stored);
        }
        let server_public = key.to_public_key();
        let server_public_pem = keys::public_pem(&key)?;
        Ok(Arc::new(Core {
            store,
            server_key: key,
            server_public,
            server_public_pem,
            clock: Clock::default(),
            options,
            social_key,
            app_keys: Mutex::new(HashMap::new()),
            base_url: Mutex::new(String::new()),
            shutdown: watch::Sender::new(false),
        }))
    }

    pub(crate) fn base_url(&self) -> String {
        self.base_url.lock().map(|u| u.clone()).unwrap_or_default()
    }

    pub(crate) fn set_base_url(&self, url: String) {
        if let Ok(mut slot) = self.base_url.lock() {
            *slot = url;
        }
    }

    /// Resolves when the emulator is stopping (hanging requests then give up).
    pub(crate) async fn stopping(&self) {
        let mut rx = self.shutdown.subscribe();
        let _ = rx.wait_for(|stopping| *stopping).await;
    }

    pub(crate) fn stop(&self) {
        self.shutdown.send_replace(true);
    }

    pub(crate) fn shutdown_receiver(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    // ----- apps -------------------------------------------------------------------------------

    pub(crate) async fn create_app(
        &self,
        new: NewApp,
        rest_address: &str,
    ) -> Result<CreatedApp, Error> {
        new.settings.validate().map_err(Error::InvalidSettings)?;
        let app_id = match &new.app_id {
            Some(id) if is_app_id(id) => id.clone(),
            Some(id) => return Err(Error::InvalidAppId(id.clone())),
            None => new_app_id(),
        };
        let key = match &new.private_key_pem {
            Some(pem) => keys::parse_private_pem(pem)?,
            None => generate_blocking(keys::APP_KEY_BITS).await?,
        };
        let iat = new.token_iat.unwrap_or_else(|| self.clock.now_secs());
        let server_key = self.server_key.clone();
        let claims = tokens::app_token_claims(&app_id);
        let app_token =
            tokio::task::spawn_blocking(move || tokens::sign(&server_key, &claims, iat))
                .await
                .map_err(|e| Error::Internal(e.to_string()))??;
        let now = self.clock.now_ms();
        let record = AppRecord {
            app_id: app_id.clone(),
            app_token,
            private_key_pem: keys::private_pem(&key)?,
            public_key_pem: keys::public_pem(&key)?,
            settings: new.settings,
            created_at: now,
            updated_at: now,
        };
        let to_insert = record.clone();
        if !self
            .store
            .run(move |c| store::insert_app(c, &to_insert))
            .await?
        {
            return Err(Error::AppExists(app_id));
        }
        tracing::info!(app_id = %record.app_id, name = %record.settings.name, "app created");
        Ok(self.created_app(&record, rest_address))
    }

    pub(crate) fn created_app(&self, record: &AppRecord, rest_address: &str) -> CreatedApp {
        CreatedApp {
            app_id: record.app_id.clone(),
            app_token: record.app_token.clone(),
            public_key_pem: record.public_key_pem.clone(),
            raw_public_key: keys::raw_public_key(&record.public_key_pem),
            server_public_key_pem: self.server_public_pem.clone(),
            rest_address: rest_address.to_owned(),
            cosync_toml: cosync_toml(record, &self.server_public_pem, rest_address),
            settings: record.settings.clone(),
        }
    }

    pub(crate) async fn app(&self, app_id: &str) -> Result<Option<AppRecord>, StoreError> {
        let app_id = app_id.to_owned();
        self.store.run(move |c| store::get_app(c, &app_id)).await
    }

    pub(crate) async fn apps(&self) -> Result<Vec<AppInfo>, Error> {
        let records = self.store.run(|c| store::list_apps(c)).await?;
        Ok(records.iter().map(AppInfo::from_record).collect())
    }

    pub(crate) async fn update_settings(
        &self,
        app_id: &str,
        patch: AppSettingsPatch,
    ) -> Result<AppSettings, Error> {
        let app_id = app_id.to_owned();
        let now = self.clock.now_ms();
        self.store
            .tx(move |tx| {
                let Some(app) = store::get_app(tx, &app_id)? else {
                    return Ok(Err(Error::NoSuchApp(app_id)));
                };
                let mut settings = app.settings;
                if let Err(e) = settings.apply(&patch) {
                    return Ok(Err(Error::InvalidSettings(e)));
                }
                store::save_settings(tx, &app_id, &settings, now)?;
                Ok(Ok(settings))
            })
            .await?
    }

    pub(crate) async fn delete_app(&self, app_id: &str) -> Result<bool, Error> {
        let id = app_id.to_owned();
        let deleted = self.store.run(move |c| store::delete_app(c, &id)).await?;
        if let Ok(mut cache) = self.app_keys.lock() {
            cache.remove(app_id);
        }
        Ok(deleted)
    }

    /// The app's signing key, parsed once and cached (the stored PEM is the cache key, so a
    /// re-created app with the same id is picked up).
    pub(crate) fn app_key(&self, app: &AppRecord) -> Result<Arc<PrivateKey>, KeyError> {
        if let Ok(cache) = self.app_keys.lock()
            && let Some((pem, key)) = cache.get(&app.app_id)
            && *pem == app.private_key_pem
        {
            return Ok(key.clone());
        }
        let key = Arc::new(keys::parse_private_pem(&app.private_key_pem)?);
        if let Ok(mut cache) = self.app_keys.lock() {
            cache.insert(
                app.app_id.clone(),
                (app.private_key_pem.clone(), key.clone()),
            );
        }
        Ok(key)
    }

    // ----- social provider ------------------------------------------------------------------------

    /// The emulator's stand-in for Apple's and Google's signing keys (loaded or made on first use).
    pub(crate) async fn social_key(&self) -> Result<Arc<PrivateKey>, Error> {
        self.social_key
            .get_or_try_init(|| {
                stored_key(&self.store, META_SOCIAL_KEY, || async {
                    Ok(Arc::new(generate_blocking(keys::APP_KEY_BITS).await?))
                })
            })
            .await
            .cloned()
    }

    // ----- tokens ---------------------------------------------------------------------------------

    /// Verifies a token signed by the server key.
    pub(crate) fn verify_server_token(&self, token: &str) -> Result<Json, TokenError> {
        tokens::verify(&self.server_public, token, self.clock.now_secs())
    }

    /// `{"jwt", "access-token"}` for a user, or `None` when a required metadata field has no
    /// value (the real server then answers 604).
    pub(crate) async fn issue_tokens(
        &self,
        app: &AppRecord,
        user: &UserRecord,
    ) -> Result<Option<(String, String)>, Error> {
        let now = self.clock.now_secs();
        let Some(claims) = user_jwt_claims(&app.settings, user, now) else {
            return Ok(None);
        };
        let app_key = self.app_key(app)?;
        let server_key = self.server_key.clone();
        let access_claims = tokens::access_token_claims(&user.handle, &app.app_id);
        let signed = tokio::task::spawn_blocking(move || {
            Ok::<_, TokenError>((
                tokens::sign(&app_key, &claims, now)?,
                tokens::sign(&server_key, &access_claims, now)?,
            ))
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
        Ok(Some(signed))
    }

    pub(crate) async fn sign_with_server_key(&self, claims: Json) -> Result<String, Error> {
        let key = self.server_key.clone();
        let now = self.clock.now_secs();
        Ok(
            tokio::task::spawn_blocking(move || tokens::sign(&key, &claims, now))
                .await
                .map_err(|e| Error::Internal(e.to_string()))??,
        )
    }

    // ----- outbox ---------------------------------------------------------------------------------

    pub(crate) async fn send(&self, message: NewMessage) -> Result<(), StoreError> {
        message.log();
        let now = self.clock.now_ms();
        self.store
            .run(move |c| store::insert_message(c, &message, now).map(|_| ()))
            .await
    }

    // ----- passwords ------------------------------------------------------------------------------

    pub(crate) async fn hash_password(&self, md5_hex: &str) -> Result<String, Error> {
        let cost = self.options.bcrypt_cost;
        let password = md5_hex.to_owned();
        tokio::task::spawn_blocking(move || bcrypt::hash(password, cost))
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
            .map_err(|e| Error::Internal(e.to_string()))
    }

    pub(crate) async fn check_password(&self, md5_hex: &str, hash: Option<&str>) -> bool {
        let Some(hash) = hash else {
            return false;
        };
        let (password, hash) = (md5_hex.to_owned(), hash.to_owned());
        tokio::task::spawn_blocking(move || bcrypt::verify(password, &hash).unwrap_or(false))
            .await
            .unwrap_or(false)
    }
}

/// Whether a metadata value counts as missing: absent, falsy (the server's `!value`: `null`, `""`,
/// `0`, `false`) or text that is blank once trimmed. This is the one definition behind both the
/// routes' 604 "required field missing" and [`user_jwt_claims`] refusing to mint a JWT, so no
/// route can store a value that later makes login fail.
pub(crate) fn metadata_missing(value: Option<&Json>) -> bool {
    match value {
        None => true,
        Some(Json::String(s)) => s.trim().is_empty(),
        Some(v) => !v.is_truthy(),
    }
}

/// Whether a user with this handle and stored metadata can get a user JWT, i.e. no `required`
/// field is [missing](metadata_missing). Routes check this before storing a user.
pub(crate) fn can_mint_user_jwt(settings: &AppSettings, handle: &str, metadata: &Json) -> bool {
    jwt_claims(settings, handle, metadata, None, 0).is_some()
}

/// The user JWT claims of 1.3, in the real server's order; `None` if a required field is missing.
pub(crate) fn user_jwt_claims(settings: &AppSettings, user: &UserRecord, now: i64) -> Option<Json> {
    jwt_claims(
        settings,
        &user.handle,
        &user.metadata,
        user.user_name.as_deref(),
        now,
    )
}

fn jwt_claims(
    settings: &AppSettings,
    handle: &str,
    stored_metadata: &Json,
    user_name: Option<&str>,
    now: i64,
) -> Option<Json> {
    let hours = if settings.user_jwt_expiration == 0 {
        1
    } else {
        i64::from(settings.user_jwt_expiration)
    };
    let mut payload = Json::Object(vec![
        (
            "aud".into(),
            settings
                .realm_app_id
                .clone()
                .unwrap_or_else(|| "none".into())
                .into(),
        ),
        ("sub".into(), handle.to_owned().into()),
        ("exp".into(), Json::from(now + hours * 3600)),
    ]);
    if settings.meta_data_email {
        payload.insert("email", handle.to_owned().into());
    }
    let mut metadata = match stored_metadata {
        m @ Json::Object(_) => m.clone(),
        _ => Json::object(),
    };
    let anonymous = handle.contains("ANON_");
    for field in &settings.meta_data {
        // As on the server, whatever `metaDataEmail` says (1.3 #4; `generateAuthJWTToken`).
        if field.field_name == "email" {
            metadata.set_path(&field.path, handle.to_owned().into());
            payload.remove("email");
        }
        let mut value = metadata.get_path(&field.path).cloned();
        if anonymous {
            value = Some(format!("ANON_{}", field.field_name).into());
        }
        match value {
            Some(v) if !metadata_missing(Some(&v)) => metadata.set_path(&field.path, v),
            _ if field.required => return None,
            _ => {}
        }
    }
    if settings.user_names_enabled
        && let Some(name) = user_name
    {
        metadata.insert("userName", name.to_owned().into());
    }
    if let Json::Object(entries) = metadata {
        for (key, value) in entries {
            payload.insert(&key, value);
        }
    }
    Some(payload)
}

/// The key stored under `meta_key`. When there is none yet, `offer()`'s key is inserted unless
/// another process stored one in the meantime, and whichever key is then stored is returned:
/// two processes starting on one fresh data directory end up with the same key, in memory and
/// on disk (a read-generate-overwrite would leave each with its own).
async fn stored_key<F, Fut>(
    store: &Store,
    meta_key: &'static str,
    offer: F,
) -> Result<Arc<PrivateKey>, Error>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Arc<PrivateKey>, Error>>,
{
    if let Some(pem) = store.run(move |c| store::get_meta(c, meta_key)).await? {
        return Ok(Arc::new(keys::parse_private_pem(&pem)?));
    }
    let offered = offer().await?;
    let offered_pem = keys::private_pem(&offered)?;
    let pem = offered_pem.clone();
    let stored = store
        .run(move |c| {
            store::insert_meta_if_absent(c, meta_key, &pem)?;
            store::get_meta(c, meta_key)
        })
        .await?;
    match stored {
        Some(pem) if pem == offered_pem => Ok(offered),
        Some(pem) => Ok(Arc::new(keys::parse_private_pem(&pem)?)),
        None => Err(Error::Internal(format!(
            "{meta_key} was stored but cannot be read back"
        ))),
    }
}

async fn generate_blocking(bits: usize) -> Result<PrivateKey, KeyError> {
    tokio::task::spawn_blocking(move || keys::generate(bits))
        .await
        .map_err(|e| KeyError::Rsa(e.to_string()))?
}

/// A new app id: a UUID v4 without dashes (32 lowercase hex).
pub(crate) fn new_app_id() -> String {
    let mut bytes = [0_u8; 16];
    rand::fill(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 lowercase hex characters (what clients check; imported ids need not be UUID v4).
pub(crate) fn is_app_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A 6-digit code, 100000–999999, as `util.getRandomNumber` makes them.
pub(crate) fn random_code() -> i64 {
    rand::random_range(100_000..=999_999)
}

impl Core {
    /// Sets a user's account status (`suspend` makes `login` answer 404).
    pub(crate) async fn set_user_status(
        &self,
        app_id: &str,
        handle: &str,
        status: &str,
    ) -> Result<UserRecord, Error> {
        let (app, h, s, now) = (
            app_id.to_owned(),
            handle.to_lowercase(),
            status.to_owned(),
            self.clock.now_ms(),
        );
        let user = self
            .store
            .tx(move |tx| {
                if !store::set_status(tx, &app, &h, &s, now)? {
                    return Ok(None);
                }
                store::get_user(tx, &app, &h)
            })
            .await?;
        user.ok_or_else(|| Error::NoSuchUser {
            app_id: app_id.to_owned(),
            handle: handle.to_owned(),
        })
    }

    /// Mints an Apple/Google stand-in ID token signed by the social-provider key.
    pub(crate) async fn social_token(
        &self,
        request: &crate::social::SocialToken,
    ) -> Result<String, Error> {
        let key = self.social_key().await?;
        let now = self.clock.now_secs();
        let claims = request.claims(now);
        Ok(
            tokio::task::spawn_blocking(move || tokens::sign(&key, &claims, now))
                .await
                .map_err(|e| Error::Internal(e.to_string()))??,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = include_str!("../tests/fixtures/TEST-ONLY-app-a-2048.pem");
    const KEY_B: &str = include_str!("../tests/fixtures/TEST-ONLY-app-b-2048.pem");

    /// Two stores on one fresh data directory (as `serve` and `app create` are) both find no key
    /// and both offer their own: they must end up using the same, stored key.
    #[tokio::test]
    async fn concurrent_first_starts_agree_on_one_key() {
        for meta_key in [META_SERVER_KEY, META_SOCIAL_KEY] {
            let dir = tempfile::tempdir().unwrap();
            let location = StoreLocation::Directory(dir.path().to_owned());
            let (a, b) = (
                Store::open(&location).unwrap(),
                Store::open(&location).unwrap(),
            );
            // Neither offers its key before both have seen that none is stored.
            let both_looked = Arc::new(tokio::sync::Barrier::new(2));
            let offer = |pem: &'static str| {
                let both_looked = both_looked.clone();
                move || async move {
                    both_looked.wait().await;
                    Ok(Arc::new(keys::parse_private_pem(pem)?))
                }
            };
            let (key_a, key_b) = tokio::join!(
                stored_key(&a, meta_key, offer(KEY_A)),
                stored_key(&b, meta_key, offer(KEY_B)),
            );
            let (key_a, key_b) = (key_a.unwrap(), key_b.unwrap());
            assert!(
                key_a == key_b,
                "{meta_key}: the two stores use different keys"
            );
            let stored = a
                .run(move |c| store::get_meta(c, meta_key))
                .await
                .unwrap()
                .unwrap();
            assert!(
                keys::parse_private_pem(&stored).unwrap() == *key_a,
                "{meta_key}: the key in use is not the stored one"
            );
            // Later starts read it; their offer is never made.
            let later = stored_key(&b, meta_key, || async {
                Err(Error::Internal("offered although a key is stored".into()))
            })
            .await
            .unwrap();
            assert!(later == key_a);
        }
    }

    #[test]
    fn missing_metadata_values() {
        for missing in [
            None,
            Some(Json::Null),
            Some(Json::from("")),
            Some(Json::from(" \t\n")),
            Some(Json::Bool(false)),
            Some(Json::from(0)),
        ] {
            assert!(metadata_missing(missing.as_ref()), "{missing:?}");
        }
        for present in [
            Json::from("x"),
            Json::from(" x "),
            Json::from(1),
            Json::object(),
        ] {
            assert!(!metadata_missing(Some(&present)), "{present:?}");
        }
    }

    #[test]
    fn user_jwt_needs_every_required_field() {
        let settings = AppSettings {
            meta_data: vec!["user_data.name:name:required".parse().unwrap()],
            ..AppSettings::default()
        };
        let with = |name: &str| Json::parse(&format!(r#"{{"user_data":{{"name":"{name}"}}}}"#));
        assert!(can_mint_user_jwt(
            &settings,
            "a@b.co",
            &with("Ann").unwrap()
        ));
        assert!(!can_mint_user_jwt(&settings, "a@b.co", &with("").unwrap()));
        assert!(!can_mint_user_jwt(
            &settings,
            "a@b.co",
            &with("  ").unwrap()
        ));
        assert!(!can_mint_user_jwt(&settings, "a@b.co", &Json::object()));
        // Anonymous users get `ANON_<fieldName>` values.
        assert!(can_mint_user_jwt(&settings, "ANON_1", &Json::object()));
    }
}
