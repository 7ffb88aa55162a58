//! Generates `$OUT_DIR/cosync.rs` from `cosync.toml`, verifying it first.

fn main() {
    if let Err(error) = cosync_build::generate() {
        // The error is the full rustc-style diagnostic, pointing into cosync.toml.
        eprintln!("{error}");
        std::process::exit(1);
    }
}
