//! Reading a request the way the real server's Express stack does: the auth middleware first
//! (COSYNC.md 3.2), then the JSON / form body parsers (3.3).

use axum::http::{HeaderMap, Method, StatusCode};

use crate::core::Core;
use crate::json::Json;
use crate::reply::Code;

/// Express's default body limit.
pub(crate) const BODY_LIMIT: usize = 100 * 1024;

/// The token scope the middleware accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    App,
    User,
    Server,
}

/// Where the accepted token came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthSource {
    None,
    Header,
    Query,
}

/// What the middleware learned from the request's token.
#[derive(Clone, Debug)]
pub(crate) struct Auth {
    pub scope: Option<Scope>,
    pub app_id: Option<String>,
    pub handle: Option<String>,
    pub source: AuthSource,
}

/// The middleware's refusal: HTTP status and code.
#[derive(Debug)]
pub(crate) struct Rejection {
    pub status: StatusCode,
    pub code: Code,
}

/// Applies the middleware rules: the **first non-empty** of `server-secret`, `app-token`,
/// `access-token`, query `appToken` decides; a present-but-invalid token is refused.
pub(crate) fn authenticate(
    core: &Core,
    headers: &HeaderMap,
    query: &Json,
) -> Result<Auth, Rejection> {
    let reject = |code| Rejection {
        status: StatusCode::BAD_REQUEST,
        code,
    };
    if let Some(secret) = header_text(headers, "server-secret") {
        let claims = secret
            .and_then(|t| core.verify_server_token(&t).ok())
            .ok_or(reject(Code::Internal))?;
        if claims.get("scope").and_then(Json::as_str) != Some("server") {
            return Err(reject(Code::Internal));
        }
        return Ok(Auth {
            scope: Some(Scope::Server),
            app_id: None,
            handle: None,
            source: AuthSource::Header,
        });
    }
    if let Some(token) = header_text(headers, "app-token") {
        return app_auth(core, token.as_deref(), AuthSource::Header)
            .ok_or(reject(Code::InvalidAppToken));
    }
    if let Some(token) = header_text(headers, "access-token") {
        let claims = token
            .and_then(|t| core.verify_server_token(&t).ok())
            .filter(|c| c.get("scope").and_then(Json::as_str) == Some("user"))
            .ok_or(reject(Code::InvalidAccessToken))?;
        return Ok(Auth {
            scope: Some(Scope::User),
            app_id: claims
                .get("appId")
                .and_then(Json::as_str)
                .map(str::to_owned),
            handle: claims
                .get("handle")
                .and_then(Json::as_str)
                .map(str::to_owned),
            source: AuthSource::Header,
        });
    }
    if let Some(value) = query.get("appToken").filter(|v| v.is_truthy()) {
        return app_auth(core, value.as_str(), AuthSource::Query)
            .ok_or(reject(Code::InvalidAppToken));
    }
    Ok(Auth {
        scope: None,
        app_id: None,
        handle: None,
        source: AuthSource::None,
    })
}

/// Verifies an app token: signed by the server key with `scope:"app"`.
pub(crate) fn app_auth(core: &Core, token: Option<&str>, source: AuthSource) -> Option<Auth> {
    let claims = core.verify_server_token(token?).ok()?;
    if claims.get("scope").and_then(Json::as_str) != Some("app") {
        return None;
    }
    Some(Auth {
        scope: Some(Scope::App),
        app_id: claims
            .get("appId")
            .and_then(Json::as_str)
            .map(str::to_owned),
        handle: None,
        source,
    })
}

/// `None` if the header is absent or empty (falsy in Express); otherwise the value, with repeated
/// headers joined by `, ` as Node does (such a token then fails to verify). `Some(None)` when the
/// bytes are not text.
fn header_text(headers: &HeaderMap, name: &str) -> Option<Option<String>> {
    let values: Vec<_> = headers.get_all(name).iter().collect();
    if values.iter().all(|v| v.is_empty()) {
        return None;
    }
    let texts: Option<Vec<&str>> = values.iter().map(|v| v.to_str().ok()).collect();
    Some(texts.map(|t| t.join(", ")))
}

/// Parses a query string or form body (Node `querystring`: `+` is a space, repeated keys become
/// arrays, bad escapes stay as they are).
pub(crate) fn parse_form(text: &[u8]) -> Json {
    let mut object = Json::object();
    for (key, value) in form_urlencoded::parse(text) {
        let value = Json::String(value.into_owned());
        match object.get(&key).cloned() {
            None => object.insert(&key, value),
            Some(Json::Array(mut items)) => {
                items.push(value);
                object.insert(&key, Json::Array(items));
            }
            Some(first) => object.insert(&key, Json::Array(vec![first, value])),
        }
    }
    object
}

/// Parses a body by content type. `Err(())` is what Express turns into the catch-all answer
/// (malformed JSON, JSON that is not an object or array, non-UTF-8 JSON).
pub(crate) fn parse_body(content_type: Option<&str>, bytes: &[u8]) -> Result<Json, ()> {
    let essence = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match essence.as_str() {
        "application/json" => {
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(Json::object());
            }
            let text = std::str::from_utf8(bytes).map_err(|_| ())?;
            // body-parser's strict mode accepts only objects and arrays.
            if !matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'[')) {
                return Err(());
            }
            match Json::parse(text).map_err(|_| ())? {
                object @ Json::Object(_) => Ok(object),
                _ => Ok(Json::object()),
            }
        }
        "application/x-www-form-urlencoded" => Ok(parse_form(bytes)),
        _ => Ok(Json::object()),
    }
}

/// A parsed app-facing request.
#[derive(Debug)]
pub(crate) struct ApiRequest {
    pub method: Method,
    pub auth: Auth,
    pub body: Json,
    pub query: Json,
}

/// A parameter read as the server reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    /// Absent or falsy (`undefined`, `null`, `""`, `false`, `0`).
    Missing,
    /// A non-empty string.
    Text(&'a str),
    /// Truthy but not a string (JSON number, `true`, array, object).
    Other(&'a Json),
}

impl Param<'_> {
    pub(crate) fn is_present(&self) -> bool {
        !matches!(self, Param::Missing)
    }
}

fn param<'a>(source: &'a Json, name: &str) -> Param<'a> {
    match source.get(name) {
        Some(v) if v.is_truthy() => match v {
            Json::String(s) => Param::Text(s),
            other => Param::Other(other),
        },
        _ => Param::Missing,
    }
}

impl ApiRequest {
    /// A body parameter.
    pub(crate) fn body(&self, name: &str) -> Param<'_> {
        param(&self.body, name)
    }

    /// A query parameter.
    pub(crate) fn query(&self, name: &str) -> Param<'_> {
        param(&self.query, name)
    }

    /// The raw body value (for JS coercions of codes).
    pub(crate) fn body_value(&self, name: &str) -> &Json {
        self.body.get(name).unwrap_or(&Json::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_like_node() {
        let f = parse_form(b"handle=a%2Bb%40x.com&password=p+q&x=1&x=2");
        assert_eq!(f.get("handle"), Some(&Json::from("a+b@x.com")));
        assert_eq!(f.get("password"), Some(&Json::from("p q")));
        assert_eq!(f.get("x"), Some(&Json::Array(vec!["1".into(), "2".into()])));
    }

    #[test]
    fn bodies_by_content_type() {
        assert!(
            parse_body(Some("application/json"), b"{\"a\":1}")
                .unwrap()
                .get("a")
                .is_some()
        );
        assert!(
            parse_body(Some("application/json; charset=utf-8"), b"[1]")
                .unwrap()
                .get("a")
                .is_none()
        );
        assert!(parse_body(Some("application/json"), b"{bad").is_err());
        assert!(parse_body(Some("application/json"), b"\"str\"").is_err());
        assert_eq!(
            parse_body(Some("application/json"), b"").unwrap(),
            Json::object()
        );
        assert_eq!(
            parse_body(Some("text/plain"), b"handle=x").unwrap(),
            Json::object()
        );
        assert_eq!(parse_body(None, b"handle=x").unwrap(), Json::object());
        assert!(
            parse_body(Some("application/x-www-form-urlencoded"), b"handle=x")
                .unwrap()
                .get("handle")
                .is_some()
        );
    }
}
