//! Phones and two-factor: `setPhone`, `verifyPhone`, `setTwoFactorPhoneVerification`,
//! `setTwoFactorGoogleVerification`, and Google two-factor login end to end (real TOTP, a real
//! QR code decoded back).

use base64ct::{Base64, Encoding};
use cosync_emulator::{NewApp, SignupFlow, TwoFactor, totp};

use crate::support::*;

#[tokio::test]
async fn phone_verification() {
    let emu = emulator().await;
    let app = app(
        &emu,
        NewApp::named("phone")
            .signup_flow(SignupFlow::None)
            .two_factor(TwoFactor::Phone),
    )
    .await;
    let (_, ann) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let (_, bob) = signup_none(&emu, &app.app_token, "bob@example.com", "pw").await;
    let set = "/api/appuser/setPhone";
    let verify_path = "/api/appuser/verifyPhone";
    let two = "/api/appuser/setTwoFactorPhoneVerification";

    post(
        &emu,
        set,
        Auth::App(&app.app_token),
        &[("phone", "+15550001111")],
    )
    .await
    .assert_code(602);
    post(&emu, set, Auth::Access(&ann), &[])
        .await
        .assert_code(403);
    // Enabling phone two-factor needs a verified phone.
    post(&emu, two, Auth::Access(&ann), &[("twoFactor", "true")])
        .await
        .assert_code(410);
    post(&emu, set, Auth::Access(&ann), &[("phone", "+15550001111")])
        .await
        .assert_true();
    let sms = emu.outbox_to("+15550001111").await.unwrap().pop().unwrap();
    assert_eq!(
        (sms.kind, sms.template.as_str()),
        (cosync_emulator::MessageKind::Sms, "verifyPhone")
    );
    let code = sms.code.unwrap();
    post(&emu, verify_path, Auth::Access(&ann), &[])
        .await
        .assert_code(403);
    post(&emu, verify_path, Auth::Access(&ann), &[("code", "abc")])
        .await
        .assert_code(602);
    let wrong = if code == "123456" { "654321" } else { "123456" };
    post(&emu, verify_path, Auth::Access(&ann), &[("code", wrong)])
        .await
        .assert_code(602);
    post(&emu, verify_path, Auth::Access(&ann), &[("code", &code)])
        .await
        .assert_true();
    let user = get(&emu, "/api/appuser/getUser", Auth::Access(&ann))
        .await
        .json();
    assert_eq!(
        (user["phone"].as_str(), user["phoneVerified"].as_bool()),
        (Some("+15550001111"), Some(true))
    );
    // Another user cannot take a verified number.
    post(&emu, set, Auth::Access(&bob), &[("phone", "+15550001111")])
        .await
        .assert_code(412);
    post(&emu, two, Auth::Access(&ann), &[("twoFactor", "true")])
        .await
        .assert_true();
    assert_eq!(
        get(&emu, "/api/appuser/getUser", Auth::Access(&ann))
            .await
            .json()["twoFactorPhoneVerification"],
        true
    );
    post(&emu, two, Auth::Access(&ann), &[("twoFactor", "false")])
        .await
        .assert_true();
    assert_eq!(
        get(&emu, "/api/appuser/getUser", Auth::Access(&ann))
            .await
            .json()["twoFactorPhoneVerification"],
        false
    );
    // Without two-factor login returns tokens directly.
    login(&emu, &app.app_token, "ann@example.com", "pw").await;
}

#[tokio::test]
async fn two_factor_not_offered() {
    let emu = emulator().await;
    let app = app(&emu, NewApp::named("none").signup_flow(SignupFlow::None)).await;
    let (_, ann) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    post(
        &emu,
        "/api/appuser/setPhone",
        Auth::Access(&ann),
        &[("phone", "+1555")],
    )
    .await
    .assert_code(409);
    post(
        &emu,
        "/api/appuser/setTwoFactorPhoneVerification",
        Auth::Access(&ann),
        &[("twoFactor", "true")],
    )
    .await
    .assert_code(409);
    post(
        &emu,
        "/api/appuser/setTwoFactorGoogleVerification",
        Auth::Access(&ann),
        &[("twoFactor", "true")],
    )
    .await
    .assert_code(408);
    post(
        &emu,
        "/api/appuser/setTwoFactorGoogleVerification",
        Auth::None,
        &[("twoFactor", "true")],
    )
    .await
    .assert_code(602);
}

fn decode_qr(data_url: &str) -> String {
    let png_bytes = Base64::decode_vec(
        data_url
            .strip_prefix("data:image/png;base64,")
            .expect("PNG data URL"),
    )
    .unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.line_size / w;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        buffer[y * info.line_size + x * channels]
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("QR decodes").1
}

#[tokio::test]
async fn google_authenticator_end_to_end() {
    let emu = emulator().await;
    let mut new = NewApp::named("Google App")
        .signup_flow(SignupFlow::None)
        .two_factor(TwoFactor::Google);
    new.settings.google_app_name = Some("My Issuer".into());
    let app = app(&emu, new).await;
    let (_, access) = signup_none(&emu, &app.app_token, "ann@example.com", "pw").await;
    let path = "/api/appuser/setTwoFactorGoogleVerification";
    let r = post(&emu, path, Auth::Access(&access), &[("twoFactor", "true")]).await;
    let body = r.json();
    let secret = body["googleSecretKey"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 39, "{secret}");
    assert!(secret.split(' ').all(|g| {
        g.len() == 4
            && g.chars()
                .all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c))
    }));
    let uri = decode_qr(body["QRDataImage"].as_str().unwrap());
    let compact: String = secret.split(' ').collect::<String>().to_uppercase();
    assert_eq!(
        uri,
        format!(
            "otpauth://totp/My%20Issuer:ann@example.com?secret={compact}&issuer=My%20Issuer&algorithm=SHA1&digits=6&period=30"
        )
    );
    let mail = emu
        .outbox_to("ann@example.com")
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        (mail.template.as_str(), mail.attachment.as_deref()),
        ("qrCode", Some("QRCode.png"))
    );

    let r = post(
        &emu,
        "/api/appuser/login",
        Auth::App(&app.app_token),
        &[("handle", "ann@example.com"), ("password", &md5("pw"))],
    )
    .await;
    let login_token = r.json()["login-token"].as_str().unwrap().to_owned();
    // An authenticator app computes the code from the secret (RFC 6238, computed here by the
    // emulator's public TOTP function, itself checked against the RFC vectors).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let key = totp::decode_secret(&secret).unwrap();
    let code = totp::code_at(&key, now);
    let stale = totp::code_at(&key, now - 300);
    let lc = "/api/appuser/loginComplete";
    if stale != code {
        post(
            &emu,
            lc,
            Auth::App(&app.app_token),
            &[("loginToken", &login_token), ("code", &stale)],
        )
        .await
        .assert_code(600);
    }
    let (jwt, _) = post(
        &emu,
        lc,
        Auth::App(&app.app_token),
        &[("loginToken", &login_token), ("code", &code)],
    )
    .await
    .tokens();
    verify(&jwt, &app.public_key_pem);

    // Disabling: login gives tokens again.
    post(&emu, path, Auth::Access(&access), &[("twoFactor", "false")])
        .await
        .assert_true();
    login(&emu, &app.app_token, "ann@example.com", "pw").await;
    // The phone route on a google app enables google two-factor too (3.6 #22).
    let r = post(
        &emu,
        "/api/appuser/setTwoFactorPhoneVerification",
        Auth::Access(&access),
        &[("twoFactor", "true")],
    )
    .await;
    assert!(r.json()["googleSecretKey"].is_string());
}
