//! SQLite storage. One connection guarded by an async mutex: SQLite has a single writer anyway,
//! and serializing here makes every multi-step check-then-write (a handle is free → create the
//! user) atomic, so concurrent requests can neither corrupt nor lose data. Work runs on the
//! blocking pool so the async runtime never waits on disk.

mod apps;
mod flows;
mod migrations;
mod outbox;
mod users;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use tokio::sync::Mutex;

pub(crate) use apps::AppRecord;
pub(crate) use flows::{InviteInput, SignupInput};
pub(crate) use users::{NewUser, SetUserName, UserRecord};

/// File name of the database inside the data directory.
pub const DATABASE_FILE: &str = "cosync-emulator.sqlite3";

/// Where the database lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreLocation {
    /// In memory: gone when the emulator stops.
    Memory,
    /// `DIR/cosync-emulator.sqlite3`, created (with DIR) if missing.
    Directory(PathBuf),
}

/// Why the database failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The database was written by a newer emulator.
    #[error(
        "database schema version {found} is newer than this emulator understands ({known}); upgrade cosync-emulator"
    )]
    NewerSchema {
        /// Version in the file.
        found: i64,
        /// Latest version this build knows.
        known: i64,
    },
    /// A stored value could not be read back.
    #[error("database holds an unreadable value: {0}")]
    Corrupt(String),
    /// The blocking task running the query failed.
    #[error("database task failed: {0}")]
    Task(String),
}

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (creating and migrating as needed) the database at `location`.
    pub(crate) fn open(location: &StoreLocation) -> Result<Store, StoreError> {
        let conn = match location {
            StoreLocation::Memory => Connection::open_in_memory()?,
            StoreLocation::Directory(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
                    path: dir.clone(),
                    source,
                })?;
                let conn = Connection::open(database_path(dir))?;
                // WAL lets the CLI (`app create`) write while a server on the same directory reads.
                conn.pragma_update(None, "journal_mode", "WAL")?;
                conn.pragma_update(None, "synchronous", "NORMAL")?;
                conn
            }
        };
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mut conn = conn;
        migrate(&mut conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with exclusive use of the connection, on the blocking pool.
    pub(crate) async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let mut guard = self.conn.clone().lock_owned().await;
        tokio::task::spawn_blocking(move || f(&mut guard))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs `f` inside an immediate (write-locking) transaction, committed if `f` succeeds.
    pub(crate) async fn tx<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })
        .await
    }
}

/// `DIR/cosync-emulator.sqlite3`.
pub fn database_path(dir: &Path) -> PathBuf {
    dir.join(DATABASE_FILE)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = migrations::MIGRATIONS.len() as i64;
    if current > known {
        return Err(StoreError::NewerSchema {
            found: current,
            known,
        });
    }
    for (index, sql) in migrations::MIGRATIONS
        .iter()
        .enumerate()
        .skip(current as usize)
    {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

/// A value from the `meta` table.
pub(crate) fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Sets a value in the `meta` table.
pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// Stores a value in the `meta` table unless the key already has one (which is kept).
pub(crate) fn insert_meta_if_absent(
    conn: &Connection,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        [key, value],
    )?;
    Ok(())
}

pub(crate) use outbox::{clear_outbox, insert_message, list_messages};

/// True if `e` is a UNIQUE / constraint violation (a concurrent request won the race).
pub(crate) fn is_conflict(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation
    )
}

pub(crate) fn parse_json_column(text: &str) -> Result<crate::json::Json, StoreError> {
    crate::json::Json::parse(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) use apps::{delete_app, get_app, insert_app, list_apps, save_settings};
pub(crate) use flows::{
    find_invite, find_signup, get_signup, insert_reset, mark_invite_verified, mark_signup_verified,
    take_reset, upsert_invite, upsert_signup,
};
pub(crate) use users::{
    delete_user, find_by_login, find_by_provider_sub, get_user, insert_user, list_users,
    mark_phone_verified, phone_verified_elsewhere, set_locale, set_metadata, set_password,
    set_phone, set_status, set_two_factor_code, set_two_factor_google, set_two_factor_phone,
    set_user_name, touch_login, user_name_taken,
};
