//! `--help` of every command (snapshots), cargo's extra `cosync` argument, and usage errors.

use crate::support::{cosync_run, snapshot};

#[test]
fn help_texts() {
    for (name, args) in [
        ("main", vec!["--help"]),
        ("init", vec!["init", "--help"]),
        ("check", vec!["check", "--help"]),
        ("inspect", vec!["inspect", "--help"]),
        ("key", vec!["key", "--help"]),
        ("generate", vec!["generate", "--help"]),
    ] {
        let run = cosync_run(&args).expect(0);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        assert!(
            run.stdout.contains("Exit status:"),
            "{name}: the exit codes are documented\n{}",
            run.stdout
        );
        assert!(run.stdout.contains("Examples:"), "{name}\n{}", run.stdout);
        snapshot(&format!("help/{name}.txt"), &run.stdout);
    }
}

#[test]
fn cargo_passes_cosync_as_the_first_argument() {
    // `cargo cosync check --help` runs `cargo-cosync cosync check --help`.
    let through_cargo = cosync_run(&["cosync", "check", "--help"]).expect(0);
    let direct = cosync_run(&["check", "--help"]).expect(0);
    assert_eq!(through_cargo.stdout, direct.stdout);
    assert!(
        direct.stdout.contains("Usage: cargo cosync check"),
        "{}",
        direct.stdout
    );
    let version = cosync_run(&["cosync", "--version"]).expect(0);
    assert_eq!(
        version.stdout,
        format!("cargo-cosync {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["check", "--format", "xml"],
        vec!["check", "--color", "sometimes"],
        vec!["key", "--to", "pgp"],
        vec!["key", "--fingerprint", "--to", "raw"],
        vec!["generate"],
        vec![
            "generate",
            "--out",
            "x",
            "--cosync-path",
            ".",
            "--cosync-version",
            "0.1",
        ],
    ] {
        let run = cosync_run(&args).expect(2);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
}
