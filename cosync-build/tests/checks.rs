//! The check rules, run on every fixture of `tests/fixtures/configs` and on targeted inputs.

use std::path::{Path, PathBuf};

use cosync_build::{Check, Checked, Severity};
use cosync_test_support::fixtures::{self, BUILD_TIME, ENV_TOKEN_VAR, Expect, Suite};
use cosync_test_support::{keys, mint, workspace_root};

fn fixtures_dir() -> PathBuf {
    workspace_root().join("tests/fixtures")
}

fn check_fixture(name: &str, env: &[(&str, String)]) -> Checked {
    let dir = fixtures_dir();
    Check::new(dir.join(format!("configs/{name}.toml")))
        .base_dir(&dir)
        .now(BUILD_TIME)
        .env(env.iter().cloned())
        .run()
}

/// Every piece of secret material the fixtures contain: no rendered diagnostic may show any of it.
fn secrets() -> Vec<String> {
    let mut secrets = Vec::new();
    for pem in [
        keys::SERVER_PRIVATE,
        keys::OTHER_SERVER_PRIVATE,
        keys::APP_PRIVATE,
        keys::APP3072_PRIVATE,
    ] {
        // Any body line of a private key.
        secrets.extend(
            pem.lines()
                .filter(|l| !l.starts_with("-----"))
                .map(str::to_owned),
        );
    }
    secrets
}

/// Writes `toml` into a fresh directory (beside copies of the fixture keys) and checks it.
fn check_text(toml: &str, env: &[(&str, &str)]) -> Checked {
    let dir = tempdir();
    std::fs::write(dir.join("cosync.toml"), toml).unwrap();
    std::fs::write(dir.join("server.pub.pem"), keys::SERVER_PUBLIC).unwrap();
    Check::new(dir.join("cosync.toml"))
        .now(BUILD_TIME)
        .env(env.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        .run()
}

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cosync-build-checks-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rendered(checked: &Checked) -> String {
    checked.diagnostics().to_string()
}

fn errors(checked: &Checked) -> Vec<String> {
    checked
        .diagnostics()
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .map(|d| d.message().to_owned())
        .collect()
}

#[test]
fn every_fail_fixture_is_refused_with_a_field_and_a_fix() {
    let secrets = secrets();
    let mut seen = 0;
    for case in fixtures::cases() {
        if case.suite != Suite::Main || !matches!(case.expect, Expect::Fail) {
            continue;
        }
        seen += 1;
        let checked = check_fixture(case.name, &[]);
        assert!(checked.model().is_none(), "{} was accepted", case.name);
        assert!(checked.diagnostics().has_errors(), "{}", case.name);
        let out = rendered(&checked);
        for d in checked.diagnostics().iter() {
            let names_something = d.message().contains('`') || d.message().starts_with("app token");
            assert!(
                names_something,
                "{}: `{}` names no field or file",
                case.name,
                d.message()
            );
            assert!(
                d.help_text().is_some() || d.severity() == Severity::Warning,
                "{}: `{}` has no help",
                case.name,
                d.message()
            );
        }
        for secret in &secrets {
            assert!(
                !out.contains(secret.as_str()),
                "{} leaked key material:\n{out}",
                case.name
            );
        }
    }
    assert!(seen >= 30, "only {seen} fail fixtures");
}

#[test]
fn every_pass_fixture_is_accepted() {
    let token = mint::app_token();
    for case in fixtures::cases() {
        let Expect::Pass(_) = case.expect else {
            continue;
        };
        let mut checked = check_fixture(case.name, &[(ENV_TOKEN_VAR, token.clone())]);
        if case.suite == Suite::Profile {
            let dir = fixtures_dir();
            checked = Check::new(dir.join(format!("configs/{}.toml", case.name)))
                .base_dir(&dir)
                .now(BUILD_TIME)
                .profile("staging")
                .env([("unused", "")])
                .run();
        }
        assert!(
            checked.model().is_some(),
            "{} was refused:\n{}",
            case.name,
            rendered(&checked)
        );
        assert_eq!(checked.diagnostics().error_count(), 0);
    }
}

#[test]
fn mis_pasted_credentials_are_never_quoted() {
    for name in [
        "scope_access_token",
        "scope_login_token",
        "scope_app_secret",
        "scope_server_secret",
        "scope_user_jwt",
    ] {
        let text =
            std::fs::read_to_string(fixtures_dir().join(format!("configs/{name}.toml"))).unwrap();
        let token = text
            .lines()
            .find_map(|l| l.strip_prefix("app_token = \""))
            .unwrap()
            .trim_end_matches('"');
        let out = rendered(&check_fixture(name, &[]));
        // Not even the header: the label shows `…` instead of the value.
        assert!(
            !out.contains(&token[..10]),
            "{name} quoted the token:\n{out}"
        );
        assert!(out.contains("(not shown)"), "{name}:\n{out}");
    }
}

#[test]
fn the_hosted_sample_verifies_with_the_built_in_sandbox_key() {
    let toml = format!(
        "app_token = \"{}\"\npublic_key = \"{}\"\nrealm_app_id = \"toto-bzvdn\"\n",
        keys::HOSTED_TOKEN,
        keys::HOSTED_RAW_KEY
    );
    let checked = check_text(&toml, &[]);
    let model = checked
        .model()
        .unwrap_or_else(|| panic!("{}", rendered(&checked)));
    assert_eq!(model.app_token().app_id(), keys::HOSTED_APP_ID);
    assert_eq!(model.rest_address().as_str(), "https://sandbox.cosync.net");
    assert!(
        model
            .signer()
            .describe()
            .starts_with("sandbox.cosync.net's key")
    );

    let wrong_host = check_text(
        &format!("{toml}rest_address = \"https://rest.cosync.net\"\n"),
        &[],
    );
    assert!(wrong_host.model().is_none());
    let out = rendered(&wrong_host);
    assert!(out.contains("signed by sandbox.cosync.net's key"), "{out}");
    assert!(
        out.contains("rest_address = \"https://sandbox.cosync.net\""),
        "{out}"
    );

    // The sandbox token with a configured key that is not the signer: the built-in key is named.
    let other_key = check_text(
        &format!("{toml}app_token_key = {{ file = \"server.pub.pem\" }}\n"),
        &[],
    );
    let out = rendered(&other_key);
    assert!(
        out.contains("signed by sandbox.cosync.net's key, not `app_token_key`'s"),
        "{out}"
    );
    assert!(out.contains("remove `app_token_key`"), "{out}");
}

fn fixture_toml(extra: &str) -> String {
    format!(
        "app_token = \"{}\"\npublic_key = \"{}\"\nrest_address = \"https://auth.example.test\"\napp_token_key = {{ file = \"server.pub.pem\" }}\n{extra}",
        mint::app_token(),
        mint::raw_of_pem(keys::APP_PUBLIC)
    )
}

#[test]
fn values_come_from_env_and_files_and_are_tracked() {
    let dir = tempdir();
    std::fs::write(dir.join("server.pub.pem"), keys::SERVER_PUBLIC).unwrap();
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    std::fs::write(dir.join("keys/realm.pem"), keys::APP_PUBLIC).unwrap();
    std::fs::write(
        dir.join("cosync.toml"),
        "app_token = { env = \"MY_TOKEN\" }\npublic_key = { file = \"keys/realm.pem\" }\nrest_address = \"https://auth.example.test\"\napp_token_key = { file = \"server.pub.pem\" }\n",
    )
    .unwrap();
    let checked = Check::new(dir.join("cosync.toml"))
        .now(BUILD_TIME)
        .env([("MY_TOKEN", mint::app_token())])
        .run();
    assert!(checked.model().is_some(), "{}", rendered(&checked));
    let inputs = checked.inputs();
    let mut files: Vec<&Path> = inputs.files().iter().map(PathBuf::as_path).collect();
    files.sort();
    assert_eq!(
        files,
        [
            dir.join("cosync.toml").as_path(),
            dir.join("keys/realm.pem").as_path(),
            dir.join("server.pub.pem").as_path(),
        ]
    );
    assert!(inputs.env_vars().contains(&"MY_TOKEN".to_owned()));
    assert!(inputs.env_vars().contains(&"COSYNC_PROFILE".to_owned()));
    assert!(
        inputs
            .rerun_lines()
            .contains("cargo:rerun-if-env-changed=MY_TOKEN\n")
    );
}

#[test]
fn profiles_override_and_unselected_profiles_are_not_resolved() {
    let toml = fixture_toml(
        "\n[profile.staging]\nrest_address = \"https://staging.example.test\"\n\n[profile.prod]\napp_token = { env = \"PROD_TOKEN\" }\n",
    );
    let none = check_text(&toml, &[]);
    assert_eq!(
        none.model().unwrap().rest_address().as_str(),
        "https://auth.example.test"
    );
    assert!(!none.inputs().env_vars().contains(&"PROD_TOKEN".to_owned()));

    let staging = check_text(&toml, &[("COSYNC_PROFILE", "staging")]);
    assert_eq!(
        staging.model().unwrap().rest_address().as_str(),
        "https://staging.example.test"
    );

    let prod = check_text(&toml, &[("COSYNC_PROFILE", "prod")]);
    assert_eq!(
        errors(&prod),
        ["environment variable `PROD_TOKEN` is not set"]
    );
    assert!(rendered(&prod).contains("[profile.prod]") || rendered(&prod).contains("PROD_TOKEN"));

    let missing = check_text(&toml, &[("COSYNC_PROFILE", "qa")]);
    let out = rendered(&missing);
    assert!(
        out.contains("profile `qa` (from COSYNC_PROFILE) is not defined"),
        "{out}"
    );
    assert!(out.contains("`prod`, `staging`"), "{out}");
}

#[test]
fn unknown_keys_are_refused_everywhere_with_suggestions() {
    let checked = check_text(
        &fixture_toml(
            "APP_TOKEN_KEY = \"x\"\n[profile.staging]\nrest_adress = \"https://x.example\"\n",
        ),
        &[],
    );
    let out = rendered(&checked);
    assert!(
        out.contains("unknown key `APP_TOKEN_KEY` in cosync.toml"),
        "{out}"
    );
    assert!(out.contains("did you mean `app_token_key`?"), "{out}");
    assert!(
        out.contains("unknown key `rest_adress` in a profile"),
        "{out}"
    );
    assert!(out.contains("did you mean `rest_address`?"), "{out}");
}

#[test]
fn value_sources_are_validated() {
    let cases = [
        ("realm_app_id = 42\n", "`realm_app_id` must be a string"),
        ("realm_app_id = { envv = \"X\" }\n", "did you mean `env`?"),
        (
            "realm_app_id = { env = \"X\", file = \"y\" }\n",
            "must name exactly one source",
        ),
        (
            "realm_app_id = { env = \"\" }\n",
            "`realm_app_id.env` is empty",
        ),
        (
            "realm_app_id = { file = 3 }\n",
            "`realm_app_id.file` must be a string",
        ),
        ("profile = 3\n", "`profile` must be a table of profiles"),
        (
            "[profile]\nstaging = 1\n",
            "`profile.staging` must be a table",
        ),
    ];
    for (extra, expected) in cases {
        let out = rendered(&check_text(&fixture_toml(extra), &[]));
        assert!(out.contains(expected), "{extra:?}:\n{out}");
    }
}

#[test]
fn a_private_key_anywhere_is_refused_and_never_shown() {
    let body: Vec<&str> = keys::APP_PRIVATE
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    // In a comment.
    let commented: String = keys::APP_PRIVATE
        .lines()
        .map(|l| format!("# {l}\n"))
        .collect();
    // In an environment variable.
    let from_env = fixture_toml("").replace(
        "app_token_key = { file = \"server.pub.pem\" }",
        "app_token_key = { env = \"SERVER_KEY\" }",
    );
    // As the raw form of a private PEM.
    let raw_private = fixture_toml("").replace(
        &mint::raw_of_pem(keys::APP_PUBLIC),
        &mint::raw_of_pem(keys::APP_PRIVATE),
    );
    for (toml, env, expected) in [
        (fixture_toml(&commented), vec![], "contains a PRIVATE key"),
        (
            from_env,
            vec![("SERVER_KEY", keys::SERVER_PRIVATE)],
            "`app_token_key` holds a PRIVATE key",
        ),
        (raw_private, vec![], "`public_key` holds a PRIVATE key"),
    ] {
        let checked = check_text(&toml, &env);
        let out = rendered(&checked);
        assert!(out.contains(expected), "{out}");
        for line in &body {
            assert!(!out.contains(line), "leaked a private key line:\n{out}");
        }
        let server_body = keys::SERVER_PRIVATE.lines().nth(1).unwrap();
        assert!(!out.contains(server_body), "leaked:\n{out}");
        assert!(
            !out.contains(&mint::raw_of_pem(keys::APP_PRIVATE)[..60]),
            "leaked:\n{out}"
        );
    }
}

#[test]
fn source_date_epoch_is_the_build_time() {
    let token = mint::rs256(
        mint::RS256_HEADER,
        &format!(
            r#"{{"appId":"{}","scope":"app","iat":100,"exp":2000}}"#,
            mint::FIXTURE_APP_ID
        ),
        keys::SERVER_PRIVATE,
    );
    let toml = fixture_toml("").replace(&mint::app_token(), &token);
    let dir = tempdir();
    std::fs::write(dir.join("cosync.toml"), &toml).unwrap();
    std::fs::write(dir.join("server.pub.pem"), keys::SERVER_PUBLIC).unwrap();
    let at = |epoch: &str| {
        Check::new(dir.join("cosync.toml"))
            .env([("SOURCE_DATE_EPOCH", epoch)])
            .run()
    };
    assert!(at("1999").model().is_some());
    assert_eq!(errors(&at("2000")), ["`app_token` has expired"]);
    assert_eq!(
        errors(&at("yesterday")),
        ["SOURCE_DATE_EPOCH is not a Unix timestamp"]
    );
}

#[test]
fn missing_required_keys_are_named() {
    let checked = check_text("rest_address = \"https://sandbox.cosync.net\"\n", &[]);
    assert_eq!(
        errors(&checked),
        [
            "`cosync.toml` has no `app_token`",
            "`cosync.toml` has no `public_key`"
        ]
    );
}

#[test]
fn diagnostics_locate_the_value() {
    let checked = check_fixture("rest_address_insecure", &[]);
    let d = checked.diagnostics().iter().next().unwrap();
    let location = checked.diagnostics().location(d).unwrap();
    assert_eq!(location.file, "configs/rest_address_insecure.toml");
    assert_eq!((location.line, location.column), (5, 17));
}

#[test]
fn labels_say_which_profile_a_value_came_from() {
    let toml = fixture_toml(
        "realm_app_id = \"bad id\"\n[profile.staging]\nrest_address = \"ftp://x.example\"\n",
    );
    let checked = check_text(&toml, &[("COSYNC_PROFILE", "staging")]);
    let labels: Vec<(String, String)> = checked
        .diagnostics()
        .iter()
        .map(|d| {
            (
                d.message().to_owned(),
                d.label().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let address = labels
        .iter()
        .find(|(m, _)| m.contains("rest_address"))
        .unwrap();
    assert!(address.1.ends_with("[profile.staging]"), "{labels:?}");
    let realm = labels
        .iter()
        .find(|(m, _)| m.contains("realm_app_id"))
        .unwrap();
    assert!(!realm.1.contains("[profile"), "{labels:?}");
}

/// A tiny deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn no_input_panics() {
    // Mutations of a valid file: truncations, byte flips, insertions of TOML/JWT/PEM punctuation.
    let valid = fixture_toml(
        "realm_app_id = \"fixture-abcde\"\n[profile.x]\nrest_address = \"https://x.example\"\n",
    );
    let dir = tempdir();
    std::fs::write(dir.join("server.pub.pem"), keys::SERVER_PUBLIC).unwrap();
    let path = dir.join("cosync.toml");
    let mut rng = Lcg(0x5eed);
    let specials: &[&[u8]] = &[
        b"\"",
        b"'",
        b"\n",
        b"\r\n",
        b".",
        b"=",
        b"{",
        b"}",
        b"[",
        b"]",
        b"\\",
        b"\\u",
        b"-----",
        b"\xff",
        b"\xe2\x80\xa6",
        b"\0",
        b"e",
        b"#",
    ];
    for round in 0..600 {
        let mut bytes = valid.clone().into_bytes();
        for _ in 0..=rng.below(4) {
            match rng.below(4) {
                0 => bytes.truncate(rng.below(bytes.len())),
                1 if !bytes.is_empty() => {
                    let i = rng.below(bytes.len());
                    bytes[i] = rng.next() as u8;
                }
                2 => {
                    let i = rng.below(bytes.len());
                    let s = specials[rng.below(specials.len())];
                    bytes.splice(i..i, s.iter().copied());
                }
                _ => {
                    let i = rng.below(bytes.len());
                    let j = (i + rng.below(64)).min(bytes.len());
                    bytes.drain(i..j);
                }
            }
        }
        std::fs::write(&path, &bytes).unwrap();
        let profile = if round % 3 == 0 { "x" } else { "" };
        let checked = std::panic::catch_unwind(|| {
            Check::new(&path)
                .now(BUILD_TIME)
                .env([("COSYNC_PROFILE", profile)])
                .run()
        })
        .unwrap_or_else(|_| {
            panic!(
                "panicked on round {round}: {:?}",
                String::from_utf8_lossy(&bytes)
            )
        });
        // Rendering must not panic either, whatever the spans.
        let _ = rendered(&checked);
        for d in checked.diagnostics().iter() {
            let _ = checked.diagnostics().render_body(d);
        }
    }
}

/// The field or file each failing fixture's first error must name: a table, so a new fixture
/// must say what it expects.
fn expected_subject(case: &str) -> &'static str {
    match case {
        "app_token_key_is_realm_key" => "`app_token_key`",
        "host_without_app_token_key" => "`auth.example.test`",
        "rest_address_insecure" => "`rest_address`",
        "file_missing" => "`configs/file_missing.toml`",
        "toml_syntax" => "`configs/toml_syntax.toml`",
        "unknown_key" => "`app_token`",
        "env_unset" => "`COSYNC_TEST_UNSET_VARIABLE`",
        "key_file_missing" => "`keys/does-not-exist.pem`",
        "several_problems" => "`public_key`",
        "hosted_token_wrong_host"
        | "tampered_payload"
        | "tampered_signature"
        | "token_from_another_key" => "app token signature",
        c if c.starts_with("pem_") || c.starts_with("key_") || c == "private_key_pasted" => {
            "`public_key`"
        }
        c if c.starts_with("alg_")
            || c.starts_with("scope_")
            || c.starts_with("token_")
            || c.starts_with("app_id_")
            || c == "exp_expired"
            || c == "nbf_future" =>
        {
            "`app_token`"
        }
        other => panic!("fail fixture `{other}` has no expected subject: add it here"),
    }
}

#[test]
fn every_fail_fixture_names_its_field() {
    for case in fixtures::cases() {
        if case.suite != Suite::Main || !matches!(case.expect, Expect::Fail) {
            continue;
        }
        let checked = check_fixture(case.name, &[]);
        let first = errors(&checked);
        let expected = expected_subject(case.name);
        assert!(
            first.iter().any(|m| m.contains(expected)),
            "{}: no error names {expected}: {first:?}",
            case.name
        );
    }
}

#[test]
fn an_unusable_app_token_key_is_the_only_error() {
    // Self-hosted: no second error telling the user to set the key they did set.
    for (value, env, expected) in [
        (
            "{ env = \"NOT_SET_ANYWHERE\" }",
            vec![],
            "environment variable `NOT_SET_ANYWHERE` is not set",
        ),
        (
            "\"-----BEGIN PUBLIC KEY-----\\nMIIB\\n\"",
            vec![],
            "`app_token_key` is truncated or damaged",
        ),
        (
            "{ env = \"SERVER_KEY\" }",
            vec![("SERVER_KEY", keys::SERVER_PRIVATE)],
            "`app_token_key` holds a PRIVATE key",
        ),
    ] {
        let toml = fixture_toml("").replace("{ file = \"server.pub.pem\" }", value);
        let checked = check_text(&toml, &env);
        assert_eq!(errors(&checked), [expected], "{}", rendered(&checked));
    }
    // Hosted: the built-in key is not tried in its place.
    let hosted = format!(
        "app_token = \"{}\"\npublic_key = \"{}\"\napp_token_key = {{ env = \"NOT_SET_ANYWHERE\" }}\n",
        keys::HOSTED_TOKEN,
        keys::HOSTED_RAW_KEY
    );
    let checked = check_text(&hosted, &[]);
    assert_eq!(
        errors(&checked),
        ["environment variable `NOT_SET_ANYWHERE` is not set"]
    );
}

#[test]
fn prose_about_private_keys_is_not_a_private_key() {
    let toml = fixture_toml(
        "# Paste the Realm PUBLIC key above, never the private key.\n# NO PRIVATE KEY HERE.\n",
    );
    let checked = check_text(&toml, &[]);
    assert!(checked.model().is_some(), "{}", rendered(&checked));
}

#[test]
fn a_private_jwk_is_refused_and_never_shown() {
    // Made-up base64url values in a private JWK's shape, not a real key.
    let jwk = r#"{"kty":"RSA","n":"u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw","e":"AQAB","d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ"}"#;
    let toml = fixture_toml("").replace(
        &format!("public_key = \"{}\"", mint::raw_of_pem(keys::APP_PUBLIC)),
        &format!("public_key = '{jwk}'"),
    );
    let out = rendered(&check_text(&toml, &[]));
    assert!(out.contains("`public_key` holds a PRIVATE key"), "{out}");
    assert!(
        !out.contains("Eq5xpGnN") && !out.contains("u1SU1L"),
        "{out}"
    );
}

#[test]
fn a_hosted_server_key_is_not_a_realm_key() {
    let server = &cosync_build::hosted::HOSTED_SERVERS[0];
    let toml = format!(
        "app_token = \"{}\"\npublic_key = \"\"\"\n{}\n\"\"\"\n",
        keys::HOSTED_TOKEN,
        server.key().to_pem()
    );
    let checked = check_text(&toml, &[]);
    assert_eq!(
        errors(&checked),
        ["`public_key` is sandbox.cosync.net's server key, not an app's Realm public key"]
    );
    let out = rendered(&checked);
    assert!(out.contains("paste your app's Realm Public Key"), "{out}");
}

#[test]
fn iat_must_be_a_whole_number() {
    for (payload, what) in [
        (
            format!(r#"{{"appId":"{}","scope":"app"}}"#, mint::FIXTURE_APP_ID),
            "missing",
        ),
        (
            format!(
                r#"{{"appId":"{}","scope":"app","iat":"1764547200"}}"#,
                mint::FIXTURE_APP_ID
            ),
            "a string",
        ),
        (
            format!(
                r#"{{"appId":"{}","scope":"app","iat":1764547200.5}}"#,
                mint::FIXTURE_APP_ID
            ),
            "a fraction",
        ),
    ] {
        let token = mint::rs256(mint::RS256_HEADER, &payload, keys::SERVER_PRIVATE);
        let toml = fixture_toml("").replace(&mint::app_token(), &token);
        let checked = check_text(&toml, &[]);
        let errors = errors(&checked);
        assert_eq!(errors, ["`app_token` has invalid claims"], "iat {what}");
        let out = rendered(&checked);
        assert!(out.contains("`iat`"), "iat {what}:\n{out}");
        assert!(out.contains("help: "), "iat {what}:\n{out}");
    }
}

#[test]
fn unreadable_paths_say_how_to_fix_them() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.join("config")).unwrap();
    let checked = Check::new(dir.join("config")).now(BUILD_TIME).run();
    let d = checked.diagnostics().iter().next().unwrap();
    assert!(d.message().starts_with("cannot read"), "{}", d.message());
    assert!(
        d.help_text().unwrap().contains("this is a directory"),
        "{}",
        rendered(&checked)
    );
}

#[test]
fn debug_output_shows_no_secret() {
    let commented: String = keys::APP_PRIVATE
        .lines()
        .map(|l| format!("# {l}\n"))
        .collect();
    let checked = check_text(
        &fixture_toml(&commented),
        &[("SECRET_VAR", "hunter2-secret")],
    );
    let debug = format!("{checked:?}");
    for line in keys::APP_PRIVATE
        .lines()
        .filter(|l| !l.starts_with("-----"))
    {
        assert!(!debug.contains(line), "Debug leaked a private key line");
    }
    let check = Check::new("cosync.toml").env([("SECRET_VAR", "hunter2-secret")]);
    let debug = format!("{check:?}");
    assert!(debug.contains("SECRET_VAR"), "{debug}");
    assert!(!debug.contains("hunter2"), "{debug}");
}
