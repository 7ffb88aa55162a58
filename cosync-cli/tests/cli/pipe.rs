//! A reader that goes away (`cargo cosync check --format json | head -c1`) does not change the
//! exit status: it is still what the command found.

use std::process::Stdio;

use crate::support::{config, cosync_std};

/// Runs `cargo-cosync ARGS` with stdout a pipe whose reading end is already closed, so every
/// write fails with a broken pipe, deterministically (no race with a reader that exits).
/// Returns the exit code and stderr.
fn with_closed_stdout(args: &[&str]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = cosync_std()
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("killed: {stderr}"));
    (code, stderr)
}

#[test]
fn a_closed_stdout_keeps_the_outcome() {
    let tampered = config("tampered_signature");
    let valid = config("pass_pem_spki");
    for (args, expected) in [
        (vec!["check", "--format", "json", tampered.as_str()], 1),
        (vec!["check", "--format", "json", valid.as_str()], 0),
        (vec!["check", "--color", "never", tampered.as_str()], 1),
        (vec!["check", valid.as_str()], 0),
        (
            vec!["inspect", "--format", "json", "--config", tampered.as_str()],
            1,
        ),
        (vec!["inspect", "--config", tampered.as_str()], 1),
        (vec!["inspect", "--config", valid.as_str()], 0),
        (vec!["key", "keys/app.pub.pem", "--to", "raw"], 0),
    ] {
        let (code, stderr) = with_closed_stdout(&args);
        assert_eq!(code, expected, "{args:?}\n{stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}\n{stderr}");
        assert!(
            !stderr.contains("stdout"),
            "no message about the pipe: {args:?}\n{stderr}"
        );
    }
}
