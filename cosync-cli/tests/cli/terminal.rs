//! Behaviour that depends on a terminal, through util-linux `script`, which runs a command on a
//! pseudo-terminal. Linux only (the module is compiled for Linux alone); there `script` is
//! required: a missing one fails these tests rather than letting them pass without running.

use std::process::Command;

use crate::support::fixtures;

/// `script`, or a failure that says how to get it.
fn script() -> Command {
    match Command::new("script").arg("--version").output() {
        Ok(output) if output.status.success() => Command::new("script"),
        other => panic!(
            "util-linux `script` is needed to test terminal behaviour (Debian/Ubuntu: package \
             bsdutils or util-linux; Fedora: util-linux-script); `script --version`: {other:?}"
        ),
    }
}

/// Runs `cargo-cosync ARGS` with stdin, stdout and stderr on a pseudo-terminal; returns what the
/// terminal showed, followed by `EXIT=<code>`.
fn on_terminal(args: &str) -> String {
    let command = format!(
        "{} {args}; echo EXIT=$?",
        env!("CARGO_BIN_EXE_cargo-cosync")
    );
    let output = script()
        .args(["-qec", &command, "/dev/null"])
        .current_dir(fixtures())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COSYNC_PROFILE")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    let shown = String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n");
    assert!(shown.contains("EXIT="), "the command did not run:\n{shown}");
    shown
}

#[test]
fn der_is_not_written_to_a_terminal() {
    let shown = on_terminal("key keys/app.pub.pem --to der");
    assert!(
        shown.contains("refusing to write binary DER to a terminal"),
        "{shown}"
    );
    assert!(shown.contains("EXIT=2"), "{shown}");
    let forced = on_terminal("key keys/app.pub.pem --to der --force");
    assert!(forced.contains("EXIT=0"), "{forced}");
}

#[test]
fn diagnostics_are_coloured_on_a_terminal() {
    let shown = on_terminal("check configs/tampered_signature.toml");
    assert!(shown.contains("\x1b[1m\x1b[91merror\x1b[0m"), "{shown:?}");
    assert!(shown.contains("EXIT=1"), "{shown}");
    let plain = on_terminal("check configs/tampered_signature.toml --color never");
    assert!(!plain.contains('\x1b'), "{plain:?}");
}

#[test]
fn init_asks_on_a_terminal() {
    use std::io::Write;
    use std::process::Stdio;

    let dir = crate::support::scratch();
    let command = format!(
        "{} init --color never; echo EXIT=$?",
        env!("CARGO_BIN_EXE_cargo-cosync")
    );
    let mut child = script()
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env_remove("COSYNC_PROFILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script runs");
    // The answers, typed ahead: the key pasted where the token is asked (one wrong answer, not
    // one per line), the token, the key as PEM lines, Enter for the default address, and a
    // Realm app id.
    let answers = format!(
        "{}{}\n{}\n{}\n",
        cosync_test_support::keys::APP_PUBLIC,
        cosync_test_support::keys::HOSTED_TOKEN,
        cosync_test_support::keys::APP_PUBLIC,
        "toto-bzvdn"
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    // A guard, not a timing assertion: a prompt that waited for more input would hang forever.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("init still waiting for input");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n");
    assert!(shown.contains("App Token: "), "{shown}");
    assert_eq!(shown.matches("Try again").count(), 1, "{shown}");
    assert!(
        shown.contains("that is a key, not the App Token"),
        "{shown}"
    );
    assert!(shown.contains("Realm Public Key"), "{shown}");
    assert!(shown.contains("cosync.toml is valid"), "{shown}");
    assert!(shown.contains("EXIT=0"), "{shown}");
    let written = crate::support::read(&dir.path().join("cosync.toml"));
    assert!(
        written.contains("realm_app_id = \"toto-bzvdn\""),
        "{written}"
    );
}
