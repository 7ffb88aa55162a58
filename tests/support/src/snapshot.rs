//! Compare-or-bless snapshots: expected outputs committed next to the tests.

use std::path::Path;

/// The variable that makes snapshot assertions write the actual output instead of comparing.
pub const BLESS_VAR: &str = "COSYNC_BLESS";

/// Asserts that `path` holds exactly `actual`; with `COSYNC_BLESS=1`, writes it instead.
///
/// # Panics
/// When the file differs (showing the first differing line) or cannot be read.
pub fn assert_snapshot(path: &Path, actual: &str) {
    if std::env::var_os(BLESS_VAR).is_some_and(|v| v == "1") {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create snapshot dir");
        }
        std::fs::write(path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read snapshot {}: {e}\nrun with {BLESS_VAR}=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "snapshot {} is stale (first difference at line {}):\n  expected: {:?}\n  actual:   {:?}\nrun with {BLESS_VAR}=1 to update it after checking the change",
            path.display(),
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line),
        );
    }
}
