//! `cargo cosync`: set up, check, inspect and convert CoSync Auth configuration, tokens and keys,
//! and generate a standalone constants crate. Every check is cosync-build's, so the messages are
//! those of `cosync::cosync_constants!()`.

// clap turns doc comments into `--help` text, where a bare URL reads better than `<…>`.
#![allow(rustdoc::bare_urls)]

mod check;
mod cli;
mod error;
mod generate;
mod init;
mod input;
mod inspect;
mod key;
mod output;

use std::process::ExitCode;

use crate::cli::{Cli, Color, Command};
use crate::error::CliError;
use crate::output::ERROR;

fn main() -> ExitCode {
    let args = Cli::arguments();
    // Before parsing, for the messages about the arguments themselves.
    set_color(cli::color_in(&args).unwrap_or(Color::Auto));
    let cli = match Cli::try_parse_args(&args) {
        Ok(cli) => cli,
        // Help and version (exit 0), and usage errors (exit 2).
        Err(error) => exit_with(&error, &args),
    };
    set_color(cli.color);
    let result = match &cli.command {
        Command::Init(args) => init::run(args),
        Command::Check(args) => check::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Key(args) => key::run(args),
        Command::Generate(args) => generate::run(args),
    };
    match result {
        // A reader that went away (`| head`) is no error: output::write_stdout and the print
        // macros ignore it, so the outcome is still what the command found.
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(error) => {
            report(&error);
            ExitCode::from(error.exit_code())
        }
    }
}

fn set_color(color: Color) {
    match color {
        Color::Auto => {}
        Color::Always => anstream::ColorChoice::Always.write_global(),
        Color::Never => anstream::ColorChoice::Never.write_global(),
    }
}

/// Prints a clap error and exits as clap would, except when an argument may be secret (a private
/// key or a token given where clap expected something else): clap quotes the arguments it could
/// not place, so then only the kind of error is printed.
fn exit_with(error: &clap::Error, args: &[std::ffi::OsString]) -> ! {
    let rendered = error.render().to_string();
    // Would the message repeat any piece of an argument that may be secret? (Clap may quote
    // an argument in part, e.g. up to a `=`.)
    let repeats_secret = args
        .iter()
        .skip(1)
        .map(|arg| arg.to_string_lossy())
        .filter(|arg| !input::may_echo(arg))
        .any(|arg| {
            arg.split(|c: char| c.is_whitespace() || matches!(c, '=' | '\'' | '"'))
                .any(|piece| piece.len() >= 12 && rendered.contains(piece))
        });
    if error.use_stderr()
        && args
            .iter()
            .any(|arg| cosync_runtime::contains_private_key_marker(&arg.to_string_lossy()))
    {
        // Where no argument takes a key, a private key given as one is still refused as such.
        report(&CliError::Key {
            what: "an argument was refused".to_owned(),
            source: cosync_runtime::KeyError::PrivateKey,
        });
        std::process::exit(1);
    }
    if error.use_stderr() && repeats_secret {
        let what = error.kind().as_str().unwrap_or("invalid arguments");
        anstream::eprintln!(
            "{ERROR}error{ERROR:#}: {what} (the arguments are not repeated: one of them may be a key or a token)\n\nFor more information, try '--help'."
        );
        std::process::exit(error.exit_code());
    }
    error.exit()
}

fn report(error: &CliError) {
    anstream::eprintln!("{ERROR}error{ERROR:#}: {error}");
    if let Some(help) = error.help() {
        anstream::eprintln!("  = help: {help}");
    }
}
