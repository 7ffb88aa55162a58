//! `cargo cosync check`: the compile-time checks, run now, with the same diagnostics.

use std::path::{Path, PathBuf};

use cosync_build::{Check, Checked, Model, Severity, Signer};
use serde::Serialize;

use crate::cli::{CheckArgs, Format};
use crate::error::{CliError, Outcome};
use crate::input;
use crate::output::{self, GOOD, LABEL, WARNING};

pub fn run(args: &CheckArgs) -> Result<Outcome, CliError> {
    let path = input::config_path(args.path.as_deref());
    input::require_config(&path, args.path.is_some())?;
    let checked = check(&path, args.profile.as_deref());
    match args.format {
        Format::Human => print_human(&checked, &path),
        Format::Json => output::print_json(&Report::new(&checked, &path))?,
    }
    Ok(outcome(&checked))
}

/// Runs the checks exactly as the macro does; only the base directory of file names differs.
pub fn check(path: &Path, profile: Option<&str>) -> Checked {
    let mut check = Check::new(path).base_dir(input::base_dir(path));
    if let Some(profile) = profile {
        check = check.profile(profile);
    }
    check.run()
}

pub fn outcome(checked: &Checked) -> Outcome {
    if checked.model().is_some() && !checked.diagnostics().has_errors() {
        Outcome::Success
    } else {
        Outcome::Invalid
    }
}

/// Diagnostics to stderr, as rustc prints them; for a valid file a summary to stdout.
pub fn print_human(checked: &Checked, path: &Path) {
    let diagnostics = checked.diagnostics();
    if diagnostics.iter().next().is_some() {
        anstream::eprint!("{}", diagnostics.render_colored());
    }
    let Some(model) = checked.model() else {
        return;
    };
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Warning)
        .count();
    if warnings > 0 {
        anstream::eprintln!();
    }
    let mut headline = format!("{} is {GOOD}valid{GOOD:#}", input::shown(path));
    if let Some(profile) = checked.profile() {
        headline.push_str(&format!(" (profile {profile})"));
    }
    if warnings > 0 {
        headline.push_str(&format!(
            ", with {WARNING}{warnings} warning{}{WARNING:#}",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    anstream::println!("{headline}");
    for (label, value) in summary(model) {
        anstream::println!("  {LABEL}{label:<14}{LABEL:#} {value}");
    }
}

/// The checked values, one line each, for people.
pub fn summary(model: &Model) -> Vec<(&'static str, String)> {
    let token = model.app_token();
    let key = model.public_key();
    let mut lines = vec![
        ("app id", token.app_id().to_owned()),
        (
            "issued at",
            format!("{} ({})", output::utc(token.issued_at()), token.issued_at()),
        ),
        ("rest address", model.rest_address().to_string()),
        (
            "realm app id",
            model
                .realm_app_id()
                .unwrap_or("(not set: user JWTs carry aud \"none\")")
                .to_owned(),
        ),
        (
            "public key",
            format!(
                "RSA-{}, SHA-256 {} ({})",
                key.bits(),
                key.fingerprint(),
                model.public_key_format()
            ),
        ),
        ("signed by", model.signer().describe()),
    ];
    if let Some(exp) = token.expires_at() {
        lines.insert(2, ("expires at", output::utc(exp)));
    }
    lines
}

/// `check --format json`. Field order is the documented order; new fields may be added, existing
/// ones keep their meaning (`format_version` changes if they do not).
#[derive(Debug, Serialize)]
pub struct Report {
    format_version: u32,
    /// The configuration file, absolute.
    path: PathBuf,
    profile: Option<String>,
    valid: bool,
    error_count: usize,
    warning_count: usize,
    diagnostics: Vec<JsonDiagnostic>,
    config: Option<JsonConfig>,
    inputs: JsonInputs,
}

#[derive(Debug, Serialize)]
struct JsonDiagnostic {
    severity: &'static str,
    message: String,
    /// As in the rendered text: relative to the current directory when below it.
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    label: Option<String>,
    notes: Vec<String>,
    help: Option<String>,
    /// The diagnostic exactly as `check` prints it, without colour.
    rendered: String,
}

#[derive(Debug, Serialize)]
struct JsonConfig {
    app_id: String,
    issued_at: u64,
    issued_at_utc: String,
    expires_at: Option<u64>,
    not_before: Option<u64>,
    rest_address: String,
    realm_app_id: Option<String>,
    public_key: JsonKey,
    signer: JsonSigner,
}

#[derive(Debug, Serialize)]
struct JsonKey {
    bits: u32,
    fingerprint: String,
    format: String,
}

#[derive(Debug, Serialize)]
struct JsonSigner {
    /// `hosted` (a built-in key) or `app_token_key`.
    kind: &'static str,
    host: Option<String>,
    bits: u32,
    fingerprint: String,
    description: String,
}

#[derive(Debug, Serialize)]
struct JsonInputs {
    files: Vec<PathBuf>,
    env: Vec<String>,
}

impl Report {
    pub fn new(checked: &Checked, path: &Path) -> Self {
        let diagnostics = checked.diagnostics();
        let items: Vec<JsonDiagnostic> = diagnostics
            .iter()
            .map(|d| {
                let location = diagnostics.location(d);
                JsonDiagnostic {
                    severity: match d.severity() {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    },
                    message: d.message().to_owned(),
                    file: location.as_ref().map(|l| l.file.to_owned()),
                    line: location.as_ref().map(|l| l.line),
                    column: location.as_ref().map(|l| l.column),
                    label: d.label().map(str::to_owned),
                    notes: d.notes().to_vec(),
                    help: d.help_text().map(str::to_owned),
                    rendered: diagnostics.render(d),
                }
            })
            .collect();
        let error_count = diagnostics.error_count();
        Report {
            format_version: 1,
            path: path.to_path_buf(),
            profile: checked.profile().map(str::to_owned),
            valid: outcome(checked) == Outcome::Success,
            error_count,
            warning_count: items.len() - error_count,
            diagnostics: items,
            config: checked.model().map(json_config),
            inputs: JsonInputs {
                files: checked.inputs().files().to_vec(),
                env: checked.inputs().env_vars().to_vec(),
            },
        }
    }
}

fn json_config(model: &Model) -> JsonConfig {
    let token = model.app_token();
    let key = model.public_key();
    let signer_key = model.signer().key();
    let (kind, host) = match model.signer() {
        Signer::Hosted(server) => ("hosted", Some(server.host.to_owned())),
        _ => ("app_token_key", None),
    };
    JsonConfig {
        app_id: token.app_id().to_owned(),
        issued_at: token.issued_at(),
        issued_at_utc: output::utc(token.issued_at()),
        expires_at: token.expires_at(),
        not_before: token.not_before(),
        rest_address: model.rest_address().to_string(),
        realm_app_id: model.realm_app_id().map(str::to_owned),
        public_key: JsonKey {
            bits: key.bits(),
            fingerprint: key.fingerprint().to_string(),
            format: model.public_key_format().to_string(),
        },
        signer: JsonSigner {
            kind,
            host,
            bits: signer_key.bits(),
            fingerprint: signer_key.fingerprint().to_string(),
            description: model.signer().describe(),
        },
    }
}
