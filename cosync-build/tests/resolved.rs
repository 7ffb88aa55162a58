//! `Checked::app_token_text`, `public_key` and `app_token_key`: the values read, kept when a check
//! fails (what `cargo cosync inspect` explains), and never a private key.

use cosync_build::Check;
use cosync_runtime::PublicKey;
use cosync_test_support::fixtures::BUILD_TIME;
use cosync_test_support::{keys, workspace_root};

fn check(fixture: &str) -> cosync_build::Checked {
    let dir = workspace_root().join("tests/fixtures");
    Check::new(dir.join(format!("configs/{fixture}.toml")))
        .base_dir(&dir)
        .now(BUILD_TIME)
        .env([("unused", "")])
        .run()
}

#[test]
fn values_are_kept_when_the_signature_does_not_verify() {
    let checked = check("tampered_signature");
    assert!(checked.model().is_none());
    let token = checked.app_token_text().expect("token text");
    assert!(
        token.starts_with("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."),
        "{token}"
    );
    assert_eq!(
        checked.app_token_key(),
        Some(&PublicKey::parse(keys::SERVER_PUBLIC).unwrap())
    );
    assert_eq!(
        checked.public_key(),
        Some(&PublicKey::parse(keys::APP_PUBLIC).unwrap())
    );
}

#[test]
fn a_valid_file_has_the_same_values_as_its_model() {
    let checked = check("pass_hosted_sandbox");
    let model = checked.model().expect("valid");
    assert_eq!(checked.app_token_text(), Some(model.app_token().as_str()));
    assert_eq!(checked.public_key(), Some(model.public_key()));
    assert_eq!(checked.app_token_key(), None);
}

#[test]
fn a_private_key_is_never_kept() {
    let checked = check("private_key_pasted");
    assert!(checked.public_key().is_none());
    let dir = tempdir();
    let path = dir.join("cosync.toml");
    std::fs::write(
        &path,
        format!(
            "app_token = \"\"\"\n{}\"\"\"\npublic_key = \"x\"\n",
            keys::APP_PRIVATE
        ),
    )
    .unwrap();
    let checked = Check::new(&path).run();
    assert_eq!(checked.app_token_text(), None);
}

fn tempdir() -> std::path::PathBuf {
    let dir = workspace_root().join("target/tests/cosync-build-resolved");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
