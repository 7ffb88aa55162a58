//! The `cosync-emulator` binary: `app create` writes a cosync.toml whose values a served
//! emulator accepts; exit codes mean what `--help` says.

#[path = "api/support.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_cosync-emulator");

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("COSYNC_EMULATOR_DATA")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `cosync-emulator ARGS` (a `serve --port 0 …`), with `COSYNC_EMULATOR_DATA` set to
/// `env_data` if given; returns the server, its base URL and the rest of its stdout lines.
fn serve(args: &[&str], env_data: Option<&str>) -> (Server, String, Vec<String>) {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("COSYNC_EMULATOR_DATA")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(dir) = env_data {
        command.env("COSYNC_EMULATOR_DATA", dir);
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let first = lines
        .next()
        .expect("the server prints where it listens")
        .unwrap();
    let base = first
        .strip_prefix("cosync-emulator listening on ")
        .expect(&first)
        .to_owned();
    // The banner is three lines; keep draining the rest, as a terminal would.
    let banner: Vec<String> = lines.by_ref().take(2).map(Result::unwrap).collect();
    std::thread::spawn(move || lines.for_each(drop));
    (server, base, banner)
}

#[test]
fn help_lists_examples() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["app", "create", "--help"],
    ] {
        let (code, out, _) = run(args);
        assert_eq!(code, 0);
        assert!(out.contains("Examples"), "{out}");
    }
}

#[tokio::test]
async fn create_then_serve() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let toml_path = dir.path().join("cosync.toml");
    let toml_file = toml_path.to_str().unwrap();
    let (code, _, err) = run(&[
        "app",
        "create",
        "demo",
        "--data",
        data,
        "--server-key",
        &fixture("TEST-ONLY-server-3072.pem"),
        "--private-key",
        &fixture("TEST-ONLY-app-a-2048.pem"),
        "--signup-flow",
        "none",
        "--user-names",
        "--metadata",
        "user_data.name:name:required:editable",
        "--realm-app-id",
        "demo-abcde",
        "--write",
        toml_file,
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&toml_path).unwrap();
    let config: toml::Table = toml::from_str(&text).unwrap();
    let value = |k: &str| config[k].as_str().unwrap().to_owned();
    assert_eq!(value("rest_address"), "http://127.0.0.1:8750");
    assert_eq!(value("realm_app_id"), "demo-abcde");
    let (claims, _) = verify(&value("app_token"), &value("app_token_key"));
    let app_id = claims["appId"].as_str().unwrap().to_owned();

    // Writing over an existing file needs --force.
    let (code, _, err) = run(&[
        "app", "create", "again", "--data", data, "--write", toml_file,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--force"), "{err}");

    // Two-factor mode, anonymous login and locales reach the app's settings.
    let (code, flags_toml, err) = run(&[
        "app",
        "create",
        "flags",
        "--data",
        data,
        "--private-key",
        &fixture("TEST-ONLY-app-b-2048.pem"),
        "--two-factor",
        "google",
        "--anonymous",
        "--locales",
        "EN, FR,de",
    ]);
    assert_eq!(code, 0, "{err}");
    let flags_toml: toml::Table = toml::from_str(&flags_toml).unwrap();
    let flags_token = flags_toml["app_token"].as_str().unwrap().to_owned();

    let (server, base, _) = serve(
        &["serve", "--port", "0", "--data", data, "--bcrypt-cost", "4"],
        None,
    );

    let http = client();
    let r = send(
        http.get(format!("{base}/api/appuser/getApplication"))
            .header("app-token", value("app_token")),
    )
    .await;
    let app = r.json();
    assert_eq!(
        (
            app["name"].as_str(),
            app["signupFlow"].as_str(),
            app["userNamesEnabled"].as_bool()
        ),
        (Some("demo"), Some("none"), Some(true))
    );
    let r = send(
        http.post(format!("{base}/api/appuser/signup"))
            .header("app-token", value("app_token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("handle", "ann@example.com"),
                ("password", &md5("pw")),
                ("metaData", r#"{"user_data":{"name":"Ann"}}"#),
            ])),
    )
    .await;
    let (jwt, _) = r.tokens();
    let (claims, _) = verify(&jwt, &value("public_key"));
    assert_eq!(claims["aud"], "demo-abcde");
    // The default app has none of the flags set below.
    assert_eq!(
        (
            app["twoFactorVerification"].as_str(),
            app["anonymousLoginEnabled"].as_bool(),
            app["locales"].clone()
        ),
        (Some("none"), Some(false), serde_json::json!(["EN"]))
    );

    let flags = send(
        http.get(format!("{base}/api/appuser/getApplication"))
            .header("app-token", &flags_token),
    )
    .await
    .json();
    assert_eq!(
        (
            flags["name"].as_str(),
            flags["twoFactorVerification"].as_str(),
            flags["anonymousLoginEnabled"].as_bool(),
            flags["locales"].clone()
        ),
        (
            Some("flags"),
            Some("google"),
            Some(true),
            serde_json::json!(["EN", "FR", "de"])
        )
    );
    // Anonymous login works; FR is an allowed locale for sign-up.
    send(
        http.post(format!("{base}/api/appuser/loginAnonymous"))
            .header("app-token", &flags_token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("handle", "ANON_1")])),
    )
    .await
    .tokens();
    send(
        http.post(format!("{base}/api/appuser/signup"))
            .header("app-token", &flags_token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("handle", "fr@example.com"),
                ("password", &md5("pw")),
                ("locale", "fr"),
            ])),
    )
    .await
    .assert_true();

    // `app show` now uses the port the server listens on.
    let (code, shown, _) = run(&["app", "show", &app_id, "--data", data]);
    assert_eq!(code, 0);
    let shown: toml::Table = toml::from_str(&shown).unwrap();
    assert_eq!(shown["rest_address"].as_str().unwrap(), base);
    let (code, list, _) = run(&["app", "list", "--data", data]);
    assert_eq!(code, 0);
    assert!(list.contains(&app_id) && list.contains("demo"), "{list}");

    // The port is taken now: exit code 4.
    let port = base.rsplit(':').next().unwrap();
    let (code, _, err) = run(&["serve", "--port", port, "--data", data]);
    assert_eq!(code, 4, "{err}");
    drop(server);
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    assert_eq!(
        run(&["app", "create", "x", "--data", data, "--signup-flow", "sms"]).0,
        2
    );
    assert_eq!(
        run(&[
            "app",
            "create",
            "x",
            "--data",
            data,
            "--metadata",
            "nofield"
        ])
        .0,
        2
    );
    assert_eq!(run(&["bogus"]).0, 2);
    // A file where the data directory should be.
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let (code, _, err) = run(&["app", "list", "--data", file.to_str().unwrap()]);
    assert_eq!(code, 3, "{err}");
    let server_key = fixture("TEST-ONLY-server-3072.pem");
    let (code, _, err) = run(&[
        "app",
        "create",
        "x",
        "--data",
        data,
        "--server-key",
        &server_key,
        "--app-id",
        "XYZ",
    ]);
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = run(&[
        "app",
        "show",
        "0123456789abcdef0123456789abcdef",
        "--data",
        data,
    ]);
    assert_eq!(code, 1, "{err}");
}

#[tokio::test]
async fn serve_memory_keeps_nothing_and_wins_over_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let server_key = fixture("TEST-ONLY-server-3072.pem");
    // COSYNC_EMULATOR_DATA is exported, yet --memory is no usage error and keeps nothing.
    let (server, base, banner) = serve(
        &[
            "serve",
            "--memory",
            "--port",
            "0",
            "--server-key",
            &server_key,
            "--bcrypt-cost",
            "4",
        ],
        Some(data),
    );
    assert!(
        banner[0].starts_with("in memory: create apps with POST "),
        "{banner:?}"
    );
    let http = client();
    let created = send(
        http.post(format!("{base}/_emulator/apps"))
            .header("content-type", "application/json")
            .body(
                serde_json::json!({
                    "name": "mem",
                    "privateKeyPem": std::fs::read_to_string(fixture("TEST-ONLY-app-a-2048.pem")).unwrap(),
                    "settings": {"signupFlow": "none"}
                })
                .to_string(),
            ),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let token = created.json()["appToken"].as_str().unwrap().to_owned();
    send(
        http.post(format!("{base}/api/appuser/signup"))
            .header("app-token", &token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("handle", "ann@example.com"),
                ("password", &md5("pw")),
            ])),
    )
    .await
    .tokens();
    drop(server);
    assert!(
        !std::path::Path::new(data).exists(),
        "--memory wrote to the COSYNC_EMULATOR_DATA directory"
    );

    // Both on the command line is a usage error, whichever side of `serve` --data is on.
    for args in [
        &["serve", "--memory", "--data", data][..],
        &["--data", data, "serve", "--memory"],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("'--memory' cannot be used with '--data"),
            "{err}"
        );
    }
    assert!(!std::path::Path::new(data).exists());
}
