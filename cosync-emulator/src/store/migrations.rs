//! Schema migrations, applied in order and recorded in `PRAGMA user_version`, so a database made
//! by an older emulator is upgraded in place and never re-created.

/// Each entry moves the schema from version `index` to `index + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: everything the app-facing API needs.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE apps (
        app_id          TEXT PRIMARY KEY,
        app_token       TEXT NOT NULL,
        private_key_pem TEXT NOT NULL,
        public_key_pem  TEXT NOT NULL,
        settings        TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
    );
    CREATE TABLE users (
        id               INTEGER PRIMARY KEY,
        app_id           TEXT NOT NULL REFERENCES apps(app_id) ON DELETE CASCADE,
        handle           TEXT NOT NULL,
        password_hash    TEXT,
        status           TEXT NOT NULL DEFAULT 'active',
        user_name        TEXT,
        locale           TEXT NOT NULL DEFAULT 'EN',
        phone            TEXT,
        phone_verified   INTEGER NOT NULL DEFAULT 0,
        phone_code       INTEGER,
        two_factor_code  INTEGER,
        two_factor_phone INTEGER NOT NULL DEFAULT 0,
        two_factor_google INTEGER NOT NULL DEFAULT 0,
        google_secret    TEXT,
        metadata         TEXT NOT NULL DEFAULT '{}',
        login_provider   TEXT NOT NULL DEFAULT '',
        provider_sub     TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        last_login       INTEGER,
        UNIQUE (app_id, handle)
    );
    CREATE UNIQUE INDEX users_user_name ON users(app_id, user_name) WHERE user_name IS NOT NULL;
    CREATE INDEX users_phone ON users(app_id, phone);
    CREATE TABLE signups (
        id            INTEGER PRIMARY KEY,
        app_id        TEXT NOT NULL REFERENCES apps(app_id) ON DELETE CASCADE,
        handle        TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        code          INTEGER NOT NULL,
        status        TEXT NOT NULL,
        metadata      TEXT NOT NULL DEFAULT '{}',
        locale        TEXT NOT NULL DEFAULT 'EN',
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        UNIQUE (app_id, handle)
    );
    CREATE TABLE invites (
        id             INTEGER PRIMARY KEY,
        app_id         TEXT NOT NULL REFERENCES apps(app_id) ON DELETE CASCADE,
        handle         TEXT NOT NULL,
        code           INTEGER NOT NULL,
        status         TEXT NOT NULL,
        sender_handle  TEXT NOT NULL,
        sender_user_id TEXT NOT NULL,
        metadata       TEXT NOT NULL DEFAULT '{}',
        created_at     INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL
    );
    CREATE INDEX invites_handle ON invites(app_id, handle);
    CREATE TABLE resets (
        id         INTEGER PRIMARY KEY,
        app_id     TEXT NOT NULL REFERENCES apps(app_id) ON DELETE CASCADE,
        handle     TEXT NOT NULL,
        code       INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX resets_handle ON resets(app_id, handle);
    CREATE TABLE outbox (
        id         INTEGER PRIMARY KEY,
        app_id     TEXT NOT NULL,
        kind       TEXT NOT NULL,
        template   TEXT NOT NULL,
        recipient  TEXT NOT NULL,
        subject    TEXT,
        body       TEXT NOT NULL,
        code       TEXT,
        link       TEXT,
        attachment TEXT,
        created_at INTEGER NOT NULL
    );
    "#,
];
