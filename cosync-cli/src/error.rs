//! Why a command could not do its job, and the exit status that says so.

use std::path::PathBuf;

use cosync_runtime::KeyError;

/// The exit status of a command that ran to the end: 0 or 1. Usage errors (2) are [`CliError`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: what was checked is not valid.
    Invalid,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Invalid => 1,
        }
    }
}

/// A command that stopped early. Messages never contain key material or token payloads.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad or missing arguments (exit 2).
    #[error("{message}")]
    Usage {
        message: String,
        help: Option<String>,
    },
    /// The input was read and refused, e.g. a private key (exit 1).
    #[error("{message}")]
    Refused {
        message: String,
        help: Option<String>,
    },
    /// A key that does not parse (exit 1). `what` names where it came from.
    #[error("{what}: {source}")]
    Key { what: String, source: KeyError },
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The configuration file cannot be opened (exit 2). `named`: given on the command line,
    /// rather than found by looking upwards from the current directory. `shown` is quoted.
    #[error("cannot read {shown}: {source}")]
    Config {
        shown: String,
        source: std::io::Error,
        named: bool,
    },
    #[error("cannot read stdin: {source}")]
    Stdin { source: std::io::Error },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write to stdout: {source}")]
    Stdout { source: std::io::Error },
}

impl CliError {
    pub fn usage(message: impl Into<String>, help: impl Into<Option<String>>) -> Self {
        CliError::Usage {
            message: message.into(),
            help: help.into(),
        }
    }

    pub fn refused(message: impl Into<String>, help: impl Into<Option<String>>) -> Self {
        CliError::Refused {
            message: message.into(),
            help: help.into(),
        }
    }

    /// 1 when the input itself was refused, 2 when the command could not run as asked.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Refused { .. } | CliError::Key { .. } => 1,
            _ => 2,
        }
    }

    pub fn help(&self) -> Option<String> {
        match self {
            CliError::Usage { help, .. } | CliError::Refused { help, .. } => help.clone(),
            CliError::Key {
                source: KeyError::PrivateKey,
                ..
            } => Some(
                "nothing of it was printed or written. Give the PUBLIC key (`openssl pkey -pubout` \
                 prints it), and if this private key was shared or committed, treat it as leaked"
                    .to_owned(),
            ),
            CliError::Config {
                source, named: false, ..
            } if source.kind() == std::io::ErrorKind::NotFound => Some(
                "there is no cosync.toml in this package (the first directory upwards holding \
                 cosync.toml or Cargo.toml): `cargo cosync init` writes one, or name the file to use"
                    .to_owned(),
            ),
            CliError::Config {
                source, named: true, ..
            } if source.kind() == std::io::ErrorKind::NotFound => Some(
                "check the path; `cargo cosync init --path PATH` writes a new configuration".to_owned(),
            ),
            _ => None,
        }
    }
}
