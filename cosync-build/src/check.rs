//! The checks of DESIGN.md, turning read settings into a [`Model`] or diagnostics.

use cosync_runtime::token::DecodedToken;
use cosync_runtime::{
    AppToken, KeyError, KeyFormat, PublicKey, RestAddress, SignatureError, TokenError, TokenKind,
};

use crate::diagnostic::{Diagnostic, Show};
use crate::hosted::{self, HostedServer};
use crate::model::{Model, Signer};
use crate::read::{Content, Context, Field, Settings, Value, report_private_key};
use crate::source::Span;
use crate::time::utc;

const COPY_TOKEN: &str = "copy the App Token again from the CoSync Portal's Keys tab";

/// The values the checks read and parsed, whether or not every check passed: what
/// `cargo cosync inspect` needs to explain a configuration that does not verify.
#[derive(Clone, Default)]
pub(crate) struct Resolved {
    pub(crate) app_token: Option<String>,
    pub(crate) public_key: Option<PublicKey>,
    pub(crate) app_token_key: Option<PublicKey>,
}

impl std::fmt::Debug for Resolved {
    /// Never shows the token: it may be a credential pasted by mistake.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("app_token", &self.app_token.as_ref().map(|_| "…"))
            .field("public_key", &self.public_key)
            .field("app_token_key", &self.app_token_key)
            .finish()
    }
}

/// Runs every check; returns the model when there was no error.
pub(crate) fn check(cx: &mut Context<'_>, settings: &Settings, now: u64) -> Option<Model> {
    let file_name = settings
        .file
        .map(|f| cx.sources.get(f).name.clone())
        .unwrap_or_else(|| "cosync.toml".to_owned());
    for (key, what) in [
        (
            Field::AppToken,
            "the App Token from the CoSync Portal's Keys tab",
        ),
        (
            Field::PublicKey,
            "the Realm Public Key from the CoSync Portal's Keys tab (PEM or raw)",
        ),
    ] {
        if !settings.key_spans.contains_key(&key) {
            cx.push(
                Diagnostic::error(format!("`{file_name}` has no `{}`", key.name()))
                    .help(format!("add `{} = \"…\"`: {what}", key.name())),
            );
        }
    }

    let rest_address = check_rest_address(cx, settings);
    let realm_app_id = check_realm_app_id(cx, settings);
    let public_key = settings
        .values
        .get(&Field::PublicKey)
        .and_then(|v| check_key(cx, Field::PublicKey, v));
    let app_token_key = settings
        .values
        .get(&Field::AppTokenKey)
        .and_then(|v| check_key(cx, Field::AppTokenKey, v));
    let token = settings
        .values
        .get(&Field::AppToken)
        .and_then(|v| check_token(cx, v, now));
    cx.resolved = Resolved {
        app_token: match settings.values.get(&Field::AppToken).map(|v| &v.content) {
            // A private key pasted as the token is never kept, so never shown.
            Some(Content::Text(text)) if !cosync_runtime::contains_private_key_marker(text) => {
                Some(text.trim().to_owned())
            }
            _ => None,
        },
        public_key: public_key.as_ref().map(|(key, _)| key.clone()),
        app_token_key: app_token_key.as_ref().map(|(key, _)| key.clone()),
    };

    if let Some((public_key, _)) = &public_key {
        refuse_server_key_as_realm_key(cx, settings, public_key);
    }

    // The signing key: `app_token_key`, else the built-in key of the REST host.
    let signer = match (&app_token_key, &rest_address) {
        (Some((key, _)), _) => {
            if let Some((realm, _)) = &public_key
                && realm == key
            {
                let value = &settings.values[&Field::AppTokenKey];
                cx.push(
                    Diagnostic::error("`app_token_key` is the Realm public key")
                        .at(
                            value_span(value),
                            from_where(
                                value,
                                format!(
                                    "same key as `public_key` (SHA-256 {})",
                                    key.fingerprint().short()
                                ),
                            ),
                            Show::Text,
                        )
                        .help(
                            "the Realm public key only verifies user JWTs; app tokens are signed by the \
                             CoSync *server* key: set `app_token_key` to the server's public key \
                             (config/publickey.pem of a self-hosted server)",
                        ),
                );
                None
            } else {
                Some(Signer::Configured(key.clone()))
            }
        }
        // Set but unusable (already reported): falling back to the host's key would add a
        // second, misleading error telling the user to set what they did set.
        (None, _) if settings.key_spans.contains_key(&Field::AppTokenKey) => None,
        (None, Some(address)) => match hosted::for_host(address.host()) {
            Some(server) => Some(Signer::Hosted(server)),
            None => {
                // The default address is the sandbox, so an unknown host was configured.
                let mut d = Diagnostic::error(format!(
                    "no built-in app-token key for `{}`",
                    address.host()
                ))
                .help(
                    "set `app_token_key` to the public key of this CoSync Auth server (its \
                     config/publickey.pem), e.g. `app_token_key = { file = \"server-public.pem\" }`; \
                     keys are built in only for sandbox.cosync.net and rest.cosync.net",
                );
                if let Some(value) = settings.values.get(&Field::RestAddress) {
                    d = d.at(
                        value_span(value),
                        "a self-hosted server: its key must be configured",
                        Show::Text,
                    );
                }
                if let Some(note) = hosted::retired_note(address.host()) {
                    d = d.note(note);
                }
                cx.push(d);
                None
            }
        },
        (None, None) => None,
    };

    if let (Some((_, decoded, value)), Some(signer)) = (&token, &signer) {
        check_signature(cx, settings, value, decoded, signer, rest_address.as_ref());
    }

    if cx
        .diagnostics
        .iter()
        .any(|d| d.severity == crate::diagnostic::Severity::Error)
    {
        return None;
    }
    let (token, _, _) = token?;
    let (public_key, public_key_format) = public_key?;
    Some(Model {
        app_token: token,
        rest_address: rest_address?,
        realm_app_id,
        public_key,
        public_key_format,
        signer: signer?,
    })
}

/// The span of a value: its characters when they are verbatim in the file, else its declaration.
pub(crate) fn value_span(value: &Value) -> Span {
    let origin = &value.origin;
    match (origin.verbatim_at, &value.content) {
        (Some(at), Content::Text(text)) => {
            let lead = text.len() - text.trim_start().len();
            let len = text.trim().len();
            if len == 0 {
                origin.span.clone()
            } else {
                Span {
                    file: origin.span.file,
                    range: at + lead..at + lead + len,
                }
            }
        }
        _ => origin.span.clone(),
    }
}

fn text_of<'v>(cx: &mut Context<'_>, key: Field, value: &'v Value) -> Option<&'v str> {
    match &value.content {
        Content::Text(text) => Some(text),
        Content::Bytes(_) => {
            cx.push(
                Diagnostic::error(format!("`{}` must be text", key.name()))
                    .at(
                        value.origin.span.clone(),
                        "this file is not UTF-8",
                        Show::Text,
                    )
                    .help(format!(
                        "name a UTF-8 text file holding the value (only keys may be binary DER),                          or write `{} = \"…\"` in cosync.toml",
                        key.name()
                    )),
            );
            None
        }
    }
}

/// A label saying where the value came from, when it is not written in cosync.toml.
fn from_where(value: &Value, label: impl Into<String>) -> String {
    let label = label.into();
    let mut out = match value.origin.describe() {
        Some(what) => format!("{label} (in {what})"),
        None => label,
    };
    if let Some(profile) = &value.origin.profile {
        out.push_str(&format!(" [profile.{profile}]"));
    }
    out
}

fn check_rest_address(cx: &mut Context<'_>, settings: &Settings) -> Option<RestAddress> {
    let Some(value) = settings.values.get(&Field::RestAddress) else {
        // Set but unresolvable (already reported), or not set at all: the sandbox default.
        return (!settings.key_spans.contains_key(&Field::RestAddress))
            .then_some(RestAddress::SANDBOX);
    };
    let text = text_of(cx, Field::RestAddress, value)?;
    match RestAddress::parse(text) {
        Ok(address) => Some(address),
        Err(error) => {
            cx.push(
                Diagnostic::error("`rest_address` is not a usable CoSync REST address")
                    .at(value_span(value), from_where(value, error.to_string()), Show::Text)
                    .help(
                        "give an absolute https URL such as `https://sandbox.cosync.net` (plain \
                         `http://` only for localhost); leave `rest_address` out to use the sandbox",
                    ),
            );
            None
        }
    }
}

fn check_realm_app_id(cx: &mut Context<'_>, settings: &Settings) -> Option<String> {
    let value = settings.values.get(&Field::RealmAppId)?;
    let text = text_of(cx, Field::RealmAppId, value)?.trim();
    match cosync_runtime::check_realm_app_id(text) {
        Ok(()) => Some(text.to_owned()),
        Err(error) => {
            cx.push(
                Diagnostic::error("`realm_app_id` is not a valid App Services app id")
                    .at(value_span(value), from_where(value, error.to_string()), Show::Text)
                    .help(
                        "copy the App ID from the Atlas App Services UI (e.g. `myapp-abcde`), or leave \
                         `realm_app_id` out",
                    ),
            );
            None
        }
    }
}

fn check_key(cx: &mut Context<'_>, key: Field, value: &Value) -> Option<(PublicKey, KeyFormat)> {
    let parsed = match &value.content {
        Content::Text(text) => PublicKey::parse_with_format(text),
        Content::Bytes(der) => PublicKey::from_der(der).map(|k| (k, KeyFormat::Der)),
    };
    let error = match parsed {
        Ok((public_key, format)) => {
            if format == KeyFormat::Base64Der && key == Field::PublicKey {
                cx.push(
                    Diagnostic::warning("`public_key` is base64 DER, not the Portal's raw form")
                        .at(value_span(value), from_where(value, "the PEM body without its BEGIN/END lines"), Show::Text)
                        .note("it is accepted; RAW_PUBLIC_KEY is generated in CoSync's raw form (base64 of the PEM)"),
                );
            }
            return Some((public_key, format));
        }
        Err(error) => error,
    };
    if error == KeyError::PrivateKey {
        report_private_key(cx, key, &value.origin);
        return None;
    }
    let (headline, help) = key_problem(key, &error);
    cx.push(
        Diagnostic::error(format!("`{}` {headline}", key.name()))
            .at(
                value_span(value),
                from_where(value, error.to_string()),
                Show::Text,
            )
            .help(help),
    );
    None
}

fn key_problem(key: Field, error: &KeyError) -> (&'static str, String) {
    let copy = match key {
        Field::AppTokenKey => {
            "give the CoSync Auth server's public key (config/publickey.pem), as PEM or raw"
        }
        _ => {
            "copy the Realm Public Key again from the CoSync Portal's Keys tab (PEM, or the raw form from \"Show Raw Key\")"
        }
    };
    match error {
        KeyError::TooSmall { .. } => (
            "is too small",
            format!("CoSync keys are RSA of 2048 bits or more; {copy}"),
        ),
        KeyError::NotRsa { .. } | KeyError::Certificate | KeyError::OpenSsh => {
            ("is not an RSA public key", copy.to_owned())
        }
        KeyError::PemMissingEnd | KeyError::Truncated | KeyError::PemBase64 => (
            "is truncated or damaged",
            format!(
                "copy the whole key, from `-----BEGIN PUBLIC KEY-----` through `-----END PUBLIC KEY-----`; {copy}"
            ),
        ),
        KeyError::Empty => ("is empty", copy.to_owned()),
        _ => ("is not a valid public key", copy.to_owned()),
    }
}

fn refuse_server_key_as_realm_key(cx: &mut Context<'_>, settings: &Settings, key: &PublicKey) {
    let fingerprint = key.fingerprint().to_string();
    if let Some(server) = hosted::HOSTED_SERVERS
        .iter()
        .find(|s| s.fingerprint == fingerprint)
    {
        let value = &settings.values[&Field::PublicKey];
        cx.push(
            Diagnostic::error(format!(
                "`public_key` is {}'s server key, not an app's Realm public key",
                server.host
            ))
            .at(value_span(value), from_where(value, format!("SHA-256 {}", key.fingerprint().short())), Show::Text)
            .help(
                "paste your app's Realm Public Key from the CoSync Portal's Keys tab: it verifies user \
                 JWTs. The server key verifies app tokens and is built in",
            ),
        );
    }
}

type CheckedToken<'v> = (AppToken, DecodedToken, &'v Value);

fn check_token<'v>(cx: &mut Context<'_>, value: &'v Value, now: u64) -> Option<CheckedToken<'v>> {
    let text = text_of(cx, Field::AppToken, value)?;
    let at = value_span(value);
    // Never show more than the header: the rest of a mis-pasted token may be a credential.
    let header_len = text.trim().find('.').unwrap_or(0);
    let prefix = if header_len == 0 {
        Show::Nothing
    } else {
        Show::Prefix(header_len.min(20))
    };
    let decoded = match DecodedToken::decode(text) {
        Ok(decoded) => decoded,
        Err(error) => {
            let (headline, help) = match &error {
                TokenError::Empty => (
                    "`app_token` is empty".to_owned(),
                    format!("{COPY_TOKEN}: it starts with `eyJhbGciOiJSUzI1NiIs`"),
                ),
                TokenError::InvalidCharacter { found, .. } => (
                    "`app_token` is not a JWT".to_owned(),
                    if found.contains("space")
                        || found.contains("line break")
                        || found.contains("tab")
                    {
                        format!(
                            "remove the whitespace: the token was wrapped or split when copied; or {COPY_TOKEN}"
                        )
                    } else if found.contains('=') || found.contains('+') || found.contains('/') {
                        format!(
                            "JWTs use unpadded base64url, so this is not a CoSync token; {COPY_TOKEN}"
                        )
                    } else {
                        COPY_TOKEN.to_owned()
                    },
                ),
                TokenError::WrongSegmentCount { found } => (
                    "`app_token` is not a JWT".to_owned(),
                    if *found > 3 {
                        format!("something was appended to the token; {COPY_TOKEN}")
                    } else {
                        format!("an App Token is three base64url parts joined by `.`; {COPY_TOKEN}")
                    },
                ),
                TokenError::TooLong { .. } => {
                    ("`app_token` is too long".to_owned(), COPY_TOKEN.to_owned())
                }
                _ => (
                    "`app_token` is a damaged JWT".to_owned(),
                    format!("the token was altered or cut when copied; {COPY_TOKEN}"),
                ),
            };
            cx.push(
                Diagnostic::error(headline)
                    .at(at, from_where(value, error.to_string()), prefix)
                    .help(help),
            );
            return None;
        }
    };
    let kind = decoded.kind();
    let show = if kind.is_secret() {
        Show::Nothing
    } else {
        prefix
    };
    let token = match AppToken::from_decoded(&decoded) {
        Ok(token) => token,
        Err(TokenError::WrongKind { kind }) => {
            let (headline, help) = wrong_kind(&kind);
            cx.push(
                Diagnostic::error(headline)
                    .at(
                        at,
                        from_where(value, format!("this is {kind} (not shown)")),
                        Show::Nothing,
                    )
                    .help(help),
            );
            return None;
        }
        Err(error) => {
            let headline = match error {
                TokenError::MissingAlgorithm
                | TokenError::HmacAlgorithm { .. }
                | TokenError::UnsupportedAlgorithm { .. } => "`app_token` is not signed with RS256",
                TokenError::AlgorithmNone => "`app_token` is unsigned (`alg: none`)",
                TokenError::MissingAppId | TokenError::InvalidAppId { .. } => {
                    "`app_token` has an invalid `appId`"
                }
                _ => "`app_token` has invalid claims",
            };
            let help = match error {
                TokenError::MissingAlgorithm
                | TokenError::AlgorithmNone
                | TokenError::HmacAlgorithm { .. }
                | TokenError::UnsupportedAlgorithm { .. } => format!(
                    "CoSync signs every app token with RS256, so this token was not issued by CoSync \
                     (or was forged); {COPY_TOKEN}"
                ),
                _ => format!("the token was altered, or is not a CoSync app token; {COPY_TOKEN}"),
            };
            cx.push(
                Diagnostic::error(headline)
                    .at(at, from_where(value, error.to_string()), show)
                    .help(help),
            );
            return None;
        }
    };
    if let Err(error) = token.check_time(now) {
        let (headline, label) = match error {
            TokenError::Expired { exp, now } => (
                "`app_token` has expired",
                format!("`exp` is {}, before the build time {}", utc(exp), utc(now)),
            ),
            TokenError::NotYetValid { nbf, now } => (
                "`app_token` is not valid yet",
                format!("`nbf` is {}, after the build time {}", utc(nbf), utc(now)),
            ),
            other => ("`app_token` has invalid claims", other.to_string()),
        };
        cx.push(
            Diagnostic::error(headline)
                .at(at, from_where(value, label), show)
                .note("the build time is SOURCE_DATE_EPOCH when it is set, else the clock")
                .help(format!(
                    "CoSync app tokens carry no `exp` or `nbf`, so this one was not issued by CoSync \
                     Auth or was altered; {COPY_TOKEN}"
                )),
        );
        return None;
    }
    Some((token, decoded, value))
}

fn wrong_kind(kind: &TokenKind) -> (String, String) {
    const NEVER: &str = "it must never ship in an app. Remove it, treat it as leaked (rotate it if it \
                         was committed or shared), and";
    match kind {
        TokenKind::Access => (
            "`app_token` is a user's access token, not the App Token".into(),
            format!("an access token belongs to one signed-in user and {NEVER} {COPY_TOKEN}"),
        ),
        TokenKind::Login => (
            "`app_token` is a two-factor login token, not the App Token".into(),
            format!("a login token belongs to one user's sign-in and {NEVER} {COPY_TOKEN}"),
        ),
        TokenKind::UserJwt => (
            "`app_token` is a user JWT, not the App Token".into(),
            format!(
                "it has `aud`/`sub`/`exp`: it is the per-user token MongoDB Realm receives, and {NEVER} {COPY_TOKEN}"
            ),
        ),
        TokenKind::ServerSecret => (
            "`app_token` is a CoSync SERVER SECRET".into(),
            format!("the server secret is an admin credential: {NEVER} {COPY_TOKEN}"),
        ),
        TokenKind::AppSecret => (
            "`app_token` is a CoSync APP SECRET".into(),
            format!("the app secret is an admin credential: {NEVER} {COPY_TOKEN}"),
        ),
        TokenKind::Superuser => (
            "`app_token` is an obsolete 2020 superuser token".into(),
            format!("no current CoSync server accepts it, and {NEVER} {COPY_TOKEN}"),
        ),
        TokenKind::SignedUserToken => (
            "`app_token` is a retired signed-user-token".into(),
            format!("it belongs to one user, and {NEVER} {COPY_TOKEN}"),
        ),
        TokenKind::App | TokenKind::Unknown(_) => (
            "`app_token` is not an app token (its `scope` is not \"app\")".into(),
            COPY_TOKEN.to_owned(),
        ),
        _ => (
            "`app_token` is not an app token".into(),
            COPY_TOKEN.to_owned(),
        ),
    }
}

fn signer_name(signer: &Signer) -> String {
    match signer {
        Signer::Hosted(server) => format!("{}'s", server.host),
        Signer::Configured(_) => "`app_token_key`'s".to_owned(),
    }
}

fn check_signature(
    cx: &mut Context<'_>,
    settings: &Settings,
    value: &Value,
    decoded: &DecodedToken,
    signer: &Signer,
    address: Option<&RestAddress>,
) {
    let key = signer.key();
    let error = match decoded.verify_signature(&key) {
        Ok(()) => return,
        Err(error) => error,
    };
    let at = value_span(value);
    let show = Show::Prefix(decoded.as_str().find('.').unwrap_or(0).min(20));
    let fingerprint = key.fingerprint().short();
    // Was it signed by a key we know? Then say which, and how to point at it.
    let known_signer: Option<&HostedServer> = hosted::HOSTED_SERVERS
        .iter()
        .find(|s| s.key() != key && decoded.verify_signature(&s.key()).is_ok());
    let (label, help) = match (&error, known_signer) {
        (_, Some(server)) => {
            let label = format!(
                "signed by {}'s key, not {} (SHA-256 {fingerprint})",
                server.host,
                signer_name(signer)
            );
            let help = match signer {
                Signer::Hosted(_) => format!(
                    "this token was issued by {host}: set `rest_address = \"https://{host}\"`, or {COPY_TOKEN}",
                    host = server.host
                ),
                Signer::Configured(_) => format!(
                    "this token was issued by {host}: remove `app_token_key` and set `rest_address = \"https://{host}\"`",
                    host = server.host
                ),
            };
            (label, help)
        }
        (SignatureError::Length { expected, found }, None) => (
            format!(
                "the signature is {}-bit but {} key is {}-bit (SHA-256 {fingerprint})",
                found * 8,
                signer_name(signer),
                expected * 8
            ),
            signature_help(signer, address),
        ),
        (_, None) => (
            format!(
                "signed by a key other than {} (SHA-256 {fingerprint})",
                signer_name(signer)
            ),
            signature_help(signer, address),
        ),
    };
    let mut d = Diagnostic::error("app token signature does not verify")
        .at(at, from_where(value, label), show)
        .help(help);
    if let Signer::Configured(_) = signer
        && let Some(key_value) = settings.values.get(&Field::AppTokenKey)
        && let Some(profile) = &key_value.origin.profile
    {
        d = d.note(format!("`app_token_key` comes from [profile.{profile}]"));
    }
    cx.push(d);
}

fn signature_help(signer: &Signer, address: Option<&RestAddress>) -> String {
    match signer {
        Signer::Hosted(_) => format!(
            "{COPY_TOKEN}, or set `app_token_key` for a self-hosted server{}",
            address.map_or(String::new(), |a| format!(" (rest_address is {a})"))
        ),
        Signer::Configured(_) => format!(
            "check that `app_token_key` is the public key of the CoSync Auth server that issued this \
             token (its config/publickey.pem), or {COPY_TOKEN}"
        ),
    }
}
