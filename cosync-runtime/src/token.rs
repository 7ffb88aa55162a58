//! CoSync tokens: compact JWS decoding, classification of what was pasted, and the app token.

use std::borrow::Cow;
use std::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value};

/// Longest token accepted. Hosted app tokens are 650 characters; user JWTs with metadata a few
/// kilobytes at most.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The only algorithm CoSync uses, and the only one accepted.
pub const RS256: &str = "RS256";

/// One of the three dot-separated parts of a compact JWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Segment {
    /// The first part: the JOSE header.
    Header,
    /// The second part: the claims.
    Payload,
    /// The third part: the signature.
    Signature,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Header => "header (1st part)",
            Segment::Payload => "payload (2nd part)",
            Segment::Signature => "signature (3rd part)",
        })
    }
}

/// What kind of CoSync token a set of claims describes (COSYNC.md 1.10).
///
/// Used to explain mis-pastes: an access token or a server secret where the app token belongs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenKind {
    /// `scope: "app"`: the App Token from the Portal's Keys tab.
    App,
    /// `scope: "user"`: a user's access token (a credential of one signed-in user).
    Access,
    /// `handle` without `scope`: the login token of a two-factor login.
    Login,
    /// `aud` / `sub` / `exp`: a user JWT handed to MongoDB Realm.
    UserJwt,
    /// `scope: "server"`: the server secret of a CoSync Auth server (admin credential).
    ServerSecret,
    /// `scope: "appSecret"`: an app's secret (admin credential).
    AppSecret,
    /// `scope: "superuser"`: a 2020-era token no current server accepts.
    Superuser,
    /// `handle`, `uid`, `code`, `metaData`: the retired `signed-user-token`.
    SignedUserToken,
    /// Anything else; the scope, if there was a string one.
    Unknown(Option<String>),
}

impl TokenKind {
    /// Classifies a token by its claims.
    pub fn of_claims(claims: &Map<String, Value>) -> TokenKind {
        match claims.get("scope").and_then(Value::as_str) {
            Some("app") => TokenKind::App,
            Some("user") => TokenKind::Access,
            Some("server") => TokenKind::ServerSecret,
            Some("appSecret") => TokenKind::AppSecret,
            Some("superuser") => TokenKind::Superuser,
            Some(other) => TokenKind::Unknown(Some(other.chars().take(32).collect())),
            None if claims.contains_key("handle")
                && claims.contains_key("code")
                && claims.contains_key("metaData") =>
            {
                TokenKind::SignedUserToken
            }
            None if ["aud", "sub", "exp"]
                .iter()
                .any(|c| claims.contains_key(*c)) =>
            {
                TokenKind::UserJwt
            }
            None if claims.contains_key("handle") => TokenKind::Login,
            None => TokenKind::Unknown(None),
        }
    }

    /// A short human name, e.g. "an access token".
    pub fn describe(&self) -> &'static str {
        match self {
            TokenKind::App => "an app token",
            TokenKind::Access => "a user's access token",
            TokenKind::Login => "a two-factor login token",
            TokenKind::UserJwt => "a user JWT (the token MongoDB Realm receives)",
            TokenKind::ServerSecret => "a CoSync server secret",
            TokenKind::AppSecret => "a CoSync app secret",
            TokenKind::Superuser => "an obsolete 2020 superuser token",
            TokenKind::SignedUserToken => "a retired signed-user-token",
            TokenKind::Unknown(_) => "a token of unknown kind",
        }
    }

    /// Whether a token of this kind is a credential that must never be shown or shipped.
    ///
    /// Only app tokens are meant to be embedded in apps; anything else, including tokens of unknown
    /// kind, is treated as secret.
    pub fn is_secret(&self) -> bool {
        !matches!(self, TokenKind::App)
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Why a token was refused. Messages never contain the token's payload or signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Nothing but whitespace.
    #[error("the token is empty")]
    Empty,
    /// Longer than [`MAX_TOKEN_LEN`].
    #[error("the token is {len} characters long; tokens longer than {max} are refused")]
    TooLong {
        /// Length found.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A character outside base64url and `.`.
    #[error(
        "the token contains {found} at character {position}; tokens are base64url text (A–Z a–z 0–9 - _) in three parts joined by `.`"
    )]
    InvalidCharacter {
        /// 1-based character position.
        position: usize,
        /// A description of the character, e.g. "a space".
        found: String,
    },
    /// Not three dot-separated parts.
    #[error(
        "the token has {found} part(s); a JWT has exactly three joined by `.` (header.payload.signature)"
    )]
    WrongSegmentCount {
        /// Number of parts found.
        found: usize,
    },
    /// One of the parts is empty.
    #[error("the token's {segment} is empty")]
    EmptySegment {
        /// Which part.
        segment: Segment,
    },
    /// A part is not valid unpadded base64url.
    #[error("the token's {segment} is not valid base64url")]
    Base64 {
        /// Which part.
        segment: Segment,
    },
    /// The header or payload does not decode to a JSON object.
    #[error("the token's {segment} does not decode to a JSON object")]
    Json {
        /// Which part.
        segment: Segment,
    },
    /// No `alg` in the header.
    #[error("the token's header has no `alg`; CoSync tokens are always RS256")]
    MissingAlgorithm,
    /// `alg: none`: an unsigned token.
    #[error("the token is unsigned (`alg: none`); CoSync tokens are always RS256")]
    AlgorithmNone,
    /// An HMAC algorithm, the classic key-confusion attack on RSA verifiers.
    #[error(
        "the token uses {alg} (HMAC); CoSync tokens are always RS256, and accepting HMAC would let anyone who knows the public key forge tokens"
    )]
    HmacAlgorithm {
        /// The algorithm named.
        alg: String,
    },
    /// Any other algorithm.
    #[error("the token uses {alg}; CoSync tokens are always RS256")]
    UnsupportedAlgorithm {
        /// The algorithm named (shortened if long).
        alg: String,
    },
    /// A valid token of the wrong kind.
    #[error("this is {kind}, not an app token")]
    WrongKind {
        /// What the token is.
        kind: TokenKind,
    },
    /// No `appId` claim.
    #[error("the token has no `appId` claim")]
    MissingAppId,
    /// `appId` is not 32 lowercase hex characters.
    #[error("the token's `appId` {problem}; CoSync app ids are 32 lowercase hex characters")]
    InvalidAppId {
        /// What is wrong with it.
        problem: String,
    },
    /// No `iat` claim.
    #[error("the token has no `iat` (issued-at) claim")]
    MissingIssuedAt,
    /// A time claim that is not a non-negative integer.
    #[error("the token's `{claim}` claim is not a whole number of seconds")]
    InvalidTimeClaim {
        /// `iat`, `exp` or `nbf`.
        claim: &'static str,
    },
    /// `exp` is in the past.
    #[error("the token expired at {exp} (Unix time), before {now}")]
    Expired {
        /// The `exp` claim.
        exp: u64,
        /// The time it was checked against.
        now: u64,
    },
    /// `nbf` is in the future.
    #[error("the token is not valid before {nbf} (Unix time), after {now}")]
    NotYetValid {
        /// The `nbf` claim.
        nbf: u64,
        /// The time it was checked against.
        now: u64,
    },
}

/// A compact JWS split into its parts and decoded, without any signature check.
///
/// ```
/// use cosync_runtime::token::{DecodedToken, TokenKind};
///
/// let token = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6IjFiZDg2ZDIxZjY5MTQxMjc5MWRhMzQ1OTRmMjI5NGYyIiwic2NvcGUiOiJhcHAiLCJpYXQiOjE2NzkwNzQxNjR9.AAAA";
/// let decoded = DecodedToken::decode(token)?;
/// assert_eq!(decoded.algorithm(), Some("RS256"));
/// assert_eq!(decoded.kind(), TokenKind::App);
/// # Ok::<(), cosync_runtime::TokenError>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct DecodedToken {
    header: Map<String, Value>,
    claims: Map<String, Value>,
    signature: Vec<u8>,
    signing_input_len: usize,
    text: String,
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        '"' | '\'' => format!("a quote ({c})"),
        c if c.is_ascii_graphic() => format!("`{c}`"),
        c => format!("the character U+{:04X}", u32::from(c)),
    }
}

fn decode_segment(text: &str, segment: Segment) -> Result<Vec<u8>, TokenError> {
    if text.is_empty() {
        return Err(TokenError::EmptySegment { segment });
    }
    Base64UrlUnpadded::decode_vec(text).map_err(|_| TokenError::Base64 { segment })
}

fn decode_object(text: &str, segment: Segment) -> Result<Map<String, Value>, TokenError> {
    let bytes = decode_segment(text, segment)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(TokenError::Json { segment }),
    }
}

impl DecodedToken {
    /// Splits and decodes a compact JWS. Surrounding whitespace is ignored.
    pub fn decode(token: &str) -> Result<Self, TokenError> {
        let text = token.trim();
        if text.is_empty() {
            return Err(TokenError::Empty);
        }
        if text.len() > MAX_TOKEN_LEN {
            return Err(TokenError::TooLong {
                len: text.len(),
                max: MAX_TOKEN_LEN,
            });
        }
        if let Some((index, c)) = text
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            return Err(TokenError::InvalidCharacter {
                position: index + 1,
                found: describe_char(c),
            });
        }
        let parts: Vec<&str> = text.split('.').collect();
        let [header, payload, signature] = parts[..] else {
            return Err(TokenError::WrongSegmentCount { found: parts.len() });
        };
        let header_map = decode_object(header, Segment::Header)?;
        let claims = decode_object(payload, Segment::Payload)?;
        // An empty signature is left for the algorithm check to explain (`alg: none` tokens
        // end with a dot).
        let signature_bytes = if signature.is_empty() {
            Vec::new()
        } else {
            decode_segment(signature, Segment::Signature)?
        };
        Ok(DecodedToken {
            header: header_map,
            claims,
            signature: signature_bytes,
            signing_input_len: header.len() + 1 + payload.len(),
            text: text.to_owned(),
        })
    }

    /// The JOSE header.
    pub fn header(&self) -> &Map<String, Value> {
        &self.header
    }

    /// The claims.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// The header's `alg`, if it is a string.
    pub fn algorithm(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The decoded signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// `header.payload`, the bytes the signature covers.
    pub fn signing_input(&self) -> &str {
        &self.text[..self.signing_input_len]
    }

    /// The token text, trimmed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What kind of CoSync token this is.
    pub fn kind(&self) -> TokenKind {
        TokenKind::of_claims(&self.claims)
    }

    /// Refuses every algorithm but RS256, by name.
    pub fn require_rs256(&self) -> Result<(), TokenError> {
        let alg = match self.header.get("alg") {
            None | Some(Value::Null) => return Err(TokenError::MissingAlgorithm),
            Some(Value::String(alg)) => alg.as_str(),
            Some(_) => {
                return Err(TokenError::UnsupportedAlgorithm {
                    alg: "a non-string `alg`".to_owned(),
                });
            }
        };
        if alg == RS256 {
            return Ok(());
        }
        let shown: String = alg
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(16)
            .collect();
        if alg.eq_ignore_ascii_case("none") || alg.is_empty() {
            Err(TokenError::AlgorithmNone)
        } else if alg.to_ascii_uppercase().starts_with("HS") {
            Err(TokenError::HmacAlgorithm { alg: shown })
        } else {
            Err(TokenError::UnsupportedAlgorithm { alg: shown })
        }
    }

    /// A time claim (`iat`, `exp`, `nbf`) as whole seconds, `None` when absent.
    pub fn time_claim(&self, claim: &'static str) -> Result<Option<u64>, TokenError> {
        match self.claims.get(claim) {
            None => Ok(None),
            Some(value) => value
                .as_u64()
                .map(Some)
                .ok_or(TokenError::InvalidTimeClaim { claim }),
        }
    }

    /// Verifies the RS256 signature with `key`.
    ///
    /// This checks only the signature; call [`DecodedToken::require_rs256`] first.
    #[cfg(feature = "verify")]
    pub fn verify_signature(
        &self,
        key: &crate::PublicKey,
    ) -> Result<(), crate::verify::SignatureError> {
        key.verify_rs256(self.signing_input().as_bytes(), &self.signature)
    }
}

impl fmt::Debug for DecodedToken {
    /// Shows the header and the kind, never the claims or the signature, which may be secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodedToken")
            .field("header", &self.header)
            .field("kind", &self.kind())
            .finish_non_exhaustive()
    }
}

/// Checks an `appId` claim: 32 lowercase hex characters (a UUID v4 without its dashes).
pub fn check_app_id(app_id: &str) -> Result<(), TokenError> {
    let problem = if app_id.len() != 32 {
        format!("has {} characters", app_id.chars().count())
    } else if app_id
        .bytes()
        .any(|b| b.is_ascii_hexdigit() && b.is_ascii_uppercase())
        && app_id.bytes().all(|b| b.is_ascii_hexdigit())
    {
        "has uppercase letters".to_owned()
    } else if !app_id
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        "has characters that are not hex digits".to_owned()
    } else {
        return Ok(());
    };
    Err(TokenError::InvalidAppId { problem })
}

/// A CoSync **app token**: the `APP_TOKEN` the Portal's Keys tab shows.
///
/// Parsing checks the structure and the claims (RS256, `scope: "app"`, a valid `appId`, an integer
/// `iat`) but not the signature, which needs the *server's* key: see `AppToken::verify`
/// (feature `verify`). The tokens generated by `cosync_constants!()` were verified at compile time.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AppToken {
    text: Cow<'static, str>,
    app_id: Cow<'static, str>,
    issued_at: u64,
    expires_at: Option<u64>,
    not_before: Option<u64>,
}

impl AppToken {
    /// Parses and checks an app token (not its signature). Surrounding whitespace is ignored.
    pub fn parse(token: &str) -> Result<Self, TokenError> {
        let decoded = DecodedToken::decode(token)?;
        Self::from_decoded(&decoded)
    }

    /// Checks an already decoded token.
    pub fn from_decoded(decoded: &DecodedToken) -> Result<Self, TokenError> {
        decoded.require_rs256()?;
        if decoded.signature().is_empty() {
            return Err(TokenError::EmptySegment {
                segment: Segment::Signature,
            });
        }
        match decoded.kind() {
            TokenKind::App => {}
            kind => return Err(TokenError::WrongKind { kind }),
        }
        let app_id = match decoded.claims().get("appId") {
            None => return Err(TokenError::MissingAppId),
            Some(Value::String(id)) => id,
            Some(_) => {
                return Err(TokenError::InvalidAppId {
                    problem: "is not a string".to_owned(),
                });
            }
        };
        check_app_id(app_id)?;
        let issued_at = decoded
            .time_claim("iat")?
            .ok_or(TokenError::MissingIssuedAt)?;
        Ok(AppToken {
            text: Cow::Owned(decoded.as_str().to_owned()),
            app_id: Cow::Owned(app_id.clone()),
            issued_at,
            expires_at: decoded.time_claim("exp")?,
            not_before: decoded.time_claim("nbf")?,
        })
    }

    /// Parses an app token and verifies its signature with the CoSync server's public key.
    #[cfg(feature = "verify")]
    pub fn verify(token: &str, server_key: &crate::PublicKey) -> Result<Self, crate::VerifyError> {
        let decoded = DecodedToken::decode(token)?;
        let app_token = Self::from_decoded(&decoded)?;
        decoded.verify_signature(server_key)?;
        Ok(app_token)
    }

    #[doc(hidden)]
    /// Used by generated code for a token verified at compile time.
    pub const fn __from_verified(
        text: &'static str,
        app_id: &'static str,
        issued_at: u64,
        expires_at: Option<u64>,
        not_before: Option<u64>,
    ) -> Self {
        AppToken {
            text: Cow::Borrowed(text),
            app_id: Cow::Borrowed(app_id),
            issued_at,
            expires_at,
            not_before,
        }
    }

    /// Checks `exp` and `nbf` (if present; CoSync app tokens normally have neither) against `now`,
    /// in Unix seconds.
    pub fn check_time(&self, now: u64) -> Result<(), TokenError> {
        if let Some(exp) = self.expires_at
            && exp <= now
        {
            return Err(TokenError::Expired { exp, now });
        }
        if let Some(nbf) = self.not_before
            && nbf > now
        {
            return Err(TokenError::NotYetValid { nbf, now });
        }
        Ok(())
    }

    /// The token text, as sent in the `app-token` header.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The `appId` claim: 32 lowercase hex characters.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The `scope` claim, which is always `"app"` for an app token.
    pub fn scope(&self) -> &'static str {
        "app"
    }

    /// The `iat` claim, Unix seconds.
    pub fn issued_at(&self) -> u64 {
        self.issued_at
    }

    /// The `exp` claim if present (CoSync app tokens never expire).
    pub fn expires_at(&self) -> Option<u64> {
        self.expires_at
    }

    /// The `nbf` claim if present.
    pub fn not_before(&self) -> Option<u64> {
        self.not_before
    }
}

impl fmt::Debug for AppToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppToken")
            .field("app_id", &self.app_id)
            .field("issued_at", &self.issued_at)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for AppToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(json: &str) -> String {
        Base64UrlUnpadded::encode_string(json.as_bytes())
    }

    fn token(header: &str, payload: &str) -> String {
        format!("{}.{}.c2ln", b64(header), b64(payload))
    }

    const RS: &str = r#"{"alg":"RS256","typ":"JWT"}"#;
    const APP: &str =
        r#"{"appId":"1bd86d21f691412791da34594f2294f2","scope":"app","iat":1679074164}"#;

    #[test]
    fn parses_an_app_token() {
        let t = AppToken::parse(&format!("  {}\n", token(RS, APP))).unwrap();
        assert_eq!(t.app_id(), "1bd86d21f691412791da34594f2294f2");
        assert_eq!(t.issued_at(), 1679074164);
        assert_eq!(t.scope(), "app");
        assert!(!t.as_str().starts_with(' '));
    }

    #[test]
    fn refuses_other_algorithms_by_name() {
        for (alg, expected) in [
            ("none", TokenError::AlgorithmNone),
            ("NONE", TokenError::AlgorithmNone),
            (
                "HS256",
                TokenError::HmacAlgorithm {
                    alg: "HS256".into(),
                },
            ),
            (
                "RS512",
                TokenError::UnsupportedAlgorithm {
                    alg: "RS512".into(),
                },
            ),
            (
                "PS256",
                TokenError::UnsupportedAlgorithm {
                    alg: "PS256".into(),
                },
            ),
        ] {
            let header = format!(r#"{{"alg":"{alg}"}}"#);
            assert_eq!(
                AppToken::parse(&token(&header, APP)),
                Err(expected),
                "{alg}"
            );
        }
        assert_eq!(
            AppToken::parse(&token("{}", APP)),
            Err(TokenError::MissingAlgorithm)
        );
    }

    #[test]
    fn classifies_mis_pastes() {
        let cases = [
            (
                r#"{"handle":"a@b.c","appId":"x","scope":"user","iat":1}"#,
                TokenKind::Access,
            ),
            (
                r#"{"handle":"a@b.c","appId":"x","iat":1}"#,
                TokenKind::Login,
            ),
            (
                r#"{"aud":"none","sub":"a@b.c","exp":2,"iat":1}"#,
                TokenKind::UserJwt,
            ),
            (
                r#"{"name":"srv","scope":"server","iat":1}"#,
                TokenKind::ServerSecret,
            ),
            (
                r#"{"appId":"x","scope":"appSecret","iat":1}"#,
                TokenKind::AppSecret,
            ),
            (
                r#"{"uid":"u","appId":"x","scope":"superuser","iat":1}"#,
                TokenKind::Superuser,
            ),
        ];
        for (payload, kind) in cases {
            assert_eq!(
                AppToken::parse(&token(RS, payload)),
                Err(TokenError::WrongKind { kind: kind.clone() })
            );
            assert!(kind.is_secret());
        }
    }

    #[test]
    fn checks_app_id_and_iat() {
        let bad_ids = [
            (r#""1bd86d21""#, "has 8 characters"),
            (
                r#""1BD86D21F691412791DA34594F2294F2""#,
                "has uppercase letters",
            ),
            (
                r#""1bd86d21f691412791da34594f2294gz""#,
                "has characters that are not hex digits",
            ),
            ("42", "is not a string"),
        ];
        for (id, problem) in bad_ids {
            let payload = format!(r#"{{"appId":{id},"scope":"app","iat":1}}"#);
            assert_eq!(
                AppToken::parse(&token(RS, &payload)),
                Err(TokenError::InvalidAppId {
                    problem: problem.into()
                })
            );
        }
        assert_eq!(
            AppToken::parse(&token(RS, r#"{"scope":"app","iat":1}"#)),
            Err(TokenError::MissingAppId)
        );
        let no_iat = r#"{"appId":"1bd86d21f691412791da34594f2294f2","scope":"app"}"#;
        assert_eq!(
            AppToken::parse(&token(RS, no_iat)),
            Err(TokenError::MissingIssuedAt)
        );
        let float_iat = r#"{"appId":"1bd86d21f691412791da34594f2294f2","scope":"app","iat":1.5}"#;
        assert_eq!(
            AppToken::parse(&token(RS, float_iat)),
            Err(TokenError::InvalidTimeClaim { claim: "iat" })
        );
    }

    #[test]
    fn checks_time_claims() {
        let payload = r#"{"appId":"1bd86d21f691412791da34594f2294f2","scope":"app","iat":1,"exp":100,"nbf":50}"#;
        let t = AppToken::parse(&token(RS, payload)).unwrap();
        assert_eq!(t.check_time(60), Ok(()));
        assert_eq!(
            t.check_time(100),
            Err(TokenError::Expired { exp: 100, now: 100 })
        );
        assert_eq!(
            t.check_time(49),
            Err(TokenError::NotYetValid { nbf: 50, now: 49 })
        );
    }

    #[test]
    fn malformed_tokens_get_precise_errors() {
        assert_eq!(AppToken::parse(""), Err(TokenError::Empty));
        assert_eq!(
            AppToken::parse("abc.def"),
            Err(TokenError::WrongSegmentCount { found: 2 })
        );
        assert_eq!(
            AppToken::parse("abc def"),
            Err(TokenError::InvalidCharacter {
                position: 4,
                found: "a space".into()
            })
        );
        assert_eq!(
            AppToken::parse(&format!("{}.{}.", b64(RS), b64(APP))),
            Err(TokenError::EmptySegment {
                segment: Segment::Signature
            })
        );
        assert_eq!(
            AppToken::parse(&format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(APP))),
            Err(TokenError::AlgorithmNone)
        );
        assert_eq!(
            AppToken::parse(&format!("{}..sig", b64(RS))),
            Err(TokenError::EmptySegment {
                segment: Segment::Payload
            })
        );
        assert_eq!(
            AppToken::parse(&format!("{}.{}.c2ln", b64(RS), b64("not json"))),
            Err(TokenError::Json {
                segment: Segment::Payload
            })
        );
        assert_eq!(
            AppToken::parse(&format!("{}.{}.c2ln", b64(RS), "a")),
            Err(TokenError::Base64 {
                segment: Segment::Payload
            })
        );
        let long = "a".repeat(MAX_TOKEN_LEN + 1);
        assert!(matches!(
            AppToken::parse(&long),
            Err(TokenError::TooLong { .. })
        ));
    }

    #[test]
    fn debug_never_shows_the_token_text() {
        let text = token(RS, APP);
        let t = AppToken::parse(&text).unwrap();
        let debug = format!("{t:?}");
        assert!(!debug.contains(&text[40..]), "{debug}");
        let decoded = DecodedToken::decode(&text).unwrap();
        assert!(!format!("{decoded:?}").contains("1bd86d21"));
    }
}
