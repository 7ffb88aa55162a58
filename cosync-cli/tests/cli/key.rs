//! `cargo cosync key`: conversions checked against OpenSSL's own files in tests/fixtures/keys.

use cosync_runtime::PublicKey;
use cosync_test_support::{keys, mint};
use serde_json::Value;

use crate::support::{assert_no_pem_line, cosync, cosync_run, private_samples, run, scratch};

const PEM: &str = "keys/app.pub.pem";
const PKCS1: &str = "keys/app.pkcs1.pem";
const DER: &str = "keys/app.pub.der";

fn key_stdin(args: &[&str], stdin: &[u8]) -> crate::support::Run {
    run(cosync().arg("key").args(args).write_stdin(stdin.to_vec()))
}

#[test]
fn converts_to_what_openssl_writes() {
    // OpenSSL ends its PEM files with a newline; so does stdout here.
    let run = cosync_run(&["key", PEM, "--to", "pkcs1"]).expect(0);
    assert_eq!(run.stdout, keys::APP_PUBLIC_PKCS1);
    let run = cosync_run(&["key", PKCS1]).expect(0);
    assert_eq!(run.stdout, keys::APP_PUBLIC);
    let run = cosync_run(&["key", PEM, "--to", "der"]).expect(0);
    assert_eq!(run.stdout_bytes, keys::APP_PUBLIC_DER);
    let run = cosync_run(&["key", DER, "--to", "pem"]).expect(0);
    assert_eq!(run.stdout, keys::APP_PUBLIC);
    let run = cosync_run(&["key", PKCS1, "--to", "raw"]).expect(0);
    assert_eq!(
        run.stdout,
        format!("{}\n", mint::raw_of_pem(keys::APP_PUBLIC))
    );
}

#[test]
fn the_raw_form_round_trips_byte_for_byte() {
    // CoSync's own published raw key (COSYNC.md 7.5) comes back unchanged.
    let pem = key_stdin(&["--to", "pem"], keys::HOSTED_RAW_KEY.as_bytes()).expect(0);
    let raw = key_stdin(&["--to", "raw"], pem.stdout.as_bytes()).expect(0);
    assert_eq!(raw.stdout, format!("{}\n", keys::HOSTED_RAW_KEY));
    // And as an argument instead of a file.
    let run = cosync_run(&["key", keys::HOSTED_RAW_KEY, "--to", "raw"]).expect(0);
    assert_eq!(run.stdout, format!("{}\n", keys::HOSTED_RAW_KEY));
}

#[test]
fn pasted_keys_with_crlf_and_spaces() {
    let pasted: String = keys::APP_PUBLIC
        .lines()
        .map(|l| format!("  {l} \r\n"))
        .collect();
    let run = key_stdin(&[], pasted.as_bytes()).expect(0);
    assert_eq!(run.stdout, keys::APP_PUBLIC);
}

#[test]
fn fingerprint_and_description() {
    let expected = mint::fingerprint(keys::APP_PUBLIC_DER);
    let run = cosync_run(&["key", PEM, "--fingerprint"]).expect(0);
    assert_eq!(run.stdout, format!("{expected}\n"));
    // What the key is goes to stderr, so stdout pipes.
    let run = cosync_run(&["key", PEM, "--to", "raw"]).expect(0);
    assert_eq!(
        run.stderr,
        format!("RSA-2048 public key, SHA-256 {expected}, read as PEM (SPKI)\n")
    );
    let run = cosync_run(&["key", "keys/app3072.pub.pem"]).expect(0);
    assert!(
        run.stderr.starts_with("RSA-3072 public key"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_hosted_server_key_is_named() {
    let dir = scratch();
    let path = dir.path().join("sandbox.pem");
    let sandbox = cosync_build::hosted::for_host("sandbox.cosync.net").unwrap();
    std::fs::write(&path, sandbox.key().to_pem()).unwrap();
    let run = run(cosync().arg("key").arg(&path)).expect(0);
    assert!(
        run.stderr
            .contains("sandbox.cosync.net's app-token signing key"),
        "{}",
        run.stderr
    );
}

#[test]
fn jwk_members_are_the_openssl_key() {
    let run = cosync_run(&["key", PEM, "--to", "jwk", "--kid"]).expect(0);
    let jwk: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["e"], "AQAB");
    assert_eq!(jwk["kid"], mint::fingerprint(keys::APP_PUBLIC_DER));
    let n = mint::b64url_decode(jwk["n"].as_str().unwrap());
    let e = mint::b64url_decode(jwk["e"].as_str().unwrap());
    assert_ne!(n[0], 0, "no leading zero byte (RFC 7518 6.3.1.1)");
    let rebuilt = PublicKey::from_components(&n, &e).unwrap();
    assert_eq!(rebuilt.to_der(), keys::APP_PUBLIC_DER);
    let run = cosync_run(&["key", PEM, "--to", "jwk"]).expect(0);
    let jwk: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(jwk.get("kid"), None);
}

#[test]
fn private_keys_are_refused_without_printing_them() {
    let dir = scratch();
    for sample in private_samples() {
        let name = sample.name;
        let file = dir.path().join("private");
        std::fs::write(&file, &sample.bytes).unwrap();
        let mut runs = vec![key_stdin(&["--to", "raw"], &sample.bytes)];
        for to in ["pem", "raw", "der", "jwk"] {
            runs.push(run(cosync().arg("key").arg(&file).args(["--to", to])));
        }
        runs.push(run(cosync().arg("key").arg(&file).arg("--fingerprint")));
        if std::str::from_utf8(&sample.bytes).is_ok() {
            // As the argument: refused as a key, never echoed as a file name that is missing.
            runs.push(cosync_run(&["key", sample.text()]));
        }
        for run in runs {
            let run = run.expect(1);
            assert!(run.stdout_bytes.is_empty(), "{name}: {}", run.stdout);
            assert!(run.stderr.contains("PRIVATE key"), "{name}: {}", run.stderr);
            assert!(
                !run.stderr.contains("no such file"),
                "{name}: {}",
                run.stderr
            );
            sample.assert_not_in(&run.all());
        }
    }
    let run = cosync_run(&["key", "keys/app.key"]).expect(1);
    assert_no_pem_line(keys::APP_PRIVATE, &run.all());
}

#[test]
fn a_raw_key_argument_may_be_wrapped_or_spaced() {
    let raw = mint::raw_of_pem(keys::APP_PUBLIC);
    let chunks: Vec<&str> = raw
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    for pasted in [chunks.join(" "), chunks.join("\n"), chunks.join("\r\n  ")] {
        let run = cosync_run(&["key", &pasted, "--to", "raw"]).expect(0);
        assert_eq!(run.stdout, format!("{raw}\n"));
    }
}

#[test]
fn unusable_keys_and_inputs() {
    let run = cosync_run(&["key", "keys/small.pub.pem"]).expect(1);
    assert!(run.stderr.contains("only 1024 bits"), "{}", run.stderr);
    let run = cosync_run(&["key", "keys/ec.pub.pem"]).expect(1);
    assert!(run.stderr.contains("EC key"), "{}", run.stderr);
    let run = key_stdin(&[], b"").expect(1);
    assert!(run.stderr.contains("the key is empty"), "{}", run.stderr);
    let run = cosync_run(&["key", "keys/no-such.pem"]).expect(2);
    assert!(run.stderr.contains("no such file"), "{}", run.stderr);
}
