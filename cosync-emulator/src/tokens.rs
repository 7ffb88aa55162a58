//! Compact RS256 JWS tokens made and checked the way `jsonwebtoken` 8.x does on the real server:
//! header exactly `{"alg":"RS256","typ":"JWT"}`, claims in insertion order, `iat` appended last.

use base64ct::{Base64UrlUnpadded, Encoding};
use rsa::sha2::Sha256;
use rsa::{PrivateKey, PublicKey};

use crate::json::Json;

/// The only header CoSync ever writes (base64url `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9`).
pub const HEADER: &str = r#"{"alg":"RS256","typ":"JWT"}"#;

/// Why a presented token was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Not three base64url segments with a JSON header and a JSON object payload.
    #[error("malformed token")]
    Malformed,
    /// The header's `alg` is not RS256.
    #[error("unsupported algorithm")]
    Algorithm,
    /// The signature does not verify with the expected key.
    #[error("invalid signature")]
    Signature,
    /// `exp` is in the past or `nbf` in the future.
    #[error("token expired or not yet valid")]
    Expired,
    /// Signing failed.
    #[error("signing failed: {0}")]
    Signing(String),
}

/// Signs `claims` (an object) after appending `iat` unless it already has one.
pub fn sign(key: &PrivateKey, claims: &Json, iat: i64) -> Result<String, TokenError> {
    let mut claims = claims.clone();
    if claims.get("iat").is_none() {
        claims.insert("iat", Json::from(iat));
    }
    let signing_input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(HEADER.as_bytes()),
        Base64UrlUnpadded::encode_string(claims.to_json_string().as_bytes())
    );
    let signature = key
        .pkcs1v15_sign::<Sha256>(signing_input.as_bytes())
        .map_err(|e| TokenError::Signing(e.to_string()))?;
    Ok(format!(
        "{signing_input}.{}",
        Base64UrlUnpadded::encode_string(&signature)
    ))
}

/// Verifies an RS256 token with `key` and returns its claims. `now` (seconds) checks `exp`/`nbf`
/// when present, as `jsonwebtoken.verify` does.
pub fn verify(key: &PublicKey, token: &str, now: i64) -> Result<Json, TokenError> {
    let token = token.trim();
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let header_json = decode_json(header)?;
    if header_json.get("alg").and_then(Json::as_str) != Some("RS256") {
        return Err(TokenError::Algorithm);
    }
    let signature = Base64UrlUnpadded::decode_vec(signature).map_err(|_| TokenError::Malformed)?;
    let signing_input = &token[..header.len() + 1 + payload.len()];
    key.pkcs1v15_verify::<Sha256>(signing_input.as_bytes(), &signature)
        .map_err(|_| TokenError::Signature)?;
    let claims = decode_json(payload)?;
    if !matches!(claims, Json::Object(_)) {
        return Err(TokenError::Malformed);
    }
    let number = |name| {
        claims.get(name).and_then(|v| match v {
            Json::Number(n) => n.as_f64(),
            _ => None,
        })
    };
    if number("exp").is_some_and(|exp| (now as f64) >= exp)
        || number("nbf").is_some_and(|nbf| (now as f64) < nbf)
    {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

/// Reads the claims without checking anything (for tokens the emulator itself is about to
/// compare, e.g. in tests and diagnostics).
pub fn decode_claims(token: &str) -> Result<Json, TokenError> {
    let payload = token.split('.').nth(1).ok_or(TokenError::Malformed)?;
    decode_json(payload)
}

fn decode_json(segment: &str) -> Result<Json, TokenError> {
    let bytes = Base64UrlUnpadded::decode_vec(segment).map_err(|_| TokenError::Malformed)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| TokenError::Malformed)?;
    Json::parse(text).map_err(|_| TokenError::Malformed)
}

/// App token claims (1.2): `appId`, `scope:"app"` (then `iat`).
pub fn app_token_claims(app_id: &str) -> Json {
    Json::Object(vec![
        ("appId".into(), app_id.into()),
        ("scope".into(), "app".into()),
    ])
}

/// Access token claims (1.4): `handle`, `appId`, `scope:"user"` (then `iat`).
pub fn access_token_claims(handle: &str, app_id: &str) -> Json {
    Json::Object(vec![
        ("handle".into(), handle.into()),
        ("appId".into(), app_id.into()),
        ("scope".into(), "user".into()),
    ])
}

/// Login token claims (1.5): `handle`, `appId`, no scope (then `iat`).
pub fn login_token_claims(handle: &str, app_id: &str) -> Json {
    Json::Object(vec![
        ("handle".into(), handle.into()),
        ("appId".into(), app_id.into()),
    ])
}

/// Server secret claims (1.6): `name`, `scope:"server"` (then `iat`).
pub fn server_secret_claims(name: &str) -> Json {
    Json::Object(vec![
        ("name".into(), name.into()),
        ("scope".into(), "server".into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::parse_private_pem;

    fn key() -> PrivateKey {
        parse_private_pem(include_str!("../tests/fixtures/TEST-ONLY-app-a-2048.pem")).unwrap()
    }

    #[test]
    fn signs_with_exact_header_and_iat_last() {
        let key = key();
        let token = sign(
            &key,
            &app_token_claims("0123456789abcdef0123456789abcdef"),
            1_700_000_000,
        )
        .unwrap();
        assert!(token.starts_with("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."));
        let payload = token.split('.').nth(1).unwrap();
        let text = String::from_utf8(Base64UrlUnpadded::decode_vec(payload).unwrap()).unwrap();
        assert_eq!(
            text,
            r#"{"appId":"0123456789abcdef0123456789abcdef","scope":"app","iat":1700000000}"#
        );
        let claims = verify(&key.to_public_key(), &token, 1_700_000_000).unwrap();
        assert_eq!(claims.get("scope"), Some(&Json::from("app")));
    }

    #[test]
    fn refuses_tampering_other_keys_and_expiry() {
        let key = key();
        let other =
            parse_private_pem(include_str!("../tests/fixtures/TEST-ONLY-app-b-2048.pem")).unwrap();
        let token = sign(&key, &login_token_claims("a@b.c", "x"), 10).unwrap();
        assert_eq!(
            verify(&other.to_public_key(), &token, 10),
            Err(TokenError::Signature)
        );
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        parts[1] = Base64UrlUnpadded::encode_string(br#"{"handle":"evil","appId":"x","iat":10}"#);
        assert_eq!(
            verify(&key.to_public_key(), &parts.join("."), 10),
            Err(TokenError::Signature)
        );
        assert_eq!(
            verify(&key.to_public_key(), "a.b", 10),
            Err(TokenError::Malformed)
        );
        assert_eq!(
            verify(&key.to_public_key(), "", 10),
            Err(TokenError::Malformed)
        );
        let none_alg = format!(
            "{}.{}.",
            Base64UrlUnpadded::encode_string(br#"{"alg":"none"}"#),
            parts[1]
        );
        assert_eq!(
            verify(&key.to_public_key(), &none_alg, 10),
            Err(TokenError::Algorithm)
        );
        let expiring = Json::Object(vec![("exp".into(), Json::from(100_i64))]);
        let token = sign(&key, &expiring, 10).unwrap();
        assert!(verify(&key.to_public_key(), &token, 99).is_ok());
        assert_eq!(
            verify(&key.to_public_key(), &token, 100),
            Err(TokenError::Expired)
        );
    }
}
