//! `cargo cosync check`: the compile-time checks, the same diagnostics, exit codes, JSON.

use cosync_build::Check;
use cosync_test_support::fixtures::BUILD_TIME;
use cosync_test_support::{keys, mint};
use serde_json::Value;

use crate::support::{
    config, cosync, cosync_run, fixtures, read, run, scratch, snapshot, strip_ansi,
};

/// What the macro would print for a fixture: cosync-build's own rendering.
fn compile_time_diagnostics(name: &str) -> String {
    Check::new(fixtures().join(config(name)))
        .base_dir(fixtures())
        .now(BUILD_TIME)
        .env([("SOURCE_DATE_EPOCH", BUILD_TIME.to_string())])
        .run()
        .diagnostics()
        .to_string()
}

#[test]
fn invalid_fixtures_print_the_compile_time_diagnostics() {
    for name in [
        "tampered_signature",
        "scope_access_token",
        "several_problems",
        "private_key_pasted",
        "unknown_key",
        "hosted_token_wrong_host",
        "key_too_small",
    ] {
        let run = cosync_run(&["check", &config(name), "--color", "never"]).expect(1);
        assert!(run.stdout.is_empty(), "{name}: {}", run.stdout);
        assert_eq!(
            run.stderr,
            compile_time_diagnostics(name),
            "{name}: not the macro's diagnostics"
        );
        snapshot(&format!("check/{name}.txt"), &run.stderr);
    }
}

#[test]
fn a_private_key_is_never_printed() {
    let run = cosync_run(&["check", &config("private_key_pasted")]).expect(1);
    crate::support::assert_no_pem_line(keys::APP_PRIVATE, &run.all());
    crate::support::assert_no_pem_line(keys::APP_PRIVATE_PKCS1, &run.all());
}

#[test]
fn a_valid_file_prints_a_summary() {
    let run = cosync_run(&["check", &config("pass_pem_spki")]).expect(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    snapshot("check/pass_pem_spki.txt", &run.stdout);
    let run = cosync_run(&["check", &config("pass_hosted_sandbox")]).expect(0);
    assert!(
        run.stdout
            .contains("signed by      sandbox.cosync.net's key (SHA-256 7fb17f06…)"),
        "{}",
        run.stdout
    );
}

#[test]
fn profiles_come_from_the_option_or_cosync_profile() {
    // At the top level the self-hosted address has no app_token_key; staging gives it one.
    cosync_run(&["check", &config("pass_profile")]).expect(1);
    let run = cosync_run(&["check", &config("pass_profile"), "--profile", "staging"]).expect(0);
    assert!(run.stdout.contains("(profile staging)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("https://staging.example.test"),
        "{}",
        run.stdout
    );
    let run = run_env(
        &["check", &config("pass_profile")],
        "COSYNC_PROFILE",
        "staging",
    )
    .expect(0);
    assert!(run.stdout.contains("(profile staging)"), "{}", run.stdout);
    let run = cosync_run(&["check", &config("pass_profile"), "--profile", "nope"]).expect(1);
    assert!(run.stderr.contains("profile `nope`"), "{}", run.stderr);
}

fn run_env(args: &[&str], name: &str, value: &str) -> crate::support::Run {
    run(cosync().args(args).env(name, value))
}

#[test]
fn colour_follows_the_option_and_the_environment() {
    let plain = cosync_run(&["check", &config("tampered_signature")]).expect(1);
    assert!(!plain.stderr.contains('\x1b'), "not a terminal: no colour");

    let always = cosync_run(&["check", &config("tampered_signature"), "--color", "always"]);
    let always = always.expect(1);
    assert!(always.stderr.contains("\x1b["), "{:?}", always.stderr);
    assert_eq!(strip_ansi(&always.stderr), plain.stderr);

    let forced = run_env(
        &["check", &config("tampered_signature")],
        "CLICOLOR_FORCE",
        "1",
    );
    assert!(
        forced.stderr.contains("\x1b["),
        "CLICOLOR_FORCE turns colour on"
    );
    let never = run(cosync()
        .args(["check", &config("tampered_signature"), "--color", "never"])
        .env("CLICOLOR_FORCE", "1"));
    assert!(!never.stderr.contains('\x1b'), "--color never wins");
    let no_color = run(cosync()
        .args(["check", &config("tampered_signature")])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1"));
    assert!(!no_color.stderr.contains('\x1b'), "NO_COLOR wins over auto");
}

#[test]
fn json_for_an_invalid_file() {
    let run = cosync_run(&["check", &config("tampered_signature"), "--format", "json"]).expect(1);
    assert!(
        run.stderr.is_empty(),
        "JSON mode prints nothing else: {}",
        run.stderr
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["valid"], false);
    assert_eq!(json["error_count"], 1);
    assert_eq!(json["warning_count"], 0);
    assert_eq!(json["config"], Value::Null);
    assert_eq!(json["profile"], Value::Null);
    assert!(
        json["path"]
            .as_str()
            .unwrap()
            .ends_with("configs/tampered_signature.toml")
    );
    let d = &json["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "app token signature does not verify");
    assert_eq!(d["file"], "configs/tampered_signature.toml");
    assert_eq!(d["line"], 3);
    assert_eq!(d["column"], 14);
    assert!(
        d["label"]
            .as_str()
            .unwrap()
            .contains("signed by a key other than")
    );
    assert!(d["help"].as_str().unwrap().contains("app_token_key"));
    assert_eq!(d["notes"], Value::Array(vec![]));
    assert!(
        compile_time_diagnostics("tampered_signature").starts_with(d["rendered"].as_str().unwrap())
    );
    let files: Vec<&str> = json["inputs"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("keys/server.pub.pem")),
        "{files:?}"
    );
    assert!(
        json["inputs"]["env"]
            .as_array()
            .unwrap()
            .contains(&Value::from("COSYNC_PROFILE"))
    );
}

#[test]
fn json_for_a_valid_file() {
    let run = cosync_run(&["check", &config("pass_pem_spki"), "--format", "json"]).expect(0);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["diagnostics"], Value::Array(vec![]));
    let c = &json["config"];
    assert_eq!(c["app_id"], mint::FIXTURE_APP_ID);
    assert_eq!(c["issued_at"], mint::FIXTURE_IAT);
    assert_eq!(c["issued_at_utc"], "2025-12-01T00:00:00Z");
    assert_eq!(c["expires_at"], Value::Null);
    assert_eq!(c["rest_address"], "https://auth.example.test");
    assert_eq!(c["realm_app_id"], "fixture-abcde");
    assert_eq!(c["public_key"]["bits"], 2048);
    assert_eq!(
        c["public_key"]["fingerprint"],
        mint::fingerprint(keys::APP_PUBLIC_DER)
    );
    assert_eq!(c["public_key"]["format"], "PEM (SPKI)");
    assert_eq!(c["signer"]["kind"], "app_token_key");
    assert_eq!(c["signer"]["host"], Value::Null);
    assert_eq!(c["signer"]["bits"], 3072);
    assert_eq!(
        c["signer"]["fingerprint"],
        mint::fingerprint(&mint::public_der(keys::SERVER_PRIVATE))
    );

    let run = cosync_run(&["check", &config("pass_hosted_sandbox"), "--format", "json"]).expect(0);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["config"]["signer"]["kind"], "hosted");
    assert_eq!(json["config"]["signer"]["host"], "sandbox.cosync.net");
    assert_eq!(
        json["config"]["public_key"]["format"],
        "raw (base64 of PEM)"
    );
    assert_eq!(json["config"]["app_id"], keys::HOSTED_APP_ID);
}

#[test]
fn the_package_config_is_found_from_a_subdirectory() {
    let dir = scratch();
    std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    std::fs::write(
        dir.path().join("cosync.toml"),
        read(&fixtures().join(config("pass_hosted_sandbox"))),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    let run = run(cosync().arg("check").current_dir(dir.path().join("src"))).expect(0);
    assert!(run.stdout.contains("is valid"), "{}", run.stdout);
    // A directory argument means its cosync.toml.
    let run = crate::support::run(cosync().arg("check").arg(dir.path())).expect(0);
    assert!(
        run.stdout.contains("cosync.toml is valid"),
        "{}",
        run.stdout
    );
}

/// A configuration that cannot be read is exit 2 (the command could not run), whether it was
/// named or searched for; a file that the configuration names is a diagnostic (exit 1).
#[test]
fn a_missing_config_is_an_error_naming_it() {
    let dir = scratch();
    // Searched for: none in this package.
    let run = run(cosync().arg("check").current_dir(dir.path())).expect(2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.starts_with("error: cannot read `cosync.toml`: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("cargo cosync init"), "{}", run.stderr);
    // Named: a file, or a directory without cosync.toml.
    for (args, shown) in [
        (vec!["check", "nosuch.toml"], "nosuch.toml"),
        (vec!["check", "keys"], "keys/cosync.toml"),
        (
            vec!["check", "nosuch.toml", "--format", "json"],
            "nosuch.toml",
        ),
    ] {
        let run = cosync_run(&args).expect(2);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert!(
            run.stderr
                .starts_with(&format!("error: cannot read `{shown}`: ")),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("check the path"), "{}", run.stderr);
    }
    // A file named inside the configuration is part of it: a diagnostic, exit 1.
    let run = cosync_run(&["check", &config("key_file_missing")]).expect(1);
    assert!(
        run.stderr.contains("--> configs/key_file_missing.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn warnings_do_not_fail_the_check() {
    let dir = scratch();
    // base64 DER (a PEM body without its lines) is accepted with a warning.
    let body: String = keys::APP_PUBLIC
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let text = read(&fixtures().join(config("pass_hosted_sandbox")));
    let text = text
        .lines()
        .map(|l| {
            if l.starts_with("public_key") {
                format!("public_key = \"{body}\"")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("cosync.toml"), text).unwrap();
    let human = run(cosync().arg("check").current_dir(dir.path())).expect(0);
    assert!(
        human.stdout.contains("is valid, with 1 warning"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stderr
            .starts_with("warning: `public_key` is base64 DER"),
        "{}",
        human.stderr
    );
    let json = run(cosync()
        .args(["check", "--format", "json"])
        .current_dir(dir.path()))
    .expect(0);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["warning_count"], 1);
    assert_eq!(json["diagnostics"][0]["severity"], "warning");
    assert_eq!(json["config"]["public_key"]["format"], "base64 DER");
}
