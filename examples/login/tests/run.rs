//! The README's first command, `cargo run -p login`, run by `cargo test`: the example binary signs
//! a user up and in against its in-process emulator and prints what it verified.

use std::process::Command;

#[test]
fn the_login_example_runs_end_to_end() {
    let output = Command::new(env!("CARGO_BIN_EXE_login"))
        .output()
        .expect("the login example starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    let lines: Vec<&str> = stdout.lines().collect();
    let expected_starts = [
        "emulator at http://127.0.0.1:",
        "app \"login example\": sign-up flow Some(Code)",
        "signed up ann@example.com; the e-mailed code is ",
        "logged in: Session { jwt: <redacted>, access_token: <redacted> }",
        "user JWT verified with the Realm key (RSA-2048, SHA-256 ",
        "user: handle=Some(\"ann@example.com\") locale=Some(\"EN\") status=Some(\"active\")",
    ];
    assert_eq!(lines.len(), expected_starts.len(), "{stdout}");
    for (line, start) in lines.iter().zip(expected_starts) {
        assert!(
            line.starts_with(start),
            "`{line}` should start with `{start}`"
        );
    }
    assert!(
        lines[0].ends_with("serving app 5c2a8e4b1f3d4a6e9b7c0d1e2f3a4b5c"),
        "{}",
        lines[0]
    );
    let code = lines[2].rsplit(' ').next().unwrap();
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    // The claims of the verified JWT: the user and the Realm app id of cosync.toml.
    assert!(
        lines[4].contains(": sub=ann@example.com aud=login-abcde exp="),
        "{}",
        lines[4]
    );
    // No token is printed, only the redacted session.
    assert!(!stdout.contains("eyJ"), "{stdout}");
    assert!(!stderr.contains("eyJ"), "{stderr}");
}
