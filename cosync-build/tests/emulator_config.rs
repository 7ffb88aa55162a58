//! A `cosync.toml` printed by `cosync-emulator app create` passes every compile-time check as is.

use cosync_build::Check;
use cosync_emulator::{Emulator, NewApp, SignupFlow, TwoFactor};

#[tokio::test]
async fn emulator_configs_pass_the_checks() {
    let emulator = Emulator::start().await.unwrap();
    let dir = std::env::temp_dir().join(format!("cosync-emulator-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, app) in [
        ("plain", NewApp::named("plain")),
        (
            "full",
            NewApp::named("full \"quoted\"")
                .signup_flow(SignupFlow::None)
                .two_factor(TwoFactor::Google)
                .realm_app_id("full-abcde"),
        ),
    ] {
        let created = emulator.create_app_with(app).await.unwrap();
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(&path, &created.cosync_toml).unwrap();
        let checked = Check::new(&path).env([("unused", "")]).run();
        let model = checked
            .model()
            .unwrap_or_else(|| panic!("{}\n{}", created.cosync_toml, checked.diagnostics()));
        assert_eq!(model.app_token().app_id(), created.app_id);
        assert_eq!(model.rest_address().as_str(), emulator.base_url());
        assert_eq!(model.public_key().to_pem(), created.public_key_pem);
        assert_eq!(
            model.signer().key().to_pem(),
            emulator.server_public_key_pem()
        );
        assert_eq!(
            checked.diagnostics().iter().count(),
            0,
            "{}",
            checked.diagnostics()
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
