//! Reading `cosync.toml`: TOML with spans, `[profile.NAME]` overrides, `{ env = … }` and
//! `{ file = … }` values. Produces resolved values that still know where they came from.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Show};
use crate::inputs::Inputs;
use crate::source::{FileId, Sources, Span, display_path, normalize};

/// Largest file read: `cosync.toml` and `{ file = … }` values are a few kilobytes.
const MAX_FILE_LEN: u64 = 1024 * 1024;

/// The keys of `cosync.toml` (and of each `[profile.NAME]` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Field {
    AppToken,
    PublicKey,
    RealmAppId,
    RestAddress,
    AppTokenKey,
}

impl Field {
    pub(crate) const ALL: [Field; 5] = [
        Field::AppToken,
        Field::PublicKey,
        Field::RealmAppId,
        Field::RestAddress,
        Field::AppTokenKey,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::AppToken => "app_token",
            Field::PublicKey => "public_key",
            Field::RealmAppId => "realm_app_id",
            Field::RestAddress => "rest_address",
            Field::AppTokenKey => "app_token_key",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Keys whose values may come from binary files (DER keys).
    fn is_key_material(self) -> bool {
        matches!(self, Field::PublicKey | Field::AppTokenKey)
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Via {
    /// Written in `cosync.toml`.
    Inline,
    /// `{ env = "NAME" }`.
    Env(String),
    /// `{ file = "PATH" }`, as written.
    File(String),
}

/// A value and where it came from, for diagnostics.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    /// The value in `cosync.toml` (the string literal, or the `{ env/file = … }` table).
    pub(crate) span: Span,
    /// For inline strings whose characters appear verbatim in the file: the byte offset of the
    /// value's first character, so diagnostics can point inside it.
    pub(crate) verbatim_at: Option<usize>,
    pub(crate) via: Via,
    /// `[profile.NAME]` the value came from, if any.
    pub(crate) profile: Option<String>,
}

impl Origin {
    /// A phrase naming where the value was read, for labels: "read from env `X`".
    pub(crate) fn describe(&self) -> Option<String> {
        match &self.via {
            Via::Inline => None,
            Via::Env(name) => Some(format!("the value of environment variable `{name}`")),
            Via::File(path) => Some(format!("the contents of `{path}`")),
        }
    }
}

/// A resolved value.
#[derive(Clone)]
pub(crate) enum Content {
    Text(String),
    /// A file that is not UTF-8 (only accepted for keys, as DER).
    Bytes(Vec<u8>),
}

impl std::fmt::Debug for Content {
    /// Only the length: a value may be a credential pasted by mistake.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Text(text) => write!(f, "Text({} bytes)", text.len()),
            Content::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub(crate) content: Content,
    pub(crate) origin: Origin,
}

/// What was read: one resolved value per key that was set.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    pub(crate) values: BTreeMap<Field, Value>,
    /// The span of each key's name, for "missing"/"conflicting" diagnostics.
    pub(crate) key_spans: BTreeMap<Field, Span>,
    /// The main file.
    pub(crate) file: Option<FileId>,
}

/// Everything gathered while reading and checking.
pub(crate) struct Context<'a> {
    pub(crate) sources: Sources,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) inputs: Inputs,
    env: &'a dyn Fn(&str) -> Result<String, std::env::VarError>,
    /// Set once a private key has been reported by a setting, so the whole-file scan does not
    /// report it again.
    pub(crate) private_key_reported: bool,
    /// What the checks could read and parse, kept even when a check fails.
    pub(crate) resolved: crate::check::Resolved,
}

impl<'a> Context<'a> {
    pub(crate) fn new(env: &'a dyn Fn(&str) -> Result<String, std::env::VarError>) -> Self {
        Context {
            sources: Sources::default(),
            diagnostics: Vec::new(),
            inputs: Inputs::default(),
            env,
            private_key_reported: false,
            resolved: Default::default(),
        }
    }

    /// Reads an environment variable and records it as an input.
    pub(crate) fn env(&mut self, name: &str) -> Option<String> {
        self.env_var(name).ok()
    }

    /// Like [`Context::env`], telling an unset variable from one that is not UTF-8.
    pub(crate) fn env_var(&mut self, name: &str) -> Result<String, std::env::VarError> {
        self.inputs.add_env(name);
        (self.env)(name)
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

/// One `key = value` before resolution.
enum Spec {
    Literal {
        text: String,
        span: Span,
        verbatim_at: Option<usize>,
    },
    Env {
        name: String,
        span: Span,
    },
    File {
        path: String,
        span: Span,
    },
}

type Table = BTreeMap<Field, (Span, Spec)>;

fn span(file: FileId, range: Range<usize>) -> Span {
    Span { file, range }
}

/// Reads `path` (shown relative to `base`), applies the profile and resolves every value.
pub(crate) fn read(
    cx: &mut Context<'_>,
    path: &Path,
    base: &Path,
    profile: Option<(String, &'static str)>,
) -> Option<Settings> {
    let name = display_path(path, base);
    cx.inputs.add_file(path);
    let text = match read_limited(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                cx.push(
                    Diagnostic::error(format!("`{name}` is not UTF-8 text"))
                        .help("save cosync.toml as UTF-8"),
                );
                return None;
            }
        },
        Err(ReadError::Missing) => {
            cx.push(
                Diagnostic::error(format!("`{name}` not found"))
                    .note(format!("looked for {}", path.display()))
                    .help(
                        "create it next to Cargo.toml (`cargo cosync init` writes one), or pass its path: \
                         `cosync_constants!(\"config/cosync.toml\")`",
                    ),
            );
            return None;
        }
        Err(ReadError::TooLarge) => {
            cx.push(
                Diagnostic::error(format!(
                    "`{name}` is larger than {MAX_FILE_LEN} bytes; it should hold a few settings"
                ))
                .note(format!("read {}", path.display()))
                .help(
                    "check that the path names cosync.toml; put large values such as keys in files                      named with `{ file = \"…\" }`",
                ),
            );
            return None;
        }
        Err(ReadError::Io(e)) => {
            let help = if path.is_dir() {
                "this is a directory: name the cosync.toml inside it, e.g.                  `cosync_constants!(\"config/cosync.toml\")`"
            } else {
                "check the file's permissions, or pass the path of a readable cosync.toml"
            };
            cx.push(
                Diagnostic::error(format!("cannot read `{name}`: {e}"))
                    .note(format!("looked for {}", path.display()))
                    .help(help),
            );
            return None;
        }
    };
    let file = cx.sources.add(name, text);
    let private_key_at = scan_for_private_key(cx, file);
    let settings = read_settings(cx, file, path, base, profile);
    if let Some(at) = private_key_at
        && !cx.private_key_reported
    {
        report_private_key_in_file(cx, at);
    }
    settings
}

fn read_settings(
    cx: &mut Context<'_>,
    file: FileId,
    path: &Path,
    base: &Path,
    profile: Option<(String, &'static str)>,
) -> Option<Settings> {
    let text = cx.sources.get(file).text.clone();
    let root = match DeTable::parse(&text) {
        Ok(root) => root,
        Err(error) => {
            let range = error.span().unwrap_or(0..0);
            let message = error.message().trim_end().to_owned();
            let name = cx.sources.get(file).name.clone();
            cx.push(
                Diagnostic::error(format!("`{name}` is not valid TOML"))
                    .at(span(file, range), message, Show::Text)
                    .help("fix the TOML syntax (strings need quotes; multi-line values use \"\"\"…\"\"\")"),
            );
            return None;
        }
    };

    let mut top = Table::new();
    let mut profiles: BTreeMap<String, Table> = BTreeMap::new();
    for (key, value) in root.get_ref() {
        let key_span = span(file, key.span());
        match key.get_ref().as_ref() {
            "profile" => read_profiles(cx, file, value, &mut profiles),
            name => match Field::from_name(name) {
                Some(k) => {
                    if let Some(spec) = read_spec(cx, file, k, value) {
                        top.insert(k, (key_span, spec));
                    }
                }
                None => unknown_key(cx, key_span, name, true),
            },
        }
    }

    // Each selected value remembers whether a profile set it, for diagnostics.
    let mut selected: BTreeMap<Field, (Span, Spec, Option<String>)> = top
        .into_iter()
        .map(|(k, (at, spec))| (k, (at, spec, None)))
        .collect();
    if let Some((wanted, from)) = profile {
        match profiles.remove(&wanted) {
            Some(table) => {
                for (k, (at, spec)) in table {
                    selected.insert(k, (at, spec, Some(wanted.clone())));
                }
            }
            None => {
                let available: Vec<String> = profiles.keys().map(|p| format!("`{p}`")).collect();
                let note = if available.is_empty() {
                    "cosync.toml defines no profiles".to_owned()
                } else {
                    format!("cosync.toml defines {}", available.join(", "))
                };
                cx.push(
                    Diagnostic::error(format!("profile `{wanted}` (from {from}) is not defined"))
                        .note(note)
                        .help(format!(
                            "add a `[profile.{wanted}]` table to cosync.toml, or choose a defined profile"
                        )),
                );
                return None;
            }
        }
    }

    let mut settings = Settings {
        file: Some(file),
        ..Settings::default()
    };
    let config_dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    for (k, (key_span, spec, profile)) in selected {
        settings.key_spans.insert(k, key_span);
        if let Some(value) = resolve(cx, k, spec, &config_dir, base, profile) {
            settings.values.insert(k, value);
        }
    }
    Some(settings)
}

enum ReadError {
    Missing,
    TooLarge,
    Io(std::io::Error),
}

fn read_limited(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(e),
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// Finds a private key anywhere in the file, even in a comment or an unknown key, and makes sure
/// no diagnostic ever quotes a line of that file. Returns where it starts; it is reported at the
/// end of [`read`] unless a setting holding it was reported by name.
fn scan_for_private_key(cx: &mut Context<'_>, file: FileId) -> Option<Span> {
    let text = &cx.sources.get(file).text;
    let at = cosync_runtime::private_key_marker_at(text)?;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let range = start..start + text[start..end].trim_end().len();
    cx.sources.redact(file);
    Some(span(file, range))
}

fn report_private_key_in_file(cx: &mut Context<'_>, at: Span) {
    let name = cx.sources.get(at.file).name.clone();
    cx.push(
        Diagnostic::error(format!("`{name}` contains a PRIVATE key"))
            .at(at, "a private key starts here (not shown)", Show::Nothing)
            .help(
                "remove it: only public keys belong in cosync.toml. Treat this private key as \
                 leaked and rotate it if the file was ever committed or shared",
            ),
    );
}

fn read_profiles(
    cx: &mut Context<'_>,
    file: FileId,
    value: &Spanned<DeValue<'_>>,
    profiles: &mut BTreeMap<String, Table>,
) {
    let DeValue::Table(table) = value.get_ref() else {
        cx.push(
            Diagnostic::error("`profile` must be a table of profiles")
                .at(
                    span(file, value.span()),
                    format!("found {}", kind_of(value.get_ref())),
                    Show::Text,
                )
                .help("write profiles as `[profile.NAME]` tables"),
        );
        return;
    };
    for (name, body) in table {
        let name_span = span(file, name.span());
        let DeValue::Table(entries) = body.get_ref() else {
            cx.push(
                Diagnostic::error(format!("`profile.{}` must be a table", name.get_ref()))
                    .at(
                        name_span,
                        format!("found {}", kind_of(body.get_ref())),
                        Show::Text,
                    )
                    .help(format!(
                        "write it as a `[profile.{}]` table of settings",
                        name.get_ref()
                    )),
            );
            continue;
        };
        let mut settings = Table::new();
        for (key, value) in entries {
            let key_span = span(file, key.span());
            match Field::from_name(key.get_ref()) {
                Some(k) => {
                    if let Some(spec) = read_spec(cx, file, k, value) {
                        settings.insert(k, (key_span, spec));
                    }
                }
                None => unknown_key(cx, key_span, key.get_ref(), false),
            }
        }
        profiles.insert(name.get_ref().to_string(), settings);
    }
}

fn kind_of(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Where in the file a string value's characters start, if they appear there verbatim.
fn verbatim_offset(text: &str, range: &Range<usize>, value: &str) -> Option<usize> {
    let literal = text.get(range.clone())?;
    for delimiter in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(inner) = literal
            .strip_prefix(delimiter)
            .and_then(|l| l.strip_suffix(delimiter))
        {
            // A newline right after an opening """ is not part of the value.
            let (inner, skipped) = if delimiter.len() == 3 {
                match inner
                    .strip_prefix("\r\n")
                    .or_else(|| inner.strip_prefix('\n'))
                {
                    Some(rest) => (rest, inner.len() - rest.len()),
                    None => (inner, 0),
                }
            } else {
                (inner, 0)
            };
            return (inner == value).then_some(range.start + delimiter.len() + skipped);
        }
    }
    None
}

fn read_spec(
    cx: &mut Context<'_>,
    file: FileId,
    key: Field,
    value: &Spanned<DeValue<'_>>,
) -> Option<Spec> {
    let value_span = span(file, value.span());
    let expected = "a string, `{ env = \"NAME\" }` or `{ file = \"PATH\" }`";
    match value.get_ref() {
        DeValue::String(text) => {
            let verbatim_at = verbatim_offset(&cx.sources.get(file).text, &value.span(), text);
            Some(Spec::Literal {
                text: text.to_string(),
                span: value_span,
                verbatim_at,
            })
        }
        DeValue::Table(table) => {
            let mut entries = table.iter();
            let (Some((source_kind, source_value)), None) = (entries.next(), entries.next()) else {
                cx.push(
                    Diagnostic::error(format!("`{}` must name exactly one source", key.name()))
                        .at(value_span, "expected one of `env` or `file`", Show::Text)
                        .help(format!(
                            "write `{} = {{ env = \"NAME\" }}` or `{} = {{ file = \"PATH\" }}`",
                            key.name(),
                            key.name()
                        )),
                );
                return None;
            };
            let kind = source_kind.get_ref().as_ref();
            let Some(argument) = source_value.get_ref().as_str() else {
                cx.push(
                    Diagnostic::error(format!("`{}.{kind}` must be a string", key.name()))
                        .at(
                            span(file, source_value.span()),
                            format!("found {}", kind_of(source_value.get_ref())),
                            Show::Text,
                        )
                        .help(format!("write `{} = {{ {kind} = \"…\" }}`", key.name())),
                );
                return None;
            };
            match kind {
                "env" if argument.trim().is_empty() => {
                    cx.push(
                        Diagnostic::error(format!("`{}.env` is empty", key.name()))
                            .at(span(file, source_value.span()), "no variable name", Show::Text)
                            .help("name the environment variable, e.g. `{ env = \"COSYNC_APP_TOKEN\" }`"),
                    );
                    None
                }
                "env" => Some(Spec::Env {
                    name: argument.trim().to_owned(),
                    span: value_span,
                }),
                "file" if argument.trim().is_empty() => {
                    cx.push(
                        Diagnostic::error(format!("`{}.file` is empty", key.name()))
                            .at(span(file, source_value.span()), "no path", Show::Text)
                            .help("give a path relative to cosync.toml, e.g. `{ file = \"keys/realm.pem\" }`"),
                    );
                    None
                }
                "file" => Some(Spec::File {
                    path: argument.to_owned(),
                    span: value_span,
                }),
                other => {
                    let suggestion = closest(other, &["env", "file"])
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                    cx.push(
                        Diagnostic::error(format!("unknown value source `{other}` in `{}`", key.name()))
                            .at(span(file, source_kind.span()), "not `env` or `file`", Show::Text)
                            .help(format!(
                                "{suggestion}a value is a string, `{{ env = \"NAME\" }}` or `{{ file = \"PATH\" }}`"
                            )),
                    );
                    None
                }
            }
        }
        other => {
            cx.push(
                Diagnostic::error(format!("`{}` must be {expected}", key.name()))
                    .at(value_span, format!("found {}", kind_of(other)), Show::Text)
                    .help(format!("quote the value: `{} = \"…\"`", key.name())),
            );
            None
        }
    }
}

/// Names people bring from CoSync's sample `Constants` files and SDKs.
const ALIASES: &[(&str, &str)] = &[
    ("apptoken", "app_token"),
    ("rawpublickey", "public_key"),
    ("realmpublickey", "public_key"),
    ("publickey", "public_key"),
    ("cosyncrestaddress", "rest_address"),
    ("restaddress", "rest_address"),
    ("apiurl", "rest_address"),
    ("realmappid", "realm_app_id"),
    ("appid", "realm_app_id"),
    ("servertokenkey", "app_token_key"),
    ("serverpublickey", "app_token_key"),
    ("apptokenkey", "app_token_key"),
];

fn unknown_key(cx: &mut Context<'_>, at: Span, name: &str, top_level: bool) {
    let mut known: Vec<&str> = Field::ALL.iter().map(|k| k.name()).collect();
    if top_level {
        known.push("profile");
    }
    let normalised: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    let suggestion = ALIASES
        .iter()
        .find(|(alias, _)| *alias == normalised)
        .map(|(_, key)| *key)
        .or_else(|| closest(name, &known));
    let help = match suggestion {
        Some(s) => format!("did you mean `{s}`? (known keys: {})", known.join(", ")),
        None => format!("known keys are {}", known.join(", ")),
    };
    let where_ = if top_level {
        "cosync.toml"
    } else {
        "a profile"
    };
    cx.push(
        Diagnostic::error(format!("unknown key `{name}` in {where_}"))
            .at(at, "unknown key", Show::Text)
            .help(help),
    );
}

/// The known name closest to `name` by edit distance, if it is close enough to be a typo.
pub(crate) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = name.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&lower, k), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(1))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

fn resolve(
    cx: &mut Context<'_>,
    key: Field,
    spec: Spec,
    config_dir: &Path,
    base: &Path,
    profile: Option<String>,
) -> Option<Value> {
    let (content, origin) = match spec {
        Spec::Literal {
            text,
            span,
            verbatim_at,
        } => (
            Content::Text(text),
            Origin {
                span,
                verbatim_at,
                via: Via::Inline,
                profile,
            },
        ),
        Spec::Env { name, span } => {
            let value = match cx.env_var(&name) {
                Ok(value) => value,
                Err(std::env::VarError::NotPresent) => {
                    cx.push(
                        Diagnostic::error(format!("environment variable `{name}` is not set"))
                            .at(span, format!("`{}` is read from `{name}`", key.name()), Show::Text)
                            .help(format!(
                                "set `{name}` in the build environment (in CI, from a secret), or write the value into cosync.toml"
                            )),
                    );
                    return None;
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    cx.push(
                        Diagnostic::error(format!("environment variable `{name}` is not UTF-8"))
                            .at(span, format!("`{}` is read from `{name}`", key.name()), Show::Text)
                            .help(format!(
                                "set `{name}` to the value as text (tokens and PEM or raw keys are ASCII)"
                            )),
                    );
                    return None;
                }
            };
            (
                Content::Text(value),
                Origin {
                    span,
                    verbatim_at: None,
                    via: Via::Env(name),
                    profile,
                },
            )
        }
        Spec::File { path, span } => {
            let full: PathBuf = normalize(&config_dir.join(&path));
            cx.inputs.add_file(&full);
            let shown = display_path(&full, base);
            let bytes = match read_limited(&full) {
                Ok(bytes) => bytes,
                Err(error) => {
                    let problem = match error {
                        ReadError::Missing => "does not exist".to_owned(),
                        ReadError::TooLarge => format!("is larger than {MAX_FILE_LEN} bytes"),
                        ReadError::Io(e) => format!("cannot be read: {e}"),
                    };
                    cx.push(
                        Diagnostic::error(format!("file `{shown}` {problem}"))
                            .at(
                                span,
                                format!("`{}` is read from this file", key.name()),
                                Show::Text,
                            )
                            .note(format!(
                                "paths are relative to the directory of cosync.toml ({})",
                                config_dir.display()
                            ))
                            .help("fix the path, or write the value into cosync.toml"),
                    );
                    return None;
                }
            };
            let content = match String::from_utf8(bytes) {
                Ok(text) => Content::Text(text),
                Err(e) if key.is_key_material() => Content::Bytes(e.into_bytes()),
                Err(_) => {
                    cx.push(
                        Diagnostic::error(format!("file `{shown}` is not UTF-8 text"))
                            .at(
                                span,
                                format!("`{}` is read from this file", key.name()),
                                Show::Text,
                            )
                            .help(format!("`{}` must be text", key.name())),
                    );
                    return None;
                }
            };
            (
                content,
                Origin {
                    span,
                    verbatim_at: None,
                    via: Via::File(path),
                    profile,
                },
            )
        }
    };
    // A private key in any value is refused before anything else looks at it.
    if let Content::Text(text) = &content
        && cosync_runtime::contains_private_key_marker(text)
    {
        report_private_key(cx, key, &origin);
        return None;
    }
    Some(Value { content, origin })
}

pub(crate) fn report_private_key(cx: &mut Context<'_>, key: Field, origin: &Origin) {
    cx.private_key_reported = true;
    let label = match origin.describe() {
        Some(what) => format!("{what} is a private key (not shown)"),
        None => "a private key (not shown)".to_owned(),
    };
    let help = match key {
        Field::PublicKey => {
            "paste the Realm Public Key from the CoSync Portal's Keys tab instead. Treat this private \
             key as leaked and rotate it if it was ever committed or shared"
        }
        Field::AppTokenKey => {
            "give the CoSync server's PUBLIC key (config/publickey.pem), never its private key. Treat \
             this private key as leaked and rotate it if it was ever committed or shared"
        }
        _ => {
            "remove it: a private key never belongs in an app. Treat it as leaked and rotate it if it \
             was ever committed or shared"
        }
    };
    cx.push(
        Diagnostic::error(format!("`{}` holds a PRIVATE key", key.name()))
            .at(origin.span.clone(), label, Show::Nothing)
            .help(help),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys() {
        let known = ["app_token", "public_key", "rest_address", "profile"];
        assert_eq!(closest("app_tokn", &known), Some("app_token"));
        assert_eq!(closest("publickey", &known), Some("public_key"));
        assert_eq!(closest("rest_adress", &known), Some("rest_address"));
        assert_eq!(closest("colour", &known), None);
    }

    #[test]
    fn verbatim_offsets() {
        let text = "a = \"xyz\"\nb = \"\"\"\nline\"\"\"\nc = \"e\\u0041\"\n";
        let a = text.find("\"xyz").unwrap();
        assert_eq!(verbatim_offset(text, &(a..a + 5), "xyz"), Some(a + 1));
        let b = text.find("\"\"\"").unwrap();
        let b_end = text[b + 3..].find("\"\"\"").unwrap() + b + 6;
        assert_eq!(verbatim_offset(text, &(b..b_end), "line"), Some(b + 4));
        let c = text.find("\"e\\").unwrap();
        assert_eq!(verbatim_offset(text, &(c..c + 9), "eA"), None);
    }
}
