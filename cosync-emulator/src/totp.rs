//! Google Authenticator two-factor codes: RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30-second steps)
//! with secrets formatted like the npm `authenticator` package the real server uses.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Seconds per TOTP step.
pub const PERIOD: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;

/// A new 20-byte secret as `authenticator.generateKey()` prints it: lowercase base32 in groups of
/// four separated by spaces (`acqo ua72 d3yf a4e5 uorx ztkh j2xl 3wiz`).
pub fn generate_secret() -> String {
    let mut bytes = [0_u8; 20];
    rand::fill(&mut bytes);
    format_secret(&bytes)
}

/// Formats secret bytes the `authenticator` way.
pub fn format_secret(bytes: &[u8]) -> String {
    let encoded = base32_encode(bytes).to_ascii_lowercase();
    encoded
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The secret bytes of a formatted (or plain, any-case) base32 key.
pub fn decode_secret(formatted: &str) -> Option<Vec<u8>> {
    let cleaned: String = formatted
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '='))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    base32_decode(&cleaned)
}

/// The 6-digit code for `secret` at Unix time `now`.
pub fn code_at(secret: &[u8], now: i64) -> String {
    hotp(secret, now.div_euclid(PERIOD))
}

/// Checks a user-entered code against the current step and one step either side (the window
/// `authenticator.verifyToken` allows). Spaces and dashes in the code are ignored.
pub fn verify(formatted_secret: &str, code: &str, now: i64) -> bool {
    let Some(secret) = decode_secret(formatted_secret) else {
        return false;
    };
    let code: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
    if code.len() != DIGITS as usize {
        return false;
    }
    let step = now.div_euclid(PERIOD);
    (step - 1..=step + 1).any(|s| hotp(&secret, s) == code)
}

/// The `otpauth://` URI the QR code carries, as `authenticator.generateTotpUri` builds it.
pub fn otpauth_uri(formatted_secret: &str, account: &str, issuer: &str) -> String {
    let secret: String = formatted_secret
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '_' | '-'))
        .collect::<String>()
        .to_ascii_uppercase();
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={PERIOD}",
        encode_uri(issuer, false),
        encode_uri(account, false),
        encode_uri(issuer, true)
    )
}

fn hotp(secret: &[u8], counter: i64) -> String {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", binary % 10_u32.pow(DIGITS))
}

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0_u32, 0_u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0_u32, 0_u32);
    for c in text.bytes() {
        let value = BASE32.iter().position(|&a| a == c)? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    (!out.is_empty()).then_some(out)
}

// JavaScript's encodeURI (component = false) / encodeURIComponent (component = true).
fn encode_uri(text: &str, component: bool) -> String {
    const UNRESERVED: &str = "-_.!~*'()";
    const RESERVED: &str = ";,/?:@&=+$#";
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric()
            || UNRESERVED.contains(c)
            || (!component && RESERVED.contains(c))
        {
            out.push(c);
        } else {
            let mut buf = [0_u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (8-digit values truncated to 6).
    #[test]
    fn rfc6238_vectors() {
        let seed = b"12345678901234567890";
        assert_eq!(code_at(seed, 59), "287082");
        assert_eq!(code_at(seed, 1_111_111_109), "081804");
        assert_eq!(code_at(seed, 1_234_567_890), "005924");
        assert_eq!(code_at(seed, 20_000_000_000), "353130");
    }

    #[test]
    fn secret_format_and_round_trip() {
        let s = generate_secret();
        assert_eq!(s.len(), 39, "{s}");
        assert!(s.split(' ').all(|g| g.len() == 4));
        assert!(
            s.chars()
                .all(|c| c == ' ' || c.is_ascii_lowercase() || ('2'..='7').contains(&c))
        );
        assert_eq!(decode_secret(&s).unwrap().len(), 20);
        assert_eq!(format_secret(&decode_secret(&s).unwrap()), s);
    }

    #[test]
    fn verify_allows_one_step_either_side() {
        let s = generate_secret();
        let secret = decode_secret(&s).unwrap();
        let now = 1_800_000_000;
        assert!(verify(&s, &code_at(&secret, now), now));
        assert!(verify(&s, &code_at(&secret, now - 30), now));
        assert!(verify(&s, &code_at(&secret, now + 30), now));
        assert!(!verify(&s, &code_at(&secret, now - 90), now));
        assert!(!verify(&s, "12345", now));
    }

    #[test]
    fn uri_like_authenticator() {
        let uri = otpauth_uri("abcd efgh", "ann+x@example.com", "My App");
        assert_eq!(
            uri,
            "otpauth://totp/My%20App:ann+x@example.com?secret=ABCDEFGH&issuer=My%20App&algorithm=SHA1&digits=6&period=30"
        );
    }
}
