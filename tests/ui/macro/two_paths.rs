// The macro takes nothing or one string literal.
cosync::cosync_constants!("configs/pass_raw.toml", "configs/pass_env.toml");

fn main() {}
