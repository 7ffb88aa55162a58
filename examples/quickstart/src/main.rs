//! Macro mode: `cosync_constants!()` reads `cosync.toml` next to `Cargo.toml`, verifies the app
//! token's signature and claims at compile time, and generates the constants printed below.
//!
//! Run it with `cargo run -p quickstart`. Then break `cosync.toml` (change one character of
//! `app_token`) and build again to see the compile error.

cosync::cosync_constants!();

fn main() {
    println!("CoSync configuration, verified at compile time");
    println!("  APP_ID               {APP_ID}");
    println!("  APP_TOKEN_ISSUED_AT  {APP_TOKEN_ISSUED_AT}");
    println!("  COSYNC_REST_ADDRESS  {COSYNC_REST_ADDRESS}");
    println!(
        "  REALM_APP_ID         {}",
        REALM_APP_ID.unwrap_or("(none)")
    );
    println!(
        "  PUBLIC_KEY           RSA-{} SHA-256 {}",
        PUBLIC_KEY.bits(),
        PUBLIC_KEY.fingerprint()
    );
    println!("  APP_TOKEN            {}…", &APP_TOKEN[..40]);
    println!("  RAW_PUBLIC_KEY       {}…", &RAW_PUBLIC_KEY[..40]);
    println!();
    println!("{PUBLIC_KEY_PEM}");
    println!();
    // Everything in one value, ready for a client:
    println!("{CONFIG:?}");
}
