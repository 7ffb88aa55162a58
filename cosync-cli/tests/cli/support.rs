//! Running the binary in a known environment, and reading what it printed.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use cosync_test_support::fixtures::BUILD_TIME;
use cosync_test_support::snapshot::assert_snapshot;
use cosync_test_support::workspace_root;

/// The binary, with every variable that changes its output pinned or removed: the time is the
/// fixtures' build time, no profile, no colour forced either way.
pub fn cosync() -> Command {
    Command::from_std(cosync_std())
}

/// [`cosync`] as a `std::process::Command`, for tests that choose its stdio themselves.
pub fn cosync_std() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-cosync"));
    command
        .env("SOURCE_DATE_EPOCH", BUILD_TIME.to_string())
        .env_remove("COSYNC_PROFILE")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        // Help is wrapped to the terminal, else to COLUMNS, at most 100 columns.
        .env_remove("COLUMNS")
        .current_dir(fixtures());
    command
}

/// `tests/fixtures`: commands run here, so config paths read `configs/NAME.toml`.
pub fn fixtures() -> PathBuf {
    workspace_root().join("tests/fixtures")
}

pub fn config(name: &str) -> String {
    format!("configs/{name}.toml")
}

/// What a run printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
}

impl Run {
    /// Panics with both streams unless the exit code is `code`.
    #[track_caller]
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

pub fn run(command: &mut Command) -> Run {
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        stdout_bytes: output.stdout,
    }
}

/// Runs `cargo-cosync ARGS` from `tests/fixtures`.
pub fn cosync_run(args: &[&str]) -> Run {
    run(cosync().args(args))
}

/// Compares with (or with `COSYNC_BLESS=1` writes) `cosync-cli/tests/snapshots/NAME`.
pub fn snapshot(name: &str, actual: &str) {
    assert_snapshot(
        &workspace_root()
            .join("cosync-cli/tests/snapshots")
            .join(name),
        actual,
    );
}

/// Removes ANSI SGR sequences.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        match rest[at..].find('m') {
            Some(end) => rest = &rest[at + end + 1..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// A fresh directory outside any Cargo package, removed when dropped.
pub fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("cosync-cli-test")
        .tempdir()
        .expect("temporary directory")
}

/// Asserts that no line of a PEM body (the base64 between BEGIN and END) appears in `output`.
#[track_caller]
pub fn assert_no_pem_line(pem: &str, output: &str) {
    for line in pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 8)
    {
        assert!(
            !output.contains(line),
            "a line of the key was printed: {line}\n{output}"
        );
    }
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
