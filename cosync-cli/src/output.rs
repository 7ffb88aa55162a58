//! Terminal styles, times for people, and the JSON writer.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use anstyle::{AnsiColor, Style};

use crate::error::CliError;

/// Error headlines, as rustc colours them.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// Warning headlines.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// A good outcome ("valid", "verified").
pub const GOOD: Style = AnsiColor::Green.on_default().bold();
/// Field names in summaries.
pub const LABEL: Style = AnsiColor::Cyan.on_default();
/// Section titles.
pub const TITLE: Style = Style::new().bold();
/// Secondary text (notes, hints).
pub const DIM: Style = Style::new().dimmed();

/// Writes `value` as pretty JSON and a newline to stdout.
pub fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut text = serde_json::to_vec_pretty(value).map_err(|source| CliError::Stdout {
        source: source.into(),
    })?;
    text.push(b'\n');
    write_stdout(&text)
}

/// Writes `bytes` to stdout. A reader that went away (`| head -c1`) is not an error: what the
/// command found still decides the exit status, as with the print macros, which ignore it too.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.map_err(|source| CliError::Stdout { source }),
    }
}

/// The time the token and config checks compare against: `SOURCE_DATE_EPOCH` when it is set (as
/// the compile-time check does, for reproducible output), else the clock.
pub fn now() -> u64 {
    std::env::var(cosync_build::SOURCE_DATE_EPOCH)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
}

pub use cosync_build::utc;

/// How far `then` is from `now`, for people: "in 3 hours", "2 days ago".
pub fn relative(then: u64, now: u64) -> String {
    let (delta, past) = if then <= now {
        (now - then, true)
    } else {
        (then - now, false)
    };
    if delta < 60 {
        return if past {
            "just now"
        } else {
            "in under a minute"
        }
        .to_owned();
    }
    let (count, unit) = match delta {
        d if d < 3600 => (d / 60, "minute"),
        d if d < 86_400 => (d / 3600, "hour"),
        d if d < 86_400 * 61 => (d / 86_400, "day"),
        d if d < 86_400 * 365 => (d / (86_400 * 30), "month"),
        d => (d / (86_400 * 365), "year"),
    };
    let plural = if count == 1 { "" } else { "s" };
    if past {
        format!("{count} {unit}{plural} ago")
    } else {
        format!("in {count} {unit}{plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        let now = 1_000_000_000;
        assert_eq!(relative(now, now), "just now");
        assert_eq!(relative(now + 30, now), "in under a minute");
        assert_eq!(relative(now - 60, now), "1 minute ago");
        assert_eq!(relative(now + 7200, now), "in 2 hours");
        assert_eq!(relative(now - 86_400 * 3, now), "3 days ago");
        assert_eq!(relative(now - 86_400 * 90, now), "3 months ago");
        assert_eq!(relative(now - 86_400 * 367, now), "1 year ago");
        assert_eq!(relative(now - 86_400 * 365 * 3, now), "3 years ago");
    }
}
