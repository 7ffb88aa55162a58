//! Where inputs come from: files, stdin, arguments, and the package's cosync.toml.

use std::io::Read;
use std::path::{Path, PathBuf};

use cosync_runtime::{KeyError, KeyFormat, PublicKey};

use crate::error::CliError;

/// Largest input read: keys and tokens are a few kilobytes.
const MAX_INPUT: u64 = 1024 * 1024;

/// Reads all of stdin (at most 1 MiB).
pub fn read_stdin() -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_INPUT)
        .read_to_end(&mut bytes)
        .map_err(|source| CliError::Stdin { source })?;
    Ok(bytes)
}

/// Reads a file (at most 1 MiB).
pub fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
    let read = || -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(MAX_INPUT)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    read().map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Whether a value given on the command line may be repeated in a message. Not when it is, or
/// may be, secret: a private key in any form, a token (any JWT, since credentials are JWTs too:
/// they all start with `eyJ`), or anything long or over several lines, which is not a path
/// anyone types.
pub fn may_echo(value: &str) -> bool {
    value.len() <= 300
        && !value.contains('\n')
        && !value.contains("eyJ")
        && !cosync_runtime::contains_private_key_marker(value)
}

/// Text that is a key itself rather than a file name: a PEM block, a private key in any form
/// (which must be refused, never echoed back as a file name), a JSON Web Key, an OpenSSH or PuTTY
/// key, text over several lines, or a long run of base64 once whitespace is removed (the Portal's
/// raw form, which is how a key is most often pasted as an argument, possibly wrapped or with
/// spaces).
fn looks_like_key_text(value: &str) -> bool {
    let value = value.trim();
    let compact: String = value.split_whitespace().collect();
    value.contains("-----BEGIN")
        || cosync_runtime::contains_private_key_marker(value)
        || value.starts_with('{')
        || ["ssh-", "ecdsa-sha2-"]
            .iter()
            .any(|p| value.starts_with(p) && value.contains(' '))
        || value.contains('\n')
        || (compact.len() >= 64
            && compact
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
}

/// A key argument: `-` (stdin), a file, or the key itself. Returns the bytes and how to name
/// their origin in messages. Only a value that may be a file name is ever echoed.
pub fn key_argument(value: &str, option: &str) -> Result<(Vec<u8>, String), CliError> {
    if value == "-" {
        return Ok((read_stdin()?, "the key read from stdin".to_owned()));
    }
    let path = Path::new(value);
    if path.is_file() {
        return Ok((read_file(path)?, format!("`{value}`")));
    }
    if looks_like_key_text(value) {
        return Ok((value.as_bytes().to_vec(), format!("the {option} value")));
    }
    let prefix = if option.starts_with("--") {
        format!("{option}: ")
    } else {
        String::new()
    };
    let named = if may_echo(value) {
        format!("`{value}`")
    } else {
        "the value given (not shown: it may be secret)".to_owned()
    };
    Err(CliError::usage(
        format!("{prefix}no such file: {named}"),
        Some(format!(
            "give {option} a key file, `-` to read the key from stdin, or the key itself (raw form)"
        )),
    ))
}

/// Parses key bytes in any form: PEM, raw, base64 DER (text) or binary DER.
pub fn parse_key(bytes: &[u8]) -> Result<(PublicKey, KeyFormat), KeyError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => PublicKey::parse_with_format(text),
        // DER always starts with 0x30 then a length byte of 0x81..0x84, which is never valid
        // UTF-8 after an ASCII byte: binary input is DER or nothing.
        Err(_) => PublicKey::from_der(bytes).map(|key| (key, KeyFormat::Der)),
    }
}

/// The configuration file a command uses: `explicit` (a file, or a directory holding
/// cosync.toml), else the package's cosync.toml: the first directory from the current one
/// upwards that holds cosync.toml or Cargo.toml, which is where `cosync_constants!()` looks.
pub fn config_path(explicit: Option<&Path>) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    match explicit {
        Some(path) => {
            let path = cwd.join(path);
            if path.is_dir() {
                path.join(cosync_build::CONFIG_FILE)
            } else {
                path
            }
        }
        None => cwd
            .ancestors()
            .find(|dir| {
                dir.join(cosync_build::CONFIG_FILE).is_file() || dir.join("Cargo.toml").is_file()
            })
            .unwrap_or(&cwd)
            .join(cosync_build::CONFIG_FILE),
    }
}

/// Makes sure the configuration file can be opened before checking it. Like every file named on
/// the command line, a configuration that does not exist or cannot be read is exit 2 (the
/// command could not run), not a diagnostic of the configuration (exit 1). `named`: the path was
/// given, rather than found by [`config_path`]'s search.
pub fn require_config(path: &Path, named: bool) -> Result<(), CliError> {
    let opened = std::fs::File::open(path)
        .and_then(|file| file.metadata())
        .and_then(|metadata| {
            if metadata.is_dir() {
                Err(std::io::ErrorKind::IsADirectory.into())
            } else {
                Ok(())
            }
        });
    opened.map_err(|source| CliError::Config {
        shown: Some(shown(path)).filter(|s| may_echo(s)).map_or_else(
            || "the file given (its name is not shown: it may be secret)".to_owned(),
            |s| format!("`{s}`"),
        ),
        source,
        named,
    })
}

/// The directory file names in diagnostics are relative to: the current directory when the
/// file is below it (so `config/cosync.toml:3:14` can be clicked in a terminal or an editor),
/// else the file's own directory.
pub fn base_dir(config: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    if config.starts_with(&cwd) {
        cwd
    } else {
        config.parent().map(Path::to_path_buf).unwrap_or(cwd)
    }
}

/// A path as shown to people: relative to the current directory when below it.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A token as pasted: surrounding whitespace and quotes removed, and whitespace inside removed
/// too (a token wrapped by a terminal or an editor). Returns whether anything inside changed.
pub fn clean_token(text: &str) -> (String, bool) {
    let trimmed = text.trim();
    let unquoted = ['"', '\'', '`']
        .iter()
        .find_map(|q| {
            trimmed
                .strip_prefix(*q)
                .and_then(|rest| rest.strip_suffix(*q))
        })
        .unwrap_or(trimmed);
    let compact: String = unquoted.split_whitespace().collect();
    let changed = compact != unquoted;
    (compact, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_text_is_told_from_file_names() {
        assert!(looks_like_key_text("-----BEGIN PUBLIC KEY-----\nMIIB…"));
        assert!(looks_like_key_text(&"QUJD".repeat(20)));
        // Wrapped by a terminal, or pasted with spaces.
        assert!(looks_like_key_text(&"QUJDRA ".repeat(20)));
        assert!(looks_like_key_text(&"QUJDRA\r\n".repeat(20)));
        assert!(looks_like_key_text(r#"{"kty":"RSA","n":"x","e":"AQAB"}"#));
        assert!(looks_like_key_text(
            "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none"
        ));
        assert!(looks_like_key_text("ssh-rsa AAAAB3NzaC1yc2E user@host"));
        assert!(!looks_like_key_text("my keys/realm key.pem"));
        assert!(!looks_like_key_text("realm.pem"));
        assert!(!looks_like_key_text(
            "keys/realm-public-key-for-the-production-app.pem"
        ));
    }

    #[test]
    fn tokens_are_cleaned_of_wrapping() {
        assert_eq!(
            clean_token("  abc.def.ghi\n"),
            ("abc.def.ghi".into(), false)
        );
        assert_eq!(
            clean_token("\"abc.def.ghi\""),
            ("abc.def.ghi".into(), false)
        );
        assert_eq!(clean_token("abc.d\r\nef.ghi"), ("abc.def.ghi".into(), true));
    }

    #[test]
    fn binary_der_is_parsed_as_der() {
        let der = PublicKey::parse(cosync_test_support::keys::APP_PUBLIC)
            .unwrap()
            .to_der();
        let (_, format) = parse_key(&der).unwrap();
        assert_eq!(format, KeyFormat::Der);
    }
}
