//! Diagnostics that look like rustc's and point into `cosync.toml`.

use std::fmt;

use crate::source::{Sources, Span};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The configuration cannot be used.
    Error,
    /// The configuration works, but something looks wrong.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// How much of the labelled text a snippet may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Show {
    /// The text itself (shortened if long).
    Text,
    /// At most this many characters of it: enough to recognise a token by its header, never its
    /// payload or signature.
    Prefix(usize),
    /// Nothing of it: the value is secret. The line is shown with the value replaced by `…`.
    Nothing,
}

#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub(crate) span: Span,
    pub(crate) text: String,
    pub(crate) show: Show,
}

/// One problem found in a configuration, with where it is and how to fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) label: Option<Label>,
    pub(crate) notes: Vec<String>,
    pub(crate) help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            label: None,
            notes: Vec::new(),
            help: None,
        }
    }

    pub(crate) fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub(crate) fn at(mut self, span: Span, text: impl Into<String>, show: Show) -> Self {
        self.label = Some(Label {
            span,
            text: text.into(),
            show,
        });
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The one-line headline, e.g. `app token signature does not verify`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The text next to the caret, if the problem has a location.
    pub fn label(&self) -> Option<&str> {
        self.label.as_ref().map(|l| l.text.as_str())
    }

    /// Extra facts (`= note: …` lines).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// How to fix it (the `= help: …` line).
    pub fn help_text(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

/// Where a diagnostic points: a file and a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location<'a> {
    /// The file, as shown in messages (relative to the package when possible).
    pub file: &'a str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Everything a check found, with the files it read so it can be shown.
///
/// `Display` renders every diagnostic as rustc would, errors first.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub(crate) sources: Sources,
    pub(crate) items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn new(sources: Sources, mut items: Vec<Diagnostic>) -> Self {
        // Errors first, then in file order, like a compiler.
        items.sort_by_key(|d| {
            (
                d.severity,
                d.label.as_ref().map(|l| (l.span.file, l.span.range.start)),
            )
        });
        Diagnostics { sources, items }
    }

    /// All diagnostics, errors first.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// The number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Where a diagnostic points, if anywhere.
    pub fn location(&self, diagnostic: &Diagnostic) -> Option<Location<'_>> {
        let label = diagnostic.label.as_ref()?;
        let (line, column) = self
            .sources
            .line_col(label.span.file, label.span.range.start);
        Some(Location {
            file: &self.sources.get(label.span.file).name,
            line,
            column,
        })
    }

    /// Renders one diagnostic without its `error: message` headline (the part a
    /// `compile_error!` puts under rustc's own headline).
    pub fn render_body(&self, diagnostic: &Diagnostic) -> String {
        let mut out = String::new();
        self.write_body(diagnostic, &mut out, &Palette::PLAIN);
        out
    }

    /// Renders one diagnostic, headline included.
    pub fn render(&self, diagnostic: &Diagnostic) -> String {
        self.render_with(diagnostic, &Palette::PLAIN)
    }

    /// Renders every diagnostic like `Display`, with the ANSI colours rustc uses on a terminal
    /// (bold red errors, bold yellow warnings, bold blue gutters). Without its escape sequences
    /// the text is exactly the `Display` text. Callers decide whether the output is a terminal.
    pub fn render_colored(&self) -> String {
        let mut out = String::new();
        self.write_all(&mut out, &Palette::ANSI);
        out
    }

    fn render_with(&self, d: &Diagnostic, p: &Palette) -> String {
        let (color, reset, bold) = (p.severity(d.severity), p.reset, p.bold);
        let mut out = format!("{color}{}{reset}{bold}: {}{reset}\n", d.severity, d.message);
        self.write_body(d, &mut out, p);
        out
    }

    fn write_all(&self, out: &mut String, p: &Palette) {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&self.render_with(d, p));
        }
        let errors = self.error_count();
        if errors > 0 {
            let file = self
                .sources
                .first_name()
                .unwrap_or("the CoSync configuration");
            out.push_str(&format!(
                "\n{}error{}{}: {file} is not usable: {errors} error{} found{}\n",
                p.error,
                p.reset,
                p.bold,
                if errors == 1 { "" } else { "s" },
                p.reset,
            ));
        }
    }

    fn write_body(&self, d: &Diagnostic, out: &mut String, p: &Palette) {
        let (blue, reset, bold) = (p.gutter, p.reset, p.bold);
        let caret_color = p.severity(d.severity);
        let snippet = d.label.as_ref().map(|label| {
            let (line, col) = self
                .sources
                .line_col(label.span.file, label.span.range.start);
            (label, line, col)
        });
        let width = snippet.map_or(1, |(_, line, _)| line.to_string().len());
        let pad = " ".repeat(width);
        let mut label_as_note = None;
        if let Some((label, line, col)) = snippet {
            let source = self.sources.get(label.span.file);
            out.push_str(&format!(
                "{pad}{blue}-->{reset} {}:{line}:{col}\n",
                source.name
            ));
            if source.redacted {
                // The file holds secret material: name the place, quote nothing.
                label_as_note = Some(label.text.as_str());
            } else {
                let (text, start) = self
                    .sources
                    .line_at(label.span.file, label.span.range.start);
                let from = label.span.range.start - start;
                let to = (label.span.range.end.max(label.span.range.start) - start).min(text.len());
                let (shown, caret_at, caret_len) = excerpt(text, from, to, label.show);
                out.push_str(&format!("{blue}{pad} |{reset}\n"));
                out.push_str(&format!("{blue}{line} |{reset} {shown}\n"));
                out.push_str(&format!(
                    "{blue}{pad} |{reset} {}{caret_color}{} {}{reset}\n",
                    " ".repeat(caret_at),
                    "^".repeat(caret_len.max(1)),
                    label.text
                ));
            }
        }
        let has_footer = !d.notes.is_empty() || d.help.is_some() || label_as_note.is_some();
        if has_footer && snippet.is_some() {
            out.push_str(&format!("{blue}{pad} |{reset}\n"));
        }
        for note in label_as_note
            .into_iter()
            .chain(d.notes.iter().map(String::as_str))
        {
            out.push_str(&format!("{pad} {blue}={reset} {bold}note{reset}: {note}\n"));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("{pad} {blue}={reset} {bold}help{reset}: {help}\n"));
        }
    }
}

/// ANSI SGR sequences for each part of a rendering; all empty for plain text.
struct Palette {
    error: &'static str,
    warning: &'static str,
    gutter: &'static str,
    bold: &'static str,
    reset: &'static str,
}

impl Palette {
    const PLAIN: Palette = Palette {
        error: "",
        warning: "",
        gutter: "",
        bold: "",
        reset: "",
    };

    /// rustc's terminal colours.
    const ANSI: Palette = Palette {
        error: "\x1b[1m\x1b[91m",
        warning: "\x1b[1m\x1b[33m",
        gutter: "\x1b[1m\x1b[94m",
        bold: "\x1b[1m",
        reset: "\x1b[0m",
    };

    fn severity(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
        }
    }
}

const MAX_BEFORE: usize = 32;
const MAX_SPAN: usize = 24;
const MAX_AFTER: usize = 16;

fn shorten_start(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        text.to_owned()
    } else {
        let tail: String = text.chars().skip(count - (max - 1)).collect();
        format!("…{tail}")
    }
}

fn shorten_end(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let head: String = text.chars().take(max - 1).collect();
        format!("{head}…")
    }
}

/// The source line as shown, the caret's column and the caret's length (all in characters).
fn excerpt(line: &str, from: usize, to: usize, show: Show) -> (String, usize, usize) {
    let line = line.replace('\t', " ");
    let from = crate::source::floor_char_boundary(&line, from.min(line.len()));
    let to = crate::source::floor_char_boundary(&line, to.clamp(from, line.len()));
    // The context around a label is never its subject, and may be part of a credential (a
    // TOML error at the end of a pasted token points just past it): mask token-like runs.
    let before = shorten_start(&mask_tokens(&line[..from]), MAX_BEFORE);
    let span = &line[from..to];
    let middle = match show {
        Show::Text => shorten_end(span, MAX_SPAN),
        Show::Prefix(n) => {
            let n = n.min(MAX_SPAN - 1);
            if span.chars().count() <= n {
                span.to_owned()
            } else {
                let head: String = span.chars().take(n).collect();
                format!("{head}…")
            }
        }
        Show::Nothing => "…".to_owned(),
    };
    let after = shorten_end(&mask_tokens(&line[to..]), MAX_AFTER);
    let caret_at = before.chars().count();
    let caret_len = middle.chars().count();
    (format!("{before}{middle}{after}"), caret_at, caret_len)
}

/// Replaces each run that looks like part of a token or key (base64/base64url characters and
/// dots, at least [`MASK_RUN`] long, with upper case, lower case and digits) by `…`.
fn mask_tokens(text: &str) -> String {
    let is_token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '/' | '=');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_token_char) {
        out.push_str(&rest[..start]);
        let run_len = rest[start..]
            .find(|c: char| !is_token_char(c))
            .unwrap_or(rest.len() - start);
        let run = &rest[start..start + run_len];
        let mixed = run.contains(|c: char| c.is_ascii_uppercase())
            && run.contains(|c: char| c.is_ascii_lowercase())
            && run.contains(|c: char| c.is_ascii_digit());
        if run.len() >= MASK_RUN && mixed {
            out.push('…');
        } else {
            out.push_str(run);
        }
        rest = &rest[start + run_len..];
    }
    out.push_str(rest);
    out
}

const MASK_RUN: usize = 20;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_all(&mut out, &Palette::PLAIN);
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn one(text: &str, range: std::ops::Range<usize>, show: Show) -> String {
        let mut sources = Sources::default();
        let file = sources.add("cosync.toml".into(), text.into());
        let d = Diagnostic::error("app token signature does not verify")
            .at(Span { file, range }, "signed by another key", show)
            .help("copy the App Token again");
        Diagnostics::new(sources, vec![d]).to_string()
    }

    #[test]
    fn renders_like_rustc() {
        let text =
            "# comment\napp_token = \"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6.sig\"\n";
        let start = text.find("eyJ").unwrap();
        let end = text.find("sig\"").unwrap() + 3;
        let out = one(text, start..end, Show::Prefix(20));
        let expected = "\
error: app token signature does not verify
 --> cosync.toml:2:14
  |
2 | app_token = \"eyJhbGciOiJSUzI1NiIs…\"
  |              ^^^^^^^^^^^^^^^^^^^^^ signed by another key
  |
  = help: copy the App Token again

error: cosync.toml is not usable: 1 error found
";
        assert_eq!(out, expected);
    }

    #[test]
    fn context_around_a_label_never_shows_token_text() {
        // A TOML error just past the end of a pasted token (its closing quote is missing).
        let secret = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlX3NlY3JldA";
        let text = format!("app_token = \"{secret}\nrest_address = \"https://x.example\"\n");
        let at = text.find('\n').unwrap();
        let out = one(&text, at..at, Show::Text);
        assert!(out.contains("app_token = \"…"), "{out}");
        for part in secret.split('.') {
            assert!(!out.contains(&part[part.len() - 8..]), "{out}");
        }
        // Ordinary context is kept.
        assert_eq!(
            mask_tokens("realm_app_id = \"myapp-abcde\" # v2"),
            "realm_app_id = \"myapp-abcde\" # v2"
        );
        assert_eq!(
            mask_tokens("x tests/support/src/fixtures.rs"),
            "x tests/support/src/fixtures.rs"
        );
    }

    #[test]
    fn secret_values_are_never_quoted() {
        let secret = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl";
        let text = format!("app_token = \"{secret}\"\n");
        let start = text.find("eyJ").unwrap();
        let out = one(&text, start..start + secret.len(), Show::Nothing);
        assert!(!out.contains("eyJ"), "{out}");
        assert!(out.contains("app_token = \"…\""), "{out}");
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('\x1b') {
            out.push_str(&rest[..at]);
            let end = rest[at..].find('m').expect("SGR sequences end with m");
            rest = &rest[at + end + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn colored_rendering_is_the_plain_rendering_plus_escapes() {
        let mut sources = Sources::default();
        let text = "app_token = \"eyJhbGciOiJSUzI1NiJ9.x.y\"\nrest_address = \"http://a\"\n";
        let file = sources.add("cosync.toml".into(), text.into());
        let secret = sources.add("k.pem".into(), "secret".into());
        sources.redact(secret);
        let items = vec![
            Diagnostic::error("app token signature does not verify")
                .at(
                    Span {
                        file,
                        range: 13..38,
                    },
                    "signed by another key",
                    Show::Prefix(20),
                )
                .note("a note")
                .help("copy it again"),
            Diagnostic::warning("looks odd").at(
                Span {
                    file,
                    range: 55..63,
                },
                "here",
                Show::Text,
            ),
            Diagnostic::error("private key").at(
                Span {
                    file: secret,
                    range: 0..6,
                },
                "in this file",
                Show::Text,
            ),
            Diagnostic::error("no location").help("fix it"),
        ];
        let diagnostics = Diagnostics::new(sources, items);
        let colored = diagnostics.render_colored();
        assert_eq!(strip_ansi(&colored), diagnostics.to_string());
        assert!(
            colored.contains("\x1b[1m\x1b[91merror\x1b[0m"),
            "{colored:?}"
        );
        assert!(
            colored.contains("\x1b[1m\x1b[33mwarning\x1b[0m"),
            "{colored:?}"
        );
        assert!(!diagnostics.to_string().contains('\x1b'));
        assert!(!colored.contains("secret"), "{colored:?}");
    }

    #[test]
    fn redacted_files_show_no_lines() {
        let mut sources = Sources::default();
        let file = sources.add("c.toml".into(), "k = \"MIIsecret\"".into());
        sources.redact(file);
        let d =
            Diagnostic::error("private key").at(Span { file, range: 5..14 }, "here", Show::Text);
        let out = Diagnostics::new(sources, vec![d]).to_string();
        assert!(!out.contains("MII"), "{out}");
        assert!(out.contains("--> c.toml:1:6"), "{out}");
        assert!(out.contains("= note: here"), "{out}");
    }
}
