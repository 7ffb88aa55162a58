//! Snapshot of the generated code: any change to what users' crates compile is reviewed here.
//! Run with `COSYNC_BLESS=1` to accept a deliberate change.

use cosync_build::Check;
use cosync_test_support::fixtures::BUILD_TIME;
use cosync_test_support::snapshot::assert_snapshot;
use cosync_test_support::workspace_root;

fn generated(fixture: &str) -> String {
    let dir = workspace_root().join("tests/fixtures");
    let checked = Check::new(dir.join(format!("configs/{fixture}.toml")))
        .base_dir(&dir)
        .now(BUILD_TIME)
        .env([("unused", "")])
        .run();
    match checked.rust_source() {
        Ok(source) => source,
        Err(diagnostics) => panic!("{diagnostics}"),
    }
}

#[test]
fn generated_code_for_a_self_hosted_server() {
    let source = generated("pass_pem_spki");
    assert_snapshot(
        &workspace_root().join("cosync-build/tests/snapshots/self_hosted.rs"),
        &source,
    );
}

#[test]
fn generated_code_for_the_hosted_sandbox() {
    let source = generated("pass_hosted_sandbox");
    assert!(source.contains("sandbox.cosync.net's key (SHA-256 7fb17f06…)"));
    assert_snapshot(
        &workspace_root().join("cosync-build/tests/snapshots/hosted_sandbox.rs"),
        &source,
    );
}
