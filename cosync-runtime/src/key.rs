//! RSA public keys in every form the CoSync Portal shows them.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use base64ct::{Base64, Encoding};
use sha2::{Digest, Sha256};

use crate::der::{self, DerKey, DerProblem};
use crate::pem::{self, PemProblem};

/// The smallest modulus CoSync accepts. The server generates 2048-bit app keys and 3072-bit
/// server keys; anything smaller is breakable and was never issued by CoSync.
pub const MIN_BITS: u32 = 2048;
/// The largest modulus accepted (the limit of the RSA implementation used for verification).
pub const MAX_BITS: u32 = 8192;

const LABEL_SPKI: &str = "PUBLIC KEY";
const LABEL_PKCS1: &str = "RSA PUBLIC KEY";

/// An RSA public key: a CoSync app's *Realm public key* (which verifies user JWTs) or a CoSync
/// server's key (which verifies app tokens).
///
/// A `PublicKey` always holds a usable RSA key of [`MIN_BITS`] to [`MAX_BITS`] bits with an odd
/// modulus and an odd exponent of at least 3; every constructor checks that. Generated code builds
/// it with the `const` [`PublicKey::from_static_components`], so nothing is parsed at run time.
///
/// ```
/// use cosync_runtime::PublicKey;
///
/// # let pem = include_str!("../../tests/fixtures/keys/app.pub.pem");
/// let key: PublicKey = pem.parse()?;
/// assert_eq!(key.bits(), 2048);
/// let again = PublicKey::from_raw(&key.to_raw())?;
/// assert_eq!(key, again);
/// # Ok::<(), cosync_runtime::KeyError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PublicKey {
    modulus: Cow<'static, [u8]>,
    exponent: Cow<'static, [u8]>,
}

/// The form a key was written in, as found by [`PublicKey::parse_with_format`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyFormat {
    /// `-----BEGIN PUBLIC KEY-----` (X.509 SubjectPublicKeyInfo), what the Portal shows.
    SpkiPem,
    /// `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1).
    Pkcs1Pem,
    /// The Portal's "Show Raw Key" form: standard base64 of the PEM text.
    Raw,
    /// Base64 of the DER bytes, i.e. a PEM body without its BEGIN/END lines. Not CoSync's raw form,
    /// but unambiguous, so it is accepted.
    Base64Der,
    /// Binary DER (SPKI or PKCS#1).
    Der,
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyFormat::SpkiPem => "PEM (SPKI)",
            KeyFormat::Pkcs1Pem => "PEM (PKCS#1)",
            KeyFormat::Raw => "raw (base64 of PEM)",
            KeyFormat::Base64Der => "base64 DER",
            KeyFormat::Der => "DER",
        })
    }
}

/// Why a key was refused. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Nothing but whitespace.
    #[error("the key is empty")]
    Empty,
    /// A private key. It is refused without being echoed anywhere.
    #[error(
        "this is a PRIVATE key; only the public key belongs in an app (never ship a private key)"
    )]
    PrivateKey,
    /// An X.509 certificate.
    #[error("this is a certificate, not a public key")]
    Certificate,
    /// An OpenSSH `ssh-rsa AAAA…` line.
    #[error("this is an OpenSSH public key line, not a PEM or raw key")]
    OpenSsh,
    /// A key of another algorithm.
    #[error("this is an {algorithm} key, but CoSync keys are RSA")]
    NotRsa {
        /// Human-readable algorithm name, e.g. `EC`.
        algorithm: &'static str,
    },
    /// A modulus below [`MIN_BITS`].
    #[error("the key is only {bits} bits; CoSync keys are RSA with at least {MIN_BITS} bits")]
    TooSmall {
        /// The modulus size.
        bits: u32,
    },
    /// A modulus above [`MAX_BITS`].
    #[error("the key is {bits} bits; at most {MAX_BITS} bits are supported")]
    TooLarge {
        /// The modulus size.
        bits: u32,
    },
    /// An even modulus is never an RSA key.
    #[error("the key's modulus is even, so it is not a valid RSA key")]
    EvenModulus,
    /// The public exponent is even, below 3, or wider than 32 bits.
    #[error(
        "the key's public exponent is not valid (it must be odd, at least 3, and fit in 32 bits)"
    )]
    BadExponent,
    /// A PEM block with a label other than `PUBLIC KEY` / `RSA PUBLIC KEY`.
    #[error("the PEM block is labelled `{label}`; expected `PUBLIC KEY` or `RSA PUBLIC KEY`")]
    UnsupportedLabel {
        /// The label found (shortened if long).
        label: String,
    },
    /// A BEGIN line without its END line.
    #[error("the PEM has no matching `-----END …-----` line: the key is truncated")]
    PemMissingEnd,
    /// BEGIN and END labels differ.
    #[error("the PEM's BEGIN and END lines name different labels")]
    PemLabelMismatch,
    /// Nothing between BEGIN and END.
    #[error("the PEM has nothing between its BEGIN and END lines")]
    PemEmpty,
    /// Encapsulated headers (`Proc-Type:` …), used only by encrypted private keys.
    #[error("the PEM has `Name: value` headers, which public keys never have")]
    PemHeaders,
    /// The PEM body is not valid base64.
    #[error(
        "the text between the PEM's BEGIN and END lines is not valid base64: the key is damaged or truncated"
    )]
    PemBase64,
    /// More than one PEM block.
    #[error("the text holds more than one PEM block; give exactly one public key")]
    SeveralBlocks,
    /// The DER inside ends too early.
    #[error("the key ends too early: part of it is missing (was it truncated when copying?)")]
    Truncated,
    /// Bytes after the end of the DER structure.
    #[error("extra bytes follow the end of the key")]
    TrailingData,
    /// The DER structure is not an RSA public key.
    #[error("the key's DER structure is malformed")]
    Malformed,
    /// Text that is neither PEM nor valid base64.
    #[error(
        "the key is neither PEM (`-----BEGIN PUBLIC KEY-----`) nor the Portal's raw form (base64)"
    )]
    Unrecognized,
    /// Valid base64 that decodes to neither PEM text nor DER.
    #[error("the key is valid base64 but decodes to neither PEM text nor a DER key")]
    RawNotAKey,
}

impl From<DerProblem> for KeyError {
    fn from(problem: DerProblem) -> Self {
        match problem {
            DerProblem::Truncated => KeyError::Truncated,
            DerProblem::TrailingData => KeyError::TrailingData,
            DerProblem::Malformed => KeyError::Malformed,
        }
    }
}

impl From<PemProblem> for KeyError {
    fn from(problem: PemProblem) -> Self {
        match problem {
            PemProblem::MissingEnd => KeyError::PemMissingEnd,
            PemProblem::LabelMismatch => KeyError::PemLabelMismatch,
            PemProblem::EmptyBody => KeyError::PemEmpty,
            PemProblem::Headers => KeyError::PemHeaders,
            PemProblem::Base64 => KeyError::PemBase64,
            PemProblem::SeveralBlocks => KeyError::SeveralBlocks,
        }
    }
}

/// Does this text contain a private key, in any form people paste?
///
/// Used before any other parsing so that a private key is refused, and never shown, whatever
/// else is wrong with it. See [`private_key_marker_at`].
pub fn contains_private_key_marker(text: &str) -> bool {
    private_key_marker_at(text).is_some()
}

/// Where the first sign of a private key starts in `text`, if there is one: a PEM armour line
/// (`-----BEGIN … PRIVATE KEY-----`, any kind, even cut or in the Portal's raw base64 form), a
/// PuTTY key file, or a JWK with private members (`"d"`, `"p"`, `"q"`).
///
/// Prose such as `# never paste the private key here` is not a marker: only armour counts.
pub fn private_key_marker_at(text: &str) -> Option<usize> {
    // "PRIVATE KEY-----" base64-encoded at each of the three byte alignments, so that a raw
    // (base64 of PEM) private key is recognised without decoding it. Each stops before the
    // last partial character, which depends on what follows.
    const BASE64_MARKERS: &[&str] = &[
        "UFJJVkFURSBLRVktLS0tL",
        "BSSVZBVEUgS0VZLS0tLS",
        "QUklWQVRFIEtFWS0tLS0t",
    ];
    [
        armour_at(text),
        BASE64_MARKERS.iter().filter_map(|m| text.find(m)).min(),
        text.find("PuTTY-User-Key-File-"),
        jwk_private_at(text),
    ]
    .into_iter()
    .flatten()
    .min()
}

/// `PRIVATE KEY` on a PEM armour line: followed by dashes, or after `BEGIN`/`END` on its line
/// (a paste whose dashes were lost or turned into dashes of another kind).
fn armour_at(text: &str) -> Option<usize> {
    text.match_indices("PRIVATE KEY")
        .map(|(at, _)| at)
        .find(|&at| {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let before = &text[line_start..at];
            text[at + "PRIVATE KEY".len()..].starts_with('-')
                || before.contains("BEGIN")
                || before.contains("END ")
        })
}

/// A JSON Web Key holding private members. Whitespace and TOML's backslash escapes are skipped,
/// so a JWK pasted over several lines or inside a basic string (`\"d\":`) is found too.
fn jwk_private_at(text: &str) -> Option<usize> {
    const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi"];
    let kty = text.find("kty")?;
    fn skip(rest: &str) -> &str {
        rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\\')
    }
    text.match_indices('"')
        .map(|(at, _)| at)
        .find(|&at| {
            let rest = &text[at + 1..];
            PRIVATE_MEMBERS.iter().any(|member| {
                rest.strip_prefix(member)
                    .map(|after| after.trim_start_matches('\\'))
                    .and_then(|after| after.strip_prefix('"'))
                    .is_some_and(|after| skip(after).starts_with(':'))
            })
        })
        .map(|at| at.min(kty))
}

fn bits_of(modulus: &[u8]) -> u32 {
    match modulus.first() {
        None => 0,
        Some(&first) => (modulus.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    &bytes[zeros..]
}

impl PublicKey {
    /// Builds a key from static big-endian modulus and exponent bytes, in a `const` context.
    ///
    /// This is what generated code uses: the key was parsed and checked at compile time, so at run
    /// time nothing is decoded. The same invariants as every other constructor are asserted; in a
    /// `const` item a violation is a compile error.
    ///
    /// # Panics
    /// If the modulus has leading zero bytes, is even, or is not [`MIN_BITS`]..=[`MAX_BITS`] bits,
    /// or the exponent has leading zeros, is even, below 3 or wider than 32 bits.
    pub const fn from_static_components(modulus: &'static [u8], exponent: &'static [u8]) -> Self {
        assert!(
            !modulus.is_empty() && modulus[0] != 0,
            "modulus must be non-empty, without leading zeros"
        );
        let bits = (modulus.len() as u32 - 1) * 8 + (8 - modulus[0].leading_zeros());
        assert!(
            bits >= MIN_BITS && bits <= MAX_BITS,
            "modulus size out of range"
        );
        assert!(modulus[modulus.len() - 1] & 1 == 1, "modulus must be odd");
        assert!(
            !exponent.is_empty() && exponent[0] != 0 && exponent.len() <= 4,
            "exponent must be 1 to 4 bytes, without leading zeros"
        );
        assert!(
            exponent[exponent.len() - 1] & 1 == 1,
            "exponent must be odd"
        );
        assert!(
            exponent.len() > 1 || exponent[0] >= 3,
            "exponent must be at least 3"
        );
        PublicKey {
            modulus: Cow::Borrowed(modulus),
            exponent: Cow::Borrowed(exponent),
        }
    }

    /// Builds a key from big-endian modulus and exponent bytes (leading zeros are ignored).
    pub fn from_components(modulus: &[u8], exponent: &[u8]) -> Result<Self, KeyError> {
        let modulus = strip_leading_zeros(modulus);
        let exponent = strip_leading_zeros(exponent);
        let bits = bits_of(modulus);
        if bits < MIN_BITS {
            return Err(KeyError::TooSmall { bits });
        }
        if bits > MAX_BITS {
            return Err(KeyError::TooLarge { bits });
        }
        if modulus[modulus.len() - 1] & 1 == 0 {
            return Err(KeyError::EvenModulus);
        }
        match exponent {
            [] => return Err(KeyError::BadExponent),
            [e] if *e < 3 => return Err(KeyError::BadExponent),
            [.., last] if last & 1 == 0 => return Err(KeyError::BadExponent),
            e if e.len() > 4 => return Err(KeyError::BadExponent),
            _ => {}
        }
        Ok(PublicKey {
            modulus: Cow::Owned(modulus.to_vec()),
            exponent: Cow::Owned(exponent.to_vec()),
        })
    }

    /// Parses a key in any text form: SPKI or PKCS#1 PEM, the Portal's raw form, or base64 DER.
    ///
    /// CRLF line ends, indentation and surrounding whitespace are fine.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        Self::parse_with_format(text).map(|(key, _)| key)
    }

    /// Like [`PublicKey::parse`], and also says which form the text was in.
    pub fn parse_with_format(text: &str) -> Result<(Self, KeyFormat), KeyError> {
        let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if text.is_empty() {
            return Err(KeyError::Empty);
        }
        if contains_private_key_marker(text) {
            return Err(KeyError::PrivateKey);
        }
        if text.contains("-----BEGIN") {
            return Self::from_pem_checked(text);
        }
        if text.starts_with("ssh-") || text.starts_with("ecdsa-sha2-") {
            return Err(KeyError::OpenSsh);
        }
        let compact = pem::compact_base64(text);
        let bytes = Base64::decode_vec(&compact).map_err(|_| KeyError::Unrecognized)?;
        if bytes.starts_with(b"-----BEGIN") {
            let pem_text = std::str::from_utf8(&bytes).map_err(|_| KeyError::RawNotAKey)?;
            if contains_private_key_marker(pem_text) {
                return Err(KeyError::PrivateKey);
            }
            let (key, _) = Self::from_pem_checked(pem_text)?;
            return Ok((key, KeyFormat::Raw));
        }
        if bytes.first() == Some(&0x30) {
            return Ok((Self::from_der(&bytes)?, KeyFormat::Base64Der));
        }
        Err(KeyError::RawNotAKey)
    }

    /// Parses a PEM key: `-----BEGIN PUBLIC KEY-----` (SPKI) or `-----BEGIN RSA PUBLIC KEY-----`.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        if contains_private_key_marker(pem) {
            return Err(KeyError::PrivateKey);
        }
        Self::from_pem_checked(pem).map(|(key, _)| key)
    }

    fn from_pem_checked(pem: &str) -> Result<(Self, KeyFormat), KeyError> {
        let label = pem::first_label(pem).ok_or(KeyError::Unrecognized)?;
        let format = match label {
            LABEL_SPKI => KeyFormat::SpkiPem,
            LABEL_PKCS1 => KeyFormat::Pkcs1Pem,
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                return Err(KeyError::Certificate);
            }
            other => {
                let mut label: String = other.chars().take(40).collect();
                if label.len() < other.len() {
                    label.push('…');
                }
                return Err(KeyError::UnsupportedLabel { label });
            }
        };
        let block = pem::find_block(pem).ok_or(KeyError::Unrecognized)??;
        let key = Self::from_der(&block.der)?;
        Ok((key, format))
    }

    /// Parses the Portal's raw form: standard base64 of the PEM text.
    pub fn from_raw(raw: &str) -> Result<Self, KeyError> {
        match Self::parse_with_format(raw)? {
            (key, KeyFormat::Raw | KeyFormat::Base64Der) => Ok(key),
            _ => Err(KeyError::Unrecognized),
        }
    }

    /// Parses DER: SubjectPublicKeyInfo or PKCS#1 `RSAPublicKey`.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        match der::read_key(der)? {
            DerKey::Rsa { modulus, exponent } => Self::from_components(modulus, exponent),
            DerKey::OtherAlgorithm(algorithm) => Err(KeyError::NotRsa { algorithm }),
            DerKey::Private => Err(KeyError::PrivateKey),
            DerKey::Certificate => Err(KeyError::Certificate),
        }
    }

    /// The modulus, big-endian, without leading zeros.
    pub fn modulus(&self) -> &[u8] {
        &self.modulus
    }

    /// The public exponent, big-endian, without leading zeros (usually `[1, 0, 1]`, 65537).
    pub fn exponent(&self) -> &[u8] {
        &self.exponent
    }

    /// The modulus size in bits (2048 for CoSync app keys, 3072 for hosted server keys).
    pub fn bits(&self) -> u32 {
        bits_of(&self.modulus)
    }

    /// The DER SubjectPublicKeyInfo encoding.
    pub fn to_der(&self) -> Vec<u8> {
        der::write_spki(&self.modulus, &self.exponent)
    }

    /// The DER PKCS#1 `RSAPublicKey` encoding.
    pub fn to_pkcs1_der(&self) -> Vec<u8> {
        der::write_pkcs1(&self.modulus, &self.exponent)
    }

    /// SPKI PEM exactly as CoSync writes it: `-----BEGIN PUBLIC KEY-----`, 64-column body, `\n`
    /// line ends and **no** trailing newline.
    pub fn to_pem(&self) -> String {
        pem::write(LABEL_SPKI, &self.to_der())
    }

    /// PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`), same layout as [`PublicKey::to_pem`].
    pub fn to_pkcs1_pem(&self) -> String {
        pem::write(LABEL_PKCS1, &self.to_pkcs1_der())
    }

    /// CoSync's raw form (`RAW_PUBLIC_KEY`, the Portal's "Show Raw Key"): standard base64 of
    /// [`PublicKey::to_pem`]'s text.
    pub fn to_raw(&self) -> String {
        Base64::encode_string(self.to_pem().as_bytes())
    }

    /// SHA-256 of the SPKI DER: the fingerprint diagnostics show instead of key material.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint(Sha256::digest(self.to_der()).into())
    }
}

impl FromStr for PublicKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &self.bits())
            .field("fingerprint", &format_args!("{}", self.fingerprint()))
            .finish()
    }
}

/// The SHA-256 of a key's SPKI DER encoding, shown as lowercase hex.
///
/// This is the usual key fingerprint (`openssl pkey -pubin -outform DER | sha256sum`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The raw digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The first 8 hex digits and an ellipsis, e.g. `7fb17f06…`, for messages.
    pub fn short(&self) -> String {
        let mut out = String::with_capacity(11);
        for b in &self.0[..4] {
            out.push_str(&format!("{b:02x}"));
        }
        out.push('…');
        out
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPKI: &str = include_str!("../../tests/fixtures/keys/app.pub.pem");
    const PKCS1: &str = include_str!("../../tests/fixtures/keys/app.pkcs1.pem");
    const SMALL: &str = include_str!("../../tests/fixtures/keys/small.pub.pem");
    const EC: &str = include_str!("../../tests/fixtures/keys/ec.pub.pem");
    const PRIVATE_PKCS8: &str = include_str!("../../tests/fixtures/keys/app.key");
    const PRIVATE_PKCS1: &str = include_str!("../../tests/fixtures/keys/app.pkcs1-private.key");
    /// COSYNC.md 7.5: the raw public key of the published sample app.
    const HOSTED_RAW: &str = "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUlJQklqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FROEFNSUlCQ2dLQ0FRRUF1SlpWWDg1QkVpeG9KVlVoNGwzSwoySitYVDdIMTIyR1RVUENWb245a1BYa2d4QzYyTHVWUjgwQ24zWXVOQ2w4SlFxQ1NvUXhTRHdhTzRRRlZTMkRvCkg2UXFKZGtXZlZHNDVidEN6cnBXdGNSVHJEaVVrNzVWMHlqaXlHUTdKWjhQcWRzUE9BM3ZDUnZyY0dTQXVLV0YKNmF0K0tqdllHZ2FJY2Q5Q0ttbjdka3U2TmNkUlM5R3ppdUYvRTg3UStzTGZnMzU1L3c1TmY5eDI3VXc3bzBEMApsSlh4cUt2SVRzUEdmQ0VMTXlZNmhFem5ZbTA0YWE1WExYSHZQMjU2bEhzblYvWnJIRmV1dS9VNUlCUVVWczBNCmZpcEhUVzlWQ2lSUkhBOXdZR05BVnMySU5zb0h6dncrMGE1SVNhNFZMSjFUTXJSZzNsRnRWcXlybERycjR3YnoKQVFJREFRQUIKLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0t";

    #[test]
    fn hosted_raw_key_round_trips_byte_for_byte() {
        let (key, format) = PublicKey::parse_with_format(HOSTED_RAW).unwrap();
        assert_eq!(format, KeyFormat::Raw);
        assert_eq!(key.bits(), 2048);
        assert_eq!(key.exponent(), &[1, 0, 1]);
        assert_eq!(
            key.fingerprint().to_string(),
            "ff8a8897b9ccc7f515bf4c5c5b85851595b8476e7fdc808153726f91eb2ad8ec"
        );
        // Our raw form is CoSync's raw form, exactly.
        assert_eq!(key.to_raw(), HOSTED_RAW);
    }

    #[test]
    fn spki_and_pkcs1_pem_are_the_same_key() {
        let (spki, f1) = PublicKey::parse_with_format(SPKI).unwrap();
        let (pkcs1, f2) = PublicKey::parse_with_format(PKCS1).unwrap();
        assert_eq!((f1, f2), (KeyFormat::SpkiPem, KeyFormat::Pkcs1Pem));
        assert_eq!(spki, pkcs1);
        // OpenSSL's output has a trailing newline; ours does not. Otherwise identical.
        assert_eq!(spki.to_pem(), SPKI.trim_end());
        assert_eq!(spki.to_pkcs1_pem(), PKCS1.trim_end());
    }

    #[test]
    fn crlf_and_base64_der_are_accepted() {
        let crlf = SPKI.replace('\n', "\r\n");
        assert_eq!(
            PublicKey::parse(&crlf).unwrap(),
            PublicKey::parse(SPKI).unwrap()
        );
        let body: String = SPKI.lines().filter(|l| !l.starts_with("-----")).collect();
        let (key, format) = PublicKey::parse_with_format(&body).unwrap();
        assert_eq!(format, KeyFormat::Base64Der);
        assert_eq!(key, PublicKey::parse(SPKI).unwrap());
    }

    #[test]
    fn refuses_what_is_not_a_usable_rsa_public_key() {
        assert_eq!(
            PublicKey::parse(SMALL),
            Err(KeyError::TooSmall { bits: 1024 })
        );
        assert_eq!(
            PublicKey::parse(EC),
            Err(KeyError::NotRsa { algorithm: "EC" })
        );
        assert_eq!(PublicKey::parse(PRIVATE_PKCS8), Err(KeyError::PrivateKey));
        assert_eq!(PublicKey::parse(PRIVATE_PKCS1), Err(KeyError::PrivateKey));
        let private_raw = Base64::encode_string(PRIVATE_PKCS1.as_bytes());
        assert_eq!(PublicKey::parse(&private_raw), Err(KeyError::PrivateKey));
        // A private key as bare base64 DER (no markers at all) is recognised by its structure.
        let body: String = PRIVATE_PKCS1
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        assert_eq!(PublicKey::parse(&body), Err(KeyError::PrivateKey));
        assert_eq!(PublicKey::parse("   "), Err(KeyError::Empty));
        assert_eq!(PublicKey::parse("hello world"), Err(KeyError::Unrecognized));
        assert_eq!(
            PublicKey::parse("ssh-rsa AAAAB3NzaC1yc2E= me@host"),
            Err(KeyError::OpenSsh)
        );
    }

    #[test]
    fn private_key_markers_are_armour_not_prose() {
        for prose in [
            "# paste the public key here, never the private key",
            "# NEVER PASTE THE PRIVATE KEY HERE",
            "see PRIVATE KEY handling in the docs",
            r#"{"kty":"RSA","kid":"d","n":"xyz","e":"AQAB"}"#,
        ] {
            assert_eq!(private_key_marker_at(prose), None, "{prose}");
        }
        let text = "a = 1\n-----BEGIN RSA PRIVATE KEY-----\nMII";
        assert_eq!(
            private_key_marker_at(text),
            Some(text.find("PRIVATE").unwrap())
        );
        for armour in [
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----",
            "-----END OPENSSH PRIVATE KEY-----",
            "BEGIN EC PRIVATE KEY",              // dashes lost in a paste
            "\u{2014}BEGIN PRIVATE KEY\u{2014}", // dashes turned into em dashes
            "PuTTY-User-Key-File-3: ssh-rsa",
        ] {
            assert!(contains_private_key_marker(armour), "{armour}");
        }
        // The raw form (base64 of the PEM) at each of the three byte alignments.
        for prefix in ["", "x", "xy"] {
            let raw = Base64::encode_string(format!("{prefix}{PRIVATE_PKCS1}").as_bytes());
            assert!(
                contains_private_key_marker(&raw),
                "alignment {}",
                prefix.len()
            );
        }
        // A JWK with private members, compact, pretty-printed, or escaped in a TOML basic string.
        for jwk in [
            r#"{"kty":"RSA","n":"xyz","e":"AQAB","d":"secret"}"#,
            "{\n  \"kty\": \"RSA\",\n  \"p\" : \"secret\"\n}",
            r#"public_key = "{\"kty\":\"RSA\",\"qi\":\"secret\"}""#,
        ] {
            assert!(contains_private_key_marker(jwk), "{jwk}");
            assert_eq!(PublicKey::parse(jwk), Err(KeyError::PrivateKey));
        }
    }

    #[test]
    fn truncated_pem_is_reported_as_truncated() {
        let lines: Vec<&str> = SPKI.lines().collect();
        // Drop the END line.
        let no_end = lines[..lines.len() - 1].join("\n");
        assert_eq!(PublicKey::parse(&no_end), Err(KeyError::PemMissingEnd));
        // Drop a body line but keep BEGIN/END.
        let mut missing = lines.clone();
        missing.remove(3);
        let missing = missing.join("\n");
        assert!(matches!(
            PublicKey::parse(&missing),
            Err(KeyError::Truncated | KeyError::PemBase64 | KeyError::Malformed)
        ));
    }

    #[test]
    fn no_prefix_of_any_form_panics() {
        for text in [SPKI, PKCS1, HOSTED_RAW] {
            for end in 0..text.len() {
                if text.is_char_boundary(end) {
                    let _ = PublicKey::parse(&text[..end]);
                }
            }
        }
        let der = PublicKey::parse(SPKI).unwrap().to_der();
        for end in 0..der.len() {
            assert!(PublicKey::from_der(&der[..end]).is_err());
        }
    }

    #[test]
    fn static_components_match_parsed() {
        static N: [u8; 256] = {
            let mut n = [0xd3; 256];
            n[255] = 0x45;
            n
        };
        const KEY: PublicKey = PublicKey::from_static_components(&N, &[1, 0, 1]);
        assert_eq!(KEY, PublicKey::from_components(&N, &[0, 1, 0, 1]).unwrap());
        assert_eq!(KEY.bits(), 2048);
    }

    #[test]
    fn fingerprint_short_form() {
        let key = PublicKey::parse(HOSTED_RAW).unwrap();
        assert_eq!(key.fingerprint().short(), "ff8a8897…");
    }
}
