//! `cargo cosync inspect`: decodes any CoSync token and finds the known key that signed it.
//!
//! What is shown: the header, the claims (with times for people), the kind of token, the
//! signature's size and which key verifies it. What is never shown: the token text and the
//! signature bytes, for any kind, since together with the claims they are the credential.
//! The claims of a credential (an access token's handle and app id, a user JWT's metadata) are
//! shown: the developer who pasted the token holds it already, and the claims alone authorise
//! nothing.

use std::fmt;
use std::io::IsTerminal;

use base64ct::Encoding as _;
use cosync_build::hosted::HOSTED_SERVERS;
use cosync_runtime::token::DecodedToken;
use cosync_runtime::{AppToken, PublicKey, SignatureError, TokenKind};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::check;
use crate::cli::{Format, InspectArgs};
use crate::error::{CliError, Outcome};
use crate::input;
use crate::output::{self, DIM, ERROR, GOOD, LABEL, TITLE, WARNING};

/// Which key family signs a kind of token (COSYNC.md 0.2): the server key, or the per-app key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Server,
    App,
    Either,
}

fn family(kind: &TokenKind) -> Family {
    match kind {
        TokenKind::App
        | TokenKind::Access
        | TokenKind::Login
        | TokenKind::ServerSecret
        | TokenKind::AppSecret
        | TokenKind::Superuser => Family::Server,
        TokenKind::UserJwt | TokenKind::SignedUserToken => Family::App,
        _ => Family::Either,
    }
}

/// A stable name for each kind, for JSON.
fn kind_id(kind: &TokenKind) -> &'static str {
    match kind {
        TokenKind::App => "app_token",
        TokenKind::Access => "access_token",
        TokenKind::Login => "login_token",
        TokenKind::UserJwt => "user_jwt",
        TokenKind::ServerSecret => "server_secret",
        TokenKind::AppSecret => "app_secret",
        TokenKind::Superuser => "superuser",
        TokenKind::SignedUserToken => "signed_user_token",
        _ => "unknown",
    }
}

/// A key that may have signed the token.
#[derive(Debug, Clone)]
struct Candidate {
    name: String,
    source: &'static str,
    key: PublicKey,
    family: Family,
}

/// Where the token came from, which decides whether to warn about shell history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Argument,
    Stdin,
    Config,
}

/// The configuration's contribution: its keys and what to cross-check the token against.
#[derive(Debug, Default)]
struct FromConfig {
    shown: String,
    candidates: Vec<Candidate>,
    /// The `app_token` value as read; it may be a credential pasted by mistake.
    app_token: Option<String>,
    app_id: Option<String>,
    realm_app_id: Option<String>,
    error_count: usize,
}

/// The configuration: `--config` (which must be readable), else the package's cosync.toml when
/// there is one.
fn load_config(args: &InspectArgs) -> Result<Option<FromConfig>, CliError> {
    let path = input::config_path(args.config.as_deref());
    if args.config.is_none() && !path.is_file() {
        return Ok(None);
    }
    input::require_config(&path, args.config.is_some())?;
    let checked = check::check(&path, args.profile.as_deref());
    let shown = input::shown(&path);
    let mut candidates = Vec::new();
    if let Some(key) = checked.app_token_key() {
        candidates.push(Candidate {
            name: format!(
                "`app_token_key` of {shown} (SHA-256 {})",
                key.fingerprint().short()
            ),
            source: "app_token_key",
            key: key.clone(),
            family: Family::Server,
        });
    }
    if let Some(key) = checked.public_key() {
        candidates.push(Candidate {
            name: format!(
                "`public_key` of {shown}, the Realm public key (SHA-256 {})",
                key.fingerprint().short()
            ),
            source: "public_key",
            key: key.clone(),
            family: Family::App,
        });
    }
    let app_token = checked.app_token_text().map(str::to_owned);
    let app_id = app_token
        .as_deref()
        .and_then(|t| AppToken::parse(t).ok())
        .map(|t| t.app_id().to_owned());
    Ok(Some(FromConfig {
        shown,
        candidates,
        app_token,
        app_id,
        realm_app_id: checked
            .model()
            .and_then(|m| m.realm_app_id())
            .map(str::to_owned),
        error_count: checked.diagnostics().error_count(),
    }))
}

pub fn run(args: &InspectArgs) -> Result<Outcome, CliError> {
    let config = load_config(args)?;
    let (text, origin) = match args.token.as_deref() {
        Some("-") => {
            if std::io::stdin().is_terminal() {
                anstream::eprintln!("{DIM}Paste the token, then press Ctrl-D.{DIM:#}");
            }
            let bytes = input::read_stdin()?;
            (String::from_utf8_lossy(&bytes).into_owned(), Origin::Stdin)
        }
        Some(token) => (token.to_owned(), Origin::Argument),
        None => match &config {
            Some(FromConfig {
                app_token: Some(token),
                ..
            }) => (token.clone(), Origin::Config),
            Some(from) => {
                return Err(CliError::usage(
                    format!("{} has no readable `app_token`", from.shown),
                    Some(
                        "`cargo cosync check` shows why; or pass a token (`-` reads it from stdin)"
                            .to_owned(),
                    ),
                ));
            }
            None => {
                return Err(CliError::usage(
                    "no token to inspect, and no cosync.toml here",
                    Some("pass the token, `-` to read it from stdin, or --config PATH".to_owned()),
                ));
            }
        },
    };
    let mut keys = Vec::new();
    for value in &args.keys {
        if value == "-" && origin == Origin::Stdin {
            return Err(CliError::usage(
                "the token and --key cannot both be read from stdin",
                Some("give --key a file, or the key itself in the raw form".to_owned()),
            ));
        }
        // As for every key option: a file, stdin or the key itself; never echoed unless it may
        // be a file name.
        let (bytes, origin) = input::key_argument(value, "--key")?;
        let (key, _) = input::parse_key(&bytes).map_err(|source| CliError::Key {
            what: format!("--key: {origin} is not a usable public key"),
            source,
        })?;
        keys.push(Candidate {
            name: format!("{origin} (SHA-256 {})", key.fingerprint().short()),
            source: "key",
            key,
            family: Family::Either,
        });
    }

    let (clean, rewrapped) = input::clean_token(&text);
    // Both before and after removing whitespace: the armour of a PEM key is found in the text
    // as given, and the raw (base64) form of one wrapped over lines only once it is rejoined.
    if cosync_runtime::contains_private_key_marker(&text)
        || cosync_runtime::contains_private_key_marker(&clean)
    {
        return Err(CliError::refused(
            "this is a PRIVATE key, not a token; nothing of it was printed",
            Some("if it was shared or committed, treat it as leaked".to_owned()),
        ));
    }
    let report = match DecodedToken::decode(&clean) {
        Ok(decoded) => inspect(&decoded, config.as_ref(), keys, origin, rewrapped),
        Err(error) => Report::malformed(error.to_string()),
    };
    match args.format {
        Format::Human => report.print_human(),
        Format::Json => output::print_json(&report)?,
    }
    Ok(report.outcome)
}

#[derive(Debug, Serialize)]
struct Report {
    format_version: u32,
    /// Why the token could not be decoded; everything else is empty then.
    error: Option<String>,
    kind: Option<&'static str>,
    kind_description: Option<&'static str>,
    /// Whether the token is a credential (anything but an app token). Its text is never shown.
    secret: bool,
    /// Characters in the token (after removing whitespace and quotes).
    length: usize,
    header: Option<serde_json::Map<String, Value>>,
    claims: Option<serde_json::Map<String, Value>>,
    times: Vec<Time>,
    signature: Option<Signature>,
    notes: Vec<String>,
    warnings: Vec<String>,
    #[serde(skip)]
    outcome: Outcome,
    /// Header and claims in the token's own order, for people.
    #[serde(skip)]
    ordered: Option<(Members, Members)>,
}

#[derive(Debug, Serialize)]
struct Time {
    claim: String,
    unix: u64,
    utc: String,
    relative: String,
}

#[derive(Debug, Serialize)]
struct Signature {
    algorithm: Option<String>,
    bytes: usize,
    /// Whether a signature check was possible: an RS256 token, and at least one key for it.
    checked: bool,
    verified: bool,
    signer: Option<Tried>,
    tried: Vec<Tried>,
    /// Why it was not checked or did not verify.
    problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct Tried {
    name: String,
    /// `hosted`, `app_token_key`, `public_key` (of the configuration) or `key` (--key).
    source: &'static str,
    fingerprint: String,
    /// `verified`, `mismatch` or `length` (a key of another size).
    result: &'static str,
}

impl Report {
    fn malformed(error: String) -> Self {
        Report {
            format_version: 1,
            error: Some(error),
            kind: None,
            kind_description: None,
            secret: true,
            length: 0,
            header: None,
            claims: None,
            times: Vec::new(),
            signature: None,
            notes: Vec::new(),
            warnings: Vec::new(),
            outcome: Outcome::Invalid,
            ordered: None,
        }
    }
}

fn inspect(
    decoded: &DecodedToken,
    config: Option<&FromConfig>,
    keys: Vec<Candidate>,
    origin: Origin,
    rewrapped: bool,
) -> Report {
    let kind = decoded.kind();
    let secret = kind.is_secret();
    let mut notes = Vec::new();
    let mut warnings = Vec::new();
    if rewrapped {
        notes.push("whitespace inside the token was removed before decoding".to_owned());
    }
    if secret {
        notes.push(format!(
            "this is {}, a credential: its claims are shown, never the token or its signature",
            kind.describe()
        ));
        if origin == Origin::Argument {
            warnings.push(
                "a credential given as an argument stays in your shell history; pipe it next \
                 time: `… | cargo cosync inspect -`"
                    .to_owned(),
            );
        }
    }
    if origin == Origin::Config
        && let Some(config) = config
    {
        notes.push(format!("the app token of {}", config.shown));
    }

    let now = output::now();
    let times: Vec<Time> = ["iat", "nbf", "exp"]
        .into_iter()
        .filter_map(|claim| {
            let unix = decoded.time_claim(claim).ok().flatten()?;
            Some(Time {
                claim: claim.to_owned(),
                unix,
                utc: output::utc(unix),
                relative: output::relative(unix, now),
            })
        })
        .collect();
    for claim in ["iat", "nbf", "exp"] {
        if decoded.time_claim(claim).is_err() {
            warnings.push(format!("`{claim}` is not a whole number of seconds"));
        }
    }
    if let Ok(Some(exp)) = decoded.time_claim("exp")
        && exp <= now
    {
        warnings.push(format!(
            "the token expired {} ({})",
            output::relative(exp, now),
            output::utc(exp)
        ));
    }
    if let Ok(Some(nbf)) = decoded.time_claim("nbf")
        && nbf > now
    {
        warnings.push(format!(
            "the token is not valid before {}",
            output::utc(nbf)
        ));
    }
    if kind == TokenKind::App && decoded.claims().contains_key("exp") {
        warnings.push(
            "CoSync app tokens never carry `exp`: this one was not issued by CoSync Auth"
                .to_owned(),
        );
    }
    cross_check(decoded, &kind, config, &mut notes, &mut warnings);

    let signature = check_signature(decoded, &kind, config, keys);
    let outcome = if signature.verified || (signature.problem.is_none() && !signature.checked) {
        Outcome::Success
    } else {
        Outcome::Invalid
    };
    let ordered = segments(decoded.as_str());
    Report {
        format_version: 1,
        error: None,
        kind: Some(kind_id(&kind)),
        kind_description: Some(kind.describe()),
        secret,
        length: decoded.as_str().len(),
        header: Some(decoded.header().clone()),
        claims: Some(decoded.claims().clone()),
        times,
        signature: Some(signature),
        notes,
        warnings,
        outcome,
        ordered,
    }
}

/// The token against the configuration: the app it belongs to, the Realm app it is for.
fn cross_check(
    decoded: &DecodedToken,
    kind: &TokenKind,
    config: Option<&FromConfig>,
    notes: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    let Some(config) = config else {
        return;
    };
    if *kind != TokenKind::App
        && let (Some(expected), Some(app_id)) = (
            &config.app_id,
            decoded.claims().get("appId").and_then(Value::as_str),
        )
    {
        if app_id == expected {
            notes.push(format!("`appId` is the app of {}", config.shown));
        } else {
            warnings.push(format!(
                "`appId` is not the app of {} ({expected})",
                config.shown
            ));
        }
    }
    if *kind == TokenKind::UserJwt
        && let Some(aud) = decoded.claims().get("aud").and_then(Value::as_str)
    {
        match &config.realm_app_id {
            Some(realm) if realm == aud => {
                notes.push(format!("`aud` is the `realm_app_id` of {}", config.shown));
            }
            Some(realm) => warnings.push(format!(
                "`aud` is not the `realm_app_id` of {} ({realm}): MongoDB Realm will refuse it",
                config.shown
            )),
            None if aud != "none" => warnings.push(format!(
                "`aud` is {aud:?} but {} sets no `realm_app_id`",
                config.shown
            )),
            None => {}
        }
    }
    if config.error_count > 0 {
        notes.push(format!(
            "{} has {} error{} (`cargo cosync check` shows them); its keys that parsed were used",
            config.shown,
            config.error_count,
            if config.error_count == 1 { "" } else { "s" }
        ));
    }
}

fn check_signature(
    decoded: &DecodedToken,
    kind: &TokenKind,
    config: Option<&FromConfig>,
    keys: Vec<Candidate>,
) -> Signature {
    let algorithm = decoded.algorithm().map(str::to_owned);
    let bytes = decoded.signature().len();
    let mut signature = Signature {
        algorithm,
        bytes,
        checked: false,
        verified: false,
        signer: None,
        tried: Vec::new(),
        problem: None,
    };
    if let Err(error) = decoded.require_rs256() {
        signature.problem = Some(format!("not checked: {error}"));
        return signature;
    }
    if bytes == 0 {
        signature.problem = Some("the token has no signature".to_owned());
        return signature;
    }

    let wanted = family(kind);
    let hosted = HOSTED_SERVERS.iter().map(|server| Candidate {
        name: format!(
            "{}'s key (SHA-256 {})",
            server.host,
            server.key().fingerprint().short()
        ),
        source: "hosted",
        key: server.key(),
        family: Family::Server,
    });
    let mut candidates: Vec<Candidate> = Vec::new();
    for candidate in hosted
        .chain(
            config
                .into_iter()
                .flat_map(|c| c.candidates.iter().cloned()),
        )
        .chain(keys)
    {
        let applies = wanted == Family::Either
            || candidate.family == Family::Either
            || candidate.family == wanted;
        if applies && !candidates.iter().any(|c| c.key == candidate.key) {
            candidates.push(candidate);
        }
    }
    for candidate in candidates {
        let result = match decoded.verify_signature(&candidate.key) {
            Ok(()) => "verified",
            Err(SignatureError::Length { .. }) => "length",
            Err(_) => "mismatch",
        };
        let tried = Tried {
            name: candidate.name,
            source: candidate.source,
            fingerprint: candidate.key.fingerprint().to_string(),
            result,
        };
        signature.checked = true;
        signature.tried.push(tried.clone());
        if result == "verified" {
            signature.verified = true;
            signature.signer = Some(tried);
            break;
        }
    }
    if signature.checked && !signature.verified {
        signature.problem = Some(
            "the signature verifies with none of the keys tried: the token was altered, or \
             another key signed it"
                .to_owned(),
        );
    }
    signature
}

/// `"…"` for strings, JSON for everything else.
fn show_value(value: &Value) -> String {
    value.to_string()
}

struct Row<'a>(&'a str, String);

impl fmt::Display for Row<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "  {LABEL}{:<10}{LABEL:#} {}", self.0, self.1)
    }
}

impl Report {
    fn print_human(&self) {
        if let Some(error) = &self.error {
            anstream::eprintln!("{ERROR}error{ERROR:#}: not a CoSync token: {error}");
            anstream::eprintln!(
                "  = help: a token is three base64url parts joined by `.`, starting with `eyJ`; nothing of the input was printed"
            );
            return;
        }
        let kind = self.kind_description.unwrap_or("a token");
        anstream::println!(
            "{TITLE}token{TITLE:#}     {kind}, {} characters",
            self.length
        );
        for note in &self.notes {
            anstream::println!("  {DIM}note: {note}{DIM:#}");
        }
        for warning in &self.warnings {
            anstream::println!("  {WARNING}warning{WARNING:#}: {warning}");
        }
        let (header, claims) = self.ordered.clone().unwrap_or_else(|| {
            let unordered = |m: &Option<serde_json::Map<String, Value>>| {
                m.iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            (unordered(&self.header), unordered(&self.claims))
        });
        anstream::println!("{TITLE}header{TITLE:#}");
        for (name, value) in &header {
            anstream::println!("{}", Row(name, show_value(value)));
        }
        anstream::println!("{TITLE}claims{TITLE:#}");
        for (name, value) in &claims {
            let mut shown = show_value(value);
            if let Some(time) = self.times.iter().find(|t| &t.claim == name) {
                shown.push_str(&format!("  {DIM}{} ({}){DIM:#}", time.utc, time.relative));
            }
            anstream::println!("{}", Row(name, shown));
        }
        let Some(signature) = &self.signature else {
            return;
        };
        anstream::println!(
            "{TITLE}signature{TITLE:#} {}, {} bytes{}",
            signature.algorithm.as_deref().unwrap_or("no `alg`"),
            signature.bytes,
            if signature.bytes > 0 {
                format!(" ({}-bit key)", signature.bytes * 8)
            } else {
                String::new()
            }
        );
        if let Some(signer) = &signature.signer {
            anstream::println!("  {GOOD}verified{GOOD:#} with {}", signer.name);
        } else if !signature.checked && signature.problem.is_none() {
            anstream::println!(
                "  {DIM}not checked: no known key signs {kind}; pass --config (its `public_key` verifies user JWTs) or --key FILE{DIM:#}"
            );
        }
        if let Some(problem) = &signature.problem {
            anstream::println!("  {ERROR}does not verify{ERROR:#}: {problem}");
            for tried in &signature.tried {
                let why = match tried.result {
                    "length" => "a key of another size",
                    _ => "no match",
                };
                anstream::println!("    {DIM}tried {}: {why}{DIM:#}", tried.name);
            }
            if signature.tried.iter().all(|t| t.source == "hosted") && !signature.tried.is_empty() {
                anstream::println!(
                    "  = help: a token of a self-hosted server verifies with that server's key: pass --key FILE (its config/publickey.pem) or --config PATH"
                );
            }
        }
    }
}

/// Header and claims in the order the token has them (the server's: `iat` last).
fn segments(token: &str) -> Option<(Members, Members)> {
    let mut parts = token.split('.');
    let mut object = || -> Option<Members> {
        let bytes = base64ct::Base64UrlUnpadded::decode_vec(parts.next()?).ok()?;
        serde_json::from_slice::<Ordered>(&bytes).ok().map(|o| o.0)
    };
    let header = object()?;
    let claims = object()?;
    Some((header, claims))
}

/// A JSON object's members in document order.
type Members = Vec<(String, Value)>;

/// Deserializes [`Members`]: serde_json's own map sorts them.
struct Ordered(Members);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Ordered;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Value>()? {
                    members.push(member);
                }
                Ok(Ordered(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_the_token_order() {
        let token = cosync_test_support::mint::app_token();
        let (header, claims) = segments(&token).unwrap();
        let names: Vec<&str> = claims.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["appId", "scope", "iat"]);
        assert_eq!(header[0].0, "alg");
    }

    #[test]
    fn families() {
        assert_eq!(family(&TokenKind::Access), Family::Server);
        assert_eq!(family(&TokenKind::UserJwt), Family::App);
        assert_eq!(family(&TokenKind::Unknown(None)), Family::Either);
    }
}
