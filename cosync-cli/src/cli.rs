//! The command line: clap types and help texts.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit status:
  0  success
  1  the input was read and is not valid (configuration errors, a token that is malformed or
     does not verify, a refused key, a stale generated crate)
  2  the command could not run: bad arguments, a missing value, a file named on the command line
     (or the package's cosync.toml) that does not exist or cannot be read, a file that cannot be
     written";

const MAIN_AFTER_HELP: &str = "\
Examples:
  cargo cosync init                      # write cosync.toml, asking for the App Token and key
  cargo cosync check                     # run the compile-time checks now
  cargo cosync inspect                   # decode and verify the app token of cosync.toml
  pbpaste | cargo cosync key --to raw    # convert a public key to the Portal's raw form
  cargo cosync generate --out crates/app-config

Exit status:
  0  success
  1  the input was read and is not valid (configuration errors, a token that is malformed or
     does not verify, a refused key, a stale generated crate)
  2  the command could not run: bad arguments, a missing value, a file named on the command line
     (or the package's cosync.toml) that does not exist or cannot be read, a file that cannot be
     written

Every command reads cosync.toml from the current package (the nearest directory upwards that
holds cosync.toml or Cargo.toml) unless given a path.";

/// `cargo cosync`: set up, check, inspect and convert CoSync Auth configuration, tokens and keys.
///
/// Uses the same checks and diagnostics as `cosync::cosync_constants!()` and
/// `cosync_build::generate()`.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-cosync",
    bin_name = "cargo cosync",
    version,
    after_help = MAIN_AFTER_HELP,
    disable_help_subcommand = true,
    max_term_width = 100
)]
pub struct Cli {
    /// When to use colours: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, global = true, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process arguments. Cargo runs `cargo-cosync cosync …` for `cargo cosync …`;
    /// the binary may also be run directly as `cargo-cosync …`.
    pub fn arguments() -> Vec<OsString> {
        let mut args: Vec<OsString> = std::env::args_os().collect();
        if args.get(1).is_some_and(|arg| arg == "cosync") {
            args.remove(1);
        }
        args
    }

    /// Parses `args` as [`Cli::parse_from`] does, and also: `--color` governs clap's own help
    /// and error colours, and combinations clap cannot express are usage errors too.
    pub fn try_parse_args(args: &[OsString]) -> Result<Cli, clap::Error> {
        let mut command = Cli::command();
        if let Some(color) = color_in(args) {
            command = command.color(match color {
                Color::Auto => clap::ColorChoice::Auto,
                Color::Always => clap::ColorChoice::Always,
                Color::Never => clap::ColorChoice::Never,
            });
        }
        let result = command
            .try_get_matches_from_mut(args)
            .and_then(|matches| Cli::from_arg_matches(&matches))
            .and_then(|cli| cli.validate(&mut command).map(|()| cli));
        result.map_err(|error| error.format(&mut command))
    }

    fn validate(&self, command: &mut clap::Command) -> Result<(), clap::Error> {
        let Command::Key(key) = &self.command else {
            return Ok(());
        };
        let conflict = if key.kid && key.to != KeyForm::Jwk {
            Some("--kid adds a member to a JSON Web Key: it needs --to jwk")
        } else if key.force && (key.to != KeyForm::Der || key.fingerprint) {
            Some("--force lets --to der write binary to a terminal: it needs --to der")
        } else {
            None
        };
        match (conflict, command.find_subcommand_mut("key")) {
            (Some(message), Some(key)) => Err(key.error(ErrorKind::ArgumentConflict, message)),
            _ => Ok(()),
        }
    }
}

/// The last `--color WHEN` or `--color=WHEN` among `args`, before clap parses them, so that
/// clap's help and errors (and messages about arguments) follow it too. An invalid WHEN is left
/// for clap to report.
pub fn color_in(args: &[OsString]) -> Option<Color> {
    let mut found = None;
    let mut args = args.iter().skip(1).map(|a| a.to_str());
    while let Some(arg) = args.next() {
        let value = match arg {
            Some("--") => break,
            Some("--color") => args.next().flatten(),
            Some(arg) => arg.strip_prefix("--color="),
            None => None,
        };
        found = value
            .and_then(|value| Color::from_str(value, false).ok())
            .or(found);
    }
    found
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Init(InitArgs),
    Check(CheckArgs),
    Inspect(InspectArgs),
    Key(KeyArgs),
    Generate(GenerateArgs),
}

const INIT_AFTER_HELP: &str = "\
Examples:
  cargo cosync init
      Asks for the App Token and the Realm Public Key (copy both from the CoSync Portal's Keys tab).
  cargo cosync init --app-token eyJhbGciOi… --public-key realm.pem --realm-app-id myapp-abcde
  pbpaste | cargo cosync init --app-token \"$TOKEN\" --public-key -
      The key may be PEM (SPKI or PKCS#1), the Portal's raw form, base64 DER or a DER file; CRLF
      line ends and stray spaces are fine. It is written as canonical PEM (or kept raw).

Without a terminal on stdin (CI, scripts) nothing is asked: a missing --app-token or
--public-key is a usage error (exit 2). A key that is not a usable RSA public key is refused
with the reason (exit 1) and nothing is written. A private key (PEM, raw, DER, JWK, PuTTY,
OpenSSH) or a credential (access token, user JWT, server or app secret) is refused and never
written or printed.";

/// Write a commented cosync.toml, then check it.
///
/// Asks on a terminal for whatever the options do not give. Never overwrites an existing file
/// without --force.
#[derive(Debug, Args)]
#[command(after_help = format!("{INIT_AFTER_HELP}\n\n{EXIT_CODES}"))]
pub struct InitArgs {
    /// The App Token from the CoSync Portal's Keys tab (`-`: read it from stdin).
    #[arg(long, value_name = "TOKEN", allow_hyphen_values = true)]
    pub app_token: Option<String>,

    /// The Realm Public Key: a file, `-` for stdin, or the key itself (raw form or PEM).
    #[arg(long, value_name = "FILE|-", allow_hyphen_values = true)]
    pub public_key: Option<String>,

    /// The CoSync REST address [default: https://sandbox.cosync.net].
    #[arg(long, value_name = "URL")]
    pub rest_address: Option<String>,

    /// The MongoDB Realm / App Services app id (the `aud` of user JWTs), e.g. myapp-abcde.
    #[arg(long, value_name = "ID")]
    pub realm_app_id: Option<String>,

    /// The public key of a self-hosted CoSync Auth server (its config/publickey.pem): a file, `-`
    /// or the key itself. Not needed for sandbox.cosync.net and rest.cosync.net.
    #[arg(long, value_name = "FILE|-", allow_hyphen_values = true)]
    pub app_token_key: Option<String>,

    /// Where to write [default: cosync.toml of the current package]. A directory means
    /// DIR/cosync.toml.
    #[arg(long, value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

const CHECK_AFTER_HELP: &str = "\
Examples:
  cargo cosync check
  cargo cosync check config/cosync.toml --profile staging
  cargo cosync check --format json | jq '.diagnostics[] | .message'

The checks are exactly those of cosync_constants!() at compile time. COSYNC_PROFILE selects a
profile when --profile is not given, SOURCE_DATE_EPOCH pins the time used for exp/nbf, and
{ env = \"…\" } values are read from this process's environment. Diagnostics go to stderr; the
summary of a valid file (or the JSON document) to stdout.";

/// Run the compile-time checks on cosync.toml and print the same diagnostics.
#[derive(Debug, Args)]
#[command(after_help = format!("{CHECK_AFTER_HELP}\n\n{EXIT_CODES}"))]
pub struct CheckArgs {
    /// The configuration file, or a directory holding cosync.toml [default: cosync.toml of the
    /// current package].
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Apply [profile.NAME] (overrides COSYNC_PROFILE).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Output format: text for people, or one JSON document on stdout (its shape is in the
    /// README).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

const INSPECT_AFTER_HELP: &str = "\
Examples:
  cargo cosync inspect
      The app token of cosync.toml: claims, issue time, and the key that signed it.
  cargo cosync inspect eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6…
  pbpaste | cargo cosync inspect - --config cosync.toml
      A user JWT, verified with the config's Realm public key.
  cargo cosync inspect - --key server-public.pem

Any CoSync token is decoded: app token, access token, login token, user JWT, server or app
secret. The signature is checked with the built-in keys of sandbox.cosync.net and
rest.cosync.net, the `app_token_key` and `public_key` of the configuration, and every --key.
Credentials (everything but app tokens) are never echoed: their claims are shown to you, who
already hold the token, but not the token or its signature. Give them on stdin (`-`), not as an
argument that your shell history keeps.

Exit status:
  0  decoded, and the signature verifies (or no known key applies, e.g. a user JWT without
     --config or --key)
  1  malformed, not RS256, or the signature verifies with none of the keys tried
  2  usage error, or a file named by --config or --key that does not exist or cannot be read";

/// Decode a CoSync token: header, claims, kind, and which known key signed it.
#[derive(Debug, Args)]
#[command(after_help = INSPECT_AFTER_HELP)]
pub struct InspectArgs {
    /// The token, or `-` to read it from stdin [default: the app token of the configuration].
    #[arg(value_name = "TOKEN|-")]
    pub token: Option<String>,

    /// The configuration whose keys (and, without TOKEN, app token) to use [default: cosync.toml
    /// of the current package, when there is one].
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Apply [profile.NAME] of the configuration (overrides COSYNC_PROFILE).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Another public key to try: a file (PEM, raw or DER), `-` for stdin (when TOKEN is not),
    /// or the key itself in the raw form; may be repeated.
    #[arg(long = "key", value_name = "FILE")]
    pub keys: Vec<String>,

    /// Output format: text for people, or one JSON document on stdout (its shape is in the
    /// README).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

const KEY_AFTER_HELP: &str = "\
Examples:
  cargo cosync key realm.pem --to raw          # the Portal's \"Show Raw Key\" form
  pbpaste | cargo cosync key --to pem          # raw (or PKCS#1, or base64 DER) to SPKI PEM
  cargo cosync key realm.pem --to der > realm.der
  cargo cosync key realm.pem --to jwk --kid
  cargo cosync key realm.pem --fingerprint     # SHA-256 of the SPKI DER

stdout holds only the converted key (or the fingerprint), so it pipes; what the key is (size,
fingerprint, the form it was read in) goes to stderr. A private key is refused without printing
any of it.";

/// Convert a public key between PEM, PKCS#1, CoSync's raw form, DER and JWK.
#[derive(Debug, Args)]
#[command(after_help = format!("{KEY_AFTER_HELP}\n\n{EXIT_CODES}"))]
pub struct KeyArgs {
    /// The key file (PEM, raw, base64 DER or binary DER), `-` for stdin [default: stdin].
    #[arg(value_name = "FILE|-")]
    pub input: Option<String>,

    /// The form to write.
    #[arg(long, value_enum, default_value_t = KeyForm::Pem)]
    pub to: KeyForm,

    /// Print only the SHA-256 fingerprint of the SPKI DER, instead of the key.
    #[arg(long, conflicts_with_all = ["to", "kid"])]
    pub fingerprint: bool,

    /// With --to jwk: add "kid", the key's SHA-256 fingerprint.
    #[arg(long)]
    pub kid: bool,

    /// With --to der: write binary to stdout even when it is a terminal.
    #[arg(long)]
    pub force: bool,
}

/// `key --to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyForm {
    /// SPKI PEM (`-----BEGIN PUBLIC KEY-----`), as the CoSync Portal shows it.
    Pem,
    /// PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`).
    Pkcs1,
    /// CoSync's raw form ("Show Raw Key", RAW_PUBLIC_KEY): base64 of the PEM text.
    Raw,
    /// Binary SPKI DER.
    Der,
    /// A JSON Web Key: {"kty":"RSA","n":…,"e":…}.
    Jwk,
}

const GENERATE_AFTER_HELP: &str = "\
Examples:
  cargo cosync generate --out crates/app-config
  cargo cosync generate --out crates/app-config --profile production --name app-config-prod
  cargo cosync generate --out crates/app-config --check     # in CI: fails when stale

The crate holds the items cosync_constants!() would generate (APP_TOKEN, APP_ID, PUBLIC_KEY,
CONFIG, fn client(), …) as reviewed, committed source, so building it needs no proc macro and
no cosync.toml. Add the directory to [workspace] members and depend on it by path. Run generate
again (or --check in CI) whenever cosync.toml changes.

The crate depends on `cosync = \"MAJOR.MINOR\"` of this tool from crates.io (without its
macros). Until that release is published, or to build against a clone of cosync, pass
--cosync-path (e.g. --cosync-path ../cosync).";

/// Write a standalone crate holding the generated constants.
#[derive(Debug, Args)]
#[command(after_help = format!("{GENERATE_AFTER_HELP}\n\n{EXIT_CODES}"))]
pub struct GenerateArgs {
    /// The crate directory to write (Cargo.toml and src/lib.rs).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// The crate name [default: the name of DIR].
    #[arg(long, value_name = "CRATE")]
    pub name: Option<String>,

    /// The configuration [default: cosync.toml of the current package].
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Apply [profile.NAME] (overrides COSYNC_PROFILE).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Write nothing; exit 1 when the crate on disk differs from what would be written.
    #[arg(long)]
    pub check: bool,

    /// The `cosync` version requirement of the generated Cargo.toml, resolved from crates.io
    /// [default: this tool's MAJOR.MINOR].
    #[arg(long, value_name = "REQ", conflicts_with = "cosync_path")]
    pub cosync_version: Option<String>,

    /// Depend on a local checkout of `cosync` instead of crates.io (written relative to DIR),
    /// e.g. before the release this tool generates for is published.
    #[arg(long, value_name = "PATH")]
    pub cosync_path: Option<PathBuf>,

    /// Leave out `fn client()` and cosync's `client` feature (and so its HTTP stack): constants
    /// only.
    #[arg(long)]
    pub no_client: bool,
}
