//! The `cosync` generator: reads `cosync.toml`, verifies the app token's signature and claims and
//! the keys, and generates typed constants.
//!
//! It has three front ends that share every check and every message: the
//! [`cosync_constants!()`](https://docs.rs/cosync/latest/cosync/macro.cosync_constants.html) macro,
//! build scripts ([`generate`], [`Builder`]) and `cargo cosync`.
//!
//! # Build-script mode
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     if let Err(error) = cosync_build::generate() {
//!         // The error displays the full rustc-style diagnostic.
//!         eprintln!("{error}");
//!         std::process::exit(1);
//!     }
//! }
//! ```
//!
//! ```ignore
//! // src/main.rs
//! include!(concat!(env!("OUT_DIR"), "/cosync.rs"));
//! ```
//!
//! # What is read
//! `cosync.toml` beside the package's `Cargo.toml` (see the README for every key), the
//! environment variables it names, `COSYNC_PROFILE` (which `[profile.NAME]` to apply) and
//! `SOURCE_DATE_EPOCH` (the build time for `exp`/`nbf` checks, for reproducible builds).
#![deny(missing_docs)]
#![allow(
    clippy::needless_doctest_main,
    reason = "the build.rs example shows a whole build script"
)]

mod check;
mod diagnostic;
mod emit;
pub mod hosted;
mod inputs;
mod model;
mod read;
mod source;
mod time;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use proc_macro2::TokenStream;

pub use diagnostic::{Diagnostic, Diagnostics, Location, Severity};
pub use inputs::Inputs;
pub use model::{Model, Signer};
pub use time::utc;

use diagnostic::Diagnostic as Diag;
use read::Context;

/// The default configuration file name.
pub const CONFIG_FILE: &str = "cosync.toml";
/// Environment variable naming the `[profile.NAME]` to apply.
pub const PROFILE_VAR: &str = "COSYNC_PROFILE";
/// Environment variable that, when set, replaces `CARGO_MANIFEST_DIR` as the directory the
/// macro resolves its path against (used by test harnesses whose crates live elsewhere).
pub const CONFIG_DIR_VAR: &str = "COSYNC_CONFIG_DIR";
/// The reproducible-builds variable: when set, the build time used for `exp`/`nbf` checks.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// One check of a configuration file: the shared engine behind every front end.
///
/// ```no_run
/// let checked = cosync_build::Check::new("cosync.toml").profile("staging").run();
/// if checked.diagnostics().has_errors() {
///     eprintln!("{}", checked.diagnostics());
/// }
/// ```
#[derive(Clone)]
pub struct Check {
    path: PathBuf,
    base_dir: Option<PathBuf>,
    profile: Option<String>,
    now: Option<u64>,
    env: Option<HashMap<String, String>>,
}

impl std::fmt::Debug for Check {
    /// Names the environment's variables, never their values (CI secrets, tokens).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut env: Option<Vec<&String>> = self.env.as_ref().map(|env| env.keys().collect());
        if let Some(names) = &mut env {
            names.sort();
        }
        f.debug_struct("Check")
            .field("path", &self.path)
            .field("base_dir", &self.base_dir)
            .field("profile", &self.profile)
            .field("now", &self.now)
            .field("env", &env)
            .finish()
    }
}

impl Check {
    /// Checks the file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Check {
            path: path.into(),
            base_dir: None,
            profile: None,
            now: None,
            env: None,
        }
    }

    /// The directory file names in messages are shown relative to (default: the file's own).
    pub fn base_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.base_dir = Some(dir.into());
        self
    }

    /// Applies `[profile.NAME]`, overriding `COSYNC_PROFILE`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The build time in Unix seconds, overriding `SOURCE_DATE_EPOCH` and the clock.
    pub fn now(mut self, unix_seconds: u64) -> Self {
        self.now = Some(unix_seconds);
        self
    }

    /// Reads environment variables from `vars` instead of the process environment.
    pub fn env<K: Into<String>, V: Into<String>>(
        mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.env = Some(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }

    /// Runs every check.
    pub fn run(&self) -> Checked {
        let lookup = |name: &str| match &self.env {
            Some(vars) => vars
                .get(name)
                .cloned()
                .ok_or(std::env::VarError::NotPresent),
            None => std::env::var(name),
        };
        let mut cx = Context::new(&lookup);
        let base = self
            .base_dir
            .clone()
            .or_else(|| self.path.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let profile = match &self.profile {
            Some(name) => Some((name.clone(), "the builder")),
            None => cx
                .env(PROFILE_VAR)
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .map(|p| (p, PROFILE_VAR)),
        };
        let model = run(&mut cx, &self.path, &base, profile.clone(), self.now);
        Checked {
            model,
            profile: profile.map(|(name, _)| name),
            diagnostics: Diagnostics::new(cx.sources, cx.diagnostics),
            inputs: cx.inputs,
            resolved: cx.resolved,
        }
    }
}

fn run(
    cx: &mut Context<'_>,
    path: &Path,
    base: &Path,
    profile: Option<(String, &'static str)>,
    now: Option<u64>,
) -> Option<model::Model> {
    let now = match now {
        Some(now) => now,
        None => match cx.env(SOURCE_DATE_EPOCH) {
            Some(value) => match value.trim().parse::<u64>() {
                Ok(now) => now,
                Err(_) => {
                    cx.push(
                        Diag::error(format!("{SOURCE_DATE_EPOCH} is not a Unix timestamp"))
                            .help(format!(
                                "set {SOURCE_DATE_EPOCH} to whole seconds since 1970 (e.g. `git log -1 --format=%ct`), or unset it"
                            )),
                    );
                    return None;
                }
            },
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        },
    };
    let settings = read::read(cx, path, base, profile)?;
    check::check(cx, &settings, now)
}

/// The result of a [`Check`].
#[derive(Debug, Clone)]
pub struct Checked {
    model: Option<Model>,
    profile: Option<String>,
    diagnostics: Diagnostics,
    inputs: Inputs,
    resolved: check::Resolved,
}

impl Checked {
    /// The checked configuration, when there was no error.
    pub fn model(&self) -> Option<&Model> {
        self.model.as_ref()
    }

    /// The `[profile.NAME]` that was asked for (by [`Check::profile`] or `COSYNC_PROFILE`),
    /// whether or not the file defines it.
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// Every error and warning.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }

    /// The files and environment variables read.
    pub fn inputs(&self) -> &Inputs {
        &self.inputs
    }

    /// The `app_token` value as read (profile, `{ env }` and `{ file }` applied, surrounding
    /// whitespace trimmed), even when a check failed. It may be a credential pasted by mistake
    /// (an access token, a server secret): never print it.
    pub fn app_token_text(&self) -> Option<&str> {
        self.resolved.app_token.as_deref()
    }

    /// The `public_key` (the Realm public key) when it parsed, even when another check failed.
    pub fn public_key(&self) -> Option<&cosync_runtime::PublicKey> {
        self.resolved.public_key.as_ref()
    }

    /// The `app_token_key` when it is set and parsed, even when another check failed.
    pub fn app_token_key(&self) -> Option<&cosync_runtime::PublicKey> {
        self.resolved.app_token_key.as_ref()
    }

    /// The generated items, or the diagnostics.
    pub fn tokens(&self) -> Result<TokenStream, &Diagnostics> {
        self.model
            .as_ref()
            .map(emit::items)
            .ok_or(&self.diagnostics)
    }

    /// The generated items as Rust source (formatted with the default `pretty` feature), or the
    /// diagnostics.
    pub fn rust_source(&self) -> Result<String, &Diagnostics> {
        self.tokens().map(|tokens| source_text(&tokens))
    }
}

#[cfg(feature = "pretty")]
fn source_text(tokens: &TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        // Generated tokens always parse; fall back to the compact form rather than fail.
        Err(_) => tokens.to_string(),
    }
}

#[cfg(not(feature = "pretty"))]
fn source_text(tokens: &TokenStream) -> String {
    tokens.to_string()
}

/// What the `cosync_constants!` macro expands to.
#[derive(Debug)]
pub struct Expansion {
    /// The items, or one `(headline, details)` pair per error for `compile_error!`.
    pub result: Result<TokenStream, Vec<(String, String)>>,
    /// Items that make rustc track every file and environment variable read.
    pub tracking: TokenStream,
    /// `(headline, details)` of each warning: the configuration works but something in it
    /// deserves a look.
    pub warnings: Vec<(String, String)>,
}

/// The engine behind `cosync_constants!()` / `cosync_constants!("path")`.
///
/// `path` is relative to `CARGO_MANIFEST_DIR`, or to `COSYNC_CONFIG_DIR` when that is set.
pub fn expand_macro(path: Option<&str>) -> Expansion {
    let base_var = std::env::var(CONFIG_DIR_VAR).ok().filter(|v| !v.is_empty());
    let base = base_var
        .clone()
        .or_else(|| std::env::var("CARGO_MANIFEST_DIR").ok())
        .map(PathBuf::from)
        .unwrap_or_default();
    // Absolute, because the tracking `include_bytes!` paths are resolved by rustc relative to
    // the invoking source file, not the working directory the check read them from.
    let base = std::path::absolute(&base).unwrap_or(base);
    let file = base.join(path.unwrap_or(CONFIG_FILE));
    let checked = Check::new(&file).base_dir(&base).run();
    let mut inputs = checked.inputs.clone();
    inputs.add_env(CONFIG_DIR_VAR);
    let tracking = emit::tracking(&inputs);
    let rendered = |severity: Severity| -> Vec<(String, String)> {
        let diagnostics = checked.diagnostics();
        diagnostics
            .iter()
            .filter(|d| d.severity() == severity)
            .map(|d| {
                (
                    d.message().to_owned(),
                    diagnostics.render_body(d).trim_end().to_owned(),
                )
            })
            .collect()
    };
    let result = checked.tokens().map_err(|_| rendered(Severity::Error));
    Expansion {
        result,
        tracking,
        warnings: rendered(Severity::Warning),
    }
}

/// Why [`generate`] failed. `Display` (and `Debug`, so that `.unwrap()` reads well) shows the
/// full diagnostic.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration did not pass the checks.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// A variable Cargo sets for build scripts is missing.
    #[error(
        "`{name}` is not set: cosync_build::generate() must run from a build script (build.rs), or set Builder::out_dir"
    )]
    NotInBuildScript {
        /// The variable.
        name: &'static str,
    },
    /// The output file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The output path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{self}")
    }
}

/// Build-script mode with options: which file, which profile, where to write.
///
/// ```no_run
/// // build.rs
/// cosync_build::Builder::new()
///     .config("config/cosync.toml")
///     .profile("staging")
///     .out_file("cosync_staging.rs")
///     .generate()
///     .unwrap();
/// ```
#[derive(Debug, Clone, Default)]
pub struct Builder {
    config: Option<PathBuf>,
    profile: Option<String>,
    out_file: Option<PathBuf>,
    out_dir: Option<PathBuf>,
}

impl Builder {
    /// The defaults: `cosync.toml` beside `Cargo.toml`, `COSYNC_PROFILE`, `$OUT_DIR/cosync.rs`.
    pub fn new() -> Self {
        Builder::default()
    }

    /// The configuration file, relative to the package directory (`CARGO_MANIFEST_DIR`).
    pub fn config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(path.into());
        self
    }

    /// Applies `[profile.NAME]` regardless of `COSYNC_PROFILE`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The output file name, relative to the output directory (default `cosync.rs`).
    pub fn out_file(mut self, name: impl Into<PathBuf>) -> Self {
        self.out_file = Some(name.into());
        self
    }

    /// The output directory (default `$OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Checks the configuration and writes the generated items, printing `cargo:` lines for
    /// rebuilds and warnings. Returns the path written.
    pub fn generate(self) -> Result<PathBuf, Error> {
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .ok_or(Error::NotInBuildScript {
                name: "CARGO_MANIFEST_DIR",
            })?;
        let out_dir = match self.out_dir {
            Some(dir) => manifest_dir.join(dir),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NotInBuildScript { name: "OUT_DIR" })?,
        };
        let config = manifest_dir.join(self.config.unwrap_or_else(|| CONFIG_FILE.into()));
        let mut check = Check::new(config).base_dir(&manifest_dir);
        if let Some(profile) = self.profile {
            check = check.profile(profile);
        }
        let checked = check.run();
        // Printed even on failure, so fixing the file re-runs the build script.
        print!("{}", checked.inputs.rerun_lines());
        for warning in checked
            .diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Warning)
        {
            println!("cargo:warning={}", warning.message());
        }
        let source = checked
            .rust_source()
            .map_err(|diagnostics| Error::Invalid(diagnostics.clone()))?;
        let path = out_dir.join(self.out_file.unwrap_or_else(|| "cosync.rs".into()));
        let header = "// @generated by cosync-build from cosync.toml. Do not edit.\n\n";
        std::fs::write(&path, format!("{header}{source}")).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }
}

/// Build-script mode: checks `cosync.toml` beside `Cargo.toml` and writes `$OUT_DIR/cosync.rs`.
///
/// The crate then does `include!(concat!(env!("OUT_DIR"), "/cosync.rs"));`. See [`Builder`] for
/// options.
pub fn generate() -> Result<(), Error> {
    Builder::new().generate().map(drop)
}
