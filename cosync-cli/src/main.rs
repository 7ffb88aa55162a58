//! `cargo cosync`: set up, check, inspect and convert CoSync Auth configuration, tokens and keys,
//! and generate a standalone constants crate. Every check is cosync-build's, so the messages are
//! those of `cosync::cosync_constants!()`.

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

use clap::Parser;

use crate::cli::{Cli, Color, Command};
use crate::error::CliError;
use crate::output::ERROR;

fn main() -> ExitCode {
    // Clap prints help and usage errors itself, exiting 0 or 2.
    let cli = Cli::parse_from(Cli::arguments());
    match cli.color {
        Color::Auto => {}
        Color::Always => anstream::ColorChoice::Always.write_global(),
        Color::Never => anstream::ColorChoice::Never.write_global(),
    }
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

fn report(error: &CliError) {
    anstream::eprintln!("{ERROR}error{ERROR:#}: {error}");
    if let Some(help) = error.help() {
        anstream::eprintln!("  = help: {help}");
    }
}
