//! `[profile.NAME]` selection through `COSYNC_PROFILE`, in its own test binary because the
//! variable applies to every case of a trybuild run.

use cosync_test_support::fixtures::BUILD_TIME;
use cosync_test_support::workspace_root;

#[test]
#[allow(
    unsafe_code,
    reason = "set_var is unsafe only with concurrent readers; see SAFETY"
)]
fn ui_profile() {
    let fixtures = workspace_root().join("tests/fixtures");
    // SAFETY: this test binary has a single test, so no other thread reads the environment
    // concurrently; trybuild passes it on to cargo, rustc and the macro.
    unsafe {
        std::env::set_var("COSYNC_CONFIG_DIR", &fixtures);
        std::env::set_var("SOURCE_DATE_EPOCH", BUILD_TIME.to_string());
        std::env::set_var("COSYNC_PROFILE", "staging");
    }
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/profile/pass_*.rs");
    t.compile_fail("tests/ui/profile/profile_*.rs");
}
