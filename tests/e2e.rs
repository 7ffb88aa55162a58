//! End to end: throwaway crates built with the real `cargo`, as a user would.
//!
//! - build-script mode: `build.rs` calls `cosync_build::generate()`; the binary prints the constants;
//! - rebuilds: editing `cosync.toml` or a variable it reads re-runs the check; an unrelated
//!   rebuild does not.
//!
//! The crates live under `target/tests/e2e/` and build into trybuild's target directory
//! (`target/tests/trybuild`), whose dependencies (same crates, same features) the UI tests have
//! already compiled: CI compiles them once for both.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cosync_test_support::{keys, mint, workspace_root};

fn e2e_dir() -> PathBuf {
    workspace_root().join("target/tests/e2e")
}

fn target_dir() -> PathBuf {
    workspace_root().join("target/tests/trybuild")
}

/// Creates (or refreshes) a crate called `name` with the given files.
fn make_crate(name: &str, cargo_toml_extra: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = workspace_root();
    let dir = e2e_dir().join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
cosync = {{ path = {root:?} }}
{cargo_toml_extra}
[workspace]
"#,
        root = root.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    // Same versions as the workspace: no registry resolution, and what CI tested is what runs.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    for (path, contents) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        write_if_changed(&path, contents);
    }
    dir
}

fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap();
    }
}

fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("COSYNC_PROFILE")
        .env_remove("COSYNC_CONFIG_DIR")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("RUSTFLAGS");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("cargo runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn fixture_toml(token: &str) -> String {
    format!(
        "# TEST FIXTURE: keys are test-only (tests/fixtures/keys)\napp_token = \"{token}\"\npublic_key = \"{}\"\nrest_address = \"https://auth.example.test\"\napp_token_key = {{ file = \"server.pub.pem\" }}\n",
        mint::raw_of_pem(keys::APP_PUBLIC)
    )
}

fn tampered(token: &str) -> String {
    let (head, sig) = token.rsplit_once('.').unwrap();
    let mut sig: Vec<u8> = sig.bytes().collect();
    let mid = sig.len() / 2;
    sig[mid] = if sig[mid] == b'Q' { b'R' } else { b'Q' };
    format!("{head}.{}", String::from_utf8(sig).unwrap())
}

#[test]
fn build_script_mode_generates_the_constants() {
    let token = mint::app_token();
    let toml = format!(
        "{}\n[profile.staging]\nrest_address = \"https://staging.example.test\"\n",
        fixture_toml(&token)
    );
    let dir = make_crate(
        "e2e-build-script",
        "\n[build-dependencies]\ncosync-build = { path = \"COSYNC_BUILD\" }\n"
            .replace(
                "COSYNC_BUILD",
                &workspace_root().join("cosync-build").display().to_string(),
            )
            .as_str(),
        &[
            ("cosync.toml", &toml),
            ("server.pub.pem", keys::SERVER_PUBLIC),
            (
                "build.rs",
                "fn main() {\n    if let Err(error) = cosync_build::generate() {\n        eprintln!(\"{error}\");\n        std::process::exit(1);\n    }\n}\n",
            ),
            (
                "src/main.rs",
                "include!(concat!(env!(\"OUT_DIR\"), \"/cosync.rs\"));\n\nfn main() {\n    println!(\"{APP_ID} {COSYNC_REST_ADDRESS} {}\", PUBLIC_KEY.bits());\n    assert_eq!(CONFIG.app_token().as_str(), APP_TOKEN);\n}\n",
            ),
        ],
    );

    let run = cargo(&dir, &["run", "--quiet"], &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        stdout(&run),
        format!("{} https://auth.example.test 2048\n", mint::FIXTURE_APP_ID)
    );
    let generated = std::fs::read_dir(target_dir().join("debug/build"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path().join("out/cosync.rs"))
        .find(|p| p.exists() && p.to_string_lossy().contains("e2e-build-script"))
        .expect("generated file");
    let source = std::fs::read_to_string(generated).unwrap();
    assert!(
        source.starts_with("// @generated by cosync-build"),
        "{source}"
    );

    // Unrelated changes (a file the build script never read, a variable it never read) re-run
    // nothing: the rerun-if lines replace Cargo's default of re-running on any package change.
    write_if_changed(
        &dir.join("NOTES.txt"),
        &format!("{:?}", std::time::SystemTime::now()),
    );
    let unrelated = cargo(&dir, &["build"], &[("SOME_OTHER_VARIABLE", "1")]);
    assert!(unrelated.status.success(), "{}", stderr(&unrelated));
    assert!(
        !compiled(&unrelated, "e2e-build-script"),
        "{}",
        stderr(&unrelated)
    );

    // The profile is chosen by COSYNC_PROFILE, and changing it re-runs the build script.
    let staging = cargo(&dir, &["run", "--quiet"], &[("COSYNC_PROFILE", "staging")]);
    assert!(staging.status.success(), "{}", stderr(&staging));
    assert!(stdout(&staging).contains("https://staging.example.test"));

    // A tampered token fails the build with the full diagnostic.
    write_if_changed(&dir.join("cosync.toml"), &fixture_toml(&tampered(&token)));
    let failed = cargo(&dir, &["build"], &[]);
    assert!(!failed.status.success());
    let err = stderr(&failed);
    assert!(
        err.contains("error: app token signature does not verify"),
        "{err}"
    );
    assert!(err.contains("--> cosync.toml:2:14"), "{err}");
    assert!(err.contains("= help: check that `app_token_key`"), "{err}");

    write_if_changed(&dir.join("cosync.toml"), &toml);
    let fixed = cargo(&dir, &["build"], &[]);
    assert!(fixed.status.success(), "{}", stderr(&fixed));
}

/// Did this build compile the crate itself (rather than find it fresh)?
fn compiled(output: &Output, name: &str) -> bool {
    stderr(output).contains(&format!("Compiling {name} "))
}

#[test]
fn the_macro_reruns_exactly_when_an_input_changes() {
    let name = "e2e-rebuild";
    let token = mint::app_token();
    let toml = fixture_toml("X").replace(
        "app_token = \"X\"",
        "app_token = { env = \"E2E_APP_TOKEN\" }",
    );
    let dir = make_crate(
        name,
        "",
        &[
            ("cosync.toml", &toml),
            ("server.pub.pem", keys::SERVER_PUBLIC),
            (
                "src/main.rs",
                "cosync::cosync_constants!();\n\nfn main() {\n    println!(\"{APP_ID}\");\n}\n",
            ),
        ],
    );
    let env = [("E2E_APP_TOKEN", token.as_str())];

    let first = cargo(&dir, &["build"], &env);
    assert!(first.status.success(), "{}", stderr(&first));

    // Nothing changed: nothing is recompiled.
    let again = cargo(&dir, &["build"], &env);
    assert!(again.status.success());
    assert!(!compiled(&again, name), "{}", stderr(&again));

    // Unrelated changes: a file the macro never read, a variable it never read.
    write_if_changed(
        &dir.join("NOTES.txt"),
        &format!("{:?}", std::time::SystemTime::now()),
    );
    let unrelated = cargo(&dir, &["build"], &[env[0], ("SOME_OTHER_VARIABLE", "1")]);
    assert!(unrelated.status.success());
    assert!(!compiled(&unrelated, name), "{}", stderr(&unrelated));

    // The variable cosync.toml reads changes: the check runs again and fails.
    let bad_token = tampered(&token);
    let env_changed = cargo(&dir, &["build"], &[("E2E_APP_TOKEN", bad_token.as_str())]);
    assert!(!env_changed.status.success());
    assert!(stderr(&env_changed).contains("app token signature does not verify"));

    // Back to the good value: builds again.
    let restored = cargo(&dir, &["build"], &env);
    assert!(restored.status.success(), "{}", stderr(&restored));

    // A file cosync.toml names changes: the check runs again.
    write_if_changed(&dir.join("server.pub.pem"), keys::APP3072_PUBLIC);
    let key_changed = cargo(&dir, &["build"], &env);
    assert!(!key_changed.status.success());
    assert!(stderr(&key_changed).contains("app token signature does not verify"));
    write_if_changed(&dir.join("server.pub.pem"), keys::SERVER_PUBLIC);

    // cosync.toml itself changes: the check runs again (and the new value is used).
    write_if_changed(
        &dir.join("cosync.toml"),
        &format!("{toml}realm_app_id = \"e2e-abcde\"\n"),
    );
    let edited = cargo(&dir, &["build"], &env);
    assert!(edited.status.success(), "{}", stderr(&edited));
    assert!(compiled(&edited, name), "{}", stderr(&edited));
    write_if_changed(&dir.join("cosync.toml"), &toml);
}
