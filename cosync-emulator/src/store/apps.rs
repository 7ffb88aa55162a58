//! App records.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::StoreError;
use crate::settings::AppSettings;

/// One app as stored.
#[derive(Clone, Debug)]
pub(crate) struct AppRecord {
    pub app_id: String,
    pub app_token: String,
    pub private_key_pem: String,
    pub public_key_pem: String,
    pub settings: AppSettings,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "app_id, app_token, private_key_pem, public_key_pem, settings, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<(AppRecord, String)> {
    Ok((
        AppRecord {
            app_id: row.get(0)?,
            app_token: row.get(1)?,
            private_key_pem: row.get(2)?,
            public_key_pem: row.get(3)?,
            settings: AppSettings::default(),
            created_at: row.get(5)?,
            updated_at: row.get(6)?,
        },
        row.get(4)?,
    ))
}

fn with_settings((mut app, settings): (AppRecord, String)) -> Result<AppRecord, StoreError> {
    app.settings =
        serde_json::from_str(&settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(app)
}

fn settings_json(settings: &AppSettings) -> Result<String, StoreError> {
    serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Inserts a new app; `false` if the id is taken.
pub(crate) fn insert_app(conn: &Connection, app: &AppRecord) -> Result<bool, StoreError> {
    let result = conn.execute(
        &format!("INSERT INTO apps ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        params![
            app.app_id,
            app.app_token,
            app.private_key_pem,
            app.public_key_pem,
            settings_json(&app.settings)?,
            app.created_at,
            app.updated_at
        ],
    );
    match result {
        Ok(_) => Ok(true),
        Err(e) if super::is_conflict(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The app with this id.
pub(crate) fn get_app(conn: &Connection, app_id: &str) -> Result<Option<AppRecord>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM apps WHERE app_id = ?1"),
        [app_id],
        from_row,
    )
    .optional()?
    .map(with_settings)
    .transpose()
}

/// All apps, oldest first.
pub(crate) fn list_apps(conn: &Connection) -> Result<Vec<AppRecord>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM apps ORDER BY created_at, app_id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    rows.map(|r| with_settings(r?)).collect()
}

/// Stores new settings.
pub(crate) fn save_settings(
    conn: &Connection,
    app_id: &str,
    settings: &AppSettings,
    now: i64,
) -> Result<bool, StoreError> {
    let n = conn.execute(
        "UPDATE apps SET settings = ?2, updated_at = ?3 WHERE app_id = ?1",
        params![app_id, settings_json(settings)?, now],
    )?;
    Ok(n == 1)
}

/// Deletes an app and (by cascade) its users, sign-ups, invites and resets.
pub(crate) fn delete_app(conn: &Connection, app_id: &str) -> Result<bool, StoreError> {
    Ok(conn.execute("DELETE FROM apps WHERE app_id = ?1", [app_id])? == 1)
}
