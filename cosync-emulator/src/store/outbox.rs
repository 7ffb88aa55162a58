//! The outbox table.

use rusqlite::{Connection, params};

use super::StoreError;
use crate::clock::iso8601;
use crate::outbox::{MessageKind, NewMessage, OutboxMessage};

/// Stores a message and returns its id.
pub(crate) fn insert_message(
    conn: &Connection,
    m: &NewMessage,
    now: i64,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO outbox (app_id, kind, template, recipient, subject, body, code, link, attachment, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            m.app_id,
            m.kind.as_str(),
            m.template,
            m.to,
            m.subject,
            m.text,
            m.code,
            m.link,
            m.attachment,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// All messages, oldest first.
pub(crate) fn list_messages(conn: &Connection) -> Result<Vec<OutboxMessage>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, template, app_id, recipient, subject, body, code, link, attachment, created_at
         FROM outbox ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(OutboxMessage {
            id: r.get(0)?,
            kind: MessageKind::parse(&r.get::<_, String>(1)?),
            template: r.get(2)?,
            app_id: r.get(3)?,
            to: r.get(4)?,
            subject: r.get(5)?,
            text: r.get(6)?,
            code: r.get(7)?,
            link: r.get(8)?,
            attachment: r.get(9)?,
            created_at: iso8601(r.get(10)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Empties the outbox; returns how many messages were removed.
pub(crate) fn clear_outbox(conn: &Connection) -> Result<usize, StoreError> {
    Ok(conn.execute("DELETE FROM outbox", [])?)
}
