//! Build-script mode: `build.rs` calls `cosync_build::generate()`, which verifies `cosync.toml`
//! and writes the constants to `$OUT_DIR/cosync.rs`; this crate includes them. No proc macro.
//!
//! Run it with `cargo run -p build-script`, or `COSYNC_PROFILE=staging cargo run -p build-script`.

include!(concat!(env!("OUT_DIR"), "/cosync.rs"));

fn main() {
    println!("app {APP_ID} at {COSYNC_REST_ADDRESS}");
    println!("realm app id: {}", REALM_APP_ID.unwrap_or("(none)"));
    println!(
        "realm key:    RSA-{} {}",
        PUBLIC_KEY.bits(),
        PUBLIC_KEY.fingerprint()
    );
}
