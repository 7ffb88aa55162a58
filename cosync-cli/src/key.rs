//! `cargo cosync key`: converts a public key between the forms CoSync and its users meet.

use std::io::IsTerminal;

use base64ct::{Base64UrlUnpadded, Encoding};
use cosync_build::hosted::HOSTED_SERVERS;
use cosync_runtime::PublicKey;
use serde::Serialize;

use crate::cli::{KeyArgs, KeyForm};
use crate::error::{CliError, Outcome};
use crate::input;
use crate::output::{self, DIM, WARNING};

pub fn run(args: &KeyArgs) -> Result<Outcome, CliError> {
    let (bytes, origin) = match args.input.as_deref() {
        None | Some("-") => {
            if std::io::stdin().is_terminal() {
                anstream::eprintln!(
                    "{DIM}Paste the public key (PEM or raw), then press Ctrl-D (Ctrl-Z Enter on Windows).{DIM:#}"
                );
            }
            (input::read_stdin()?, "the key read from stdin".to_owned())
        }
        Some(value) => input::key_argument(value, "FILE")?,
    };
    let (key, format) = input::parse_key(&bytes).map_err(|source| CliError::Key {
        what: format!("{origin} is not a usable public key"),
        source,
    })?;

    // What the key is goes to stderr, so stdout holds only the result and pipes cleanly.
    anstream::eprintln!(
        "{DIM}RSA-{} public key, SHA-256 {}, read as {format}{DIM:#}",
        key.bits(),
        key.fingerprint()
    );
    let fingerprint = key.fingerprint().to_string();
    if let Some(server) = HOSTED_SERVERS.iter().find(|s| s.fingerprint == fingerprint) {
        anstream::eprintln!(
            "{WARNING}note{WARNING:#}: this is {}'s app-token signing key (built into cosync), not an app's Realm public key",
            server.host
        );
    }

    let out: Vec<u8> = if args.fingerprint {
        format!("{fingerprint}\n").into_bytes()
    } else {
        match args.to {
            KeyForm::Pem => format!("{}\n", key.to_pem()).into_bytes(),
            KeyForm::Pkcs1 => format!("{}\n", key.to_pkcs1_pem()).into_bytes(),
            KeyForm::Raw => format!("{}\n", key.to_raw()).into_bytes(),
            KeyForm::Jwk => format!("{}\n", jwk(&key, args.kid)).into_bytes(),
            KeyForm::Der => {
                if std::io::stdout().is_terminal() && !args.force {
                    return Err(CliError::usage(
                        "refusing to write binary DER to a terminal",
                        Some("redirect stdout to a file (`> key.der`), or pass --force".to_owned()),
                    ));
                }
                key.to_der()
            }
        }
    };
    output::write_stdout(&out)?;
    Ok(Outcome::Success)
}

/// RFC 7517 JSON Web Key members of an RSA public key (RFC 7518 6.3.1).
#[derive(Debug, Serialize)]
struct Jwk {
    kty: &'static str,
    n: String,
    e: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
}

/// The key as a JWK: modulus and exponent big-endian without leading zeros, base64url without
/// padding; with `kid` the SHA-256 fingerprint (stable, and what every other command shows).
fn jwk(key: &PublicKey, kid: bool) -> String {
    let jwk = Jwk {
        kty: "RSA",
        n: Base64UrlUnpadded::encode_string(key.modulus()),
        e: Base64UrlUnpadded::encode_string(key.exponent()),
        kid: kid.then(|| key.fingerprint().to_string()),
    };
    serde_json::to_string(&jwk).unwrap_or_else(|_| unreachable!("a JWK of strings serializes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwk_of_the_fixture_key() {
        let key = PublicKey::parse(cosync_test_support::keys::APP_PUBLIC).unwrap();
        let text = jwk(&key, false);
        assert!(text.starts_with(r#"{"kty":"RSA","n":""#), "{text}");
        assert!(text.ends_with(r#"","e":"AQAB"}"#), "{text}");
        assert!(!text.contains('='));
        let with_kid = jwk(&key, true);
        assert!(with_kid.ends_with(&format!(r#""kid":"{}"}}"#, key.fingerprint())));
    }
}
