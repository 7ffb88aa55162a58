//! The committed fixture configs and trybuild cases match the table in
//! `tests/support/src/fixtures.rs`. Run with `COSYNC_BLESS=1` to regenerate them.

use cosync_test_support::fixtures::{self, Expect};
use cosync_test_support::snapshot::assert_snapshot;
use cosync_test_support::workspace_root;

#[test]
fn fixture_files_are_fresh() {
    let root = workspace_root();
    let cases = fixtures::cases();
    assert!(cases.len() > 40, "the table lost cases");
    for case in &cases {
        if let Some(toml) = &case.toml {
            assert_snapshot(
                &root.join(format!("tests/fixtures/configs/{}.toml", case.name)),
                toml,
            );
        }
        assert_snapshot(
            &root.join(fixtures::rust_path(case)),
            &fixtures::rust_source(case),
        );
    }
    // Every pass case asserts something; every fail case has its expected diagnostics.
    for case in &cases {
        match &case.expect {
            Expect::Pass(asserts) => assert!(asserts.contains("assert_eq!"), "{}", case.name),
            Expect::Fail => {
                let stderr = root.join(fixtures::rust_path(case).replace(".rs", ".stderr"));
                assert!(
                    stderr.exists() || std::env::var_os("TRYBUILD").is_some(),
                    "{} has no .stderr: run TRYBUILD=overwrite cargo test --test ui",
                    stderr.display()
                );
            }
        }
    }
}
