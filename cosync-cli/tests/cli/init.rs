//! `cargo cosync init`, driven without a terminal: options and stdin only.

use cosync_test_support::{keys, mint};

use crate::support::{assert_no_pem_line, cosync, private_samples, read, run, scratch, snapshot};

fn init(dir: &std::path::Path, args: &[&str], stdin: &str) -> crate::support::Run {
    run(cosync()
        .arg("init")
        .args(args)
        .current_dir(dir)
        .write_stdin(stdin.as_bytes().to_vec()))
}

#[test]
fn writes_a_commented_file_that_passes_the_check() {
    let dir = scratch();
    // Pasted from a Windows clipboard, indented: CRLF and stray spaces.
    let pasted: String = keys::APP_PUBLIC
        .lines()
        .map(|l| format!("   {l}  \r\n"))
        .collect();
    let run = init(
        dir.path(),
        &[
            "--app-token",
            keys::HOSTED_TOKEN,
            "--public-key",
            "-",
            "--realm-app-id",
            "toto-bzvdn",
        ],
        &pasted,
    )
    .expect(0);
    assert!(run.stderr.contains("Wrote cosync.toml"), "{}", run.stderr);
    assert!(
        run.stdout.contains("cosync.toml is valid"),
        "{}",
        run.stdout
    );
    let written = read(&dir.path().join("cosync.toml"));
    // The key is written as canonical PEM, byte for byte OpenSSL's (without its final newline).
    assert!(
        written.contains(&format!(
            "public_key = \"\"\"\n{}\n\"\"\"",
            keys::APP_PUBLIC.trim_end()
        )),
        "{written}"
    );
    assert!(!written.contains('\r'));
    snapshot("init/hosted.toml", &written);
    // And the check of the written file agrees.
    run_check(dir.path()).expect(0);
}

fn run_check(dir: &std::path::Path) -> crate::support::Run {
    run(cosync().arg("check").current_dir(dir))
}

#[test]
fn a_raw_key_stays_raw_and_a_self_hosted_server_gets_its_key() {
    let dir = scratch();
    std::fs::write(dir.path().join("server.pem"), keys::SERVER_PUBLIC).unwrap();
    let raw = mint::raw_of_pem(keys::APP_PUBLIC);
    let token = mint::app_token();
    let run = init(
        dir.path(),
        &[
            "--app-token",
            &format!("\"{token}\""),
            "--public-key",
            &raw,
            "--rest-address",
            "https://auth.example.test",
            "--app-token-key",
            "server.pem",
        ],
        "",
    )
    .expect(0);
    assert!(
        run.stdout.contains("signed by      `app_token_key`"),
        "{}",
        run.stdout
    );
    let written = read(&dir.path().join("cosync.toml"));
    assert!(
        written.contains(&format!("public_key = \"{raw}\"\n")),
        "{written}"
    );
    assert!(
        written.contains(&format!("app_token = \"{token}\"\n")),
        "quotes removed"
    );
    assert!(written.contains("rest_address = \"https://auth.example.test\""));
    assert!(written.contains(keys::SERVER_PUBLIC.lines().nth(1).unwrap()));
}

#[test]
fn without_a_terminal_a_missing_value_is_a_usage_error() {
    let dir = scratch();
    let run = init(dir.path(), &["--public-key", "-"], keys::APP_PUBLIC).expect(2);
    assert!(run.stderr.contains("missing --app-token"), "{}", run.stderr);
    assert!(run.stderr.contains("not a terminal"), "{}", run.stderr);
    let run = init(dir.path(), &["--app-token", keys::HOSTED_TOKEN], "").expect(2);
    assert!(
        run.stderr.contains("missing --public-key"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("cosync.toml").exists());

    let run = init(dir.path(), &["--app-token", "-", "--public-key", "-"], "").expect(2);
    assert!(
        run.stderr.contains("only one option can read stdin"),
        "{}",
        run.stderr
    );
    let run = init(
        dir.path(),
        &["--app-token", "x", "--public-key", "no-such-file.pem"],
        "",
    )
    .expect(2);
    assert!(run.stderr.contains("no such file"), "{}", run.stderr);
}

#[test]
fn never_overwrites_without_force() {
    let dir = scratch();
    let path = dir.path().join("cosync.toml");
    std::fs::write(&path, "# mine\n").unwrap();
    let args = [
        "--app-token",
        keys::HOSTED_TOKEN,
        "--public-key",
        keys::HOSTED_RAW_KEY,
    ];
    let run = init(dir.path(), &args, "").expect(2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(read(&path), "# mine\n");
    let mut forced = args.to_vec();
    forced.push("--force");
    init(dir.path(), &forced, "").expect(0);
    assert!(read(&path).contains(keys::HOSTED_RAW_KEY));
    // --path names another file or a directory.
    std::fs::create_dir(dir.path().join("config")).unwrap();
    let mut elsewhere = args.to_vec();
    elsewhere.extend(["--path", "config"]);
    init(dir.path(), &elsewhere, "").expect(0);
    assert!(dir.path().join("config/cosync.toml").is_file());
}

#[test]
fn a_private_key_is_refused_unprinted_and_unwritten() {
    let dir = scratch();
    for private in [keys::APP_PRIVATE, keys::APP_PRIVATE_PKCS1] {
        let run = init(
            dir.path(),
            &["--app-token", keys::HOSTED_TOKEN, "--public-key", "-"],
            private,
        )
        .expect(1);
        assert!(run.stderr.contains("PRIVATE key"), "{}", run.stderr);
        assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
        assert_no_pem_line(private, &run.all());
        assert!(!dir.path().join("cosync.toml").exists());
    }
    // Pasted as the token, too.
    let run = init(
        dir.path(),
        &["--app-token", "-", "--public-key", keys::HOSTED_RAW_KEY],
        keys::APP_PRIVATE,
    )
    .expect(1);
    assert_no_pem_line(keys::APP_PRIVATE, &run.all());
    assert!(!dir.path().join("cosync.toml").exists());
}

#[test]
fn a_credential_is_refused_unprinted_and_unwritten() {
    let access = mint::rs256(
        mint::RS256_HEADER,
        &format!(
            r#"{{"handle":"ann@example.com","appId":"{}","scope":"user","iat":1}}"#,
            mint::FIXTURE_APP_ID
        ),
        keys::SERVER_PRIVATE,
    );
    let dir = scratch();
    let run = init(
        dir.path(),
        &["--app-token", "-", "--public-key", keys::HOSTED_RAW_KEY],
        &access,
    )
    .expect(1);
    assert!(
        run.stderr.contains("a user's access token"),
        "{}",
        run.stderr
    );
    let payload = access.split('.').nth(1).unwrap();
    assert!(!run.all().contains(payload), "{}", run.all());
    assert!(!dir.path().join("cosync.toml").exists());
}

#[test]
fn a_file_that_does_not_check_is_written_and_explained() {
    let dir = scratch();
    let token = mint::app_token();
    let run = init(
        dir.path(),
        // A self-hosted token, but no address or server key: the check says what to set.
        &["--app-token", &token, "--public-key", keys::HOSTED_RAW_KEY],
        "",
    )
    .expect(1);
    assert!(
        run.stderr
            .contains("error: app token signature does not verify"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> cosync.toml:"), "{}", run.stderr);
    assert!(dir.path().join("cosync.toml").is_file());
}

/// Every private-key form, through every way a key reaches init (stdin, a file, the argument),
/// as the Realm key and as the server key: refused as PRIVATE, nothing of it printed, nothing
/// written.
#[test]
fn private_keys_in_every_form_are_refused() {
    let dir = scratch();
    let file = dir.path().join("given.key");
    for sample in private_samples() {
        let name = sample.name;
        std::fs::write(&file, &sample.bytes).unwrap();
        for option in ["--public-key", "--app-token-key"] {
            let other = if option == "--public-key" {
                "--app-token-key"
            } else {
                "--public-key"
            };
            let base = [
                "--app-token",
                keys::HOSTED_TOKEN,
                other,
                keys::HOSTED_RAW_KEY,
            ];
            let mut runs = vec![
                run(cosync()
                    .arg("init")
                    .args(base)
                    .args([option, "-"])
                    .current_dir(dir.path())
                    .write_stdin(sample.bytes.clone())),
                run(cosync()
                    .arg("init")
                    .args(base)
                    .arg(option)
                    .arg(&file)
                    .current_dir(dir.path())),
            ];
            if std::str::from_utf8(&sample.bytes).is_ok() {
                runs.push(init(
                    dir.path(),
                    &[&base[..], &[option, sample.text()]].concat(),
                    "",
                ));
            }
            for run in runs {
                let run = run.expect(1);
                assert!(
                    run.stderr.contains("PRIVATE key"),
                    "{name} {option}: {}",
                    run.stderr
                );
                assert!(
                    run.stderr.contains("nothing was written"),
                    "{name} {option}: {}",
                    run.stderr
                );
                sample.assert_not_in(&run.all());
                assert!(!dir.path().join("cosync.toml").exists(), "{name} {option}");
            }
        }
    }
}

/// A key that does not parse is never written for the check to explain later: init refuses it
/// and writes nothing (it used to write the text as given).
#[test]
fn a_key_that_does_not_parse_is_refused_and_nothing_is_written() {
    let dir = scratch();
    let jwk = r#"{"kty":"RSA","n":"m4Dw","e":"AQAB"}"#;
    for (key, problem) in [
        (jwk, "neither PEM"),
        (keys::EC_PUBLIC, "EC key"),
        (keys::SMALL_PUBLIC, "only 1024 bits"),
        (
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC user@host",
            "OpenSSH public key",
        ),
        (&keys::APP_PUBLIC[..200], "no matching `-----END"),
    ] {
        let run = init(
            dir.path(),
            &["--app-token", keys::HOSTED_TOKEN, "--public-key", "-"],
            key,
        )
        .expect(1);
        assert!(run.stderr.contains(problem), "{problem}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("is not a usable public key, so nothing was written"),
            "{}",
            run.stderr
        );
        assert!(!dir.path().join("cosync.toml").exists(), "{problem}");
    }
}

#[test]
fn a_raw_key_argument_may_be_wrapped_or_spaced() {
    let dir = scratch();
    let wrapped: Vec<String> = keys::HOSTED_RAW_KEY
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    for (n, pasted) in [wrapped.join(" "), wrapped.join("\r\n")].iter().enumerate() {
        let path = format!("cosync{n}.toml");
        init(
            dir.path(),
            &[
                "--app-token",
                keys::HOSTED_TOKEN,
                "--public-key",
                pasted,
                "--path",
                &path,
            ],
            "",
        )
        .expect(0);
        let written = read(&dir.path().join(&path));
        assert!(
            written.contains(&format!("public_key = \"{}\"\n", keys::HOSTED_RAW_KEY)),
            "{written}"
        );
    }
    // A PEM given as the value, though it starts with dashes.
    init(
        dir.path(),
        &[
            "--app-token",
            keys::HOSTED_TOKEN,
            "--public-key",
            keys::APP_PUBLIC,
            "--path",
            "pem.toml",
        ],
        "",
    )
    .expect(0);
    assert!(read(&dir.path().join("pem.toml")).contains(keys::APP_PUBLIC.lines().nth(1).unwrap()));
}
