//! `cargo cosync init`: writes a commented cosync.toml from options and answers, then checks it.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use cosync_build::hosted::{self, HOSTED_SERVERS};
use cosync_runtime::token::DecodedToken;
use cosync_runtime::{AppToken, KeyError, KeyFormat, PublicKey, RestAddress};

use crate::check;
use crate::cli::InitArgs;
use crate::error::{CliError, Outcome};
use crate::input;
use crate::output::{DIM, GOOD, WARNING};

/// Everything cosync.toml will hold.
#[derive(Debug, Clone, Default)]
struct Values {
    app_token: String,
    public_key: Option<(PublicKey, KeyFormat)>,
    realm_app_id: Option<String>,
    rest_address: Option<String>,
    app_token_key: Option<(PublicKey, KeyFormat)>,
}

pub fn run(args: &InitArgs) -> Result<Outcome, CliError> {
    let path = target(args.path.as_deref());
    if path.exists() && !args.force {
        return Err(CliError::usage(
            format!("`{}` already exists", input::shown(&path)),
            Some(format!(
                "pass --force to overwrite it, or check it: cargo cosync check {}",
                input::shown(&path)
            )),
        ));
    }
    let from_stdin = [&args.app_token, &args.public_key, &args.app_token_key]
        .into_iter()
        .filter(|v| v.as_deref() == Some("-"))
        .count();
    if from_stdin > 1 {
        return Err(CliError::usage(
            "only one option can read stdin (`-`)",
            Some("give the other values as files or text".to_owned()),
        ));
    }
    let interactive = from_stdin == 0 && std::io::stdin().is_terminal();

    let mut values = Values::default();
    let mut notes = Vec::new();
    if let Some(token) = &args.app_token {
        let text = if token == "-" {
            String::from_utf8_lossy(&input::read_stdin()?).into_owned()
        } else {
            token.clone()
        };
        // Before cleaning: removing whitespace would hide a "PRIVATE KEY" marker.
        refuse_dangerous_token(&text)?;
        let (clean, rewrapped) = input::clean_token(&text);
        refuse_dangerous_token(&clean)?;
        if rewrapped {
            notes.push("removed whitespace inside the app token (a wrapped paste)".to_owned());
        }
        values.app_token = clean;
    }
    if let Some(key) = &args.public_key {
        values.public_key = Some(key_value(key, "--public-key")?);
    }
    if let Some(key) = &args.app_token_key {
        values.app_token_key = Some(key_value(key, "--app-token-key")?);
    }
    values.rest_address = args.rest_address.as_ref().map(|a| a.trim().to_owned());
    values.realm_app_id = args.realm_app_id.as_ref().map(|a| a.trim().to_owned());

    if interactive {
        let stdin = std::io::stdin();
        let mut prompter = Prompter {
            input: &mut stdin.lock(),
            out: &mut std::io::stderr(),
        };
        prompter.complete(&mut values, &input::shown(&path))?;
    } else {
        for (missing, flag, what) in [
            (
                values.app_token.is_empty(),
                "--app-token",
                "TOKEN (the App Token from the CoSync Portal's Keys tab)",
            ),
            (
                values.public_key.is_none(),
                "--public-key",
                "FILE (the Realm Public Key from the Portal's Keys tab; `-` reads it from stdin)",
            ),
        ] {
            if missing {
                return Err(CliError::usage(
                    format!("missing {flag}: stdin is not a terminal, so init cannot ask for it"),
                    Some(format!("pass {flag} {what}, or run init in a terminal")),
                ));
            }
        }
    }
    if values.rest_address.is_none()
        && values.app_token_key.is_none()
        && let Some(host) = issuing_host(&values.app_token)
        && host != RestAddress::SANDBOX.host()
    {
        notes.push(format!(
            "the app token was issued by {host}: rest_address set to https://{host}"
        ));
        values.rest_address = Some(format!("https://{host}"));
    }

    write(&path, &render(&values), args.force)?;
    anstream::eprintln!("{GOOD}Wrote{GOOD:#} {}", input::shown(&path));
    for note in &notes {
        anstream::eprintln!("  {DIM}note: {note}{DIM:#}");
    }
    let checked = check::check(&path, None);
    check::print_human(&checked, &path);
    let outcome = check::outcome(&checked);
    if outcome == Outcome::Success {
        anstream::eprintln!(
            "{DIM}Next: depend on `cosync` and call `cosync::cosync_constants!();` (see `cargo cosync --help`).{DIM:#}"
        );
    } else {
        anstream::eprintln!(
            "{WARNING}The file was written; fix it and run `cargo cosync check`, or run init again with --force.{WARNING:#}"
        );
    }
    Ok(outcome)
}

/// `--path`, a directory meaning DIR/cosync.toml, or the package's cosync.toml.
fn target(explicit: Option<&Path>) -> PathBuf {
    input::config_path(explicit)
}

/// Refuses what must never be written into an app's configuration: private keys and
/// credentials. Neither is echoed.
fn refuse_dangerous_token(token: &str) -> Result<(), CliError> {
    if cosync_runtime::contains_private_key_marker(token) {
        return Err(CliError::refused(
            "the app token given is a PRIVATE key; nothing was written",
            Some("copy the App Token from the CoSync Portal's Keys tab; treat the private key as leaked if it was shared".to_owned()),
        ));
    }
    if let Ok(decoded) = DecodedToken::decode(token) {
        let kind = decoded.kind();
        if kind.is_secret() {
            return Err(CliError::refused(
                format!(
                    "the app token given is {}, a credential that must never ship in an app; nothing was written",
                    kind.describe()
                ),
                Some("copy the App Token from the CoSync Portal's Keys tab".to_owned()),
            ));
        }
    }
    Ok(())
}

/// Reads a key option. Only a usable public key is written: anything else (a private key in
/// any form, a JWK, an EC key, a damaged paste) is refused before the file is written, and the
/// message names the problem, never the text.
fn key_value(value: &str, option: &str) -> Result<(PublicKey, KeyFormat), CliError> {
    let (bytes, origin) = input::key_argument(value, option)?;
    input::parse_key(&bytes).map_err(|source| CliError::Key {
        what: match source {
            KeyError::PrivateKey => format!("{origin} was refused and nothing was written"),
            _ => format!("{origin} is not a usable public key, so nothing was written"),
        },
        source,
    })
}

/// The hosted server whose built-in key verifies the token, if any.
fn issuing_host(token: &str) -> Option<&'static str> {
    let decoded = DecodedToken::decode(token).ok()?;
    decoded.require_rs256().ok()?;
    HOSTED_SERVERS
        .iter()
        .find(|server| decoded.verify_signature(&server.key()).is_ok())
        .map(|server| server.host)
}

fn write(path: &Path, text: &str, force: bool) -> Result<(), CliError> {
    let result = if force {
        std::fs::write(path, text)
    } else {
        // create_new: never overwrite a file that appeared since the check above.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
    };
    result.map_err(|source| CliError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML multi-line basic string whose lines are the text's.
fn multi_line(text: &str) -> String {
    let body: Vec<String> = text
        .lines()
        .map(|line| {
            let quoted = quoted(line);
            quoted[1..quoted.len() - 1].to_owned()
        })
        .collect();
    format!("\"\"\"\n{}\n\"\"\"", body.join("\n"))
}

/// Keys are written in the form CoSync shows them: the raw form stays raw (one line, as the
/// Portal's "Show Raw Key"), every other form becomes SPKI PEM.
fn key_toml((key, format): &(PublicKey, KeyFormat)) -> String {
    match format {
        KeyFormat::Raw => quoted(&key.to_raw()),
        _ => multi_line(&key.to_pem()),
    }
}

fn render(values: &Values) -> String {
    let mut out = String::from(
        "\
# CoSync Auth configuration of this package, checked at compile time by cosync
# (`cosync::cosync_constants!()`, or `cosync_build::generate()` in build.rs).
# Written by `cargo cosync init`; run `cargo cosync check` after editing it.
#
# Nothing here is secret: the App Token and the Realm Public Key ship inside every copy of the
# app. Never add anything secret (the private half of a key pair, an access token, a server or
# app secret): the check refuses it.

# The App Token, from the CoSync Portal's Keys tab.
",
    );
    out.push_str(&format!("app_token = {}\n\n", quoted(&values.app_token)));
    out.push_str(
        "# The Realm Public Key, from the Portal's Keys tab: it verifies this app's user JWTs.\n\
         # PEM, or the raw form the Portal shows with \"Show Raw Key\".\n",
    );
    let public_key = values
        .public_key
        .as_ref()
        .map_or_else(|| quoted(""), key_toml);
    out.push_str(&format!("public_key = {public_key}\n\n"));

    out.push_str("# The MongoDB Realm / App Services app id: the `aud` of this app's user JWTs.\n");
    match &values.realm_app_id {
        Some(id) if !id.is_empty() => out.push_str(&format!("realm_app_id = {}\n\n", quoted(id))),
        _ => out.push_str("# realm_app_id = \"myapp-abcde\"\n\n"),
    }

    out.push_str("# The CoSync REST address. Default: https://sandbox.cosync.net\n");
    match &values.rest_address {
        Some(address) if !address.is_empty() => {
            out.push_str(&format!("rest_address = {}\n\n", quoted(address)));
        }
        _ => out.push_str("# rest_address = \"https://sandbox.cosync.net\"\n\n"),
    }

    out.push_str(
        "# The public key of the CoSync Auth server that signs app tokens: built in for\n\
         # sandbox.cosync.net and rest.cosync.net; for a self-hosted server, its config/publickey.pem.\n",
    );
    match &values.app_token_key {
        Some(key) => out.push_str(&format!("app_token_key = {}\n\n", key_toml(key))),
        None => out.push_str("# app_token_key = { file = \"server-public.pem\" }\n\n"),
    }

    out.push_str(
        "\
# Any value may come from the build environment or a file instead, e.g.
#   app_token = { env = \"COSYNC_APP_TOKEN\" }
#   public_key = { file = \"keys/realm.pem\" }
# Profiles override any key above; COSYNC_PROFILE=staging selects one at build time.
# [profile.staging]
# rest_address = \"https://auth.staging.example.com\"
",
    );
    out
}

/// Asks for what the options did not give, checking each answer as it comes.
struct Prompter<'a> {
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
}

impl Prompter<'_> {
    fn say(&mut self, text: &str) -> Result<(), CliError> {
        writeln!(self.out, "{text}").map_err(|source| CliError::Stdout { source })
    }

    /// One line, trimmed; `None` at the end of input.
    fn line(&mut self, question: &str) -> Result<Option<String>, CliError> {
        write!(self.out, "{question}")
            .and_then(|()| self.out.flush())
            .map_err(|source| CliError::Stdout { source })?;
        let mut line = String::new();
        let read = self
            .input
            .read_line(&mut line)
            .map_err(|source| CliError::Stdin { source })?;
        Ok((read > 0).then(|| line.trim().to_owned()))
    }

    /// A key: one line (raw form, base64 DER, or a file name), or a block of lines (see
    /// [`Prompter::rest_of_block`]).
    fn key(&mut self, question: &str) -> Result<Option<Vec<u8>>, CliError> {
        let Some(first) = self.line(question)? else {
            return Ok(None);
        };
        let (text, block) = self.rest_of_block(first)?;
        if !block {
            let path = Path::new(&text);
            if !text.is_empty() && path.is_file() {
                return input::read_file(path).map(Some);
            }
        }
        Ok(Some(text.into_bytes()))
    }

    /// When `first` starts a block that is pasted as several lines (a PEM block, a PuTTY key
    /// file, a JSON object), reads the rest of it, so that it is one answer rather than a
    /// dozen: through the `-----END` line, the `Private-MAC:` line, or the closing brace (or
    /// the end of input). Returns the text and whether it was a block.
    fn rest_of_block(&mut self, first: String) -> Result<(String, bool), CliError> {
        #[derive(Clone, Copy)]
        enum Block {
            Pem,
            Putty,
            Json,
        }
        let block = if first.contains("-----BEGIN") {
            Block::Pem
        } else if first.starts_with("PuTTY-User-Key-File-") {
            Block::Putty
        } else if first.starts_with('{') {
            Block::Json
        } else {
            return Ok((first, false));
        };
        let complete = |text: &str, line: &str| match block {
            Block::Pem => line.contains("-----END"),
            Block::Putty => line.starts_with("Private-MAC:"),
            Block::Json => text.matches('{').count() <= text.matches('}').count(),
        };
        let mut text = first.clone();
        let mut line = first;
        while !complete(&text, &line) {
            let mut next = String::new();
            let read = self
                .input
                .read_line(&mut next)
                .map_err(|source| CliError::Stdin { source })?;
            if read == 0 {
                break;
            }
            line = next.trim().to_owned();
            text.push('\n');
            text.push_str(&line);
        }
        Ok((text, true))
    }

    fn ended(what: &str) -> CliError {
        CliError::usage(
            format!("no {what} given: the input ended"),
            Some("nothing was written".to_owned()),
        )
    }

    fn complete(&mut self, values: &mut Values, file: &str) -> Result<(), CliError> {
        self.say(&format!(
            "Writing {file}. Copy the values from the CoSync Portal's Keys tab."
        ))?;
        while values.app_token.is_empty() {
            let Some(answer) = self.line("App Token: ")? else {
                return Err(Self::ended("app token"));
            };
            // A key pasted here is one wrong answer, not one per line of it.
            let (answer, block) = self.rest_of_block(answer)?;
            let (token, _) = input::clean_token(&answer);
            if token.is_empty() {
                continue;
            }
            if let Err(error) =
                refuse_dangerous_token(&answer).and_then(|()| refuse_dangerous_token(&token))
            {
                self.say(&format!("  {error}. Try again."))?;
                continue;
            }
            if block {
                self.say(
                    "  that is a key, not the App Token (one line starting with `eyJ`, from the \
                     CoSync Portal's Keys tab). Try again.",
                )?;
                continue;
            }
            match AppToken::parse(&token) {
                Ok(parsed) => {
                    self.say(&format!(
                        "  app {}, issued {}",
                        parsed.app_id(),
                        crate::output::utc(parsed.issued_at())
                    ))?;
                    values.app_token = token;
                }
                Err(error) => self.say(&format!("  {error}. Try again."))?,
            }
        }
        while values.public_key.is_none() {
            let Some(bytes) = self.key("Realm Public Key (PEM, raw form, or a file name): ")?
            else {
                return Err(Self::ended("public key"));
            };
            match input::parse_key(&bytes) {
                Ok((key, format)) => {
                    self.say(&format!(
                        "  RSA-{}, SHA-256 {}, {format}",
                        key.bits(),
                        key.fingerprint().short()
                    ))?;
                    values.public_key = Some((key, format));
                }
                Err(KeyError::Empty) => {}
                // The message names the problem and never contains key material.
                Err(error) => self.say(&format!("  {error}. Try again."))?,
            }
        }
        if values.rest_address.is_none() {
            let default = issuing_host(&values.app_token).map_or_else(
                || RestAddress::SANDBOX.to_string(),
                |h| format!("https://{h}"),
            );
            loop {
                let answer = self
                    .line(&format!("CoSync REST address [{default}]: "))?
                    .unwrap_or_default();
                let answer = if answer.is_empty() {
                    default.clone()
                } else {
                    answer
                };
                match RestAddress::parse(&answer) {
                    Ok(_) => {
                        if answer != RestAddress::SANDBOX.as_str() {
                            values.rest_address = Some(answer);
                        }
                        break;
                    }
                    Err(error) => self.say(&format!("  {error}. Try again."))?,
                }
            }
        }
        let host = values
            .rest_address
            .as_deref()
            .and_then(|a| RestAddress::parse(a).ok())
            .map(|a| a.host().to_owned());
        let self_hosted = host.is_some_and(|h| hosted::for_host(&h).is_none());
        while self_hosted && values.app_token_key.is_none() {
            let Some(bytes) = self.key(
                "Public key of this self-hosted server (its config/publickey.pem; PEM, raw, or a file name): ",
            )?
            else {
                return Err(Self::ended("server key"));
            };
            match input::parse_key(&bytes) {
                Ok((key, format)) => values.app_token_key = Some((key, format)),
                Err(KeyError::Empty) => {}
                Err(error) => self.say(&format!("  {error}. Try again."))?,
            }
        }
        while values.realm_app_id.is_none() {
            let answer = self
                .line("Realm app id (the `aud` of user JWTs; Enter to skip): ")?
                .unwrap_or_default();
            if answer.is_empty() {
                break;
            }
            match cosync_runtime::check_realm_app_id(&answer) {
                Ok(()) => values.realm_app_id = Some(answer),
                Err(error) => self.say(&format!("  {error}. Try again."))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosync_test_support::keys;

    fn answers(text: &str) -> (Result<Values, CliError>, String) {
        let mut input = std::io::Cursor::new(text.as_bytes().to_vec());
        let mut out = Vec::new();
        let mut values = Values::default();
        let result = Prompter {
            input: &mut input,
            out: &mut out,
        }
        .complete(&mut values, "cosync.toml")
        .map(|()| values);
        (result, String::from_utf8(out).unwrap())
    }

    #[test]
    fn asks_again_until_answers_are_usable() {
        let text = format!(
            "not a token\n{}\n{}{}\n\n\n",
            keys::HOSTED_TOKEN,
            keys::APP_PRIVATE,
            keys::HOSTED_RAW_KEY,
        );
        let (result, out) = answers(&text);
        let values = result.unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert!(
            out.contains("not a JWT") || out.contains("part(s)"),
            "{out}"
        );
        assert!(out.contains("PRIVATE key"), "{out}");
        for line in keys::APP_PRIVATE
            .lines()
            .filter(|l| !l.starts_with("-----"))
        {
            assert!(!out.contains(line), "private key line echoed:\n{out}");
        }
        assert!(matches!(values.public_key, Some((_, KeyFormat::Raw))));
        // The input ending is not an answer: nothing is written.
        assert!(answers(&format!("{}\n", keys::HOSTED_TOKEN)).0.is_err());
    }

    #[test]
    fn a_complete_conversation() {
        let pem = keys::APP_PUBLIC.replace('\n', "\r\n");
        let text = format!(
            "{}\n{pem}http://example.com\n\nnot valid!\nmyapp-abcde\n",
            keys::HOSTED_TOKEN
        );
        let (result, out) = answers(&text);
        let values = result.unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert_eq!(values.app_token, keys::HOSTED_TOKEN);
        assert!(matches!(values.public_key, Some((_, KeyFormat::SpkiPem))));
        // http:// is refused for a public host; Enter takes the default (the sandbox, which
        // issued the token), which is not written.
        assert!(out.contains("https://sandbox.cosync.net]"), "{out}");
        assert_eq!(values.rest_address, None);
        assert_eq!(values.realm_app_id.as_deref(), Some("myapp-abcde"));
        assert!(
            out.contains("app 1bd86d21f691412791da34594f2294f2"),
            "{out}"
        );
    }

    #[test]
    fn a_self_hosted_address_asks_for_the_server_key() {
        let token = cosync_test_support::mint::app_token();
        let text = format!(
            "{token}\n{}\nhttps://auth.example.test\n{}\n\n",
            keys::HOSTED_RAW_KEY,
            cosync_test_support::mint::raw_of_pem(keys::SERVER_PUBLIC)
        );
        let (result, out) = answers(&text);
        let values = result.unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert!(out.contains("self-hosted server"), "{out}");
        assert!(matches!(values.app_token_key, Some((_, KeyFormat::Raw))));
        assert_eq!(values.realm_app_id, None);
    }

    /// A key pasted at the App Token prompt is read to its end and refused once, unprinted; the
    /// next answer is the token.
    #[test]
    fn a_key_pasted_as_the_token_is_one_wrong_answer() {
        let putty = "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: k\nPublic-Lines: 1\n\
                     AAAAB3NzaC1yc2EAAAADAQABAAABAQ\nPrivate-Lines: 1\nAAABAHsecretPrivateLine000\n\
                     Private-MAC: 00ff\n";
        let jwk = "{\n  \"kty\": \"RSA\",\n  \"d\": \"secretPrivateExponent000\"\n}\n";
        for (pasted, secrets, message) in [
            (
                keys::APP_PRIVATE.to_owned(),
                keys::APP_PRIVATE
                    .lines()
                    .skip(1)
                    .take(3)
                    .collect::<Vec<_>>(),
                "PRIVATE key",
            ),
            (
                keys::APP_PUBLIC.replace('\n', "\r\n"),
                vec![],
                "that is a key, not the App Token",
            ),
            (
                putty.to_owned(),
                vec!["AAABAHsecretPrivateLine000"],
                "PRIVATE key",
            ),
            (
                jwk.to_owned(),
                vec!["secretPrivateExponent000"],
                "PRIVATE key",
            ),
        ] {
            let text = format!(
                "{pasted}{}\n{}\n\n\n",
                keys::HOSTED_TOKEN,
                keys::HOSTED_RAW_KEY
            );
            let (result, out) = answers(&text);
            let values = result.unwrap_or_else(|e| panic!("{e}\n{out}"));
            assert_eq!(values.app_token, keys::HOSTED_TOKEN, "{out}");
            assert_eq!(out.matches("Try again").count(), 1, "{out}");
            assert_eq!(out.matches("App Token: ").count(), 2, "{out}");
            assert!(out.contains(message), "{out}");
            for secret in secrets {
                assert!(!out.contains(secret), "echoed:\n{out}");
            }
        }
    }

    /// The same blocks at the key prompt: one answer each, whatever its length.
    #[test]
    fn a_block_at_the_key_prompt_is_one_answer() {
        let jwk = "{\n  \"kty\": \"RSA\",\n  \"n\": \"m4Dw\",\n  \"e\": \"AQAB\"\n}\n";
        let text = format!(
            "{}\n{jwk}{}{}\n\n\n",
            keys::HOSTED_TOKEN,
            keys::APP_PRIVATE,
            keys::HOSTED_RAW_KEY
        );
        let (result, out) = answers(&text);
        result.unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert_eq!(out.matches("Try again").count(), 2, "{out}");
        assert_eq!(out.matches("Realm Public Key").count(), 3, "{out}");
    }

    #[test]
    fn strings_are_valid_toml() {
        assert_eq!(quoted("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(multi_line("x\ny\"z"), "\"\"\"\nx\ny\\\"z\n\"\"\"");
    }
}
