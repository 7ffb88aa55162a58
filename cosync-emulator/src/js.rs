//! The few JavaScript coercions the real server's checks depend on (`isNaN(code)`,
//! `parseInt(code)`, `user.code == code`), so that the emulator accepts and rejects the same
//! request values.

use crate::json::Json;

/// `Number(value)` for the request values the server sees (strings from forms, anything from JSON).
pub(crate) fn to_number(value: &Json) -> f64 {
    match value {
        Json::Null => 0.0,
        Json::Bool(b) => f64::from(u8::from(*b)),
        Json::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Json::String(s) => string_to_number(s),
        Json::Array(items) => match items.as_slice() {
            [] => 0.0,
            [only] if !matches!(only, Json::Array(_) | Json::Object(_)) => to_number(only),
            _ => f64::NAN,
        },
        Json::Object(_) => f64::NAN,
    }
}

/// `isNaN(value)`.
pub(crate) fn is_nan(value: &Json) -> bool {
    to_number(value).is_nan()
}

fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.is_empty() {
        return 0.0;
    }
    let radix_body = |prefix: [&str; 2]| prefix.iter().find_map(|p| t.strip_prefix(p));
    for (prefixes, radix) in [(["0x", "0X"], 16), (["0o", "0O"], 8), (["0b", "0B"], 2)] {
        if let Some(body) = radix_body(prefixes) {
            return u64::from_str_radix(body, radix).map_or(f64::NAN, |n| n as f64);
        }
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    // Rust's float parser also accepts "inf"/"nan"/"infinity", which JavaScript does not.
    if t.chars()
        .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

/// `parseInt(value)` (radix 10, or 16 with a `0x` prefix); `None` for `NaN`.
pub(crate) fn parse_int(value: &Json) -> Option<i64> {
    let text = match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        _ => return None,
    };
    let t = text.trim_start();
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = match t.get(..2) {
        Some("0x" | "0X") => (16, &t[2..]),
        _ => (10, t),
    };
    let end = digits
        .char_indices()
        .find(|(_, c)| !c.is_digit(radix))
        .map_or(digits.len(), |(i, _)| i);
    let n = i64::from_str_radix(&digits[..end], radix).ok()?;
    Some(if negative { -n } else { n })
}

/// `stored == value` where `stored` is a number the server generated (a code).
pub(crate) fn loose_equals_number(stored: i64, value: &Json) -> bool {
    let n = to_number(value);
    !n.is_nan() && n == stored as f64
}

/// `value == true || value == 'true'` (the two-factor switch).
pub(crate) fn loose_true(value: &Json) -> bool {
    match value {
        Json::Bool(b) => *b,
        Json::String(s) if s == "true" => true,
        Json::String(_) | Json::Number(_) => to_number(value) == 1.0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Json {
        Json::from(v)
    }

    #[test]
    fn is_nan_like_javascript() {
        for ok in ["123456", " 12 ", "0x1A", "1e3", "-5", "", "Infinity"] {
            assert!(!is_nan(&s(ok)), "{ok}");
        }
        for bad in ["12abc", "abc", "1 2", "inf", "NaN", "0xZZ"] {
            assert!(is_nan(&s(bad)), "{bad}");
        }
        assert!(!is_nan(&Json::from(5_i64)));
        assert!(!is_nan(&Json::Bool(true)));
        assert!(is_nan(&Json::object()));
    }

    #[test]
    fn parse_int_like_javascript() {
        assert_eq!(parse_int(&s("123456")), Some(123_456));
        assert_eq!(parse_int(&s("  42abc")), Some(42));
        assert_eq!(parse_int(&s("0x1A")), Some(26));
        assert_eq!(parse_int(&s("-7")), Some(-7));
        assert_eq!(parse_int(&s("abc")), None);
        assert_eq!(parse_int(&Json::from(99_i64)), Some(99));
    }

    #[test]
    fn loose_comparisons() {
        assert!(loose_equals_number(123_456, &s("123456")));
        assert!(loose_equals_number(123_456, &s("0123456")));
        assert!(!loose_equals_number(123_456, &s("123457")));
        assert!(loose_true(&s("true")));
        assert!(loose_true(&s("1")));
        assert!(loose_true(&Json::Bool(true)));
        assert!(!loose_true(&s("false")));
        assert!(!loose_true(&s("yes")));
    }
}
