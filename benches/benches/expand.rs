//! What `cosync_constants!()` costs each time rustc or rust-analyzer expands it.
//!
//! For 2048- and 3072-bit keys, measures the whole expansion (read `cosync.toml`, resolve a
//! `{ file = … }` key, run every check, verify RS256, emit the items) against a baseline measured
//! in the same run: the bare RS256 verification of the same token with the `rsa` crate, the
//! floor any compile-time verifier pays.
//!
//! Run both profiles with `benches/run.sh`, or one with
//! `cargo bench -p cosync-benches --bench expand [--profile bench-debug]`. `bench-debug` is the dev profile users get by default:
//! proc macros are compiled unoptimised unless a project sets `[profile.dev.build-override]`.

mod support;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cosync_test_support::{keys, mint};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;

fn setup(bits: u32) -> (PathBuf, String, &'static str) {
    let (server_private, server_public, app_public) = match bits {
        2048 => (keys::APP_PRIVATE, keys::APP_PUBLIC, keys::APP3072_PUBLIC),
        _ => (keys::SERVER_PRIVATE, keys::SERVER_PUBLIC, keys::APP_PUBLIC),
    };
    // Sign with a key of the measured size: verification cost grows with the modulus.
    let token = mint::rs256(
        mint::RS256_HEADER,
        &mint::app_payload(mint::FIXTURE_APP_ID, mint::FIXTURE_IAT),
        server_private,
    );
    let dir =
        std::env::temp_dir().join(format!("cosync-bench-expand-{bits}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("signer.pem"), server_public).unwrap();
    std::fs::write(
        dir.join("cosync.toml"),
        format!(
            "app_token = \"{token}\"\npublic_key = \"\"\"\n{}\"\"\"\nrest_address = \"https://auth.example.test\"\napp_token_key = {{ file = \"signer.pem\" }}\n",
            app_public
        ),
    )
    .unwrap();
    (dir, token, server_public)
}

fn expand(dir: &Path) -> usize {
    let checked = cosync_build::Check::new(dir.join("cosync.toml"))
        .env([("unused", "")])
        .run();
    let tokens = checked.tokens().expect("valid fixture");
    tokens.into_iter().count()
}

fn main() {
    let profile = if cfg!(debug_assertions) {
        "dev (unoptimised, the default for proc macros)"
    } else {
        "release"
    };
    println!("cosync_constants!() expansion, profile: {profile}");
    println!("| key | baseline: RS256 verify (rsa) | full expansion | ratio |");
    println!("|---|---|---|---|");
    for bits in [2048u32, 3072] {
        let (dir, token, signer_pem) = setup(bits);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let signature = mint::b64url_decode(signature);
        let key = rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(
            rsa::PublicKey::from_public_key_pem(signer_pem).unwrap(),
        );
        let signature = rsa::pkcs1v15::Signature::try_from(signature.as_slice()).unwrap();
        assert!(expand(&dir) > 0);
        let (full, baseline) = support::compare(
            || {
                black_box(expand(black_box(&dir)));
            },
            || {
                key.verify(black_box(input.as_bytes()), black_box(&signature))
                    .unwrap();
            },
            Duration::from_millis(20),
        );
        println!(
            "| RSA-{bits} | {} | {} | {:.2}× |",
            support::show(baseline),
            support::show(full),
            full.as_secs_f64() / baseline.as_secs_f64()
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
