// Warnings of the check reach rustc: denied here, so the test sees them.
#![deny(deprecated)]

cosync::cosync_constants!("configs/pass_base64_der.toml");

fn main() {}
