//! User records.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{StoreError, parse_json_column};
use crate::json::Json;

/// One user as stored.
#[derive(Clone, Debug)]
pub(crate) struct UserRecord {
    pub id: i64,
    pub app_id: String,
    pub handle: String,
    pub password_hash: Option<String>,
    pub status: String,
    pub user_name: Option<String>,
    pub locale: String,
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub phone_code: Option<i64>,
    pub two_factor_code: Option<i64>,
    pub two_factor_phone: bool,
    pub two_factor_google: bool,
    pub google_secret: Option<String>,
    pub metadata: Json,
    pub login_provider: String,
    pub provider_sub: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_login: Option<i64>,
}

/// What creating a user needs.
#[derive(Clone, Debug)]
pub(crate) struct NewUser {
    pub app_id: String,
    pub handle: String,
    pub password_hash: Option<String>,
    pub locale: String,
    pub metadata: Json,
    pub login_provider: String,
    pub provider_sub: Option<String>,
}

const COLUMNS: &str = "id, app_id, handle, password_hash, status, user_name, locale, phone, phone_verified, \
    phone_code, two_factor_code, two_factor_phone, two_factor_google, google_secret, metadata, \
    login_provider, provider_sub, created_at, updated_at, last_login";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(UserRecord, String)> {
    Ok((
        UserRecord {
            id: r.get(0)?,
            app_id: r.get(1)?,
            handle: r.get(2)?,
            password_hash: r.get(3)?,
            status: r.get(4)?,
            user_name: r.get(5)?,
            locale: r.get(6)?,
            phone: r.get(7)?,
            phone_verified: r.get(8)?,
            phone_code: r.get(9)?,
            two_factor_code: r.get(10)?,
            two_factor_phone: r.get(11)?,
            two_factor_google: r.get(12)?,
            google_secret: r.get(13)?,
            metadata: Json::Null,
            login_provider: r.get(15)?,
            provider_sub: r.get(16)?,
            created_at: r.get(17)?,
            updated_at: r.get(18)?,
            last_login: r.get(19)?,
        },
        r.get(14)?,
    ))
}

fn query_one(
    conn: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> Result<Option<UserRecord>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM users WHERE {filter} LIMIT 1"),
        args,
        from_row,
    )
    .optional()?
    .map(|(mut user, metadata)| {
        user.metadata = parse_json_column(&metadata)?;
        Ok(user)
    })
    .transpose()
}

/// The user with exactly this handle.
pub(crate) fn get_user(
    conn: &Connection,
    app_id: &str,
    handle: &str,
) -> Result<Option<UserRecord>, StoreError> {
    query_one(conn, "app_id = ?1 AND handle = ?2", params![app_id, handle])
}

/// The user whose handle **or** user name is `login` (login, forgotPassword, deleteAccount).
pub(crate) fn find_by_login(
    conn: &Connection,
    app_id: &str,
    login: &str,
) -> Result<Option<UserRecord>, StoreError> {
    query_one(
        conn,
        "app_id = ?1 AND (handle = ?2 OR user_name = ?2) ORDER BY handle = ?2 DESC",
        params![app_id, login],
    )
}

/// The user registered through `provider` with the social account `sub`.
pub(crate) fn find_by_provider_sub(
    conn: &Connection,
    app_id: &str,
    provider: &str,
    sub: &str,
) -> Result<Option<UserRecord>, StoreError> {
    query_one(
        conn,
        "app_id = ?1 AND login_provider = ?2 AND provider_sub = ?3",
        params![app_id, provider, sub],
    )
}

/// Whether a user has this user name.
pub(crate) fn user_name_taken(
    conn: &Connection,
    app_id: &str,
    user_name: &str,
) -> Result<bool, StoreError> {
    Ok(query_one(
        conn,
        "app_id = ?1 AND user_name = ?2",
        params![app_id, user_name],
    )?
    .is_some())
}

/// Creates a user; `None` if the handle is already taken.
pub(crate) fn insert_user(
    conn: &Connection,
    new: &NewUser,
    now: i64,
) -> Result<Option<UserRecord>, StoreError> {
    let result = conn.execute(
        "INSERT INTO users (app_id, handle, password_hash, locale, metadata, login_provider, provider_sub, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            new.app_id,
            new.handle,
            new.password_hash,
            new.locale,
            new.metadata.to_json_string(),
            new.login_provider,
            new.provider_sub,
            now
        ],
    );
    match result {
        Ok(_) => get_user(conn, &new.app_id, &new.handle),
        Err(e) if super::is_conflict(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Records a successful login (and forgets any pending two-factor code).
pub(crate) fn touch_login(conn: &Connection, id: i64, now: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET last_login = ?2, two_factor_code = NULL WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Stores the SMS code of a two-factor login.
pub(crate) fn set_two_factor_code(conn: &Connection, id: i64, code: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET two_factor_code = ?2 WHERE id = ?1",
        params![id, code],
    )?;
    Ok(())
}

/// Changes the password; `reset` also clears the Google secret and both two-factor flags, as
/// `resetPassword` does.
pub(crate) fn set_password(
    conn: &Connection,
    id: i64,
    hash: &str,
    reset: bool,
    now: i64,
) -> Result<(), StoreError> {
    if reset {
        conn.execute(
            "UPDATE users SET password_hash = ?2, google_secret = NULL, two_factor_phone = 0,
             two_factor_google = 0, updated_at = ?3 WHERE id = ?1",
            params![id, hash, now],
        )?;
    } else {
        conn.execute(
            "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, hash, now],
        )?;
    }
    Ok(())
}

/// Outcome of [`set_user_name`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SetUserName {
    Done,
    AlreadyHasOne,
    Taken,
}

/// Sets the user name once; the unique index decides races.
pub(crate) fn set_user_name(
    conn: &Connection,
    id: i64,
    name: &str,
    now: i64,
) -> Result<SetUserName, StoreError> {
    let result = conn.execute(
        "UPDATE users SET user_name = ?2, updated_at = ?3 WHERE id = ?1 AND user_name IS NULL",
        params![id, name, now],
    );
    match result {
        Ok(1) => Ok(SetUserName::Done),
        Ok(_) => Ok(SetUserName::AlreadyHasOne),
        Err(e) if super::is_conflict(&e) => Ok(SetUserName::Taken),
        Err(e) => Err(e.into()),
    }
}

/// Sets the locale.
pub(crate) fn set_locale(
    conn: &Connection,
    id: i64,
    locale: &str,
    now: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET locale = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, locale, now],
    )?;
    Ok(())
}

/// Replaces the metadata.
pub(crate) fn set_metadata(
    conn: &Connection,
    id: i64,
    metadata: &Json,
    now: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET metadata = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, metadata.to_json_string(), now],
    )?;
    Ok(())
}

/// Whether another user of the app has verified this phone number.
pub(crate) fn phone_verified_elsewhere(
    conn: &Connection,
    app_id: &str,
    phone: &str,
    except_id: i64,
) -> Result<bool, StoreError> {
    Ok(query_one(
        conn,
        "app_id = ?1 AND phone = ?2 AND phone_verified = 1 AND id != ?3",
        params![app_id, phone, except_id],
    )?
    .is_some())
}

/// Sets a new, unverified phone and its verification code.
pub(crate) fn set_phone(
    conn: &Connection,
    id: i64,
    phone: &str,
    code: i64,
    now: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET phone = ?2, phone_verified = 0, phone_code = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, phone, code, now],
    )?;
    Ok(())
}

/// Marks the phone verified.
pub(crate) fn mark_phone_verified(conn: &Connection, id: i64, now: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET phone_verified = 1, phone_code = NULL, updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Switches phone two-factor.
pub(crate) fn set_two_factor_phone(
    conn: &Connection,
    id: i64,
    on: bool,
    now: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET two_factor_phone = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, on, now],
    )?;
    Ok(())
}

/// Switches Google two-factor; enabling stores the new secret.
pub(crate) fn set_two_factor_google(
    conn: &Connection,
    id: i64,
    secret: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    match secret {
        Some(secret) => conn.execute(
            "UPDATE users SET two_factor_google = 1, google_secret = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, secret, now],
        )?,
        None => conn.execute(
            "UPDATE users SET two_factor_google = 0, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?,
    };
    Ok(())
}

/// Sets the account status (`active`, `suspend`, …).
pub(crate) fn set_status(
    conn: &Connection,
    app_id: &str,
    handle: &str,
    status: &str,
    now: i64,
) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "UPDATE users SET status = ?3, updated_at = ?4 WHERE app_id = ?1 AND handle = ?2",
        params![app_id, handle, status, now],
    )? == 1)
}

/// Deletes a user and the sign-up / reset records of the same handle, so the handle can sign up
/// again.
pub(crate) fn delete_user(conn: &Connection, user: &UserRecord) -> Result<(), StoreError> {
    conn.execute("DELETE FROM users WHERE id = ?1", [user.id])?;
    conn.execute(
        "DELETE FROM signups WHERE app_id = ?1 AND handle = ?2",
        params![user.app_id, user.handle],
    )?;
    conn.execute(
        "DELETE FROM resets WHERE app_id = ?1 AND handle = ?2",
        params![user.app_id, user.handle],
    )?;
    Ok(())
}

/// All users of an app (for `/_emulator/`), oldest first.
pub(crate) fn list_users(conn: &Connection, app_id: &str) -> Result<Vec<UserRecord>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM users WHERE app_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([app_id], from_row)?;
    rows.map(|r| {
        let (mut user, metadata) = r?;
        user.metadata = parse_json_column(&metadata)?;
        Ok(user)
    })
    .collect()
}
