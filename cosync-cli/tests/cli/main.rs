//! `cargo cosync` through the real binary: every subcommand's success and failure paths, exit
//! codes, snapshots of `--help` and of diagnostics (`COSYNC_BLESS=1` rewrites them), and the
//! generated crate built with the real cargo.

mod support;

mod check;
mod generate;
mod help;
mod init;
mod inspect;
mod key;
mod pipe;
#[cfg(target_os = "linux")]
mod terminal;
