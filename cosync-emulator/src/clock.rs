//! Time as the emulator sees it: the system clock plus an offset that tests can advance, so that
//! expiry rules (48-hour sign-up codes, user JWT `exp`) are testable without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The emulator's clock. Cheap to share; advancing it affects every later request.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Milliseconds since the Unix epoch.
    pub(crate) fn now_ms(&self) -> i64 {
        let system = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        system.saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Whole seconds since the Unix epoch (what `iat` and `exp` hold).
    pub(crate) fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves the clock forward (never backward: codes and tokens must not become "younger").
    pub(crate) fn advance(&self, seconds: u64) {
        let ms = i64::try_from(seconds)
            .unwrap_or(i64::MAX / 1000)
            .saturating_mul(1000);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// Formats milliseconds since the epoch as ISO-8601 UTC with milliseconds, the way JavaScript's
/// `Date.prototype.toISOString` does (`2023-04-13T10:20:30.123Z`), since that is what the real
/// server's Mongo dates serialize to.
pub(crate) fn iso8601(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_javascript() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_681_381_230_123), "2023-04-13T10:20:30.123Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn advancing_moves_forward() {
        let clock = Clock::default();
        let before = clock.now_secs();
        clock.advance(3600);
        assert!(clock.now_secs() >= before + 3600);
    }
}
