//! Running the binary in a known environment, and reading what it printed.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use cosync_test_support::fixtures::BUILD_TIME;
use cosync_test_support::snapshot::assert_snapshot;
use cosync_test_support::workspace_root;

/// The binary, with every variable that changes its output pinned or removed: the time is the
/// fixtures' build time, no profile, no colour forced either way.
pub fn cosync() -> Command {
    Command::from_std(cosync_std())
}

/// [`cosync`] as a `std::process::Command`, for tests that choose its stdio themselves.
pub fn cosync_std() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-cosync"));
    command
        .env("SOURCE_DATE_EPOCH", BUILD_TIME.to_string())
        .env_remove("COSYNC_PROFILE")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        // Help is wrapped to the terminal, else to COLUMNS, at most 100 columns.
        .env_remove("COLUMNS")
        .current_dir(fixtures());
    command
}

/// `tests/fixtures`: commands run here, so config paths read `configs/NAME.toml`.
pub fn fixtures() -> PathBuf {
    workspace_root().join("tests/fixtures")
}

pub fn config(name: &str) -> String {
    format!("configs/{name}.toml")
}

/// What a run printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
}

impl Run {
    /// Panics with both streams unless the exit code is `code`.
    #[track_caller]
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

pub fn run(command: &mut Command) -> Run {
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        stdout_bytes: output.stdout,
    }
}

/// Runs `cargo-cosync ARGS` from `tests/fixtures`.
pub fn cosync_run(args: &[&str]) -> Run {
    run(cosync().args(args))
}

/// Compares with (or with `COSYNC_BLESS=1` writes) `cosync-cli/tests/snapshots/NAME`.
pub fn snapshot(name: &str, actual: &str) {
    assert_snapshot(
        &workspace_root()
            .join("cosync-cli/tests/snapshots")
            .join(name),
        actual,
    );
}

/// Removes ANSI SGR sequences.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        match rest[at..].find('m') {
            Some(end) => rest = &rest[at + end + 1..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// A fresh directory outside any Cargo package, removed when dropped.
pub fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("cosync-cli-test")
        .tempdir()
        .expect("temporary directory")
}

/// Asserts that no line of a PEM body (the base64 between BEGIN and END) appears in `output`.
#[track_caller]
pub fn assert_no_pem_line(pem: &str, output: &str) {
    for line in pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 8)
    {
        assert!(
            !output.contains(line),
            "a line of the key was printed: {line}\n{output}"
        );
    }
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A private key in one of the forms people paste by mistake, and pieces of it that must never
/// be printed.
#[derive(Debug)]
pub struct PrivateSample {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub secrets: Vec<String>,
}

impl PrivateSample {
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.bytes).expect("a text form")
    }

    /// Panics if any secret piece appears in `output`.
    #[track_caller]
    pub fn assert_not_in(&self, output: &str) {
        for secret in &self.secrets {
            assert!(
                !output.contains(secret.as_str()),
                "{}: part of the private key was printed: {secret}\n{output}",
                self.name
            );
        }
    }
}

/// The fixture app key's PKCS#8 DER (binary).
pub fn app_private_der() -> Vec<u8> {
    use base64ct::Encoding;
    let body: String = cosync_test_support::keys::APP_PRIVATE
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    base64ct::Base64::decode_vec(&body).expect("the fixture PEM body is base64")
}

fn pem_body_lines(pem: &str) -> Vec<String> {
    pem.lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 8)
        .map(str::to_owned)
        .collect()
}

/// Private keys in every form the tools must recognise as private: PEM (PKCS#8, PKCS#1, the
/// Portal's raw form of one), binary DER, a JSON Web Key with private members (on one line and
/// pretty-printed), a PuTTY .ppk file and an OpenSSH private key. The JWK, PuTTY and OpenSSH
/// bodies are made of base64 of the fixture key's DER; only their shapes matter.
pub fn private_samples() -> Vec<PrivateSample> {
    use cosync_test_support::{keys, mint};
    let der = app_private_der();
    let b64 = |range: std::ops::Range<usize>| mint::b64url(&der[range]);
    let (d, p, q) = (b64(40..296), b64(300..428), b64(430..558));
    let jwk = format!(
        r#"{{"kty":"RSA","n":"{}","e":"AQAB","d":"{d}","p":"{p}","q":"{q}"}}"#,
        b64(600..856)
    );
    let jwk_pretty = format!(
        "{{\n  \"kty\": \"RSA\",\n  \"e\": \"AQAB\",\n  \"d\": \"{d}\",\n  \"p\": \"{p}\",\n  \"q\": \"{q}\"\n}}\n"
    );
    let standard = |range: std::ops::Range<usize>| {
        use base64ct::Encoding;
        base64ct::Base64::encode_string(&der[range])
    };
    let (private_1, private_2) = (standard(100..148), standard(148..196));
    let putty = format!(
        "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: rsa-key-20250101\nPublic-Lines: 1\nAAAAB3NzaC1yc2EAAAADAQABAAABAQ\nPrivate-Lines: 2\n{private_1}\n{private_2}\nPrivate-MAC: 3c2d3f1e0b9a8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d\n"
    );
    let (openssh_1, openssh_2) = (standard(200..251), standard(251..302));
    let openssh = format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABFwAAAAdzc2gtcn\n{openssh_1}\n{openssh_2}\n-----END OPENSSH PRIVATE KEY-----\n"
    );
    let raw = mint::raw_of_pem(keys::APP_PRIVATE_PKCS1);
    vec![
        PrivateSample {
            name: "PKCS#8 PEM",
            bytes: keys::APP_PRIVATE.as_bytes().to_vec(),
            secrets: pem_body_lines(keys::APP_PRIVATE),
        },
        PrivateSample {
            name: "PKCS#1 PEM",
            bytes: keys::APP_PRIVATE_PKCS1.as_bytes().to_vec(),
            secrets: pem_body_lines(keys::APP_PRIVATE_PKCS1),
        },
        PrivateSample {
            name: "raw form of a PKCS#1 PEM",
            secrets: vec![raw[..40].to_owned(), raw[raw.len() - 40..].to_owned()],
            bytes: raw.into_bytes(),
        },
        PrivateSample {
            name: "binary PKCS#8 DER",
            secrets: vec![standard(0..60), mint::b64url(&der[..60])],
            bytes: der.clone(),
        },
        PrivateSample {
            name: "JWK",
            bytes: jwk.into_bytes(),
            secrets: vec![d.clone(), p.clone(), q.clone()],
        },
        PrivateSample {
            name: "pretty-printed JWK",
            bytes: jwk_pretty.into_bytes(),
            secrets: vec![d, p, q],
        },
        PrivateSample {
            name: "PuTTY .ppk",
            bytes: putty.into_bytes(),
            secrets: vec![private_1, private_2],
        },
        PrivateSample {
            name: "OpenSSH private key",
            bytes: openssh.into_bytes(),
            secrets: vec![openssh_1, openssh_2],
        },
    ]
}
