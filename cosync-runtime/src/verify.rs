//! RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature verification, in pure Rust.

use rsa::{BoxedUint, Pkcs1v15Sign};
use sha2::{Digest, Sha256};

use crate::{PublicKey, TokenError};

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature's length is not the key's modulus length, so another key made it (or it was
    /// cut short).
    #[error(
        "the signature is {found} bytes but the key is {expected} bytes: it was made with a key of another size, or it is truncated"
    )]
    Length {
        /// The modulus length in bytes.
        expected: usize,
        /// The signature length in bytes.
        found: usize,
    },
    /// The signature does not match: another key signed it, or the token was altered.
    #[error("the signature does not verify: the token was altered or signed by another key")]
    Mismatch,
}

/// A token that failed to parse or to verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token is malformed or has the wrong claims.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The signature does not verify.
    #[error(transparent)]
    Signature(#[from] SignatureError),
}

impl PublicKey {
    /// Verifies an RS256 signature over `message`.
    pub fn verify_rs256(&self, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        let expected = self.modulus().len();
        if signature.len() != expected {
            return Err(SignatureError::Length {
                expected,
                found: signature.len(),
            });
        }
        let key = rsa::PublicKey::new(
            BoxedUint::from_be_slice_vartime(self.modulus()),
            BoxedUint::from_be_slice_vartime(self.exponent()),
        )
        // Every PublicKey constructor enforces what rsa checks here (size, odd modulus,
        // exponent range), so this cannot fail; treat it as a mismatch rather than panic.
        .map_err(|_| SignatureError::Mismatch)?;
        let digest = Sha256::digest(message);
        key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, signature)
            .map_err(|_| SignatureError::Mismatch)
    }
}
