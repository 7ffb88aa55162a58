//! Compile-fail and pass cases for `cosync_constants!`, one per class of input.
//!
//! The fixtures live in `tests/fixtures/configs`; the macro finds them through
//! `COSYNC_CONFIG_DIR` (trybuild builds each case in its own project under `target/`, where
//! `CARGO_MANIFEST_DIR` is not this directory). `SOURCE_DATE_EPOCH` pins the build time so the
//! expiry diagnostics are stable.

use cosync_test_support::fixtures::{BUILD_TIME, ENV_TOKEN_VAR};
use cosync_test_support::{mint, workspace_root};

#[test]
#[allow(
    unsafe_code,
    reason = "set_var is unsafe only with concurrent readers; see SAFETY"
)]
fn ui() {
    let fixtures = workspace_root().join("tests/fixtures");
    // SAFETY: this test binary has a single test, so no other thread reads the environment
    // concurrently; trybuild passes it on to cargo, rustc and the macro.
    unsafe {
        std::env::set_var("COSYNC_CONFIG_DIR", &fixtures);
        std::env::set_var("SOURCE_DATE_EPOCH", BUILD_TIME.to_string());
        std::env::set_var(ENV_TOKEN_VAR, mint::app_token());
        std::env::remove_var("COSYNC_PROFILE");
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.compile_fail("tests/ui/macro/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
