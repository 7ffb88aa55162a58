//! Just enough DER to read and write RSA public keys (SPKI and PKCS#1) and to recognise what else
//! someone may have pasted: private keys, EC keys, certificates.
//!
//! A hand-written reader instead of the `spki`/`pkcs1` crates keeps the macro's dependency tree
//! small and lets every failure say exactly what was found, which is what the diagnostics need.

use std::fmt;

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_NULL: u8 = 0x05;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;

/// rsaEncryption, 1.2.840.113549.1.1.1
pub(crate) const OID_RSA_ENCRYPTION: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// Algorithms people paste by mistake, by the DER content of their OID.
const KNOWN_ALGORITHMS: &[(&[u8], &str)] = &[
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01], "EC"),
    (&[0x2b, 0x65, 0x70], "Ed25519"),
    (&[0x2b, 0x65, 0x71], "Ed448"),
    (&[0x2b, 0x65, 0x6e], "X25519"),
    (&[0x2b, 0x65, 0x6f], "X448"),
    (&[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01], "DSA"),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a],
        "RSASSA-PSS",
    ),
];

/// What went wrong while reading DER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DerProblem {
    /// The bytes end before the structure does.
    Truncated,
    /// Bytes follow the end of the structure.
    TrailingData,
    /// A length or tag that DER does not allow.
    Malformed,
}

impl fmt::Display for DerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DerProblem::Truncated => "it ends too early: part of the key is missing",
            DerProblem::TrailingData => "extra bytes follow the end of the key",
            DerProblem::Malformed => "its DER structure is malformed",
        })
    }
}

/// What a DER blob turned out to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DerKey<'a> {
    /// An RSA public key, with its modulus and exponent (big-endian, no leading zeros).
    Rsa {
        modulus: &'a [u8],
        exponent: &'a [u8],
    },
    /// A public key of another algorithm (`name` is human-readable, e.g. `EC`).
    OtherAlgorithm(&'static str),
    /// Something shaped like a private key (PKCS#1, PKCS#8, encrypted PKCS#8 or SEC1).
    Private,
    /// An X.509 certificate rather than a bare key.
    Certificate,
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads one tag-length-value and returns the tag and the value.
    fn tlv(&mut self) -> Result<(u8, &'a [u8]), DerProblem> {
        let (&tag, after_tag) = self.rest.split_first().ok_or(DerProblem::Truncated)?;
        if tag & 0x1f == 0x1f {
            // High tag numbers never occur in the structures we read.
            return Err(DerProblem::Malformed);
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or(DerProblem::Truncated)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            // 0x80 is BER's indefinite length; more than 4 length bytes is never a key.
            if count == 0 || count > 4 {
                return Err(DerProblem::Malformed);
            }
            if after_len.len() < count {
                return Err(DerProblem::Truncated);
            }
            let (len_bytes, rest) = after_len.split_at(count);
            after_len = rest;
            if len_bytes[0] == 0 {
                return Err(DerProblem::Malformed);
            }
            let len = len_bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err(DerProblem::Malformed);
            }
            len
        };
        if after_len.len() < len {
            return Err(DerProblem::Truncated);
        }
        let (value, rest) = after_len.split_at(len);
        self.rest = rest;
        Ok((tag, value))
    }

    fn expect(&mut self, tag: u8) -> Result<&'a [u8], DerProblem> {
        match self.tlv()? {
            (t, value) if t == tag => Ok(value),
            _ => Err(DerProblem::Malformed),
        }
    }

    /// A non-negative INTEGER, returned without its sign-padding zero.
    fn unsigned_integer(&mut self) -> Result<&'a [u8], DerProblem> {
        let value = self.expect(TAG_INTEGER)?;
        match value {
            [] => Err(DerProblem::Malformed),
            [first, ..] if first & 0x80 != 0 => Err(DerProblem::Malformed),
            [0] => Ok(&value[1..]),
            [0, second, ..] if second & 0x80 == 0 => Err(DerProblem::Malformed),
            [0, ..] => Ok(&value[1..]),
            _ => Ok(value),
        }
    }

    fn finish(&self) -> Result<(), DerProblem> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DerProblem::TrailingData)
        }
    }
}

/// Reads a DER blob that should hold a public key and says what it holds.
pub(crate) fn read_key(der: &[u8]) -> Result<DerKey<'_>, DerProblem> {
    let mut outer = Reader::new(der);
    let body = outer.expect(TAG_SEQUENCE)?;
    outer.finish()?;
    let mut seq = Reader::new(body);
    match seq.peek_tag() {
        Some(TAG_INTEGER) => {
            // PKCS#1 RSAPublicKey { n, e }, or a private key starting with its version number.
            let first = seq.unsigned_integer()?;
            match seq.peek_tag() {
                Some(TAG_INTEGER) => {}
                // PKCS#8 PrivateKeyInfo { 0, algorithm, key } or SEC1 ECPrivateKey { 1, key, .. }
                Some(_) if first.len() <= 1 => return Ok(DerKey::Private),
                Some(_) => return Err(DerProblem::Malformed),
                None => return Err(DerProblem::Truncated),
            }
            let exponent = seq.unsigned_integer()?;
            if !seq.is_empty() {
                // PKCS#1 RSAPrivateKey { version, n, e, d, p, q, .. }
                return Ok(DerKey::Private);
            }
            Ok(DerKey::Rsa {
                modulus: first,
                exponent,
            })
        }
        Some(TAG_SEQUENCE) => {
            let first = seq.expect(TAG_SEQUENCE)?;
            match seq.peek_tag() {
                Some(TAG_BIT_STRING) => {}
                // EncryptedPrivateKeyInfo { algorithm, encryptedData OCTET STRING }
                Some(TAG_OCTET_STRING) => return Ok(DerKey::Private),
                // Certificate { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, signature }
                Some(TAG_SEQUENCE) => return Ok(DerKey::Certificate),
                Some(_) => return Err(DerProblem::Malformed),
                None => return Err(DerProblem::Truncated),
            }
            let bits = seq.expect(TAG_BIT_STRING)?;
            seq.finish()?;
            let oid = Reader::new(first).expect(TAG_OID)?;
            if oid != OID_RSA_ENCRYPTION {
                let name = KNOWN_ALGORITHMS
                    .iter()
                    .find(|(known, _)| *known == oid)
                    .map_or("a non-RSA", |(_, name)| name);
                return Ok(DerKey::OtherAlgorithm(name));
            }
            let (&unused_bits, inner) = bits.split_first().ok_or(DerProblem::Truncated)?;
            if unused_bits != 0 {
                return Err(DerProblem::Malformed);
            }
            // Only PKCS#1 inside: recursing into `read_key` would let nested SPKI blobs in a
            // crafted key file overflow the (small, unoptimised) proc-macro stack.
            read_rsa_public_key(inner)
        }
        Some(_) => Err(DerProblem::Malformed),
        None => Err(DerProblem::Truncated),
    }
}

/// Reads a PKCS#1 `RSAPublicKey { n, e }`, the content of an RSA SPKI's BIT STRING.
fn read_rsa_public_key(der: &[u8]) -> Result<DerKey<'_>, DerProblem> {
    let mut outer = Reader::new(der);
    let body = outer.expect(TAG_SEQUENCE)?;
    outer.finish()?;
    let mut seq = Reader::new(body);
    let modulus = seq.unsigned_integer()?;
    let exponent = seq.unsigned_integer()?;
    seq.finish()?;
    Ok(DerKey::Rsa { modulus, exponent })
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn push_tlv(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    out.push(tag);
    push_len(out, value.len());
    out.extend_from_slice(value);
}

fn push_unsigned(out: &mut Vec<u8>, magnitude: &[u8]) {
    let mut value = Vec::with_capacity(magnitude.len() + 1);
    if magnitude.first().is_none_or(|b| b & 0x80 != 0) {
        value.push(0);
    }
    value.extend_from_slice(magnitude);
    push_tlv(out, TAG_INTEGER, &value);
}

/// PKCS#1 `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
pub(crate) fn write_pkcs1(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(modulus.len() + exponent.len() + 8);
    push_unsigned(&mut body, modulus);
    push_unsigned(&mut body, exponent);
    let mut out = Vec::with_capacity(body.len() + 4);
    push_tlv(&mut out, TAG_SEQUENCE, &body);
    out
}

/// X.509 `SubjectPublicKeyInfo` with the rsaEncryption algorithm and NULL parameters.
pub(crate) fn write_spki(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
    let mut algorithm = Vec::with_capacity(15);
    push_tlv(&mut algorithm, TAG_OID, OID_RSA_ENCRYPTION);
    push_tlv(&mut algorithm, TAG_NULL, &[]);

    let pkcs1 = write_pkcs1(modulus, exponent);
    let mut bits = Vec::with_capacity(pkcs1.len() + 1);
    bits.push(0);
    bits.extend_from_slice(&pkcs1);

    let mut body = Vec::with_capacity(bits.len() + 24);
    push_tlv(&mut body, TAG_SEQUENCE, &algorithm);
    push_tlv(&mut body, TAG_BIT_STRING, &bits);
    let mut out = Vec::with_capacity(body.len() + 4);
    push_tlv(&mut out, TAG_SEQUENCE, &body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modulus() -> Vec<u8> {
        let mut n = vec![0xc5; 256];
        n[255] = 0x01;
        n
    }

    #[test]
    fn spki_round_trips() {
        let n = modulus();
        let der = write_spki(&n, &[1, 0, 1]);
        assert_eq!(
            read_key(&der),
            Ok(DerKey::Rsa {
                modulus: &n,
                exponent: &[1, 0, 1]
            })
        );
    }

    /// An SPKI whose BIT STRING holds another SPKI instead of PKCS#1.
    fn wrap_in_spki(inner: &[u8]) -> Vec<u8> {
        let mut algorithm = Vec::new();
        push_tlv(&mut algorithm, TAG_OID, OID_RSA_ENCRYPTION);
        push_tlv(&mut algorithm, TAG_NULL, &[]);
        let mut bits = vec![0];
        bits.extend_from_slice(inner);
        let mut body = Vec::new();
        push_tlv(&mut body, TAG_SEQUENCE, &algorithm);
        push_tlv(&mut body, TAG_BIT_STRING, &bits);
        let mut out = Vec::new();
        push_tlv(&mut out, TAG_SEQUENCE, &body);
        out
    }

    #[test]
    fn nested_spki_is_refused_without_recursing() {
        let n = modulus();
        let once = wrap_in_spki(&write_spki(&n, &[1, 0, 1]));
        assert_eq!(read_key(&once), Err(DerProblem::Malformed));
        // Deep enough to overflow an unoptimised proc macro's stack if it recursed per level.
        let mut deep = write_spki(&n, &[1, 0, 1]);
        for _ in 0..2_000 {
            deep = wrap_in_spki(&deep);
        }
        assert_eq!(read_key(&deep), Err(DerProblem::Malformed));
    }

    #[test]
    fn pkcs1_round_trips() {
        let n = modulus();
        let der = write_pkcs1(&n, &[3]);
        assert_eq!(
            read_key(&der),
            Ok(DerKey::Rsa {
                modulus: &n,
                exponent: &[3]
            })
        );
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let der = write_spki(&modulus(), &[1, 0, 1]);
        for len in 0..der.len() {
            let result = read_key(&der[..len]);
            assert!(result.is_err(), "prefix of {len} bytes was accepted");
        }
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let mut der = write_spki(&modulus(), &[1, 0, 1]);
        der.push(0);
        assert_eq!(read_key(&der), Err(DerProblem::TrailingData));
    }

    #[test]
    fn private_key_shapes_are_recognised() {
        // PKCS#1 RSAPrivateKey starts with INTEGER 0 (version).
        let mut body = Vec::new();
        push_unsigned(&mut body, &[]);
        push_unsigned(&mut body, &modulus());
        push_unsigned(&mut body, &[1, 0, 1]);
        let mut der = Vec::new();
        push_tlv(&mut der, TAG_SEQUENCE, &body);
        assert_eq!(read_key(&der), Ok(DerKey::Private));
    }

    #[test]
    fn lengths_must_be_minimal() {
        // SEQUENCE with a long-form length for 3 bytes.
        assert_eq!(
            read_key(&[0x30, 0x81, 0x03, 0x02, 0x01, 0x05]),
            Err(DerProblem::Malformed)
        );
        // Indefinite length.
        assert_eq!(
            read_key(&[0x30, 0x80, 0x00, 0x00]),
            Err(DerProblem::Malformed)
        );
    }

    #[test]
    fn negative_integers_are_refused() {
        let mut body = Vec::new();
        push_tlv(&mut body, TAG_INTEGER, &[0x80, 0x01, 0x02]);
        push_tlv(&mut body, TAG_INTEGER, &[0x03]);
        let mut der = Vec::new();
        push_tlv(&mut der, TAG_SEQUENCE, &body);
        assert_eq!(read_key(&der), Err(DerProblem::Malformed));
    }
}
