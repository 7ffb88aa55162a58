//! Pending sign-ups, invitations and password resets: the records behind the e-mailed codes.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{StoreError, parse_json_column};
use crate::json::Json;

/// A sign-up waiting for (or past) confirmation.
#[derive(Clone, Debug)]
pub(crate) struct SignupRecord {
    pub id: i64,
    pub handle: String,
    pub password_hash: String,
    pub code: i64,
    pub status: String,
    pub metadata: Json,
    pub locale: String,
    pub updated_at: i64,
}

/// An invitation.
#[derive(Clone, Debug)]
pub(crate) struct InviteRecord {
    pub id: i64,
    pub code: i64,
    pub status: String,
    pub metadata: Json,
}

fn signup_from_row(r: &Row<'_>) -> rusqlite::Result<(SignupRecord, String)> {
    Ok((
        SignupRecord {
            id: r.get(0)?,
            handle: r.get(1)?,
            password_hash: r.get(2)?,
            code: r.get(3)?,
            status: r.get(4)?,
            metadata: Json::Null,
            locale: r.get(6)?,
            updated_at: r.get(7)?,
        },
        r.get(5)?,
    ))
}

const SIGNUP_COLUMNS: &str =
    "id, handle, password_hash, code, status, metadata, locale, updated_at";

fn signup_query(
    conn: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> Result<Option<SignupRecord>, StoreError> {
    conn.query_row(
        &format!("SELECT {SIGNUP_COLUMNS} FROM signups WHERE {filter}"),
        args,
        signup_from_row,
    )
    .optional()?
    .map(|(mut s, metadata)| {
        s.metadata = parse_json_column(&metadata)?;
        Ok(s)
    })
    .transpose()
}

/// The sign-up record of a handle, whatever its code.
pub(crate) fn get_signup(
    conn: &Connection,
    app_id: &str,
    handle: &str,
) -> Result<Option<SignupRecord>, StoreError> {
    signup_query(conn, "app_id = ?1 AND handle = ?2", params![app_id, handle])
}

/// The sign-up record matching handle **and** code.
pub(crate) fn find_signup(
    conn: &Connection,
    app_id: &str,
    handle: &str,
    code: i64,
) -> Result<Option<SignupRecord>, StoreError> {
    signup_query(
        conn,
        "app_id = ?1 AND handle = ?2 AND code = ?3",
        params![app_id, handle, code],
    )
}

/// What a new sign-up stores.
#[derive(Clone, Debug)]
pub(crate) struct SignupInput<'a> {
    pub app_id: &'a str,
    pub handle: &'a str,
    pub password_hash: &'a str,
    pub metadata: &'a Json,
    pub locale: &'a str,
    pub status: &'a str,
    pub fresh_code: i64,
}

/// Creates or refreshes a sign-up. A handle that already has one keeps its old code and gets a
/// new 48-hour clock (the real server's behaviour); returns the code in force.
pub(crate) fn upsert_signup(
    conn: &Connection,
    s: &SignupInput<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO signups (app_id, handle, password_hash, code, status, metadata, locale, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT (app_id, handle) DO UPDATE SET
            password_hash = excluded.password_hash, status = excluded.status,
            metadata = excluded.metadata, locale = excluded.locale, updated_at = excluded.updated_at",
        params![
            s.app_id,
            s.handle,
            s.password_hash,
            s.fresh_code,
            s.status,
            s.metadata.to_json_string(),
            s.locale,
            now
        ],
    )?;
    Ok(conn.query_row(
        "SELECT code FROM signups WHERE app_id = ?1 AND handle = ?2",
        params![s.app_id, s.handle],
        |r| r.get(0),
    )?)
}

/// Marks a sign-up confirmed.
pub(crate) fn mark_signup_verified(conn: &Connection, id: i64, now: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE signups SET status = 'verified', updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// What an invitation stores.
#[derive(Clone, Debug)]
pub(crate) struct InviteInput<'a> {
    pub app_id: &'a str,
    pub handle: &'a str,
    pub sender_handle: &'a str,
    pub sender_user_id: &'a str,
    pub metadata: &'a Json,
    pub fresh_code: i64,
}

/// Creates an invitation, or re-sends a pending one from the same sender with its old code.
/// Returns the code in force.
pub(crate) fn upsert_invite(
    conn: &Connection,
    i: &InviteInput<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let existing: Option<(i64, i64)> = conn
        .query_row(
            "SELECT id, code FROM invites WHERE app_id = ?1 AND handle = ?2 AND sender_handle = ?3 AND status = 'pending'",
            params![i.app_id, i.handle, i.sender_handle],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, code)) = existing {
        conn.execute(
            "UPDATE invites SET metadata = ?2, sender_user_id = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, i.metadata.to_json_string(), i.sender_user_id, now],
        )?;
        return Ok(code);
    }
    conn.execute(
        "INSERT INTO invites (app_id, handle, code, status, sender_handle, sender_user_id, metadata, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?7, ?7)",
        params![
            i.app_id,
            i.handle,
            i.fresh_code,
            i.sender_handle,
            i.sender_user_id,
            i.metadata.to_json_string(),
            now
        ],
    )?;
    Ok(i.fresh_code)
}

/// The invitation matching handle and code (pending ones first).
pub(crate) fn find_invite(
    conn: &Connection,
    app_id: &str,
    handle: &str,
    code: i64,
) -> Result<Option<InviteRecord>, StoreError> {
    conn.query_row(
        "SELECT id, code, status, metadata FROM invites WHERE app_id = ?1 AND handle = ?2 AND code = ?3
         ORDER BY status = 'pending' DESC, id DESC LIMIT 1",
        params![app_id, handle, code],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?)),
    )
    .optional()?
    .map(|(id, code, status, metadata)| {
        Ok(InviteRecord {
            id,
            code,
            status,
            metadata: parse_json_column(&metadata)?,
        })
    })
    .transpose()
}

/// Marks an invitation used.
pub(crate) fn mark_invite_verified(conn: &Connection, id: i64, now: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE invites SET status = 'verified', updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Records a password-reset code.
pub(crate) fn insert_reset(
    conn: &Connection,
    app_id: &str,
    handle: &str,
    code: i64,
    now: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO resets (app_id, handle, code, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![app_id, handle, code, now],
    )?;
    Ok(())
}

/// Consumes a reset code (single use); `false` if there was none.
pub(crate) fn take_reset(
    conn: &Connection,
    app_id: &str,
    handle: &str,
    code: i64,
) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "DELETE FROM resets WHERE id = (SELECT id FROM resets WHERE app_id = ?1 AND handle = ?2 AND code = ?3 LIMIT 1)",
        params![app_id, handle, code],
    )? == 1)
}
