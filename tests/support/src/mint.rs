//! Signs fixture tokens with the fixture keys. TEST-ONLY.

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use hmac::{KeyInit, Mac};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::signature::{SignatureEncoding, Signer};
use sha2::{Digest, Sha256, Sha512};

/// `{"alg":"RS256","typ":"JWT"}`, exactly as CoSync writes it.
pub const RS256_HEADER: &str = r#"{"alg":"RS256","typ":"JWT"}"#;

/// The `appId` of fixture app tokens.
pub const FIXTURE_APP_ID: &str = "5c2a8e4b1f3d4a6e9b7c0d1e2f3a4b5c";
/// The `iat` of fixture app tokens (2025-12-01T00:00:00Z).
pub const FIXTURE_IAT: u64 = 1_764_547_200;

fn private_key(pem: &str) -> rsa::PrivateKey {
    rsa::PrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| rsa::PrivateKey::from_pkcs1_pem(pem))
        .expect("fixture private key parses")
}

/// base64url without padding.
pub fn b64url(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// `header.payload` for JSON texts, exactly as given (key order preserved).
pub fn signing_input(header: &str, payload: &str) -> String {
    format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(payload.as_bytes())
    )
}

/// An RS256 token over `header`/`payload` signed with a PEM private key.
pub fn rs256(header: &str, payload: &str, private_pem: &str) -> String {
    let input = signing_input(header, payload);
    let key = rsa::pkcs1v15::SigningKey::<Sha256>::new(private_key(private_pem));
    let signature = key.sign(input.as_bytes()).to_vec();
    format!("{input}.{}", b64url(&signature))
}

/// An RS512 token (a valid RSA signature, but not CoSync's algorithm).
pub fn rs512(header: &str, payload: &str, private_pem: &str) -> String {
    let input = signing_input(header, payload);
    let key = rsa::pkcs1v15::SigningKey::<Sha512>::new(private_key(private_pem));
    let signature = key.sign(input.as_bytes()).to_vec();
    format!("{input}.{}", b64url(&signature))
}

/// An HS256 token keyed with `secret` (the key-confusion attack uses the public key's PEM).
pub fn hs256(header: &str, payload: &str, secret: &[u8]) -> String {
    let input = signing_input(header, payload);
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(input.as_bytes());
    format!("{input}.{}", b64url(&mac.finalize().into_bytes()))
}

/// A CoSync app-token payload, claims in the server's order.
pub fn app_payload(app_id: &str, iat: u64) -> String {
    format!(r#"{{"appId":"{app_id}","scope":"app","iat":{iat}}}"#)
}

/// The fixture app token: [`FIXTURE_APP_ID`], [`FIXTURE_IAT`], signed by the fixture server key.
pub fn app_token() -> String {
    rs256(
        RS256_HEADER,
        &app_payload(FIXTURE_APP_ID, FIXTURE_IAT),
        crate::keys::SERVER_PRIVATE,
    )
}

/// The public key of a private PEM as SPKI DER, via the `rsa` crate (independent of cosync's own
/// encoder, so the two check each other).
pub fn public_der(private_pem: &str) -> Vec<u8> {
    rsa::PublicKey::from(&private_key(private_pem))
        .to_public_key_der()
        .expect("encode")
        .as_bytes()
        .to_vec()
}

/// SHA-256 of SPKI DER, lowercase hex.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// CoSync's raw form of an OpenSSL-written PEM: base64 of the text without its trailing newline.
pub fn raw_of_pem(pem: &str) -> String {
    Base64::encode_string(pem.trim_end().as_bytes())
}

/// Decodes unpadded base64url (panics on invalid input: fixtures only).
pub fn b64url_decode(text: &str) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(text).expect("valid base64url")
}
