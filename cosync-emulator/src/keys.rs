//! RSA keys: generation, PEM import/export in the exact shapes the real server produces.

use base64ct::{Base64, Encoding};
use rsa::PrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;

/// Size of the server key that signs app tokens, access tokens and login tokens (hosted servers
/// use 3072-bit keys, COSYNC.md 0.10).
pub const SERVER_KEY_BITS: usize = 3072;
/// Size of each app's key that signs user JWTs (`node-rsa` default, COSYNC.md 1.1).
pub const APP_KEY_BITS: usize = 2048;

/// Why a key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Not a PEM private key the emulator understands.
    #[error(
        "not an unencrypted RSA private key in PEM form (expected `-----BEGIN PRIVATE KEY-----` or `-----BEGIN RSA PRIVATE KEY-----`)"
    )]
    UnreadablePrivateKey,
    /// A passphrase-protected key.
    #[error(
        "encrypted private keys are not supported; decrypt it first (e.g. `openssl pkey -in KEY -out plain.pem`)"
    )]
    Encrypted,
    /// Smaller than CoSync clients accept.
    #[error("RSA key is {bits} bits; at least 2048 bits are required")]
    TooSmall {
        /// The key's modulus size.
        bits: usize,
    },
    /// The RSA library failed (generation, encoding).
    #[error("RSA operation failed: {0}")]
    Rsa(String),
}

/// Generates a fresh key with e = 65537.
pub fn generate(bits: usize) -> Result<PrivateKey, KeyError> {
    let mut rng = rand::rng();
    PrivateKey::new(&mut rng, bits).map_err(|e| KeyError::Rsa(e.to_string()))
}

/// Reads a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM private key.
pub fn parse_private_pem(pem: &str) -> Result<PrivateKey, KeyError> {
    let pem = pem.trim().replace("\r\n", "\n");
    if pem.contains("ENCRYPTED") {
        return Err(KeyError::Encrypted);
    }
    let key = PrivateKey::from_pkcs8_pem(&pem)
        .or_else(|_| PrivateKey::from_pkcs1_pem(&pem))
        .map_err(|_| KeyError::UnreadablePrivateKey)?;
    let bits = key.size() * 8;
    if bits < 2048 {
        return Err(KeyError::TooSmall { bits });
    }
    Ok(key)
}

/// PKCS#8 PEM of a private key (how the emulator stores keys).
pub fn private_pem(key: &PrivateKey) -> Result<String, KeyError> {
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| KeyError::Rsa(e.to_string()))
}

/// SPKI PEM of the public half: 64-column body, `\n` line ends and no trailing newline, exactly
/// like `node-rsa`'s `pkcs8-public-pem` output that the Portal shows.
pub fn public_pem(key: &PrivateKey) -> Result<String, KeyError> {
    key.to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map(|pem| pem.trim_end().to_owned())
        .map_err(|e| KeyError::Rsa(e.to_string()))
}

/// The Portal's "raw public key": standard base64 of the PEM text (COSYNC.md 2.1).
pub fn raw_public_key(public_pem: &str) -> String {
    Base64::encode_string(public_pem.as_bytes())
}

/// Modulus size in bits.
pub fn bits(key: &PrivateKey) -> usize {
    key.size() * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP_KEY: &str = include_str!("../tests/fixtures/TEST-ONLY-app-a-2048.pem");
    const SERVER_KEY: &str = include_str!("../tests/fixtures/TEST-ONLY-server-3072.pem");

    #[test]
    fn reads_pkcs1_and_pkcs8() {
        assert_eq!(bits(&parse_private_pem(APP_KEY).unwrap()), 2048);
        assert_eq!(bits(&parse_private_pem(SERVER_KEY).unwrap()), 3072);
        let crlf = SERVER_KEY.replace('\n', "\r\n");
        assert!(parse_private_pem(&crlf).is_ok());
    }

    #[test]
    fn rejects_garbage_and_public_keys() {
        assert!(matches!(
            parse_private_pem("hello"),
            Err(KeyError::UnreadablePrivateKey)
        ));
        let public = public_pem(&parse_private_pem(APP_KEY).unwrap()).unwrap();
        assert!(parse_private_pem(&public).is_err());
        assert!(matches!(
            parse_private_pem(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"
            ),
            Err(KeyError::Encrypted)
        ));
    }

    #[test]
    fn public_pem_has_node_rsa_shape() {
        let pem = public_pem(&parse_private_pem(APP_KEY).unwrap()).unwrap();
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert!(pem.ends_with("\n-----END PUBLIC KEY-----"));
        let body: Vec<&str> = pem
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with("-----"))
            .collect();
        assert!(body[..body.len() - 1].iter().all(|l| l.len() == 64));
        assert!(!pem.contains('\r'));
        let raw = raw_public_key(&pem);
        assert_eq!(Base64::decode_vec(&raw).unwrap(), pem.as_bytes());
    }

    #[test]
    fn private_pem_round_trips() {
        let key = parse_private_pem(APP_KEY).unwrap();
        let again = parse_private_pem(&private_pem(&key).unwrap()).unwrap();
        assert_eq!(key, again);
    }
}
