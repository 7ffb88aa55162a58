//! `cargo cosync inspect`: decoding, the key that signed, and credentials never echoed.

use cosync_test_support::{keys, mint};
use serde_json::Value;

use crate::support::{config, cosync, cosync_run, run, scratch, snapshot};

fn user_jwt(exp: u64) -> String {
    mint::rs256(
        mint::RS256_HEADER,
        &format!(
            r#"{{"aud":"fixture-abcde","sub":"ann@example.com","exp":{exp},"email":"ann@example.com","role":"editor","iat":1767225000}}"#
        ),
        keys::APP_PRIVATE,
    )
}

fn access_token() -> String {
    mint::rs256(
        mint::RS256_HEADER,
        &format!(
            r#"{{"handle":"ann@example.com","appId":"{}","scope":"user","iat":1767225000}}"#,
            mint::FIXTURE_APP_ID
        ),
        keys::SERVER_PRIVATE,
    )
}

fn inspect_stdin(args: &[&str], stdin: &str) -> crate::support::Run {
    run(cosync()
        .arg("inspect")
        .args(args)
        .write_stdin(stdin.as_bytes().to_vec()))
}

/// Neither the token, nor its payload, nor its signature appears in `output`.
#[track_caller]
fn assert_not_echoed(token: &str, output: &str) {
    let mut parts = token.split('.');
    let (_, payload, signature) = (parts.next(), parts.next().unwrap(), parts.next().unwrap());
    assert!(!output.contains(payload), "payload echoed:\n{output}");
    assert!(
        !output.contains(&signature[..32]),
        "signature echoed:\n{output}"
    );
}

#[test]
fn a_hosted_app_token_verifies_with_the_built_in_key() {
    let run = cosync_run(&["inspect", keys::HOSTED_TOKEN]).expect(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("verified with sandbox.cosync.net's key (SHA-256 7fb17f06…)"),
        "{}",
        run.stdout
    );
    snapshot("inspect/hosted_app_token.txt", &run.stdout);
}

#[test]
fn the_config_app_token_and_its_key() {
    let run = cosync_run(&["inspect", "--config", &config("pass_pem_spki")]).expect(0);
    assert!(run.stdout.contains("an app token"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("verified with `app_token_key` of configs/pass_pem_spki.toml"),
        "{}",
        run.stdout
    );
    // A tampered token: every key tried is named, and the exit status says it failed.
    let run = cosync_run(&["inspect", "--config", &config("tampered_signature")]).expect(1);
    assert!(run.stdout.contains("does not verify"), "{}", run.stdout);
    assert!(
        run.stdout.contains("tried `app_token_key`"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("has 1 error"), "{}", run.stdout);
}

#[test]
fn a_user_jwt_verifies_with_the_realm_public_key() {
    let token = user_jwt(1_767_312_000);
    let run = inspect_stdin(&["-", "--config", &config("pass_pem_spki")], &token).expect(0);
    assert!(run.stdout.contains("a user JWT"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("verified with `public_key` of configs/pass_pem_spki.toml"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("`aud` is the `realm_app_id`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("2026-01-02T00:00:00Z (in 1 day)"),
        "times for people, against SOURCE_DATE_EPOCH:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"editor\""),
        "claims are shown:\n{}",
        run.stdout
    );
    assert!(!run.stderr.contains("shell history"), "read from stdin");
    assert_not_echoed(&token, &run.all());
    snapshot("inspect/user_jwt.txt", &run.stdout);

    // Expired: still decoded and verified, with a warning.
    let run = inspect_stdin(&["-", "--config", &config("pass_pem_spki")], &user_jwt(1)).expect(0);
    assert!(run.stdout.contains("the token expired"), "{}", run.stdout);
}

#[test]
fn a_user_jwt_without_its_key_is_not_checked() {
    let dir = scratch();
    let token = user_jwt(1_767_312_000);
    let run = run(cosync()
        .args(["inspect", "-"])
        .current_dir(dir.path())
        .write_stdin(token.clone()))
    .expect(0);
    assert!(run.stdout.contains("not checked"), "{}", run.stdout);
    assert!(run.stdout.contains("--config"), "{}", run.stdout);
    // The server keys never sign user JWTs, so they are not tried.
    assert!(!run.stdout.contains("sandbox.cosync.net"), "{}", run.stdout);
}

#[test]
fn credentials_are_decoded_but_never_echoed() {
    let dir = scratch();
    let token = access_token();
    let run = run(cosync()
        .args(["inspect", &token, "--key"])
        .arg(crate::support::fixtures().join("keys/server.pub.pem"))
        .current_dir(dir.path()))
    .expect(0);
    assert!(
        run.stdout.contains("a user's access token"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\"ann@example.com\""), "{}", run.stdout);
    assert!(run.stdout.contains("verified with"), "{}", run.stdout);
    assert!(
        run.stdout.contains("shell history"),
        "passed as an argument:\n{}",
        run.stdout
    );
    assert_not_echoed(&token, &run.all());

    // Without its server's key: only the hosted servers' keys are tried, none verifies, and the
    // help says how to give the right one.
    let run =
        crate::support::run(cosync().args(["inspect", &token]).current_dir(dir.path())).expect(1);
    assert!(run.stdout.contains("--key FILE"), "{}", run.stdout);
    assert_not_echoed(&token, &run.all());

    let run = inspect_stdin(&["-", "--format", "json"], &token).expect(1);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["secret"], true);
    assert_not_echoed(&token, &run.stdout);
}

/// The other server-signed credentials (COSYNC.md 1.5 to 1.7): decoded and verified with the
/// server key, named as what they are, never echoed, wherever they come from.
#[test]
fn login_tokens_and_secrets_are_decoded_but_never_echoed() {
    let server_key = crate::support::fixtures().join("keys/server.pub.pem");
    for (payload, kind, description) in [
        (
            format!(
                r#"{{"handle":"ann@example.com","appId":"{}","iat":1767225000}}"#,
                mint::FIXTURE_APP_ID
            ),
            "login_token",
            "login token",
        ),
        (
            r#"{"name":"Fixture-CosyncJWT-Server","scope":"server","iat":1767225000}"#.to_owned(),
            "server_secret",
            "server secret",
        ),
        (
            format!(
                r#"{{"appId":"{}","scope":"appSecret","iat":1767225000}}"#,
                mint::FIXTURE_APP_ID
            ),
            "app_secret",
            "app secret",
        ),
    ] {
        let token = mint::rs256(mint::RS256_HEADER, &payload, keys::SERVER_PRIVATE);
        let key = server_key.to_str().unwrap();
        // As an argument (warned about), on stdin, as JSON, and as the app token of a config.
        let argument = cosync_run(&["inspect", &token, "--key", key]).expect(0);
        assert!(argument.stdout.contains(description), "{}", argument.stdout);
        assert!(
            argument.stdout.contains("a credential"),
            "{}",
            argument.stdout
        );
        assert!(
            argument.stdout.contains("shell history"),
            "{}",
            argument.stdout
        );
        assert!(
            argument.stdout.contains("verified with"),
            "{}",
            argument.stdout
        );
        assert_not_echoed(&token, &argument.all());

        let stdin = inspect_stdin(&["-", "--key", key], &token).expect(0);
        assert!(!stdin.stdout.contains("shell history"), "{}", stdin.stdout);
        assert_not_echoed(&token, &stdin.all());

        let json = inspect_stdin(&["-", "--key", key, "--format", "json"], &token).expect(0);
        assert_not_echoed(&token, &json.all());
        let json: Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(json["kind"], kind);
        assert_eq!(json["secret"], true);
        assert_eq!(json["signature"]["verified"], true);
        assert_eq!(json["signature"]["signer"]["source"], "key");

        let dir = scratch();
        std::fs::write(
            dir.path().join("cosync.toml"),
            format!(
                "app_token = \"{token}\"\npublic_key = \"{}\"\n",
                keys::HOSTED_RAW_KEY
            ),
        )
        .unwrap();
        let config = run(cosync().arg("inspect").current_dir(dir.path())).expect(1);
        assert!(config.stdout.contains(description), "{}", config.stdout);
        assert_not_echoed(&token, &config.all());
    }
}

/// `--profile` and `COSYNC_PROFILE` choose the keys of the configuration, as for check.
#[test]
fn the_profile_chooses_the_keys() {
    let profile = config("pass_profile");
    // At the top level there is no app_token_key, and the token is not a hosted server's.
    let run = cosync_run(&["inspect", "--config", &profile]).expect(1);
    assert!(run.stdout.contains("does not verify"), "{}", run.stdout);
    let run = cosync_run(&["inspect", "--config", &profile, "--profile", "staging"]).expect(0);
    assert!(
        run.stdout
            .contains("verified with `app_token_key` of configs/pass_profile.toml"),
        "{}",
        run.stdout
    );
    let run = crate::support::run(
        cosync()
            .args(["inspect", "--config", &profile])
            .env("COSYNC_PROFILE", "staging"),
    )
    .expect(0);
    assert!(
        run.stdout.contains("verified with `app_token_key`"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_cross_check_with_the_config_app() {
    let token = access_token();
    let run = inspect_stdin(&["-", "--config", &config("pass_pem_spki")], &token).expect(0);
    assert!(
        run.stdout.contains("`appId` is the app of"),
        "{}",
        run.stdout
    );
    let other = mint::rs256(
        mint::RS256_HEADER,
        r#"{"handle":"a@b.c","appId":"00000000000000000000000000000000","scope":"user","iat":1}"#,
        keys::SERVER_PRIVATE,
    );
    let run = inspect_stdin(&["-", "--config", &config("pass_pem_spki")], &other).expect(0);
    assert!(
        run.stdout.contains("`appId` is not the app of"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_output() {
    let run = cosync_run(&["inspect", keys::HOSTED_TOKEN, "--format", "json"]).expect(0);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["error"], Value::Null);
    assert_eq!(json["kind"], "app_token");
    assert_eq!(json["secret"], false);
    assert_eq!(json["length"], 650);
    assert_eq!(json["header"]["alg"], "RS256");
    assert_eq!(json["claims"]["appId"], keys::HOSTED_APP_ID);
    assert_eq!(json["times"][0]["claim"], "iat");
    assert_eq!(json["times"][0]["unix"], 1_679_074_164);
    assert_eq!(json["times"][0]["utc"], "2023-03-17T17:29:24Z");
    let signature = &json["signature"];
    assert_eq!(signature["algorithm"], "RS256");
    assert_eq!(signature["bytes"], 384);
    assert_eq!(signature["checked"], true);
    assert_eq!(signature["verified"], true);
    assert_eq!(signature["signer"]["source"], "hosted");
    assert_eq!(
        signature["signer"]["fingerprint"],
        "7fb17f06a310c83a236ddc39c9243b709d4c2e17aae382af676ab0c9332d9692"
    );
    assert_eq!(signature["tried"].as_array().unwrap().len(), 1);
}

#[test]
fn malformed_and_unsigned_tokens_fail() {
    let run = cosync_run(&["inspect", "abc.def"]).expect(1);
    assert!(run.stderr.contains("not a CoSync token"), "{}", run.stderr);
    assert!(!run.all().contains("abc.def"));

    let unsigned = format!(
        "{}.{}.",
        mint::b64url(br#"{"alg":"none"}"#),
        mint::b64url(mint::app_payload(mint::FIXTURE_APP_ID, 1).as_bytes())
    );
    let run = cosync_run(&["inspect", &unsigned]).expect(1);
    assert!(run.stdout.contains("unsigned"), "{}", run.stdout);

    let hmac = mint::hs256(
        mint::RS256_HEADER.replace("RS256", "HS256").as_str(),
        &mint::app_payload(mint::FIXTURE_APP_ID, 1),
        keys::APP_PUBLIC.as_bytes(),
    );
    let run = cosync_run(&["inspect", &hmac]).expect(1);
    assert!(run.stdout.contains("HS256"), "{}", run.stdout);

    let json = cosync_run(&["inspect", "abc.def", "--format", "json"]).expect(1);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(json["error"].as_str().unwrap().contains("2 part(s)"));
}

#[test]
fn a_private_key_is_refused_unprinted() {
    let run = inspect_stdin(&["-"], keys::APP_PRIVATE).expect(1);
    assert!(run.stderr.contains("PRIVATE key"), "{}", run.stderr);
    crate::support::assert_no_pem_line(keys::APP_PRIVATE, &run.all());
    // Every form, on stdin: refused, or at worst not a token; never printed.
    for sample in crate::support::private_samples() {
        let run = crate::support::run(
            cosync()
                .args(["inspect", "-"])
                .write_stdin(sample.bytes.clone()),
        )
        .expect(1);
        sample.assert_not_in(&run.all());
        assert!(run.stdout.is_empty(), "{}: {}", sample.name, run.stdout);
    }
}

/// The raw form of a private key, wrapped by a terminal: the line breaks fall inside the
/// base64 of "PRIVATE KEY-----", which only the rejoined text shows.
#[test]
fn a_wrapped_raw_private_key_is_refused_as_one() {
    let raw = mint::raw_of_pem(keys::APP_PRIVATE);
    let marker = [
        "UFJJVkFURSBLRVktLS0tL",
        "BSSVZBVEUgS0VZLS0tLS",
        "QUklWQVRFIEtFWS0tLS0t",
    ]
    .iter()
    .find_map(|m| raw.find(m))
    .expect("the raw form holds the marker");
    // Break every 8 characters from inside the marker, so no line holds it whole.
    let mut wrapped = String::new();
    for (i, c) in raw.chars().enumerate() {
        if i > marker && (i - marker) % 8 == 4 {
            wrapped.push_str("\r\n");
        }
        wrapped.push(c);
    }
    assert!(!cosync_runtime::contains_private_key_marker(&wrapped));
    let run = inspect_stdin(&["-"], &wrapped).expect(1);
    assert!(run.stderr.contains("PRIVATE key"), "{}", run.stderr);
    assert!(!run.all().contains(&raw[..40]), "{}", run.all());
}

#[test]
fn a_wrapped_paste_is_rejoined() {
    let (head, tail) = keys::HOSTED_TOKEN.split_at(300);
    let run = inspect_stdin(&["-"], &format!("\"{head}\r\n  {tail}\"\n")).expect(0);
    assert!(
        run.stdout
            .contains("whitespace inside the token was removed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("verified with sandbox.cosync.net"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_config_fails_even_with_a_token() {
    // The token verifies with a built-in key, but the configuration asked for is not there:
    // saying nothing would hide a typo in --config.
    let run = cosync_run(&["inspect", keys::HOSTED_TOKEN, "--config", "nosuch.toml"]).expect(2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.starts_with("error: cannot read `nosuch.toml`: "),
        "{}",
        run.stderr
    );
    let run = cosync_run(&["inspect", keys::HOSTED_TOKEN, "--key", "keys/nosuch.pem"]).expect(2);
    assert!(run.stderr.contains("keys/nosuch.pem"), "{}", run.stderr);
}

/// --key takes what every key option takes: a file, `-`, or the key itself in the raw form; a
/// private key there is refused unprinted, not reported as a missing file named by it.
#[test]
fn key_values_are_files_stdin_or_keys() {
    let token = access_token();
    let server_raw = mint::raw_of_pem(keys::SERVER_PUBLIC);
    let run = inspect_stdin(&["-", "--key", &server_raw], &token).expect(0);
    assert!(
        run.stdout.contains("verified with the --key value"),
        "{}",
        run.stdout
    );
    let run = run_key_stdin(&token, keys::SERVER_PUBLIC).expect(0);
    assert!(
        run.stdout.contains("verified with the key read from stdin"),
        "{}",
        run.stdout
    );
    let run = inspect_stdin(&["-", "--key", "-"], &token).expect(2);
    assert!(
        run.stderr.contains("cannot both be read from stdin"),
        "{}",
        run.stderr
    );
    for sample in crate::support::private_samples() {
        let Ok(text) = std::str::from_utf8(&sample.bytes) else {
            continue;
        };
        let run = cosync_run(&["inspect", &token, "--key", text]);
        let run = run.expect(1);
        assert!(
            run.stderr.contains("PRIVATE key"),
            "{}: {}",
            sample.name,
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        sample.assert_not_in(&run.all());
    }
}

/// `inspect TOKEN --key -`: the token as an argument, the key on stdin.
fn run_key_stdin(token: &str, key: &str) -> crate::support::Run {
    run(cosync()
        .args(["inspect", token, "--key", "-"])
        .write_stdin(key.as_bytes().to_vec()))
}

#[test]
fn no_token_and_no_config_is_a_usage_error() {
    let dir = scratch();
    let run = run(cosync().arg("inspect").current_dir(dir.path())).expect(2);
    assert!(run.stderr.contains("no token to inspect"), "{}", run.stderr);
}
