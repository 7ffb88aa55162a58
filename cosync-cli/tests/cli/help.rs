//! `--help` of every command (snapshots), cargo's extra `cosync` argument, and usage errors.

use cosync_test_support::keys;

use crate::support::{assert_no_pem_line, cosync, cosync_run, run, snapshot, strip_ansi};

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
        // Options that only mean something with one --to.
        vec!["key", "keys/app.pub.pem", "--kid"],
        vec!["key", "keys/app.pub.pem", "--to", "pem", "--kid"],
        vec!["key", "keys/app.pub.pem", "--to", "raw", "--force"],
        vec!["key", "keys/app.pub.pem", "--force"],
        vec!["key", "keys/app.pub.pem", "--fingerprint", "--force"],
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

#[test]
fn kid_and_force_name_the_form_they_need() {
    let run = cosync_run(&["key", "keys/app.pub.pem", "--kid"]).expect(2);
    assert!(run.stderr.contains("it needs --to jwk"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Usage: cargo cosync key"),
        "{}",
        run.stderr
    );
    let run = cosync_run(&["key", "keys/app.pub.pem", "--to", "raw", "--force"]).expect(2);
    assert!(run.stderr.contains("it needs --to der"), "{}", run.stderr);
    // With the form they belong to, they are accepted.
    cosync_run(&["key", "keys/app.pub.pem", "--to", "jwk", "--kid"]).expect(0);
    cosync_run(&["key", "keys/app.pub.pem", "--to", "der", "--force"]).expect(0);
}

/// `--color` governs clap's own help and usage errors too, not only the diagnostics.
#[test]
fn color_governs_help_and_usage_errors() {
    let plain = cosync_run(&["check", "--help"]).expect(0);
    assert!(!plain.stdout.contains('\x1b'), "not a terminal: no colour");
    for args in [
        vec!["--color", "always", "check", "--help"],
        vec!["check", "--help", "--color=always"],
    ] {
        let always = cosync_run(&args).expect(0);
        assert!(
            always.stdout.contains("\x1b["),
            "{args:?}: {:?}",
            always.stdout
        );
        assert_eq!(strip_ansi(&always.stdout), plain.stdout, "{args:?}");
    }
    let error = cosync_run(&["--color", "always", "check", "--format", "xml"]).expect(2);
    assert!(error.stderr.contains("\x1b["), "{:?}", error.stderr);
    let never = run(cosync()
        .args(["--color", "never", "check", "--help"])
        .env("CLICOLOR_FORCE", "1"));
    assert!(!never.stdout.contains('\x1b'), "{:?}", never.stdout);
}

/// Clap quotes arguments it cannot place; one that is a key or a token is not repeated.
#[test]
fn misplaced_secrets_are_not_repeated_in_usage_errors() {
    let token = cosync_test_support::mint::app_token();
    let payload = token.split('.').nth(1).unwrap();
    let run = cosync_run(&["check", "a.toml", &token]).expect(2);
    assert!(!run.stderr.contains(payload), "{}", run.stderr);
    assert!(run.stderr.contains("unexpected argument"), "{}", run.stderr);
    // A private key where no key is expected is still refused as one (exit 1).
    for args in [
        vec!["check", keys::APP_PRIVATE],
        vec!["inspect", keys::APP_PRIVATE],
        vec!["key", keys::APP_PRIVATE],
        vec!["generate", "--out", keys::APP_PRIVATE],
    ] {
        let run = cosync_run(&args).expect(1);
        assert!(run.stderr.contains("PRIVATE key"), "{}", run.stderr);
        assert_no_pem_line(keys::APP_PRIVATE, &run.all());
    }
    // --color applies to these messages too.
    let coloured = cosync_run(&["--color", "always", "check", keys::APP_PRIVATE]).expect(1);
    assert!(coloured.stderr.contains("\x1b["), "{:?}", coloured.stderr);
    let plain = crate::support::run(
        cosync()
            .args(["--color", "never", "check", keys::APP_PRIVATE])
            .env("CLICOLOR_FORCE", "1"),
    )
    .expect(1);
    assert!(!plain.stderr.contains('\x1b'), "{:?}", plain.stderr);
    // Other mistakes keep clap's own message.
    let run = cosync_run(&["inspect", &token, "--formt", "json"]).expect(2);
    assert!(
        run.stderr.contains("a similar argument exists: '--format'"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(payload), "{}", run.stderr);
}
